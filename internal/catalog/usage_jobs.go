package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/jobs/sweep"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
)

// FollowUp is a declaration whose follow-up review is due.
type FollowUp struct {
	Declaration  Declaration
	SolutionSlug string
	SolutionName string
}

// Stage returns which follow-up is due at due6/due12 (see
// UsageStore.DueFollowUps): 12 when the twelve-month one is, else 6.
func (f FollowUp) Stage(due12 time.Time) int {
	if f.Declaration.FollowUp12 == nil && !f.Declaration.Created.After(due12) {
		return 12
	}
	return 6
}

// followUpBatch is how many due declarations the sweep reads at a time.
const followUpBatch = 100

// SendDueFollowUps asks the admins of each municipality whose verified,
// current declaration is six or twelve months old by mail for a short
// follow-up review (a link to the report form). Each follow-up is
// recorded with its mails in one transaction, so a repeated or concurrent
// sweep never mails twice; a declaration that is twelve months old
// without its six-month follow-up gets only the twelve-month one. It
// returns how many follow-ups it sent.
func (s *Usage) SendDueFollowUps(ctx context.Context, now time.Time) (int, error) {
	if s.outbox == nil {
		return 0, fmt.Errorf("catalog: follow-ups: no outbox")
	}
	now = now.UTC()
	due6, due12 := now.AddDate(0, -6, 0), now.AddDate(0, -12, 0)
	sent := 0
	for {
		due, err := s.store.DueFollowUps(ctx, due6, due12, followUpBatch)
		if err != nil {
			return sent, fmt.Errorf("catalog: follow-ups: %w", err)
		}
		for _, f := range due {
			marked, err := s.followUp(ctx, f, f.Stage(due12))
			if err != nil {
				return sent, err
			}
			if marked {
				sent++
			}
		}
		// Every declaration read is recorded now (by this sweep or a
		// concurrent one), so a short batch is the last.
		if len(due) < followUpBatch {
			return sent, nil
		}
	}
}

// followUp mails the admins of f's municipality and records the stage.
func (s *Usage) followUp(ctx context.Context, f FollowUp, stage int) (bool, error) {
	d := f.Declaration
	members, err := s.orgs.Members(ctx, d.Org.ID)
	if err != nil {
		return false, fmt.Errorf("catalog: follow-up %s: %w", d.ID, err)
	}
	kv := []any{"Solution", f.SolutionName, "Org", d.Org.Name, "Months", stage, "Since", d.SinceLabel(),
		"Link", s.baseURL + "/loesungen/" + f.SolutionSlug + "/erfahrungsbericht?organisation=" + d.Org.Slug}
	var mails []mail.Outgoing
	for _, m := range members {
		if m.Role != org.Admin {
			continue
		}
		out, err := s.outbox.Prepare(mail.Message{To: m.Email, Lang: "de", Kind: "catalog.usage_followup",
			Subject: s.texts.T("de", "usage.mail.followup.subject", kv...), Text: s.texts.T("de", "usage.mail.followup.text", kv...)})
		if err != nil {
			return false, fmt.Errorf("catalog: follow-up %s: %w", d.ID, err)
		}
		mails = append(mails, out)
	}
	if len(mails) == 0 && s.log != nil {
		// Recorded all the same: the sweep must not return to it forever.
		s.log.Warn("follow-up without recipients", "usage", d.ID, "organisation", d.Org.Slug)
	}
	marked, err := s.store.MarkFollowUp(ctx, d.ID, stage, mails)
	if err != nil {
		return false, fmt.Errorf("catalog: follow-up %s: %w", d.ID, err)
	}
	return marked, nil
}

// FollowUpArgs is the periodic job that sends the due follow-up reviews.
type FollowUpArgs struct{}

// Kind names the job for River.
func (FollowUpArgs) Kind() string { return "catalog.usage_followups" }

// InsertOpts makes the sweep unique per hour.
func (FollowUpArgs) InsertOpts() river.InsertOpts { return sweep.UniquePerHour() }

// NewFollowUpWorker returns the worker that sends the follow-ups due now.
// Register it with river.AddWorker and schedule FollowUpArgs periodically
// (daily is plenty); the sweep is idempotent, so a retried or doubled job
// sends nothing twice.
func NewFollowUpWorker(u *Usage) *sweep.Worker[FollowUpArgs] {
	return sweep.New[FollowUpArgs](func(ctx context.Context) (int, error) { return u.SendDueFollowUps(ctx, u.Now()) }, u.log,
		"follow-up reviews requested")
}
