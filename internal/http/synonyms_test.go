package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// synonymSearch returns the slugs /api/v1/search finds for q.
func synonymSearch(t *testing.T, s *Server, q string) []string {
	t.Helper()
	rec := get(t, s, "/api/v1/search?q="+url.QueryEscape(q))
	var l list[apiSearchHit]
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &l) != nil {
		t.Fatalf("search %s: %d %.300s", q, rec.Code, rec.Body)
	}
	var out []string
	for _, h := range l.Items {
		out = append(out, h.Solution.Slug)
	}
	return out
}

// findsIntegreat reports whether the page and the API of the search both
// find the demo entry "Integreat CMS" for q, failing when they disagree.
func findsIntegreat(t *testing.T, s *Server, b *browser, q string) bool {
	t.Helper()
	api := slices.ContainsFunc(synonymSearch(t, s, q), func(slug string) bool { return strings.Contains(slug, "integreat") })
	code, body, _ := b.get("/loesungen?q=" + url.QueryEscape(q))
	if code != http.StatusOK {
		t.Fatalf("/loesungen?q=%s: %d", q, code)
	}
	if page := strings.Contains(body, "Integreat CMS"); page != api {
		t.Fatalf("%s: the page finds Integreat %v, the API %v", q, page, api)
	}
	return api
}

var reGroupLink = regexp.MustCompile(`href="/kuratierung/synonyme/([0-9]+)"`)

// TestSynonymPages: a curator adds, changes, deletes and resets synonym
// groups; the search of the same instance uses each change at once, on
// the page and in the API; bad input is explained next to the field;
// other users are refused.
func TestSynonymPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		if _, err := s.Solutions.ImportDemo(t.Context(), data.PublicCode, data.PublicCodeDir); err != nil {
			t.Fatal(err)
		}
		if err := s.Search.Init(t.Context()); err != nil {
			t.Fatal(err)
		}
		anon := newBrowser(t, s)
		// The search has read (and cached) the synonyms before the change.
		if findsIntegreat(t, s, anon, "Xylophonie") || !findsIntegreat(t, s, anon, "Integreat") {
			t.Fatal("before: the made-up word finds Integreat, or Integreat is not found")
		}

		cur := signedInBrowser(t, s, "kuratorin@plattform.example", account.Curator)
		code, body, _ := cur.get("/kuratierung/synonyme")
		wantPage(t, "list", code, body, http.StatusOK, "Suchsynonyme", "Parkraummanagement · Parken", "wie mitgeliefert", `href="/kuratierung/synonyme"`,
			"Begriff prüfen", "Neue Gruppe anlegen", strconv.Itoa(len(search.DefaultSynonyms()))+" von höchstens 500 Gruppen")

		// Bad input stays in the form with all messages next to the field.
		code, body, _ = cur.post("/kuratierung/synonyme", "/kuratierung/synonyme", url.Values{"members": {"Xylophonie\nParken\nX"}})
		wantPage(t, "bad group", code, body, http.StatusBadRequest, "„Parken“ steht schon in Gruppe", "Parkraummanagement, Parken",
			"„X“: Ein Begriff muss 2 bis 60 Zeichen", `aria-invalid="true"`, "Xylophonie\nParken\nX</textarea>", `href="#f-members"`)

		code, _, h := cur.post("/kuratierung/synonyme", "/kuratierung/synonyme", url.Values{"members": {"Xylophonie\r\n Integreat \r\n\r\n"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/kuratierung/synonyme?erledigt=angelegt" {
			t.Fatalf("add: %d %s", code, h.Get("Location"))
		}
		if !findsIntegreat(t, s, anon, "Xylophonie") {
			t.Fatal("the new synonym is not used at once")
		}
		rec := get(t, s, "/api/v1/search?q=Xylophonie")
		var hits list[apiSearchHit]
		if err := json.Unmarshal(rec.Body.Bytes(), &hits); err != nil || len(hits.Items) == 0 || !slices.Contains(hits.Items[0].Why.Terms, "Integreat") {
			t.Errorf("why does not name the synonym: %.500s", rec.Body)
		}

		code, body, _ = cur.get("/kuratierung/synonyme?erledigt=angelegt&begriff=xylophonie")
		wantPage(t, "check a word", code, body, http.StatusOK, "Die Gruppe wurde angelegt", "Die Suche sucht zusätzlich nach „Integreat“")
		m := reGroupLink.FindAllStringSubmatch(body[strings.Index(body, "pruefergebnis"):], 1)
		if m == nil {
			t.Fatal("the check does not link the group")
		}
		id := m[0][1]
		edit := "/kuratierung/synonyme/" + id
		code, body, _ = cur.get("/kuratierung/synonyme?begriff=Fahrradkurier")
		wantPage(t, "a word without group", code, body, http.StatusOK, "erreicht keine Gruppe")

		// Change the group: the old word no longer finds, the new one does.
		code, body, _ = cur.get(edit)
		wantPage(t, "edit page", code, body, http.StatusOK, "Synonymgruppe "+id, "Xylophonie\nIntegreat</textarea>", `name="version"`, "kuratorin@plattform.example")
		version := regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(body)[1]
		code, _, h = cur.post(edit, edit, url.Values{"members": {"Glockenspiel\nIntegreat"}, "version": {version}})
		if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/kuratierung/synonyme?erledigt=gespeichert") {
			t.Fatalf("save: %d %s", code, h.Get("Location"))
		}
		if findsIntegreat(t, s, anon, "Xylophonie") || !findsIntegreat(t, s, anon, "Glockenspiel") {
			t.Fatal("the changed group is not used at once")
		}
		// A form from before that change is refused and loses nothing.
		req, _ := http.NewRequest(http.MethodPost, cur.base+edit, strings.NewReader(url.Values{"members": {"Triangel\nIntegreat"}, "version": {version},
			"csrf_token": {reToken.FindStringSubmatch(body)[1]}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", cur.base)
		code, body, _ = cur.do(req)
		wantPage(t, "stale form", code, body, http.StatusConflict, "inzwischen von jemand anderem geändert", "Triangel, Integreat",
			"Glockenspiel\nIntegreat</textarea>")
		code, body, _ = cur.post(edit, edit, url.Values{"members": {"Glockenspiel"}, "version": {""}})
		wantPage(t, "one member", code, body, http.StatusBadRequest, "2 bis 20 Begriffe", "Glockenspiel</textarea>")

		// The API: the same rules, the same effect.
		curator := mustAccount(t, s, "api-kurator@plattform.example", "", account.Curator)
		token := testAPIToken(t, s, curator, account.ScopeRead, account.ScopeWrite)
		rec = apiCall(t, s, http.MethodPut, "/api/v1/search/synonyms/"+id, token, `{"members":["Triangel","Integreat"]}`)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"members":["Triangel","Integreat"]`) ||
			!strings.Contains(rec.Body.String(), `"updated_by":"api-kurator@plattform.example"`) {
			t.Fatalf("PUT: %d %s", rec.Code, rec.Body)
		}
		if findsIntegreat(t, s, anon, "Glockenspiel") || !findsIntegreat(t, s, anon, "Triangel") {
			t.Fatal("the group changed by API is not used at once")
		}
		rec = apiCall(t, s, http.MethodPost, "/api/v1/search/synonyms", token, `{"members":["Integreat","Parken"]}`)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"field":"members"`) {
			t.Fatalf("POST taken members: %d %s", rec.Code, rec.Body)
		}
		rec = apiCall(t, s, http.MethodGet, "/api/v1/search/synonyms", token, "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `{"id":`+id+`,"members":["Triangel","Integreat"]`) {
			t.Fatalf("GET: %d %.300s", rec.Code, rec.Body)
		}
		rec = apiCall(t, s, http.MethodDelete, "/api/v1/search/synonyms/"+id, token, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("DELETE: %d %s", rec.Code, rec.Body)
		}
		if findsIntegreat(t, s, anon, "Triangel") {
			t.Fatal("the deleted group is still used")
		}
		if rec = apiCall(t, s, http.MethodDelete, "/api/v1/search/synonyms/"+id, token, ""); rec.Code != http.StatusNotFound {
			t.Errorf("DELETE twice: %d", rec.Code)
		}
		if code, _, _ = cur.get(edit); code != http.StatusNotFound {
			t.Errorf("edit page of a deleted group: %d", code)
		}

		// Delete on the page, then reset: first a question, then the reset.
		code, _, _ = cur.post("/kuratierung/synonyme", "/kuratierung/synonyme", url.Values{"members": {"Pauke\nIntegreat"}})
		if code != http.StatusSeeOther {
			t.Fatalf("add again: %d", code)
		}
		groups, _ := s.Synonyms.List(t.Context())
		last := "/kuratierung/synonyme/" + strconv.FormatInt(groups[len(groups)-1].ID, 10)
		code, _, h = cur.post(last, last+"/loeschen", url.Values{})
		if code != http.StatusSeeOther || h.Get("Location") != "/kuratierung/synonyme?erledigt=geloescht" || findsIntegreat(t, s, anon, "Pauke") {
			t.Fatalf("delete on the page: %d %s", code, h.Get("Location"))
		}
		if err := s.Synonyms.Delete(t.Context(), curator, groups[0].ID, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		code, body, _ = cur.post("/kuratierung/synonyme", "/kuratierung/synonyme/zuruecksetzen", url.Values{})
		wantPage(t, "reset asks", code, body, http.StatusOK, "Möchten Sie wirklich alle", `name="bestaetigt" value="ja"`)
		if now, _ := s.Synonyms.List(t.Context()); len(now) != len(search.DefaultSynonyms())-1 {
			t.Fatalf("the question reset the groups: %d", len(now))
		}
		code, _, h = cur.post("/kuratierung/synonyme", "/kuratierung/synonyme/zuruecksetzen", url.Values{"bestaetigt": {"ja"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/kuratierung/synonyme?erledigt=zurueckgesetzt" {
			t.Fatalf("reset: %d %s", code, h.Get("Location"))
		}
		if now, _ := s.Synonyms.List(t.Context()); len(now) != len(search.DefaultSynonyms()) || !slices.Equal(now[0].Members, search.DefaultSynonyms()[0]) {
			t.Fatalf("after reset: %d groups", len(now))
		}

		// In English too.
		code, body, _ = cur.get("/kuratierung/synonyme?lang=en&begriff=Parken")
		wantPage(t, "English", code, body, http.StatusOK, "Search synonyms", "Check a word", "The search also looks for", "as shipped")

		// Others are refused.
		user := signedInBrowser(t, s, "nutzer@gemeinde.example")
		if code, _, _ = user.get("/kuratierung/synonyme"); code != http.StatusForbidden {
			t.Errorf("user on the page: %d", code)
		}
		plain := mustAccount(t, s, "api-nutzer@gemeinde.example", "")
		if rec = apiCall(t, s, http.MethodPost, "/api/v1/search/synonyms", testAPIToken(t, s, plain, account.ScopeRead, account.ScopeWrite),
			`{"members":["Pauke","Trommel"]}`); rec.Code != http.StatusForbidden {
			t.Errorf("user on the API: %d", rec.Code)
		}
		if rec = apiCall(t, s, http.MethodPost, "/api/v1/search/synonyms", testAPIToken(t, s, curator, account.ScopeRead),
			`{"members":["Pauke","Trommel"]}`); rec.Code != http.StatusForbidden {
			t.Errorf("read-only key: %d", rec.Code)
		}
	})
}

// TestSolutionListFragment: an htmx request of /loesungen gets the
// results and the facet panel (out of band) without the layout; the page
// itself stays whole; a history restore gets the whole page; caches are
// told the answers differ.
func TestSolutionListFragment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		if _, err := s.Solutions.ImportDemo(t.Context(), data.PublicCode, data.PublicCodeDir); err != nil {
			t.Fatal(err)
		}
		if err := s.Search.Init(t.Context()); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, s)
		code, body, h := b.getWith("/loesungen?q=Integreat&offen=ja", "HX-Request: true")
		wantPage(t, "fragment", code, body, http.StatusOK, `<div id="results"`, "Integreat CMS", `id="facet-panel" hx-swap-oob="true"`,
			`name="offen" value="ja" checked`)
		for _, bad := range []string{"<html", "<header", "<main", "<footer", `role="search"`} {
			if strings.Contains(body, bad) {
				t.Errorf("fragment contains %q", bad)
			}
		}
		if !strings.HasPrefix(strings.TrimSpace(body), `<div id="results"`) {
			t.Errorf("fragment does not start with the results: %.200s", body)
		}
		if v := strings.Join(h.Values("Vary"), ", "); !strings.Contains(v, "HX-Request") {
			t.Errorf("Vary = %q", v)
		}

		for _, hdr := range [][]string{nil, {"HX-Request: true", "HX-History-Restore-Request: true"}} {
			code, body, h := b.getWith("/loesungen?q=Integreat&offen=ja", hdr...)
			wantPage(t, "page", code, body, http.StatusOK, "<html", "<header", `<div id="results"`, "Integreat CMS", `id="facet-panel">`,
				`hx-target="#results"`, `role="search"`)
			if strings.Contains(body, "hx-swap-oob") {
				t.Error("the whole page has an out-of-band element")
			}
			if v := strings.Join(h.Values("Vary"), ", "); !strings.Contains(v, "HX-Request") {
				t.Errorf("page: Vary = %q", v)
			}
		}
	})
}
