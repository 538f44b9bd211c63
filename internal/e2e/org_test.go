package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
)

// kirchheim is the AGS of Kirchheim b.München, the organisation the
// journey opens.
const kirchheim = "09184131"

// click sends the form whose action ends with action.
func clickForm(action string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(`main form[action$="` + action + `"] button[type="submit"]`))
}

// testOrgJourney: a new user registers and confirms (mail from the SMTP
// server), opens her municipality's organisation, asks for verification
// and invites a colleague; the colleague accepts the mailed invitation;
// a curator approves the request; visitors then see the verified
// organisation.
func (e *env) testOrgJourney(t *testing.T) {
	t.Parallel()
	eva := e.registerAndLogin(t, "eva@rathaus-kirchheim.example", "Eva Muster")

	e.open(t, eva, "/kommunen/"+kirchheim, 200)
	follow(t, eva, "open the organisation form from the municipality's page", 200,
		chromedp.Click(chromedp.CSS(`main a[href^="/organisationen/neu?art=municipality"]`)))
	if v := value(t, eva, "#f-region_municipality"); v != kirchheim {
		t.Fatalf("the form's AGS is %q, want %s from the municipality's page", v, kirchheim)
	}
	run(t, eva, "choose the kind", chromedp.Click(chromedp.CSS("#f-kind-municipality")))
	follow(t, eva, "create the organisation", 200, clickForm("/organisationen"))
	wantText(t, eva, "main", "Kirchheim b.München", "Die Organisation ist angelegt", "Noch nicht verifiziert")
	orgPath := strings.SplitN(e.path(t, eva), "?", 2)[0]

	run(t, eva, "explain the request", chromedp.SendKeys(chromedp.CSS("#f-statement"), "Ich leite das Hauptamt. Rückruf: 089 909 00-0"))
	follow(t, eva, "request verification", 200, clickForm("/verifizierung"))
	wantText(t, eva, "main", "Ihr Antrag ist bei der Kuration")

	e.open(t, eva, orgPath+"/mitglieder", 200)
	run(t, eva, "type the colleague's address", chromedp.SendKeys(chromedp.CSS("#f-email"), "bob@rathaus-kirchheim.example"))
	follow(t, eva, "invite", 200, clickForm("/einladungen"))
	wantText(t, eva, "main", "Die Einladung ist verschickt", "bob@rathaus-kirchheim.example")

	e.newUser(t, "bob@rathaus-kirchheim.example", "Bob Beispiel")
	bob := e.tab(t, journeyTimeout)
	e.login(t, bob, "bob@rathaus-kirchheim.example", testPassword)
	link := e.mailLink(t, "bob@rathaus-kirchheim.example", "/einladung/")
	e.open(t, bob, strings.TrimPrefix(link, e.base), 200)
	wantText(t, bob, "main", "Kirchheim b.München")
	follow(t, bob, "accept the invitation", 200, submit)
	wantText(t, bob, "main", "Willkommen", "Eva Muster", "Bob Beispiel")

	e.newUser(t, "kuration@kompetenzzentrum.example", "Kira Kuration", account.Curator)
	curator := e.tab(t, journeyTimeout)
	e.login(t, curator, "kuration@kompetenzzentrum.example", testPassword)
	e.open(t, curator, "/kuratierung/verifizierungen", 200)
	follow(t, curator, "open the request", 200, chromedp.Click(chromedp.Search(`//main//table//tr[contains(., "Kirchheim")]//a[starts-with(@href, "/kuratierung/verifizierungen/")]`)))
	wantText(t, curator, "main", "Ich leite das Hauptamt", "eva@rathaus-kirchheim.example")
	run(t, curator, "approve with a reason",
		chromedp.Click(chromedp.CSS("#f-decision-approve")),
		chromedp.SendKeys(chromedp.CSS("#f-reason"), "Rückruf im Hauptamt am 25.11. bestätigt."),
		chromedp.Click(chromedp.CSS("#f-add_domain-1")))
	follow(t, curator, "save the decision", 200, submit)
	wantText(t, curator, "main", "Die Entscheidung ist gespeichert")
	if m := e.mails.MustNext(t, "eva@rathaus-kirchheim.example", mailTimeout); !strings.Contains(m.Text, "Rückruf im Hauptamt") {
		t.Errorf("the decision mail lacks the reason:\n%s", m.Text)
	}

	visitor := e.tab(t, journeyTimeout)
	e.open(t, visitor, orgPath, 200)
	wantText(t, visitor, "main", "Verifiziert seit")
	e.open(t, visitor, "/organisationen?q=kirchheim", 200)
	wantText(t, visitor, "main", "Kirchheim b.München")
}

// signInOrgAdmin signs the tab in as the admin of a new organisation with
// a pending verification request and an open invitation, so that every
// section of its pages shows.
func signInOrgAdmin(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	u, o := newOrgWithRequest(t, e, lang)
	e.login(t, ctx, u.Email, testPassword)
	e.open(t, ctx, "/organisationen/"+o.Slug, 200)
}

// newOrgWithRequest creates a user and their organisation with a pending
// verification request and an open invitation.
func newOrgWithRequest(t *testing.T, e *env, lang string) (account.User, org.Organisation) {
	t.Helper()
	u := e.newUser(t, "verwaltung-"+lang+"@gemeinde.example", "Vera Verwaltung")
	name := "Open Data Musterland e. V. (" + lang + ")"
	o, err := e.orgs.Create(t.Context(), u, org.NewOrg{Kind: org.Association, Name: name, Website: "https://musterland.example"}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.orgs.RequestVerification(t.Context(), u, o.Slug, "Vorstand des Vereins", account.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.orgs.Invite(t.Context(), u, o.Slug, "neu-"+lang+"@gemeinde.example", org.Member, lang, account.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.catalog.Create(t.Context(), u, o.Slug, catalog.Entry{Name: "Entwurf " + lang, Short: "Ein Entwurf.",
		Fields: []string{"participation.consultation"}, Licence: "EUPL-1.2", Repository: "https://example.org/entwurf", Maturity: "pilot",
		Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "flat", Hosting: "de"}}}, account.Meta{}); err != nil {
		t.Fatal(err)
	}
	return u, o
}

// signInCurator signs the tab in as a curator, after a request waits.
func signInCurator(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	newOrgWithRequest(t, e, lang+"-c")
	u := e.newUser(t, "kuration-"+lang+"@kompetenz.example", "Kurt Kuration", account.Curator)
	e.login(t, ctx, u.Email, testPassword)
}

// sendInvitation has a new organisation invite to.
var sendInvitation = func(t *testing.T, e *env, to string) {
	t.Helper()
	u := e.newUser(t, "einladend-"+to, "Ina Einladend")
	o, err := e.orgs.Create(t.Context(), u, org.NewOrg{Kind: org.Research, Name: "Institut " + to}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.orgs.Invite(t.Context(), u, o.Slug, to, org.Admin, "de", account.Meta{}); err != nil {
		t.Fatal(err)
	}
}

// getFor opens the path that path gives for the language of the check.
func getFor(path func(lang string) string) func(t *testing.T, e *env, ctx context.Context, lang string) {
	return func(t *testing.T, e *env, ctx context.Context, lang string) {
		t.Helper()
		get(path(lang))(t, e, ctx, lang)
	}
}
