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

// get opens path in the language lang.
func get(path string) func(t *testing.T, e *env, ctx context.Context, lang string) {
	return func(t *testing.T, e *env, ctx context.Context, lang string) {
		t.Helper()
		run(t, ctx, "open "+path, chromedp.Navigate(e.url(path+"?lang="+lang)))
	}
}

// axePages are the pages checked with axe, each in German and English.
var axePages = []axePage{
	{"Home", get("/")},
	{"Municipalities", get("/kommunen")},
	{"Municipality", get(munich)},
	{"States", get("/laender")},
	{"District", get("/kreise/01051")},
	{"Accessibility", get("/barrierefreiheit")},
	{"Login", get("/anmelden")},
	{"Register", get("/registrieren")},
	{"RegisterErrors", func(t *testing.T, e *env, ctx context.Context, lang string) {
		t.Helper()
		get("/registrieren")(t, e, ctx, lang)
		follow(t, ctx, "send the empty registration form", 400, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
		run(t, ctx, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(`main .app-error-summary`)))
	}},
	{"Forgot", get("/passwort-vergessen")},
	{"Confirm", get("/konto/bestaetigen/beispiel")},
	{"Reset", get("/konto/passwort-neu/beispiel")},
	{"FeedbackErrors", func(t *testing.T, e *env, ctx context.Context, lang string) {
		t.Helper()
		get("/barrierefreiheit")(t, e, ctx, lang)
		follow(t, ctx, "send the empty feedback form", 400, chromedp.Click(chromedp.CSS(feedbackSend)))
		run(t, ctx, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(errorSummary)))
	}},
}

// pageTimeout bounds the check of one page in the shared tab of a language.
const pageTimeout = 60 * time.Second

// testAccessibility checks every page in both languages with axe-core and
// fails on any violation of WCAG 2.1 A/AA that axe can detect. Each
// language has one tab for all its pages: opening a tab costs about as
// much as checking a page.
func (e *env) testAccessibility(t *testing.T) {
	t.Parallel() // with the journeys, so that both cores stay busy to the end
	for _, lang := range []string{"de", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			tab := e.tab(t, time.Duration(len(axePages))*pageTimeout)
			for _, p := range axePages {
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
