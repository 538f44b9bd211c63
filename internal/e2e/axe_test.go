package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
)

// axeSource is axe-core, vendored from npm (see axe/LICENSE). The pages'
// Content-Security-Policy forbids inline scripts, so it cannot be added
// with a <script>; Runtime.evaluate from DevTools is not subject to it.
//
//go:embed axe/axe.min.js
var axeSource string

// axeRun runs axe over the whole document for WCAG 2.0 and 2.1, levels A
// and AA (what BITV 2.0 / EN 301 549 require), and returns the violations
// in a shape that prints well. Only the violations list every node:
// resultTypes keeps the other lists to one node per rule, which makes axe
// faster on long tables.
const axeRun = `axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  })
  .then(r => ({
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ''})),
    })),
    incomplete: r.incomplete.map(v => v.id),
    passes: r.passes.length,
  }))`

type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Incomplete []string       `json:"incomplete"` // needs a person's review; logged, not failed
	Passes     int            `json:"passes"`     // rules that found nothing wrong
}

type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

// axePage is a page to check and how to reach it.
type axePage struct {
	name string
	open func(t *testing.T, e *env, ctx context.Context, lang string)
}

// axeGroup is pages checked one after the other in one tab, signed in
// as signIn leaves it (a visitor when signIn is nil).
type axeGroup struct {
	name   string
	signIn func(t *testing.T, e *env, ctx context.Context, lang string)
	pages  []axePage
}

// get opens path in the language lang.
func get(path string) func(t *testing.T, e *env, ctx context.Context, lang string) {
	return func(t *testing.T, e *env, ctx context.Context, lang string) {
		t.Helper()
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		run(t, ctx, "open "+path, chromedp.Navigate(e.url(path+sep+"lang="+lang)))
	}
}

// then opens a page with open and takes the further step on it, which
// loads a page answering with status want.
func then(open func(t *testing.T, e *env, ctx context.Context, lang string), what string, want int64, step chromedp.Action[chromedp.Void]) func(t *testing.T, e *env, ctx context.Context, lang string) {
	return func(t *testing.T, e *env, ctx context.Context, lang string) {
		t.Helper()
		open(t, e, ctx, lang)
		follow(t, ctx, what, want, step)
	}
}

// mailed opens the link that the mail sent by send contains; send gets
// an address of its own for each call.
func mailed(prefix string, send func(t *testing.T, e *env, to string)) func(t *testing.T, e *env, ctx context.Context, lang string) {
	return func(t *testing.T, e *env, ctx context.Context, lang string) {
		t.Helper()
		to := "axe-" + uuid.NewString()[:8] + "@gemeinde.example"
		send(t, e, to)
		link := e.mailLink(t, to, prefix)
		get(strings.TrimPrefix(link, e.base))(t, e, ctx, lang)
	}
}

// Ways to get a link mailed, for mailed.
var (
	sendConfirm = func(t *testing.T, e *env, to string) {
		t.Helper()
		if err := e.accounts.Register(t.Context(), to, testPassword, "", account.Meta{IP: "192.0.2.10"}); err != nil {
			t.Fatal(err)
		}
	}
	sendReset = func(t *testing.T, e *env, to string) {
		t.Helper()
		e.newUser(t, to, "")
		if err := e.accounts.RequestReset(t.Context(), to, account.Meta{IP: "192.0.2.11"}); err != nil {
			t.Fatal(err)
		}
	}
	sendEmailChange = func(t *testing.T, e *env, to string) {
		t.Helper()
		u := e.newUser(t, "alt-"+to, "")
		if err := e.accounts.RequestEmailChange(t.Context(), u, to, testPassword, account.Meta{IP: "192.0.2.12"}); err != nil {
			t.Fatal(err)
		}
	}
)

// submit is the first form's button in main.
var submit = chromedp.Click(chromedp.CSS(`main form button[type="submit"]`))

// axeGroups are the pages checked with axe, each in German and English.
var axeGroups = []axeGroup{
	{name: "Visitor", pages: []axePage{
		{"Home", get("/")},
		{"Municipalities", get("/kommunen")},
		{"Municipality", get(munich)},
		{"MunicipalitySolutions", get(munich + "/loesungen")},
		{"States", get("/laender")},
		{"District", get("/kreise/01051")},
		{"FieldsOfAction", get("/handlungsfelder")},
		{"Solutions", get("/loesungen")},
		{"SolutionSearch", get("/loesungen?q=Daten+-Karte")},
		{"SolutionFacets", get("/loesungen?offen=ja&bereitstellung=saas&sort=neu")},
		{"Solution", then(get("/loesungen"), "open the first solution", 200, chromedp.Click(chromedp.CSS(`main .app-card a[href^="/loesungen/"]`)))},
		{"Comparison", then(get("/loesungen"), "compare the first two solutions", 200, chromedp.Steps(
			chromedp.Click(chromedp.CSS(`main .app-card:nth-child(1) .kern-form-check label`)),
			chromedp.Click(chromedp.CSS(`main .app-card:nth-child(2) .kern-form-check label`)),
			chromedp.Click(chromedp.CSS(`main form#vergleich button[type="submit"]`))))},
		{"CompareChoice", then(then(get("/loesungen"), "open the first solution", 200, chromedp.Click(chromedp.CSS(`main .app-card a[href^="/loesungen/"]`))),
			"choose solutions to compare with", 200, chromedp.Click(chromedp.CSS(`main a[href^="/loesungen/vergleich/auswahl"]`)))},
		{"Accessibility", get("/barrierefreiheit")},
		{"FeedbackErrors", then(get("/barrierefreiheit"), "send the empty feedback form", 400, chromedp.Click(chromedp.CSS(feedbackSend)))},
		{"Knowledge", get("/wissen")},                                       // knowledge_test.go
		{"KnowledgeArticle", getArticle},                                    // knowledge_test.go
		{"PracticeExamples", get("/praxisbeispiele")},                       // practice_test.go
		{"PracticeExample", getPracticeExample},                             // practice_test.go
		{"CentreSearch", getCentreSearch},                                   // centre_search_test.go
		{"CentreSearchErrors", get("/wissen/suche?q=Parken&art=loesungen")}, // centre_search_test.go
		{"DecisionAid", get("/entscheidungshilfe")},                         // fundcheck_test.go
		{"DecisionAidErrors", then(get("/entscheidungshilfe"), "evaluate without options", 400,
			chromedp.Click(chromedp.CSS(`main form button[value="evaluate"]`)))},
		{"DecisionAidResult", then(get("/entscheidungshilfe"), "evaluate one option", 200, chromedp.Steps(
			chromedp.SendKeys(chromedp.CSS("#f-name-0"), "Eigenentwicklung"), chromedp.Click(chromedp.CSS(`label[for="f-open-0-yes"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="cost_0_implementation"]`), "50000"),
			chromedp.Click(chromedp.CSS(`main form button[value="evaluate"]`))))},
		{"FundCheckStatistics", get("/bestandspruefung/statistik")},
	}},
	// The account pages a visitor sees. The notice after a registration
	// has the template of the one after a confirmation (Confirmed).
	{name: "AccountForms", pages: []axePage{
		{"Login", get("/anmelden")},
		{"LoginFailed", then(get("/anmelden"), "log in without a password", 400, submit)},
		{"Register", get("/registrieren")},
		{"RegisterErrors", then(get("/registrieren"), "send the empty registration form", 400, submit)},
		{"Forgot", get("/passwort-vergessen")},
		{"ConfirmLink", mailed("/konto/bestaetigen/", sendConfirm)},
		{"Confirmed", then(mailed("/konto/bestaetigen/", sendConfirm), "confirm the address", 200, submit)},
		{"ConfirmUnknownLink", then(get("/konto/bestaetigen/unbekannt"), "confirm with an unknown link", 404, submit)},
		{"ResetLink", mailed("/konto/passwort-neu/", sendReset)},
		{"ResetUnknownLink", then(get("/konto/passwort-neu/unbekannt"), "reset with an unknown link", 404, chromedp.Steps(
			chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword), submit))},
		{"EmailChangeLink", mailed("/konto/email-bestaetigen/", sendEmailChange)},
		{"EmailChangeUnknownLink", then(get("/konto/email-bestaetigen/unbekannt"), "confirm a change with an unknown link", 404, submit)},
	}},
	{name: "User", signIn: signInWithTokenAndSessions, pages: []axePage{
		{"Account", get("/konto")},
		{"SaveSearch", get("/loesungen?q=Daten&offen=ja")},
		{"SavedSearches", then(get("/loesungen?q=Daten&offen=ja"), "save the search", 200,
			chromedp.Click(chromedp.CSS(`main form[action="/konto/suchen"] button[type="submit"]`)))},
		{"AccountErrors", then(get("/konto"), "change the password without input", 400,
			chromedp.Click(chromedp.CSS(`main form[action="/konto/passwort"] button[type="submit"]`)))},
		{"AccountNewToken", then(get("/konto"), "create an API key", 200, chromedp.Steps(
			chromedp.SendKeys(chromedp.CSS("#f-name"), "Abgleich Haushaltsdaten"),
			chromedp.Click(chromedp.CSS(`main form[action="/konto/schluessel"] button[type="submit"]`))))},
		{"Notifications", get("/konto/benachrichtigungen")},                   // notify_test.go
		{"NotificationPrefs", get("/konto/benachrichtigungen/einstellungen")}, // notify_test.go
		{"FundChecks", get("/bestandspruefung")},                              // fundcheck_test.go
		{"FundCheckForm", get("/bestandspruefung/neu")},                       // fundcheck_test.go
		{"Explorations", get("/markterkundungen")},                            // exploration_test.go
		{"ExplorationVerify", get("/markterkundungen/bericht-pruefen")},       // exploration_test.go
	}},
	{name: "OrganisationAdmin", signIn: signInOrgAdmin, pages: []axePage{
		{"Organisations", get("/organisationen")},
		{"MyOrganisations", get("/konto/organisationen")},
		{"NewOrganisation", get("/organisationen/neu")},
		{"NewOrganisationErrors", then(get("/organisationen/neu"), "send the empty organisation form", 400, submit)},
		{"Organisation", then(get("/konto/organisationen"), "open the organisation", 200,
			chromedp.Click(chromedp.CSS(`main .app-card a[href^="/organisationen/"]`)))},
		{"Members", then(get("/konto/organisationen"), "open the members", 200,
			chromedp.Click(chromedp.CSS(`main .app-card a[href$="/mitglieder"]`)))},
		{"MembersErrors", then(then(get("/konto/organisationen"), "open the members", 200,
			chromedp.Click(chromedp.CSS(`main .app-card a[href$="/mitglieder"]`))), "invite without an address", 400,
			chromedp.Click(chromedp.CSS(`main form[action$="/einladungen"] button[type="submit"]`)))},
		{"Invitation", mailed("/einladung/", sendInvitation)},
		{"InvitationUnknown", get("/einladung/unbekannt")},
		{"NewSolution", get("/loesungen/neu")},
		{"NewSolutionErrors", then(get("/loesungen/neu"), "save an empty entry", 400, chromedp.Click(chromedp.CSS(`main form[action="/loesungen"] button[type="submit"]`)))},
		{"SolutionDraft", getFor(func(lang string) string { return "/loesungen/entwurf-" + lang })},
		{"SolutionEdit", getFor(func(lang string) string { return "/loesungen/entwurf-" + lang + "/bearbeiten" })},
		{"SolutionVersions", getFor(func(lang string) string { return "/loesungen/entwurf-" + lang + "/fassungen" })},
	}},
	{name: "Municipality", signIn: signInMunicipality, pages: append(usageAxePages,
		axePage{"PracticeForm", get("/praxisbeispiele/neu")}, // practice_test.go
		axePage{"PracticeFormErrors", then(get("/praxisbeispiele/neu"), "save an empty example", 400, submit)})},
	{name: "Provider", signIn: signInProvider, pages: offerAxePages},       // offer_test.go
	{name: "NeedOwner", signIn: signInNeedOwner, pages: needOwnerAxePages}, // offer_test.go
	{name: "Curator", signIn: signInCurator, pages: []axePage{
		{"Queue", get("/kuratierung/verifizierungen")},
		{"SolutionQueue", get("/kuratierung/loesungen")},
		{"SolutionQueueFiltered", get("/kuratierung/loesungen?art=new&feld=mobility&alter=7")},
		{"ReportModeration", get("/kuratierung/erfahrungsberichte")},
		{"Request", then(get("/kuratierung/verifizierungen"), "open the request", 200,
			chromedp.Click(chromedp.CSS(`main table a[href^="/kuratierung/verifizierungen/"]`)))},
		{"RequestErrors", then(then(get("/kuratierung/verifizierungen"), "open the request", 200,
			chromedp.Click(chromedp.CSS(`main table a[href^="/kuratierung/verifizierungen/"]`))), "decide without choosing", 400, submit)},
		{"KnowledgeEditor", get("/wissen/neu")},
		{"KnowledgeEditorErrors", then(get("/wissen/neu"), "save an empty article", 400, submit)},
		{"KnowledgeSuggestions", get("/wissen/hinweise")},
		{"PracticeQueue", get("/kuratierung/praxisbeispiele")}, // practice_test.go
	}},
	{name: "Operator", signIn: signInOperator, pages: []axePage{
		{"Outbox", get("/betrieb/postausgang")},
		{"OutboxMail", then(get("/betrieb/postausgang"), "open the newest mail", 200,
			chromedp.Click(chromedp.CSS(`main table a[href^="/betrieb/postausgang/"]`)))},
		{"Accounts", get("/betrieb/konten")},
		{"AccountAdmin", then(get("/betrieb/konten"), "open the first account", 200,
			chromedp.Click(chromedp.CSS(`main table a[href^="/betrieb/konten/"]`)))},
		{"AuditLog", get("/betrieb/protokoll")},
		{"AuditLogErrors", get("/betrieb/protokoll?from=32.13.2026")},
		{"FieldsAdmin", get("/betrieb/handlungsfelder")},
		{"FieldsAdminErrors", then(get("/betrieb/handlungsfelder"), "add a field without input", 400,
			chromedp.Click(chromedp.CSS(`main form[action="/betrieb/handlungsfelder"] button[type="submit"]`)))},
		{"FieldEdit", get("/betrieb/handlungsfelder/mobility.parking")},
	}},
}

// signInWithTokenAndSessions signs the tab in as a new user who has an
// API key and a session in another browser, so that both lists show.
func signInWithTokenAndSessions(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	u := e.newUser(t, "konto-"+lang+"@gemeinde.example", "Kim Konto")
	if _, _, err := e.accounts.CreateAPIToken(t.Context(), u, "Datenabgleich", []string{account.ScopeRead}, 90, account.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.accounts.Login(t.Context(), u.Email, testPassword, account.Meta{IP: "192.0.2.20", UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}); err != nil {
		t.Fatal(err)
	}
	e.login(t, ctx, u.Email, testPassword)
}

// signInOperator signs the tab in as a new operator, after a mail was
// sent so that the outbox lists one.
func signInOperator(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	email := "betrieb-" + lang + "@gemeinde.example"
	if _, err := e.accounts.CreateOperator(t.Context(), email, testPassword, "Betrieb"); err != nil {
		t.Fatal(err)
	}
	if err := e.accounts.RequestReset(t.Context(), email, account.Meta{IP: "192.0.2.21"}); err != nil {
		t.Fatal(err)
	}
	e.login(t, ctx, email, testPassword)
}

// pageTimeout bounds the check of one page in the shared tab of a group.
const pageTimeout = 60 * time.Second

// testAccessibility checks every page in both languages with axe-core and
// fails on any violation of WCAG 2.1 A/AA that axe can detect. Each group
// of pages has one tab per language, in a browser context of its own (its
// own cookies, so its own login): opening a tab costs about as much as
// checking a page.
func (e *env) testAccessibility(t *testing.T) {
	t.Parallel() // with the journeys, so that both cores stay busy to the end
	for _, lang := range []string{"de", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			for _, g := range axeGroups {
				t.Run(g.name, func(t *testing.T) {
					t.Parallel()
					tab := e.tab(t, time.Duration(len(g.pages)+1)*pageTimeout)
					if g.signIn != nil {
						ctx, cancel := context.WithTimeout(tab, pageTimeout)
						g.signIn(t, e, ctx, lang)
						cancel()
					}
					for _, p := range g.pages {
						t.Run(p.name, func(t *testing.T) {
							ctx, cancel := context.WithTimeout(tab, pageTimeout)
							defer cancel()
							p.open(t, e, ctx, lang)
							if got := eval[string](t, ctx, `document.documentElement.lang`); got != lang {
								t.Fatalf("html lang=%q, want %s", got, lang)
							}
							checkAxe(t, ctx)
						})
					}
				})
			}
		})
	}

	// A check that finds nothing must be able to find something: break a
	// page on purpose and expect axe to say so.
	t.Run("FindsViolations", func(t *testing.T) {
		t.Parallel()
		ctx := e.tab(t, pageTimeout)
		get("/")(t, e, ctx, "de")
		run(t, ctx, "add an image without a text alternative", chromedp.Evaluate[chromedp.Void](
			`document.querySelector("main").append(Object.assign(document.createElement("img"),
			  {src: "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", width: 20, height: 20}))`))
		r := runAxe(t, ctx)
		if r.Passes == 0 || !slices.ContainsFunc(r.Violations, func(v axeViolation) bool { return v.ID == "image-alt" }) {
			t.Errorf("axe missed an image without alt text (%d rules passed, violations %+v): the check is not working", r.Passes, r.Violations)
		}
	})
}

// runAxe injects axe-core into the tab's page and runs it.
func runAxe(t *testing.T, ctx context.Context) axeResult {
	t.Helper()
	run(t, ctx, "inject axe-core", chromedp.Evaluate[chromedp.Void](axeSource))
	r, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	return r
}

// checkAxe runs axe in the tab's page and reports each violation with
// its rule, impact, help and the elements it found.
func checkAxe(t *testing.T, ctx context.Context) {
	t.Helper()
	r := runAxe(t, ctx)
	if len(r.Incomplete) > 0 {
		t.Logf("axe could not decide (check by hand): %s", strings.Join(r.Incomplete, ", "))
	}
	for _, v := range r.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "axe: %s (%s): %s\n  %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n  - %s\n    %s", strings.Join(n.Target, " "), n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n    %s", strings.ReplaceAll(n.Summary, "\n", "\n    "))
			}
		}
		t.Error(b.String())
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
