package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestAccountExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		eva := mustAccount(t, s, "eva@gemeinde.example", "Eva", account.Curator)
		b := loggedIn(t, s, "eva@gemeinde.example")
		if code, body, _ := b.post("/konto", "/konto/schluessel", url.Values{"name": {"Ratsinfo"}, "scopes": {"read"}, "days": {"30"}}); code != http.StatusOK ||
			!strings.Contains(body, "sr_") {
			t.Fatalf("token: %d", code)
		}
		// Eva declares that her municipality uses a solution and reports on it.
		regiontest.ImportDistricts(t, db, "08421")
		usageSolution(t, s, "ratsinfo")
		ulm := verifiedMunicipality(t, s, eva, "08421000")
		yes := true
		if _, err := s.Usage.Declare(t.Context(), eva, "ratsinfo", catalog.UseForm{Org: ulm.Slug, Since: "2024-03",
			Delivery: catalog.SaaS, Status: catalog.InUse}, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Usage.SaveReport(t.Context(), eva, "ratsinfo", catalog.ReportForm{Org: ulm.Slug,
			Text: "Läuft stabil.", Usability: 4, Support: 5, Integration: 3, Value: 4, Again: &yes}, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		_, body, _ := b.get("/konto")
		if !strings.Contains(body, `href="/konto/daten"`) || !strings.Contains(body, "Meine Daten herunterladen") {
			t.Fatal("account page has no export link")
		}
		code, body, h := b.get("/konto/daten")
		want := `attachment; filename="smartregions-konto-` + time.Now().In(berlin).Format(time.DateOnly) + `.json"`
		if code != http.StatusOK || h.Get("Content-Disposition") != want || !strings.HasPrefix(h.Get("Content-Type"), "application/json") ||
			h.Get("Cache-Control") != "no-store" {
			t.Fatalf("export: %d %q %q", code, h.Get("Content-Disposition"), h.Get("Content-Type"))
		}
		var e account.Export
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Fatal(err)
		}
		if e.Account.Email != "eva@gemeinde.example" || len(e.Roles) != 1 || len(e.Sessions) != 1 || len(e.APITokens) != 1 ||
			e.APITokens[0].Name != "Ratsinfo" || len(e.AuditLog) < 2 || e.Memberships == nil {
			t.Errorf("export: %+v", e)
		}
		decls, _ := e.Extra["usage_declarations"].([]any)
		reports, _ := e.Extra["experience_reports"].([]any)
		if contacts, ok := e.Extra["contact_requests"].([]any); len(decls) != 1 || len(reports) != 1 || !ok || len(contacts) != 0 ||
			!strings.Contains(body, `"text": "Läuft stabil."`) {
			t.Errorf("export without declared use: %v", e.Extra)
		}
		if err := loadOpenAPI(t).validate("/components/schemas/Export", []byte(body)); err != nil {
			t.Error(err)
		}
		if strings.Contains(body, "argon2") || strings.Contains(body, "sr_") {
			t.Error("export contains a password hash or a token secret")
		}
		if code, _, _ := b.get("/konto/daten?format=xml"); code != http.StatusBadRequest {
			t.Errorf("unknown parameter: %d", code)
		}
		if code, _, h := newBrowser(t, s).get("/konto/daten"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/anmelden") {
			t.Errorf("visitor: %d", code)
		}
	})
}

func TestAccountDeletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		mustAccount(t, s, "betrieb@kreis.example", "", account.Operator)
		eva := mustAccount(t, s, "eva@gemeinde.example", "Eva", account.Curator)
		b := loggedIn(t, s, "eva@gemeinde.example")
		other := loggedIn(t, s, "eva@gemeinde.example") // a second session

		_, body, _ := b.get("/konto")
		if !strings.Contains(body, `action="/konto/loeschen"`) || !strings.Contains(body, "bleiben Inhalte, die Sie für eine Organisation angelegt haben") ||
			!strings.Contains(body, `name="delete_password"`) {
			t.Fatal("account page has no deletion form")
		}
		code, body, _ := b.post("/konto", "/konto/loeschen", url.Values{"delete_password": {"falsches-passwort"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "Das Passwort stimmt nicht.") || strings.Contains(body, "falsches-passwort") ||
			!strings.Contains(body, `href="#f-delete_password"`) {
			t.Errorf("wrong password: %d", code)
		}
		if code, body, _ = b.post("/konto", "/konto/loeschen", url.Values{}); code != http.StatusBadRequest || !strings.Contains(body, "Bitte füllen Sie dieses Feld aus.") {
			t.Errorf("no password: %d", code)
		}
		code, _, h := b.post("/konto", "/konto/loeschen", url.Values{"delete_password": {testPassword}})
		if code != http.StatusSeeOther || h.Get("Location") != "/?hinweis=konto-geloescht" || !strings.Contains(h.Get("Set-Cookie"), "sid=;") {
			t.Fatalf("delete: %d %q %q", code, h.Get("Location"), h.Get("Set-Cookie"))
		}
		if code, body, _ = b.get("/?hinweis=konto-geloescht"); code != http.StatusOK || !strings.Contains(body, "Ihr Konto wurde gelöscht.") || strings.Contains(body, "Mein Konto:") {
			t.Errorf("start page after deletion: %d", code)
		}
		if code, _, _ = b.get("/?hinweis=irgendwas"); code != http.StatusBadRequest {
			t.Errorf("unknown notice: %d", code)
		}
		if code, _, _ = other.get("/konto"); code != http.StatusSeeOther {
			t.Errorf("the other session survived: %d", code)
		}
		if code, _, _ = newBrowser(t, s).post("/anmelden", "/anmelden", url.Values{"email": {"eva@gemeinde.example"}, "password": {testPassword}}); code != http.StatusBadRequest {
			t.Errorf("login after deletion: %d", code)
		}

		// The operator sees the deletion in the audit log, without the address.
		op := loggedIn(t, s, "betrieb@kreis.example")
		_, body, _ = op.get("/betrieb/protokoll?actor=" + eva.ID)
		if !strings.Contains(body, "Konto gelöscht") || !strings.Contains(body, "gelöschtes Konto") || strings.Contains(body, "eva@gemeinde.example") {
			t.Error("audit log after deletion")
		}
		// The last operator cannot delete the account.
		code, body, _ = op.post("/konto", "/konto/loeschen", url.Values{"delete_password": {testPassword}})
		if code != http.StatusBadRequest || !strings.Contains(body, "letzte mit der Aufgabe Betrieb") {
			t.Errorf("last operator: %d", code)
		}

		// An account without a password confirms with its address.
		secret, _, err := s.Accounts.LoginExternal(t.Context(), account.External{Provider: "kommune", Subject: "s-1", Email: "sso@gemeinde.example",
			EmailVerified: true}, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		sso := newBrowser(t, s)
		base, _ := url.Parse(sso.base)
		sso.c.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: secret, Path: "/"}})
		if _, body, _ = sso.get("/konto"); !strings.Contains(body, `name="delete_email"`) || strings.Contains(body, `name="delete_password"`) {
			t.Fatal("account without password: no address field")
		}
		code, body, _ = sso.post("/konto", "/konto/loeschen", url.Values{"delete_email": {"eva@gemeinde.example"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "stimmt nicht mit der Ihres Kontos überein") || !strings.Contains(body, `value="eva@gemeinde.example"`) {
			t.Errorf("wrong address: %d", code)
		}
		if code, _, _ = sso.post("/konto", "/konto/loeschen", url.Values{"delete_email": {"SSO@gemeinde.example"}}); code != http.StatusSeeOther {
			t.Errorf("delete with the address: %d", code)
		}
	})
}
