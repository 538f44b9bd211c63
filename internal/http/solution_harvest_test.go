package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog/gittest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

var (
	reRepoID     = regexp.MustCompile(`/quellen/([0-9a-f-]{36})/pruefen`)
	reProposalID = regexp.MustCompile(`/vorschlag/([0-9a-f-]{36})"`)
)

// firstMatch returns the first submatch of re in body.
func firstMatch(t *testing.T, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match of %s", re)
	}
	return m[1]
}

// withShort is the valid sample with another short description.
func withShort(t *testing.T, short string) string {
	t.Helper()
	s := sampleText(t, validSample)
	const old = "shortDescription: The multilingual content management system for the Integreat App"
	if !strings.Contains(s, old) {
		t.Fatal("the sample file changed")
	}
	return strings.Replace(s, old, "shortDescription: "+short, 1)
}

// TestSolutionSources registers repositories on the sources page, checks
// them, and accepts and dismisses the proposals they make; bad
// repositories are reported with their reason.
func TestSolutionSources(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		eva := signedInBrowser(t, s, "eva@sources.example")
		curator := signedInBrowser(t, s, "kuration@sources.example", account.Curator)
		outsider := newBrowserAs(t, s, "fremd@sources.example")
		u, _, err := db.UserByEmail(t.Context(), "eva@sources.example")
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Orgs.Create(t.Context(), u, orgNew("Quellen GmbH"), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		repo := gittest.New(t)
		repo.Commit(map[string]string{"publiccode.yml": sampleText(t, validSample)})
		code, _, h := eva.post("/loesungen/import", "/loesungen/import/anlegen", url.Values{"organisation": {o.Slug},
			"publiccode": {sampleText(t, validSample)}, "repository": {repo.URL()}, "mode": {"create"}})
		if code != http.StatusSeeOther {
			t.Fatalf("import: %d", code)
		}
		sol, _, _ := strings.Cut(strings.TrimPrefix(h.Get("Location"), "/loesungen/"), "/")
		page := "/loesungen/" + sol + "/quellen"

		code, body, _ := eva.get(page)
		wantPage(t, "empty", code, body, http.StatusOK, "Noch ist kein Repository eingetragen", `name="url"`)
		code, body, _ = eva.post(page, page, url.Values{"url": {"http://example.org/x/y"}})
		wantPage(t, "http", code, body, http.StatusBadRequest, `id="f-url-error"`, "mit https://", `value="http://example.org/x/y"`)
		code, _, h = eva.post(page, page, url.Values{"url": {repo.URL()}})
		if code != http.StatusSeeOther || h.Get("Location") != page+"?erledigt=hinzugefuegt" {
			t.Fatalf("add: %d %s", code, h.Get("Location"))
		}
		code, body, _ = eva.post(page, page, url.Values{"url": {repo.URL()}})
		wantPage(t, "duplicate", code, body, http.StatusConflict, "schon eingetragen")

		_, body, _ = eva.get(page)
		id := firstMatch(t, reRepoID, body)
		code, _, h = eva.post(page, page+"/"+id+"/pruefen", url.Values{})
		if code != http.StatusSeeOther {
			t.Fatalf("check: %d", code)
		}
		code, body, _ = eva.get(h.Get("Location"))
		wantPage(t, "checked, unchanged", code, body, http.StatusOK, "Das Repository ist gelesen", "in Ordnung")
		if strings.Contains(body, `id="vorschlag"`) {
			t.Fatal("an unchanged file proposes a change")
		}

		// A new commit: the proposal with the difference.
		repo.Commit(map[string]string{"publiccode.yml": withShort(t, "Das mehrsprachige CMS für Kommunen")})
		eva.post(page, page+"/"+id+"/pruefen", url.Values{})
		code, body, _ = eva.get(page)
		wantPage(t, "proposal", code, body, http.StatusOK, "Änderungsvorschlag", "<ins>Das mehrsprachige CMS für Kommunen</ins>",
			"<del>The multilingual content management system for the Integreat App</del>", `name="decision" value="accept"`)
		proposal := firstMatch(t, reProposalID, body)
		if m := inboxOf(s).lastTo(t, "eva@sources.example"); !strings.Contains(m.Subject, "Änderungsvorschlag") || !strings.Contains(m.Text, page) {
			t.Fatalf("proposal mail: %+v", m)
		}

		// Curators read the page but decide nothing; outsiders see nothing.
		code, body, _ = curator.get(page)
		wantPage(t, "curator", code, body, http.StatusOK, "Das mehrsprachige CMS für Kommunen")
		if strings.Contains(body, `name="decision"`) || strings.Contains(body, `name="url"`) {
			t.Fatal("the curator is offered the provider's forms")
		}
		if code, _, _ = outsider.get(page); code != http.StatusNotFound {
			t.Fatalf("outsider reads the sources of a draft: %d", code)
		}
		if code, _, _ = curator.post("/konto", "/loesungen/"+sol+"/vorschlag/"+proposal, url.Values{"decision": {"accept"}}); code != http.StatusForbidden {
			t.Fatalf("curator decides: %d", code)
		}

		action := "/loesungen/" + sol + "/vorschlag/" + proposal
		_, body, _ = eva.get(page)
		code, body, _ = eva.post(page, action, url.Values{"decision": {"vielleicht"}, "lock": {lockIn(t, body)}})
		wantPage(t, "no decision", code, body, http.StatusBadRequest, "übernehmen oder verwerfen")
		code, body, _ = eva.post(page, action, url.Values{"decision": {"accept"}, "lock": {"99"}})
		wantPage(t, "stale", code, body, http.StatusConflict, "inzwischen geändert")
		_, body, _ = eva.get(page)
		code, _, h = eva.post(page, action, url.Values{"decision": {"accept"}, "lock": {lockIn(t, body)}})
		if code != http.StatusSeeOther || h.Get("Location") != "/loesungen/"+sol+"?erledigt=gespeichert" {
			t.Fatalf("accept: %d %s", code, h.Get("Location"))
		}
		code, body, _ = eva.get(h.Get("Location"))
		wantPage(t, "accepted", code, body, http.StatusOK, "Das mehrsprachige CMS für Kommunen")

		// Another change, dismissed.
		repo.Commit(map[string]string{"publiccode.yml": withShort(t, "Ein CMS für Integration")})
		eva.post(page, page+"/"+id+"/pruefen", url.Values{})
		_, body, _ = eva.get(page)
		code, _, h = eva.post(page, "/loesungen/"+sol+"/vorschlag/"+firstMatch(t, reProposalID, body), url.Values{"decision": {"dismiss"}, "lock": {lockIn(t, body)}})
		if code != http.StatusSeeOther || h.Get("Location") != page+"?erledigt=verworfen" {
			t.Fatalf("dismiss: %d %s", code, h.Get("Location"))
		}
		code, body, _ = eva.get(h.Get("Location"))
		wantPage(t, "dismissed", code, body, http.StatusOK, "Der Vorschlag ist verworfen")
		if strings.Contains(body, "Ein CMS für Integration") {
			t.Fatal("the dismissed proposal is still shown")
		}

		// A repository that cannot be read shows why; removing it works.
		eva.post(page, page, url.Values{"url": {"file://" + t.TempDir() + "/fehlt"}})
		_, body, _ = eva.get(page)
		ids := reRepoID.FindAllStringSubmatch(body, -1)
		if len(ids) != 2 {
			t.Fatalf("%d repositories", len(ids))
		}
		missing := ids[1][1]
		eva.post(page, page+"/"+missing+"/pruefen", url.Values{})
		code, body, _ = eva.get(page)
		wantPage(t, "failure", code, body, http.StatusOK, "nicht erreichbar", "(ein Fehlversuch)")
		code, _, h = eva.post(page, page+"/"+missing+"/entfernen", url.Values{})
		if code != http.StatusSeeOther || h.Get("Location") != page+"?erledigt=entfernt" {
			t.Fatalf("remove: %d %s", code, h.Get("Location"))
		}
		code, body, _ = eva.post(page, page+"/"+missing+"/entfernen", url.Values{})
		wantPage(t, "removed twice", code, body, http.StatusNotFound, "nicht (mehr) eingetragen")
		if code, _, _ = eva.get(page + "?erledigt=unbekannt"); code != http.StatusBadRequest {
			t.Fatalf("unknown erledigt: %d", code)
		}
	})
}

// TestAPISources registers, lists and removes repositories and decides a
// proposal through the API.
func TestAPISources(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		u := mustAccount(t, s, "api@sources.example", "API")
		o, err := s.Orgs.Create(t.Context(), u, orgNew("Quellen API GmbH"), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		key := testAPIToken(t, s, u, account.ScopeRead, account.ScopeWrite)
		other := testAPIToken(t, s, mustAccount(t, s, "fremd@sources.example", ""), account.ScopeRead, account.ScopeWrite)
		repo := gittest.New(t)
		repo.Commit(map[string]string{"publiccode.yml": sampleText(t, validSample)})
		rec := apiCall(t, s, http.MethodPost, "/api/v1/solutions/import", key, `{"organisation":"`+o.Slug+`","repository":"`+repo.URL()+`"}`)
		var report struct{ Solution string }
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &report) != nil {
			t.Fatalf("import: %d %s", rec.Code, rec.Body)
		}
		base := "/api/v1/solutions/" + report.Solution
		rec = apiCall(t, s, http.MethodPost, base+"/repositories", key, `{"url":"`+repo.URL()+`"}`)
		var r struct {
			ID        string
			LastError *struct{ Code string } `json:"last_error"`
		}
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &r) != nil || r.ID == "" {
			t.Fatalf("add: %d %s", rec.Code, rec.Body)
		}
		if rec = apiCall(t, s, http.MethodPost, base+"/repositories", other, `{"url":"https://example.org/x/y"}`); rec.Code != http.StatusNotFound {
			t.Fatalf("outsider adds to a draft: %d %s", rec.Code, rec.Body)
		}
		if rec = apiCall(t, s, http.MethodPost, base+"/repositories", key, `{"url":"ftp://example.org/x"}`); rec.Code != http.StatusBadRequest ||
			!strings.Contains(rec.Body.String(), `"field":"url"`) {
			t.Fatalf("bad url: %d %s", rec.Code, rec.Body)
		}
		if rec = apiCall(t, s, http.MethodGet, base+"/proposal", key, ""); rec.Code != http.StatusNotFound {
			t.Fatalf("no proposal yet: %d %s", rec.Code, rec.Body)
		}
		repo.Commit(map[string]string{"publiccode.yml": withShort(t, "Das mehrsprachige CMS für Kommunen")})
		if _, err := s.Harvest.CheckNow(t.Context(), u, report.Solution, r.ID); err != nil {
			t.Fatal(err)
		}
		rec = apiCall(t, s, http.MethodGet, base+"/proposal", key, "")
		var p struct {
			ID      string
			State   string
			Changes []struct{ Field, Old, New string }
			Entry   struct{ Short string }
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &p) != nil || len(p.Changes) != 1 || p.Entry.Short != "Das mehrsprachige CMS für Kommunen" {
			t.Fatalf("proposal: %d %s", rec.Code, rec.Body)
		}
		if rec = apiCall(t, s, http.MethodPost, base+"/proposal/decision", key, `{"proposal":"`+p.ID+`","decision":"später"}`); rec.Code != http.StatusBadRequest {
			t.Fatalf("bad decision: %d %s", rec.Code, rec.Body)
		}
		rec = apiCall(t, s, http.MethodPost, base+"/proposal/decision", key, `{"proposal":"`+p.ID+`","decision":"accept"}`)
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &p) != nil || p.State != "accepted" || len(p.Changes) != 0 {
			t.Fatalf("accept: %d %s", rec.Code, rec.Body)
		}
		if rec = apiCall(t, s, http.MethodPost, base+"/proposal/decision", key, `{"proposal":"`+p.ID+`","decision":"dismiss"}`); rec.Code != http.StatusConflict {
			t.Fatalf("decided twice: %d %s", rec.Code, rec.Body)
		}
		rec = apiCall(t, s, http.MethodGet, base+"/repositories", key, "")
		var l struct {
			Items []struct {
				ID         string
				LastCommit *string `json:"last_commit"`
			}
			Total int
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &l) != nil || l.Total != 1 || l.Items[0].LastCommit == nil {
			t.Fatalf("list: %d %s", rec.Code, rec.Body)
		}
		if rec = apiCall(t, s, http.MethodDelete, base+"/repositories/"+r.ID, key, ""); rec.Code != http.StatusOK {
			t.Fatalf("remove: %d %s", rec.Code, rec.Body)
		}
		if rec = apiCall(t, s, http.MethodDelete, base+"/repositories/"+r.ID, key, ""); rec.Code != http.StatusNotFound {
			t.Fatalf("removed twice: %d %s", rec.Code, rec.Body)
		}
	})
}
