package catalog

import (
	"context"
	"fmt"
)

// Notifier leaves in-app notifications; the notification centre
// (package notify) is one. The kind of the curators' decisions is
// "catalog.review", the actions "published" and "changes".
type Notifier interface {
	Notify(ctx context.Context, userID, kind, action, title, link string) error
}

// WithNotifier makes the service notify every member of the providing
// organisation of the curators' decisions.
func (s *Solutions) WithNotifier(n Notifier) *Solutions {
	s.notifier = n
	return s
}

// notifyReview tells the organisation's members of a decision. It runs
// after the decision's transaction, like the mails to the admins: the
// decision stands when a notification fails; the error is returned so the
// caller can log it.
func (s *Solutions) notifyReview(ctx context.Context, sol Solution, action string) error {
	if s.notifier == nil {
		return nil
	}
	members, err := s.orgs.Members(ctx, sol.OrgID)
	if err != nil {
		return fmt.Errorf("catalog: review notification: %w", err)
	}
	name := sol.Current().Entry.Name
	if sol.Working != nil && sol.Working.Entry.Name != "" {
		name = sol.Working.Entry.Name
	}
	for _, m := range members {
		if err := s.notifier.Notify(ctx, m.UserID, "catalog.review", action, name, "/loesungen/"+sol.Slug); err != nil {
			return fmt.Errorf("catalog: review notification: %w", err)
		}
	}
	return nil
}
