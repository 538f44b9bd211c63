package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// practiceBody is a valid practice example for POST /api/v1/practice-examples.
func practiceBody(org, title, solution string, consent bool) string {
	b, _ := json.Marshal(map[string]any{"organisation": org, "title": title, "goal": "Sitzungen **digital** vorbereiten.<script>alert(1)</script>",
		"fields": []string{"administration.online-services"}, "solutions": []string{solution}, "cost_from": 10000, "cost_to": 25000,
		"funding": "Eigenmittel", "programme": "Digitalstrategie", "start": "2025-01", "end": "2025-12", "team": "Hauptamt", "team_size": 4,
		"results":      []map[string]any{{"name": "Papierseiten je Sitzung", "before": 300, "after": 20, "unit": "Seiten"}},
		"results_text": "Weniger Papier.", "lessons": "Früh schulen.", "differently": "Mehr Zeit einplanen.",
		"contact": map[string]any{"name": "Erika Muster", "role": "Hauptamt", "email": "erika@ulm.example", "consent": consent}})
	return string(b)
}

func TestPracticeExamples(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "08421", "09162")
		s := newServerOn(t, db)
		usageSolution(t, s, "ratsinfo")
		eva := mustAccount(t, s, "eva@ulm.de", "Eva")
		ulm := verifiedMunicipality(t, s, eva, "08421000")
		max := mustAccount(t, s, "max@muenchen.de", "Max")
		muc := verifiedMunicipality(t, s, max, "09162000")
		curator := mustAccount(t, s, "kurt@example.org", "Kurt", account.Curator)
		evaKey := testAPIToken(t, s, eva, account.ScopeRead, account.ScopeWrite)
		keys := map[string]string{"visitor": "", "owner": evaKey, "reader": testAPIToken(t, s, eva, account.ScopeRead),
			"other":   testAPIToken(t, s, max, account.ScopeRead, account.ScopeWrite),
			"curator": testAPIToken(t, s, curator, account.ScopeRead, account.ScopeWrite)}

		t.Run("Validation", func(t *testing.T) {
			bad := strings.NewReplacer(`"cost_from":10000`, `"cost_from":90000`, `"end":"2025-12"`, `"end":"2024-12"`, `"ratsinfo"`, `"gibt-es-nicht"`,
				`"consent":true`, `"consent":false`).Replace(practiceBody(ulm.Slug, "Falsch", "ratsinfo", true))
			bad = strings.Replace(bad, `"email":"erika@ulm.example"`, `"email":"kein-mail"`, 1)
			rec := apiCall(t, s, "POST", "/api/v1/practice-examples", evaKey, bad)
			if rec.Code != 400 {
				t.Fatalf("invalid: %d %s", rec.Code, rec.Body)
			}
			for _, f := range []string{`"field":"cost_to"`, `"field":"end"`, `"field":"solutions"`, `"field":"contact.email"`} {
				if !strings.Contains(rec.Body.String(), f) {
					t.Errorf("no %s in %s", f, rec.Body)
				}
			}
			if rec := apiCall(t, s, "GET", "/api/v1/practice-examples", evaKey, ""); decodeMap(t, rec.Body)["total"] != 0.0 {
				t.Errorf("saved after refusal: %s", rec.Body)
			}
			if rec := apiCall(t, s, "POST", "/api/v1/practice-examples", keys["other"], practiceBody(ulm.Slug, "X", "ratsinfo", false)); rec.Code != 400 ||
				!strings.Contains(rec.Body.String(), `"field":"organisation"`) {
				t.Errorf("member of another municipality creates: %d %s", rec.Code, rec.Body)
			}
		})

		// The municipality page is cached: read it before anything is published.
		if rec := get(t, s, "/kommunen/08421000"); rec.Code != 200 || strings.Contains(rec.Body.String(), "Ratsarbeit digital") {
			t.Fatalf("municipality page: %d", rec.Code)
		}
		rec := apiCall(t, s, "POST", "/api/v1/practice-examples", evaKey, practiceBody(ulm.Slug, "Ratsarbeit digital", "ratsinfo", false))
		if rec.Code != 201 {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		ex := decodeMap(t, rec.Body)
		slug := ex["slug"].(string)
		if ex["state"] != "draft" || ex["size_band"] != "gt100k" || ex["published"] != nil || ex["working"] == nil {
			t.Errorf("created: %s", rec.Body)
		}
		path := "/api/v1/practice-examples/" + slug

		t.Run("Drafts", func(t *testing.T) {
			for actor, want := range map[string]int{"visitor": 404, "other": 404, "owner": 200, "reader": 200, "curator": 200} {
				if rec := apiCall(t, s, "GET", path, keys[actor], ""); rec.Code != want {
					t.Errorf("GET as %s: %d, want %d", actor, rec.Code, want)
				}
				if rec := get(t, s, "/praxisbeispiele/"+slug); rec.Code != 404 {
					t.Errorf("page as visitor: %d", rec.Code)
				}
			}
			body := `{"lock":1,` + practiceBody(ulm.Slug, "Ratsarbeit digital", "ratsinfo", false)[1:]
			for actor, want := range map[string]int{"visitor": 401, "other": 404, "reader": 403, "curator": 403} {
				if rec := apiCall(t, s, "PUT", path, keys[actor], body); rec.Code != want {
					t.Errorf("PUT as %s: %d, want %d %s", actor, rec.Code, want, rec.Body)
				}
			}
			if rec := apiCall(t, s, "POST", path+"/submit", keys["other"], "{}"); rec.Code != 404 {
				t.Errorf("submit by another municipality: %d", rec.Code)
			}
			if rec := apiCall(t, s, "POST", path+"/review", keys["curator"], `{"decision":"publish"}`); rec.Code != 409 {
				t.Errorf("review of a draft: %d %s", rec.Code, rec.Body)
			}
		})

		if rec := apiCall(t, s, "POST", path+"/submit", evaKey, "{}"); rec.Code != 200 || decodeMap(t, rec.Body)["state"] != "submitted" {
			t.Fatalf("submit: %d %s", rec.Code, rec.Body)
		}
		if rec := apiCall(t, s, "POST", path+"/review", keys["curator"], `{"decision":"changes"}`); rec.Code != 400 ||
			!strings.Contains(rec.Body.String(), `"field":"comment"`) {
			t.Errorf("changes without a comment: %d %s", rec.Code, rec.Body)
		}
		if rec := apiCall(t, s, "POST", path+"/review", keys["other"], `{"decision":"publish"}`); rec.Code != 403 {
			t.Errorf("review by a member: %d", rec.Code)
		}
		if rec := apiCall(t, s, "POST", path+"/review", keys["curator"], `{"decision":"publish","comment":"Danke"}`); rec.Code != 200 {
			t.Fatalf("publish: %d %s", rec.Code, rec.Body)
		}

		t.Run("Published", func(t *testing.T) {
			notes, _, err := db.Notifications(t.Context(), eva.ID, 10)
			if err != nil || !slices.ContainsFunc(notes, func(n notify.Notification) bool {
				return n.Kind == "practice.review" && n.Action == "published" && n.Link == "/praxisbeispiele/"+slug
			}) {
				t.Errorf("author not notified of the publication: %+v %v", notes, err)
			}
			rec := apiCall(t, s, "GET", path, "", "")
			m := decodeMap(t, rec.Body)
			pub, _ := m["published"].(map[string]any)
			if rec.Code != 200 || pub == nil || pub["contact"] != nil || m["working"] != nil || strings.Contains(rec.Body.String(), "erika@") {
				t.Errorf("visitor's view (contact without consent): %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "GET", path, evaKey, ""); !strings.Contains(rec.Body.String(), "erika@ulm.example") {
				t.Errorf("owner does not see the contact: %s", rec.Body)
			}
			page := get(t, s, "/praxisbeispiele/"+slug).Body.String()
			if !strings.Contains(page, "<strong>digital</strong>") || strings.Contains(page, "<script>alert") || strings.Contains(page, "erika@") ||
				!strings.Contains(page, `href="/loesungen/ratsinfo"`) {
				t.Errorf("example page: markdown, sanitising, contact or solution link wrong")
			}
			if body := get(t, s, "/loesungen/ratsinfo").Body.String(); !strings.Contains(body, `href="/praxisbeispiele/`+slug+`"`) {
				t.Error("solution page does not list the example")
			}
			if body := get(t, s, "/kommunen/08421000").Body.String(); !strings.Contains(body, `href="/praxisbeispiele/`+slug+`"`) {
				t.Error("cached municipality page does not list the newly published example")
			}
			for q, want := range map[string]float64{"": 1, "?solution=ratsinfo": 1, "?municipality=08421000": 1, "?band=lt5k": 0,
				"?field=administration": 1, "?state=draft": 0} {
				if got := decodeMap(t, apiCall(t, s, "GET", "/api/v1/practice-examples"+q, "", "").Body)["total"]; got != want {
					t.Errorf("list %q: %v, want %v", q, got, want)
				}
			}
			if rec := apiCall(t, s, "GET", "/api/v1/practice-examples?band=huge", "", ""); rec.Code != 400 {
				t.Errorf("bad filter: %d", rec.Code)
			}
		})

		t.Run("EditAfterPublication", func(t *testing.T) {
			body := strings.Replace(practiceBody(ulm.Slug, "Ratsarbeit papierlos", "ratsinfo", true), "{", `{"lock":`+practiceLock(t, s, path, evaKey)+",", 1)
			if rec := apiCall(t, s, "PUT", path, evaKey, body); rec.Code != 200 {
				t.Fatalf("update: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "PUT", path, evaKey, body); rec.Code != 409 {
				t.Errorf("stale lock: %d %s", rec.Code, rec.Body)
			}
			// The public still sees the published version.
			m := decodeMap(t, apiCall(t, s, "GET", path, "", "").Body)
			if m["published"].(map[string]any)["title"] != "Ratsarbeit digital" || m["state"] != "published" {
				t.Errorf("visitor sees the working version: %v", m)
			}
			if rec := apiCall(t, s, "POST", path+"/submit", evaKey, "{}"); rec.Code != 200 {
				t.Fatalf("submit: %d", rec.Code)
			}
			if rec := apiCall(t, s, "POST", path+"/review", keys["curator"], `{"decision":"publish"}`); rec.Code != 200 {
				t.Fatalf("publish again: %d %s", rec.Code, rec.Body)
			}
			m = decodeMap(t, apiCall(t, s, "GET", path, "", "").Body)
			pub := m["published"].(map[string]any)
			if pub["title"] != "Ratsarbeit papierlos" || m["version"] != 2.0 || pub["contact"].(map[string]any)["email"] != "erika@ulm.example" {
				t.Errorf("second version (with consent): %v", m)
			}
		})

		t.Run("FourEyes", func(t *testing.T) {
			cora := mustAccount(t, s, "cora@ulm.de", "Cora", account.Curator)
			if err := s.DB.CreateRequest(t.Context(), orgRequest(ulm.ID, cora), account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			coraKey := testAPIToken(t, s, cora, account.ScopeRead, account.ScopeWrite)
			rec := apiCall(t, s, "POST", "/api/v1/practice-examples", coraKey, practiceBody(ulm.Slug, "Eigenes Beispiel", "ratsinfo", false))
			if rec.Code != 201 {
				t.Fatalf("create: %d %s", rec.Code, rec.Body)
			}
			own := "/api/v1/practice-examples/" + decodeMap(t, rec.Body)["slug"].(string)
			if rec := apiCall(t, s, "POST", own+"/submit", coraKey, "{}"); rec.Code != 200 {
				t.Fatalf("submit: %d", rec.Code)
			}
			if rec := apiCall(t, s, "POST", own+"/review", coraKey, `{"decision":"publish"}`); rec.Code != 403 {
				t.Errorf("author reviews own example: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "POST", own+"/review", keys["curator"], `{"decision":"changes","comment":"Bitte Kosten ergänzen."}`); rec.Code != 200 ||
				decodeMap(t, rec.Body)["review_note"] != "Bitte Kosten ergänzen." {
				t.Errorf("changes requested: %d %s", rec.Code, rec.Body)
			}
		})

		t.Run("Pages", func(t *testing.T) {
			b := signedInBrowser(t, s, "lea@muenchen.de")
			lea, _, err := db.UserByEmail(t.Context(), "lea@muenchen.de")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DB.CreateRequest(t.Context(), orgRequest(muc.ID, lea), account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			if code, body, _ := b.get("/praxisbeispiele/neu"); code != 200 || !strings.Contains(body, muc.Name) {
				t.Fatalf("form: %d", code)
			}
			form := url.Values{"org": {muc.Slug}, "title": {"Mängelmelder"}, "goal": {"Schlaglöcher melden"}, "fields": {"administration.online-services"},
				"start": {"2025-05"}, "end": {"2025-04"}, "cost_from": {"5000"}, "cost_to": {"100"}, "rows": {"2"}, "ind_name_0": {"Meldungen"},
				"ind_before_0": {"abc"}, "contact_name": {"Lea"}, "consent": {"1"}}
			code, body, _ := b.post("/praxisbeispiele/neu", "/praxisbeispiele/neu", form)
			if code != 400 || !strings.Contains(body, "Das Ende darf nicht vor dem Beginn liegen") || !strings.Contains(body, `value="Mängelmelder"`) ||
				!strings.Contains(body, "Der Betrag „bis“ darf nicht kleiner") || !strings.Contains(body, "keine Zahl") ||
				!strings.Contains(body, "Name und E-Mail-Adresse") || !strings.Contains(body, `aria-describedby="f-end-hint f-end-error"`) {
				t.Fatalf("invalid form: %d %s", code, body)
			}
			form.Set("end", "2025-12")
			form.Set("cost_to", "50.000")
			form.Set("ind_before_0", "12,5")
			form.Set("ind_after_0", "40")
			form.Set("contact_email", "lea@muenchen.example")
			code, _, h := b.post("/praxisbeispiele/neu", "/praxisbeispiele/neu", form)
			if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/praxisbeispiele/maengelmelder") {
				t.Fatalf("create: %d %v", code, h)
			}
			code, body, _ = b.get("/praxisbeispiele/maengelmelder")
			if code != 200 || !strings.Contains(body, "Schlaglöcher melden") || !strings.Contains(body, "12,5") {
				t.Fatalf("view: %d", code)
			}
			if code, body, _ := b.get("/praxisbeispiele/maengelmelder/bearbeiten"); code != 200 || !strings.Contains(body, `value="12.5"`) {
				t.Fatalf("edit form: %d", code)
			}
			if code, _, _ := b.post("/praxisbeispiele/maengelmelder", "/praxisbeispiele/maengelmelder/einreichen", url.Values{}); code != http.StatusSeeOther {
				t.Fatalf("submit: %d", code)
			}
			// Curators see the queue and decide there.
			c := signedInBrowser(t, s, "kira@example.org", account.Curator)
			if code, body, _ := c.get("/kuratierung/praxisbeispiele"); code != 200 || !strings.Contains(body, "Mängelmelder") {
				t.Fatalf("queue: %d", code)
			}
			if code, body, _ := c.post("/praxisbeispiele/maengelmelder", "/praxisbeispiele/maengelmelder/pruefung", url.Values{}); code != 400 ||
				!strings.Contains(body, "Bitte wählen Sie") {
				t.Errorf("review without a decision: %d", code)
			}
			if code, _, _ := c.post("/praxisbeispiele/maengelmelder", "/praxisbeispiele/maengelmelder/pruefung", url.Values{"decision": {"publish"}}); code != http.StatusSeeOther {
				t.Fatalf("publish: %d", code)
			}
			// Examples of similar municipalities point to each other.
			if body := get(t, s, "/praxisbeispiele/maengelmelder").Body.String(); !strings.Contains(body, `href="/praxisbeispiele/`+slug+`"`) {
				t.Error("similar municipality's example not shown")
			}
			if body := get(t, s, "/kommunen/09162000").Body.String(); !strings.Contains(body, `href="/praxisbeispiele/`+slug+`"`) ||
				!strings.Contains(body, `href="/praxisbeispiele/maengelmelder"`) {
				t.Error("municipality page lacks its own or the similar example")
			}
			// Another user may not edit or archive it.
			other := signedInBrowser(t, s, "fremd@example.org")
			if code, _, _ := other.get("/praxisbeispiele/maengelmelder/bearbeiten"); code != 403 {
				t.Errorf("edit form for another user: %d", code)
			}
			if code, _, _ := other.post("/konto", "/praxisbeispiele/maengelmelder/archivieren", url.Values{}); code != 403 {
				t.Errorf("archive by another user: %d", code)
			}
			if code, _, _ := b.post("/praxisbeispiele/maengelmelder", "/praxisbeispiele/maengelmelder/archivieren", url.Values{}); code != http.StatusSeeOther {
				t.Errorf("archive: %d", code)
			}
			if rec := get(t, s, "/praxisbeispiele/maengelmelder"); rec.Code != 404 {
				t.Errorf("archived example public: %d", rec.Code)
			}
			// Every state change is in the audit log.
			log, err := db.AuditLog(t.Context(), account.AuditFilter{Action: "practice.", Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range log.Items {
				if !slices.Contains(actions, e.Action) {
					actions = append(actions, e.Action)
				}
			}
			slices.Sort(actions)
			if want := []string{"practice.archived", "practice.changes_requested", "practice.created", "practice.published", "practice.saved", "practice.submitted"}; !slices.Equal(actions, want) {
				t.Errorf("audit %v, want %v", actions, want)
			}
			// Every text is translated, in both languages.
			for _, lang := range []string{"de", "en"} {
				for _, p := range []string{"/praxisbeispiele", "/praxisbeispiele/" + slug, "/praxisbeispiele/neu", "/kuratierung/praxisbeispiele"} {
					br := b
					if strings.HasPrefix(p, "/kuratierung") {
						br = c
					}
					req, _ := http.NewRequest(http.MethodGet, br.base+p, nil)
					req.Header.Set("Accept-Language", lang)
					code, body, _ := br.do(req)
					if m := reMissingPractice.FindString(body); code != 200 || m != "" {
						t.Errorf("%s %s: %d, untranslated %q", lang, p, code, m)
					}
				}
			}
		})
	})
}

var reMissingPractice = regexp.MustCompile(`\bpractice\.[a-z_]+[.a-z_]*`)

// practiceLock reads the lock of an example through the API.
func practiceLock(t *testing.T, s *Server, path, key string) string {
	t.Helper()
	m := decodeMap(t, apiCall(t, s, "GET", path, key, "").Body)
	l, ok := m["lock"].(float64)
	if !ok {
		t.Fatalf("no lock in %v", m)
	}
	b, _ := json.Marshal(int(l))
	return string(b)
}

// FuzzPracticeForm reads arbitrary form input into an example: it never
// panics, and the number of indicator rows stays bounded.
func FuzzPracticeForm(f *testing.F) {
	f.Add("title=T&rows=2&ind_before_0=12%2C5&ind_after_1=1.000%2C25&cost_from=5.000&team_size=99999999999")
	f.Add("rows=-5&ind_before_0=NaN&cost_to=x")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		in := practiceInput(v)
		if len(in.Results) > practice.MaxIndicators+5 {
			t.Fatalf("%d indicator rows", len(in.Results))
		}
		if in.TeamSize > practice.MaxTeamSize+1 {
			t.Fatalf("team size %d", in.TeamSize)
		}
	})
}
