package account

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/apperr"
)

// DeleteAccount deletes the user's own account (GDPR Art. 17). The user
// confirms with the current password, or, for an account that signs on
// only through a provider and has none, by typing the account's e-mail
// address. Sessions, API tokens, linked identities, roles and the mails to
// the account go with it; the audit log keeps the user's entries under a
// neutral label. Content that belongs to organisations stays with them.
// Field errors: "delete_password", "delete_email"; apperr.Conflict when the
// account is the last operator's.
func (s *Service) DeleteAccount(ctx context.Context, u User, confirm string, m Meta) error {
	if err := s.check(ctx, loginLimitAccount, u.Email); err != nil {
		return err
	}
	var v apperr.Validation
	switch {
	case u.HasPassword && confirm == "":
		v.Add("delete_password", "form.error.required")
	case u.HasPassword:
		if err := s.checkCurrent(ctx, u, "delete_password", confirm); err != nil {
			return err
		}
	case confirm == "":
		v.Add("delete_email", "form.error.required")
	case NormalizeEmail(confirm) != u.Email:
		v.Add("delete_email", "account.error.delete_email")
	}
	if err := v.Err(); err != nil {
		return err
	}
	err := s.store.DeleteUser(ctx, u.ID, s.audit(u.ID, DeletedLabel, "account.deleted", "user", u.ID, m, nil))
	if err != nil {
		return fmt.Errorf("account: delete %s: %w", u.ID, err)
	}
	return nil
}
