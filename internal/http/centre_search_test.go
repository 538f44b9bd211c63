package http

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/knowledge"
)

// centreSearchFixture stores a published article, a draft and a public
// event that share a word of their own (the servers' databases are
// shared, so every test searches for its own word).
func centreSearchFixture(t *testing.T, s *Server) (word, article, draft, ev string) {
	t.Helper()
	ctx := context.Background()
	word = "zq" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	cur := mustAccount(t, s, unique("kurator"), "Kurt Kurator", account.Curator)
	now := time.Now().UTC()
	mk := func(slug, title string, publish bool) string {
		a, err := s.DB.CreateArticle(ctx, knowledge.Article{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Owner: knowledge.Person{ID: cur.ID},
			State: knowledge.Draft, Editor: knowledge.Person{ID: cur.ID}, Authors: []string{cur.ID}, LastChecked: knowledge.Day(now),
			Working: knowledge.Content{Kind: knowledge.Guide, Title: title, Summary: "Gebühren und Zonen " + word, Body: "Schritte",
				Fields: []string{"mobility.parking"}}}, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		if !publish {
			return a.Slug
		}
		a.State = knowledge.Submitted
		if a, err = s.DB.SaveArticle(ctx, a, knowledge.Draft, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.PublishArticle(ctx, knowledge.Publication{ArticleID: a.ID, Lock: a.Lock, Checked: knowledge.Day(now),
			Version: knowledge.Version{Number: 1, Content: a.Working, Author: a.Editor, Reviewer: knowledge.Person{ID: cur.ID}, At: now}}); err != nil {
			t.Fatal(err)
		}
		return a.Slug
	}
	article = mk("parkraum-"+word, "Parkraumbewirtschaftung einführen", true)
	draft = mk("entwurf-"+word, "Geheimer Entwurf", false)
	start := now.Add(7 * 24 * time.Hour).Truncate(time.Minute)
	e, err := s.DB.CreateEvent(ctx, event.Event{ID: uuid.Must(uuid.NewV7()).String(), Slug: "info-" + word, Title: "Infoveranstaltung Bürgerbeteiligung",
		Summary: "Beteiligung digital " + word, Kind: event.Information, Format: event.Online, OnlineURL: "https://meet.example/x", Start: start,
		End: start.Add(time.Hour), Deadline: start.Add(-time.Hour), Capacity: 20, State: event.Published, CreatedBy: cur.ID}, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	return word, article, draft, e.Slug
}

func TestCentreSearchPage(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		word, article, draft, ev := centreSearchFixture(t, s)
		b := newBrowser(t, s)

		// Only the form without a query.
		code, body, _ := b.get("/wissen/suche")
		if code != http.StatusOK || !strings.Contains(body, `role="search"`) || !strings.Contains(body, `name="art" value="example"`) ||
			strings.Contains(body, `id="h-results"`) {
			t.Fatalf("empty search: %d", code)
		}
		for _, list := range []string{"/wissen", "/veranstaltungen"} {
			if _, body, _ := b.get(list); !strings.Contains(body, `href="/wissen/suche"`) {
				t.Errorf("%s does not link to the search", list)
			}
		}

		for _, c := range []struct {
			name, query string
			want, not   []string
		}{
			{"All", "q=" + word, []string{`href="/wissen/` + article + `"`, `href="/veranstaltungen/` + ev + `"`, "2 Treffer", "Veranstaltung", "Artikel (1)"},
				[]string{draft}},
			{"Kind", "q=" + word + "&art=event", []string{`href="/veranstaltungen/` + ev + `"`, "1 Treffer", `value="event" checked`},
				[]string{`href="/wissen/` + article + `"`}},
			{"Kinds", "q=" + word + "&art=event&art=article", []string{`href="/veranstaltungen/` + ev + `"`, `href="/wissen/` + article + `"`}, nil},
			{"Field", "q=" + word + "&feld=mobility", []string{`href="/wissen/` + article + `"`}, []string{`href="/veranstaltungen/` + ev + `"`}},
			{"Stemming", "q=" + url.QueryEscape("Einführung "+word), []string{`href="/wissen/` + article + `"`}, []string{ev}},
			{"Umlaut", "q=" + url.QueryEscape("Buergerbeteiligung "+word), []string{`href="/veranstaltungen/` + ev + `"`}, []string{article}},
			{"Minus", "q=" + url.QueryEscape(word+" -Parken"), []string{`href="/veranstaltungen/` + ev + `"`}, []string{article}},
			{"Nothing", "q=qq" + strings.ReplaceAll(uuid.NewString()[:8], "-", ""), []string{"Zu Ihrer Suche gibt es keine Treffer", "0 Treffer"}, nil},
			{"Operators", "q=" + url.QueryEscape(`"" - * ( ) : ^ -"`), []string{"Geben Sie einen Suchbegriff ein"}, []string{`id="h-results"`}},
			{"ControlChars", "q=%00%01" + word, []string{`href="/wissen/` + article + `"`}, nil},
			// last: the language is remembered in a cookie
			{"English", "q=" + word + "&lang=en", []string{"Search the competence centre", "2 results", "Event"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				code, body, _ := b.get("/wissen/suche?" + c.query)
				if code != http.StatusOK {
					t.Fatalf("%s: %d", c.query, code)
				}
				for _, w := range c.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s: no %q", c.query, w)
					}
				}
				for _, n := range c.not {
					if strings.Contains(body, n) {
						t.Errorf("%s: has %q", c.query, n)
					}
				}
			})
		}

		// Bad input: the form again with the messages at the fields.
		for _, c := range []struct{ query, field string }{
			{"q=" + strings.Repeat("ä", 10000), "q"},
			{"q=x&art=solution", "art"},
			{"q=x&feld=space", "feld"},
		} {
			code, body, _ := b.get("/wissen/suche?" + c.query)
			if code != http.StatusBadRequest || !strings.Contains(body, `id="f-`+c.field+`-error"`) || !strings.Contains(body, `href="#f-`+c.field+`"`) {
				t.Errorf("%.40s: %d, no message at %s", c.query, code, c.field)
			}
		}
		for _, q := range []string{"q=x&unbekannt=1", "q=x&q=y", "q=x&seite=0", "q=x&seite=x", "q=%zz"} {
			if code, _, _ := b.get("/wissen/suche?" + q); code != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", q, code)
			}
		}
	})
}

func TestCentreSearchAPI(t *testing.T) {
	o := loadOpenAPI(t)
	var op openAPIOp
	for _, x := range o.operations() {
		if x.path == "/api/v1/centre/search" && x.method == "get" {
			op = x
		}
	}
	if op.path == "" {
		t.Fatal("GET /api/v1/centre/search is not documented")
	}
	eachServer(t, func(t *testing.T, s *Server) {
		word, article, _, ev := centreSearchFixture(t, s)
		type result struct {
			Items []struct {
				Kind, Slug, URL string
				Fields          []string
				Date            time.Time
			}
			Total  int
			Next   string
			Counts map[string]int
		}
		search := func(query string, status int) result {
			t.Helper()
			code, body := checkOpenAPIResponse(t, o, s, apiCase{op: op, target: "/api/v1/centre/search?" + query, status: status, wantItems: status == 200})
			var r result
			if code == 200 {
				if err := json.Unmarshal(body, &r); err != nil {
					t.Fatal(err)
				}
			}
			return r
		}
		r := search("q="+word, 200)
		if r.Total != 2 || len(r.Items) != 2 || r.Counts["article"] != 1 || r.Counts["event"] != 1 || r.Counts["example"] != 0 || r.Next != "" {
			t.Fatalf("all: %+v", r)
		}
		for _, it := range r.Items {
			switch it.Kind {
			case "article":
				if it.Slug != article || it.URL != "http://platform.test/wissen/"+article || len(it.Fields) != 1 || it.Date.IsZero() {
					t.Errorf("article hit %+v", it)
				}
			case "event":
				if it.Slug != ev || it.URL != "http://platform.test/veranstaltungen/"+ev {
					t.Errorf("event hit %+v", it)
				}
			default:
				t.Errorf("hit %+v", it)
			}
		}
		if r := search("q="+word+"&kind=event", 200); r.Total != 1 || r.Items[0].Kind != "event" || r.Counts["article"] != 1 {
			t.Errorf("kind=event: %+v", r)
		}
		if r := search("q="+word+"&kind=event,article", 200); r.Total != 2 {
			t.Errorf("kind=event,article: %+v", r)
		}
		r = search("q="+word+"&limit=1", 200)
		if r.Total != 2 || len(r.Items) != 1 || r.Next != "1" {
			t.Fatalf("page 1: %+v", r)
		}
		if r2 := search("q="+word+"&limit=1&cursor="+r.Next, 200); len(r2.Items) != 1 || r2.Next != "" || r2.Items[0].Slug == r.Items[0].Slug {
			t.Errorf("page 2: %+v", r2)
		}
		for _, q := range []string{"q=" + url.QueryEscape(strings.Repeat("x", 101)), "q=x&kind=club", "q=x&kind=event&kind=article",
			"q=x&field=space", "q=x&cursor=-1", "q=x&cursor=10001", "q=x&limit=0"} {
			search(q, 400)
		}
	})
}
