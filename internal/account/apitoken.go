package account

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
)

// API token scopes.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// tokenPrefix marks the platform's API tokens, so that secret scanners
// recognise a leaked one.
const tokenPrefix = "sr_"

// MaxTokenDays bounds how long an API token may live.
const MaxTokenDays = 366

// APIToken is a user's token for the JSON API; only its hash is stored.
type APIToken struct {
	ID       string
	UserID   string
	Name     string
	Scopes   []string
	Created  time.Time
	Expires  time.Time
	LastUsed *time.Time
	Revoked  *time.Time
}

// Active reports whether the token may be used at now.
func (t APIToken) Active(now time.Time) bool { return t.Revoked == nil && now.Before(t.Expires) }

// Has reports whether the token carries scope; write includes read.
func (t APIToken) Has(scope string) bool {
	return slices.Contains(t.Scopes, scope) || scope == ScopeRead && slices.Contains(t.Scopes, ScopeWrite)
}

// TokenStore keeps API tokens.
type TokenStore interface {
	CreateAPIToken(ctx context.Context, t APIToken, hash string, audit AuditEntry) error
	APITokens(ctx context.Context, userID string) ([]APIToken, error)
	// APITokenUser returns an active token and its user by the token's
	// hash and records its use; apperr.NotFound otherwise.
	APITokenUser(ctx context.Context, hash string) (APIToken, User, error)
	// RevokeAPIToken revokes a user's token; NotFound when the user has none by id.
	RevokeAPIToken(ctx context.Context, userID, id string, audit AuditEntry) error
}

// CreateAPIToken creates a token for u and returns it with its secret,
// which is shown once and never stored.
func (s *Service) CreateAPIToken(ctx context.Context, u User, name string, scopes []string, days int, m Meta) (APIToken, string, error) {
	var v apperr.Validation
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		v.Add("name", "form.error.required")
	case utf8.RuneCountInString(name) > 100:
		v.Add("name", "form.error.too_long", "Max", 100)
	}
	var clean []string
	for _, sc := range scopes {
		if (sc == ScopeRead || sc == ScopeWrite) && !slices.Contains(clean, sc) {
			clean = append(clean, sc)
		} else if sc != ScopeRead && sc != ScopeWrite {
			clean = nil
			break
		}
	}
	if len(clean) == 0 {
		v.Add("scopes", "account.error.scope")
	}
	if days < 1 || days > MaxTokenDays {
		v.Add("days", "account.error.token_days", "Max", MaxTokenDays)
	}
	if err := v.Err(); err != nil {
		return APIToken{}, "", err
	}
	random, _ := newToken()
	secret := tokenPrefix + random
	hash := HashToken(secret)
	now := s.Now().UTC()
	t := APIToken{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Name: name, Scopes: clean, Created: now,
		Expires: now.AddDate(0, 0, days)}
	err := s.store.CreateAPIToken(ctx, t, hash, s.audit(u.ID, u.Email, "account.token_created", "api_token", t.ID, m,
		map[string]any{"name": name, "scopes": clean, "days": days}))
	return t, secret, err
}

// APITokens lists a user's tokens, newest first.
func (s *Service) APITokens(ctx context.Context, u User) ([]APIToken, error) {
	return s.store.APITokens(ctx, u.ID)
}

// RevokeAPIToken revokes one of the user's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, u User, id string, m Meta) error {
	return s.store.RevokeAPIToken(ctx, u.ID, id, s.audit(u.ID, u.Email, "account.token_revoked", "api_token", id, m, nil))
}

// AuthenticateToken returns the token and user of a Bearer secret;
// apperr.Unauthenticated when it is unknown, expired or revoked.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (APIToken, User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return APIToken{}, User{}, apperr.New(apperr.Unauthenticated, "account.error.token_invalid")
	}
	t, u, err := s.store.APITokenUser(ctx, HashToken(secret))
	if apperr.Is(err, apperr.NotFound) {
		return APIToken{}, User{}, apperr.Wrap(err, apperr.Unauthenticated, "account.error.token_invalid")
	}
	return t, u, err
}
