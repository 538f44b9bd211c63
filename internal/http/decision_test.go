package http

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestParseCents(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1200", 120000, true}, {"1.200", 120000, true}, {"1.200,5", 120050, true}, {"1200,50 €", 120050, true},
		{"1200.50", 120050, true}, {"0", 0, true}, {"12.345.678", 1234567800, true}, {"-5", 0, false}, {"abc", 0, false},
		{"1,234", 123, false}, {"1e5", 0, false},
	} {
		got, ok := parseCents(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("parseCents(%q) = %d %v, want %d %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDecisionAids(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		usageSolution(t, s, "ratsinfo") // open source, SaaS
		paula := mustAccount(t, s, "paula@example.org", "Paula")
		max := mustAccount(t, s, "max@example.org", "Max")
		form := url.Values{"q_skills": {"none"}, "q_operation": {"saas"}, "q_exit": {"high"}, "increase": {"2,5"},
			"solution_0": {"ratsinfo"}, "cost_0_hosting": {"1.000"},
			"name_1": {"Lizenzprodukt"}, "open_1": {"no"}, "delivery_1": {"saas"}, "cost_1_licence": {"5000"}, "cost_1_exit": {"2000,50"}}

		t.Run("Anonymous", func(t *testing.T) {
			b := newBrowser(t, s)
			bad := url.Values{"solution_0": {"gibt-es-nicht"}, "cost_1_hosting": {"viel"}}
			code, body, _ := b.post("/entscheidungshilfe", "/entscheidungshilfe", bad)
			if code != 400 || !strings.Contains(body, "gibt-es-nicht") || !strings.Contains(body, `value="viel"`) {
				t.Errorf("invalid: %d %.3000s", code, body)
			}
			code, body, _ = b.post("/entscheidungshilfe", "/entscheidungshilfe", form)
			for _, want := range []string{"Ratsinfo ratsinfo", "Lizenzprodukt", "Angebote laut Katalog", "aus dem Katalog", "Ihre Annahme", "Niedrigste Gesamtkosten", "Proprietär: Ausstieg"} {
				if !strings.Contains(body, want) {
					t.Errorf("result lacks %q", want)
				}
			}
			if code != 200 || !strings.Contains(body, `value="2000,50"`) {
				t.Errorf("round trip: %d", code)
			}
			code, body, h := b.post("/entscheidungshilfe", "/entscheidungshilfe/pdf", form)
			if code != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
				t.Errorf("pdf: %d %v", code, h)
			}
			save := url.Values{}
			for k, v := range form {
				save[k] = v
			}
			save.Set("action", "save")
			if code, _, _ := b.post("/entscheidungshilfe", "/entscheidungshilfe", save); code != 401 {
				t.Errorf("anonymous save: %d", code)
			}
		})

		var id string
		t.Run("Save", func(t *testing.T) {
			b := fundCheckBrowser(t, s, paula)
			save := url.Values{"title": {"Ratsinfo-Wahl"}, "action": {"save"}}
			for k, v := range form {
				save[k] = v
			}
			code, _, h := b.post("/entscheidungshilfe", "/entscheidungshilfe", save)
			loc := h.Get("Location")
			if code != 303 || !strings.HasPrefix(loc, "/entscheidungshilfe/") {
				t.Fatalf("save: %d %v", code, h)
			}
			id = strings.TrimPrefix(strings.Split(loc, "?")[0], "/entscheidungshilfe/")
			code, body, _ := b.get(loc)
			if code != 200 || !strings.Contains(body, "Ratsinfo-Wahl") || !strings.Contains(body, "Niedrigste Gesamtkosten") {
				t.Errorf("view: %d", code)
			}
			if code, body, _ := b.get("/entscheidungshilfe"); code != 200 || !strings.Contains(body, "/entscheidungshilfe/"+id) {
				t.Errorf("list: %d", code)
			}
			if code, body, _ := b.get("/entscheidungshilfe/" + id + "/pdf"); code != 200 || !strings.HasPrefix(body, "%PDF") {
				t.Errorf("pdf: %d", code)
			}
			other := fundCheckBrowser(t, s, max)
			for _, p := range []string{"/entscheidungshilfe/" + id, "/entscheidungshilfe/" + id + "/pdf"} {
				if code, _, _ := other.get(p); code != 404 {
					t.Errorf("%s for another user: %d", p, code)
				}
			}
			if code, _, _ := other.post("/entscheidungshilfe", "/entscheidungshilfe/"+id+"/loeschen", url.Values{}); code != 404 {
				t.Errorf("delete by another user: %d", code)
			}
			if code, _, _ := b.post("/entscheidungshilfe/"+id, "/entscheidungshilfe/"+id+"/loeschen", url.Values{}); code != 303 {
				t.Errorf("delete: %d", code)
			}
			if code, _, _ := b.get("/entscheidungshilfe/" + id); code != 404 {
				t.Errorf("deleted: %d", code)
			}
		})

		t.Run("API", func(t *testing.T) {
			key := testAPIToken(t, s, paula, account.ScopeRead, account.ScopeWrite)
			maxKey := testAPIToken(t, s, max, account.ScopeRead, account.ScopeWrite)
			body := `{"title":"API","answers":{"operation":"self"},"increase_bp":300,"options":[{"solution":"ratsinfo","costs":{"support":100000}},{"name":"Eigen","open_source":"yes","delivery":["on_premises"],"costs":{"implementation":5000000}}]}`
			rec := apiCall(t, s, "POST", "/api/v1/decision-aids", key, body)
			if rec.Code != 201 {
				t.Fatalf("create: %d %s", rec.Code, rec.Body)
			}
			var a apiDecisionAid
			json.Unmarshal(rec.Body.Bytes(), &a)
			if len(a.Result) != 2 || a.Result[0].Total != 100000+103000+106090+109273+112551 || !a.Result[0].Lowest {
				t.Errorf("result: %+v", a.Result)
			}
			if rec := apiCall(t, s, "POST", "/api/v1/decision-aids", key, `{"options":[],"increase_bp":-1}`); rec.Code != 400 ||
				!strings.Contains(rec.Body.String(), `"field":"options"`) || !strings.Contains(rec.Body.String(), `"field":"increase"`) {
				t.Errorf("invalid: %d %s", rec.Code, rec.Body)
			}
			upd := `{"lock":` + strconv.Itoa(a.Lock) + `,"title":"Neu","options":[{"name":"Nur eine"}]}`
			if rec := apiCall(t, s, "PUT", "/api/v1/decision-aids/"+a.ID, maxKey, upd); rec.Code != 404 {
				t.Errorf("update by another user: %d", rec.Code)
			}
			if rec := apiCall(t, s, "PUT", "/api/v1/decision-aids/"+a.ID, key, upd); rec.Code != 200 {
				t.Errorf("update: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "PUT", "/api/v1/decision-aids/"+a.ID, key, upd); rec.Code != 409 {
				t.Errorf("stale update: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "GET", "/api/v1/decision-aids", maxKey, ""); decodeMap(t, rec.Body)["total"] != 0.0 {
				t.Errorf("another user lists: %s", rec.Body)
			}
			if rec := apiCall(t, s, "DELETE", "/api/v1/decision-aids/"+a.ID, maxKey, ""); rec.Code != 404 {
				t.Errorf("delete by another user: %d", rec.Code)
			}
			if rec := apiCall(t, s, "DELETE", "/api/v1/decision-aids/"+a.ID, key, ""); rec.Code != 200 {
				t.Errorf("delete: %d %s", rec.Code, rec.Body)
			}
		})
	})
}

// FuzzParseCents: any typed amount is read without a panic, never as a
// negative or oversized number, and what the form writes back reads the same.
func FuzzParseCents(f *testing.F) {
	for _, s := range []string{"1.200", "1200,50 €", "0,5", "12.345.678,99", "-1", "1e9", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseCents(s)
		if !ok {
			return
		}
		if c < 0 || c >= 1e14 {
			t.Fatalf("parseCents(%q) = %d", s, c)
		}
		back := strconv.FormatInt(c/100, 10) + "," + strconv.FormatInt(100+c%100, 10)[1:]
		if c2, ok := parseCents(back); !ok || c2 != c {
			t.Fatalf("round trip of %q: %q → %d %v", s, back, c2, ok)
		}
	})
}

// TestDecisionFundCheckTexts: the pages of both tools have every text in
// both languages (no message key shows through).
func TestDecisionFundCheckTexts(t *testing.T) {
	s := newTestServer(t, "sqlite")
	usageSolution(t, s, "ratsinfo")
	u := mustAccount(t, s, "texte@example.org", "Texte")
	b := fundCheckBrowser(t, s, u)
	key := testAPIToken(t, s, u, account.ScopeRead, account.ScopeWrite)
	rec := apiCall(t, s, "POST", "/api/v1/fund-checks", key, fundCheckBody("Ratsinformationssystem", "administration.online-services"))
	var c apiFundCheck
	json.Unmarshal(rec.Body.Bytes(), &c)
	form := url.Values{"q_skills": {"strong"}, "q_operation": {"self"}, "q_adaptation": {"high"}, "q_exit": {"medium"}, "solution_0": {"ratsinfo"},
		"name_1": {"Eigen"}, "cost_1_implementation": {"100"}}
	for _, lang := range []string{"de", "en"} {
		pages := map[string]string{}
		for _, p := range []string{"/bestandspruefung", "/bestandspruefung/neu", "/bestandspruefung/statistik", "/bestandspruefung/" + c.ID,
			"/entscheidungshilfe", "/bestandspruefung/" + c.ID + "/bearbeiten"} {
			code, body, _ := b.get(p + "?lang=" + lang)
			if code != 200 {
				t.Errorf("%s: %d", p, code)
			}
			pages[p] = body
		}
		_, pages["result"], _ = b.post("/entscheidungshilfe?lang="+lang, "/entscheidungshilfe?lang="+lang, form)
		for p, body := range pages {
			for _, prefix := range []string{"fundcheck.", "decision.", "need.value."} {
				if i := strings.Index(body, ">"+prefix); i >= 0 || strings.Contains(body, " "+prefix) {
					t.Errorf("%s (%s) shows a message key %q", p, lang, body[max(0, i):min(len(body), i+60)])
				}
			}
		}
	}
}
