package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/org"
)

// usageAGS are the municipalities whose members the accessibility check
// signs in, one per language (the journey uses Gröde).
var usageAGS = map[string]string{"de": "01051001", "en": "01051011"}

// signInMunicipality signs the tab in as a member of a verified
// municipality, who may declare the use of solutions.
func signInMunicipality(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	u := e.newUser(t, "digital-"+lang+"@dithmarschen.example", "Dana Digital")
	o, err := e.orgs.Create(t.Context(), u, org.NewOrg{Kind: org.Municipality, RegionKey: usageAGS[lang]}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateRequest(t.Context(), org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: u.ID, Email: u.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	e.login(t, ctx, u.Email, testPassword)
}

// The steps to the municipality's pages about the first solution.
var (
	firstSolution = then(get("/loesungen"), "open the first solution", 200, chromedp.Click(chromedp.CSS(`main .app-card a[href^="/loesungen/"]`)))
	usageForm     = then(firstSolution, "open the declaration form", 200, chromedp.Click(chromedp.CSS(`#nutzung a[href$="/nutzung"], #nutzung a[href*="/nutzung?organisation="]`)))
	declared      = then(usageForm, "declare the use", 200, chromedp.Steps(
		chromedp.SetValue(chromedp.CSS("#f-since"), "09/2024"),      // the form is filled when declared already
		chromedp.Click(chromedp.CSS(`main input[name="delivery"]`)), // the first delivery model the solution offers
		chromedp.Click(chromedp.CSS(`main form[action$="/nutzung"] button[type="submit"]`))))
	reportForm = then(declared, "open the report form", 200, chromedp.Click(chromedp.CSS(`#nutzung a[href*="/erfahrungsbericht"]`)))
)

// usageAxePages are the pages of verified use that axe checks.
var usageAxePages = []axePage{
	{"UsageForm", usageForm},
	{"UsageFormErrors", then(usageForm, "declare without a start", 400, chromedp.Click(chromedp.CSS(`main form[action$="/nutzung"] button[type="submit"]`)))},
	{"SolutionUsedBy", declared},
	{"ReportForm", reportForm},
	{"ReportFormErrors", then(reportForm, "send an empty report", 400, chromedp.Click(chromedp.CSS(`main form[action$="/erfahrungsbericht"] button[type="submit"]`)))},
}
