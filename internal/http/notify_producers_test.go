package http

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
)

var reOpenLink = regexp.MustCompile(`/konto/benachrichtigungen/[0-9a-f-]{36}/oeffnen`)

// countPrefix counts the subjects that start with prefix.
func countPrefix(subjects []string, prefix string) int {
	n := 0
	for _, s := range subjects {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

// TestNotificationEventChanges: a new time and a cancellation reach every
// registrant in the notification centre; the mail follows each one's
// choice (at once by default), one mail per change.
func TestNotificationEventChanges(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		curatorAcc := mustAccount(t, s, unique("kurator"), "Kim", account.Curator)
		evaAcc := mustAccount(t, s, unique("eva"), "Eva")
		bobAcc := mustAccount(t, s, unique("bob"), "Bob")
		curator, eva, bob := loggedIn(t, s, curatorAcc.Email), loggedIn(t, s, evaAcc.Email), loggedIn(t, s, bobAcc.Email)
		f := eventFormValues("Änderungen mitteilen", 1)
		slug := createEvent(t, curator, f)
		base := "/veranstaltungen/" + slug
		for _, b := range []*browser{eva, bob} { // eva gets the place, bob waits
			if code, _, _ := b.post(base, base+"/anmeldung", url.Values{}); code != http.StatusSeeOther {
				t.Fatalf("register: %d", code)
			}
		}
		// Bob wants no mail about changes; the form shows the default.
		code, body, _ := bob.get("/konto/benachrichtigungen/einstellungen")
		if code != http.StatusOK || !strings.Contains(body, `name="event.changed" value="immediate" checked`) ||
			!strings.Contains(body, `name="advice.answer" value="immediate" checked`) ||
			!strings.Contains(body, `aria-describedby="f-alert.matches-hint"`) || !strings.Contains(body, "Abmeldelink je Suche") {
			t.Fatalf("settings with the defaults: %d", code)
		}
		if code, _, _ := bob.post("/konto/benachrichtigungen/einstellungen", "/konto/benachrichtigungen/einstellungen",
			url.Values{"event.changed": {"off"}}); code != http.StatusSeeOther {
			t.Fatalf("save settings: %d", code)
		}

		// A title alone tells nobody; a new time does.
		f.Set("title", "Änderungen mitteilen!")
		f.Set("lock", eventLock(t, s, slug))
		if code, _, _ := curator.post(base+"/bearbeiten", base+"/bearbeiten", f); code != http.StatusSeeOther {
			t.Fatalf("rename: %d", code)
		}
		if _, body, _ := eva.get("/konto/benachrichtigungen"); strings.Contains(body, "ungelesen") {
			t.Fatal("a new title notified eva")
		}
		f.Set("start_time", "11:00")
		f.Set("lock", eventLock(t, s, slug))
		if code, body, _ := curator.post(base+"/bearbeiten", base+"/bearbeiten", f); code != http.StatusSeeOther {
			t.Fatalf("move: %d\n%.2000s", code, body)
		}
		for _, b := range []*browser{eva, bob} {
			code, body, _ = b.get("/konto/benachrichtigungen")
			if code != http.StatusOK || !strings.Contains(body, "Die Veranstaltung „Änderungen mitteilen!“ hat sich geändert") ||
				!strings.Contains(body, "1 ungelesen") {
				t.Fatalf("centre after the move: %d\n%.3000s", code, body)
			}
		}
		// Following the notification's link reads it and leads to the event.
		link := reOpenLink.FindString(body)
		if link == "" {
			t.Fatal("no link to open the notification")
		}
		code, _, h := bob.get(link)
		if code != http.StatusSeeOther || h.Get("Location") != base {
			t.Fatalf("open: %d %q", code, h.Get("Location"))
		}
		if _, body, _ := bob.get("/konto/benachrichtigungen"); strings.Contains(body, "ungelesen") {
			t.Fatal("the opened notification is still unread")
		}
		if code, _, _ := eva.get(link); code != http.StatusNotFound {
			t.Fatalf("eva opens bob's notification: %d", code)
		}
		evaMails := outboxTo(t, s, evaAcc.Email)
		if countPrefix(evaMails, "Geändert: Änderungen mitteilen!") != 1 {
			t.Fatalf("mails to eva: %v", evaMails)
		}
		if m := outboxTo(t, s, bobAcc.Email); countPrefix(m, "Geändert:") != 0 {
			t.Fatalf("bob chose no mail: %v", m)
		}
		// The confirmed attendee's mail carries the online address.
		list, _, err := s.DB.Mails(context.Background(), 1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range list {
			if m.To == evaAcc.Email && strings.HasPrefix(m.Subject, "Geändert:") {
				full, _ := s.DB.Mail(context.Background(), m.ID)
				if !strings.Contains(full.Text, "https://meet.example/geheim") || !strings.Contains(full.Text, "11:00") {
					t.Errorf("change mail:\n%s", full.Text)
				}
			}
		}

		// The cancellation: one mail to eva, none to bob, both notified.
		if code, _, _ := curator.post(base, base+"/absagen", url.Values{"lock": {eventLock(t, s, slug)}}); code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", code)
		}
		if m := outboxTo(t, s, evaAcc.Email); countPrefix(m, "Abgesagt:") != 1 {
			t.Fatalf("mails to eva: %v", m)
		}
		if m := outboxTo(t, s, bobAcc.Email); countPrefix(m, "Abgesagt:") != 0 {
			t.Fatalf("mails to bob: %v", m)
		}
		if _, body, _ := bob.get("/konto/benachrichtigungen?lang=en"); !strings.Contains(body, "The event “Änderungen mitteilen!” has been cancelled.") {
			t.Fatalf("bob's English centre:\n%.3000s", body)
		}
	})
}

// TestNotificationAdviceAnswer: the answer reaches the asker as a
// notification; with the daily digest chosen, the answer mail waits for
// the digest instead of going out at once.
func TestNotificationAdviceAnswer(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		advAcc := mustAccount(t, s, unique("beraterin"), "Bea Beraterin", account.Advisor)
		evaAcc := mustAccount(t, s, unique("eva"), "Eva Muster")
		muc := adviceOrg(t, s, evaAcc, "09", "München")
		adv, eva := loggedIn(t, s, advAcc.Email), loggedIn(t, s, evaAcc.Email)
		if code, _, _ := eva.post("/konto/benachrichtigungen/einstellungen", "/konto/benachrichtigungen/einstellungen",
			url.Values{"advice.answer": {"digest"}}); code != http.StatusSeeOther {
			t.Fatalf("save settings: %d", code)
		}
		form := url.Values{"org": {muc.Slug}, "topic": {"Sensoren im Straßenraum"}, "urgency": {"normal"}, "body": {"Welche Genehmigung?"}}
		code, body, h := eva.postAdvice("/beratung/neu", "/beratung/neu", form, nil)
		m := reAdviceID.FindStringSubmatch(h.Get("Location"))
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("ask: %d\n%.2000s", code, body)
		}
		id := m[1]
		if code, _, _ := adv.post("/beratung/"+id, "/beratung/"+id+"/antwort", url.Values{"body": {"Eine Sondernutzung."}, "next": {"answered"}}); code != http.StatusSeeOther {
			t.Fatalf("answer: %d", code)
		}
		code, body, _ = eva.get("/konto/benachrichtigungen")
		if code != http.StatusOK || !strings.Contains(body, "hat Ihre Anfrage „Sensoren im Straßenraum“ beantwortet") {
			t.Fatalf("eva's centre: %d\n%.3000s", code, body)
		}
		if mails := outboxTo(t, s, evaAcc.Email); len(mails) != 0 {
			t.Fatalf("mail at once despite the digest: %v", mails)
		}
		if _, err := s.Notify.SendDigests(context.Background()); err != nil {
			t.Fatal(err)
		}
		if mails := outboxTo(t, s, evaAcc.Email); len(mails) != 1 || mails[0] != "1 neue Benachrichtigung" {
			t.Fatalf("digest: %v", mails)
		}
		// Another advisor's question back goes out at once by default
		// (here: to a second asker who kept the default).
		ottoAcc := mustAccount(t, s, unique("otto"), "Otto")
		ham := adviceOrg(t, s, ottoAcc, "02", "Hamburg")
		otto := loggedIn(t, s, ottoAcc.Email)
		form.Set("org", ham.Slug)
		_, _, h = otto.postAdvice("/beratung/neu", "/beratung/neu", form, nil)
		m = reAdviceID.FindStringSubmatch(h.Get("Location"))
		if m == nil {
			t.Fatal("otto's request")
		}
		if code, _, _ := adv.post("/beratung/"+m[1], "/beratung/"+m[1]+"/antwort", url.Values{"body": {"Welche Straße?"}, "next": {"waiting"}}); code != http.StatusSeeOther {
			t.Fatalf("question back: %d", code)
		}
		if mails := outboxTo(t, s, ottoAcc.Email); len(mails) != 1 {
			t.Fatalf("mails to otto: %v", mails)
		}
		if _, body, _ := otto.get("/konto/benachrichtigungen"); !strings.Contains(body, "eine Rückfrage zu Ihrer Anfrage") {
			t.Fatal("otto's centre lacks the question back")
		}
	})
}
