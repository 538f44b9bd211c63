package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Where the journeys go and the elements they use.
const (
	munich        = "/kommunen/09162000"
	resultsStatus = `#results [role="status"]`
	searchField   = `form[role="search"] #f-q`
	searchButton  = `form[role="search"] button[type="submit"]`
	firstResult   = `#results tbody tr:first-child th a`
	feedbackSend  = `#rueckmeldung form button[type="submit"]`
	errorSummary  = `#rueckmeldung .app-error-summary`
)

// journeyTimeout bounds one journey, so that a page that never shows what
// a test waits for fails the test instead of hanging the binary.
const journeyTimeout = 60 * time.Second

// navLink selects the link named name in the main navigation: links are
// found by the name a person reads, as a person finds them.
func navLink(name string) chromedp.Search {
	return chromedp.Search(`//nav[contains(@class,"app-nav")]//a[normalize-space()="` + name + `"]`)
}

// langLink selects the link named name in the language switch.
func langLink(name string) chromedp.Search {
	return chromedp.Search(`//nav[contains(@class,"app-lang")]//a[normalize-space()="` + name + `"]`)
}

// testSearch: start page → "Kommunen" → search "Muenchen" (the umlaut
// folding must find München) → first result → the municipality page.
func (e *env) testSearch(t *testing.T) {
	t.Parallel()
	ctx := e.tab(t, journeyTimeout)
	e.search(t, ctx)
	if !eval[bool](t, ctx, `typeof htmx === "object"`) {
		t.Error("htmx did not load: the page should be enhanced when JavaScript runs")
	}
}

// testSearchWithoutJavaScript walks the search journey with JavaScript
// turned off in the tab: the form must work as a plain GET form.
func (e *env) testSearchWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ctx := e.tab(t, journeyTimeout)
	run(t, ctx, "turn JavaScript off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	e.search(t, ctx)
	if eval[bool](t, ctx, `typeof htmx !== "undefined"`) {
		t.Error("htmx ran although JavaScript is off in this tab: the test does not test what it claims")
	}
}

// search is the journey of testSearch, with or without JavaScript. With
// it, htmx swaps the results in place; without it, the form loads a page.
func (e *env) search(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "open the start page", chromedp.Navigate(e.url("/")))
	follow(t, ctx, `click "Kommunen" in the main navigation`, 200, chromedp.Click(navLink("Kommunen")))
	if p := e.path(t, ctx); p != "/kommunen" {
		t.Fatalf(`after "Kommunen": at %s, want /kommunen`, p)
	}
	wantText(t, ctx, resultsStatus, "10.751")

	run(t, ctx, "type Muenchen into the name search", chromedp.SendKeys(chromedp.CSS(searchField), "Muenchen"))
	js := eval[bool](t, ctx, `typeof htmx === "object"`)
	submit := chromedp.Click(chromedp.CSS(searchButton))
	if js {
		// htmx swaps #results in place and pushes the address. Typing has
		// already sent requests for the first letters (after a pause of
		// 400 ms, which a loaded machine makes between keys); htmx queues
		// the submit behind them. Wait for the answer to the full query.
		run(t, ctx, "submit the search", submit,
			chromedp.Poll[chromedp.Void](`new URLSearchParams(location.search).get("q") === "Muenchen" &&
			  document.querySelector(`+jsString(firstResult)+`)?.getAttribute("href") === `+jsString(munich)+` &&
			  document.querySelector(".htmx-request") === null`,
				chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
	} else {
		follow(t, ctx, "submit the search", 200, submit)
	}
	if p := e.path(t, ctx); !strings.HasPrefix(p, "/kommunen?") || !strings.Contains(p, "q=Muenchen") {
		t.Errorf("after the search: at %s, want /kommunen?…q=Muenchen… (a link to the result)", p)
	}
	if href := attr(t, ctx, firstResult, "href"); href != munich {
		t.Fatalf("first result links to %q, want %s; results:\n%s", href, munich, text(t, ctx, "#results"))
	}

	follow(t, ctx, "follow the first result", 200, chromedp.Click(chromedp.CSS(firstResult)))
	if p := e.path(t, ctx); p != munich {
		t.Fatalf("after following the first result: at %s, want %s", p, munich)
	}
	wantText(t, ctx, "h1", "München")
	wantText(t, ctx, "main", "1.505.005")
}

// testLanguageSwitch: "English" on a municipality page shows the same
// page in English, with English number formatting.
func (e *env) testLanguageSwitch(t *testing.T) {
	t.Parallel()
	ctx := e.tab(t, journeyTimeout)
	run(t, ctx, "open München", chromedp.Navigate(e.url(munich)))
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "de" {
		t.Fatalf("a German browser gets lang=%q, want de", lang)
	}
	wantText(t, ctx, "main", "1.505.005")

	follow(t, ctx, `click "English"`, 200, chromedp.Click(langLink("English")))
	if p := e.path(t, ctx); !strings.HasPrefix(p, munich) {
		t.Errorf(`after "English": at %s, want the same page %s`, p, munich)
	}
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Errorf(`after "English": html lang=%q, want en`, lang)
	}
	wantText(t, ctx, "main", "1,505,005")
	wantText(t, ctx, ".app-nav", "Municipalities")

	// The choice sticks: the next page, reached without ?lang, is English.
	follow(t, ctx, `click "Municipalities"`, 200, chromedp.Click(navLink("Municipalities")))
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Errorf("the page after the switch has lang=%q, want en (the choice is not remembered)", lang)
	}
	wantText(t, ctx, resultsStatus, "10,751")
}

// testFeedbackForm: the accessibility feedback form sent empty shows an
// error summary that takes the focus and points at the faulty field;
// with a message it is accepted and says thank you.
func (e *env) testFeedbackForm(t *testing.T) {
	t.Parallel()
	ctx := e.tab(t, journeyTimeout)
	run(t, ctx, "open the accessibility statement", chromedp.Navigate(e.url("/barrierefreiheit")))
	follow(t, ctx, "send the empty form", 400, chromedp.Click(chromedp.CSS(feedbackSend)))

	run(t, ctx, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(errorSummary)))
	wantText(t, ctx, errorSummary, "Bitte prüfen Sie Ihre Eingaben", "Bitte füllen Sie dieses Feld aus.")
	if href := attr(t, ctx, errorSummary+` a`, "href"); href != "#f-message" {
		t.Errorf("the error summary links to %q, want #f-message", href)
	}
	if title := eval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Fehler:") {
		t.Errorf("title %q does not start with Fehler:, so a screen reader user does not hear that the form failed", title)
	}
	if v := attr(t, ctx, "#f-message", "aria-invalid"); v != "true" {
		t.Errorf("message field aria-invalid=%q, want true", v)
	}
	if d := attr(t, ctx, "#f-message", "aria-describedby"); !strings.Contains(d, "f-message-error") {
		t.Errorf("message field aria-describedby=%q does not name its error f-message-error", d)
	}
	wantText(t, ctx, "#f-message-error", "Bitte füllen Sie dieses Feld aus.")
	e.wantFocus(t, ctx, errorSummary)

	run(t, ctx, "write a message", chromedp.SendKeys(chromedp.CSS("#f-message"), "Die Tabelle der Kommunen ist mit dem Screenreader schwer lesbar."))
	follow(t, ctx, "send the form", 200, chromedp.Click(chromedp.CSS(feedbackSend)))
	if p := e.path(t, ctx); !strings.HasPrefix(p, "/barrierefreiheit?gesendet=1") {
		t.Errorf("after sending: at %s, want /barrierefreiheit?gesendet=1", p)
	}
	wantText(t, ctx, `#rueckmeldung [role="status"]`, "Vielen Dank für Ihre Rückmeldung")
	if n := eval[int](t, ctx, `document.querySelectorAll(".app-error-summary").length`); n != 0 {
		t.Errorf("%d error summaries after a successful send", n)
	}
}

// wantFocus waits until the element sel matches has the keyboard focus.
// The browser moves it (autofocus) at its next rendering update, so poll.
func (e *env) wantFocus(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.activeElement !== null && document.activeElement.matches(`+jsString(sel)+`)`,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second)))
	if errors.Is(err, chromedp.ErrPollingTimeout) {
		active := eval[string](t, ctx, `document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : "none"`)
		t.Errorf("%s does not get the focus; the focus is on %s", sel, active)
	} else if err != nil {
		t.Fatalf("wait for the focus on %s: %v", sel, err)
	}
}

// attr returns the attribute name of the first element sel matches, or ""
// when it has none.
func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	return eval[string](t, ctx, `(document.querySelector(`+jsString(sel)+`)?.getAttribute(`+jsString(name)+`)) ?? ""`)
}
