package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

var reExplorationID = regexp.MustCompile(`/markterkundungen/([0-9a-f-]{36})`)

// TestExplorations walks a market exploration through its pages and its
// API: started from a need, criteria, questionnaire, answers until the
// deadline, scoring, closing, reports and their check; other
// organisations see nothing.
func TestExplorations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "08421", "09162")
		s := newServerOn(t, db)
		ctx := t.Context()
		_, devA := usageSolution(t, s, "ratsinfo")
		_, devB := usageSolution(t, s, "ratsplus")
		eva := mustAccount(t, s, "eva@ulm.de", "Eva")
		ulm := verifiedMunicipality(t, s, eva, "08421000")
		max := mustAccount(t, s, "max@muenchen.de", "Max")
		verifiedMunicipality(t, s, max, "09162000")
		evaKey := testAPIToken(t, s, eva, account.ScopeRead, account.ScopeWrite)
		keyA, keyB := testAPIToken(t, s, devA, account.ScopeRead, account.ScopeWrite), testAPIToken(t, s, devB, account.ScopeRead, account.ScopeWrite)
		maxKey := testAPIToken(t, s, max, account.ScopeRead, account.ScopeWrite)
		rec := apiCall(t, s, "POST", "/api/v1/needs", evaKey, needBody(ulm.Slug, "Ratsarbeit digital", "public", true))
		if rec.Code != 201 {
			t.Fatalf("need: %d %s", rec.Code, rec.Body)
		}
		slug := decodeMap(t, rec.Body)["slug"].(string)

		// The buyer starts from the need's page.
		b := loginBrowser(t, s, "eva@ulm.de")
		code, body, h := b.post("/bedarfe/"+slug, "/markterkundungen", url.Values{"need": {slug}})
		if code != http.StatusSeeOther {
			t.Fatalf("start: %d %s", code, body)
		}
		m := reExplorationID.FindStringSubmatch(h.Get("Location"))
		if m == nil {
			t.Fatalf("start: location %q", h.Get("Location"))
		}
		id := m[1]
		page := "/markterkundungen/" + id
		code, body, _ = b.get(page)
		if code != 200 || !strings.Contains(body, "Ratsinfo ratsinfo") || !strings.Contains(body, "Ratsinfo ratsplus") || !strings.Contains(body, "Als Software as a Service") {
			t.Fatalf("view: %d %s", code, body)
		}
		for name, key := range map[string]string{"other municipality": maxKey, "provider before sending": keyA} {
			if rec := apiCall(t, s, "GET", "/api/v1/explorations/"+id, key, ""); rec.Code != 404 {
				t.Errorf("%s: %d", name, rec.Code)
			}
		}
		if code, _, _ := loginBrowser(t, s, "max@muenchen.de").get(page); code != 404 {
			t.Errorf("other municipality's page: %d", code)
		}

		// Criteria: weights must sum to 100; nothing half-saved.
		code, body, _ = b.post(page, page+"/kriterien", url.Values{"lock": {"0"}, "crit_name_0": {"Preis"}, "crit_weight_0": {"50"},
			"crit_name_1": {"Hosting"}, "crit_weight_1": {"30"}})
		if code != 400 || !strings.Contains(body, "ergeben zusammen 80 %") || !strings.Contains(body, `href="#f-weights"`) {
			t.Errorf("weights 80: %d %s", code, body)
		}
		crit := url.Values{"lock": {"0"}, "crit_name_0": {"Preis"}, "crit_weight_0": {"60"}, "crit_name_1": {"Hosting in Deutschland"},
			"crit_weight_1": {"40"}, "crit_excl_1": {"1"}}
		if code, body, _ := b.post(page, page+"/kriterien", crit); code != http.StatusSeeOther {
			t.Fatalf("criteria: %d %s", code, body)
		}
		// Questionnaire: a deadline in the past is refused; then two providers.
		rfi := url.Values{"lock": {"1"}, "q_text_0": {"Preis pro Jahr?"}, "q_type_0": {"number"}, "q_text_1": {"Hosting in Deutschland?"},
			"q_type_1": {"yesno"}, "deadline": {"2020-01-01T12:00"}, "providers": {"anbieter-ratsinfo", "anbieter-ratsplus"}}
		if code, body, _ := b.post(page, page+"/fragebogen", rfi); code != 400 || !strings.Contains(body, "in der Zukunft") {
			t.Errorf("past deadline: %d %s", code, body)
		}
		deadline := time.Now().Add(24 * time.Hour).In(berlinForTest(t))
		rfi.Set("deadline", deadline.Format("2006-01-02T15:04"))
		if code, body, _ := b.post(page, page+"/fragebogen", rfi); code != http.StatusSeeOther {
			t.Fatalf("rfi: %d %s", code, body)
		}
		if _, body, _ := b.get(page); !strings.Contains(body, "weniger als drei Anbieter") {
			t.Errorf("no advice for two providers")
		}
		if code, body, _ := b.post(page, page+"/senden", url.Values{"lock": {"2"}}); code != http.StatusSeeOther {
			t.Fatalf("send: %d %s", code, body)
		}
		list, _, err := db.Notifications(ctx, devA.ID, 10)
		if err != nil || len(list) == 0 || list[0].Kind != "exploration.rfi" || list[0].Link != page+"/antwort" {
			t.Errorf("notification of provider A: %+v %v", list, err)
		}

		// Providers answer; each sees only its own answer.
		pa := loginBrowser(t, s, devA.Email)
		if code, _, h := pa.get(page); code != http.StatusSeeOther || h.Get("Location") != page+"/antwort" {
			t.Errorf("provider view: %d %s", code, h.Get("Location"))
		}
		if code, body, _ := pa.post(page+"/antwort", page+"/antwort", url.Values{"answer_0": {"zwölf"}, "answer_1": {"yes"}}); code != 400 || !strings.Contains(body, "Geben Sie eine Zahl an") {
			t.Errorf("bad number: %d %s", code, body)
		}
		if code, body, _ := pa.post(page+"/antwort", page+"/antwort", url.Values{"answer_0": {"12000"}, "answer_1": {"yes"}}); code != http.StatusSeeOther {
			t.Fatalf("answer A: %d %s", code, body)
		}
		if rec := apiCall(t, s, "PUT", "/api/v1/explorations/"+id+"/answer", keyB, `{"answers":["9000","no"]}`); rec.Code != 200 {
			t.Fatalf("answer B: %d %s", rec.Code, rec.Body)
		}
		rec = apiCall(t, s, "GET", "/api/v1/explorations/"+id, keyA, "")
		var asA apiExploration
		if err := json.Unmarshal(rec.Body.Bytes(), &asA); err != nil || rec.Code != 200 || asA.Role != "provider" || len(asA.Answers) != 1 ||
			asA.Answers[0].Answers[0] != "12000" || len(asA.Candidates) != 0 {
			t.Errorf("provider A sees %d %s", rec.Code, rec.Body)
		}
		// After the deadline answers are refused with a message.
		s.Explorations.Now = func() time.Time { return deadline.Add(time.Minute) }
		t.Cleanup(func() { s.Explorations.Now = time.Now })
		if rec := apiCall(t, s, "PUT", "/api/v1/explorations/"+id+"/answer", keyB, `{"answers":["1","no"]}`); rec.Code != 409 || !strings.Contains(rec.Body.String(), "Frist ist abgelaufen") {
			t.Errorf("late answer: %d %s", rec.Code, rec.Body)
		}
		if _, body, _ := pa.get(page + "/antwort"); !strings.Contains(body, "Frist ist abgelaufen") || strings.Contains(body, `action="`+page+`/antwort"`) {
			t.Errorf("late answer page: %s", body)
		}

		// Scoring and closing.
		rec = apiCall(t, s, "GET", "/api/v1/explorations/"+id, evaKey, "")
		var full apiExploration
		if err := json.Unmarshal(rec.Body.Bytes(), &full); err != nil || full.Role != "buyer" || len(full.Answers) != 2 || !*full.SnapshotOK {
			t.Fatalf("buyer sees %d %s", rec.Code, rec.Body)
		}
		scores := url.Values{"lock": {"3"}}
		for _, c := range full.Candidates {
			sol := c.Solution
			switch {
			case c.Slug == "ratsinfo":
				scores.Set("score_"+sol+"_0", "8")
				scores.Set("score_"+sol+"_1", "10")
				scores.Set("comment_"+sol, "Gutes Angebot")
			case c.Slug == "ratsplus":
				scores.Set("score_"+sol+"_0", "9")
				scores.Set("score_"+sol+"_1", "0")
			}
		}
		if code, body, _ := b.post(page, page+"/bewertung", scores); code != 400 || !strings.Contains(body, "Ausschlusskriterium") {
			t.Errorf("exclusion criterion not met: %d %s", code, body)
		}
		var plus, info string
		for _, c := range full.Candidates {
			switch c.Slug {
			case "ratsplus":
				plus = c.Solution
			case "ratsinfo":
				info = c.Solution
			}
		}
		scores.Set("exclude_"+plus, "1")
		scores.Set("reason_"+plus, "Kein Hosting in Deutschland")
		if code, body, _ := b.post(page, page+"/bewertung", scores); code != http.StatusSeeOther {
			t.Fatalf("scores: %d %s", code, body)
		}
		if code, body, _ := b.post(page, page+"/abschliessen", url.Values{"lock": {"4"}, "outcome": {"awarded"}, "awarded_to": {info}, "reason": {""}}); code != 400 || !strings.Contains(body, `href="#f-reason"`) {
			t.Errorf("close without reason: %d %s", code, body)
		}
		if code, body, _ := b.post(page, page+"/abschliessen", url.Values{"lock": {"4"}, "outcome": {"awarded"}, "awarded_to": {info}, "reason": {"Höchste Punktzahl"}}); code != http.StatusSeeOther {
			t.Fatalf("close: %d %s", code, body)
		}
		_, body, _ = b.get(page)
		for _, form := range []string{"/kriterien", "/fragebogen", "/bewertung", "/abschliessen"} {
			if strings.Contains(body, `action="`+page+form+`"`) {
				t.Errorf("closed exploration shows form %s", form)
			}
		}
		if !strings.Contains(body, "Der Auftrag wurde an Ratsinfo ratsinfo") || !strings.Contains(body, "weniger als die empfohlenen 3") {
			t.Errorf("note: %s", body)
		}
		if _, body, _ := b.get(page + "?lang=en"); !strings.Contains(body, "Draft for the procurement file note") ||
			!strings.Contains(body, "the contract was awarded to Ratsinfo ratsinfo") || strings.Contains(body, "exploration.") {
			t.Errorf("English page: %s", body)
		}
		b.get(page + "?lang=de") // back to German (the choice is kept in a cookie)
		if rec := apiCall(t, s, "PUT", "/api/v1/explorations/"+id+"/criteria", evaKey, `{"lock":5,"criteria":[{"name":"X","weight":100}]}`); rec.Code != 409 {
			t.Errorf("criteria after closing: %d %s", rec.Code, rec.Body)
		}

		// Reports: recorded, readable, verifiable; a changed byte fails.
		for _, format := range []string{"pdf", "xlsx", "json"} {
			code, body, h := b.get(page + "/bericht?format=" + format)
			if code != 200 || !strings.Contains(h.Get("Content-Disposition"), "markterkundung-") {
				t.Fatalf("%s: %d %v", format, code, h)
			}
			if format == "xlsx" {
				f, err := excelize.OpenReader(strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				rows, _ := f.GetRows("Bewertung")
				if len(rows) < 3 || !strings.Contains(strings.Join(rows[1], "|")+strings.Join(rows[2], "|"), "88,0") {
					t.Errorf("xlsx scores: %v", rows)
				}
				f.Close()
			}
			rec := apiCall(t, s, "POST", "/api/v1/reports/verify", evaKey, body)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"genuine":true`) || !strings.Contains(rec.Body.String(), `"by":"eva@ulm.de"`) {
				t.Errorf("%s verify: %d %s", format, rec.Code, rec.Body)
			}
			// Others may check it too; the person who issued it is named to
			// the buyer's members only, the organisation to the others.
			rec = apiCall(t, s, "POST", "/api/v1/reports/verify", maxKey, body)
			if got := rec.Body.String(); rec.Code != 200 || !strings.Contains(got, `"genuine":true`) || strings.Contains(got, "eva@ulm.de") ||
				!strings.Contains(got, `"by":`+strconv.Quote(ulm.Name)) {
				t.Errorf("%s verify by another municipality: %d %s", format, rec.Code, got)
			}
			changed := []byte(body)
			changed[len(changed)/3] ^= 0x20
			if rec := apiCall(t, s, "POST", "/api/v1/reports/verify", evaKey, string(changed)); !strings.Contains(rec.Body.String(), `"genuine":false`) {
				t.Errorf("%s changed verifies: %s", format, rec.Body)
			}
			// The page does the same check.
			if format == "pdf" {
				code, page2, _ := b.postFile("/markterkundungen/bericht-pruefen", "/markterkundungen/bericht-pruefen", []byte(body), "bericht.pdf")
				if code != 200 || !strings.Contains(page2, "Echt und unverändert") {
					t.Errorf("verify page: %d %s", code, page2)
				}
				visitor := newBrowser(t, s)
				code, page3, _ := visitor.postFile("/markterkundungen/bericht-pruefen", "/markterkundungen/bericht-pruefen", []byte(body), "bericht.pdf")
				if code != 200 || !strings.Contains(page3, "Echt und unverändert") || strings.Contains(page3, "eva@ulm.de") {
					t.Errorf("verify page for a visitor: %d %s", code, page3)
				}
			}
		}
		if rec := apiCall(t, s, "GET", "/api/v1/explorations/"+id+"/report?format=pdf", keyA, ""); rec.Code != 404 {
			t.Errorf("provider report: %d", rec.Code)
		}
		if rec := apiCall(t, s, "GET", "/api/v1/explorations/"+id+"/report?format=json", maxKey, ""); rec.Code != 404 {
			t.Errorf("other municipality report: %d", rec.Code)
		}
		if _, body, _ := b.get("/markterkundungen"); !strings.Contains(body, "Ratsarbeit digital") {
			t.Errorf("list lacks the exploration")
		}
		if _, body, _ := pa.get("/markterkundungen"); !strings.Contains(body, page+"/antwort") {
			t.Errorf("provider's list lacks the request")
		}
	})
}

func berlinForTest(t *testing.T) *time.Location {
	t.Helper()
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// postFile posts a file as the form field "file" from page to action.
func (b *browser) postFile(page, action string, file []byte, name string) (int, string, http.Header) {
	b.t.Helper()
	_, body, _ := b.get(page)
	m := reToken.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("%s has no form token", page)
	}
	mb, ct := multipartBody(b.t, file, name, "application/octet-stream", "csrf_token", m[1], "file", "")
	req, _ := http.NewRequest(http.MethodPost, b.base+action, strings.NewReader(mb))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept-Language", "de")
	req.Header.Set("Origin", b.base)
	return b.do(req)
}
