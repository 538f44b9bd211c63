package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/offer"
	"github.com/smartregions/smartregions/internal/org"
)

// offerAGS are the municipalities that own the needs of the
// accessibility check's offer pages, by the signed-in role and language.
var offerAGS = map[string]string{"provider-de": "01051044", "provider-en": "01051045", "owner-de": "01051046", "owner-en": "01051047",
	"journey-de": "01051048"}

// offerAxeNeed returns the slug of the need of the offer pages.
func offerAxeNeed(role, lang string) string { return "axe-bedarf-" + role + "-" + lang }

// offerAxeOffer returns the id of the provider's offer.
func offerAxeOffer(role, lang string) string {
	return map[string]string{"provider-de": "019a0000-0000-7000-8000-00000000ad01", "provider-en": "019a0000-0000-7000-8000-00000000ae01",
		"owner-de": "019a0000-0000-7000-8000-00000000ad02", "owner-en": "019a0000-0000-7000-8000-00000000ae02",
		"journey-de": "019a0000-0000-7000-8000-00000000ad03"}[role+"-"+lang]
}

// verifiedOrg creates an organisation for u and verifies it.
func (e *env) verifiedOrg(t *testing.T, u account.User, o org.NewOrg) org.Organisation {
	t.Helper()
	made, err := e.orgs.Create(t.Context(), u, o, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateRequest(t.Context(), org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: made.ID, UserID: u.ID, Email: u.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	return made
}

// offerAxeSetup makes, for lang, a municipality with an open public need,
// a provider with a published solution, its submitted offer and a
// question; it returns the owner and the provider.
func offerAxeSetup(t *testing.T, e *env, role, lang string) (owner, provider account.User) {
	t.Helper()
	ctx := t.Context()
	key := role + "-" + lang
	owner = e.newUser(t, "bedarf-"+key+"@dithmarschen.example", "Bea Bedarf")
	city := e.verifiedOrg(t, owner, org.NewOrg{Kind: org.Municipality, RegionKey: offerAGS[key]})
	n, err := e.db.CreateNeed(ctx, need.Need{ID: uuid.Must(uuid.NewV7()).String(), Slug: offerAxeNeed(role, lang), Org: need.OrgRef{ID: city.ID},
		Title: "Ratsarbeit " + lang, Problem: "Sitzungen digital vorbereiten.", Field: "administration.online-services", Hosting: "any",
		Reqs: []need.Requirement{{Text: "Als Software as a Service", Kind: need.Must, Attribute: "delivery:saas"}}, Visibility: need.Public,
		State: need.Open, CreatedBy: owner.ID}, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "need.created", ObjectType: "need"})
	if err != nil {
		t.Fatal(err)
	}
	provider = e.newUser(t, "angebot-"+key+"@anbieter.example", "Anton Angebot")
	firm := e.verifiedOrg(t, provider, org.NewOrg{Kind: org.Company, Name: "Angebot Axe " + key})
	slug := "axe-ratsinfo-" + key
	if _, err := e.db.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: firm.ID, ImportedFrom: "test/" + slug},
		catalog.Entry{Name: "Ratsinfo " + lang, Short: "Sitzungen", Licence: "EUPL-1.2", Maturity: "production",
			Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "flat"}}}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	refs, err := e.db.ProviderSolutions(ctx, firm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateOffer(ctx, offer.Offer{ID: offerAxeOffer(role, lang), NeedID: n.ID, OrgID: firm.ID, Text: "Wir liefern **Ratsinfo**.",
		Delivery: catalog.SaaS, PriceCents: 1250000, Basis: offer.PerYear, ValidUntil: time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour),
		Solutions: refs, State: offer.Submitted, CreatedBy: provider.ID}, nil, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "offer.created", ObjectType: "offer"}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddQuestion(ctx, offer.Question{ID: uuid.Must(uuid.NewV7()).String(), NeedID: n.ID, OrgID: firm.ID, AuthorID: provider.ID,
		Text: "Welche Schnittstelle?"}, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "need.question", ObjectType: "need"}); err != nil {
		t.Fatal(err)
	}
	return owner, provider
}

// signInProvider signs the tab in as a provider with an offer.
func signInProvider(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	_, provider := offerAxeSetup(t, e, "provider", lang)
	e.login(t, ctx, provider.Email, testPassword)
}

// signInNeedOwner signs the tab in as the owner of a need with an offer.
func signInNeedOwner(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	owner, _ := offerAxeSetup(t, e, "owner", lang)
	e.login(t, ctx, owner.Email, testPassword)
}

// offerPage opens a page below the need of role.
func offerPage(role, below string) func(t *testing.T, e *env, ctx context.Context, lang string) {
	return getFor(func(lang string) string {
		return "/bedarfe/" + offerAxeNeed(role, lang) + strings.ReplaceAll(below, "{offer}", offerAxeOffer(role, lang))
	})
}

// offerAxePages are the provider's pages of offers that axe checks.
var offerAxePages = []axePage{
	{"NeedForProvider", offerPage("provider", "")},
	{"OfferForm", offerPage("provider", "/angebot")},
	{"OfferFormErrors", then(offerPage("provider", "/angebot"), "submit an unreadable price", 400, chromedp.Steps(
		chromedp.SetValue(chromedp.CSS("#f-price"), "zu viel"), chromedp.Click(chromedp.CSS(`main form[action$="/angebot"] button[value="submit"]`))))},
	{"OfferQuestions", offerPage("provider", "/fragen")},
	{"OfferOwn", offerPage("provider", "/angebote/{offer}")},
}

// needOwnerAxePages are the owners' pages of offers that axe checks.
var needOwnerAxePages = []axePage{
	{"Offers", offerPage("owner", "/angebote")},
	{"Offer", offerPage("owner", "/angebote/{offer}")},
	{"OfferDecisionErrors", then(offerPage("owner", "/angebote/{offer}"), "decline without a reason", 400, chromedp.Steps(
		chromedp.Click(chromedp.CSS("#f-state-declined")), chromedp.Click(chromedp.CSS(`main form[action$="/entscheidung"] button[type="submit"]`))))},
	{"QuestionsForOwner", offerPage("owner", "/fragen")},
}

// testOfferJourney: a provider with a submitted offer lowers its price
// through the form and asks a clarifying question; the need's owner sees
// the offer in the overview and answers; the provider reads the answer,
// which the notification centre announces.
func (e *env) testOfferJourney(t *testing.T) {
	t.Parallel()
	owner, provider := offerAxeSetup(t, e, "journey", "de")
	base := "/bedarfe/" + offerAxeNeed("journey", "de")

	pTab := e.tab(t, 4*journeyTimeout)
	e.login(t, pTab, provider.Email, testPassword)
	e.open(t, pTab, base, 200)
	follow(t, pTab, `click "Angebot abgeben"`, 200, chromedp.Click(chromedp.CSS(`#angebote-links a[href$="/angebot"]`)))
	wantText(t, pTab, "main", "Angebot Axe journey-de", "abgegeben")
	run(t, pTab, "lower the price", chromedp.SetValue(chromedp.CSS("#f-price"), "9.800,00"))
	follow(t, pTab, "save the offer", 200, chromedp.Click(chromedp.CSS(`main form[action$="/angebot"] button[value="submit"]`)))
	wantText(t, pTab, "main", "Ihr Angebot wurde abgegeben.")
	follow(t, pTab, "open the questions", 200, chromedp.Click(chromedp.CSS(`main a[href$="/fragen"]`)))
	run(t, pTab, "write a question", chromedp.SendKeys(chromedp.CSS("#f-text"), "Gibt es eine Testumgebung?"))
	follow(t, pTab, "ask", 200, clickForm("/fragen"))
	wantText(t, pTab, "main", "Ihr Beitrag wurde gespeichert.", "Gibt es eine Testumgebung?", "Noch nicht beantwortet.")

	oTab := e.tab(t, 4*journeyTimeout)
	e.login(t, oTab, owner.Email, testPassword)
	e.open(t, oTab, base, 200)
	follow(t, oTab, "open the offers", 200, chromedp.Click(chromedp.CSS(`#angebote-links a[href$="/angebote"]`)))
	wantText(t, oTab, "main", "Angebot Axe journey-de", "9.800,00")
	e.open(t, oTab, base+"/fragen", 200)
	wantText(t, oTab, "main", "Gibt es eine Testumgebung?", "Angebot Axe journey-de")
	run(t, oTab, "write the answer", chromedp.SendKeys(chromedp.CSS(`main li:last-child form[action$="/antwort"] textarea`), "Ja, ab dem ersten Tag."))
	follow(t, oTab, "publish the answer", 200, chromedp.Click(chromedp.CSS(`main li:last-child form[action$="/antwort"] button[type="submit"]`)))
	wantText(t, oTab, "main", "Ihre Antwort wurde veröffentlicht.", "Ja, ab dem ersten Tag.")

	e.open(t, pTab, base+"/fragen", 200)
	wantText(t, pTab, "main", "Gibt es eine Testumgebung?", "Ja, ab dem ersten Tag.")
	e.open(t, pTab, "/konto/benachrichtigungen", 200)
	wantText(t, pTab, "main", "wurde beantwortet")
}
