package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/org"
)

// testSolutionJourney: a provider enters a solution in the form and
// submits it; a curator asks for changes; the provider fixes and submits
// again; the curator publishes; visitors find it.
func (e *env) testSolutionJourney(t *testing.T) {
	t.Parallel()
	u := e.newUser(t, "vertrieb@parkleit.example", "Paula Parkleit")
	o, err := e.orgs.Create(t.Context(), u, org.NewOrg{Kind: org.Company, Name: "Parkleit GmbH"}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	// An approved claim verifies the organisation, so that it may publish.
	if err := e.db.CreateRequest(t.Context(), org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: u.ID, Email: u.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	paula := e.tab(t, journeyTimeout)
	e.login(t, paula, u.Email, testPassword)
	e.open(t, paula, "/organisationen/"+o.Slug, 200)
	follow(t, paula, "open the entry form from the organisation's page", 200,
		chromedp.Click(chromedp.CSS(`main a[href^="/loesungen/neu?organisation="]`)))
	run(t, paula, "fill in the entry",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Parkleitsystem Nord"),
		chromedp.SendKeys(chromedp.CSS("#f-short"), "Zeigt freie Parkplätze in Echtzeit."),
		chromedp.Click(chromedp.CSS(`[id="f-fields-mobility.parking"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-licence"), "LicenseRef-Kommerziell"),
		chromedp.SetValue(chromedp.CSS(`[id="f-delivery.saas.price"]`), "per_inhabitant"),
		chromedp.SetValue(chromedp.CSS("#f-maturity"), "production"))
	follow(t, paula, "save the draft", 200, chromedp.Click(chromedp.CSS(`main form[action="/loesungen"] button[type="submit"]`)))
	wantText(t, paula, "main", "Der Entwurf ist gespeichert", "Parkleitsystem Nord", "Betrieb in Deutschland")
	page, _, _ := strings.Cut(e.path(t, paula), "?")
	follow(t, paula, "submit", 200, clickForm("/einreichen"))
	wantText(t, paula, "main", "liegt der Kuration zur Prüfung vor")

	e.newUser(t, "kuration@marktplatz.example", "Karl Kuration", account.Curator)
	karl := e.tab(t, journeyTimeout)
	e.login(t, karl, "kuration@marktplatz.example", testPassword)
	e.open(t, karl, "/kuratierung/loesungen", 200)
	follow(t, karl, "open the entry from the queue", 200, chromedp.Click(chromedp.Search(`//main//table//a[starts-with(@href, "/loesungen/") and contains(., "Parkleitsystem Nord")]`)))
	run(t, karl, "ask for changes",
		chromedp.Click(chromedp.CSS("#f-decision-changes")),
		chromedp.SendKeys(chromedp.CSS("#f-comment"), "Bitte den Wartungsumfang angeben."))
	follow(t, karl, "save the decision", 200, clickForm("/pruefung"))
	wantText(t, karl, "main", "Die Entscheidung ist gespeichert")

	e.open(t, paula, page, 200)
	wantText(t, paula, "main", "Änderungen erbeten", "Bitte den Wartungsumfang angeben.")
	follow(t, paula, "edit", 200, chromedp.Click(chromedp.CSS(`main a[href$="/bearbeiten"]`)))
	run(t, paula, "describe the support", chromedp.SendKeys(chromedp.CSS("#f-support"), "Wartung werktags 8–18 Uhr, Reaktion binnen 4 Stunden."))
	follow(t, paula, "save", 200, chromedp.Click(chromedp.CSS(`main form[action$="/bearbeiten"] button[type="submit"]`)))
	follow(t, paula, "submit again", 200, clickForm("/einreichen"))

	e.open(t, karl, page, 200)
	run(t, karl, "choose publish", chromedp.Click(chromedp.CSS("#f-decision-publish")))
	follow(t, karl, "publish", 200, clickForm("/pruefung"))

	visitor := e.tab(t, journeyTimeout)
	e.open(t, visitor, "/loesungen?q=parkleit", 200)
	follow(t, visitor, "open the published entry", 200, chromedp.Click(chromedp.CSS(`main .app-card a[href^="/loesungen/"]`)))
	wantText(t, visitor, "main", "Parkleitsystem Nord", "Reaktion binnen 4 Stunden", "Fassung 1, veröffentlicht")
	slug := strings.TrimPrefix(page, "/loesungen/")

	// A municipality that uses it says so and reports its experience.
	m := e.newUser(t, "digital@groede.example", "Martha Marsch")
	muni, err := e.orgs.Create(t.Context(), m, org.NewOrg{Kind: org.Municipality, RegionKey: "01054039"}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateRequest(t.Context(), org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: muni.ID, UserID: m.ID, Email: m.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	martha := e.tab(t, journeyTimeout)
	e.login(t, martha, m.Email, testPassword)
	e.open(t, martha, page, 200)
	wantText(t, martha, "#nutzung", "Wer nutzt das?", "Noch keine verifizierte Kommune")
	follow(t, martha, "open the declaration form", 200, chromedp.Click(chromedp.CSS(`#nutzung a[href="`+page+`/nutzung"]`)))
	run(t, martha, "declare the use",
		chromedp.SendKeys(chromedp.CSS("#f-since"), "04/2025"),
		chromedp.Click(chromedp.CSS("#f-status-in_use")),
		chromedp.Click(chromedp.CSS("#f-delivery-saas")))
	follow(t, martha, "save the declaration", 200, chromedp.Click(chromedp.CSS(`main form[action$="/nutzung"] button[type="submit"]`)))
	wantText(t, martha, "main", "Die Nutzung durch Ihre Kommune ist gespeichert", "1 verifizierte Kommune nutzt diese Lösung.", "Gröde", "Schleswig-Holstein")
	follow(t, martha, "open the report form", 200, chromedp.Click(chromedp.CSS(`#nutzung a[href^="`+page+`/erfahrungsbericht"]`)))
	run(t, martha, "rate and describe",
		chromedp.Click(chromedp.CSS("#f-usability-5")),
		chromedp.Click(chromedp.CSS("#f-support-4")),
		chromedp.Click(chromedp.CSS("#f-integration-3")),
		chromedp.Click(chromedp.CSS("#f-value-4")),
		chromedp.Click(chromedp.CSS("#f-again-yes")),
		chromedp.SendKeys(chromedp.CSS("#f-text"), "Die Anzeige der freien Plätze hat den Suchverkehr im Hafen spürbar verringert."))
	follow(t, martha, "save the report", 200, chromedp.Click(chromedp.CSS(`main form[action$="/erfahrungsbericht"] button[type="submit"]`)))
	wantText(t, martha, "main", "Suchverkehr im Hafen")

	// Everyone sees the use and the report; the badge counts it.
	e.open(t, visitor, page, 200)
	wantText(t, visitor, "main", "genutzt von 1 verifizierten Kommune", "Gröde", "Suchverkehr im Hafen")
	e.open(t, visitor, "/api/v1/solutions/"+slug, 200)
	wantText(t, visitor, "body", `"verified_uses":1`, "Gröde")
}
