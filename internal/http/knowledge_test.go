package http

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
)

var reKnowledgeSlug = regexp.MustCompile(`^/wissen/([a-z0-9-]+)\?erledigt=gespeichert$`)

// writeArticle creates a draft through the editor and returns its slug.
func writeArticle(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	code, body, h := b.post("/wissen/neu", "/wissen/neu", form)
	m := reKnowledgeSlug.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %s %s", code, h.Get("Location"), body)
	}
	return m[1]
}

func TestKnowledgeJourney(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		ada := mustAccount(t, s, unique("ada"), "Ada Autorin", account.Curator)
		kurt := mustAccount(t, s, unique("kurt"), "Kurt Kurator", account.Curator)
		rita := mustAccount(t, s, unique("rita"), "Rita Leserin")
		author, reviewer, reader, visitor := loggedIn(t, s, ada.Email), loggedIn(t, s, kurt.Email), loggedIn(t, s, rita.Email), newBrowser(t, s)
		title := "Parkraum digital " + uuid.NewString()[:8]

		// A reader may not write.
		if code, body, _ := reader.get("/wissen/neu"); code != http.StatusOK || !strings.Contains(body, "nur Kuratorinnen") {
			t.Errorf("editor for a reader: %d", code)
		}

		// Validation messages next to the fields, input kept.
		code, body, _ := author.post("/wissen/neu", "/wissen/neu", url.Values{"kind": {"guide"}, "title": {title}, "body": {""},
			"solutions": {"gibt-es-nicht"}})
		if code != http.StatusUnprocessableEntity && code != http.StatusBadRequest || !strings.Contains(body, `id="f-body-error"`) ||
			!strings.Contains(body, "gibt-es-nicht") || !strings.Contains(body, title) {
			t.Fatalf("invalid article: %d", code)
		}

		solution, _, _ := orgFixture(t, s) // a published solution the article links to
		slug := writeArticle(t, author, url.Values{"kind": {"guide"}, "title": {title}, "summary": {"Kurz"}, "solutions": {solution}, "fields": {"mobility.parking"},
			"body": {"# Anleitung\n\nSchritt eins.\n\n<script>alert(1)</script>\n\n[Klick](javascript:alert(2))"}})

		// Unpublished: visitors and readers see nothing.
		if code, _, _ := visitor.get("/wissen/" + slug); code != http.StatusNotFound {
			t.Errorf("draft for a visitor: %d", code)
		}
		if code, _, _ := reader.get("/wissen/" + slug); code != http.StatusNotFound {
			t.Errorf("draft for a reader: %d", code)
		}
		if code, _, h := author.post("/wissen/"+slug, "/wissen/"+slug+"/einreichen", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", code, h.Get("Location"))
		}

		// The reviewer finds it in the list of articles in work; visitors do not.
		if _, body, _ := reviewer.get("/wissen"); !strings.Contains(body, `href="/wissen/`+slug+`"`) || !strings.Contains(body, "zur Prüfung eingereicht") {
			t.Error("the submitted article is not in the reviewer's list")
		}
		if _, body, _ := reader.get("/wissen"); strings.Contains(body, `href="/wissen/`+slug+`"`) {
			t.Error("a reader sees the unpublished article in the list")
		}
		// Four-eyes: the author cannot publish their own article.
		if _, body, _ := author.get("/wissen/" + slug); !strings.Contains(body, "Vier-Augen-Prinzip") {
			t.Error("the author's page does not explain the four-eyes rule")
		}
		code, body, _ = author.post("/wissen/neu", "/wissen/"+slug+"/pruefung", url.Values{"decision": {"publish"}})
		if code != http.StatusForbidden || !strings.Contains(body, "Vier-Augen-Prinzip") {
			t.Errorf("author publishes own: %d", code)
		}
		// Asking for changes needs a comment.
		if code, body, _ := reviewer.post("/wissen/"+slug, "/wissen/"+slug+"/pruefung", url.Values{"decision": {"changes"}}); code == http.StatusSeeOther ||
			!strings.Contains(body, `id="f-comment-error"`) {
			t.Errorf("changes without comment: %d", code)
		}
		if code, _, h := reviewer.post("/wissen/"+slug, "/wissen/"+slug+"/pruefung", url.Values{"decision": {"publish"}}); code != http.StatusSeeOther ||
			!strings.Contains(h.Get("Location"), "veroeffentlicht") {
			t.Fatalf("publish: %d %s", code, h.Get("Location"))
		}

		// A visitor reads the article, sanitised.
		code, body, _ = visitor.get("/wissen/" + slug)
		if code != http.StatusOK || !strings.Contains(body, "Schritt eins.") || !strings.Contains(body, "zuletzt geprüft") && !strings.Contains(body, "Zuletzt geprüft") {
			t.Fatalf("article for a visitor: %d", code)
		}
		if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "javascript:alert") {
			t.Error("unsafe Markdown reached the page")
		}
		if strings.Contains(body, "Möglicherweise veraltet") {
			t.Error("a fresh article is flagged outdated")
		}
		if !strings.Contains(body, `href="/loesungen/`+solution+`">Matrix</a>`) {
			t.Error("the article does not link its solution")
		}
		if code, body, _ := visitor.get("/loesungen/" + solution); code != http.StatusOK || !strings.Contains(body, "Wissen zu dieser Lösung") ||
			!strings.Contains(body, `href="/wissen/`+slug+`"`) {
			t.Errorf("solution page without the article: %d", code)
		}
		if code, body, _ := visitor.get("/wissen"); code != http.StatusOK || !strings.Contains(body, title) {
			t.Errorf("list: %d", code)
		}
		if code, body, _ := visitor.get("/wissen?art=checklist"); code != http.StatusOK || strings.Contains(body, title) {
			t.Errorf("list filtered by kind: %d", code)
		}
		if code, body, _ := visitor.get("/wissen?feld=mobility"); code != http.StatusOK || !strings.Contains(body, title) {
			t.Errorf("list filtered by the parent field: %d", code)
		}
		if code, _, _ := visitor.get("/wissen?feld=weltraum"); code != http.StatusBadRequest {
			t.Errorf("unknown field: %d", code)
		}
		if code, _, _ := visitor.get("/wissen?art=essay"); code != http.StatusBadRequest {
			t.Errorf("unknown kind: %d", code)
		}
		english := newBrowser(t, s) // ?lang= sets a cookie
		req, _ := http.NewRequest(http.MethodGet, english.base+"/wissen/"+slug+"?lang=en", nil)
		if code, body, _ := english.do(req); code != http.StatusOK || !strings.Contains(body, "Last checked") {
			t.Errorf("English article: %d", code)
		}

		// Ratings: one per user, changeable.
		for _, v := range []string{"ja", "nein", "ja"} {
			if code, _, _ := reader.post("/wissen/"+slug, "/wissen/"+slug+"/bewertung", url.Values{"helpful": {v}}); code != http.StatusSeeOther {
				t.Fatalf("rate %s: %d", v, code)
			}
		}
		if _, body, _ := reader.get("/wissen/" + slug); !strings.Contains(body, "1 fanden den Beitrag hilfreich, 0 nicht") {
			t.Error("rating counts: want 1 yes, 0 no")
		}

		// Attachments: a wrong type is refused with a message; a PDF is kept and served as a download.
		code, body, _ = author.postAdvice("/wissen/"+slug, "/wissen/"+slug+"/anhaenge", url.Values{}, map[string][]byte{"boese.pdf": []byte("<html><script>x</script>")})
		if code != http.StatusUnprocessableEntity && code != http.StatusBadRequest || !strings.Contains(body, "keine erlaubte Art") {
			t.Errorf("wrong type: %d", code)
		}
		if code, _, _ := author.postAdvice("/wissen/"+slug, "/wissen/"+slug+"/anhaenge", url.Values{}, map[string][]byte{"plan.pdf": []byte("%PDF-1.4\n%…")}); code != http.StatusSeeOther {
			t.Fatalf("attach: %d", code)
		}
		_, body, _ = visitor.get("/wissen/" + slug)
		m := regexp.MustCompile(`href="(/wissen/` + slug + `/anhaenge/[0-9a-f-]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no attachment link")
		}
		if code, _, h := visitor.get(m[1]); code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") != "application/pdf" {
			t.Errorf("download: %d %v", code, h)
		}

		// A suggestion, decided by the owner; the reader gets a mail.
		if code, body, _ := reader.post("/wissen/"+slug, "/wissen/"+slug+"/hinweise", url.Values{"suggestion": {""}}); code == http.StatusSeeOther ||
			!strings.Contains(body, `id="f-suggestion-error"`) {
			t.Errorf("empty suggestion: %d", code)
		}
		if code, _, _ := reader.post("/wissen/"+slug, "/wissen/"+slug+"/hinweise", url.Values{"suggestion": {"Schritt zwei fehlt."}}); code != http.StatusSeeOther {
			t.Fatalf("suggest: %d", code)
		}
		if code, body, _ := reader.get("/wissen/hinweise"); code != http.StatusOK || strings.Contains(body, "Schritt zwei fehlt.") {
			t.Errorf("a reader sees the queue: %d", code)
		}
		_, body, _ = author.get("/wissen/hinweise")
		sm := regexp.MustCompile(`action="/wissen/hinweise/([0-9a-f-]+)/entscheidung"`).FindStringSubmatch(body)
		if !strings.Contains(body, "Schritt zwei fehlt.") || sm == nil {
			t.Fatal("the owner's queue lacks the suggestion")
		}
		if code, _, _ := author.post("/wissen/hinweise", "/wissen/hinweise/"+sm[1]+"/entscheidung", url.Values{"decision": {"done"}, "note": {"Ergänzt."}}); code != http.StatusSeeOther {
			t.Fatalf("decide: %d", code)
		}
		if subjects := outboxTo(t, s, rita.Email); len(subjects) != 1 || !strings.Contains(subjects[0], "erledigt") {
			t.Errorf("mails to the reader: %v", subjects)
		}

		// A second version: edit, submit, publish; the versions page shows the diff.
		_, body, _ = author.get("/wissen/" + slug + "/bearbeiten")
		lock := regexp.MustCompile(`name="lock" value="(\d+)"`).FindStringSubmatch(body)
		if lock == nil {
			t.Fatal("editor without lock")
		}
		if code, _, _ := author.post("/wissen/"+slug+"/bearbeiten", "/wissen/"+slug+"/bearbeiten", url.Values{"kind": {"guide"}, "title": {title},
			"body": {"# Anleitung\n\nSchritt eins.\n\nSchritt zwei."}, "lock": {lock[1]}}); code != http.StatusSeeOther {
			t.Fatalf("edit: %d", code)
		}
		if code, _, _ := author.post("/wissen/"+slug+"/bearbeiten", "/wissen/"+slug+"/bearbeiten", url.Values{"kind": {"guide"}, "title": {title},
			"body": {"veraltet"}, "lock": {lock[1]}}); code != http.StatusConflict {
			t.Errorf("stale edit: %d", code)
		}
		if _, body, _ := visitor.get("/wissen/" + slug); strings.Contains(body, "Schritt zwei.") {
			t.Error("the working version reached visitors")
		}
		author.post("/wissen/"+slug, "/wissen/"+slug+"/einreichen", url.Values{})
		// The reviewer asks for changes; the author sees the comment and submits again.
		if code, _, _ := reviewer.post("/wissen/"+slug, "/wissen/"+slug+"/pruefung", url.Values{"decision": {"changes"}, "comment": {"Bitte Quelle nennen."}}); code != http.StatusSeeOther {
			t.Fatalf("ask for changes: %d", code)
		}
		if _, body, _ := author.get("/wissen/" + slug); !strings.Contains(body, "Bitte Quelle nennen.") || !strings.Contains(body, "Änderungen erbeten") {
			t.Error("the author does not see the requested changes")
		}
		if code, _, _ := author.post("/wissen/"+slug, "/wissen/"+slug+"/einreichen", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("submit again: %d", code)
		}
		reviewer.post("/wissen/"+slug, "/wissen/"+slug+"/pruefung", url.Values{"decision": {"publish"}, "comment": {"Gut."}})
		if code, body, _ := visitor.get("/wissen/" + slug + "/fassungen"); code != http.StatusOK || !strings.Contains(body, "<ins>+ Schritt zwei.</ins>") ||
			!strings.Contains(body, "Fassung 2") {
			t.Errorf("versions: %d", code)
		}
	})
}

func TestKnowledgeOutdated(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		ctx := context.Background()
		ada := mustAccount(t, s, unique("ada"), "Ada Autorin", account.Advisor)
		kurt := mustAccount(t, s, unique("kurt"), "Kurt Kurator", account.Curator)
		author, reviewer, visitor := loggedIn(t, s, ada.Email), loggedIn(t, s, kurt.Email), newBrowser(t, s)
		slug := writeArticle(t, author, url.Values{"kind": {"checklist"}, "title": {"Prüfliste " + uuid.NewString()[:8]}, "body": {"- [ ] eins"}})
		author.post("/wissen/"+slug, "/wissen/"+slug+"/einreichen", url.Values{})
		if code, _, _ := reviewer.post("/wissen/"+slug, "/wissen/"+slug+"/pruefung", url.Values{"decision": {"publish"}}); code != http.StatusSeeOther {
			t.Fatalf("publish: %d", code)
		}
		a, err := s.Knowledge.Get(ctx, nil, slug)
		if err != nil {
			t.Fatal(err)
		}
		// Two years on.
		later := time.Now().AddDate(2, 0, 0)
		s.Knowledge.Now = func() time.Time { return later }
		t.Cleanup(func() { s.Knowledge.Now = time.Now })
		if _, body, _ := visitor.get("/wissen/" + slug); !strings.Contains(body, "Möglicherweise veraltet – zuletzt geprüft am") {
			t.Error("outdated article not flagged")
		}
		for i := range 2 {
			if _, err := s.Knowledge.Sweep(ctx); err != nil {
				t.Fatalf("sweep %d: %v", i, err)
			}
		}
		if subjects := outboxTo(t, s, ada.Email); len(subjects) != 1 || !strings.Contains(subjects[0], "Bitte prüfen") {
			t.Errorf("reminders to the owner: %v", subjects)
		}
		// Only the owner or a curator confirms it as checked.
		other := loggedIn(t, s, mustAccount(t, s, unique("otto"), "Otto", account.Advisor).Email)
		if code, _, _ := other.post("/wissen/"+slug, "/wissen/"+slug+"/geprueft", url.Values{}); code != http.StatusForbidden {
			t.Errorf("another advisor checks: %d", code)
		}
		if code, _, _ := author.post("/wissen/"+slug, "/wissen/"+slug+"/geprueft", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("check: %d", code)
		}
		b, _ := s.Knowledge.Get(ctx, nil, slug)
		if !b.LastChecked.After(a.LastChecked) || b.Published.Number != 1 {
			t.Errorf("checked: %v → %v, version %d", a.LastChecked, b.LastChecked, b.Published.Number)
		}
		if _, body, _ := visitor.get("/wissen/" + slug); strings.Contains(body, "Möglicherweise veraltet") {
			t.Error("checked article still flagged")
		}
	})
}
