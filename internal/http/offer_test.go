package http

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// offerNeedBody is a need that every SaaS solution under an open licence
// meets completely (score 100).
func offerNeedBody(org, title, visibility string, publish bool) string {
	b, _ := json.Marshal(map[string]any{"organisation": org, "title": title, "problem": "Sitzungen digital vorbereiten.",
		"field": "administration.online-services", "visibility": visibility, "publish": publish, "hosting": "any",
		"requirements": []map[string]any{
			{"text": "Als Software as a Service", "kind": "must", "attribute": "delivery:saas"},
			{"text": "Open Source", "kind": "should", "weight": 5, "attribute": "open_source"},
		}})
	return string(b)
}

// onPremProvider is a verified provider whose only solution runs on
// premises: it does not match a need that must be SaaS.
func onPremProvider(t *testing.T, s *Server, slug string) account.User {
	t.Helper()
	dev := mustAccount(t, s, "dev-"+uuid.NewString()[:8]+"@lokal.example", "Lokal")
	o, err := s.Orgs.Create(t.Context(), dev, orgNew("Lokal "+slug), account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	verifyOrg(t, s, o.ID, "chef-"+uuid.NewString()[:8]+"@lokal.example")
	if _, err := s.DB.ImportSolution(t.Context(), catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: o.ID, ImportedFrom: "test/" + slug},
		catalog.Entry{Name: "Lokal " + slug, Short: "Sitzungen vor Ort", Licence: "EUPL-1.2", Repository: "https://example.org/lokal",
			Fields: []string{"administration.online-services"}, Maturity: "production",
			Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "flat"}}}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	return dev
}

// loginBrowser signs an existing user (with testPassword) in.
func loginBrowser(t *testing.T, s *Server, email string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	if code, _, _ := b.post("/anmelden", "/anmelden", url.Values{"email": {email}, "password": {testPassword}}); code != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, code)
	}
	return b
}

var reMissingOfferKey = regexp.MustCompile(`\boffer\.[a-z_]+\.[a-z_.]+`)

func TestOffers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "08421", "09162")
		s := newServerOn(t, db)
		ctx := t.Context()
		_, dev := usageSolution(t, s, "ratsinfo")
		_, dev2 := usageSolution(t, s, "ratsplus")
		local := onPremProvider(t, s, "ratslokal")
		eva := mustAccount(t, s, "eva@ulm.de", "Eva")
		ulm := verifiedMunicipality(t, s, eva, "08421000")
		max := mustAccount(t, s, "max@muenchen.de", "Max")
		verifiedMunicipality(t, s, max, "09162000")
		plain := mustAccount(t, s, "paula@example.org", "Paula")
		keys := map[string]string{"owner": testAPIToken(t, s, eva, account.ScopeRead, account.ScopeWrite),
			"provider": testAPIToken(t, s, dev, account.ScopeRead, account.ScopeWrite), "provider2": testAPIToken(t, s, dev2, account.ScopeRead, account.ScopeWrite),
			"other": testAPIToken(t, s, max, account.ScopeRead, account.ScopeWrite), "user": testAPIToken(t, s, plain, account.ScopeRead, account.ScopeWrite),
			"local": testAPIToken(t, s, local, account.ScopeRead, account.ScopeWrite)}
		create := func(body string) string {
			t.Helper()
			rec := apiCall(t, s, "POST", "/api/v1/needs", keys["owner"], body)
			if rec.Code != 201 {
				t.Fatalf("create need: %d %s", rec.Code, rec.Body)
			}
			return decodeMap(t, rec.Body)["slug"].(string)
		}
		public := create(offerNeedBody(ulm.Slug, "Ratsarbeit digital", "public", true))
		create(offerNeedBody(ulm.Slug, "Ratsarbeit Entwurf", "public", false))
		base := "/api/v1/needs/" + public + "/offers"

		t.Run("Sweep", func(t *testing.T) {
			n, err := s.Offers.SweepMatches(ctx)
			if err != nil || n != 2 {
				t.Fatalf("sweep: %d %v", n, err)
			}
			if n, err := s.Offers.SweepMatches(ctx); err != nil || n != 0 {
				t.Errorf("second sweep: %d %v", n, err)
			}
			// Two sweeps at once (two instances) notify each provider once.
			create(offerNeedBody(ulm.Slug, "Ratsarbeit zweiter Bedarf", "providers", true))
			counts := make(chan int, 2)
			var wg sync.WaitGroup
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := s.Offers.SweepMatches(ctx)
					if err != nil {
						t.Error(err)
					}
					counts <- n
				}()
			}
			wg.Wait()
			if total := <-counts + <-counts; total != 2 {
				t.Errorf("concurrent sweeps notified %d providers, want 2", total)
			}
			for who, want := range map[string]int{dev.ID: 2, dev2.ID: 2, local.ID: 0, eva.ID: 0} {
				list, _, err := db.Notifications(ctx, who, 10)
				if err != nil {
					t.Fatal(err)
				}
				got := 0
				for _, no := range list {
					if no.Kind == "need.match" {
						got++
						if !strings.HasPrefix(no.Link, "/bedarfe/ratsarbeit-") {
							t.Errorf("link %s", no.Link)
						}
					}
				}
				if got != want {
					t.Errorf("need.match notifications of %s: %d, want %d", who, got, want)
				}
			}
		})

		valid := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
		offerJSON := func(m map[string]any) string {
			body := map[string]any{"text": "Wir liefern **Ratsinfo**.", "delivery_model": "saas", "price": 12500.5, "price_basis": "year",
				"valid_until": valid, "solutions": []string{"ratsinfo"}}
			for k, v := range m {
				body[k] = v
			}
			b, _ := json.Marshal(body)
			return string(b)
		}
		var offerID, offer2ID, fileURL string

		t.Run("Validation", func(t *testing.T) {
			rec := apiCall(t, s, "POST", base, keys["provider"], offerJSON(map[string]any{"price": -5, "valid_until": "2020-01-01",
				"solutions": []string{"ratsplus"}, "delivery_model": "mainframe", "attachments": []map[string]string{{"name": "a.exe", "content_base64": "TVqQ"}}}))
			if rec.Code != 400 {
				t.Fatalf("invalid: %d %s", rec.Code, rec.Body)
			}
			for _, f := range []string{"price", "valid_until", "solutions", "delivery_model", "attachments"} {
				if !strings.Contains(rec.Body.String(), `"field":"`+f+`"`) {
					t.Errorf("no message for %s: %s", f, rec.Body)
				}
			}
			if !strings.Contains(rec.Body.String(), "Das Datum darf nicht in der Vergangenheit liegen") {
				t.Errorf("not German: %s", rec.Body)
			}
			if rec := apiCall(t, s, "GET", base, keys["provider"], ""); decodeMap(t, rec.Body)["total"] != 0.0 {
				t.Errorf("half-saved: %s", rec.Body)
			}
			// Municipalities and plain users offer nothing.
			for _, who := range []string{"other", "user", "owner"} {
				if rec := apiCall(t, s, "POST", base, keys[who], offerJSON(nil)); rec.Code != 403 {
					t.Errorf("offer as %s: %d %s", who, rec.Code, rec.Body)
				}
			}
		})

		t.Run("Offer", func(t *testing.T) {
			rec := apiCall(t, s, "POST", base, keys["provider"], offerJSON(nil))
			if rec.Code != 201 {
				t.Fatalf("create: %d %s", rec.Code, rec.Body)
			}
			o := decodeMap(t, rec.Body)
			offerID = o["id"].(string)
			if o["state"] != "draft" || o["price"] != 12500.5 {
				t.Errorf("created: %s", rec.Body)
			}
			// Drafts are the provider's alone.
			if rec := apiCall(t, s, "GET", base+"/"+offerID, keys["owner"], ""); rec.Code != 404 {
				t.Errorf("owner sees a draft: %d", rec.Code)
			}
			if rec := apiCall(t, s, "POST", base, keys["provider"], offerJSON(nil)); rec.Code != 409 {
				t.Errorf("second offer: %d", rec.Code)
			}
			file := base64.StdEncoding.EncodeToString([]byte("Preisblatt\n"))
			rec = apiCall(t, s, "PUT", base+"/"+offerID, keys["provider"], offerJSON(map[string]any{"lock": 0, "submit": true,
				"attachments": []map[string]string{{"name": "preise.txt", "content_base64": file}}}))
			if rec.Code != 200 {
				t.Fatalf("submit: %d %s", rec.Code, rec.Body)
			}
			o = decodeMap(t, rec.Body)
			if o["state"] != "submitted" || len(o["attachments"].([]any)) != 1 {
				t.Fatalf("submitted: %s", rec.Body)
			}
			fileURL = o["attachments"].([]any)[0].(map[string]any)["url"].(string)
			rec = apiCall(t, s, "POST", base, keys["provider2"], offerJSON(map[string]any{"solutions": []string{"ratsplus"}, "submit": true, "price": 9000}))
			if rec.Code != 201 {
				t.Fatalf("second provider: %d %s", rec.Code, rec.Body)
			}
			offer2ID = decodeMap(t, rec.Body)["id"].(string)
		})

		t.Run("Visibility", func(t *testing.T) {
			for who, want := range map[string]float64{"owner": 2, "provider": 1, "provider2": 1} {
				rec := apiCall(t, s, "GET", base, keys[who], "")
				if rec.Code != 200 || decodeMap(t, rec.Body)["total"] != want {
					t.Errorf("list as %s: %d %s", who, rec.Code, rec.Body)
				}
			}
			// Another provider learns nothing of the offer (404); whoever
			// takes no part in the need's offers is refused (403).
			for who, want := range map[string]int{"owner": 200, "provider": 200, "provider2": 404, "local": 404, "other": 403, "user": 403, "": 401} {
				if rec := apiCall(t, s, "GET", base+"/"+offerID, keys[who], ""); rec.Code != want {
					t.Errorf("GET offer as %q: %d, want %d", who, rec.Code, want)
				}
			}
			for _, who := range []string{"other", "user"} {
				if rec := apiCall(t, s, "GET", base, keys[who], ""); rec.Code != 403 {
					t.Errorf("list as %s: %d", who, rec.Code)
				}
			}
			// Pages: the offer and its attachment.
			for who, want := range map[string]int{"owner": 200, "provider": 200, "provider2": 404, "other": 403} {
				u := map[string]account.User{"owner": eva, "provider": dev, "provider2": dev2, "other": max}[who]
				h := []string{"Accept-Language: de", "Cookie: " + sessionCookie + "=" + needSession(t, s, u)}
				if rec := get(t, s, "/bedarfe/"+public+"/angebote/"+offerID, h...); rec.Code != want {
					t.Errorf("offer page as %s: %d, want %d", who, rec.Code, want)
				}
				rec := get(t, s, fileURL, h...)
				if rec.Code != want || want == 200 && rec.Body.String() != "Preisblatt\n" {
					t.Errorf("attachment as %s: %d %q, want %d", who, rec.Code, rec.Body, want)
				}
			}
			h := []string{"Accept-Language: de", "Cookie: " + sessionCookie + "=" + needSession(t, s, eva)}
			if rec := get(t, s, "/bedarfe/"+public+"/angebote", h...); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Anbieter ratsinfo") ||
				!strings.Contains(rec.Body.String(), "Anbieter ratsplus") || !strings.Contains(rec.Body.String(), "12.500,50") {
				t.Errorf("overview: %d %s", rec.Code, rec.Body)
			}
			h2 := []string{"Accept-Language: de", "Cookie: " + sessionCookie + "=" + needSession(t, s, dev2)}
			if rec := get(t, s, "/bedarfe/"+public+"/angebote", h2...); rec.Code != 200 || strings.Contains(rec.Body.String(), "Anbieter ratsinfo") {
				t.Errorf("provider's overview shows another offer: %d", rec.Code)
			}
		})

		t.Run("Decide", func(t *testing.T) {
			path := base + "/" + offerID + "/decision"
			if rec := apiCall(t, s, "POST", path, keys["owner"], `{"state":"declined","reason":"","lock":1}`); rec.Code != 400 ||
				!strings.Contains(rec.Body.String(), `"field":"reason"`) {
				t.Errorf("decline without reason: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "POST", path, keys["provider"], `{"state":"shortlisted","lock":1}`); rec.Code != 403 {
				t.Errorf("provider decides: %d", rec.Code)
			}
			if rec := apiCall(t, s, "POST", path, keys["owner"], `{"state":"declined","reason":"Zu teuer","lock":1}`); rec.Code != 200 {
				t.Fatalf("decline: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "PUT", base+"/"+offerID, keys["provider"], offerJSON(map[string]any{"lock": 2})); rec.Code != 409 {
				t.Errorf("change a declined offer: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "POST", base+"/"+offer2ID+"/withdraw", keys["provider"], `{"lock":0}`); rec.Code != 404 {
				t.Errorf("withdraw another's offer: %d", rec.Code)
			}
			if rec := apiCall(t, s, "POST", base+"/"+offer2ID+"/withdraw", keys["provider2"], `{"lock":0}`); rec.Code != 200 ||
				decodeMap(t, rec.Body)["state"] != "withdrawn" {
				t.Errorf("withdraw: %d %s", rec.Code, rec.Body)
			}
		})

		t.Run("Questions", func(t *testing.T) {
			q := "/api/v1/needs/" + public + "/questions"
			rec := apiCall(t, s, "POST", q, keys["provider2"], `{"text":"Welche Schnittstelle nutzt Ihr Ratsinformationssystem?"}`)
			if rec.Code != 201 {
				t.Fatalf("ask: %d %s", rec.Code, rec.Body)
			}
			id := decodeMap(t, rec.Body)["id"].(string)
			if rec := apiCall(t, s, "POST", q, keys["provider2"], `{"text":""}`); rec.Code != 400 {
				t.Errorf("empty question: %d", rec.Code)
			}
			if items := decodeMap(t, apiCall(t, s, "GET", q, keys["provider"], "").Body)["items"].([]any); len(items) != 0 {
				t.Errorf("unanswered question of another provider shown: %v", items)
			}
			if items := decodeMap(t, apiCall(t, s, "GET", q, keys["owner"], "").Body)["items"].([]any); len(items) != 1 ||
				items[0].(map[string]any)["provider"] != "Anbieter ratsplus" {
				t.Errorf("owner's questions: %v", items)
			}
			if rec := apiCall(t, s, "POST", q+"/"+id+"/answer", keys["provider"], `{"text":"x"}`); rec.Code != 403 {
				t.Errorf("provider answers: %d", rec.Code)
			}
			if rec := apiCall(t, s, "POST", q+"/"+id+"/answer", keys["owner"], `{"text":"OParl 1.1"}`); rec.Code != 200 {
				t.Fatalf("answer: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "POST", q+"/"+id+"/answer", keys["owner"], `{"text":"nochmal"}`); rec.Code != 409 {
				t.Errorf("second answer: %d", rec.Code)
			}
			if rec := apiCall(t, s, "POST", q, keys["owner"], `{"text":"Die Frist endet am 31. März."}`); rec.Code != 201 {
				t.Fatalf("statement: %d %s", rec.Code, rec.Body)
			}
			items := decodeMap(t, apiCall(t, s, "GET", q, keys["provider"], "").Body)["items"].([]any)
			if len(items) != 2 || items[0].(map[string]any)["answer"] != "OParl 1.1" || items[0].(map[string]any)["provider"] != nil ||
				items[1].(map[string]any)["statement"] != true {
				t.Errorf("provider's questions: %v", items)
			}
			for _, who := range []string{"other", "user"} {
				if rec := apiCall(t, s, "GET", q, keys[who], ""); rec.Code != 403 {
					t.Errorf("questions as %s: %d", who, rec.Code)
				}
			}
			// The answer and the statement reach the providers alike.
			for _, u := range []account.User{dev, dev2, local} {
				list, _, err := db.Notifications(ctx, u.ID, 20)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, no := range list {
					if no.Kind == "need.clarification" {
						got = append(got, no.Action)
					}
				}
				slices.Sort(got)
				want := []string{"answered", "statement"}
				if u.ID == local.ID {
					want = nil
				}
				if !slices.Equal(got, want) {
					t.Errorf("clarifications of %s: %v, want %v", u.Email, got, want)
				}
			}
			h := []string{"Accept-Language: de", "Cookie: " + sessionCookie + "=" + needSession(t, s, dev)}
			if rec := get(t, s, "/bedarfe/"+public+"/fragen", h...); rec.Code != 200 || !strings.Contains(rec.Body.String(), "OParl 1.1") ||
				strings.Contains(rec.Body.String(), "Anbieter ratsplus") {
				t.Errorf("questions page: %d", rec.Code)
			}
		})

		t.Run("Pages", func(t *testing.T) {
			b := loginBrowser(t, s, dev2.Email)
			path := "/bedarfe/" + public + "/angebot"
			code, body, _ := b.get(path)
			if code != 200 || !strings.Contains(body, `id="f-solutions-ratsplus"`) || !strings.Contains(body, "Angebot abgeben") {
				t.Fatalf("form: %d %s", code, body)
			}
			form := url.Values{"text": {"Neues Angebot"}, "delivery": {"saas"}, "price": {"1.234,50"}, "price_basis": {"month"},
				"valid_until": {"2020-01-01"}, "solutions": {"ratsplus"}, "action": {"submit"}, "lock": {"1"}}
			code, body, _ = b.post(path, path, form)
			if code != 400 || !strings.Contains(body, "Das Datum darf nicht in der Vergangenheit liegen") || !strings.Contains(body, `value="1.234,50"`) ||
				!strings.Contains(body, `f-valid_until-error"`) {
				t.Fatalf("invalid form: %d %s", code, body)
			}
			form.Set("valid_until", valid)
			code, _, h := b.post(path, path, form)
			if code != http.StatusSeeOther || h.Get("Location") != path+"?erledigt=abgegeben" {
				t.Fatalf("resubmit: %d %v", code, h)
			}
			if _, body, _ := b.get(path + "?erledigt=abgegeben"); !strings.Contains(body, "Ihr Angebot wurde abgegeben") || !strings.Contains(body, "1.234,50") {
				t.Errorf("after submit: %s", body)
			}
			if code, body, _ := b.get("/bedarfe/" + public); code != 200 || !strings.Contains(body, path) {
				t.Errorf("need page lacks the offer link: %d", code)
			}
			owner := loginBrowser(t, s, eva.Email)
			for _, lang := range []string{"de", "en"} {
				for _, p := range []string{"/bedarfe/" + public + "/angebote", "/bedarfe/" + public + "/angebote/" + offer2ID, "/bedarfe/" + public + "/fragen"} {
					req, _ := http.NewRequest(http.MethodGet, owner.base+p, nil)
					req.Header.Set("Accept-Language", lang)
					code, body, _ := owner.do(req)
					if m := reMissingOfferKey.FindString(body); code != 200 || m != "" {
						t.Errorf("%s %s: %d, untranslated %q", lang, p, code, m)
					}
				}
			}
			view := "/bedarfe/" + public + "/angebote/" + offer2ID
			if code, body, _ := owner.post(view, view+"/entscheidung", url.Values{"state": {"shortlisted"}, "lock": {"2"}}); code != http.StatusSeeOther {
				t.Errorf("shortlist: %d %s", code, body)
			}
			other := loginBrowser(t, s, dev.Email)
			if code, _, _ := other.get(view); code != 404 { // another provider
				t.Errorf("other provider's offer page: %d", code)
			}
		})

		t.Run("Audit", func(t *testing.T) {
			seen := map[string]int{}
			for _, prefix := range []string{"offer.", "need."} {
				log, err := db.AuditLog(ctx, account.AuditFilter{Action: prefix, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range log.Items {
					seen[e.Action]++
				}
			}
			for _, a := range []string{"offer.created", "offer.submitted", "offer.declined", "offer.withdrawn", "offer.shortlisted", "need.question",
				"need.answer", "need.statement"} {
				if seen[a] == 0 {
					t.Errorf("no %s in the audit log: %v", a, seen)
				}
			}
		})
	})
}
