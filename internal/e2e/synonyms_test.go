package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smartregions/smartregions/internal/account"
)

// testSynonymPages: a curator adds a synonym group, checks a word, opens
// the group, saves it with too few words and asks to reset the list, in
// German and English; each page passes axe.
func (e *env) testSynonymPages(t *testing.T) {
	t.Parallel()
	words := map[string][2]string{"de": {"Wochenmarkt", "Markttag"}, "en": {"Stadtfest", "Straßenfest"}}
	for _, lang := range []string{"de", "en"} {
		t.Run(lang, func(t *testing.T) {
			ctx := e.tab(t, 2*journeyTimeout)
			u := e.newUser(t, "synonyme-"+lang+"@kompetenz.example", "Sina Synonym", account.Curator)
			e.login(t, ctx, u.Email, testPassword)
			e.open(t, ctx, "/kuratierung/synonyme?lang="+lang, 200)
			checkAxe(t, ctx)

			w := words[lang]
			run(t, ctx, "type the words of a new group", chromedp.SendKeys(chromedp.CSS("#f-members"), w[0]+"\n"+w[1]))
			follow(t, ctx, "add the group", 200, chromedp.Click(chromedp.CSS(`main form[action="/kuratierung/synonyme"][method="post"] button[type="submit"]`)))
			wantText(t, ctx, "main", w[0], w[1])
			checkAxe(t, ctx)

			run(t, ctx, "type a word to check", chromedp.SendKeys(chromedp.CSS("#f-begriff"), w[0]))
			follow(t, ctx, "check the word", 200, chromedp.Click(chromedp.CSS(`main form[method="get"] button[type="submit"]`)))
			wantText(t, ctx, "#pruefergebnis", w[1])
			checkAxe(t, ctx)

			follow(t, ctx, "open the group", 200, chromedp.Click(chromedp.CSS(`#pruefergebnis a[href^="/kuratierung/synonyme/"]`)))
			checkAxe(t, ctx)
			run(t, ctx, "leave one word", chromedp.SetValue(chromedp.CSS("#f-members"), w[0]))
			follow(t, ctx, "save one word", 400, chromedp.Click(chromedp.CSS(`main form[action^="/kuratierung/synonyme/"] button[type="submit"]`)))
			wantText(t, ctx, ".app-error-summary", "2")
			checkAxe(t, ctx)

			e.open(t, ctx, "/kuratierung/synonyme", 200)
			follow(t, ctx, "ask to reset", 200, chromedp.Click(chromedp.CSS(`main form[action="/kuratierung/synonyme/zuruecksetzen"] button[type="submit"]`)))
			if n := eval[int](t, ctx, `document.querySelectorAll('input[name="bestaetigt"][value="ja"]').length`); n != 1 {
				t.Errorf("the question has %d confirming forms", n)
			}
			checkAxe(t, ctx)
		})
	}
}
