package http

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

var (
	reContactLink = regexp.MustCompile(`/nutzung/([0-9a-f-]{36})/kontakt`)
	reFlagLink    = regexp.MustCompile(`/erfahrungsberichte/([0-9a-f-]{36})/meldung`)
)

func usageMatch(t *testing.T, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match of %s", re)
	}
	return m[1]
}

// TestUsagePages walks "Wer nutzt das?" through the pages, without
// JavaScript: a municipality declares with bad input kept, the page
// counts it, it writes a report, the provider answers, someone flags the
// report and a curator hides it, a peer asks within the monthly cap, the
// municipality withdraws.
func TestUsagePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "08421", "09162")
		s := newServerOn(t, db)
		ctx := t.Context()
		_, devUser := usageSolution(t, s, "ratsinfo")
		page := "/loesungen/ratsinfo"
		eva := signedInBrowser(t, s, "eva@ulm.de")
		evaUser, _, _ := db.UserByEmail(ctx, "eva@ulm.de")
		ulm := verifiedMunicipality(t, s, evaUser, "08421000")
		carl := signedInBrowser(t, s, "carl@muenchen.de")
		carlUser, _, _ := db.UserByEmail(ctx, "carl@muenchen.de")
		verifiedMunicipality(t, s, carlUser, "09162000")
		dev := loggedIn(t, s, devUser.Email)
		plain := newBrowserAs(t, s, "plain@example.org")
		other := newBrowserAs(t, s, "fremd@andere.example") // member of another organisation
		otherUser, _, _ := db.UserByEmail(ctx, "fremd@andere.example")
		if _, err := s.Orgs.Create(ctx, otherUser, orgNew("Andere GmbH"), account.Meta{}); err != nil {
			t.Fatal(err)
		}
		curator := signedInBrowser(t, s, "kuration@kompetenz.example", account.Curator)
		anon := newBrowser(t, s)

		code, body, _ := anon.get(page)
		wantPage(t, "empty section", code, body, http.StatusOK, "Wer nutzt das?", "Noch keine verifizierte Kommune", "Noch keine Erfahrungsberichte")
		if code, _, h := anon.get(page + "/nutzung"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/anmelden") {
			t.Fatalf("visitor's form: %d %s", code, h.Get("Location"))
		}
		code, body, _ = plain.get(page + "/nutzung")
		wantPage(t, "no municipality", code, body, http.StatusOK, "Nur Mitglieder einer Kommune")

		code, body, _ = eva.get(page + "/nutzung")
		wantPage(t, "form", code, body, http.StatusOK, `<option value="`+ulm.Slug+`" selected>`, `id="f-status-in_use" name="status" value="in_use" checked`,
			`Fassung 1 (aktuell)`)
		bad := url.Values{"organisation": {ulm.Slug}, "since": {"13/2024"}, "status": {catalog.Stopped}, "delivery": {"saas"}, "version": {"1"}}
		code, body, _ = eva.post(page+"/nutzung", page+"/nutzung", bad)
		wantPage(t, "bad input", code, body, http.StatusBadRequest, "Bitte geben Sie Monat und Jahr an", "warum Ihre Kommune die Nutzung beendet hat",
			`value="13/2024"`, `href="#f-since"`, `value="stopped" checked`)
		good := url.Values{"organisation": {ulm.Slug}, "since": {"03/2024"}, "status": {catalog.InUse}, "delivery": {"saas"}, "version": {"1"}, "contactable": {"1"}}
		if code, _, h := eva.post(page+"/nutzung", page+"/nutzung", good); code != http.StatusSeeOther || h.Get("Location") != page+"?erledigt=nutzung#nutzung" {
			t.Fatalf("declare: %d %s", code, h.Get("Location"))
		}
		code, body, _ = eva.get(page + "?erledigt=nutzung")
		wantPage(t, "declared", code, body, http.StatusOK, "Die Nutzung durch Ihre Kommune ist gespeichert", "Angaben Ihrer Kommune")
		code, body, _ = anon.get(page)
		wantPage(t, "counted", code, body, http.StatusOK, "1 verifizierte Kommune nutzt diese Lösung.", "genutzt von 1 verifizierten Kommune",
			"Baden-Württemberg (1)", ulm.Name, "03/2024", "Software as a Service")
		if strings.Contains(body, "eva@ulm.de") {
			t.Fatal("the page shows the municipality's address")
		}
		code, body, _ = anon.get("/loesungen")
		wantPage(t, "list with the badge", code, body, http.StatusOK, `href="/loesungen/ratsinfo"`, "genutzt von 1 verifizierten Kommune")
		if code, body, _ = anon.get("/loesungen.csv"); code != http.StatusOK || !strings.Contains(body, ",verified_uses,") || !strings.Contains(body, ",1,") {
			t.Fatalf("CSV without the count: %d %.300s", code, body)
		}
		code, body, _ = eva.get(page + "/nutzung")
		wantPage(t, "form with the declaration", code, body, http.StatusOK, `value="03/2024"`, `name="contactable" value="1"`, "Angabe zurückziehen")

		// The experience report.
		code, body, _ = plain.get(page + "/erfahrungsbericht")
		wantPage(t, "report without declaration", code, body, http.StatusOK, "Melden Sie zuerst die Nutzung")
		rep := url.Values{"organisation": {ulm.Slug}, "usability": {"5"}, "support": {"9"}, "integration": {"3"}, "value": {"4"}, "text": {"Läuft *stabil*."}}
		code, body, _ = eva.post(page+"/erfahrungsbericht", page+"/erfahrungsbericht", rep)
		wantPage(t, "bad report", code, body, http.StatusBadRequest, "Bitte bewerten Sie mit 1 bis 5.", "Bitte antworten Sie mit Ja oder Nein.",
			`id="f-usability-5" name="usability" value="5" checked`, ">Läuft *stabil*.</textarea>")
		rep.Set("support", "4")
		rep.Set("again", "yes")
		if code, _, _ := eva.post(page+"/erfahrungsbericht", page+"/erfahrungsbericht", rep); code != http.StatusSeeOther {
			t.Fatalf("report: %d", code)
		}
		code, body, _ = anon.get(page)
		wantPage(t, "report shown", code, body, http.StatusOK, "Erfahrungsbericht von "+ulm.Name, "<em>stabil</em>", "Durchschnitt aus 1 Erfahrungsbericht", "5 von 5")

		// The provider answers; a member of another organisation may not.
		_, body, _ = dev.get(page)
		reportID := usageMatch(t, reFlagLink, body)
		answer := page + "/erfahrungsberichte/" + reportID + "/antwort"
		if !strings.Contains(body, answer) {
			t.Fatal("the provider has no link to answer")
		}
		if code, _, _ := other.get(answer); code != http.StatusForbidden {
			t.Fatalf("member of another organisation opens the answer form: %d", code)
		}
		if code, _, _ := other.post("/loesungen/neu", answer, url.Values{"answer": {"Hallo"}}); code != http.StatusForbidden {
			t.Fatalf("member of another organisation answers: %d", code)
		}
		if code, _, _ := eva.post("/loesungen/neu", answer, url.Values{"answer": {"Hallo"}}); code != http.StatusForbidden {
			t.Fatalf("the municipality answers its own report: %d", code)
		}
		code, body, _ = dev.post(answer, answer, url.Values{"answer": {" "}})
		wantPage(t, "empty answer", code, body, http.StatusBadRequest, "Bitte füllen Sie", "Läuft")
		if code, _, _ := dev.post(answer, answer, url.Values{"answer": {"Danke für den Bericht."}}); code != http.StatusSeeOther {
			t.Fatalf("answer: %d", code)
		}
		code, body, _ = anon.get(page)
		wantPage(t, "answered", code, body, http.StatusOK, "Antwort von Anbieter ratsinfo", "Danke für den Bericht.")

		// Someone flags the report, a curator hides it.
		flag := page + "/erfahrungsberichte/" + reportID + "/meldung"
		code, body, _ = plain.post(flag, flag, url.Values{"reason": {""}})
		wantPage(t, "flag without reason", code, body, http.StatusBadRequest, "Bitte füllen Sie")
		if code, _, _ := plain.post(flag, flag, url.Values{"reason": {"Werbung"}}); code != http.StatusSeeOther {
			t.Fatalf("flag: %d", code)
		}
		code, body, _ = plain.post(flag, flag, url.Values{"reason": {"Werbung"}})
		wantPage(t, "flag twice", code, body, http.StatusConflict, "bereits gemeldet")
		queue := "/kuratierung/erfahrungsberichte"
		if code, _, _ := dev.get(queue); code != http.StatusForbidden {
			t.Fatalf("provider reads the moderation queue: %d", code)
		}
		code, body, _ = curator.get(queue)
		wantPage(t, "queue", code, body, http.StatusOK, "1 gemeldeter Bericht", "Ratsinfo ratsinfo", queue+"/"+reportID)
		item := queue + "/" + reportID
		code, body, _ = curator.post(item, item, url.Values{"decision": {"hide"}})
		wantPage(t, "hide without reason", code, body, http.StatusBadRequest, "Bitte füllen Sie", "Werbung", `value="hide" checked`)
		if code, _, h := curator.post(item, item, url.Values{"decision": {"hide"}, "reason": {"Werbung für Dritte"}}); code != http.StatusSeeOther ||
			h.Get("Location") != queue+"?erledigt=entschieden" {
			t.Fatalf("hide: %d %s", code, h.Get("Location"))
		}
		code, body, _ = anon.get(page)
		wantPage(t, "hidden", code, body, http.StatusOK, "Noch keine Erfahrungsberichte")
		if strings.Contains(body, "<em>stabil</em>") {
			t.Fatal("a hidden report is shown")
		}
		code, body, _ = eva.get(page)
		wantPage(t, "hidden for its municipality", code, body, http.StatusOK, "von der Kuration ausgeblendet: Werbung für Dritte")

		// A peer asks, within the monthly cap; the address stays hidden.
		_, body, _ = anon.get(page)
		contact := page + "/nutzung/" + usageMatch(t, reContactLink, body) + "/kontakt"
		code, body, _ = eva.get(contact)
		wantPage(t, "own municipality", code, body, http.StatusOK, "Anfragen senden Mitglieder einer anderen verifizierten Kommune")
		code, body, _ = carl.get(contact)
		wantPage(t, "contact form", code, body, http.StatusOK, "mit Ihrem Namen, Ihrer Kommune und Ihrer E-Mail-Adresse", `name="message"`)
		if strings.Contains(body, "eva@ulm.de") {
			t.Fatal("the contact form shows the municipality's address")
		}
		muc := regexp.MustCompile(`<option value="([a-z0-9-]+)" selected>`).FindStringSubmatch(body)
		if muc == nil {
			t.Fatal("the requester's municipality is not chosen")
		}
		code, body, _ = carl.post(contact, contact, url.Values{"organisation": {muc[1]}, "message": {" "}})
		wantPage(t, "empty message", code, body, http.StatusBadRequest, "Bitte füllen Sie")
		for range catalog.MaxContactsPerUser {
			if code, _, h := carl.post(contact, contact, url.Values{"organisation": {muc[1]}, "message": {"Wie lief die Einführung?"}}); code != http.StatusSeeOther ||
				h.Get("Location") != page+"?erledigt=angefragt#nutzung" {
				t.Fatalf("contact: %d %s", code, h.Get("Location"))
			}
		}
		code, body, _ = carl.post(contact, contact, url.Values{"organisation": {muc[1]}, "message": {"Noch eine"}})
		wantPage(t, "cap", code, body, http.StatusTooManyRequests, "bereits 5 Anfragen gesendet", ">Noch eine</textarea>")
		mails, _, err := s.Mail.List(ctx, 200, 0)
		if err != nil {
			t.Fatal(err)
		}
		relayed := 0
		for _, m := range mails {
			if m.Kind == "catalog.usage_contact" {
				relayed++
				if full, err := s.Mail.Get(ctx, m.ID); err != nil || m.To != "eva@ulm.de" || !strings.Contains(full.Text, "carl@muenchen.de") {
					t.Fatalf("relayed mail %+v %v", full, err)
				}
			}
		}
		if relayed != catalog.MaxContactsPerUser {
			t.Fatalf("%d mails relayed, want %d", relayed, catalog.MaxContactsPerUser)
		}

		// English, then the municipality withdraws.
		code, body, _ = anon.get(page + "?lang=en")
		wantPage(t, "english", code, body, http.StatusOK, "Who uses it?", "1 verified municipality uses this solution.", "used by 1 verified municipality")
		if code, _, h := eva.post(page+"/nutzung", page+"/nutzung/zurueckziehen", url.Values{"organisation": {ulm.Slug}}); code != http.StatusSeeOther ||
			h.Get("Location") != page+"?erledigt=zurueckgezogen#nutzung" {
			t.Fatalf("withdraw: %d %s", code, h.Get("Location"))
		}
		code, body, _ = anon.get(page + "?lang=de")
		wantPage(t, "withdrawn", code, body, http.StatusOK, "Noch keine verifizierte Kommune")
	})
}
