package store_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func composeTest(to notify.Recipient, list []notify.Notification) (mail.Outgoing, error) {
	return mail.Outgoing{Mail: mail.Mail{Message: mail.Message{To: to.Email, Subject: list[0].Title, Text: "x", Lang: to.Lang,
		Kind: "notify.test"}, ID: uuid.Must(uuid.NewV7()).String(), Status: mail.StatusStored}}, nil
}

func mustNotify(t *testing.T, db *store.DB, userID, kind, title string) notify.Notification {
	t.Helper()
	n := notify.Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: userID, Kind: kind, Action: "published", Title: title, Link: "/loesungen/x"}
	if err := db.AddNotification(t.Context(), n, notify.Digest, composeTest); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		eva := mustUser(t, db, "eva@example.org", "Eva")
		mia := mustUser(t, db, "max@example.org", "Max")
		if err := db.SetNotificationPrefs(ctx, eva.ID, map[string]notify.Mail{notify.KindCatalogReview: notify.Immediate,
			notify.KindEventChanged: notify.Off}); err != nil {
			t.Fatal(err)
		}
		first := mustNotify(t, db, eva.ID, notify.KindCatalogReview, "Eins")  // mailed at once
		mustNotify(t, db, eva.ID, notify.KindEventChanged, "Zwei")            // no mail
		mustNotify(t, db, eva.ID, notify.KindAlertMatches, "Drei")            // digest (as passed)
		mustNotify(t, db, eva.ID, notify.KindAdviceAnswer, "Vier")            // digest (as passed)
		other := mustNotify(t, db, mia.ID, notify.KindCatalogReview, "Fremd") // digest (as passed)
		if got := mailsTo(t, db, "eva@example.org"); len(got) != 1 {
			t.Fatalf("immediate mails: %v", got)
		}

		t.Run("ListUnreadFirst", func(t *testing.T) {
			if err := db.MarkRead(ctx, eva.ID, first.ID); err != nil {
				t.Fatal(err)
			}
			l, unread, err := db.Notifications(ctx, eva.ID, 10)
			if err != nil || len(l) != 4 || unread != 3 || l[3].ID != first.ID || l[3].ReadAt == nil || l[0].Title != "Vier" {
				t.Fatalf("list: %+v %d %v", l, unread, err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if err := db.MarkRead(ctx, eva.ID, other.ID); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("another user's notification: %v", err)
			}
		})
		t.Run("DigestIdempotent", func(t *testing.T) {
			users, err := db.DigestRecipients(ctx)
			if err != nil || len(users) != 2 {
				t.Fatalf("recipients: %v %v", users, err)
			}
			for range 2 {
				for _, id := range users {
					if _, err := db.SendDigest(ctx, id, composeTest); err != nil {
						t.Fatal(err)
					}
				}
			}
			if got := mailsTo(t, db, "eva@example.org"); len(got) != 2 {
				t.Fatalf("eva's mails after two digests: %v", got)
			}
			if got := mailsTo(t, db, "max@example.org"); len(got) != 1 {
				t.Fatalf("max's mails: %v", got)
			}
			if users, _ := db.DigestRecipients(ctx); len(users) != 0 {
				t.Fatalf("still waiting: %v", users)
			}
		})
		t.Run("MarkAllRead", func(t *testing.T) {
			if err := db.MarkAllRead(ctx, eva.ID); err != nil {
				t.Fatal(err)
			}
			if n, err := db.UnreadCount(ctx, eva.ID); err != nil || n != 0 {
				t.Fatalf("unread: %d %v", n, err)
			}
			if n, _ := db.UnreadCount(ctx, mia.ID); n != 1 {
				t.Fatalf("max's unread: %d", n)
			}
		})
		t.Run("AccountDeleted", func(t *testing.T) {
			if err := db.DeleteUser(ctx, mia.ID, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			if l, err := db.AllNotifications(ctx, mia.ID); err != nil || len(l) != 0 {
				t.Fatalf("left: %v %v", l, err)
			}
		})
	})
}
