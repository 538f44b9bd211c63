package account

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Mail is a message to one recipient.
type Mail struct {
	To, Subject, Text, Lang string
	Kind                    string // what the mail is for, e.g. "account.confirm"
}

// Mailer delivers mail (see package mail).
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Texts translates message keys (see package i18n).
type Texts interface {
	T(lang, key string, kv ...any) string
}

// Meta says where a request comes from, for the audit log and the limits.
type Meta struct {
	IP, UserAgent, Lang string
}

// Limits on attempts, per account and per address, shared by all
// instances through the database.
var (
	loginLimitAccount = limit{"login:account:", 15 * time.Minute, 10}
	loginLimitIP      = limit{"login:ip:", 15 * time.Minute, 50}
	resetLimitAccount = limit{"reset:account:", time.Hour, 3}
	resetLimitIP      = limit{"reset:ip:", time.Hour, 20}
	registerLimitIP   = limit{"register:ip:", time.Hour, 20}
)

type limit struct {
	prefix string
	window time.Duration
	max    int
}

// Service holds the rules of accounts.
type Service struct {
	store   Store
	mail    Mailer
	texts   Texts
	baseURL string
	log     *slog.Logger
	// exporters add other domains' data to Export (see AddExporter).
	exporters []ExportFunc
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the account service. baseURL is the platform's public
// address, used in the links that mails carry.
func NewService(store Store, mailer Mailer, texts Texts, baseURL string, log *slog.Logger) *Service {
	return &Service{store: store, mail: mailer, texts: texts, baseURL: strings.TrimSuffix(baseURL, "/"), log: log, Now: time.Now}
}

// Mailer returns the service's mailer.
func (s *Service) Mailer() Mailer { return s.mail }

// NormalizeEmail returns the address in lower case, or "" when it is not
// a plain address (name@domain).
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || utf8.RuneCountInString(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return ""
	}
	return s
}

func (s *Service) audit(actorID, actorLabel, action, objectType, objectID string, m Meta, details map[string]any) AuditEntry {
	return AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), At: s.Now().UTC(), ActorID: actorID, ActorLabel: actorLabel,
		Action: action, ObjectType: objectType, ObjectID: objectID, Details: details, IP: m.IP}
}

func (s *Service) check(ctx context.Context, l limit, key string) error {
	ok, err := s.store.Hit(ctx, l.prefix+key, l.window, l.max)
	if err != nil {
		return fmt.Errorf("account: rate limit: %w", err)
	}
	if !ok {
		return apperr.New(apperr.TooMany, "account.error.too_many", "Minutes", int(l.window.Minutes()))
	}
	return nil
}

// Register creates an account and mails a link that confirms the address.
// When the address has an account already, that account's owner gets a
// mail saying so instead; the caller sees the same answer either way, so
// registration does not reveal which addresses have accounts.
func (s *Service) Register(ctx context.Context, email, password, name string, m Meta) error {
	var v apperr.Validation
	addr := NormalizeEmail(email)
	if addr == "" {
		v.Add("email", "form.error.email")
	}
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 200 {
		v.Add("name", "form.error.too_long", "Max", 200)
	}
	CheckPassword(&v, "password", password, addr)
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.check(ctx, registerLimitIP, m.IP); err != nil {
		return err
	}
	existing, _, err := s.store.UserByEmail(ctx, addr)
	switch {
	case err == nil:
		return s.send(ctx, existing.Lang, addr, "account.mail.exists", map[string]any{"Link": s.baseURL + "/anmelden"})
	case !apperr.Is(err, apperr.NotFound):
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	secret, tokenHash := newToken()
	now := s.Now().UTC()
	u := User{ID: uuid.Must(uuid.NewV7()).String(), Email: addr, Name: name, Lang: langOr(m.Lang), Created: now}
	err = s.store.CreateUser(ctx, NewUser{User: u, PasswordHash: hash,
		Confirm: &NewToken{Hash: tokenHash, Purpose: PurposeConfirm, Email: addr, Expires: now.Add(ConfirmLifetime)},
		Audit:   s.audit(u.ID, addr, "account.register", "user", u.ID, m, nil)})
	if apperr.Is(err, apperr.Conflict) { // registered in parallel with the same address
		return nil
	}
	if err != nil {
		return fmt.Errorf("account: register: %w", err)
	}
	return s.send(ctx, u.Lang, addr, "account.mail.confirm", map[string]any{"Link": s.baseURL + "/konto/bestaetigen/" + secret})
}

func langOr(l string) string {
	if l == "en" {
		return "en"
	}
	return "de"
}

// send composes a mail from the message keys <key>.subject and <key>.text.
func (s *Service) send(ctx context.Context, lang, to, key string, data map[string]any) error {
	var kv []any
	for k, v := range data {
		kv = append(kv, k, v)
	}
	err := s.mail.Send(ctx, Mail{To: to, Lang: lang, Kind: key,
		Subject: s.texts.T(lang, key+".subject", kv...), Text: s.texts.T(lang, key+".text", kv...)})
	if err != nil {
		return fmt.Errorf("account: mail %s: %w", key, err)
	}
	return nil
}

// Confirm confirms the address of the link's account.
func (s *Service) Confirm(ctx context.Context, secret string, m Meta) (User, error) {
	u, err := s.store.RedeemToken(ctx, HashToken(secret), Redeem{Purpose: PurposeConfirm, ConfirmEmail: true,
		Audit: s.audit("", "", "account.confirm", "user", "", m, nil)})
	if apperr.Is(err, apperr.NotFound) {
		return User{}, apperr.Wrap(err, apperr.NotFound, "account.error.link_invalid")
	}
	return u, err
}

// Login checks e-mail and password and opens a session; it returns the
// session's secret for the cookie. Failures say only that the
// combination is wrong. An account whose address is not confirmed yet gets
// a new confirmation link instead of a session.
func (s *Service) Login(ctx context.Context, email, password string, m Meta) (string, User, error) {
	addr := NormalizeEmail(email)
	if err := s.check(ctx, loginLimitIP, m.IP); err != nil {
		return "", User{}, err
	}
	if err := s.check(ctx, loginLimitAccount, addr); err != nil {
		return "", User{}, err
	}
	failed := apperr.New(apperr.Unauthenticated, "account.error.login_failed")
	u, hash, err := s.store.UserByEmail(ctx, addr)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return "", User{}, err
	}
	if err != nil || hash == "" {
		VerifyPassword(dummyHash(), password) // same time as a real check
		return "", User{}, failed
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return "", User{}, fmt.Errorf("account: login %s: %w", u.ID, err)
	}
	if !ok {
		s.store.AddAudit(ctx, s.audit(u.ID, u.Email, "account.login_failed", "user", u.ID, m, nil))
		return "", User{}, failed
	}
	if !u.Confirmed() {
		if err := s.resendConfirm(ctx, u, m); err != nil {
			return "", User{}, err
		}
		return "", User{}, apperr.New(apperr.Forbidden, "account.error.unconfirmed")
	}
	token, err := s.openSession(ctx, u, m, "account.login")
	return token, u, err
}

func (s *Service) resendConfirm(ctx context.Context, u User, m Meta) error {
	secret, hash := newToken()
	err := s.store.AddToken(ctx, u.ID, NewToken{Hash: hash, Purpose: PurposeConfirm, Email: u.Email, Expires: s.Now().UTC().Add(ConfirmLifetime)},
		s.audit(u.ID, u.Email, "account.confirm_resent", "user", u.ID, m, nil))
	if err != nil {
		return err
	}
	return s.send(ctx, u.Lang, u.Email, "account.mail.confirm", map[string]any{"Link": s.baseURL + "/konto/bestaetigen/" + secret})
}

// openSession creates a new session (a new id at every login, so a session
// id known before the login is worthless after it).
func (s *Service) openSession(ctx context.Context, u User, m Meta, action string) (string, error) {
	secret, hash := newToken()
	now := s.Now().UTC()
	ua := m.UserAgent
	if len(ua) > 300 {
		ua = ua[:300]
	}
	err := s.store.CreateSession(ctx, Session{ID: hash, UserID: u.ID, Created: now, LastSeen: now,
		Expires: now.Add(SessionIdle), IP: m.IP, UserAgent: ua}, s.audit(u.ID, u.Email, action, "session", "", m, nil))
	if err != nil {
		return "", fmt.Errorf("account: open session: %w", err)
	}
	return secret, nil
}

// Authenticate returns the session and user of a session cookie's secret;
// apperr.Unauthenticated when it is unknown or expired. Active sessions
// are extended (up to SessionLifetime from their start).
func (s *Service) Authenticate(ctx context.Context, secret string) (Session, User, error) {
	if secret == "" {
		return Session{}, User{}, apperr.New(apperr.Unauthenticated, "account.error.login_required")
	}
	hash := HashToken(secret)
	sess, u, err := s.store.SessionUser(ctx, hash)
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, User{}, apperr.Wrap(err, apperr.Unauthenticated, "account.error.login_required")
	}
	if err != nil {
		return Session{}, User{}, err
	}
	now := s.Now().UTC()
	if now.Sub(sess.LastSeen) > sessionTouchStep {
		exp := now.Add(SessionIdle)
		if limit := sess.Created.Add(SessionLifetime); exp.After(limit) {
			exp = limit
		}
		if err := s.store.TouchSession(ctx, hash, exp); err != nil {
			s.log.Warn("touch session", "err", err)
		}
	}
	return sess, u, nil
}

// Logout ends the session of secret.
func (s *Service) Logout(ctx context.Context, secret string, u User, m Meta) error {
	return s.store.DeleteSession(ctx, HashToken(secret), s.audit(u.ID, u.Email, "account.logout", "session", "", m, nil))
}

// Sessions lists a user's active sessions, marking the one of current.
func (s *Service) Sessions(ctx context.Context, u User, currentSecret string) ([]Session, error) {
	list, err := s.store.UserSessions(ctx, u.ID)
	cur := HashToken(currentSecret)
	for i := range list {
		list[i].Current = list[i].ID == cur
	}
	return list, err
}

// EndSession ends one of the user's own sessions.
func (s *Service) EndSession(ctx context.Context, u User, id string, m Meta) error {
	return s.store.DeleteUserSession(ctx, u.ID, id, s.audit(u.ID, u.Email, "account.session_ended", "session", id[:min(12, len(id))], m, nil))
}

// RequestReset mails a link to set a new password when the address has
// an account; the caller's answer is the same either way.
func (s *Service) RequestReset(ctx context.Context, email string, m Meta) error {
	addr := NormalizeEmail(email)
	if addr == "" {
		var v apperr.Validation
		v.Add("email", "form.error.email")
		return v.Err()
	}
	if err := s.check(ctx, resetLimitIP, m.IP); err != nil {
		return err
	}
	if err := s.check(ctx, resetLimitAccount, addr); err != nil {
		return err
	}
	u, _, err := s.store.UserByEmail(ctx, addr)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	secret, hash := newToken()
	err = s.store.AddToken(ctx, u.ID, NewToken{Hash: hash, Purpose: PurposeReset, Email: addr, Expires: s.Now().UTC().Add(ResetLifetime)},
		s.audit(u.ID, u.Email, "account.reset_requested", "user", u.ID, m, nil))
	if err != nil {
		return err
	}
	return s.send(ctx, u.Lang, addr, "account.mail.reset", map[string]any{"Link": s.baseURL + "/konto/passwort-neu/" + secret})
}

// ResetPassword sets a new password with a reset link and ends all
// sessions of the account. Using the link also confirms the address.
func (s *Service) ResetPassword(ctx context.Context, secret, password string, m Meta) (User, error) {
	var v apperr.Validation
	CheckPassword(&v, "password", password, "")
	if err := v.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	u, err := s.store.RedeemToken(ctx, HashToken(secret), Redeem{Purpose: PurposeReset, ConfirmEmail: true, NewPasswordHash: hash,
		Audit: s.audit("", "", "account.password_reset", "user", "", m, nil)})
	if apperr.Is(err, apperr.NotFound) {
		return User{}, apperr.Wrap(err, apperr.NotFound, "account.error.link_invalid")
	}
	return u, err
}

// CreateOperator creates a confirmed account with the operator role, for
// bootstrapping a platform from the command line.
func (s *Service) CreateOperator(ctx context.Context, email, password, name string) (User, error) {
	var v apperr.Validation
	addr := NormalizeEmail(email)
	if addr == "" {
		v.Add("email", "form.error.email")
	}
	CheckPassword(&v, "password", password, addr)
	if err := v.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	now := s.Now().UTC()
	u := User{ID: uuid.Must(uuid.NewV7()).String(), Email: addr, Name: strings.TrimSpace(name), Lang: "de", Created: now,
		EmailConfirmed: &now, HasPassword: true, Roles: []Role{Operator}}
	err = s.store.CreateUser(ctx, NewUser{User: u, PasswordHash: hash, Roles: u.Roles,
		Audit: s.audit("", "command line", "account.operator_created", "user", u.ID, Meta{}, map[string]any{"email": addr})})
	if apperr.Is(err, apperr.Conflict) {
		return User{}, apperr.Wrap(err, apperr.Conflict, "account.error.email_taken")
	}
	return u, err
}
