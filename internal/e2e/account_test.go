package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/sso/ssotest"
)

// testPassword passes the platform's password rules.
const testPassword = "Gemeinderat-tagt-donnerstags"

// mailTimeout bounds the wait for a mail: the job runner polls every
// 50 ms, so a mail normally arrives well within a second.
const mailTimeout = 20 * time.Second

// The account forms' fields and buttons.
const (
	registerSubmit = `main form[action="/registrieren"] button[type="submit"]`
	loginSubmit    = `main form[action="/anmelden"] button[type="submit"]`
	formSummary    = `main .app-error-summary`
)

// testRegisterConfirmLogin: register, confirm with the link from the
// mail, log in, see the account.
func (e *env) testRegisterConfirmLogin(t *testing.T) {
	t.Parallel()
	ctx := e.registerAndLogin(t, "eva.muster@gemeinde.example", "Eva Muster")
	wantText(t, ctx, "main dl", "eva.muster@gemeinde.example", "Eva Muster")
	wantText(t, ctx, `main section[aria-labelledby="sitzungen"]`, "(dieses Gerät)")
}

// registerAndLogin walks a new user's first journey in a new tab, in
// German: /registrieren (first with a password that is too short, which
// must keep the input and explain next to the field), the confirmation
// mail as the SMTP server received it, the link in it, the login. It
// returns the tab, signed in as email and on /konto, for journeys that
// go on from there (create an organisation, invite, …); its deadline
// leaves them as much time again as the registration had.
func (e *env) registerAndLogin(t *testing.T, email, name string) context.Context {
	t.Helper()
	ctx := e.tab(t, 2*journeyTimeout)
	e.open(t, ctx, "/registrieren", 200)
	run(t, ctx, "fill in the registration form",
		chromedp.SendKeys(chromedp.CSS("#f-name"), name),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "kurz"))
	follow(t, ctx, "register with a short password", 400, chromedp.Click(chromedp.CSS(registerSubmit)))
	e.wantFieldError(t, ctx, "password", "mindestens 10 Zeichen")
	if v := value(t, ctx, "#f-email"); v != email {
		t.Errorf("e-mail field holds %q after the failed attempt, want the typed %q", v, email)
	}
	if v := value(t, ctx, "#f-name"); v != name {
		t.Errorf("name field holds %q after the failed attempt, want the typed %q", v, name)
	}
	if v := value(t, ctx, "#f-password"); v != "" {
		t.Errorf("the password field shows %q again: passwords must never be echoed", v)
	}

	run(t, ctx, "type a good password", chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword))
	follow(t, ctx, "register", 200, chromedp.Click(chromedp.CSS(registerSubmit)))
	wantText(t, ctx, "main", "Fast geschafft", email)

	link := e.mailLink(t, email, "/konto/bestaetigen/")
	e.open(t, ctx, strings.TrimPrefix(link, e.base), 200)
	follow(t, ctx, "confirm the address", 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	wantText(t, ctx, "main", "Adresse bestätigt")
	follow(t, ctx, `click "Anmelden" on the confirmation`, 200, chromedp.Click(chromedp.Search(`//main//a[normalize-space()="Anmelden"]`)))
	if p := e.path(t, ctx); p != "/anmelden" {
		t.Fatalf("the confirmation's link leads to %s, want /anmelden", p)
	}
	e.submitLogin(t, ctx, email, testPassword)
	return ctx
}

// testSSOLogin: a visitor asks for the account page, chooses the
// provider on the login page, signs in at the provider and comes back
// signed in, to the account page, with a new account.
func (e *env) testSSOLogin(t *testing.T) {
	t.Parallel()
	jonas := ssotest.User{Subject: "u-jonas", Email: "jonas.weber@landkreis.example", EmailVerified: true, Name: "Jonas Weber"}
	e.op.SetUser(jonas)
	ctx := e.tab(t, journeyTimeout)
	e.open(t, ctx, "/konto", 200)
	if p := e.path(t, ctx); p != "/anmelden?weiter=%2Fkonto" {
		t.Fatalf("a visitor on /konto is at %s, want the login page", p)
	}
	follow(t, ctx, `click "Anmelden mit Servicekonto Test"`, 200,
		chromedp.Click(chromedp.Search(`//main//a[normalize-space()="Anmelden mit Servicekonto Test"]`)))
	if loc := eval[string](t, ctx, `location.href`); !strings.HasPrefix(loc, e.op.URL+"/login?") {
		t.Fatalf("after the provider's button: at %s, want the provider's login page", loc)
	}
	run(t, ctx, "type the user at the provider", chromedp.SendKeys(chromedp.CSS("#user"), jonas.Email))
	follow(t, ctx, "sign in at the provider", 200, chromedp.Click(chromedp.CSS("#signin")))
	if p := e.path(t, ctx); p != "/konto" {
		t.Fatalf("after the provider's login: at %s, want /konto", p)
	}
	wantText(t, ctx, "main dl", jonas.Email, jonas.Name)
	wantText(t, ctx, ".app-account", "Jonas Weber")
}

// open loads path in the tab and fails t unless it answers with want
// (after redirects).
func (e *env) open(t *testing.T, ctx context.Context, path string, want int64) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.url(path)))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != want {
		t.Fatalf("open %s: status %d, want %d (%s)", path, resp.Status, want, resp.URL)
	}
}

// login signs the tab in as email with password through the login form.
func (e *env) login(t *testing.T, ctx context.Context, email, password string) {
	t.Helper()
	e.open(t, ctx, "/anmelden", 200)
	e.submitLogin(t, ctx, email, password)
}

// submitLogin fills in the login form the tab shows and expects to land
// on the account page.
func (e *env) submitLogin(t *testing.T, ctx context.Context, email, password string) {
	t.Helper()
	run(t, ctx, "fill in the login form",
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password))
	follow(t, ctx, "log in as "+email, 200, chromedp.Click(chromedp.CSS(loginSubmit)))
	if p := e.path(t, ctx); p != "/konto" {
		t.Fatalf("after the login as %s: at %s, want /konto", email, p)
	}
	wantText(t, ctx, "main dl", email)
}

// newUser creates a confirmed account with the password testPassword and
// roles, as if its owner had registered and confirmed the address.
func (e *env) newUser(t *testing.T, email, name string, roles ...account.Role) account.User {
	t.Helper()
	hash, err := account.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Name: name, Lang: "de", Created: now,
		EmailConfirmed: &now, HasPassword: true, Roles: roles}
	err = e.db.CreateUser(t.Context(), account.NewUser{User: u, PasswordHash: hash, Roles: roles,
		Audit: account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), At: now, ActorLabel: "e2e test",
			Action: "account.created_by_test", ObjectType: "user", ObjectID: u.ID}})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// mailLink waits for the next mail to the address to, as the SMTP server
// received it, and returns the platform's link in it whose path starts
// with prefix.
func (e *env) mailLink(t *testing.T, to, prefix string) string {
	t.Helper()
	m := e.mails.MustNext(t, to, mailTimeout)
	if m.ParseErr != nil {
		t.Fatalf("mail to %s: %v", to, m.ParseErr)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(e.base+prefix) + `[A-Za-z0-9_-]+`).FindString(m.Text)
	if link == "" {
		t.Fatalf("the mail to %s (%q) has no link %s…:\n%s", to, m.Subject, e.base+prefix, m.Text)
	}
	return link
}

// wantFieldError checks that a form sent with a faulty field shows the
// error summary, which takes the focus and links to the field, and the
// message msg next to the field, tied to it for screen readers.
func (e *env) wantFieldError(t *testing.T, ctx context.Context, field, msg string) {
	t.Helper()
	run(t, ctx, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(formSummary)))
	wantText(t, ctx, formSummary, "Bitte prüfen Sie Ihre Eingaben", msg)
	if !eval[bool](t, ctx, `document.querySelector(`+jsString(formSummary+` a[href="#f-`+field+`"]`)+`) !== null`) {
		t.Errorf("the error summary does not link to #f-%s", field)
	}
	if title := eval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Fehler:") {
		t.Errorf("title %q does not start with Fehler:", title)
	}
	sel := "#f-" + field
	if v := attr(t, ctx, sel, "aria-invalid"); v != "true" {
		t.Errorf("%s aria-invalid=%q, want true", sel, v)
	}
	if d := attr(t, ctx, sel, "aria-describedby"); !strings.Contains(d, "f-"+field+"-error") {
		t.Errorf("%s aria-describedby=%q does not name its error f-%s-error", sel, d, field)
	}
	wantText(t, ctx, sel+"-error", msg)
	e.wantFocus(t, ctx, formSummary)
}

// value returns the current value of the form field sel matches.
func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return eval[string](t, ctx, `document.querySelector(`+jsString(sel)+`).value`)
}
