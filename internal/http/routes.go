package http

import (
	"crypto/subtle"
	"net"
	"net/http"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// access is a route's authorisation rule.
type access int

const (
	// accessPublic: anyone, without an account. Until accounts exist (next
	// issue) all pages and the API are public and read-only, except the
	// anonymous accessibility feedback form, which BITV 2.0 requires to be
	// open to everyone; it is protected against CSRF.
	accessPublic access = iota
	// accessOperations: monitoring data for the operator — requests from
	// the loopback interface, or with the configured metrics token.
	accessOperations
	// accessUser: a signed-in user; visitors are sent to the login page
	// (pages) or get 401 (API).
	accessUser
	// accessOperator: a user with the platform role operator.
	accessOperator
	// accessCurator: a user with the platform role curator (operators
	// hold every role).
	accessCurator
	// accessOrgMember and accessOrgAdmin: a signed-in user; the handler
	// asks the organisation's rule (org.Can) whether they are a member or
	// admin of the organisation in the path, or a curator or operator
	// where the rule lets those in. The route table says which, so that
	// the authorisation test knows what to expect.
	accessOrgMember
	accessOrgAdmin
	// accessOrgSelf: a member or admin of the organisation in the path
	// (leaving it; editing its solutions).
	accessOrgSelf
	// accessOrgAdminCurator: an admin of the organisation, a curator or
	// an operator (archiving a solution).
	accessOrgAdminCurator
	// accessAdvisor: a user with the platform role advisor (the
	// competence centre; operators hold every role).
	accessAdvisor
)

// route is one entry of the route table.
type route struct {
	pattern string
	access  access
	handler http.Handler
	// cached answers come from the page cache while the register data
	// stay the same (pagecache.go).
	cached bool
}

// routeTable lists every route with its authorisation rule, in one place.
func (s *Server) routeTable() []route {
	h := s.handle
	return []route{
		// Pages (German paths; the language comes from ?lang=, cookie or Accept-Language).
		{"GET /{$}", accessPublic, h(s.handleHome), false},
		{"GET /kommunen", accessPublic, h(s.handleMunicipalityList), true},
		{"GET /kommunen/{ags}", accessPublic, h(s.handleMunicipalityView), true},
		{"GET /laender", accessPublic, h(s.handleStateList), true},
		{"GET /laender/{key}", accessPublic, h(s.handleStateView), true},
		{"GET /kreise/{key}", accessPublic, h(s.handleDistrictView), true},
		{"GET /impressum", accessPublic, h(s.handleLegal("impressum")), false},
		{"GET /datenschutz", accessPublic, h(s.handleLegal("datenschutz")), false},
		{"GET /barrierefreiheit", accessPublic, h(s.handleLegal("barrierefreiheit")), false},
		{"POST /barrierefreiheit/rueckmeldung", accessPublic, h(s.handleFeedbackCreate), false},

		// Accounts.
		{"GET /registrieren", accessPublic, h(s.handleRegisterForm), false},
		{"POST /registrieren", accessPublic, h(s.handleRegister), false},
		{"GET /konto/bestaetigen/{token}", accessPublic, h(s.handleConfirmForm), false},
		{"POST /konto/bestaetigen/{token}", accessPublic, h(s.handleConfirm), false},
		{"GET /anmelden", accessPublic, h(s.handleLoginForm), false},
		{"POST /anmelden", accessPublic, h(s.handleLogin), false},
		{"POST /abmelden", accessUser, h(s.handleLogout), false},
		{"GET /anmelden/sso/{id}", accessPublic, h(s.handleSSOStart), false},
		{"GET /anmelden/sso/{id}/callback", accessPublic, h(s.handleSSOCallback), false},
		{"GET /passwort-vergessen", accessPublic, h(s.handleForgotForm), false},
		{"POST /passwort-vergessen", accessPublic, h(s.handleForgot), false},
		{"GET /konto/passwort-neu/{token}", accessPublic, h(s.handleResetForm), false},
		{"POST /konto/passwort-neu/{token}", accessPublic, h(s.handleReset), false},
		{"GET /konto", accessUser, h(s.handleAccount), false},
		{"POST /konto/sitzungen/{id}/beenden", accessUser, h(s.handleSessionEnd), false},
		{"POST /konto/passwort", accessUser, h(s.handlePasswordChange), false},
		{"POST /konto/email", accessUser, h(s.handleEmailChange), false},
		{"GET /konto/email-bestaetigen/{token}", accessPublic, h(s.handleEmailConfirmForm), false},
		{"POST /konto/email-bestaetigen/{token}", accessPublic, h(s.handleEmailConfirm), false},
		{"POST /konto/schluessel", accessUser, h(s.handleTokenCreate), false},
		{"POST /konto/schluessel/{id}/widerrufen", accessUser, h(s.handleTokenRevoke), false},
		{"GET /konto/daten", accessUser, h(s.handleAccountExport), false},
		{"POST /konto/loeschen", accessUser, h(s.handleAccountDelete), false},

		// Organisations.
		{"GET /organisationen", accessPublic, h(s.handleOrgList), false},
		{"GET /organisationen/neu", accessUser, h(s.handleOrgNewForm), false},
		{"POST /organisationen", accessUser, h(s.handleOrgCreate), false},
		{"GET /organisationen/{slug}", accessPublic, h(s.handleOrgView), false},
		{"POST /organisationen/{slug}/angaben", accessOrgAdmin, h(s.handleOrgUpdate), false},
		{"POST /organisationen/{slug}/verifizierung", accessUser, h(s.handleOrgRequest), false},
		{"POST /organisationen/{slug}/domains", accessCurator, h(s.handleOrgDomains), false},
		{"GET /organisationen/{slug}/mitglieder", accessOrgMember, h(s.handleOrgMembers), false},
		{"POST /organisationen/{slug}/einladungen", accessOrgAdmin, h(s.handleOrgInvite), false},
		{"POST /organisationen/{slug}/einladungen/{id}/zurueckziehen", accessOrgAdmin, h(s.handleOrgInvitationRevoke), false},
		{"POST /organisationen/{slug}/mitglieder/{user}/rolle", accessOrgAdmin, h(s.handleOrgMemberRole), false},
		{"POST /organisationen/{slug}/mitglieder/{user}/entfernen", accessOrgAdmin, h(s.handleOrgMemberRemove), false},
		{"POST /organisationen/{slug}/verlassen", accessOrgSelf, h(s.handleOrgLeave), false},
		{"GET /einladung/{token}", accessPublic, h(s.handleInvitationView), false},
		{"POST /einladung/{token}", accessUser, h(s.handleInvitationAccept), false},
		{"GET /konto/organisationen", accessUser, h(s.handleMyOrgs), false},

		// Solution catalogue.
		{"GET /loesungen", accessPublic, h(s.handleSolutionList), false},
		{"GET /loesungen.csv", accessPublic, h(s.handleSolutionCSV), false},
		{"GET /loesungen/vergleich", accessPublic, h(s.handleCompare), false}, // compare.go
		{"GET /loesungen/vergleich.xlsx", accessPublic, h(s.handleCompareXLSX), false},
		{"GET /loesungen/vergleich.pdf", accessPublic, h(s.handleComparePDF), false},
		{"GET /loesungen/vergleich/auswahl", accessPublic, h(s.handleCompareChoice), false},
		{"GET /loesungen/neu", accessUser, h(s.handleSolutionNewForm), false},
		{"POST /loesungen", accessUser, h(s.handleSolutionCreate), false},
		{"GET /loesungen/import", accessUser, h(s.handleSolutionImportForm), false},
		{"POST /loesungen/import", accessUser, h(s.handleSolutionImportCheck), false},
		{"POST /loesungen/import/anlegen", accessUser, h(s.handleSolutionImportCreate), false},
		{"GET /loesungen/{slug}", accessPublic, h(s.handleSolutionView), false},
		{"GET /loesungen/{slug}/bearbeiten", accessOrgSelf, h(s.handleSolutionEditForm), false},
		{"POST /loesungen/{slug}/bearbeiten", accessOrgSelf, h(s.handleSolutionUpdate), false},
		{"POST /loesungen/{slug}/einreichen", accessOrgSelf, h(s.handleSolutionSubmit), false},
		{"GET /loesungen/{slug}/fassungen", accessOrgMember, h(s.handleSolutionVersions), false},
		{"GET /loesungen/{slug}/publiccode.yml", accessPublic, h(s.handleSolutionPublicCode), false},
		{"POST /loesungen/{slug}/pruefung", accessCurator, h(s.handleSolutionReview), false},
		{"POST /loesungen/{slug}/archivieren", accessOrgAdminCurator, h(s.handleSolutionArchive), false},
		{"GET /loesungen/{slug}/quellen", accessOrgMember, h(s.handleSolutionSources), false},
		{"POST /loesungen/{slug}/quellen", accessOrgSelf, h(s.handleSolutionSourceAdd), false},
		{"POST /loesungen/{slug}/quellen/{id}/pruefen", accessOrgSelf, h(s.handleSolutionSourceCheck), false},
		{"POST /loesungen/{slug}/quellen/{id}/entfernen", accessOrgSelf, h(s.handleSolutionSourceRemove), false},
		{"POST /loesungen/{slug}/vorschlag/{id}", accessOrgSelf, h(s.handleSolutionProposal), false},
		{"POST /loesungen/{slug}/medien", accessOrgSelf, h(s.handleSolutionImageAdd), false},
		{"GET /loesungen/{slug}/medien/{file}", accessPublic, h(s.handleSolutionMedium), false},
		{"GET /kuratierung/loesungen", accessCurator, h(s.handleSolutionQueue), false},

		// Verified municipal use of solutions (solution_usage.go, usage_moderation.go).
		// Declaring, reports and contact requests: the handler asks the
		// rule of use (catalog.CanUse) for the municipality in the form.
		{"GET /loesungen/{slug}/nutzung", accessUser, h(s.handleUsageForm), false},
		{"POST /loesungen/{slug}/nutzung", accessUser, h(s.handleUsageSave), false},
		{"POST /loesungen/{slug}/nutzung/zurueckziehen", accessUser, h(s.handleUsageWithdraw), false},
		{"GET /loesungen/{slug}/nutzung/{id}/kontakt", accessUser, h(s.handleUsageContactForm), false},
		{"POST /loesungen/{slug}/nutzung/{id}/kontakt", accessUser, h(s.handleUsageContact), false},
		{"GET /loesungen/{slug}/erfahrungsbericht", accessUser, h(s.handleUsageReportForm), false},
		{"POST /loesungen/{slug}/erfahrungsbericht", accessUser, h(s.handleUsageReportSave), false},
		{"GET /loesungen/{slug}/erfahrungsberichte/{id}/antwort", accessOrgSelf, h(s.handleUsageAnswerForm), false},
		{"POST /loesungen/{slug}/erfahrungsberichte/{id}/antwort", accessOrgSelf, h(s.handleUsageAnswer), false},
		{"GET /loesungen/{slug}/erfahrungsberichte/{id}/meldung", accessUser, h(s.handleUsageFlagForm), false},
		{"POST /loesungen/{slug}/erfahrungsberichte/{id}/meldung", accessUser, h(s.handleUsageFlag), false},
		{"GET /kuratierung/erfahrungsberichte", accessCurator, h(s.handleUsageQueue), false},
		{"GET /kuratierung/erfahrungsberichte/{id}", accessCurator, h(s.handleUsageModerationView), false},
		{"POST /kuratierung/erfahrungsberichte/{id}", accessCurator, h(s.handleUsageModerate), false},

		// Saved searches with mails about new matches (saved_searches.go,
		// api_saved_searches.go); the unsubscribe link of a mail works
		// without signing in, its token is the proof.
		{"POST /konto/suchen", accessUser, h(s.handleSavedSearchCreate), false},
		{"GET /konto/suchen", accessUser, h(s.handleSavedSearchList), false},
		{"POST /konto/suchen/{id}/loeschen", accessUser, h(s.handleSavedSearchDelete), false},
		{"POST /konto/suchen/{id}/pausieren", accessUser, h(s.handleSavedSearchPause(true)), false},
		{"POST /konto/suchen/{id}/fortsetzen", accessUser, h(s.handleSavedSearchPause(false)), false},
		{"GET /suchen/abbestellen/{token}", accessPublic, h(s.handleUnsubscribeForm), false},
		{"POST /suchen/abbestellen/{token}", accessPublic, h(s.handleUnsubscribe), false},
		{"GET /api/v1/me/searches", accessUser, h(s.handleAPISavedSearchList), false},
		{"POST /api/v1/me/searches", accessUser, h(s.handleAPISavedSearchCreate), false},
		{"DELETE /api/v1/me/searches/{id}", accessUser, h(s.handleAPISavedSearchDelete), false},

		// Similar solutions and what municipalities of the same size use
		// (similar.go): from verified use, which changes at any time, so
		// never cached.
		{"GET /kommunen/{ags}/loesungen", accessPublic, h(s.handleMunicipalitySolutions), false},
		{"GET /api/v1/solutions/{slug}/similar", accessPublic, h(s.handleAPISolutionSimilar), false},
		{"GET /api/v1/municipalities/{ags}/solutions", accessPublic, h(s.handleAPIMunicipalitySolutions), false},

		// Trainings and information events (event_pages.go, event_attendees.go, event_api.go).
		// Editors are curators and operators; the handlers ask event.Can too.
		{"GET /veranstaltungen", accessPublic, h(s.eventsOn(s.handleEventList)), false},
		{"GET /veranstaltungen.ics", accessPublic, h(s.eventsOn(s.handleEventFeed)), false},
		{"GET /veranstaltungen/neu", accessCurator, h(s.eventsOn(s.handleEventNewForm)), false},
		{"POST /veranstaltungen", accessCurator, h(s.eventsOn(s.handleEventCreate)), false},
		{"GET /veranstaltungen/{slug}", accessPublic, h(s.eventsOn(s.handleEventView)), false}, // also {slug}.ics
		{"GET /veranstaltungen/{slug}/bearbeiten", accessCurator, h(s.eventsOn(s.handleEventEditForm)), false},
		{"POST /veranstaltungen/{slug}/bearbeiten", accessCurator, h(s.eventsOn(s.handleEventUpdate)), false},
		{"POST /veranstaltungen/{slug}/absagen", accessCurator, h(s.eventsOn(s.handleEventCancel)), false},
		{"POST /veranstaltungen/{slug}/anmeldung", accessUser, h(s.eventsOn(s.handleEventRegister)), false},
		{"POST /veranstaltungen/{slug}/abmeldung", accessUser, h(s.eventsOn(s.handleEventUnregister)), false},
		{"POST /veranstaltungen/{slug}/rueckmeldung", accessUser, h(s.eventsOn(s.handleEventFeedback)), false},
		{"GET /veranstaltungen/{slug}/teilnehmende", accessCurator, h(s.eventsOn(s.handleEventAttendees)), false},
		{"GET /veranstaltungen/{slug}/teilnehmende.csv", accessCurator, h(s.eventsOn(s.handleEventAttendeesCSV)), false},
		{"GET /veranstaltungen/{slug}/teilnehmende.xlsx", accessCurator, h(s.eventsOn(s.handleEventAttendeesXLSX)), false},
		{"GET /api/v1/events", accessPublic, h(s.eventsOn(s.handleAPIEventList)), false},
		{"POST /api/v1/events", accessCurator, h(s.eventsOn(s.handleAPIEventCreate)), false},
		{"GET /api/v1/events/{slug}", accessPublic, h(s.eventsOn(s.handleAPIEventView)), false},
		{"PUT /api/v1/events/{slug}", accessCurator, h(s.eventsOn(s.handleAPIEventUpdate)), false},
		{"POST /api/v1/events/{slug}/registration", accessUser, h(s.eventsOn(s.handleAPIEventRegister)), false},
		{"DELETE /api/v1/events/{slug}/registration", accessUser, h(s.eventsOn(s.handleAPIEventUnregister)), false},
		{"GET /api/v1/me/registrations", accessUser, h(s.eventsOn(s.handleAPIMyRegistrations)), false},

		// Needs ("Bedarfe") of municipalities, districts and states, with explainable
		// matching (need_pages.go, need_api.go). Visibility, editing and joining are
		// decided by need.Can in the service; others get 404 (hidden) or 403.
		{"GET /bedarfe", accessPublic, h(s.needsOn(s.handleNeedList)), false},
		{"GET /bedarfe/neu", accessUser, h(s.needsOn(s.handleNeedNewForm)), false},
		{"POST /bedarfe/neu", accessUser, h(s.needsOn(s.handleNeedCreate)), false},
		{"GET /bedarfe/{slug}", accessPublic, h(s.needsOn(s.handleNeedView)), false},
		{"GET /bedarfe/{slug}/bearbeiten", accessUser, h(s.needsOn(s.handleNeedEditForm)), false},
		{"POST /bedarfe/{slug}/bearbeiten", accessUser, h(s.needsOn(s.handleNeedUpdate)), false},
		{"POST /bedarfe/{slug}/beitreten", accessUser, h(s.needsOn(s.handleNeedJoin)), false},
		{"POST /bedarfe/{slug}/austreten", accessUser, h(s.needsOn(s.handleNeedLeave)), false},
		{"POST /bedarfe/{slug}/schliessen", accessUser, h(s.needsOn(s.handleNeedClose)), false},
		{"GET /api/v1/needs", accessPublic, h(s.needsOn(s.handleAPINeedList)), false},
		{"POST /api/v1/needs", accessUser, h(s.needsOn(s.handleAPINeedCreate)), false},
		{"GET /api/v1/needs/{slug}", accessPublic, h(s.needsOn(s.handleAPINeedView)), false},
		{"PUT /api/v1/needs/{slug}", accessUser, h(s.needsOn(s.handleAPINeedUpdate)), false},
		{"GET /api/v1/needs/{slug}/matches", accessPublic, h(s.needsOn(s.handleAPINeedMatches)), false},
		{"POST /api/v1/needs/{slug}/join", accessUser, h(s.needsOn(s.handleAPINeedJoin)), false},
		{"DELETE /api/v1/needs/{slug}/join", accessUser, h(s.needsOn(s.handleAPINeedJoin)), false},
		// Offers of providers on needs and clarifying questions (offer_pages.go,
		// offer_questions.go, offer_api.go). offer.Service decides: the need's owners
		// see submitted offers, a provider only its own; anyone else gets 404.
		{"GET /bedarfe/{slug}/angebot", accessUser, h(s.offersOn(s.handleOfferForm)), false},
		{"POST /bedarfe/{slug}/angebot", accessUser, h(s.offersOn(s.handleOfferSave)), false},
		{"POST /bedarfe/{slug}/angebot/zurueckziehen", accessUser, h(s.offersOn(s.handleOfferWithdraw)), false},
		{"GET /bedarfe/{slug}/angebote", accessUser, h(s.offersOn(s.handleOfferList)), false},
		{"GET /bedarfe/{slug}/angebote/{id}", accessUser, h(s.offersOn(s.handleOfferView)), false},
		{"POST /bedarfe/{slug}/angebote/{id}/entscheidung", accessUser, h(s.offersOn(s.handleOfferDecide)), false},
		{"GET /bedarfe/{slug}/angebote/{id}/anhang/{file}", accessUser, h(s.offersOn(s.handleOfferAttachment)), false},
		{"GET /bedarfe/{slug}/fragen", accessUser, h(s.offersOn(s.handleQuestions)), false},
		{"POST /bedarfe/{slug}/fragen", accessUser, h(s.offersOn(s.handleQuestionAsk)), false},
		{"POST /bedarfe/{slug}/fragen/{id}/antwort", accessUser, h(s.offersOn(s.handleQuestionAnswer)), false},
		{"GET /api/v1/needs/{slug}/offers", accessUser, h(s.offersOn(s.handleAPIOfferList)), false},
		{"POST /api/v1/needs/{slug}/offers", accessUser, h(s.offersOn(s.handleAPIOfferSave)), false},
		{"GET /api/v1/needs/{slug}/offers/{id}", accessUser, h(s.offersOn(s.handleAPIOfferView)), false},
		{"PUT /api/v1/needs/{slug}/offers/{id}", accessUser, h(s.offersOn(s.handleAPIOfferSave)), false},
		{"POST /api/v1/needs/{slug}/offers/{id}/withdraw", accessUser, h(s.offersOn(s.handleAPIOfferWithdraw)), false},
		{"POST /api/v1/needs/{slug}/offers/{id}/decision", accessUser, h(s.offersOn(s.handleAPIOfferDecide)), false},
		{"GET /api/v1/needs/{slug}/questions", accessUser, h(s.offersOn(s.handleAPIQuestionList)), false},
		{"POST /api/v1/needs/{slug}/questions", accessUser, h(s.offersOn(s.handleAPIQuestionAsk)), false},
		{"POST /api/v1/needs/{slug}/questions/{id}/answer", accessUser, h(s.offersOn(s.handleAPIQuestionAnswer)), false},

		// Market explorations ("Markterkundungen", exploration_*.go): only members of
		// the buyer organisation see one (its verified members edit it); providers
		// asked see the questionnaire and their own answer; anyone else gets 404.
		{"GET /markterkundungen", accessUser, h(s.explorationsOn(s.handleExplorationList)), false},
		{"POST /markterkundungen", accessUser, h(s.explorationsOn(s.handleExplorationCreate)), false},
		{"GET /markterkundungen/bericht-pruefen", accessPublic, h(s.explorationsOn(s.handleExplorationVerifyForm)), false},
		{"POST /markterkundungen/bericht-pruefen", accessPublic, h(s.explorationsOn(s.handleExplorationVerify)), false},
		{"GET /markterkundungen/{id}", accessUser, h(s.explorationsOn(s.handleExplorationView)), false},
		{"POST /markterkundungen/{id}/kriterien", accessUser, h(s.explorationsOn(s.explorationStep("kriterien", s.handleExplorationCriteria))), false},
		{"POST /markterkundungen/{id}/fragebogen", accessUser, h(s.explorationsOn(s.explorationStep("fragebogen", s.handleExplorationRFI))), false},
		{"POST /markterkundungen/{id}/senden", accessUser, h(s.explorationsOn(s.explorationStep("senden", s.handleExplorationSend))), false},
		{"POST /markterkundungen/{id}/bewertung", accessUser, h(s.explorationsOn(s.explorationStep("bewertung", s.handleExplorationScores))), false},
		{"POST /markterkundungen/{id}/abschliessen", accessUser, h(s.explorationsOn(s.explorationStep("abschliessen", s.handleExplorationClose))), false},
		{"GET /markterkundungen/{id}/bericht", accessUser, h(s.explorationsOn(s.handleExplorationReport)), false},
		{"GET /markterkundungen/{id}/antwort", accessUser, h(s.explorationsOn(s.handleExplorationAnswerForm)), false},
		{"POST /markterkundungen/{id}/antwort", accessUser, h(s.explorationsOn(s.handleExplorationAnswer)), false},
		{"GET /api/v1/explorations", accessUser, h(s.explorationsOn(s.handleAPIExplorationList)), false},
		{"POST /api/v1/explorations", accessUser, h(s.explorationsOn(s.handleAPIExplorationCreate)), false},
		{"GET /api/v1/explorations/{id}", accessUser, h(s.explorationsOn(s.handleAPIExplorationView)), false},
		{"PUT /api/v1/explorations/{id}/criteria", accessUser, h(s.explorationsOn(s.handleAPIExplorationCriteria)), false},
		{"PUT /api/v1/explorations/{id}/rfi", accessUser, h(s.explorationsOn(s.handleAPIExplorationRFI)), false},
		{"POST /api/v1/explorations/{id}/send", accessUser, h(s.explorationsOn(s.handleAPIExplorationSend)), false},
		{"PUT /api/v1/explorations/{id}/answer", accessUser, h(s.explorationsOn(s.handleAPIExplorationAnswer)), false},
		{"PUT /api/v1/explorations/{id}/scores", accessUser, h(s.explorationsOn(s.handleAPIExplorationScores)), false},
		{"POST /api/v1/explorations/{id}/close", accessUser, h(s.explorationsOn(s.handleAPIExplorationClose)), false},
		{"GET /api/v1/explorations/{id}/report", accessUser, h(s.explorationsOn(s.handleAPIExplorationReport)), false},
		{"POST /api/v1/reports/verify", accessUser, h(s.explorationsOn(s.handleAPIReportVerify)), false},

		// "Check before you fund" (fundcheck_pages.go, fundcheck_api.go): the author
		// and their organisation's members see a check (fundcheck.CanView), others
		// get 404; the statistics are public counts only.
		{"GET /bestandspruefung", accessUser, h(s.fundChecksOn(s.handleFundCheckList)), false},
		{"GET /bestandspruefung/neu", accessUser, h(s.fundChecksOn(s.handleFundCheckNewForm)), false},
		{"POST /bestandspruefung/neu", accessUser, h(s.fundChecksOn(s.handleFundCheckCreate)), false},
		{"GET /bestandspruefung/statistik", accessPublic, h(s.fundChecksOn(s.handleFundCheckStats)), false},
		{"GET /bestandspruefung/{id}", accessUser, h(s.fundChecksOn(s.handleFundCheckView)), false},
		{"POST /bestandspruefung/{id}", accessUser, h(s.fundChecksOn(s.handleFundCheckStatements)), false},
		{"GET /bestandspruefung/{id}/bearbeiten", accessUser, h(s.fundChecksOn(s.handleFundCheckEditForm)), false},
		{"POST /bestandspruefung/{id}/bearbeiten", accessUser, h(s.fundChecksOn(s.handleFundCheckUpdate)), false},
		{"GET /bestandspruefung/{id}/pdf", accessUser, h(s.fundChecksOn(s.handleFundCheckPDF)), false},
		{"GET /api/v1/fund-checks", accessUser, h(s.fundChecksOn(s.handleAPIFundCheckList)), false},
		{"POST /api/v1/fund-checks", accessUser, h(s.fundChecksOn(s.handleAPIFundCheckCreate)), false},
		{"GET /api/v1/fund-checks/{id}", accessUser, h(s.fundChecksOn(s.handleAPIFundCheckView)), false},
		{"PUT /api/v1/fund-checks/{id}/statements", accessUser, h(s.fundChecksOn(s.handleAPIFundCheckStatements)), false},
		{"GET /api/v1/fund-checks/statistics", accessPublic, h(s.fundChecksOn(s.handleAPIFundCheckStats)), false},

		// The decision aid "open source or licence?" (decision_pages.go,
		// decision_api.go): anyone evaluates and downloads the PDF without saving;
		// saved aids belong to their user alone (others get 404).
		{"GET /entscheidungshilfe", accessPublic, h(s.decisionsOn(s.handleDecisionNew)), false},
		{"POST /entscheidungshilfe", accessPublic, h(s.decisionsOn(s.handleDecisionEvaluate)), false},
		{"POST /entscheidungshilfe/pdf", accessPublic, h(s.decisionsOn(s.handleDecisionPDF)), false},
		{"GET /entscheidungshilfe/{id}", accessUser, h(s.decisionsOn(s.handleDecisionView)), false},
		{"POST /entscheidungshilfe/{id}", accessUser, h(s.decisionsOn(s.handleDecisionUpdate)), false},
		{"GET /entscheidungshilfe/{id}/pdf", accessUser, h(s.decisionsOn(s.handleDecisionPDF)), false},
		{"POST /entscheidungshilfe/{id}/loeschen", accessUser, h(s.decisionsOn(s.handleDecisionDelete)), false},
		{"GET /api/v1/decision-aids", accessUser, h(s.decisionsOn(s.handleAPIDecisionList)), false},
		{"POST /api/v1/decision-aids", accessUser, h(s.decisionsOn(s.handleAPIDecisionCreate)), false},
		{"PUT /api/v1/decision-aids/{id}", accessUser, h(s.decisionsOn(s.handleAPIDecisionUpdate)), false},
		{"DELETE /api/v1/decision-aids/{id}", accessUser, h(s.decisionsOn(s.handleAPIDecisionDelete)), false},

		// Regional contacts "Ihre Ansprechperson" (contact_pages.go, contact_api.go).
		// Operators manage them; an advisor edits the availability of their
		// own contact — the handler asks contact.Can.
		{"GET /ansprechpersonen", accessPublic, h(s.handleContactList), false},
		{"GET /betrieb/ansprechpersonen", accessOperator, h(s.handleContactAdmin), false},
		{"POST /betrieb/ansprechpersonen", accessOperator, h(s.handleContactCreate), false},
		{"GET /betrieb/ansprechpersonen/{id}", accessUser, h(s.handleContactEdit), false},
		{"POST /betrieb/ansprechpersonen/{id}", accessUser, h(s.handleContactUpdate), false},
		{"POST /betrieb/ansprechpersonen/{id}/loeschen", accessOperator, h(s.handleContactDelete), false},
		{"GET /api/v1/contacts", accessPublic, h(s.handleAPIContactList), false},
		{"GET /api/v1/municipalities/{ags}/contacts", accessPublic, h(s.handleAPIMunicipalityContacts), false},

		// Advice requests to the competence centre (advice_pages.go, advice_work.go,
		// advice_rules.go, advice_api.go). Members see their organisation's requests,
		// the centre (advisors, operators) all; the handlers ask advice.Can and answer
		// 404 to everyone else.
		{"GET /beratung", accessUser, h(s.adviceOn(s.handleAdviceList)), false},
		{"GET /beratung/neu", accessUser, h(s.adviceOn(s.handleAdviceNewForm)), false},
		{"POST /beratung/neu", accessUser, h(s.adviceOn(s.handleAdviceCreate)), false},
		{"GET /beratung/eingang", accessAdvisor, h(s.adviceOn(s.handleAdviceQueue)), false},
		{"GET /beratung/{id}", accessUser, h(s.adviceOn(s.handleAdviceView)), false},
		{"POST /beratung/{id}/nachricht", accessUser, h(s.adviceOn(s.handleAdviceReply)), false},
		{"POST /beratung/{id}/schliessen", accessUser, h(s.adviceOn(s.handleAdviceClose)), false},
		{"GET /beratung/{id}/anhang/{file}", accessUser, h(s.adviceOn(s.handleAdviceAttachment)), false},
		{"POST /beratung/{id}/antwort", accessAdvisor, h(s.adviceOn(s.handleAdviceAnswer)), false},
		{"POST /beratung/{id}/notiz", accessAdvisor, h(s.adviceOn(s.handleAdviceNote)), false},
		{"POST /beratung/{id}/zuweisung", accessAdvisor, h(s.adviceOn(s.handleAdviceAssign)), false},
		{"POST /beratung/{id}/status", accessAdvisor, h(s.adviceOn(s.handleAdviceMove)), false},
		{"GET /beratung/{id}/vorlage", accessAdvisor, h(s.adviceOn(s.handleAdviceTemplate)), false},
		{"POST /beratung/{id}/wissensartikel", accessAdvisor, h(s.adviceOn(s.handleAdviceArticle)), false},
		{"GET /betrieb/beratung/regeln", accessOperator, h(s.adviceOn(s.handleAdviceRules)), false},
		{"POST /betrieb/beratung/regeln", accessOperator, h(s.adviceOn(s.handleAdviceRuleSave)), false},
		{"POST /betrieb/beratung/regeln/{id}/loeschen", accessOperator, h(s.adviceOn(s.handleAdviceRuleDelete)), false},
		{"GET /api/v1/advice-requests", accessUser, h(s.adviceOn(s.handleAPIAdviceList)), false},
		{"POST /api/v1/advice-requests", accessUser, h(s.adviceOn(s.handleAPIAdviceCreate)), false},
		{"GET /api/v1/advice-requests/{id}", accessUser, h(s.adviceOn(s.handleAPIAdviceView)), false},
		{"POST /api/v1/advice-requests/{id}/messages", accessUser, h(s.adviceOn(s.handleAPIAdviceMessage)), false},

		// Knowledge base of the competence centre (knowledge_pages.go,
		// knowledge_write.go): everyone reads published articles; curators and
		// advisors write (readers get 404 on the writers' routes); another
		// curator reviews (four-eyes). The handlers ask knowledge.Can.
		{"GET /wissen", accessPublic, h(s.knowledgeOn(s.handleKnowledgeList)), false},
		{"GET /wissen/suche", accessPublic, h(s.handleCentreSearch), false}, // centre_search_pages.go
		{"GET /wissen/neu", accessUser, h(s.knowledgeOn(s.handleKnowledgeNewForm)), false},
		{"POST /wissen/neu", accessUser, h(s.knowledgeOn(s.handleKnowledgeCreate)), false},
		{"GET /wissen/hinweise", accessUser, h(s.knowledgeOn(s.handleKnowledgeQueue)), false},
		{"POST /wissen/hinweise/{id}/entscheidung", accessUser, h(s.knowledgeOn(s.handleKnowledgeDecide)), false},
		{"GET /wissen/{slug}", accessPublic, h(s.knowledgeOn(s.handleKnowledgeView)), false},
		{"GET /wissen/{slug}/bearbeiten", accessUser, h(s.knowledgeOn(s.handleKnowledgeEditForm)), false},
		{"POST /wissen/{slug}/bearbeiten", accessUser, h(s.knowledgeOn(s.handleKnowledgeUpdate)), false},
		{"POST /wissen/{slug}/einreichen", accessUser, h(s.knowledgeOn(s.handleKnowledgeSubmit)), false},
		{"POST /wissen/{slug}/pruefung", accessCurator, h(s.knowledgeOn(s.handleKnowledgeReview)), false},
		{"POST /wissen/{slug}/geprueft", accessUser, h(s.knowledgeOn(s.handleKnowledgeCheck)), false},
		{"GET /wissen/{slug}/fassungen", accessPublic, h(s.knowledgeOn(s.handleKnowledgeVersions)), false},
		{"POST /wissen/{slug}/anhaenge", accessUser, h(s.knowledgeOn(s.handleKnowledgeAttach)), false},
		{"GET /wissen/{slug}/anhaenge/{file}", accessPublic, h(s.knowledgeOn(s.handleKnowledgeAttachment)), false},
		{"POST /wissen/{slug}/bewertung", accessUser, h(s.knowledgeOn(s.handleKnowledgeRate)), false},
		{"POST /wissen/{slug}/hinweise", accessUser, h(s.knowledgeOn(s.handleKnowledgeSuggest)), false},
		{"GET /api/v1/articles", accessPublic, h(s.knowledgeOn(s.handleAPIArticleList)), false},
		{"GET /api/v1/centre/search", accessPublic, h(s.handleAPICentreSearch), false}, // centre_search_api.go
		{"POST /api/v1/articles", accessUser, h(s.knowledgeOn(s.handleAPIArticleCreate)), false},
		{"GET /api/v1/articles/{slug}", accessPublic, h(s.knowledgeOn(s.handleAPIArticleView)), false},
		{"PUT /api/v1/articles/{slug}", accessUser, h(s.knowledgeOn(s.handleAPIArticleUpdate)), false},
		{"POST /api/v1/articles/{slug}/submit", accessUser, h(s.knowledgeOn(s.handleAPIArticleSubmit)), false},
		{"POST /api/v1/articles/{slug}/review", accessCurator, h(s.knowledgeOn(s.handleAPIArticleReview)), false},
		// Practice examples of municipalities, districts and states
		// (practice_pages.go, practice_form.go, practice_api.go): everyone reads
		// published ones; members of the verified public body write; a curator
		// who did not write it reviews. The handlers ask practice.Can; drafts of
		// another organisation answer 404.
		{"GET /praxisbeispiele", accessPublic, h(s.practiceOn(s.handlePracticeList)), false},
		{"GET /praxisbeispiele/neu", accessUser, h(s.practiceOn(s.handlePracticeNewForm)), false},
		{"POST /praxisbeispiele/neu", accessUser, h(s.practiceOn(s.handlePracticeCreate)), false},
		{"GET /praxisbeispiele/{slug}", accessPublic, h(s.practiceOn(s.handlePracticeView)), false},
		{"GET /praxisbeispiele/{slug}/bearbeiten", accessUser, h(s.practiceOn(s.handlePracticeEditForm)), false},
		{"POST /praxisbeispiele/{slug}/bearbeiten", accessUser, h(s.practiceOn(s.handlePracticeUpdate)), false},
		{"POST /praxisbeispiele/{slug}/einreichen", accessUser, h(s.practiceOn(s.handlePracticeSubmit)), false},
		{"POST /praxisbeispiele/{slug}/zurueckziehen", accessUser, h(s.practiceOn(s.handlePracticeWithdraw)), false},
		{"POST /praxisbeispiele/{slug}/archivieren", accessUser, h(s.practiceOn(s.handlePracticeArchive)), false},
		{"POST /praxisbeispiele/{slug}/pruefung", accessCurator, h(s.practiceOn(s.handlePracticeReview)), false},
		{"GET /kuratierung/praxisbeispiele", accessCurator, h(s.practiceOn(s.handlePracticeQueue)), false},
		{"GET /api/v1/practice-examples", accessPublic, h(s.practiceOn(s.handleAPIPracticeList)), false},
		{"POST /api/v1/practice-examples", accessUser, h(s.practiceOn(s.handleAPIPracticeCreate)), false},
		{"GET /api/v1/practice-examples/{slug}", accessPublic, h(s.practiceOn(s.handleAPIPracticeView)), false},
		{"PUT /api/v1/practice-examples/{slug}", accessUser, h(s.practiceOn(s.handleAPIPracticeUpdate)), false},
		{"POST /api/v1/practice-examples/{slug}/submit", accessUser, h(s.practiceOn(s.handleAPIPracticeSubmit)), false},
		{"POST /api/v1/practice-examples/{slug}/review", accessCurator, h(s.practiceOn(s.handleAPIPracticeReview)), false},
		{"POST /api/v1/practice-examples/{slug}/withdraw", accessUser, h(s.practiceOn(s.handleAPIPracticeWithdraw)), false},
		{"POST /api/v1/practice-examples/{slug}/archive", accessUser, h(s.practiceOn(s.handleAPIPracticeArchive)), false},

		// Notification centre of the signed-in user (notify_pages.go, notify_api.go);
		// the store answers only the user's own notifications (404 otherwise).
		{"GET /konto/benachrichtigungen", accessUser, h(s.notifyOn(s.handleNotificationList)), false},
		{"POST /konto/benachrichtigungen/gelesen", accessUser, h(s.notifyOn(s.handleNotificationReadAll)), false},
		{"POST /konto/benachrichtigungen/{id}/gelesen", accessUser, h(s.notifyOn(s.handleNotificationRead)), false},
		{"GET /konto/benachrichtigungen/{id}/oeffnen", accessUser, h(s.notifyOn(s.handleNotificationOpen)), false},
		{"GET /konto/benachrichtigungen/einstellungen", accessUser, h(s.notifyOn(s.handleNotificationPrefs)), false},
		{"POST /konto/benachrichtigungen/einstellungen", accessUser, h(s.notifyOn(s.handleNotificationPrefsSave)), false},
		{"GET /api/v1/me/notifications", accessUser, h(s.notifyOn(s.handleAPINotificationList)), false},
		{"POST /api/v1/me/notifications/{id}/read", accessUser, h(s.notifyOn(s.handleAPINotificationRead)), false},

		// Fields of action.
		{"GET /handlungsfelder", accessPublic, h(s.handleFieldList), false},
		{"GET /betrieb/handlungsfelder", accessOperator, h(s.handleFieldAdmin), false},
		{"POST /betrieb/handlungsfelder", accessOperator, h(s.handleFieldAdd), false},
		{"GET /betrieb/handlungsfelder/{key}", accessOperator, h(s.handleFieldEdit), false},
		{"POST /betrieb/handlungsfelder/{key}", accessOperator, h(s.handleFieldUpdate), false},
		{"POST /betrieb/handlungsfelder/{key}/verschieben", accessOperator, h(s.handleFieldMove), false},
		{"POST /betrieb/handlungsfelder/{key}/loeschen", accessOperator, h(s.handleFieldDelete), false},

		// Procurement orientation and thresholds (procurement.go,
		// procurement_admin.go, api_procurement.go): public reading,
		// operators edit; the handlers ask procurement.CanEdit too.
		{"GET /vergabe/orientierung", accessPublic, h(s.handleProcurementOrientation), false},
		{"GET /betrieb/schwellenwerte", accessOperator, h(s.handleThresholdAdmin), false},
		{"POST /betrieb/schwellenwerte", accessOperator, h(s.handleThresholdAdd), false},
		{"GET /betrieb/schwellenwerte/{id}", accessOperator, h(s.handleThresholdEdit), false},
		{"POST /betrieb/schwellenwerte/{id}", accessOperator, h(s.handleThresholdUpdate), false},
		{"POST /betrieb/schwellenwerte/{id}/beenden", accessOperator, h(s.handleThresholdEnd), false},
		{"GET /api/v1/procurement/orientation", accessPublic, h(s.handleAPIProcurementOrientation), false},
		{"GET /api/v1/procurement/thresholds", accessPublic, h(s.handleAPIThresholdList), false},
		{"POST /api/v1/procurement/thresholds", accessOperator, h(s.handleAPIThresholdCreate), false},
		{"PUT /api/v1/procurement/thresholds/{id}", accessOperator, h(s.handleAPIThresholdUpdate), false},

		// Curators.
		{"GET /kuratierung/verifizierungen", accessCurator, h(s.handleReviewList), false},
		{"GET /kuratierung/verifizierungen/{id}", accessCurator, h(s.handleReviewView), false},
		{"POST /kuratierung/verifizierungen/{id}", accessCurator, h(s.handleReviewDecide), false},

		// Search synonyms, edited by curators (synonyms.go).
		{"GET /kuratierung/synonyme", accessCurator, h(s.handleSynonymList), false},
		{"POST /kuratierung/synonyme", accessCurator, h(s.handleSynonymAdd), false},
		{"POST /kuratierung/synonyme/zuruecksetzen", accessCurator, h(s.handleSynonymReset), false},
		{"GET /kuratierung/synonyme/{id}", accessCurator, h(s.handleSynonymEdit), false},
		{"POST /kuratierung/synonyme/{id}", accessCurator, h(s.handleSynonymUpdate), false},
		{"POST /kuratierung/synonyme/{id}/loeschen", accessCurator, h(s.handleSynonymDelete), false},
		{"GET /api/v1/search/synonyms", accessCurator, h(s.handleAPISynonymList), false},
		{"POST /api/v1/search/synonyms", accessCurator, h(s.handleAPISynonymCreate), false},
		{"PUT /api/v1/search/synonyms/{id}", accessCurator, h(s.handleAPISynonymUpdate), false},
		{"DELETE /api/v1/search/synonyms/{id}", accessCurator, h(s.handleAPISynonymDelete), false},

		// Operators.
		{"GET /betrieb/postausgang", accessOperator, h(s.handleOutbox), false},
		{"GET /betrieb/postausgang/{id}", accessOperator, h(s.handleOutboxMail), false},
		{"GET /betrieb/konten", accessOperator, h(s.handleUserList), false},
		{"GET /betrieb/konten/{id}", accessOperator, h(s.handleUserView), false},
		{"POST /betrieb/konten/{id}/rollen", accessOperator, h(s.handleUserRoles), false},
		{"GET /betrieb/protokoll", accessOperator, h(s.handleAuditLog), false},

		// JSON API.
		{"GET /api/v1/municipalities", accessPublic, h(s.handleAPIMunicipalityList), true},
		{"GET /api/v1/municipalities/{ags}", accessPublic, h(s.handleAPIMunicipalityView), true},
		{"GET /api/v1/districts", accessPublic, h(s.handleAPIDistrictList), true},
		{"GET /api/v1/districts/{key}", accessPublic, h(s.handleAPIDistrictView), true},
		{"GET /api/v1/states", accessPublic, h(s.handleAPIStateList), true},
		{"GET /api/v1/states/{key}", accessPublic, h(s.handleAPIStateView), true},
		{"GET /api/v1/me", accessUser, h(s.handleAPIMe), false},
		{"GET /api/v1/me/export", accessUser, h(s.handleAPIMeExport), false},
		{"GET /api/v1/users", accessOperator, h(s.handleAPIUserList), false},
		{"PUT /api/v1/users/{id}/roles", accessOperator, h(s.handleAPIUserRoles), false},
		{"GET /api/v1/audit-log", accessOperator, h(s.handleAPIAuditLog), false},
		{"GET /api/v1/organisations", accessPublic, h(s.handleAPIOrgList), false},
		{"POST /api/v1/organisations", accessUser, h(s.handleAPIOrgCreate), false},
		{"GET /api/v1/organisations/{slug}", accessPublic, h(s.handleAPIOrgView), false},
		{"GET /api/v1/organisations/{slug}/members", accessOrgMember, h(s.handleAPIOrgMembers), false},
		{"DELETE /api/v1/organisations/{slug}/members/{user}", accessOrgAdmin, h(s.handleAPIOrgMemberRemove), false},
		{"POST /api/v1/organisations/{slug}/invitations", accessOrgAdmin, h(s.handleAPIOrgInvite), false},
		{"POST /api/v1/organisations/{slug}/verification-requests", accessUser, h(s.handleAPIOrgRequest), false},
		{"POST /api/v1/invitations/accept", accessUser, h(s.handleAPIInvitationAccept), false},
		{"GET /api/v1/verification-requests", accessCurator, h(s.handleAPIRequestList), false},
		{"POST /api/v1/verification-requests/{id}/decision", accessCurator, h(s.handleAPIRequestDecide), false},
		{"GET /api/v1/solutions", accessPublic, h(s.handleAPISolutionList), false},
		{"GET /api/v1/search", accessPublic, h(s.handleAPISearch), false}, // api_search.go
		{"GET /api/v1/feed", accessPublic, h(s.handleAPIFeed), false},
		{"GET /api/v1/solutions/compare", accessPublic, h(s.handleAPICompare), false}, // compare.go
		{"GET /api/v1/solutions/{slug}", accessPublic, h(s.handleAPISolutionView), false},
		{"GET /api/v1/solutions/{slug}/usage", accessPublic, h(s.handleAPIUsageView), false},
		{"POST /api/v1/solutions/{slug}/usage", accessUser, h(s.handleAPIUsageDeclare), false},
		{"POST /api/v1/solutions/{slug}/usage/reports", accessUser, h(s.handleAPIUsageReport), false},
		{"POST /api/v1/solutions", accessUser, h(s.handleAPISolutionCreate), false},
		{"PUT /api/v1/solutions/{slug}", accessOrgSelf, h(s.handleAPISolutionUpdate), false},
		{"POST /api/v1/solutions/{slug}/submit", accessOrgSelf, h(s.handleAPISolutionSubmit), false},
		{"POST /api/v1/solutions/{slug}/review", accessCurator, h(s.handleAPISolutionReview), false},
		{"POST /api/v1/solutions/{slug}/archive", accessOrgAdminCurator, h(s.handleAPISolutionArchive), false},
		{"GET /api/v1/solutions/{slug}/versions", accessOrgMember, h(s.handleAPISolutionVersions), false},
		{"POST /api/v1/solutions/import", accessUser, h(s.handleAPISolutionImport), false},
		{"GET /api/v1/solutions/{slug}/repositories", accessOrgMember, h(s.handleAPIRepositoryList), false},
		{"POST /api/v1/solutions/{slug}/repositories", accessOrgSelf, h(s.handleAPIRepositoryAdd), false},
		{"DELETE /api/v1/solutions/{slug}/repositories/{id}", accessOrgSelf, h(s.handleAPIRepositoryRemove), false},
		{"GET /api/v1/solutions/{slug}/proposal", accessOrgMember, h(s.handleAPIProposal), false},
		{"POST /api/v1/solutions/{slug}/proposal/decision", accessOrgSelf, h(s.handleAPIProposalDecision), false},
		{"POST /api/v1/solutions/{slug}/media", accessOrgSelf, h(s.handleAPISolutionMediaCreate), false},
		{"GET /api/v1/fields-of-action", accessPublic, h(s.handleAPIFieldList), false},
		{"GET /api/openapi.json", accessPublic, h(s.handleOpenAPI), false},

		// Operations. Health and readiness say nothing secret and must be
		// reachable by load balancers; metrics reveal traffic and are not.
		{"GET /healthz", accessPublic, h(s.handleHealth), false},
		{"GET /readyz", accessPublic, h(s.handleReady), false},
		{"GET /metrics", accessOperations, s.metrics.handler, false},
		{"GET /static/", accessPublic, s.Renderer.Static(), false},
		{"GET /hello", accessPublic, http.HandlerFunc(handleHello), false},

		// Anything else is a translated 404 page or problem document.
		{"/", accessPublic, h(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }), false},
	}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		h := rt.handler
		if rt.cached {
			h = s.cached(h)
		}
		mux.Handle(rt.pattern, s.authorize(rt.access, h))
	}
	return s.observe(s.secure(s.crossOrigin(s.language(s.authenticate(noteRoute(mux))))))
}

// authorize enforces a route's access rule.
func (s *Server) authorize(a access, next http.Handler) http.Handler {
	switch a {
	case accessPublic:
		return next
	case accessOperations:
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !s.operations(r) {
				s.fail(w, r, apperr.New(apperr.Forbidden, "error.forbidden"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userOf(r)
		switch {
		case u == nil && isAPI(r):
			s.fail(w, r, apperr.New(apperr.Unauthenticated, "account.error.login_required"))
		case u == nil:
			loginRedirect(w, r)
		case u.token != nil && r.Method != http.MethodGet && r.Method != http.MethodHead && !u.token.Has(account.ScopeWrite):
			s.fail(w, r, apperr.New(apperr.Forbidden, "account.error.scope_write"))
		case a == accessOperator && !u.user.Has(account.Operator),
			a == accessCurator && !u.user.Has(account.Curator),
			a == accessAdvisor && !u.user.Has(account.Advisor):
			s.fail(w, r, apperr.New(apperr.Forbidden, "error.forbidden"))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// operations reports whether r may read monitoring data: with the metrics
// token when one is configured, else only from the loopback interface
// (the direct peer, never a forwarded address).
func (s *Server) operations(r *http.Request) bool {
	if tok := s.Config.MetricsToken; tok != "" {
		return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+tok)) == 1
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback() && r.Header.Get("X-Forwarded-For") == ""
}

// handleHello is the smallest possible handler, the baseline for load
// tests that compare the platform's pages with the server's own overhead.
func handleHello(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("hello\n"))
}
