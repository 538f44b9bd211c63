package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// actions returns the kind.action of every notification of a user,
// newest first.
func notificationActions(t *testing.T, db *store.DB, userID string) []string {
	t.Helper()
	l, _, err := db.Notifications(t.Context(), userID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range l {
		out = append(out, n.Kind+"."+n.Action)
	}
	return out
}

// TestEventChangeNotifications: a change of an event adds a notification
// for every active registrant in the change's transaction, with the
// event's own mail as the mail at once, as each one chose.
func TestEventChangeNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		curator := mustUser(t, db, "kurt@example.org", "Kurt", account.Curator)
		eva := mustUser(t, db, "eva@example.org", "Eva") // confirmed, mail at once (default)
		max := mustUser(t, db, "max@example.org", "Max") // wait-listed, mail off
		ida := mustUser(t, db, "ida@example.org", "Ida") // registered, then withdrawn
		e := mustEvent(t, db, curator, 1)
		for _, u := range []account.User{eva, max, ida} {
			if _, err := db.Register(ctx, event.Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: u.ID}, eventNotify); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Unregister(ctx, e.ID, ida.ID, eventNotify); err != nil {
			t.Fatal(err)
		}
		if err := db.SetNotificationPrefs(ctx, max.ID, map[string]notify.Mail{notify.KindEventChanged: notify.Off}); err != nil {
			t.Fatal(err)
		}
		e, _ = db.EventBySlug(ctx, e.Slug)

		t.Run("RollbackTogether", func(t *testing.T) {
			moved := e
			moved.Start, moved.End = e.Start.Add(time.Hour), e.End.Add(time.Hour)
			failing := func(n event.Notice, ev event.Event, r event.Registration) (mail.Outgoing, error) {
				return mail.Outgoing{}, errors.New("no mail")
			}
			if _, err := db.UpdateEvent(ctx, moved, e.Lock, failing, account.AuditEntry{}); err == nil {
				t.Fatal("update with a failing mail succeeded")
			}
			got, _ := db.EventBySlug(ctx, e.Slug)
			if !got.Start.Equal(e.Start) || got.Lock != e.Lock {
				t.Errorf("event changed although its notification failed: %+v", got)
			}
			if a := notificationActions(t, db, eva.ID); len(a) != 0 {
				t.Errorf("notifications kept: %v", a)
			}
		})

		t.Run("TitleOnly", func(t *testing.T) {
			renamed := e
			renamed.Title = "Schulung Datenschutz"
			up, err := db.UpdateEvent(ctx, renamed, e.Lock, eventNotify, account.AuditEntry{})
			if err != nil {
				t.Fatal(err)
			}
			e = up
			if a := notificationActions(t, db, eva.ID); len(a) != 0 {
				t.Errorf("a new title is no change for registrants: %v", a)
			}
		})

		t.Run("Moved", func(t *testing.T) {
			moved := e
			moved.Start, moved.End = e.Start.Add(time.Hour), e.End.Add(time.Hour)
			moved.Materials = append(moved.Materials, event.Link{Label: "Neu", URL: "https://example.org/neu.pdf"})
			up, err := db.UpdateEvent(ctx, moved, e.Lock, eventNotify, account.AuditEntry{})
			if err != nil {
				t.Fatal(err)
			}
			e = up
			if a := notificationActions(t, db, eva.ID); !slices.Equal(a, []string{"event.changed.changed"}) {
				t.Errorf("eva: %v", a)
			}
			if a := notificationActions(t, db, max.ID); !slices.Equal(a, []string{"event.changed.changed"}) {
				t.Errorf("max: %v", a)
			}
			if a := notificationActions(t, db, ida.ID); len(a) != 0 {
				t.Errorf("withdrawn ida: %v", a)
			}
			if m := mailsTo(t, db, eva.Email); !slices.Equal(m, []string{"event.changed", "event.confirmed"}) {
				t.Errorf("mails to eva: %v", m)
			}
			if m := mailsTo(t, db, max.Email); !slices.Equal(m, []string{"event.waitlisted"}) {
				t.Errorf("mails to max (off): %v", m)
			}
		})

		t.Run("Materials", func(t *testing.T) {
			more := e
			more.Materials = append(more.Materials, event.Link{Label: "Aufzeichnung", URL: "https://example.org/video"})
			up, err := db.UpdateEvent(ctx, more, e.Lock, eventNotify, account.AuditEntry{})
			if err != nil {
				t.Fatal(err)
			}
			e = up
			if a := notificationActions(t, db, eva.ID); !slices.Equal(a, []string{"event.changed.materials", "event.changed.changed"}) {
				t.Errorf("eva: %v", a)
			}
		})

		t.Run("Cancelled", func(t *testing.T) {
			if err := db.CancelEvent(ctx, e.ID, e.Lock, eventNotify, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			if a := notificationActions(t, db, max.ID); len(a) != 3 || a[0] != "event.changed.cancelled" {
				t.Errorf("max: %v", a)
			}
			// One mail per change: the notification's mail is the
			// cancellation mail, there is no second one.
			if m := mailsTo(t, db, eva.Email); !slices.Equal(m, []string{"event.cancelled", "event.materials", "event.changed", "event.confirmed"}) {
				t.Errorf("mails to eva: %v", m)
			}
			if m := mailsTo(t, db, max.Email); !slices.Equal(m, []string{"event.waitlisted"}) {
				t.Errorf("mails to max (off): %v", m)
			}
		})
	})
}

// TestAdviceAnswerNotification: the answer's notification and its mail
// commit with the answer, or not at all.
func TestAdviceAnswerNotification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		asker := mustUser(t, db, "eva@musterstadt.de", "Eva")
		adv := mustUser(t, db, "ali@zentrum.de", "Ali", account.Advisor)
		o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "musterstadt", Kind: org.Municipality,
			Name: "Musterstadt"}, asker.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		r := mustAdvice(t, db, o, asker, adv.ID, advice.InProgress, time.Now().Add(time.Hour))
		change := func(from advice.State) advice.Change {
			out := mail.Outgoing{Mail: mail.Mail{ID: uuid.Must(uuid.NewV7()).String(), Status: mail.StatusStored,
				Message: mail.Message{To: asker.Email, Subject: "Antwort", Text: "Antwort", Lang: "de", Kind: "advice.answered"}}}
			return advice.Change{RequestID: r.ID, From: from, To: advice.Answered,
				Message: &advice.Message{ID: uuid.Must(uuid.NewV7()).String(), RequestID: r.ID, Author: advice.Person{ID: adv.ID}, Body: "So.", ByCentre: true},
				Notices: []notify.Pending{{Notification: notify.Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: asker.ID,
					Kind: notify.KindAdviceAnswer, Action: "answered", Title: r.Topic, Link: advice.Path(r)},
					Mail: func(notify.Recipient, []notify.Notification) (mail.Outgoing, error) { return out, nil }}},
				Audit: account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "advice.answered"}}
		}
		t.Run("ErrConflict", func(t *testing.T) {
			if err := db.ChangeAdvice(ctx, change(advice.Waiting)); !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("stale change: %v", err)
			}
			if a := notificationActions(t, db, asker.ID); len(a) != 0 {
				t.Errorf("notification of a refused change: %v", a)
			}
			if m := mailsTo(t, db, asker.Email); len(m) != 0 {
				t.Errorf("mail of a refused change: %v", m)
			}
		})
		t.Run("OK", func(t *testing.T) {
			if err := db.ChangeAdvice(ctx, change(advice.InProgress)); err != nil {
				t.Fatal(err)
			}
			l, unread, err := db.Notifications(ctx, asker.ID, 10)
			if err != nil || unread != 1 || len(l) != 1 || l[0].Link != "/beratung/"+r.ID || l[0].Title != r.Topic {
				t.Errorf("notifications %+v %d %v", l, unread, err)
			}
			if m := mailsTo(t, db, asker.Email); !slices.Equal(m, []string{"advice.answered"}) {
				t.Errorf("mails %v", m)
			}
			// Mailed at once (the default for answers): nothing waits for
			// the digest.
			if ids, err := db.DigestRecipients(ctx); err != nil || len(ids) != 0 {
				t.Errorf("digest recipients %v %v", ids, err)
			}
		})
	})
}

// TestSavedSearchRunNotification: a run with new matches adds one
// notification; its mail goes out unless the user turned it off.
func TestSavedSearchRunNotification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		for _, tc := range []struct {
			name   string
			choice notify.Mail
			mailed bool
		}{
			{"Default", "", true},
			{"Digest", notify.Digest, true},
			{"Off", notify.Off, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := mustUser(t, db, tc.name+"@ulm.de", tc.name)
				if tc.choice != "" {
					if err := db.SetNotificationPrefs(ctx, u.ID, map[string]notify.Mail{notify.KindAlertMatches: tc.choice}); err != nil {
						t.Fatal(err)
					}
				}
				s := newSaved(u, "Parken")
				if err := db.CreateSavedSearch(ctx, s, 5); err != nil {
					t.Fatal(err)
				}
				at := time.Now().UTC().Truncate(time.Second)
				out := mail.Outgoing{Mail: mail.Mail{ID: uuid.Must(uuid.NewV7()).String(), Status: mail.StatusStored,
					Message: mail.Message{To: u.Email, Subject: "Neu", Text: "x", Lang: "de", Kind: "alert.saved_searches"}}}
				run := alert.Run{UserID: u.ID, At: at, Runs: map[string]int{s.ID: 0}, Sent: []string{s.ID}, Mail: &out,
					MailedAfter: at.Add(-alert.RunEvery), Notice: &notify.Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID,
						Kind: notify.KindAlertMatches, Action: "found", Title: "Parken", Link: alert.Link(s)}}
				if ok, err := db.RecordRun(ctx, run); err != nil || !ok {
					t.Fatalf("record: %v %v", ok, err)
				}
				if a := notificationActions(t, db, u.ID); !slices.Equal(a, []string{"alert.matches.found"}) {
					t.Errorf("notifications %v", a)
				}
				if m := mailsTo(t, db, u.Email); len(m) == 1 != tc.mailed {
					t.Errorf("mails %v, want mailed %v", m, tc.mailed)
				}
				// The run's mail is the daily mail: nothing for the digest.
				if ids, _ := db.DigestRecipients(ctx); len(ids) != 0 {
					t.Errorf("digest recipients %v", ids)
				}
			})
		}
	})
}
