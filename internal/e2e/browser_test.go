package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/config"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/feedback"
	httpserver "github.com/smartregions/smartregions/internal/http"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/jobs"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/mail/mailtest"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/sso"
	"github.com/smartregions/smartregions/internal/sso/ssotest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
	"github.com/smartregions/smartregions/internal/web"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

func TestMain(m *testing.M) { storetest.Main(m) }

// env is the platform under test and the browser that drives it.
type env struct {
	base     string          // http://127.0.0.1:port of the platform
	browser  context.Context // the running browser; each tab is a child
	db       *store.DB
	accounts *account.Service
	orgs     *org.Service
	catalog  *catalog.Solutions
	mails    *mailtest.Server  // the SMTP server the platform delivers to
	op       *ssotest.Provider // the OpenID provider configured as ssoID
}

// TestBrowser starts the platform and one browser for the whole binary
// (starting chromium is the slow part) and runs the journeys and page
// checks as parallel subtests, each in a tab and browser context of its
// own, so that cookies such as the language choice never leak from one
// into another.
func TestBrowser(t *testing.T) {
	e := newEnv(t)
	t.Run("Accessibility", e.testAccessibility) // the longest, so first
	t.Run("Search", e.testSearch)
	t.Run("LanguageSwitch", e.testLanguageSwitch)
	t.Run("SearchWithoutJavaScript", e.testSearchWithoutJavaScript)
	t.Run("SolutionFacets", e.testSolutionFacets) // facets_test.go
	t.Run("SynonymPages", e.testSynonymPages)     // synonyms_test.go
	t.Run("FeedbackForm", e.testFeedbackForm)
	t.Run("RegisterConfirmLogin", e.testRegisterConfirmLogin)
	t.Run("SSOLogin", e.testSSOLogin)
	t.Run("Organisation", e.testOrgJourney)
	t.Run("Solution", e.testSolutionJourney)
	t.Run("SolutionMedia", e.testSolutionMedia)
	t.Run("SolutionImport", e.testSolutionImport)
	t.Run("Event", e.testEventJourney)   // event_test.go
	t.Run("Advice", e.testAdviceJourney) // advice_test.go
	// Knowledge base and notification centre (knowledge_test.go, notify_test.go).
	t.Run("KnowledgeBase", e.testKnowledgeBase)
	t.Run("PracticeExample", e.testPracticeExample) // practice_test.go
	t.Run("Notifications", e.testNotifications)
	t.Run("CentreSearch", e.testCentreSearch)      // centre_search_test.go
	t.Run("FundCheck", e.testFundCheck)            // fundcheck_test.go
	t.Run("Exploration", e.testExplorationJourney) // exploration_test.go
	t.Run("OfferQuestions", e.testOfferJourney)    // offer_test.go
}

// newEnv serves the platform over a fresh SQLite database with the real
// register imported and starts chromium, or skips when there is none.
func newEnv(t *testing.T) *env {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is missing (%v): the browser tests must run in CI; install Debian's chromium package", chromiumPath, err)
		}
		t.Skipf("%s not found: install Debian's chromium package to run the browser tests", chromiumPath)
	}

	// A database of its own (not regiontest.Imported's shared read-only
	// one), because the journeys write to it.
	db := storetest.New(t, store.SQLite)
	if _, _, err := regiontest.Service(db).EnsureRegister(t.Context()); err != nil {
		t.Fatalf("import register: %v", err)
	}
	// The platform's address goes into mails and is the redirect base of
	// single sign-on, so it must be known before the server is built.
	ts := httptest.NewUnstartedServer(nil)
	e := &env{base: "http://" + ts.Listener.Addr().String(), db: db, mails: mailtest.Start(t)}
	e.op = ssotest.Start(t, nil, ssotest.Client{ID: "smartregions", Secret: "e2e-client-secret",
		RedirectURIs: []string{e.base + "/anmelden/sso/" + ssoID + "/callback"}})
	s := newServer(t, e)
	e.accounts = s.Accounts
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)

	// The flags keep chromium off the network: without them it calls
	// Google's services at start, which this machine's closed network
	// refuses. chromedp gives it a fresh --user-data-dir in the temporary
	// directory and removes it when the browser stops.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1024),
		// A German browser, as most of the platform's users have: the
		// pages then come in German without ?lang=.
		chromedp.Flag("lang", "de-DE"),
		chromedp.Flag("accept-lang", "de-DE,de"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	// The first Run starts the browser and binds it to browser, which has
	// no deadline; tabs get theirs in tab.
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	e.browser = browser
	return e
}

// ssoID is the single sign-on provider of the platform under test.
const ssoID = "testop"

// newServer builds the platform's real router over e.db as
// cmd/smartregions serve does: mail goes into the outbox and a River job
// delivers it over SMTP to e.mails; e.op is the one OpenID provider.
func newServer(t *testing.T, e *env) *httpserver.Server {
	t.Helper()
	ctx := t.Context()
	log := slog.New(slog.DiscardHandler)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := web.New(bundle, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mails := startMail(t, e.db, e.mails.Config(), log)
	cfg := config.Defaults
	cfg.BaseURL = e.base
	client, err := sso.New(ctx, []sso.ProviderConfig{{ID: ssoID, Name: "Servicekonto Test", Issuer: e.op.URL,
		ClientID: "smartregions", ClientSecret: "e2e-client-secret"}}, e.base, []byte("e2e-sso-key-0123456789abcdefghijklmnop"), nil)
	if err != nil {
		t.Fatal(err)
	}
	regions := region.NewService(e.db, log)
	fields := catalog.NewFields(e.db)
	if _, err := fields.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	solutions := catalog.NewSolutions(e.db, e.db, e.db)
	e.catalog = solutions
	if _, err := solutions.ImportDemo(ctx, data.PublicCode, data.PublicCodeDir); err != nil {
		t.Fatal(err)
	}
	e.orgs = org.NewService(e.db, regions, mail.Accounts(mails), bundle, cfg.BaseURL, log)
	s, err := httpserver.New(ctx, httpserver.Deps{Config: cfg, Log: log, DB: e.db,
		Regions: regions, Feedback: feedback.NewService(e.db), Bundle: bundle,
		Accounts: account.NewService(e.db, mail.Accounts(mails), bundle, cfg.BaseURL, log), Mail: mails,
		Orgs: e.orgs, Fields: fields, Solutions: solutions.WithMail(mail.Accounts(mails), bundle, cfg.BaseURL), SSO: client,
		Harvest: catalog.NewHarvester(solutions, e.db, catalog.NewGitFetcher().AllowLocal()), Renderer: renderer, Version: "test",
		Usage: catalog.NewUsage(e.db, solutions, e.db, mails, bundle, cfg.BaseURL, log), Search: search.New(e.db, fields),
		Events: event.NewService(e.db, e.db, fields, mails, bundle, cfg.BaseURL, log)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startMail returns the mail service with the job runner that delivers
// its mails over smtp, working until t ends. It polls for jobs every
// 50 ms instead of every second, so a mail arrives while a person would
// still be reading the page that announced it.
func startMail(t *testing.T, db *store.DB, smtp mail.SMTPConfig, log *slog.Logger) *mail.Service {
	t.Helper()
	w, err := mail.NewWorker(db, smtp)
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	runner, err := jobs.New(t.Context(), db, workers, jobs.Config{PollInterval: 50 * time.Millisecond, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := mail.NewService(db, smtp, runner.Client())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// Registered after the database's cleanup, so it runs before it.
	t.Cleanup(func() {
		cancel()
		<-runner.Stopped()
	})
	return svc
}

// tab opens a new tab in a new browser context (its own cookies), closed
// when t ends, with a deadline for everything the test does in it. A
// script error or a message such as a Content-Security-Policy refusal in
// the tab's console fails t; failed loads are only logged, because the
// tests check the statuses they expect themselves (the feedback form
// answers 400 on purpose).
func (e *env) tab(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(e.browser, timeout)
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	console := chromedp.Console(ctx) // opens the tab; subscribed from here on
	var msgs []chromedp.ConsoleMessage
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				msgs = append(msgs, m)
			}
		}
	}()
	// Reduced motion turns KERN's smooth scrolling off (app.css): a click
	// computes where the element is after scrolling it into view, and a
	// page still scrolling moves it away from there.
	if _, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	})); err != nil {
		t.Fatalf("emulate reduced motion: %v", err)
	}
	t.Cleanup(func() {
		cancelTab()
		cancel()
		<-done // msgs is ours from here on
		for _, m := range msgs {
			if m.Type == chromedp.ConsoleError && strings.HasPrefix(m.Text, "Failed to load resource") {
				t.Logf("browser console: %s (%s)", m.Text, strings.TrimPrefix(m.URL, e.base))
			} else {
				t.Errorf("browser console: %s (%s)", m, strings.TrimPrefix(m.URL, e.base))
			}
		}
	})
	return ctx
}

// url returns the platform's address of path.
func (e *env) url(path string) string { return e.base + path }

// run runs the steps and fails t with what it was doing on an error.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// follow runs the step, typically a click on a link or a submit button,
// waits for the page it loads and fails t unless it answered with want.
func follow(t *testing.T, ctx context.Context, what string, want int64, step chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, step)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != want {
		t.Fatalf("%s: status %d, want %d (%s)", what, resp.Status, want, resp.URL)
	}
}

// text returns the visible text of the first element sel matches.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// wantText fails t unless the element sel matches contains all of want.
func wantText(t *testing.T, ctx context.Context, sel string, want ...string) {
	t.Helper()
	got := text(t, ctx, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not show %q; it reads:\n%s", sel, w, got)
		}
	}
}

// path returns the path and query of the tab's current address.
func (e *env) path(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return strings.TrimPrefix(loc, e.base)
}

// eval evaluates a JavaScript expression in the page and returns its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
