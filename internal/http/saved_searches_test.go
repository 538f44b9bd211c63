package http

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

var reSavedID = regexp.MustCompile(`action="/konto/suchen/([0-9a-f-]{36})/loeschen"`)

func TestSavedSearchPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		eva := mustAccount(t, s, "eva@gemeinde.example", "Eva")
		mustAccount(t, s, "bob@gemeinde.example", "Bob")
		b := loggedIn(t, s, "eva@gemeinde.example")

		// The catalogue offers to save the search shown.
		_, body, _ := b.get("/loesungen?q=Parken&feld=mobility&nach=0195f2a4-7c1e-7d3a-9b51-6c2f0e8a4b11")
		if !strings.Contains(body, `action="/konto/suchen"`) || !strings.Contains(body, `name="query" value="feld=mobility&amp;q=Parken"`) ||
			!strings.Contains(body, `for="f-save-name"`) {
			t.Fatalf("no save form on the catalogue:\n%s", body)
		}
		_, body, _ = newBrowser(t, s).get("/loesungen?q=Parken")
		if strings.Contains(body, `action="/konto/suchen"`) || !strings.Contains(body, `href="/anmelden?weiter=%2floesungen%3fq%3dParken"`) {
			t.Errorf("visitor: no sign-in hint, or a form")
		}

		// Save, see it listed.
		code, _, h := b.post("/loesungen?q=Parken", "/konto/suchen", url.Values{"name": {"Parken Innenstadt"}, "query": {"q=Parken&feld=mobility"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/konto/suchen?erledigt=gespeichert" {
			t.Fatalf("save: %d %q", code, h.Get("Location"))
		}
		_, body, _ = b.get("/konto/suchen?erledigt=gespeichert")
		if !strings.Contains(body, "Die Suche ist gespeichert.") || !strings.Contains(body, `href="/loesungen?feld=mobility&amp;q=Parken"`) ||
			!strings.Contains(body, "Parken Innenstadt") || !strings.Contains(body, "aktiv") {
			t.Fatalf("list:\n%s", body)
		}
		m := reSavedID.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no delete form")
		}
		id := m[1]
		if _, body, _ = b.get("/konto"); !strings.Contains(body, `href="/konto/suchen"`) {
			t.Error("account page has no link to the saved searches")
		}

		// Refused input keeps the form with its messages.
		code, body, _ = b.post("/loesungen", "/konto/suchen", url.Values{"name": {strings.Repeat("x", alert.MaxName+1)}, "query": {"q=Parken"}})
		if code != http.StatusBadRequest || !strings.Contains(body, `href="#f-name"`) || !strings.Contains(body, `name="query" value="q=Parken"`) {
			t.Errorf("long name: %d", code)
		}
		code, body, _ = b.post("/loesungen", "/konto/suchen", url.Values{"query": {"feld=raumfahrt"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "unbekannten Filter") || !strings.Contains(body, `href="/loesungen?feld=raumfahrt"`) {
			t.Errorf("unknown field of action: %d", code)
		}
		if code, _, _ = b.get("/konto/suchen?erledigt=irgendwas"); code != http.StatusBadRequest {
			t.Errorf("unknown done: %d", code)
		}

		// Another user can neither see nor change it.
		bob := loggedIn(t, s, "bob@gemeinde.example")
		if _, body, _ = bob.get("/konto/suchen"); strings.Contains(body, "Parken Innenstadt") {
			t.Error("bob sees eva's search")
		}
		for _, action := range []string{"loeschen", "pausieren", "fortsetzen"} {
			if code, _, _ = bob.post("/konto", "/konto/suchen/"+id+"/"+action, url.Values{}); code != http.StatusNotFound {
				t.Errorf("bob %s: %d, want 404", action, code)
			}
		}
		if code, _, _ = b.post("/konto/suchen", "/konto/suchen/x/loeschen", url.Values{}); code != http.StatusNotFound {
			t.Errorf("malformed id: %d", code)
		}

		// Pause and resume.
		if code, _, h = b.post("/konto/suchen", "/konto/suchen/"+id+"/pausieren", url.Values{}); code != http.StatusSeeOther ||
			h.Get("Location") != "/konto/suchen?erledigt=pausiert" {
			t.Fatalf("pause: %d", code)
		}
		if _, body, _ = b.get("/konto/suchen"); !strings.Contains(body, "pausiert") || !strings.Contains(body, "/fortsetzen") {
			t.Error("not shown as paused")
		}
		if code, _, _ = b.post("/konto/suchen", "/konto/suchen/"+id+"/fortsetzen", url.Values{}); code != http.StatusSeeOther {
			t.Errorf("resume: %d", code)
		}

		// The export holds it; the account's deletion removes it.
		_, body, _ = b.get("/konto/daten")
		var e account.Export
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Fatal(err)
		}
		if l, _ := e.Extra["saved_searches"].([]any); len(l) != 1 || !strings.Contains(body, `"query": "feld=mobility\u0026q=Parken"`) {
			t.Errorf("export: %v", e.Extra["saved_searches"])
		}
		if err := loadOpenAPI(t).validate("/components/schemas/Export", []byte(body)); err != nil && strings.Contains(err.Error(), "saved_searches") {
			t.Error(err)
		}
		if code, _, _ = b.post("/konto", "/konto/loeschen", url.Values{"delete_password": {testPassword}}); code != http.StatusSeeOther {
			t.Fatalf("delete account: %d", code)
		}
		if l, err := db.SavedSearches(t.Context(), eva.ID); err != nil || len(l) != 0 {
			t.Errorf("searches after the account's deletion: %v %v", l, err)
		}
	})
}

func TestSavedSearchDelete(t *testing.T) {
	s := newTestServer(t, store.SQLite)
	mustAccount(t, s, "eva@gemeinde.example", "Eva")
	b := loggedIn(t, s, "eva@gemeinde.example")
	if code, _, _ := b.post("/loesungen", "/konto/suchen", url.Values{"query": {"q=Parken"}}); code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	_, body, _ := b.get("/konto/suchen")
	if !strings.Contains(body, ">Parken</a>") {
		t.Errorf("not named after its text")
	}
	id := reSavedID.FindStringSubmatch(body)[1]
	if code, _, h := b.post("/konto/suchen", "/konto/suchen/"+id+"/loeschen", url.Values{}); code != http.StatusSeeOther ||
		h.Get("Location") != "/konto/suchen?erledigt=geloescht" {
		t.Fatalf("delete: %d", code)
	}
	if _, body, _ = b.get("/konto/suchen"); strings.Contains(body, id) || !strings.Contains(body, "noch keine Suche gespeichert") {
		t.Error("still listed")
	}
}

func TestSavedSearchUnsubscribe(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		ctx := t.Context()
		eva := mustAccount(t, s, "eva-"+uuid.NewString()+"@gemeinde.example", "Eva")
		ss, err := s.Alerts.Create(ctx, eva, "Parken", "q=Parken", "de")
		if err != nil {
			t.Fatal(err)
		}
		// The token of a mail, as the sweep records it.
		secret, hash := account.NewSecret()
		if ok, err := s.DB.RecordRun(ctx, alert.Run{UserID: eva.ID, At: time.Now().UTC(), Runs: map[string]int{ss.ID: 0},
			Tokens: map[string]string{ss.ID: hash}}); err != nil || !ok {
			t.Fatal(ok, err)
		}
		visitor := newBrowser(t, s)
		path := "/suchen/abbestellen/" + secret

		// Opening the link (as a mail scanner does) changes nothing.
		code, body, _ := visitor.get(path)
		if code != http.StatusOK || !strings.Contains(html.UnescapeString(body), "„Parken“") || !strings.Contains(body, `action="`+path+`"`) {
			t.Fatalf("confirm page: %d\n%s", code, body)
		}
		if got, _ := s.DB.SavedSearch(ctx, eva.ID, ss.ID); got.Paused {
			t.Fatal("GET unsubscribed")
		}
		if code, body, _ = newBrowser(t, s).get(path + "?lang=en"); code != http.StatusOK || !strings.Contains(body, "Unsubscribe") {
			t.Errorf("English: %d", code)
		}
		if code, _, _ = visitor.get("/suchen/abbestellen/falsch"); code != http.StatusNotFound {
			t.Errorf("wrong token: %d", code)
		}
		if code, _, _ = visitor.post(path, "/suchen/abbestellen/falsch", url.Values{}); code != http.StatusNotFound {
			t.Errorf("wrong token, POST: %d", code)
		}
		code, body, _ = visitor.post(path, path, url.Values{})
		if code != http.StatusOK || !strings.Contains(html.UnescapeString(body), "keine E-Mails mehr zur Suche „Parken“") {
			t.Fatalf("unsubscribe: %d\n%s", code, body)
		}
		if got, _ := s.DB.SavedSearch(ctx, eva.ID, ss.ID); !got.Paused {
			t.Error("not paused")
		}
		// Without the form token, nothing happens.
		if code := do(t, s, http.MethodPost, path, nil).Code; code != http.StatusForbidden {
			t.Errorf("POST without token: %d", code)
		}
	})
}

// TestSavedSearchAPI checks that one user cannot reach another's saved
// searches through the API.
func TestSavedSearchAPI(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		eva := mustAccount(t, s, "eva-"+uuid.NewString()+"@gemeinde.example", "Eva")
		bob := mustAccount(t, s, "bob-"+uuid.NewString()+"@gemeinde.example", "Bob")
		evaKey := "Authorization: Bearer " + testAPIToken(t, s, eva, account.ScopeRead, account.ScopeWrite)
		bobKey := "Authorization: Bearer " + testAPIToken(t, s, bob, account.ScopeRead, account.ScopeWrite)
		rec := do(t, s, http.MethodPost, "/api/v1/me/searches", strings.NewReader(`{"name":"Parken","query":"q=Parken"}`), evaKey,
			"Content-Type: application/json")
		var ss apiSavedSearch
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &ss) != nil || ss.URL != "http://platform.test/loesungen?q=Parken" {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		if rec := get(t, s, "/api/v1/me/searches", bobKey); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), ss.ID) {
			t.Errorf("bob lists eva's search: %s", rec.Body)
		}
		if rec := do(t, s, http.MethodDelete, "/api/v1/me/searches/"+ss.ID, nil, bobKey); rec.Code != http.StatusNotFound {
			t.Errorf("bob deletes eva's search: %d", rec.Code)
		}
		if _, err := s.DB.SavedSearch(t.Context(), eva.ID, ss.ID); apperr.Is(err, apperr.NotFound) {
			t.Error("eva's search is gone")
		}
		if rec := do(t, s, http.MethodDelete, "/api/v1/me/searches/"+ss.ID, nil, evaKey); rec.Code != http.StatusOK {
			t.Errorf("eva deletes her search: %d", rec.Code)
		}
	})
}
