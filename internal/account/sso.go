package account

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
)

// External is what an OpenID provider says about a person.
type External struct {
	Provider, Subject, Email, Name string
	EmailVerified                  bool
}

// LoginExternal signs in a person that an OpenID provider has
// authenticated and returns the session's secret. The provider's account
// is linked to a platform account once: found by the link itself, else by
// the e-mail address when the provider has verified it, else a new account
// is created (confirmed when the provider verified the address; otherwise
// a confirmation link is mailed).
func (s *Service) LoginExternal(ctx context.Context, ext External, m Meta) (string, User, error) {
	u, err := s.store.IdentityUser(ctx, ext.Provider, ext.Subject)
	if err == nil {
		token, err := s.openSession(ctx, u, m, "account.login_sso")
		return token, u, err
	}
	if !apperr.Is(err, apperr.NotFound) {
		return "", User{}, err
	}
	addr := NormalizeEmail(ext.Email)
	if addr == "" {
		return "", User{}, apperr.New(apperr.Forbidden, "sso.error.email_invalid")
	}
	id := Identity{Provider: ext.Provider, Subject: ext.Subject, Email: addr}
	existing, _, err := s.store.UserByEmail(ctx, addr)
	switch {
	case err == nil && ext.EmailVerified:
		if err := s.store.LinkIdentity(ctx, existing.ID, id, s.audit(existing.ID, existing.Email, "account.identity_linked", "user", existing.ID, m,
			map[string]any{"provider": ext.Provider})); err != nil {
			return "", User{}, fmt.Errorf("account: link %s: %w", ext.Provider, err)
		}
		token, err := s.openSession(ctx, existing, m, "account.login_sso")
		return token, existing, err
	case err == nil:
		// Linking by an address the provider has not verified would let
		// anyone who enters someone else's address take over the account.
		return "", User{}, apperr.New(apperr.Conflict, "sso.error.email_unverified_taken")
	case !apperr.Is(err, apperr.NotFound):
		return "", User{}, err
	}
	now := s.Now().UTC()
	u = User{ID: uuid.Must(uuid.NewV7()).String(), Email: addr, Name: strings.TrimSpace(ext.Name), Lang: langOr(m.Lang), Created: now}
	nu := NewUser{User: u, Identity: &id, Audit: s.audit(u.ID, addr, "account.register_sso", "user", u.ID, m, map[string]any{"provider": ext.Provider})}
	var secret string
	if ext.EmailVerified {
		u.EmailConfirmed = &now
		nu.User = u
	} else {
		var hash string
		secret, hash = newToken()
		nu.Confirm = &NewToken{Hash: hash, Purpose: PurposeConfirm, Email: addr, Expires: now.Add(ConfirmLifetime)}
	}
	if err := s.store.CreateUser(ctx, nu); err != nil {
		return "", User{}, fmt.Errorf("account: create from %s: %w", ext.Provider, err)
	}
	if secret != "" {
		if err := s.send(ctx, u.Lang, addr, "account.mail.confirm", map[string]any{"Link": s.baseURL + "/konto/bestaetigen/" + secret}); err != nil {
			return "", User{}, err
		}
	}
	token, err := s.openSession(ctx, u, m, "account.login_sso")
	return token, u, err
}
