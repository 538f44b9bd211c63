package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// eventNotify composes a plain mail per notice, as the service does.
func eventNotify(n event.Notice, e event.Event, r event.Registration) (mail.Outgoing, error) {
	return mail.Outgoing{Mail: mail.Mail{Message: mail.Message{To: r.Email, Subject: string(n) + ": " + e.Title,
		Text: fmt.Sprintf("%s %d", n, r.Position), Lang: "de", Kind: "event." + string(n)}, ID: uuid.Must(uuid.NewV7()).String(),
		Status: mail.StatusStored}}, nil
}

// mustEvent stores a published event starting in a week.
func mustEvent(t *testing.T, db *store.DB, by account.User, capacity int) event.Event {
	t.Helper()
	start := time.Now().UTC().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	e, err := db.CreateEvent(t.Context(), event.Event{ID: uuid.Must(uuid.NewV7()).String(), Slug: "schulung", Title: "Schulung",
		Kind: event.Training, Format: event.Online, OnlineURL: "https://meet.example/x", Start: start, End: start.Add(2 * time.Hour),
		Deadline: start.Add(-time.Hour), Capacity: capacity, State: event.Published, CreatedBy: by.ID,
		Materials: []event.Link{{Label: "Folien", URL: "https://example.org/folien.pdf"}}}, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// mailsTo returns the kinds of the outbox mails to addr.
func mailsTo(t *testing.T, db *store.DB, addr string) []string {
	t.Helper()
	list, _, err := db.Mails(t.Context(), 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, m := range list {
		if m.To == addr {
			kinds = append(kinds, m.Kind)
		}
	}
	return kinds
}

func TestEventCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		curator := mustUser(t, db, "kurt@example.org", "Kurt", account.Curator)
		e := mustEvent(t, db, curator, 10)
		again := mustEvent(t, db, curator, 10)
		if e.Slug != "schulung" || again.Slug != "schulung-2" {
			t.Errorf("slugs %q, %q", e.Slug, again.Slug)
		}
		got, err := db.EventBySlug(ctx, "schulung")
		if err != nil {
			t.Fatal(err)
		}
		if !got.Start.Equal(e.Start) || got.Start.Location() != time.UTC || len(got.Materials) != 1 || got.Materials[0].Label != "Folien" || got.Lock != 0 {
			t.Errorf("read back %+v", got)
		}
		if _, err := db.EventBySlug(ctx, "nichts"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown slug: %v", err)
		}
		// Optimistic locking.
		got.Title = "Neu"
		up, err := db.UpdateEvent(ctx, got, 0, eventNotify, account.AuditEntry{})
		if err != nil || up.Title != "Neu" || up.Lock != 1 {
			t.Fatalf("update: %+v %v", up, err)
		}
		if _, err := db.UpdateEvent(ctx, got, 0, eventNotify, account.AuditEntry{}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale update: %v", err)
		}
		// Lists: upcoming, drafts hidden, paging by cursor.
		p, err := db.Events(ctx, event.Query{From: time.Now(), Limit: 1})
		if err != nil || len(p.Items) != 1 || p.Next == nil || p.Total != 2 {
			t.Fatalf("page 1: %+v %v", p, err)
		}
		p2, err := db.Events(ctx, event.Query{From: time.Now(), Limit: 1, After: p.Next})
		if err != nil || len(p2.Items) != 1 || p2.Next != nil || p2.Items[0].ID == p.Items[0].ID {
			t.Fatalf("page 2: %+v %v", p2, err)
		}
		past, err := db.Events(ctx, event.Query{From: time.Now(), Past: true, Limit: 10})
		if err != nil || len(past.Items) != 0 {
			t.Errorf("past: %+v %v", past, err)
		}
		// A cursor after every event: an empty page.
		if p3, err := db.Events(ctx, event.Query{From: time.Now(), Limit: 1, After: &event.Cursor{Start: e.Start.Add(time.Hour), ID: e.ID}}); err != nil || len(p3.Items) != 0 {
			t.Errorf("cursor after the last: %+v %v", p3, err)
		}
	})
}

// TestEventRegistrationRace: 50 people register at once for the last 5
// places; exactly 5 get one and 45 wait, in positions 1..45.
func TestEventRegistrationRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		curator := mustUser(t, db, "kurt@example.org", "Kurt", account.Curator)
		e := mustEvent(t, db, curator, 5)
		const n = 50
		users := make([]account.User, n)
		for i := range users {
			users[i] = mustUser(t, db, fmt.Sprintf("p%02d@example.org", i), fmt.Sprintf("Person %d", i))
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, n)
		for _, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := db.Register(ctx, event.Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: u.ID}, eventNotify)
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		regs, err := db.Registrations(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		confirmed, waiting := 0, 0
		var first event.Registration
		for _, r := range regs {
			switch r.Status {
			case event.Confirmed:
				confirmed++
				if r.Position != 0 {
					t.Errorf("confirmed %s has position %d", r.Email, r.Position)
				}
			case event.Waitlisted:
				waiting++
				if r.Position != waiting {
					t.Errorf("waiting %s has position %d, want %d", r.Email, r.Position, waiting)
				}
				if waiting == 1 {
					first = r
				}
			}
		}
		if confirmed != 5 || waiting != 45 || len(regs) != n {
			t.Fatalf("%d confirmed, %d waiting of %d, want 5 and 45", confirmed, waiting, len(regs))
		}
		got, _ := db.EventBySlug(ctx, e.Slug)
		if got.Confirmed != 5 || got.Waitlisted != 45 || got.PlacesLeft() != 0 {
			t.Errorf("counts %d/%d", got.Confirmed, got.Waitlisted)
		}
		// Each got one mail: a place or the waiting list.
		if kinds := mailsTo(t, db, first.Email); len(kinds) != 1 || kinds[0] != "event.waitlisted" {
			t.Errorf("mails to the first waiting: %v", kinds)
		}

		// A confirmed person cancels: number 1 moves up in the same
		// transaction, with a mail; the others move one position up.
		var leaver event.Registration
		for _, r := range regs {
			if r.Status == event.Confirmed {
				leaver = r
				break
			}
		}
		out, err := db.Unregister(ctx, e.ID, leaver.UserID, eventNotify)
		if err != nil || out.Status != event.Withdrawn || out.Cancelled == nil {
			t.Fatalf("unregister: %+v %v", out, err)
		}
		moved, err := db.RegistrationOf(ctx, e.ID, first.UserID)
		if err != nil || moved.Status != event.Confirmed || moved.Promoted == nil {
			t.Fatalf("first waiting after cancellation: %+v %v", moved, err)
		}
		if kinds := mailsTo(t, db, first.Email); len(kinds) != 2 || kinds[0] != "event.promoted" {
			t.Errorf("mails to the one moved up: %v", kinds)
		}
		regs, _ = db.Registrations(ctx, e.ID)
		if last := regs[len(regs)-1]; last.Position != 44 {
			t.Errorf("last position %d, want 44", last.Position)
		}
		// Not registered any more: a second cancellation is refused.
		if _, err := db.Unregister(ctx, e.ID, leaver.UserID, eventNotify); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("second cancellation: %v", err)
		}
		// Registering again puts them at the end of the waiting list.
		again, err := db.Register(ctx, event.Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: leaver.UserID}, eventNotify)
		if err != nil || again.Status != event.Waitlisted || again.Position != 45 || again.ID != leaver.ID {
			t.Errorf("register again: %+v %v", again, err)
		}
		if _, err := db.Register(ctx, event.Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: leaver.UserID}, eventNotify); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("duplicate registration: %v", err)
		}
		// Fewer places than confirmed: refused; more: the list moves up.
		got, _ = db.EventBySlug(ctx, e.Slug)
		got.Capacity = 4
		if _, err := db.UpdateEvent(ctx, got, got.Lock, eventNotify, account.AuditEntry{}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("capacity below confirmed: %v", err)
		}
		got.Capacity = 7
		up, err := db.UpdateEvent(ctx, got, got.Lock, eventNotify, account.AuditEntry{})
		if err != nil || up.Confirmed != 7 || up.Waitlisted != 43 {
			t.Errorf("capacity raised: %d/%d %v", up.Confirmed, up.Waitlisted, err)
		}
	})
}

func TestEventRegistrationRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		curator := mustUser(t, db, "kurt@example.org", "Kurt", account.Curator)
		eva := mustUser(t, db, "eva@example.org", "Eva")
		bob := mustUser(t, db, "bob@example.org", "Bob")
		e := mustEvent(t, db, curator, 1)
		reg := func(u account.User) error {
			_, err := db.Register(ctx, event.Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: u.ID}, eventNotify)
			return err
		}
		if err := reg(eva); err != nil {
			t.Fatal(err)
		}
		if err := reg(bob); err != nil {
			t.Fatal(err)
		}
		// After the deadline, and after the start.
		real := db.Now
		db.Now = func() time.Time { return e.Deadline.Add(time.Minute) }
		if err := reg(curator); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("after the deadline: %v", err)
		}
		db.Now = func() time.Time { return e.Start.Add(time.Minute) }
		if _, err := db.Unregister(ctx, e.ID, eva.ID, eventNotify); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("cancellation after the start: %v", err)
		}
		db.Now = real
		// The organiser cancels: every registrant gets a mail.
		if err := db.CancelEvent(ctx, e.ID, e.Lock, eventNotify, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		for _, u := range []account.User{eva, bob} {
			kinds := mailsTo(t, db, u.Email)
			if len(kinds) != 2 || kinds[0] != "event.cancelled" {
				t.Errorf("mails to %s: %v", u.Email, kinds)
			}
		}
		if err := reg(curator); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("cancelled event: %v", err)
		}
	})
}

func TestEventDueNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		curator := mustUser(t, db, "kurt@example.org", "Kurt", account.Curator)
		eva := mustUser(t, db, "eva@example.org", "Eva")
		bob := mustUser(t, db, "bob@example.org", "Bob")
		e := mustEvent(t, db, curator, 1)
		for _, u := range []account.User{eva, bob} {
			if _, err := db.Register(ctx, event.Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: u.ID}, eventNotify); err != nil {
				t.Fatal(err)
			}
		}
		// Too early for the reminder.
		now := e.Start.Add(-48 * time.Hour)
		if due, err := db.DueNotices(ctx, now, now.Add(24*time.Hour), 10); err != nil || len(due) != 0 {
			t.Fatalf("two days before: %+v %v", due, err)
		}
		// Eva deletes her account: Bob moves up, his mail is owed.
		if err := db.DeleteUser(ctx, eva.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		due, err := db.DueNotices(ctx, now, now.Add(24*time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].Notice != event.NoticePromoted || due[0].UserID != bob.ID || due[0].Event.ID != e.ID {
			t.Fatalf("after the deletion: %+v %v", due, err)
		}
		out, _ := eventNotify(due[0].Notice, due[0].Event, due[0].Registration)
		if ok, err := db.MarkNotice(ctx, due[0].ID, due[0].Notice, out); !ok || err != nil {
			t.Fatalf("mark: %v %v", ok, err)
		}
		if ok, _ := db.MarkNotice(ctx, due[0].ID, due[0].Notice, out); ok {
			t.Error("marked twice")
		}
		// A day before: the reminder, once.
		now = e.Start.Add(-23 * time.Hour)
		due, err = db.DueNotices(ctx, now, now.Add(24*time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].Notice != event.NoticeReminder {
			t.Fatalf("a day before: %+v %v", due, err)
		}
		out, _ = eventNotify(due[0].Notice, due[0].Event, due[0].Registration)
		if ok, err := db.MarkNotice(ctx, due[0].ID, due[0].Notice, out); !ok || err != nil {
			t.Fatalf("mark reminder: %v %v", ok, err)
		}
		if due, _ := db.DueNotices(ctx, now, now.Add(24*time.Hour), 10); len(due) != 0 {
			t.Errorf("reminder due again: %+v", due)
		}
		if kinds := mailsTo(t, db, bob.Email); len(kinds) != 3 {
			t.Errorf("mails to bob: %v", kinds)
		}
		if mine, err := db.UserRegistrations(ctx, bob.ID); err != nil || len(mine) != 1 || mine[0].Event.Slug != e.Slug || mine[0].Reminded == nil {
			t.Errorf("bob's registrations: %+v %v", mine, err)
		}
		if mine, err := db.UserRegistrations(ctx, eva.ID); err != nil || len(mine) != 0 {
			t.Errorf("eva's registrations after deletion: %+v %v", mine, err)
		}
	})
}

// TestEventLateRegistration: a place confirmed within a day of the start
// gets no separate reminder; its confirmation says it all.
func TestEventLateRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		curator := mustUser(t, db, "kurt@example.org", "Kurt", account.Curator)
		eva := mustUser(t, db, "eva@example.org", "Eva")
		e := mustEvent(t, db, curator, 5)
		real := db.Now
		db.Now = func() time.Time { return e.Start.Add(-3 * time.Hour) }
		defer func() { db.Now = real }()
		r, err := db.Register(ctx, event.Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: eva.ID}, eventNotify)
		if err != nil || r.Reminded == nil {
			t.Fatalf("late registration: %+v %v", r, err)
		}
		now := db.Now()
		if due, err := db.DueNotices(ctx, now, now.Add(24*time.Hour), 10); err != nil || len(due) != 0 {
			t.Errorf("due after a late registration: %+v %v", due, err)
		}
	})
}

func TestEventFeedback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		curator := mustUser(t, db, "kurt@example.org", "Kurt", account.Curator)
		eva := mustUser(t, db, "eva@example.org", "Eva")
		bob := mustUser(t, db, "bob@example.org", "Bob")
		e := mustEvent(t, db, curator, 1)
		for _, u := range []account.User{eva, bob} { // bob waits
			if _, err := db.Register(ctx, event.Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: u.ID}, eventNotify); err != nil {
				t.Fatal(err)
			}
		}
		fb := func(u account.User, rating int) error {
			return db.AddEventFeedback(ctx, event.Feedback{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: u.ID, Rating: rating, Comment: "Gut erklärt"})
		}
		if err := fb(eva, 4); err != nil {
			t.Fatal(err)
		}
		if err := fb(eva, 5); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second feedback: %v", err)
		}
		if err := fb(bob, 5); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("feedback from the waiting list: %v", err)
		}
		if err := fb(curator, 5); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("feedback without a registration: %v", err)
		}
		list, err := db.EventFeedbacks(ctx, e.ID)
		if err != nil || len(list) != 1 || list[0].Rating != 4 || list[0].UserID != eva.ID {
			t.Errorf("feedback: %+v %v", list, err)
		}
		if own, err := db.EventFeedbackOf(ctx, e.ID, bob.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("bob's feedback: %+v %v", own, err)
		}
		if err := db.DeleteUser(ctx, eva.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.UserEventFeedback(ctx, eva.ID); len(list) != 0 {
			t.Errorf("feedback kept after the account was deleted: %+v", list)
		}
	})
}
