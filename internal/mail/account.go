package mail

import (
	"context"

	"github.com/smartregions/smartregions/internal/account"
)

// Accounts lets the account service send its mails through s.
func Accounts(s *Service) account.Mailer { return accountMailer{s} }

type accountMailer struct{ s *Service }

func (m accountMailer) Send(ctx context.Context, msg account.Mail) error {
	return m.s.Send(ctx, Message(msg))
}
