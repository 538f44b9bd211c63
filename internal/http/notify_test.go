package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
)

// TestNotificationReviewProducer walks the one producer end to end: a
// curator publishes a solution and the provider's members find a
// notification; the admin chose mail at once, the member keeps the
// default, the daily digest.
func TestNotificationReviewProducer(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		evaMail, bobMail := unique("eva"), unique("bob")
		eva, evaID := contactBrowser(t, s, evaMail)
		curator := signedInBrowser(t, s, unique("kuration"), account.Curator)
		stranger, _ := contactBrowser(t, s, unique("fremd"))
		evaUser, _, err := s.DB.UserByEmail(t.Context(), evaMail)
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Orgs.Create(t.Context(), evaUser, orgNew("Parken "+evaID[len(evaID)-6:]), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		verifyOrg(t, s, o.ID, bobMail)

		// Eva wants mails about reviews at once.
		code, body, _ := eva.get("/konto/benachrichtigungen/einstellungen")
		if code != http.StatusOK || !strings.Contains(body, `name="catalog.review" value="digest" checked`) {
			t.Fatalf("settings: %d", code)
		}
		if code, body, _ := eva.post("/konto/benachrichtigungen/einstellungen", "/konto/benachrichtigungen/einstellungen",
			url.Values{"catalog.review": {"sofort"}}); code != http.StatusBadRequest || !strings.Contains(body, "eine der angebotenen Möglichkeiten") {
			t.Fatalf("bad choice: %d", code)
		}
		if code, _, _ := eva.post("/konto/benachrichtigungen/einstellungen", "/konto/benachrichtigungen/einstellungen",
			url.Values{"catalog.review": {"immediate"}}); code != http.StatusSeeOther {
			t.Fatalf("save settings: %d", code)
		}

		code, _, h := eva.post("/loesungen/neu", "/loesungen", entryValues(o.Slug))
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		page, _, _ := strings.Cut(h.Get("Location"), "?")
		_, body, _ = eva.get(page)
		if code, _, _ := eva.post(page, page+"/einreichen", url.Values{"lock": {lockIn(t, body)}}); code != http.StatusSeeOther {
			t.Fatalf("submit: %d", code)
		}
		_, body, _ = curator.get(page)
		if code, _, _ := curator.post(page, page+"/pruefung", url.Values{"lock": {lockIn(t, body)}, "decision": {"publish"}}); code != http.StatusSeeOther {
			t.Fatalf("publish: %d", code)
		}

		// Eva: a notification, the badge and a mail at once.
		code, body, _ = eva.get("/konto/benachrichtigungen")
		if code != http.StatusOK || !strings.Contains(body, "Ihre Lösung „Parkleitsystem Süd“ wurde veröffentlicht.") || !strings.Contains(body, "1 ungelesen") {
			t.Fatalf("eva's centre: %d", code)
		}
		if subjects := outboxTo(t, s, evaMail); !strings.Contains(strings.Join(subjects, "|"), "Ihre Lösung „Parkleitsystem Süd“ wurde veröffentlicht.") {
			t.Fatalf("no immediate mail: %v", subjects)
		}
		// Bob: the notification, in English through the API, mailed only with the digest.
		bob, _, err := s.DB.UserByEmail(t.Context(), bobMail)
		if err != nil {
			t.Fatal(err)
		}
		list, unread, err := s.DB.Notifications(t.Context(), bob.ID, 10)
		if err != nil || len(list) != 1 || unread != 1 || list[0].Kind != "catalog.review" || list[0].Action != "published" {
			t.Fatalf("bob's notifications: %+v %v", list, err)
		}
		before := len(outboxTo(t, s, bobMail))
		for range 2 {
			if _, err := s.Notify.SendDigests(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		if after := outboxTo(t, s, bobMail); len(after) != before+1 {
			t.Fatalf("digests to bob: %v", after)
		}

		// The API: the list, and marking read; another user's notification is 404.
		var out apiNotificationList
		_, raw, _ := eva.get("/api/v1/me/notifications?lang=en")
		if err := json.Unmarshal([]byte(raw), &out); err != nil || out.Unread != 1 || len(out.Items) != 1 ||
			out.Items[0].Message != "Your solution “Parkleitsystem Süd” has been published." {
			t.Fatalf("api list: %s", raw)
		}
		id := out.Items[0].ID
		for _, b := range []*browser{stranger} {
			req, _ := http.NewRequest(http.MethodPost, b.base+"/api/v1/me/notifications/"+id+"/read", strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", b.base)
			if code, _, _ := b.do(req); code != http.StatusNotFound {
				t.Fatalf("stranger marks eva's notification read: %d", code)
			}
			if code, _, _ := b.post("/konto/benachrichtigungen/einstellungen", "/konto/benachrichtigungen/"+id+"/gelesen", url.Values{}); code != http.StatusNotFound {
				t.Fatalf("stranger marks eva's notification read on the page: %d", code)
			}
		}
		req, _ := http.NewRequest(http.MethodPost, eva.base+"/api/v1/me/notifications/"+id+"/read", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", eva.base)
		if code, raw, _ := eva.do(req); code != http.StatusOK || !strings.Contains(raw, `"read_at":"`) {
			t.Fatalf("mark read: %d", code)
		}
		if _, body, _ := eva.get("/konto/benachrichtigungen"); strings.Contains(body, "ungelesen") {
			t.Fatal("still unread")
		}
		// The data export holds the notifications and the mail choices.
		if code, raw, _ := eva.get("/api/v1/me/export"); code != http.StatusOK || !strings.Contains(raw, `"notifications":[{"kind":"catalog.review"`) ||
			!strings.Contains(raw, `"notification_prefs":{"catalog.review":"immediate"}`) {
			t.Fatalf("export: %d", code)
		}
		// Visitors' pages have no badge and cost no query.
		if body := anonymousPage(t, s, "/ansprechpersonen", "de"); strings.Contains(body, "/konto/benachrichtigungen") {
			t.Fatal("visitor sees the notification link")
		}
		// English pages.
		if _, body, _ := bobBrowser(t, s, bobMail).get("/konto/benachrichtigungen?lang=en"); !strings.Contains(body, "Your solution “Parkleitsystem Süd” has been published.") ||
			!strings.Contains(body, "Mark all as read") {
			t.Fatal("bob's English centre")
		}
	})
}

// bobBrowser opens a session for an existing account.
func bobBrowser(t *testing.T, s *Server, email string) *browser {
	t.Helper()
	u, _, err := s.DB.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s)
	secret := strings.ReplaceAll(u.ID, "-", "") + "0123456789abcdef"
	now := u.Created
	if err := s.DB.CreateSession(t.Context(), account.Session{ID: account.HashToken(secret), UserID: u.ID, Created: now, LastSeen: now,
		Expires: now.Add(3600e9)}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	bu, _ := url.Parse(b.base)
	b.c.Jar.SetCookies(bu, []*http.Cookie{{Name: sessionCookie, Value: secret}})
	return b
}
