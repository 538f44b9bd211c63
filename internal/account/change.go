package account

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/apperr"
)

// checkCurrent verifies the current password of an account that has one.
func (s *Service) checkCurrent(ctx context.Context, u User, field, password string) error {
	_, hash, err := s.store.UserByEmail(ctx, u.Email)
	if err != nil || hash == "" {
		return err
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return fmt.Errorf("account: verify %s: %w", u.ID, err)
	}
	if !ok {
		var v apperr.Validation
		v.Add(field, "account.error.password_wrong")
		return v.Err()
	}
	return nil
}

// ChangePassword sets a new password after checking the current one (an
// account that signs on only through a provider has none and may set one)
// and ends all other sessions of the account.
func (s *Service) ChangePassword(ctx context.Context, u User, current, password, sessionSecret string, m Meta) error {
	if err := s.check(ctx, loginLimitAccount, u.Email); err != nil {
		return err
	}
	if err := s.checkCurrent(ctx, u, "current", current); err != nil {
		return err
	}
	var v apperr.Validation
	CheckPassword(&v, "password", password, u.Email)
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, u.ID, hash, HashToken(sessionSecret), s.audit(u.ID, u.Email, "account.password_changed", "user", u.ID, m, nil))
}

// RequestEmailChange mails a link to the new address; the address changes
// when it is confirmed there. When the new address has an account already,
// its owner is told instead, and the answer is the same.
func (s *Service) RequestEmailChange(ctx context.Context, u User, email, password string, m Meta) error {
	var v apperr.Validation
	addr := NormalizeEmail(email)
	switch {
	case addr == "":
		v.Add("email", "form.error.email")
	case addr == u.Email:
		v.Add("email", "account.error.email_same")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.check(ctx, loginLimitAccount, u.Email); err != nil {
		return err
	}
	if err := s.checkCurrent(ctx, u, "email_password", password); err != nil {
		return err
	}
	other, _, err := s.store.UserByEmail(ctx, addr)
	switch {
	case err == nil:
		return s.send(ctx, other.Lang, addr, "account.mail.exists", map[string]any{"Link": s.baseURL + "/anmelden"})
	case !apperr.Is(err, apperr.NotFound):
		return err
	}
	secret, hash := newToken()
	err = s.store.AddToken(ctx, u.ID, NewToken{Hash: hash, Purpose: PurposeEmailChange, Email: addr, Expires: s.Now().UTC().Add(ConfirmLifetime)},
		s.audit(u.ID, u.Email, "account.email_change_requested", "user", u.ID, m, map[string]any{"new_email": addr}))
	if err != nil {
		return err
	}
	return s.send(ctx, u.Lang, addr, "account.mail.email_change", map[string]any{"Link": s.baseURL + "/konto/email-bestaetigen/" + secret})
}

// ConfirmEmailChange makes the link's address the account's address.
func (s *Service) ConfirmEmailChange(ctx context.Context, secret string, m Meta) (User, error) {
	u, err := s.store.RedeemToken(ctx, HashToken(secret), Redeem{Purpose: PurposeEmailChange, ChangeEmail: true,
		Audit: s.audit("", "", "account.email_changed", "user", "", m, nil)})
	switch {
	case apperr.Is(err, apperr.NotFound):
		return User{}, apperr.Wrap(err, apperr.NotFound, "account.error.link_invalid")
	case apperr.Is(err, apperr.Conflict):
		return User{}, apperr.Wrap(err, apperr.Conflict, "account.error.email_taken")
	}
	return u, err
}
