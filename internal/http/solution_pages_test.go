package http

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// entryValues is a complete entry form.
func entryValues(org string) url.Values {
	return url.Values{"organisation": {org}, "name": {"Parkleitsystem Süd"}, "short": {"Freie Parkplätze in Echtzeit anzeigen."},
		"description": {"## Funktionen\n\n- Sensoren\n- Anzeige"}, "fields": {"mobility.parking", "data-infrastructure.iot-networks"},
		"sizes": {"20k-100k"}, "licence": {"LicenseRef-Kommerziell"}, "website": {"https://parken.example"},
		"delivery.saas": {"1"}, "delivery.saas.price": {"per_inhabitant"}, "delivery.saas.price_min": {"0,05"}, "delivery.saas.price_max": {"0,10"},
		"delivery.saas.hosting": {"de"}, "evidence.0.kind": {"bsi_c5"}, "evidence.0.expires": {"2030-01-31"}, "evidence.0.link": {"https://parken.example/c5.pdf"},
		"standards": {"OGC SensorThings, NGSI-LD"}, "maturity": {"production"}, "origin": {"commercial"}, "languages": {"de, en"},
		"contact": {"vertrieb@parken.example"}}
}

// TestSolutionWorkflow walks the provider's and the curator's pages:
// create with bad input kept, create, submit, changes requested, fix,
// publish, a stale form, archive.
func TestSolutionWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		eva := signedInBrowser(t, s, "eva@parken.example")
		curator := signedInBrowser(t, s, "kuration@kompetenz.example", account.Curator)
		anon := newBrowser(t, s)
		u, _, err := db.UserByEmail(t.Context(), "eva@parken.example")
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Orgs.Create(t.Context(), u, orgNew("Parken GmbH"), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}

		code, body, _ := eva.get("/loesungen/neu?organisation=" + o.Slug)
		wantPage(t, "form", code, body, http.StatusOK, `<option value="`+o.Slug+`" selected>`, `name="delivery.saas" value="1" checked`)
		bad := entryValues(o.Slug)
		bad.Set("licence", "GPL")
		bad.Set("delivery.saas.price_max", "zehn")
		bad.Set("evidence.0.expires", "2020-01-01")
		code, body, _ = eva.post("/loesungen/neu", "/loesungen", bad)
		wantPage(t, "bad price", code, body, http.StatusBadRequest, "als Zahl", `value="zehn"`, `value="Parkleitsystem Süd"`, `value="mobility.parking" checked`)
		bad.Set("delivery.saas.price_max", "0,10")
		code, body, _ = eva.post("/loesungen/neu", "/loesungen", bad)
		wantPage(t, "bad licence and date", code, body, http.StatusBadRequest, "SPDX-Ausdruck", "bereits abgelaufen", `id="f-evidence.0.expires"`)

		code, _, h := eva.post("/loesungen/neu", "/loesungen", entryValues(o.Slug))
		if code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?erledigt=angelegt") {
			t.Fatalf("create: %d %s", code, h.Get("Location"))
		}
		page, _, _ := strings.Cut(h.Get("Location"), "?")
		code, body, _ = eva.get(h.Get("Location"))
		wantPage(t, "draft", code, body, http.StatusOK, "Der Entwurf ist gespeichert", "Entwurf", "BSI C5", "Betrieb in Deutschland", "0,05")
		if code, _, _ = anon.get(page); code != http.StatusNotFound {
			t.Fatalf("visitor sees the draft: %d", code)
		}
		// The organisation is not verified yet: no submission.
		code, body, _ = eva.post(page, page+"/einreichen", url.Values{"lock": {lockIn(t, body)}})
		wantPage(t, "submit unverified", code, body, http.StatusForbidden)
		verifyOrg(t, s, o.ID, "bob@parken.example")

		_, body, _ = eva.get(page)
		if code, _, _ = eva.post(page, page+"/einreichen", url.Values{"lock": {lockIn(t, body)}}); code != http.StatusSeeOther {
			t.Fatalf("submit: %d", code)
		}
		code, body, _ = curator.get("/kuratierung/loesungen")
		wantPage(t, "queue", code, body, http.StatusOK, "Parkleitsystem Süd", "Parken GmbH", "Neuer Eintrag", "0 Tagen")
		code, body, _ = curator.get("/kuratierung/loesungen?art=new&feld=mobility")
		wantPage(t, "queue filtered in", code, body, http.StatusOK, "Parkleitsystem Süd", `<option value="new" selected>`)
		for _, q := range []string{"art=change", "feld=health-care", "alter=7"} {
			code, body, _ = curator.get("/kuratierung/loesungen?" + q)
			wantPage(t, "queue filtered out: "+q, code, body, http.StatusOK, "von 1 wartenden")
			if strings.Contains(body, "Parkleitsystem Süd") {
				t.Errorf("queue with %s lists the new entry", q)
			}
		}
		code, body, _ = curator.get("/kuratierung/loesungen?art=alt")
		wantPage(t, "queue bad filter", code, body, http.StatusBadRequest)
		code, body, _ = curator.get(page)
		wantPage(t, "curator's view", code, body, http.StatusOK, "Prüfung durch die Kuration")
		lock := lockIn(t, body)
		code, body, _ = curator.post(page, page+"/pruefung", url.Values{"lock": {lock}, "decision": {"changes"}})
		wantPage(t, "changes without comment", code, body, http.StatusBadRequest, `value="changes" checked`, "Bitte füllen Sie")
		if code, _, _ = curator.post(page, page+"/pruefung", url.Values{"lock": {lock}, "decision": {"changes"}, "comment": {"Bitte Hosting-Anbieter nennen."}}); code != http.StatusSeeOther {
			t.Fatalf("request changes: %d", code)
		}
		if m := inboxOf(s).lastTo(t, "eva@parken.example"); !strings.Contains(m.Subject, "Änderungen erbeten") || !strings.Contains(m.Text, "Bitte Hosting-Anbieter nennen.") {
			t.Fatalf("change request mail %+v", m)
		}
		// A second curator with the same, now stale form is told so.
		code, body, _ = curator.post(page, page+"/pruefung", url.Values{"lock": {lock}, "decision": {"publish"}})
		wantPage(t, "stale review", code, body, http.StatusConflict, "anderen Zustand")

		code, body, _ = eva.get(page + "/bearbeiten")
		wantPage(t, "edit form", code, body, http.StatusOK, `value="Parkleitsystem Süd"`, `value="0.05"`, `value="2030-01-31"`)
		fix := entryValues(o.Slug)
		fix.Set("support", "Betrieb durch Rechenzentrum Süd")
		fix.Set("lock", lockIn(t, body))
		if code, _, _ = eva.post(page+"/bearbeiten", page+"/bearbeiten", fix); code != http.StatusSeeOther {
			t.Fatalf("save: %d", code)
		}
		code, body, _ = eva.post(page+"/bearbeiten", page+"/bearbeiten", fix) // the same lock again
		wantPage(t, "stale edit", code, body, http.StatusConflict, "inzwischen geändert", `>Betrieb durch Rechenzentrum Süd</textarea>`)
		_, body, _ = eva.get(page)
		eva.post(page, page+"/einreichen", url.Values{"lock": {lockIn(t, body)}})
		_, body, _ = curator.get(page)
		if code, _, _ = curator.post(page, page+"/pruefung", url.Values{"lock": {lockIn(t, body)}, "decision": {"publish"}}); code != http.StatusSeeOther {
			t.Fatalf("publish: %d", code)
		}
		if m := inboxOf(s).lastTo(t, "eva@parken.example"); !strings.Contains(m.Subject, "Veröffentlicht") || !strings.Contains(m.Text, page) {
			t.Fatalf("publication mail %+v", m)
		}
		code, body, _ = anon.get(page)
		wantPage(t, "published", code, body, http.StatusOK, "Rechenzentrum Süd", "Fassung 1, veröffentlicht")

		// A change after publication is version 2; the versions page shows the difference.
		_, body, _ = eva.get(page + "/bearbeiten")
		fix.Set("short", "Freie Parkplätze in Echtzeit, auch für Reisebusse.")
		fix.Set("lock", lockIn(t, body))
		if code, _, _ = eva.post(page+"/bearbeiten", page+"/bearbeiten", fix); code != http.StatusSeeOther {
			t.Fatalf("change the published entry: %d", code)
		}
		code, body, _ = eva.get(page + "/fassungen")
		wantPage(t, "versions", code, body, http.StatusOK, "Unterschiede zwischen Fassung 1 und 2", "auch für Reisebusse", "Kurzbeschreibung")
		if code, _, _ = eva.get(page + "/fassungen?a=1&b=7"); code != http.StatusNotFound {
			t.Fatalf("unknown version: %d", code)
		}
		if code, body, _ = anon.get(page); !strings.Contains(body, "Freie Parkplätze in Echtzeit anzeigen.") {
			t.Fatalf("the published version is not what visitors see: %d", code)
		}
		if code, _, _ = newBrowserAs(t, s, "neugierig@example.org").get(page + "/fassungen"); code != http.StatusForbidden {
			t.Fatalf("outsider reads versions: %d", code)
		}
		if code, _, _ = newBrowserAs(t, s, "fremd@example.org").get(page + "/bearbeiten"); code != http.StatusForbidden {
			t.Fatalf("outsider edits: %d", code)
		}
		_, body, _ = eva.get(page)
		code, body, _ = eva.post(page, page+"/archivieren", url.Values{"lock": {lockIn(t, body)}, "reason": {" "}})
		wantPage(t, "archive without reason", code, body, http.StatusBadRequest, "Bitte füllen Sie")
		if code, _, _ = eva.post(page, page+"/archivieren", url.Values{"lock": {lockIn(t, body)}, "reason": {"Produkt eingestellt"}}); code != http.StatusSeeOther {
			t.Fatalf("archive: %d", code)
		}
		if code, _, _ = anon.get(page); code != http.StatusNotFound {
			t.Fatalf("archived entry public: %d", code)
		}
	})
}

var reLock = regexp.MustCompile(`name="lock" value="(\d+)"`)

func lockIn(t *testing.T, body string) string {
	t.Helper()
	m := reLock.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page carries no lock")
	}
	return m[1]
}

// newBrowserAs is a signed-in browser of a new account without roles.
func newBrowserAs(t *testing.T, s *Server, email string) *browser {
	t.Helper()
	return signedInBrowser(t, s, email)
}

// verifyOrg verifies an organisation through an approved claim of a new member.
func verifyOrg(t *testing.T, s *Server, orgID, email string) {
	t.Helper()
	m := mustAccount(t, s, email, "")
	if err := s.DB.CreateRequest(t.Context(), orgRequest(orgID, m), account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
}
