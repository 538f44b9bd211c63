package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// openSourceYes is the check box "Open Source: Ja" of the facet panel.
const openSourceYes = `#facet-panel input[name="offen"][value="ja"]`

// testSolutionFacets: on /loesungen, ticking a facet makes htmx fetch
// only the results and the facet panel (the server's fragment) and
// replace both in place: the same document, one header, one panel, the
// selection in the address, and the count of the results equal to the
// count the panel shows for the ticked value.
func (e *env) testSolutionFacets(t *testing.T) {
	t.Parallel()
	ctx := e.tab(t, journeyTimeout)
	e.open(t, ctx, "/loesungen", 200)
	if !eval[bool](t, ctx, `typeof htmx === "object"`) {
		t.Fatal("htmx did not load")
	}
	eval[bool](t, ctx, `(window.appBefore = {doc: true, panel: document.querySelector("#facet-panel"), results: document.querySelector("#results")}, true)`)

	run(t, ctx, `tick "Open Source: Ja"`, chromedp.Click(chromedp.CSS(openSourceYes)),
		chromedp.Poll[chromedp.Void](`new URLSearchParams(location.search).get("offen") === "ja" &&
		  document.querySelector("#facet-panel") !== window.appBefore.panel &&
		  document.querySelector("#results") !== window.appBefore.results &&
		  document.querySelector(".htmx-request") === null`,
			chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))

	if !eval[bool](t, ctx, `window.appBefore?.doc === true`) {
		t.Error("the page was loaded anew instead of updated in place")
	}
	for sel, want := range map[string]int{"header.app-header": 1, "#facet-panel": 1, "#results": 1, "main": 1, "[hx-swap-oob]": 0} {
		if n := eval[int](t, ctx, `document.querySelectorAll(`+jsString(sel)+`).length`); n != want {
			t.Errorf("%d elements %s after the update, want %d", n, sel, want)
		}
	}
	if !eval[bool](t, ctx, `document.querySelector(`+jsString(openSourceYes)+`).checked`) {
		t.Error("the ticked box is not ticked in the new facet panel")
	}
	label := eval[string](t, ctx, `document.querySelector("label[for='" + document.querySelector(`+jsString(openSourceYes)+`).id + "']").textContent`)
	count := label[strings.LastIndex(label, "(")+1 : len(label)-1]
	if _, err := strconv.Atoi(strings.ReplaceAll(count, ".", "")); err != nil {
		t.Fatalf("facet label %q has no count", label)
	}
	wantText(t, ctx, resultsStatus, count+" Lösung")
}
