package http

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// mustAccount creates a confirmed account with testPassword and roles.
func mustAccount(tb testing.TB, s *Server, email, name string, roles ...account.Role) account.User {
	tb.Helper()
	hash, err := account.HashPassword(testPassword)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Name: name, Lang: "de", Created: now, EmailConfirmed: &now,
		HasPassword: true, Roles: roles}
	if err := s.DB.CreateUser(context.Background(), account.NewUser{User: u, PasswordHash: hash, Roles: roles}); err != nil {
		tb.Fatal(err)
	}
	return u
}

// loggedIn returns a browser signed in as email with testPassword.
func loggedIn(t *testing.T, s *Server, email string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	if code, _, _ := b.post("/anmelden", "/anmelden", url.Values{"email": {email}, "password": {testPassword}}); code != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, code)
	}
	return b
}

// checked reports whether the page has the role checkbox ticked.
func checked(body string, role account.Role) bool {
	m := regexp.MustCompile(`<input[^>]*id="f-role-` + string(role) + `"[^>]*>`).FindString(body)
	return strings.Contains(m, " checked")
}

func TestUserAdministration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		op := mustAccount(t, s, "betrieb@kreis.example", "Betrieb", account.Operator)
		eva := mustAccount(t, s, "eva@gemeinde.example", "Eva Muster")
		for i := range 51 {
			mustAccount(t, s, fmt.Sprintf("z%02d@masse.example", i), "")
		}
		b := loggedIn(t, s, "betrieb@kreis.example")

		code, body, _ := b.get("/betrieb/konten")
		if code != http.StatusOK || !strings.Contains(body, "betrieb@kreis.example") || !strings.Contains(body, "53 Konten") ||
			!strings.Contains(body, `href="/betrieb/konten"`) || !strings.Contains(body, `href="/betrieb/protokoll"`) {
			t.Fatalf("user list: %d", code)
		}
		// Keyset pages: the first has a link onwards, the second one back to the start.
		next := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(body)
		if next == nil || strings.Contains(body, "z50@masse.example") {
			t.Fatal("first page: no next link, or too long")
		}
		code, body, _ = b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		if code != http.StatusOK || !strings.Contains(body, "z50@masse.example") || strings.Contains(body, "eva@gemeinde.example") ||
			!strings.Contains(body, "Zur ersten Seite") || strings.Contains(body, `rel="next"`) {
			t.Fatalf("second page: %d", code)
		}

		// Search by name in any case; filter by role.
		if _, body, _ = b.get("/betrieb/konten?q=MUSTER"); !strings.Contains(body, "eva@gemeinde.example") || !strings.Contains(body, "1 Konto") ||
			strings.Contains(body, "betrieb@kreis.example</a>") || !strings.Contains(body, `value="MUSTER"`) {
			t.Error("search by name")
		}
		if _, body, _ = b.get("/betrieb/konten?role=operator"); !strings.Contains(body, "betrieb@kreis.example</a>") || !strings.Contains(body, "1 Konto") {
			t.Error("filter by role")
		}
		// Faulty filters: a message at the field, the input kept, no list.
		for target, want := range map[string]string{
			"/betrieb/konten?q=eva&role=admin":                         "Die Aufgabe „admin“ gibt es nicht",
			"/betrieb/konten?q=" + strings.Repeat("x", 101):            "höchstens 100 Zeichen",
			"/betrieb/konten?q=eva&cursor=kaputt":                      "Blätter-Verweis",
			"/betrieb/konten?q=eva&sort=name":                          "„sort“ ist hier nicht vorgesehen",
			"/betrieb/konten?q=eva&role=curator&role=advisor":          "nur einmal vorkommen",
			"/betrieb/konten?q=eva&cursor=" + encodeOpaque(struct{}{}): "Blätter-Verweis",
		} {
			code, body, _ := b.get(target)
			if code != http.StatusBadRequest || !strings.Contains(body, want) || strings.Contains(body, "<table") {
				t.Errorf("%s: %d, want 400 with %q", target, code, want)
			}
			if strings.Contains(target, "q=eva") && !strings.Contains(body, `value="eva"`) {
				t.Errorf("%s: the search term is not kept", target)
			}
		}
		if _, body, _ = b.get("/betrieb/konten?q=eva&role=admin"); !strings.Contains(body, `aria-describedby="f-role-error"`) || !strings.Contains(body, `id="f-role-error"`) {
			t.Error("the role filter's error is not tied to the field")
		}

		// The account's page and its role form.
		page := "/betrieb/konten/" + eva.ID
		code, body, _ = b.get(page)
		if code != http.StatusOK || !strings.Contains(body, "Konto eva@gemeinde.example") || checked(body, account.Curator) || !strings.Contains(body, "<legend") {
			t.Fatalf("user page: %d", code)
		}
		code, _, h := b.post(page, page+"/rollen", url.Values{"roles": {"curator", "advisor"}})
		if code != http.StatusSeeOther || h.Get("Location") != page+"?gespeichert=1" {
			t.Fatalf("set roles: %d %s", code, h.Get("Location"))
		}
		_, body, _ = b.get(page + "?gespeichert=1")
		if !strings.Contains(body, "Die Aufgaben wurden gespeichert.") || !checked(body, account.Curator) || !checked(body, account.Advisor) || checked(body, account.Operator) {
			t.Error("saved roles not shown")
		}
		// A faulty form keeps what was ticked and explains at the field.
		code, body, _ = b.post(page, page+"/rollen", url.Values{"roles": {"curator", "admin"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "Die Aufgabe „admin“ gibt es nicht") || !checked(body, account.Curator) ||
			checked(body, account.Advisor) || !strings.Contains(body, `href="#f-roles"`) || !strings.Contains(body, `id="f-roles-error"`) {
			t.Errorf("faulty role form: %d", code)
		}
		// The last operator keeps the role.
		self := "/betrieb/konten/" + op.ID
		code, body, _ = b.post(self, self+"/rollen", url.Values{"roles": {"advisor"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "mindestens ein Konto mit der Aufgabe Betrieb") || checked(body, account.Operator) || !checked(body, account.Advisor) {
			t.Errorf("last operator: %d", code)
		}
		if code, _, _ = b.post(page, "/betrieb/konten/unbekannt/rollen", url.Values{"roles": {"curator"}}); code != http.StatusNotFound {
			t.Errorf("unknown account: %d", code)
		}
		if code, _, _ = b.get("/betrieb/konten/unbekannt"); code != http.StatusNotFound {
			t.Errorf("unknown account page: %d", code)
		}
		// Every change is in the audit log, with who and from where.
		_, body, _ = b.get("/betrieb/protokoll?action=account.role_granted&object_id=" + eva.ID)
		if !strings.Contains(body, "Aufgabe vergeben") || !strings.Contains(body, "role: curator") || !strings.Contains(body, "role: advisor") ||
			!strings.Contains(body, "2 Einträge") || !strings.Contains(body, "Betrieb</a>") && !strings.Contains(body, "betrieb@kreis.example</a>") {
			t.Error("role changes missing from the audit log")
		}

		// Others are refused; an operator who gives up the role ends on /konto.
		user := loggedIn(t, s, "eva@gemeinde.example")
		for _, target := range []string{"/betrieb/konten", page, "/betrieb/protokoll"} {
			if code, _, _ := user.get(target); code != http.StatusForbidden {
				t.Errorf("curator on %s: %d", target, code)
			}
		}
		if code, _, _ := user.post("/konto", page+"/rollen", url.Values{"roles": {"operator"}}); code != http.StatusForbidden {
			t.Errorf("curator sets roles: %d", code)
		}
		if _, err := s.Accounts.SetRoles(t.Context(), op, eva.ID, []account.Role{account.Operator}, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		code, _, h = b.post(self, self+"/rollen", url.Values{})
		if code != http.StatusSeeOther || h.Get("Location") != "/konto" {
			t.Errorf("operator gives up the role: %d %s", code, h.Get("Location"))
		}
		if code, _, _ := b.get("/betrieb/konten"); code != http.StatusForbidden {
			t.Errorf("former operator: %d", code)
		}
	})
}

func TestAuditLogPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		op := mustAccount(t, s, "betrieb@kreis.example", "Betrieb", account.Operator)
		ctx := context.Background()
		add := func(at time.Time, e account.AuditEntry) {
			db.Now = func() time.Time { return at }
			defer func() { db.Now = time.Now }()
			e.ID = uuid.Must(uuid.NewV7()).String()
			if err := db.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		// 10:00 UTC is 11:00 in Berlin; 23:30 UTC is already the next day there.
		add(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), account.AuditEntry{ActorID: op.ID, ActorLabel: op.Email, Action: "account.role_granted",
			ObjectType: "user", ObjectID: "u-1", Details: map[string]any{"role": "curator"}, IP: "198.51.100.4"})
		add(time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), account.AuditEntry{ActorID: "u-2", ActorLabel: account.DeletedLabel,
			Action: "test.unbekannt", ObjectType: "thing", ObjectID: "t-1", Details: map[string]any{"scopes": []any{"read", "write"}}})
		for i := range 50 {
			add(time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC), account.AuditEntry{Action: "test.masse", ObjectID: fmt.Sprint(i)})
		}
		b := loggedIn(t, s, "betrieb@kreis.example")

		code, body, _ := b.get("/betrieb/protokoll?from=01.03.2026&to=2026-03-01")
		if code != http.StatusOK || !strings.Contains(body, "01.03.2026, 11:00 Uhr") || !strings.Contains(body, "Aufgabe vergeben") ||
			!strings.Contains(body, "198.51.100.4") || !strings.Contains(body, "role: curator") || strings.Contains(body, "test.unbekannt") ||
			!strings.Contains(body, "1 Eintrag") || !strings.Contains(body, `value="01.03.2026"`) {
			t.Fatalf("one day: %d", code)
		}
		code, body, _ = b.get("/betrieb/protokoll?from=2.3.2026")
		if code != http.StatusOK || !strings.Contains(body, "02.03.2026, 00:30 Uhr") || !strings.Contains(body, "gelöschtes Konto") ||
			!strings.Contains(body, "test.unbekannt") || !strings.Contains(body, "scopes: read, write") {
			t.Fatalf("next day: %d", code)
		}
		if _, body, _ = b.get("/betrieb/protokoll?actor=BETRIEB@kreis.example&action=account.role_granted&lang=en"); !strings.Contains(body, "Role assigned") ||
			!strings.Contains(body, "1 entry") || !strings.Contains(body, "1 Mar 2026, 11:00") {
			t.Error("filter by actor address, in English")
		}
		b.get("/betrieb/protokoll?lang=de") // the language is remembered
		if _, body, _ = b.get("/betrieb/protokoll?action=test.&object_type=thing"); !strings.Contains(body, "1 Eintrag") {
			t.Error("filter by action prefix and object type")
		}

		// 52 entries: two keyset pages, newest first.
		_, body, _ = b.get("/betrieb/protokoll?action=test.")
		next := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(body)
		if next == nil || !strings.Contains(body, "51 Einträge") {
			t.Fatal("no next page")
		}
		code, body, _ = b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		if code != http.StatusOK || !strings.Contains(body, "01.01.2026, 01:00 Uhr") || !strings.Contains(body, "Zur ersten Seite") || strings.Contains(body, `rel="next"`) {
			t.Errorf("second page: %d", code)
		}

		// Faulty filters: a message at the field; the form keeps the input.
		for target, want := range map[string][]string{
			"/betrieb/protokoll?from=31.02.2026&actor=eva":             {"gültiges Datum", `value="31.02.2026"`, `value="eva"`, `aria-describedby="f-from-hint f-from-error"`},
			"/betrieb/protokoll?from=2026-03-02&to=01.03.2026":         {"„Bis“ darf nicht vor „Von“ liegen.", `value="2026-03-02"`, `value="01.03.2026"`, `href="#f-to"`},
			"/betrieb/protokoll?to=gestern":                            {"gültiges Datum"},
			"/betrieb/protokoll?action=Konto!":                         {"Kleinbuchstaben, Ziffern, Punkten", `value="Konto!"`},
			"/betrieb/protokoll?object_type=User":                      {"Kleinbuchstaben, Ziffern und Unterstrichen"},
			"/betrieb/protokoll?object_id=" + strings.Repeat("x", 101): {"höchstens 100 Zeichen"},
			"/betrieb/protokoll?cursor=eyJ0IjoxfQ":                     {"Blätter-Verweis"},
		} {
			code, body, _ := b.get(target)
			if code != http.StatusBadRequest || strings.Contains(body, "<table") {
				t.Errorf("%s: %d", target, code)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: no %q", target, w)
				}
			}
		}
	})
}
