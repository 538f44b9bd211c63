package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/procurement"
)

// TestProcurementOrientationPage: the public form answers on the same
// page from the query (bookmarkable), in German and English, with the
// notice that it is orientation and the source and validity of each
// value; bad input is explained next to the field, never a 500.
func TestProcurementOrientationPage(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		b := newBrowser(t, s)
		code, body, _ := b.get("/vergabe/orientierung")
		wantPage(t, "empty form", code, body, http.StatusOK, "Vergabe-Orientierung", `name="value"`, `<legend class="kern-label">Angaben zum Auftrag`,
			`value="sub_central" selected`, `href="/vergabe/orientierung" aria-current="page"`)
		if strings.Contains(body, "Orientierung, keine Rechtsberatung") {
			t.Error("the notice belongs to a result, not the empty form")
		}

		q := "/vergabe/orientierung?value=216.000&contract_type=supplies_services&authority_type=sub_central&date=2026-03-02"
		code, body, _ = b.get(q)
		wantPage(t, "at the threshold", code, body, http.StatusOK, "Orientierung, keine Rechtsberatung", "erreicht oder überschreitet den EU-Schwellenwert",
			"216.000,00 €", "gültig vom 01.01.2026 bis 31.12.2027", "2025/2152", "Vergabeverordnung (VgV)", "Wettbewerblicher Dialog",
			"Inhouse-Vergabe", "§ 108 Abs. 6 GWB", "Einer für Alle", "Schätzung des Auftragswerts nach § 3 VgV", `value="216.000"`)
		if strings.Index(body, "keine Rechtsberatung") > strings.Index(body, "Wettbewerblicher Dialog") {
			t.Error("the notice is not at the top of the result")
		}

		code, body, _ = b.get("/vergabe/orientierung?value=900&contract_type=supplies_services&authority_type=sub_central&state=05&date=2026-03-02")
		wantPage(t, "direct award", code, body, http.StatusOK, "unter dem EU-Schwellenwert", "Direktauftrag", "1.000,00 €", "§ 14 UVgO",
			"Für das gewählte Land sind noch keine Wertgrenzen hinterlegt", "Unterschwellenvergabeordnung")

		code, body, _ = newBrowser(t, s).get("/vergabe/orientierung?lang=en&value=5,404,000&contract_type=works&authority_type=sub_central&date=2026-03-02")
		wantPage(t, "English", code, body, http.StatusOK, "Orientation, not legal advice", "reaches or exceeds the EU threshold", "5,404,000.00 €",
			"VOB/A section 2", "Intermunicipal cooperation")

		for _, c := range []struct{ query, field, msg string }{
			{"value=-5", "value", "größer als 0"},
			{"value=zwölf", "value", "Bitte geben Sie einen Betrag in Euro ein"},
			{"value=1000000000000000", "value", "höchstens 10 Milliarden"},
			{"value=100&state=17", "state", "Bitte wählen Sie ein Land"},
			{"value=100&date=31.02.2026", "date", "JJJJ-MM-TT"},
			{"value=", "value", "Bitte füllen Sie dieses Feld aus"},
		} {
			code, body, _ = b.get("/vergabe/orientierung?contract_type=supplies_services&authority_type=sub_central&" + c.query)
			wantPage(t, c.query, code, body, http.StatusBadRequest, `href="#f-`+c.field+`"`, c.msg, `id="f-`+c.field+`-error"`)
			if strings.Contains(body, "keine Rechtsberatung") {
				t.Errorf("%s: a result despite the error", c.query)
			}
		}
		code, _, _ = b.get("/vergabe/orientierung?value=1&contract_type=works&authority_type=central&wert=1")
		if code != http.StatusBadRequest {
			t.Errorf("unknown parameter: %d", code)
		}
	})
}

// TestProcurementAPI: the orientation and the thresholds through the API,
// in the request's language; bad input gives field messages.
func TestProcurementAPI(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		rec := get(t, s, "/api/v1/procurement/orientation?value=215999.99&contract_type=supplies_services&authority_type=sub_central&date=2026-01-01",
			"Accept-Language: en")
		var o apiOrientation
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &o) != nil {
			t.Fatalf("orientation: %d %s", rec.Code, rec.Body)
		}
		if o.EUApplies || o.EUThreshold == nil || o.EUThreshold.AmountNetCents != 21600000 || !strings.HasPrefix(o.Notice, "Orientation, not legal advice.") ||
			o.NationalFrom == nil || *o.NationalFrom != "DE" || len(o.Routes) != 3 || o.Regime.Key != "uvgo" {
			t.Errorf("orientation %+v", o)
		}
		// The last day of a value: the shipped EU values end on 31.12.2027.
		rec = get(t, s, "/api/v1/procurement/orientation?value=300000&contract_type=supplies_services&authority_type=sub_central&date=2028-01-01")
		if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil || o.EUThreshold != nil || o.EUApplies {
			t.Errorf("after the validity: %s", rec.Body)
		}
		for _, bad := range []string{"value=-5", "value=abc", "value=1000000000000000", "value=1&state=17", "value=1&contract_type=x"} {
			rec = get(t, s, "/api/v1/procurement/orientation?contract_type=works&authority_type=sub_central&"+bad, "Accept-Language: de")
			var p problem
			if rec.Code != http.StatusBadRequest || json.Unmarshal(rec.Body.Bytes(), &p) != nil || len(p.Errors) == 0 || p.Errors[0].Message == "" {
				t.Errorf("%s: %d %s", bad, rec.Code, rec.Body)
			}
		}
		rec = get(t, s, "/api/v1/procurement/thresholds")
		var l list[apiThreshold]
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &l) != nil || l.Total < 14 || l.Total != len(l.Items) {
			t.Fatalf("thresholds: %d %.300s", rec.Code, rec.Body)
		}
	})
}

var reThresholdLink = regexp.MustCompile(`href="/betrieb/schwellenwerte/([0-9a-f-]{36})"`)

// The tests share the database with the OpenAPI tests, which add a value
// for state 09: these use other states.

// TestProcurementThresholdAdmin: operators add a state's value (it is
// used at once), may not change the amount of a value in force, end it;
// every change lands in the audit log; others are refused.
func TestProcurementThresholdAdmin(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		op := signedInBrowser(t, s, "betrieb@plattform.example", account.Operator)
		code, body, _ := op.get("/betrieb/schwellenwerte")
		wantPage(t, "list", code, body, http.StatusOK, "Schwellenwerte und Wertgrenzen", "5.404.000,00 €", "§ 14 UVgO", "Wert anlegen")

		code, body, _ = op.post("/betrieb/schwellenwerte", "/betrieb/schwellenwerte", url.Values{"scope": {"national"}, "jurisdiction": {"17"},
			"contract_type": {"supplies_services"}, "procedure": {"direct_award"}, "amount": {"zehn"}, "valid_from": {"2026-01-01"}, "source_text": {""}})
		wantPage(t, "bad value", code, body, http.StatusBadRequest, `href="#f-amount"`, "Bitte geben Sie einen Betrag", `value="zehn"`)

		form := url.Values{"scope": {"national"}, "jurisdiction": {"14"}, "contract_type": {"supplies_services"}, "procedure": {"direct_award"},
			"amount": {"5.000"}, "valid_from": {"2026-01-01"}, "source_text": {"Landesrecht Sachsen (Beispiel)"}, "source_url": {"https://example.org/vv"}}
		code, _, h := op.post("/betrieb/schwellenwerte", "/betrieb/schwellenwerte", form)
		if code != http.StatusSeeOther || h.Get("Location") != "/betrieb/schwellenwerte?erledigt=angelegt" {
			t.Fatalf("add: %d %s", code, h.Get("Location"))
		}
		anon := newBrowser(t, s)
		code, body, _ = anon.get("/vergabe/orientierung?value=4000&contract_type=supplies_services&authority_type=sub_central&state=14&date=2026-03-02")
		wantPage(t, "state value used", code, body, http.StatusOK, "5.000,00 €", "Landesrecht Sachsen (Beispiel)", "Direktauftrag")

		code, body, _ = op.get("/betrieb/schwellenwerte?erledigt=angelegt")
		wantPage(t, "added", code, body, http.StatusOK, "Der Wert wurde angelegt.", "Landesrecht Sachsen (Beispiel)")
		var id string
		for _, m := range reThresholdLink.FindAllStringSubmatch(body, -1) {
			if got, err := s.Procurement.Get(t.Context(), m[1]); err == nil && got.Jurisdiction == "14" {
				id = m[1]
			}
		}
		if id == "" {
			t.Fatal("the list does not link the new value")
		}
		edit := "/betrieb/schwellenwerte/" + id
		code, body, _ = op.get(edit)
		wantPage(t, "edit", code, body, http.StatusOK, "Wert bearbeiten", `value="5000,00"`, "betrieb@plattform.example")
		if !s.Procurement.Today().Before(mustDay(t, "2026-01-01")) {
			form.Set("amount", "6.000")
			code, body, _ = op.post(edit, edit, form)
			wantPage(t, "amount in force", code, body, http.StatusBadRequest, "Betrag, Art und Beginn bleiben deshalb unverändert", `value="6.000"`)
		}
		code, body, _ = op.post(edit, edit+"/beenden", url.Values{"end": {"2020-01-01"}})
		wantPage(t, "end in the past", code, body, http.StatusBadRequest, `href="#f-end"`)
		code, _, h = op.post(edit, edit+"/beenden", url.Values{"end": {"2099-12-31"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/betrieb/schwellenwerte?erledigt=beendet" {
			t.Fatalf("end: %d %s", code, h.Get("Location"))
		}
		got, err := s.Procurement.Get(t.Context(), id)
		if err != nil || got.ValidUntil == nil || got.ValidUntil.Format(procurement.DateLayout) != "2099-12-31" {
			t.Fatalf("ended %+v %v", got, err)
		}
		log, err := s.DB.AuditLog(t.Context(), account.AuditFilter{ObjectID: id, Limit: 10})
		if err != nil || len(log.Items) != 2 || log.Items[0].Action != "procurement.threshold_ended" || log.Items[1].Action != "procurement.threshold_added" {
			t.Fatalf("audit %+v %v", log.Items, err)
		}

		code, body, _ = op.get(edit + "?lang=en")
		wantPage(t, "English edit", code, body, http.StatusOK, "Edit value", "End validity", "Last day of validity", "Landesrecht Sachsen (Beispiel)")
		code, body, _ = op.get("/betrieb/schwellenwerte")
		wantPage(t, "English list", code, body, http.StatusOK, "Thresholds and value limits", "5,404,000.00 €", "Add a value")

		// Other users: the pages refuse, the API refuses.
		other := signedInBrowser(t, s, "jemand@kommune.example")
		for _, path := range []string{"/betrieb/schwellenwerte", edit} {
			if code, _, _ := other.get(path); code != http.StatusForbidden {
				t.Errorf("GET %s as another user: %d", path, code)
			}
		}
		if code, _, _ := other.post("/konto", edit+"/beenden", url.Values{"end": {"2099-01-01"}}); code != http.StatusForbidden {
			t.Errorf("end as another user: %d", code)
		}
		user := mustAccount(t, s, "api-nutzer@kommune.example", "")
		token := testAPIToken(t, s, user, account.ScopeRead, account.ScopeWrite)
		rec := apiCall(t, s, http.MethodPost, "/api/v1/procurement/thresholds", token, `{}`)
		if rec.Code != http.StatusForbidden {
			t.Errorf("API add as another user: %d", rec.Code)
		}
	})
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	v, ok := procurement.ParseDate(s)
	if !ok {
		t.Fatal(s)
	}
	return v
}

// TestProcurementStateDefault: the empty form proposes the state of the
// signed-in user's municipality; a chosen state (even none) wins.
func TestProcurementStateDefault(t *testing.T) {
	s := newTestServer(t, "sqlite")
	userID, session := testAccount(t, s)
	if _, err := s.DB.CreateOrg(t.Context(), org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "testhausen", Kind: org.Municipality,
		Name: "Testhausen", RegionKey: "09162000"}, userID, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	rec := get(t, s, "/vergabe/orientierung", "Cookie: "+sessionCookie+"="+session())
	wantPage(t, "default", rec.Code, rec.Body.String(), http.StatusOK, `<option value="09" selected>`)
	rec = get(t, s, "/vergabe/orientierung?value=100&contract_type=works&authority_type=sub_central&state=", "Cookie: "+sessionCookie+"="+session())
	if body := rec.Body.String(); rec.Code != http.StatusOK || strings.Contains(body, `<option value="09" selected>`) {
		t.Errorf("chosen: %d, state 09 selected anyway", rec.Code)
	}
	if body := get(t, s, "/vergabe/orientierung").Body.String(); strings.Contains(body, `<option value="09" selected>`) {
		t.Error("a visitor gets a state")
	}
}
