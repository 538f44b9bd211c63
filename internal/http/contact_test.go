package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
)

// contactBrowser is a signed-in browser and the id of its account.
func contactBrowser(t *testing.T, s *Server, email string, roles ...account.Role) (*browser, string) {
	t.Helper()
	b := signedInBrowser(t, s, email, roles...)
	u, _, err := s.DB.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return b, u.ID
}

func contactValues(login, name string, states ...string) url.Values {
	return url.Values{"login": {login}, "name": {name}, "role_title": {"Beratung Digitalisierung"}, "phone": {"+49 89 1234-5"},
		"email": {"beratung@kompetenz.example"}, "fields": {"mobility"}, "topics": {"Fördermittel"},
		"availability": {"Mo–Do 9–15 Uhr"}, "states": states}
}

// anonymousPage fetches a page as a visitor (served from the page cache).
func anonymousPage(t *testing.T, s *Server, target, lang string) string {
	t.Helper()
	rec := get(t, s, target, "Accept-Language: "+lang)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d", target, rec.Code)
	}
	return rec.Body.String()
}

func TestContactPages(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		const munich = "/kommunen/09162000"
		op, _ := contactBrowser(t, s, unique("olga"), account.Operator)
		annaMail, bertMail := unique("anna"), unique("bert")
		anna, annaID := contactBrowser(t, s, annaMail, account.Advisor)
		_, bertID := contactBrowser(t, s, bertMail, account.Advisor)
		plain, _ := contactBrowser(t, s, unique("paul"))
		plainMail := unique("pia")
		signedInBrowser(t, s, plainMail)

		// The visitor's page is cached before any contact exists.
		before := anonymousPage(t, s, munich, "de")
		if strings.Contains(before, "Ihre Ansprechperson") {
			t.Fatal("contact section without contacts")
		}
		if again := get(t, s, munich, "Accept-Language: de"); again.Header().Get("ETag") == "" {
			t.Fatal("municipality page not cached")
		}

		t.Run("Validation", func(t *testing.T) {
			form := contactValues(plainMail, "", "09")
			form.Set("districts", "09162, 14612, 123")
			form.Set("email", "keine-adresse")
			code, body, _ := op.post("/betrieb/ansprechpersonen", "/betrieb/ansprechpersonen", form)
			for _, want := range []string{"Bitte füllen Sie dieses Feld aus.", "nicht die Aufgabe Beratung", "„123“ ist kein fünfstelliger Kreisschlüssel",
				"name@beispiel.de", `href="#f-name"`, `>Fördermittel</textarea>`, `value="09162, 14612, 123"`} {
				if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, `"`, "&#34;")) {
					t.Errorf("missing %q", want)
				}
			}
			if code != http.StatusBadRequest {
				t.Fatalf("status %d", code)
			}
			form = contactValues(unique("niemand"), "Nina", "09")
			form.Set("districts", "14612")
			if code, body, _ := op.post("/betrieb/ansprechpersonen", "/betrieb/ansprechpersonen", form); code != http.StatusBadRequest ||
				!strings.Contains(body, "Es gibt kein Konto mit dieser E-Mail-Adresse.") || !strings.Contains(body, "liegt in keinem der gewählten Länder") {
				t.Fatalf("unknown login: %d", code)
			}
		})

		// Anna covers Bavaria, Bert only the city of Munich.
		if code, _, h := op.post("/betrieb/ansprechpersonen", "/betrieb/ansprechpersonen", contactValues(annaMail, "Anna Amsel", "09")); code != http.StatusSeeOther ||
			h.Get("Location") != "/betrieb/ansprechpersonen?erledigt=angelegt" {
			t.Fatalf("create: %d %s", code, h.Get("Location"))
		}
		bert := contactValues(bertMail, "Bert Buntspecht", "09")
		bert.Set("districts", "09162")
		if code, _, _ := op.post("/betrieb/ansprechpersonen", "/betrieb/ansprechpersonen", bert); code != http.StatusSeeOther {
			t.Fatalf("create Bert: %d", code)
		}
		if code, body, _ := op.post("/betrieb/ansprechpersonen", "/betrieb/ansprechpersonen", contactValues(annaMail, "Anna", "09")); code != http.StatusBadRequest ||
			!strings.Contains(body, "schon als Ansprechperson eingetragen") {
			t.Fatalf("twice: %d", code)
		}

		t.Run("CachedPageShowsContactAtOnce", func(t *testing.T) {
			body := anonymousPage(t, s, munich, "de")
			i, j := strings.Index(body, "Bert Buntspecht"), strings.Index(body, "Anna Amsel")
			if !strings.Contains(body, "Ihre Ansprechperson") || i < 0 || j < 0 || i > j || !strings.Contains(body, "Mo–Do 9–15 Uhr") ||
				!strings.Contains(body, `href="mailto:beratung@kompetenz.example"`) {
				t.Fatalf("municipality page after create: district first? %d %d", i, j)
			}
			if body := anonymousPage(t, s, munich, "en"); !strings.Contains(body, "Your contact") || !strings.Contains(body, "Availability") {
				t.Fatal("English page has no contacts")
			}
			// A Bavarian municipality outside Munich: Anna only.
			if body := anonymousPage(t, s, "/kommunen/09184119", "de"); !strings.Contains(body, "Anna Amsel") || strings.Contains(body, "Bert Buntspecht") {
				t.Fatal("Unterhaching: wrong contacts")
			}
		})

		t.Run("AdvisorEditsOwnAvailabilityOnly", func(t *testing.T) {
			page := "/betrieb/ansprechpersonen/" + annaID
			code, body, _ := anna.get(page)
			if code != http.StatusOK || !strings.Contains(body, `name="availability"`) || strings.Contains(body, `name="role_title"`) {
				t.Fatalf("own form: %d", code)
			}
			form := url.Values{"availability": {"Fr 9–12 Uhr"}, "topics": {"Fördermittel"}, "role_title": {"Chefin"}, "name": {"Anna X"}, "states": {"01"}}
			if code, _, _ := anna.post(page, page, form); code != http.StatusSeeOther {
				t.Fatalf("own update: %d", code)
			}
			body = anonymousPage(t, s, munich, "de")
			if !strings.Contains(body, "Fr 9–12 Uhr") || strings.Contains(body, "Chefin") || !strings.Contains(body, "Anna Amsel") {
				t.Fatal("advisor's edit: availability not shown at once, or other fields changed")
			}
			// Others' contacts and the operators' pages stay closed.
			for _, target := range []string{"/betrieb/ansprechpersonen/" + bertID, "/betrieb/ansprechpersonen"} {
				if code, _, _ := anna.get(target); code != http.StatusForbidden {
					t.Errorf("advisor on %s: %d", target, code)
				}
			}
			if code, _, _ := plain.get(page); code != http.StatusForbidden {
				t.Errorf("other user on Anna's form: %d", code)
			}
			req, _ := http.NewRequest(http.MethodPost, anna.base+"/betrieb/ansprechpersonen/"+bertID, strings.NewReader(url.Values{"availability": {"nie"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", anna.base)
			if code, _, _ := anna.do(req); code != http.StatusForbidden {
				t.Errorf("advisor updates Bert: %d", code)
			}
		})

		t.Run("Export", func(t *testing.T) {
			if code, raw, _ := anna.get("/api/v1/me/export"); code != http.StatusOK || !strings.Contains(raw, `"contact":{`) || !strings.Contains(raw, "Fr 9–12 Uhr") {
				t.Fatalf("export: %d", code)
			}
		})
		t.Run("OperatorEditsAll", func(t *testing.T) {
			page := "/betrieb/ansprechpersonen/" + bertID
			form := contactValues("", "Bert Buntspecht", "09", "14")
			form.Set("role_title", "Leiter Beratung")
			form.Set("availability", "Di 10–12 Uhr")
			form.Set("districts", "09162")
			if code, _, _ := op.post(page, page, form); code != http.StatusSeeOther {
				t.Fatalf("operator update: %d", code)
			}
			if body := anonymousPage(t, s, munich, "de"); !strings.Contains(body, "Leiter Beratung") {
				t.Fatal("operator's edit not shown at once")
			}
		})

		t.Run("API", func(t *testing.T) {
			var out struct {
				Items []apiContact `json:"items"`
				Total int          `json:"total"`
			}
			rec := get(t, s, "/api/v1/municipalities/09162000/contacts")
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK || out.Total != 2 ||
				out.Items[0].Name != "Bert Buntspecht" || out.Items[1].Availability != "Fr 9–12 Uhr" {
				t.Fatalf("municipality contacts: %d %s", rec.Code, rec.Body)
			}
			rec = get(t, s, "/api/v1/contacts")
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Total != 2 || out.Items[0].Name != "Anna Amsel" {
				t.Fatalf("contacts: %s", rec.Body)
			}
			if rec := get(t, s, "/api/v1/municipalities/99999999/contacts"); rec.Code != http.StatusNotFound {
				t.Fatalf("unknown municipality: %d", rec.Code)
			}
		})

		t.Run("PublicList", func(t *testing.T) {
			body := anonymousPage(t, s, "/ansprechpersonen", "de")
			if !strings.Contains(body, "Bayern") || !strings.Contains(body, "Sachsen") || !strings.Contains(body, "Anna Amsel") ||
				!strings.Contains(body, "nur für diese Kreise") {
				t.Fatal("public list")
			}
			if body := anonymousPage(t, s, "/ansprechpersonen", "en"); !strings.Contains(body, "<h1 class=\"kern-heading-large\">Contacts</h1>") {
				t.Fatal("English list")
			}
			if _, body, _ := anna.get("/ansprechpersonen"); !strings.Contains(body, "/betrieb/ansprechpersonen/"+annaID) || strings.Contains(body, "/betrieb/ansprechpersonen/"+bertID) {
				t.Fatal("advisor's edit link")
			}
		})

		t.Run("Delete", func(t *testing.T) {
			page := "/betrieb/ansprechpersonen/" + bertID
			if code, _, _ := op.post(page, page+"/loeschen", url.Values{}); code != http.StatusSeeOther {
				t.Fatalf("delete: %d", code)
			}
			if body := anonymousPage(t, s, munich, "de"); strings.Contains(body, "Bert Buntspecht") || !strings.Contains(body, "Anna Amsel") {
				t.Fatal("deleted contact still shown")
			}
			if code, _, _ := op.get(page); code != http.StatusNotFound {
				t.Fatalf("deleted contact's form: %d", code)
			}
		})
	})
}
