package alert_test

import (
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestSweepNotifications: a run with new matches leaves one in-app
// notification per user linking to the search's results, newest first;
// the sweep's mail is its mail, and a user who turned the mail of
// saved-search matches off gets none.
func TestSweepNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		w := newWorld(t, db)
		eva := w.user("eva@ulm.de", "de", true)
		bob := w.user("bob@ulm.de", "de", true)
		if err := db.SetNotificationPrefs(ctx, bob.ID, map[string]notify.Mail{notify.KindAlertMatches: notify.Off}); err != nil {
			t.Fatal(err)
		}
		w.at(time.Hour)
		for _, owner := range []account.User{eva, bob} {
			if _, err := w.svc.Create(ctx, owner, "Parken", "q=Parken", "de"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.Create(ctx, eva, "Wetter", "q=Wetterstation", "de"); err != nil {
			t.Fatal(err)
		}
		w.at(time.Hour)
		w.publish("parkleitsystem", "Parkleitsystem Innenstadt")
		w.at(23 * time.Hour)
		if _, err := w.svc.Sweep(ctx, w.now); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name   string
			userID string
			email  string
			mails  int
		}{
			{"Default", eva.ID, eva.Email, 1},
			{"Off", bob.ID, bob.Email, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				l, unread, err := db.Notifications(ctx, tc.userID, 10)
				if err != nil || len(l) != 1 || unread != 1 {
					t.Fatalf("notifications %+v %d %v", l, unread, err)
				}
				n := l[0]
				if n.Kind != notify.KindAlertMatches || n.Action != "found" || n.Title != "Parken" || n.Link != "/loesungen?q=Parken&sort=neu" {
					t.Errorf("notification %+v", n)
				}
				if got := w.mailsTo(tc.email); len(got) != tc.mails {
					t.Errorf("%d mails, want %d", len(got), tc.mails)
				}
			})
		}
		// Nothing waits for the notification digest: the sweep's mail is
		// already daily.
		if ids, err := db.DigestRecipients(ctx); err != nil || len(ids) != 0 {
			t.Errorf("digest recipients %v %v", ids, err)
		}
		// The next run without news adds nothing.
		w.at(23 * time.Hour)
		if _, err := w.svc.Sweep(ctx, w.now); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := db.Notifications(ctx, eva.ID, 10); unread != 1 {
			t.Errorf("unread after a quiet run: %d", unread)
		}
	})
}
