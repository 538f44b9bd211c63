package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func newSaved(u account.User, name string) alert.SavedSearch {
	return alert.SavedSearch{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Name: name, Query: "q=" + name, Lang: "de"}
}

func TestSavedSearches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		eva, bob := mustUser(t, db, "eva@ulm.de", "Eva"), mustUser(t, db, "bob@ulm.de", "Bob")
		a, b := newSaved(eva, "Parken"), newSaved(eva, "Daten")
		for _, s := range []alert.SavedSearch{a, b} {
			if err := db.CreateSavedSearch(ctx, s, 2); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("ErrLimit", func(t *testing.T) {
			err := db.CreateSavedSearch(ctx, newSaved(eva, "Drei"), 2)
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("third search: %v, want conflict", err)
			}
			if err := db.CreateSavedSearch(ctx, newSaved(bob, "Bob"), 2); err != nil {
				t.Errorf("another user's first: %v", err)
			}
		})

		t.Run("OK", func(t *testing.T) {
			l, err := db.SavedSearches(ctx, eva.ID)
			if err != nil || len(l) != 2 || l[0].ID != a.ID || l[1].ID != b.ID {
				t.Fatalf("list %+v %v", l, err)
			}
			if l[0].Name != "Parken" || l[0].Query != "q=Parken" || l[0].Lang != "de" || l[0].Paused || l[0].LastRun != nil || l[0].Created.IsZero() {
				t.Errorf("stored %+v", l[0])
			}
			if got, err := db.SavedSearch(ctx, eva.ID, a.ID); err != nil || got.ID != a.ID {
				t.Errorf("get: %+v %v", got, err)
			}
		})

		t.Run("ErrNotFound for another user", func(t *testing.T) {
			if _, err := db.SavedSearch(ctx, bob.ID, a.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("get: %v", err)
			}
			if _, err := db.DeleteSavedSearch(ctx, bob.ID, a.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("delete: %v", err)
			}
			if err := db.PauseSavedSearch(ctx, bob.ID, a.ID, true); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("pause: %v", err)
			}
			if got, _ := db.SavedSearch(ctx, eva.ID, a.ID); got.Paused {
				t.Error("another user paused the search")
			}
		})

		t.Run("pause and resume", func(t *testing.T) {
			if err := db.PauseSavedSearch(ctx, eva.ID, a.ID, true); err != nil {
				t.Fatal(err)
			}
			if got, _ := db.SavedSearch(ctx, eva.ID, a.ID); !got.Paused || got.LastRun != nil {
				t.Errorf("paused: %+v", got)
			}
			if err := db.PauseSavedSearch(ctx, eva.ID, a.ID, false); err != nil {
				t.Fatal(err)
			}
			if got, _ := db.SavedSearch(ctx, eva.ID, a.ID); got.Paused || got.LastRun == nil {
				t.Errorf("resumed: %+v, want a fresh start", got)
			}
			// Resuming an active search does not move its start.
			if err := db.PauseSavedSearch(ctx, eva.ID, b.ID, false); err != nil {
				t.Fatal(err)
			}
			if got, _ := db.SavedSearch(ctx, eva.ID, b.ID); got.LastRun != nil {
				t.Errorf("active search resumed: %+v", got)
			}
		})

		t.Run("due users", func(t *testing.T) {
			now := time.Now().UTC()
			ids, err := db.DueAlertUsers(ctx, now, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{eva.ID, bob.ID}
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Errorf("due users %v, want %v", ids, want)
			}
			if ids, _ := db.DueAlertUsers(ctx, now, want[0], 10); !slices.Equal(ids, want[1:]) {
				t.Errorf("after %s: %v", want[0], ids)
			}
			to, due, err := db.DueSavedSearches(ctx, eva.ID, now)
			if err != nil || to.Email != eva.Email || to.Lang != "de" || len(due) != 2 {
				t.Errorf("due searches of eva: %+v %+v %v", to, due, err)
			}
			// Not run since an hour ago: the resumed search has.
			if _, due, _ := db.DueSavedSearches(ctx, eva.ID, now.Add(-time.Hour)); len(due) != 1 || due[0].ID != b.ID {
				t.Errorf("due an hour ago: %+v", due)
			}
		})

		t.Run("record a run once, with its mail and tokens", func(t *testing.T) {
			at := time.Now().UTC().Truncate(time.Second)
			out := mail.Outgoing{Mail: mail.Mail{ID: uuid.Must(uuid.NewV7()).String(), Status: mail.StatusStored,
				Message: mail.Message{To: eva.Email, Subject: "Neu", Text: "x", Lang: "de", Kind: "alert.saved_searches"}}}
			run := alert.Run{UserID: eva.ID, At: at, Runs: map[string]int{b.ID: 0}, Sent: []string{b.ID},
				Tokens: map[string]string{b.ID: account.HashToken("geheim")}, Mail: &out, MailedAfter: at.Add(-alert.RunEvery)}
			ok, err := db.RecordRun(ctx, run)
			if err != nil || !ok {
				t.Fatalf("record: %v %v", ok, err)
			}
			got, _ := db.SavedSearch(ctx, eva.ID, b.ID)
			if got.Runs != 1 || got.LastRun == nil || !got.LastRun.Equal(at) || got.LastSent == nil || !got.LastSent.Equal(at) {
				t.Errorf("recorded %+v", got)
			}
			if m, err := db.Mail(ctx, out.Mail.ID); err != nil || m.To != eva.Email {
				t.Errorf("mail: %+v %v", m, err)
			}
			// The same run again (a concurrent sweep read runs = 0 too).
			again := run
			out2 := out
			out2.Mail.ID = uuid.Must(uuid.NewV7()).String()
			again.Mail, again.Tokens = &out2, map[string]string{b.ID: account.HashToken("anders")}
			if ok, err := db.RecordRun(ctx, again); err != nil || ok {
				t.Errorf("second record: %v %v, want false", ok, err)
			}
			if _, err := db.Mail(ctx, out2.Mail.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("mail of the refused run: %v", err)
			}
			if _, err := db.SavedSearchByToken(ctx, account.HashToken("anders")); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("token of the refused run: %v", err)
			}
			// A fresh read, but a mail went out within the day.
			again.Runs = map[string]int{b.ID: 1}
			if ok, err := db.RecordRun(ctx, again); err != nil || ok {
				t.Errorf("second mail of the day: %v %v, want false", ok, err)
			}
			// Without a mail the run is recorded.
			again.Mail, again.Sent, again.Tokens = nil, nil, nil
			if ok, err := db.RecordRun(ctx, again); err != nil || !ok {
				t.Errorf("run without mail: %v %v", ok, err)
			}
		})

		t.Run("unsubscribe by token", func(t *testing.T) {
			hash := account.HashToken("geheim")
			if got, err := db.SavedSearchByToken(ctx, hash); err != nil || got.ID != b.ID || got.Paused {
				t.Fatalf("by token: %+v %v", got, err)
			}
			if _, err := db.UnsubscribeSavedSearch(ctx, account.HashToken("falsch")); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("wrong token: %v", err)
			}
			got, err := db.UnsubscribeSavedSearch(ctx, hash)
			if err != nil || got.ID != b.ID || !got.Paused {
				t.Fatalf("unsubscribe: %+v %v", got, err)
			}
			if _, due, _ := db.DueSavedSearches(ctx, eva.ID, time.Now().UTC().Add(time.Hour)); slices.ContainsFunc(due, func(s alert.SavedSearch) bool { return s.ID == b.ID }) {
				t.Error("an unsubscribed search is due")
			}
		})

		t.Run("delete", func(t *testing.T) {
			got, err := db.DeleteSavedSearch(ctx, eva.ID, b.ID)
			if err != nil || got.ID != b.ID {
				t.Fatalf("delete: %+v %v", got, err)
			}
			if _, err := db.SavedSearchByToken(ctx, account.HashToken("geheim")); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("token of a deleted search: %v", err)
			}
		})

		t.Run("deleted with the account", func(t *testing.T) {
			if err := db.DeleteUser(ctx, eva.ID, audit(eva, "account.deleted", "user", eva.ID, nil)); err != nil {
				t.Fatal(err)
			}
			if l, err := db.SavedSearches(ctx, eva.ID); err != nil || len(l) != 0 {
				t.Errorf("searches of a deleted account: %+v %v", l, err)
			}
		})
	})
}

func TestNewlyPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		sol, _, _ := usageFixture(t, db) // published now
		ids := func(since, until time.Time) []string {
			t.Helper()
			l, err := db.NewlyPublished(ctx, since, until)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range l {
				out = append(out, p.ID)
			}
			return out
		}
		now := time.Now().UTC()
		if got := ids(now.Add(-time.Hour), now.Add(time.Hour)); !slices.Equal(got, []string{sol.ID}) {
			t.Errorf("published within the hour: %v, want %s", got, sol.ID)
		}
		if got := ids(now.Add(time.Hour), now.Add(2*time.Hour)); len(got) != 0 {
			t.Errorf("nothing published later: %v", got)
		}
		// A new version published later does not make it new again.
		db.Now = func() time.Time { return now.Add(3 * time.Hour) }
		cur, err := db.SolutionBySlug(ctx, sol.Slug)
		if err != nil {
			t.Fatal(err)
		}
		e := cur.Published.Entry
		e.Short = "Neu"
		if err := db.SaveWorking(ctx, cur.ID, cur.Lock, e, "", account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		cur, _ = db.SolutionBySlug(ctx, sol.Slug)
		if err := db.SetWorkingState(ctx, cur.ID, cur.Lock, []string{catalog.Draft}, catalog.Submitted, "", "", account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		cur, _ = db.SolutionBySlug(ctx, sol.Slug)
		if err := db.PublishWorking(ctx, cur.ID, cur.Lock, "", account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if got := ids(now.Add(2*time.Hour), now.Add(4*time.Hour)); len(got) != 0 {
			t.Errorf("republished: %v, want nothing", got)
		}
		if got := ids(now.Add(-time.Hour), now.Add(4*time.Hour)); !slices.Equal(got, []string{sol.ID}) {
			t.Errorf("first published: %v", got)
		}
		cur, _ = db.SolutionBySlug(ctx, sol.Slug)
		if err := db.Archive(ctx, cur.ID, cur.Lock, "test", account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if got := ids(now.Add(-time.Hour), now.Add(4*time.Hour)); len(got) != 0 {
			t.Errorf("archived: %v, want nothing", got)
		}
	})
}
