package event

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/jobs/sweep"
	"github.com/smartregions/smartregions/internal/mail"
)

// When formats an event's time in Berlin for people: "12.05.2026,
// 10:00–12:00 Uhr" (de), "12 May 2026, 10:00–12:00 (Berlin time)" (en).
func When(e Event, lang string) string {
	s, t := e.Start.In(Berlin), e.End.In(Berlin)
	sameDay := s.Format("2006-01-02") == t.Format("2006-01-02")
	if lang == "en" {
		if sameDay {
			return s.Format("2 Jan 2006, 15:04") + "–" + t.Format("15:04") + " (Berlin time)"
		}
		return s.Format("2 Jan 2006, 15:04") + " – " + t.Format("2 Jan 2006, 15:04") + " (Berlin time)"
	}
	if sameDay {
		return s.Format("02.01.2006, 15:04") + "–" + t.Format("15:04") + " Uhr"
	}
	return s.Format("02.01.2006, 15:04") + " Uhr bis " + t.Format("02.01.2006, 15:04") + " Uhr"
}

// where says where the event takes place; the online address only for
// those with a place.
func (s *Service) where(e Event, lang string, withLink bool) string {
	var parts []string
	if e.OnSite() {
		parts = append(parts, strings.ReplaceAll(e.Address, "\n", ", "))
	}
	if e.IsOnline() {
		if withLink {
			parts = append(parts, s.texts.T(lang, "event.mail.online_at", "URL", e.OnlineURL))
		} else {
			parts = append(parts, s.texts.T(lang, "event.format.online"))
		}
	}
	return strings.Join(parts, "\n")
}

// notify composes the mail of notice n to r about e, in r's language.
func (s *Service) notify(n Notice, e Event, r Registration) (mail.Outgoing, error) {
	if s.outbox == nil {
		return mail.Outgoing{}, fmt.Errorf("event: mail: no outbox")
	}
	lang := r.Lang
	if lang != "en" {
		lang = "de"
	}
	// The online address only for those with a place.
	withLink := n == NoticeConfirmed || n == NoticePromoted || n == NoticeReminder || n == NoticeChanged && r.Status == Confirmed
	kv := []any{"Title", e.Title, "When", When(e, lang), "Where", s.where(e, lang, withLink), "Link", s.Link(e),
		"Position", r.Position, "Name", r.Label()}
	out, err := s.outbox.Prepare(mail.Message{To: r.Email, Lang: lang, Kind: "event." + string(n),
		Subject: s.texts.T(lang, "event.mail."+string(n)+".subject", kv...), Text: s.texts.T(lang, "event.mail."+string(n)+".text", kv...)})
	if err != nil {
		return out, fmt.Errorf("event: mail %s to registration %s: %w", n, r.ID, err)
	}
	return out, nil
}

// ReminderLead is how long before the start the reminder goes out.
const ReminderLead = 24 * time.Hour

// dueBatch is how many due mails the sweep reads at a time.
const dueBatch = 100

// SendDue sends the reminders of events that start within ReminderLead
// and the move-up mails that no transaction could write (a place freed by
// a deleted account). Each is recorded with its mail in one transaction,
// so a repeated or concurrent sweep never mails twice. It returns how many
// mails it sent.
func (s *Service) SendDue(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	sent := 0
	for {
		due, err := s.store.DueNotices(ctx, now, now.Add(ReminderLead), dueBatch)
		if err != nil {
			return sent, fmt.Errorf("event: due mails: %w", err)
		}
		for _, d := range due {
			out, err := s.notify(d.Notice, d.Event, d.Registration)
			if err != nil {
				return sent, err
			}
			marked, err := s.store.MarkNotice(ctx, d.ID, d.Notice, out)
			if err != nil {
				return sent, fmt.Errorf("event: due mail %s: %w", d.ID, err)
			}
			if marked {
				sent++
			}
		}
		// Everything read is recorded now (by this sweep or another), so
		// a short batch is the last.
		if len(due) < dueBatch {
			return sent, nil
		}
	}
}

// SweepArgs is the hourly job that sends reminders and owed move-up mails.
type SweepArgs struct{}

// Kind names the job for River.
func (SweepArgs) Kind() string { return "event.sweep" }

// InsertOpts makes the sweep unique per hour.
func (SweepArgs) InsertOpts() river.InsertOpts { return sweep.UniquePerHour() }

// NewSweepWorker returns the worker that sends the mails due now. The
// sweep is idempotent, so a retried or doubled job sends nothing twice.
func NewSweepWorker(s *Service) *sweep.Worker[SweepArgs] {
	return sweep.New[SweepArgs](func(ctx context.Context) (int, error) { return s.SendDue(ctx, s.Now()) }, s.log, "event reminders sent")
}
