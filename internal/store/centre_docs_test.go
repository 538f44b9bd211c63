package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/centre"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// centreCorpus is the small shared corpus of the centre's search: a
// published article, a draft article, a public event and a practice
// example.
type centreCorpus struct {
	db      *store.DB
	svc     *centre.Service
	article knowledge.Article
	event   event.Event
	example string // id
	curator account.User
}

func newCentreCorpus(tb testing.TB, db *store.DB) *centreCorpus {
	tb.Helper()
	ctx := context.Background()
	fields := catalog.NewFields(db)
	if _, err := fields.Ensure(ctx); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.SeedSynonyms(ctx, search.DefaultSynonyms()); err != nil {
		tb.Fatal(err)
	}
	c := &centreCorpus{db: db, svc: centre.New(db, fields)}
	author := mustUser(tb, db, "ada@zentrum.de", "Ada", account.Advisor)
	c.curator = mustUser(tb, db, "kurt@zentrum.de", "Kurt", account.Curator)
	c.article = mustPublishedArticle(tb, db, author, c.curator, "Parkraumbewirtschaftung einführen", knowledge.Content{Kind: knowledge.Guide,
		Summary: "Gebühren, Zonen und Kontrolle", Body: "Die Kommune ordnet das **Abstellen** in der Innenstadt neu.", Fields: []string{"mobility.parking"}})
	// a draft: never in the index
	if _, err := db.CreateArticle(ctx, knowledge.Article{ID: uuid.Must(uuid.NewV7()).String(), Slug: "entwurf", Owner: knowledge.Person{ID: author.ID},
		Working: knowledge.Content{Kind: knowledge.Guide, Title: "Geheimer Entwurf Quartiersgarage"}, State: knowledge.Draft,
		Editor: knowledge.Person{ID: author.ID}, Authors: []string{author.ID}, LastChecked: knowledge.Day(time.Now())}, account.AuditEntry{}); err != nil {
		tb.Fatal(err)
	}
	start := time.Now().UTC().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	var err error
	c.event, err = db.CreateEvent(ctx, event.Event{ID: uuid.Must(uuid.NewV7()).String(), Slug: "info", Title: "Infoveranstaltung Bürgerbeteiligung",
		Summary: "Wie Kommunen Beteiligung digital organisieren", Description: "Plattformen für den Dialog und smarte Straßenbeleuchtung",
		Address: "Rathaus Leipzig", Kind: event.Information, Format: event.Onsite, Start: start, End: start.Add(2 * time.Hour),
		Deadline: start.Add(-time.Hour), Capacity: 30, State: event.Published, CreatedBy: c.curator.ID, Fields: []string{"participation"}},
		account.AuditEntry{})
	if err != nil {
		tb.Fatal(err)
	}
	c.example = uuid.Must(uuid.NewV7()).String()
	doc := store.ExampleCentreDoc(c.example, "licht", practice.Content{Title: "Smarte Straßenbeleuchtung in Musterstadt",
		Goal: "Energie sparen mit vernetzten Leuchten.", Lessons: "Früh mit dem Netzbetreiber sprechen.",
		Contact: practice.Contact{Name: "Erika Geheim"}})
	doc.Date = time.Now().UTC()
	if err := db.PutCentreDoc(ctx, doc); err != nil {
		tb.Fatal(err)
	}
	return c
}

func mustPublishedArticle(tb testing.TB, db *store.DB, author, reviewer account.User, title string, c knowledge.Content) knowledge.Article {
	tb.Helper()
	ctx := context.Background()
	c.Title = title
	a, err := db.CreateArticle(ctx, knowledge.Article{ID: uuid.Must(uuid.NewV7()).String(), Slug: "parken", Owner: knowledge.Person{ID: author.ID},
		Working: c, State: knowledge.Draft, Editor: knowledge.Person{ID: author.ID}, Authors: []string{author.ID}, LastChecked: knowledge.Day(time.Now())},
		account.AuditEntry{})
	if err != nil {
		tb.Fatal(err)
	}
	return republish(tb, db, a, reviewer)
}

// republish submits the working version of a and publishes it.
func republish(tb testing.TB, db *store.DB, a knowledge.Article, reviewer account.User) knowledge.Article {
	tb.Helper()
	ctx := context.Background()
	from := a.State
	a.State = knowledge.Submitted
	a, err := db.SaveArticle(ctx, a, from, account.AuditEntry{})
	if err != nil {
		tb.Fatal(err)
	}
	n := 1
	if a.Published != nil {
		n = a.Published.Number + 1
	}
	now := time.Now().UTC()
	if err := db.PublishArticle(ctx, knowledge.Publication{ArticleID: a.ID, Lock: a.Lock, Checked: knowledge.Day(now),
		Version: knowledge.Version{Number: n, Content: a.Working, Author: a.Editor, Reviewer: knowledge.Person{ID: reviewer.ID}, At: now}}); err != nil {
		tb.Fatal(err)
	}
	out, err := db.Article(ctx, a.Slug)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// titles searches and returns the titles found, in order.
func (c *centreCorpus) titles(t *testing.T, q centre.Query) []string {
	t.Helper()
	r, err := c.svc.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	out := []string{}
	for _, h := range r.Items {
		out = append(out, h.Title)
	}
	if r.Total != len(out) {
		t.Errorf("%+v: total %d, items %d", q, r.Total, len(out))
	}
	return out
}

const (
	titleArticle = "Parkraumbewirtschaftung einführen"
	titleEvent   = "Infoveranstaltung Bürgerbeteiligung"
	titleExample = "Smarte Straßenbeleuchtung in Musterstadt"
)

func TestCentreSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCentreCorpus(t, db)
		for _, tc := range []struct {
			name string
			q    centre.Query
			want []string
		}{
			{"Empty", centre.Query{}, []string{}},
			{"OnlyOperators", centre.Query{Text: `- " -- "" *`}, []string{}},
			{"OnlyExclusion", centre.Query{Text: "-Parken"}, []string{}},
			{"Stemming", centre.Query{Text: "Parkplätze"}, []string{titleArticle}},
			{"CompoundPrefix", centre.Query{Text: "Parkraum"}, []string{titleArticle}},
			{"UmlautDigraph", centre.Query{Text: "Buergerbeteiligung"}, []string{titleEvent}},
			{"UmlautPlain", centre.Query{Text: "burgerbeteiligung"}, []string{titleEvent}},
			{"Synonym", centre.Query{Text: "Partizipation"}, []string{titleEvent}},
			{"Typo", centre.Query{Text: "Bürgerbeteiligng"}, []string{titleEvent}},
			{"Phrase", centre.Query{Text: `"digital organisieren"`}, []string{titleEvent}},
			{"PhraseOrder", centre.Query{Text: `"organisieren digital"`}, []string{}},
			{"SummaryBeforeBody", centre.Query{Text: "Kommune"}, []string{titleEvent, titleArticle}},
			{"Minus", centre.Query{Text: "Kommune -Parken"}, []string{titleEvent}},
			{"MinusPhrase", centre.Query{Text: `Kommune -"digital organisieren"`}, []string{titleArticle}},
			{"KindFilter", centre.Query{Text: "Kommune", Kinds: []string{centre.KindEvent}}, []string{titleEvent}},
			{"KindFilterAll", centre.Query{Text: "Kommune", Kinds: centre.Kinds}, []string{titleEvent, titleArticle}},
			{"FieldParent", centre.Query{Text: "Kommune", Field: "mobility"}, []string{titleArticle}},
			{"FieldChild", centre.Query{Text: "Kommune", Field: "mobility.parking"}, []string{titleArticle}},
			{"FieldLabel", centre.Query{Text: "Mobilität"}, []string{titleArticle}},
			{"TitleBeforeBody", centre.Query{Text: "Straßenbeleuchtung"}, []string{titleExample, titleEvent}},
			{"ExampleBody", centre.Query{Text: "Netzbetreiber"}, []string{titleExample}},
			{"ExampleNoContact", centre.Query{Text: "Erika"}, []string{}},
			{"EventAddress", centre.Query{Text: "Leipzig"}, []string{titleEvent}},
			{"MarkdownBody", centre.Query{Text: "Abstellen"}, []string{titleArticle}},
			{"Draft", centre.Query{Text: "Quartiersgarage"}, []string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := c.titles(t, tc.q); !slices.Equal(got, tc.want) {
					t.Errorf("%q: %q, want %q", tc.q.Text, got, tc.want)
				}
			})
		}
		t.Run("Hit", func(t *testing.T) {
			r, err := c.svc.Search(t.Context(), centre.Query{Text: "Kommune"})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Searched || r.Next != 0 || r.Counts[centre.KindArticle] != 1 || r.Counts[centre.KindEvent] != 1 {
				t.Errorf("result %+v", r)
			}
			h := r.Items[1]
			if h.Kind != centre.KindArticle || h.Link != "/wissen/"+c.article.Slug || h.Summary != "Gebühren, Zonen und Kontrolle" ||
				!slices.Equal(h.Fields, []string{"mobility.parking"}) || h.Date.IsZero() {
				t.Errorf("hit %+v", h)
			}
			if r.Items[0].Link != "/veranstaltungen/"+c.event.Slug || !r.Items[0].Date.Equal(c.event.Start) {
				t.Errorf("event hit %+v", r.Items[0])
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, q := range []centre.Query{{Text: strings.Repeat("a", 10000)}, {Text: "x", Kinds: []string{"solution"}},
				{Text: "x", Field: "nope"}, {Text: "x", Offset: -1}, {Text: "x", Offset: centre.MaxOffset + 1},
				{Text: "x", Limit: -1}, {Text: "x", Limit: centre.MaxLimit + 1}} {
				if _, err := c.svc.Search(t.Context(), q); !apperr.Is(err, apperr.Invalid) {
					t.Errorf("%.40v: %v", q, err)
				}
			}
		})
		t.Run("PageBeyond", func(t *testing.T) {
			r, err := c.svc.Search(t.Context(), centre.Query{Text: "Kommune", Offset: 2})
			if err != nil || len(r.Items) != 0 || r.Total != 2 {
				t.Errorf("%+v %v", r, err)
			}
		})
		t.Run("EventChanges", func(t *testing.T) {
			e := c.event
			e.Title = "Infoabend Quartiersentwicklung"
			e, err := db.UpdateEvent(t.Context(), e, e.Lock, eventNotify, account.AuditEntry{})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.titles(t, centre.Query{Text: "Quartiersentwicklung"}); !slices.Equal(got, []string{e.Title}) {
				t.Errorf("after the change: %q", got)
			}
			if got := c.titles(t, centre.Query{Text: "Infoveranstaltung"}); len(got) != 0 {
				t.Errorf("old title: %q", got)
			}
			if err := db.CancelEvent(t.Context(), e.ID, e.Lock, eventNotify, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			if got := c.titles(t, centre.Query{Text: "Quartiersentwicklung"}); len(got) != 0 {
				t.Errorf("cancelled: %q", got)
			}
		})
		t.Run("Withdrawn", func(t *testing.T) {
			if err := db.DeleteCentreDoc(t.Context(), centre.KindExample, c.example); err != nil {
				t.Fatal(err)
			}
			if got := c.titles(t, centre.Query{Text: "Netzbetreiber"}); len(got) != 0 {
				t.Errorf("withdrawn example: %q", got)
			}
		})
		t.Run("ArticleRepublished", func(t *testing.T) {
			a, err := db.Article(t.Context(), c.article.Slug)
			if err != nil {
				t.Fatal(err)
			}
			a.Working.Title = "Parkgebühren staffeln"
			a = republish(t, db, a, c.curator)
			if got := c.titles(t, centre.Query{Text: "staffeln"}); !slices.Equal(got, []string{a.Published.Title}) {
				t.Errorf("new version: %q", got)
			}
			if got := c.titles(t, centre.Query{Text: "einführen"}); len(got) != 0 {
				t.Errorf("old version: %q", got)
			}
		})
		t.Run("Backfill", func(t *testing.T) {
			if err := db.ClearCentreIndex(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := c.titles(t, centre.Query{Text: "Parkgebühren"}); len(got) != 0 {
				t.Fatalf("cleared: %q", got)
			}
			if err := c.svc.Init(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := c.titles(t, centre.Query{Text: "Parkgebühren"}); len(got) != 1 {
				t.Errorf("after the backfill: %q", got)
			}
			n, err := db.IndexCentre(t.Context())
			if err != nil || n != 0 {
				t.Errorf("second backfill: %d %v", n, err)
			}
		})
	})
}

func TestCentreSearchPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCentreCorpus(t, db)
		for i := range centre.DefaultLimit + 5 {
			d := store.CentreDoc{Kind: centre.KindExample, ID: uuid.Must(uuid.NewV7()).String(), Slug: "p", Title: "Bürgerhaushalt Nummer",
				Summary: "Haushalt", Link: "/praxisbeispiele/p", Date: time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC)}
			if err := db.PutCentreDoc(t.Context(), d); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{}
		offset, pages := 0, 0
		for {
			r, err := c.svc.Search(t.Context(), centre.Query{Text: "Bürgerhaushalt", Offset: offset})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if r.Total != centre.DefaultLimit+5 || len(r.Items) != map[int]int{1: centre.DefaultLimit, 2: 5}[pages] {
				t.Errorf("page %d: total %d, %d items", pages, r.Total, len(r.Items))
			}
			for _, h := range r.Items {
				seen[h.Date.String()] = true
			}
			if r.Next == 0 || pages > 2 {
				break
			}
			offset = r.Next
		}
		if pages != 2 || len(seen) != centre.DefaultLimit+5 {
			t.Errorf("%d distinct hits over the pages", len(seen))
		}
	})
}

// FuzzCentreSearch: no query text makes the search fail on either
// database other than with a validation error.
func FuzzCentreSearch(f *testing.F) {
	for _, s := range []string{"", "Parken", `"offene Daten"`, `-"`, `"""`, `'; DROP TABLE x; --`, "a* OR b NEAR(c)", "\x00\x01\t\n",
		strings.Repeat("ä", 10000), "Мюнхен 東京 مدينة", "-", "--x", `"-"`, "x:*", "a & !b | (c <-> d)", "\\", "'''", "NOT", "\uFFFD\xff",
		"\u0301\u0308", "a\u200db", "title:park", "{title summary}: x", "^park", "park + platz", `"park" NOT "platz"`} {
		f.Add(s)
	}
	var corpora []*centreCorpus
	for _, d := range storetest.Backends() {
		corpora = append(corpora, newCentreCorpus(f, storetest.New(f, d)))
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, c := range corpora {
			for _, kinds := range [][]string{nil, {centre.KindEvent}} {
				if _, err := c.svc.Search(t.Context(), centre.Query{Text: q, Kinds: kinds}); err != nil && !apperr.Is(err, apperr.Invalid) {
					t.Fatalf("%q: %v", q, err)
				}
			}
		}
	})
}

// TestCentreSearchPracticeExample: the practice store's publishing and
// archiving keep the index current, and the backfill indexes published
// examples (indexExample).
func TestCentreSearchPracticeExample(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := newCentreCorpus(t, db)
		u := mustUser(t, db, "praxis@stadt.example", "Praxis")
		org := mustNeedOrg(t, db, u, "praxisstadt", "09162000")
		ref, err := db.PracticeOrg(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		e, err := db.CreateExample(ctx, practice.Example{ID: uuid.Must(uuid.NewV7()).String(), Slug: "laternen", Org: ref, State: practice.Draft,
			Working: practice.Content{Title: "Vernetzte Laternen", Goal: "Strom sparen in der Nacht.", Fields: []string{"energy-environment.street-lighting"},
				Lessons: "Mit dem Stadtwerk reden.", Contact: practice.Contact{Name: "Erika Geheimhaltung"}},
			Editor: u.ID, Authors: []string{u.ID}, CreatedBy: u.ID}, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.titles(t, centre.Query{Text: "Laternen"}); len(got) != 0 {
			t.Fatalf("draft example found: %q", got)
		}
		e.State = practice.Submitted
		if e, err = db.SaveExample(ctx, e, practice.Draft, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishExample(ctx, e, c.curator.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		want := []string{"Vernetzte Laternen"}
		if got := c.titles(t, centre.Query{Text: "Stadtwerk", Kinds: []string{centre.KindExample}}); !slices.Equal(got, want) {
			t.Errorf("published: %q", got)
		}
		if got := c.titles(t, centre.Query{Text: "Laternen", Field: "energy-environment"}); !slices.Equal(got, want) {
			t.Errorf("by field: %q", got)
		}
		if got := c.titles(t, centre.Query{Text: "Geheimhaltung"}); len(got) != 0 {
			t.Errorf("contact person indexed: %q", got)
		}
		if err := db.ClearCentreIndex(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := db.IndexCentre(ctx); err != nil || n != 3 { // the article, the event and the example
			t.Errorf("backfill: %d %v", n, err)
		}
		r, err := c.svc.Search(ctx, centre.Query{Text: "Laternen"})
		if err != nil || len(r.Items) != 1 || r.Items[0].Link != "/praxisbeispiele/"+e.Slug || r.Items[0].Summary != "Strom sparen in der Nacht." {
			t.Errorf("after the backfill: %+v %v", r, err)
		}
		e, err = db.Example(ctx, e.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ArchiveExample(ctx, e, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if got := c.titles(t, centre.Query{Text: "Laternen"}); len(got) != 0 {
			t.Errorf("archived example found: %q", got)
		}
	})
}
