package search_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// corpus is a small hand-written catalogue; the queries below expect
// the same hits from both databases.
var corpus = []struct {
	slug string
	e    catalog.Entry
}{
	{"parksmart", catalog.Entry{Name: "ParkSmart Parkraumbewirtschaftung", Short: "Sensoren und Handyparken für Innenstädte.",
		Description: "Zeigt freie Parkplätze in Echtzeit und stellt digitale Parkscheine aus.", Fields: []string{"mobility.traffic-management"}}},
	{"sitzungsportal", catalog.Entry{Name: "Sitzungsportal Kreis", Short: "Veröffentlicht Sitzungen, Vorlagen und Beschlüsse über eine OParl-Schnittstelle.",
		Fields: []string{"administration.internal-processes"}, Standards: []string{"OParl"}}},
	{"mobilitaet-muenchen", catalog.Entry{Name: "Mobilitätsplattform München", Short: "Verkehrsdaten der Landeshauptstadt München als offene Daten.",
		Fields: []string{"data-infrastructure.open-data"}}},
	{"mitmachen", catalog.Entry{Name: "Mitmachen Online", Short: "Bürgerbeteiligung für Bauleitplanung und Haushalt.",
		Fields: []string{"housing-neighbourhood.urban-planning"}}},
	{"maengelmelder", catalog.Entry{Name: "Mängelmelder Stadt", Short: "Bürger melden Schlaglöcher und defekte Straßenlaternen per App.",
		Fields: []string{"participation.issue-reporting"}}},
	{"wetternetz", catalog.Entry{Name: "Wetterstationsnetz Land", Short: "Messnetz aus Stationen mit offenen Schnittstellen.",
		Fields: []string{"energy-environment.environmental-monitoring"}}},
	{"onleihe", catalog.Entry{Name: "Onleihe Kreisbibliothek", Short: "Digitale Ausleihe für die Bibliothek im Landkreis.",
		Fields: []string{"education.libraries"}}},
	{"terminvergabe", catalog.Entry{Name: "Terminvergabe Bürgeramt", Short: "Online-Termine für das Bürgeramt buchen.",
		Fields: []string{"administration.appointments"}}},
	{"kita-navigator", catalog.Entry{Name: "Kita-Navigator", Short: "Betreuungsplätze suchen und vormerken.",
		Fields: []string{"education.childcare"}}},
	{"abfall-app", catalog.Entry{Name: "Abfall-App", Short: "Abfuhrtermine, Sperrmüll und Wertstoffhöfe auf einen Blick.",
		Fields: []string{"energy-environment.waste"}}},
	{"ladesaeulen", catalog.Entry{Name: "Ladesäulen-Finder", Short: "Ladeinfrastruktur für Elektroautos in der Region.",
		Fields: []string{"mobility.e-mobility"}}},
	{"stadtzwilling", catalog.Entry{Name: "Stadtzwilling 3D", Short: "Digitaler Zwilling der Stadt für Planung und Simulation.",
		Fields: []string{"data-infrastructure.digital-twin"}}},
	{"pegelwarner", catalog.Entry{Name: "Pegelwarner", Short: "Pegelstände und Warnungen bei Starkregen.",
		Fields: []string{"safety-civil-protection.warning"}}},
	{"datenportal-nord", catalog.Entry{Name: "Datenportal Nord", Short: "Offene Daten der Verwaltung, maschinenlesbar.",
		Description: "Alle Datensätze sind frei zugänglich.", Fields: []string{"administration.online-services"}}},
	{"datenkatalog-sued", catalog.Entry{Name: "Datenkatalog Süd", Short: "Daten, die offen und geprüft sind; keine offene Schnittstelle.",
		Fields: []string{"administration.online-services"}}},
	{"archiviert", catalog.Entry{Name: "Parkhaus Alt", Short: "Archivierte Parkhaussteuerung.", Fields: []string{"mobility.parking"}}},
}

// corpusQueries are the queries with their expected hits (slugs, in
// any order); first, when set, must be the first hit.
var corpusQueries = []struct {
	name, q string
	want    []string
	first   string
}{
	{"umlaut as typed", "München", []string{"mobilitaet-muenchen"}, ""},
	{"umlaut as digraph", "Muenchen", []string{"mobilitaet-muenchen"}, ""},
	{"umlaut left out", "munchen", []string{"mobilitaet-muenchen"}, ""},
	{"umlaut in compound as digraph", "Mobilitaetsplattform", []string{"mobilitaet-muenchen"}, ""},
	{"ß", "Strassenlaternen", []string{"maengelmelder"}, ""},
	{"stemming plural", "Parkplatz", []string{"parksmart"}, ""},
	{"stemming umlaut plural", "Parkplätze", []string{"parksmart"}, ""},
	{"stemming plural to singular", "Bibliotheken", []string{"onleihe"}, "onleihe"},
	{"synonym OParl", "Ratsinformationssystem", []string{"sitzungsportal"}, ""},
	{"synonym Partizipation", "Partizipation", []string{"mitmachen", "maengelmelder"}, "mitmachen"},
	{"compound by its first part", "Parken", []string{"parksmart"}, ""},
	{"compound, no synonym", "Wetter", []string{"wetternetz"}, ""},
	{"typo transposed", "Parkraumbewirtschaftnug", []string{"parksmart"}, ""},
	{"typo substituted", "Bürgerant", []string{"terminvergabe"}, ""},
	{"typo not for short words", "Kiat", nil, ""},
	{"phrase", `"offene Daten"`, []string{"mobilitaet-muenchen", "datenportal-nord"}, ""},
	{"phrase in order, stop words left out", `"Daten offene"`, []string{"datenkatalog-sued"}, ""},
	{"all words, field label of the parent", "Daten Verwaltung", []string{"datenportal-nord", "datenkatalog-sued"}, ""},
	{"exclude word", "Daten -München", []string{"datenportal-nord", "datenkatalog-sued", "stadtzwilling"}, ""},
	{"exclude phrase", `Daten -"offene Daten"`, []string{"datenkatalog-sued", "stadtzwilling"}, ""},
	{"exclude a compound's first part", "Daten -Datenplattform", []string{"datenportal-nord", "datenkatalog-sued"}, ""},
	{"only exclusions", `-Mobilität -Verwaltung -Beteiligung -Bildung -Energie -Sicherheit -Wohnen`, []string{"stadtzwilling"}, ""},
	{"field label", "Umweltmessung", nil, ""},
	{"field label word", "Luftmessung", []string{"wetternetz"}, ""},
	{"English field label", "libraries", []string{"onleihe"}, ""},
	{"standard", "OParl", []string{"sitzungsportal"}, "sitzungsportal"},
	{"archived left out", "Parkhaus", nil, ""},
	{"operators are words", `Daten AND (NOT "Nord`, nil, ""},
	{"sql is words", `'; DROP TABLE solutions; --`, nil, ""},
	{"fts syntax is words", `Daten* OR NEAR(Nord) {name}:x ^Daten`, nil, ""},
	{"case", "STADTZWILLING", []string{"stadtzwilling"}, ""},
}

// newCorpus stores the corpus on db, archives "archiviert" and returns
// the search service.
func newCorpus(tb testing.TB, db *store.DB) *search.Service {
	tb.Helper()
	ctx := tb.Context()
	fields := catalog.NewFields(db)
	if _, err := fields.Ensure(ctx); err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UTC()
	admin := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: "it@anbieter.example", Lang: "de", Created: now, EmailConfirmed: &now}
	if err := db.CreateUser(ctx, account.NewUser{User: admin}); err != nil {
		tb.Fatal(err)
	}
	o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "anbieter", Kind: org.Company, Name: "Anbieter GmbH"},
		admin.ID, account.AuditEntry{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range corpus {
		sol := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: c.slug, OrgID: o.ID, ImportedFrom: "test/" + c.slug}
		if ok, err := db.ImportSolution(ctx, sol, c.e, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}); err != nil || !ok {
			tb.Fatalf("import %s: %v %v", c.slug, ok, err)
		}
	}
	svc := search.New(db, fields)
	if err := svc.Init(ctx); err != nil {
		tb.Fatal(err)
	}
	sol, err := db.SolutionBySlug(ctx, "archiviert")
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Archive(ctx, sol.ID, sol.Lock, "test", account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}); err != nil {
		tb.Fatal(err)
	}
	return svc
}

func slugs(r search.Result) []string {
	out := []string{}
	for _, h := range r.Items {
		out = append(out, h.Solution.Slug)
	}
	return out
}

func TestCorpus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := newCorpus(t, db)
		check := func(t *testing.T) {
			for _, tt := range corpusQueries {
				r, err := svc.Search(t.Context(), search.Query{Text: tt.q, Limit: 50})
				if err != nil {
					t.Errorf("%s: %q: %v", tt.name, tt.q, err)
					continue
				}
				got, want := slugs(r), append([]string{}, tt.want...)
				slices.Sort(want)
				sorted := slices.Sorted(slices.Values(got))
				if !slices.Equal(sorted, want) && !(len(want) == 0 && len(got) == 0) {
					t.Errorf("%s: %q found %v, want %v", tt.name, tt.q, got, tt.want)
				}
				if r.Total != len(got) {
					t.Errorf("%s: total %d for %d hits", tt.name, r.Total, len(got))
				}
				if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
					t.Errorf("%s: %q found %v first, want %s", tt.name, tt.q, got, tt.first)
				}
			}
		}
		t.Run("indexed on publish", check)
		if n, err := db.ReindexSolutions(t.Context()); err != nil || n != len(corpus)-1 {
			t.Fatalf("reindex: %d %v", n, err)
		}
		t.Run("reindexed", check)
	})
}

func TestSearchWhyAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		svc := newCorpus(t, db)

		r, err := svc.Search(ctx, search.Query{Text: "Parken"})
		if err != nil || len(r.Items) != 1 {
			t.Fatalf("Parken: %v %v", slugs(r), err)
		}
		why := r.Items[0].Why
		if !slices.Equal(why.Fields, []string{search.FieldName, search.FieldDescription}) || !slices.Contains(why.Terms, "parken") ||
			!slices.Contains(why.Terms, "Parkraumbewirtschaftung") {
			t.Errorf("why %+v", why)
		}
		r, _ = svc.Search(ctx, search.Query{Text: "Parkraumbewirtschaftnug"})
		if len(r.Items) != 1 || !slices.Contains(r.Items[0].Why.Terms, "parkraumbewirtschaftung") {
			t.Errorf("typo why %+v", r.Items)
		}

		// Pages by relevance and by name meet every hit once, in order.
		for _, sort := range []string{search.SortRelevance, search.SortName} {
			whole, _ := svc.Search(ctx, search.Query{Text: "Daten", Sort: sort, Limit: 200})
			var paged []string
			q := search.Query{Text: "Daten", Sort: sort, Limit: 2}
			for range 20 {
				p, err := svc.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != whole.Total {
					t.Errorf("%s: total %d, want %d", sort, p.Total, whole.Total)
				}
				paged = append(paged, slugs(p)...)
				if q.After = p.Next; q.After == "" {
					break
				}
			}
			if !slices.Equal(paged, slugs(whole)) || len(paged) < 3 {
				t.Errorf("%s: pages %v, whole %v", sort, paged, slugs(whole))
			}
		}

		// Without a text: every indexed solution by name; with a field.
		r, err = svc.Search(ctx, search.Query{Limit: 200})
		if err != nil || r.Total != len(corpus)-1 || !slices.IsSortedFunc(r.Items, func(a, b search.Hit) int {
			return strings.Compare(fold.Key(a.Solution.Published.Entry.Name), fold.Key(b.Solution.Published.Entry.Name))
		}) {
			t.Errorf("all: %d %v %v", r.Total, slugs(r), err)
		}
		r, err = svc.Search(ctx, search.Query{Text: "Daten", Field: "administration"})
		if err != nil || !slices.Equal(slices.Sorted(slices.Values(slugs(r))), []string{"datenkatalog-sued", "datenportal-nord"}) {
			t.Errorf("field: %v %v", slugs(r), err)
		}

		// Invalid parameters are validation errors naming the field.
		for _, q := range []search.Query{{Limit: 201}, {Sort: "neu"}, {Field: "raumfahrt"}, {Text: strings.Repeat("x", search.MaxText+1)}} {
			_, err := svc.Search(ctx, q)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
				t.Errorf("%+v: %v", q, err)
			}
		}
	})
}

// BenchmarkSearch measures searches over the demo catalogue (the
// publiccode.yml sample) per backend.
func BenchmarkSearch(b *testing.B) {
	for _, d := range storetest.Backends() {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.New(b, d)
			fields := catalog.NewFields(db)
			if _, err := fields.Ensure(b.Context()); err != nil {
				b.Fatal(err)
			}
			if _, err := catalog.NewSolutions(db, db, db).ImportDemo(b.Context(), data.PublicCode, data.PublicCodeDir); err != nil {
				b.Fatal(err)
			}
			svc := search.New(db, fields)
			if err := svc.Init(b.Context()); err != nil {
				b.Fatal(err)
			}
			queries := []string{"Parken", "Bürgerbeteiligung", "Ratsinformationssystem", `"offene Daten"`, "Verwaltung -Termin", "Parkraumbewirtschaftnug", ""}
			i := 0
			for b.Loop() {
				if _, err := svc.Search(b.Context(), search.Query{Text: queries[i%len(queries)]}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// FuzzSearch feeds arbitrary query texts to the service on SQLite and,
// when configured, PostgreSQL: the only error allowed is a validation
// error, and nothing panics.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"", "Parken", `"offene Daten"`, `-"`, `"""`, `'; DROP TABLE x; --`, "a* OR b NEAR(c)", "\x00\x01\t\n",
		strings.Repeat("ä", 10000), "Мюнхен 東京 مدينة", "-", "--x", `"-"`, "x:*", "a & !b | (c <-> d)", "\\", "'''", "NOT", "\uFFFD\xff",
		"\u02bc", "ǅ ª ﬁ ⅷ 〇", "\u0301\u0308", "a\u200db", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "٣٤ ١٢", "x\u00ady", "İstanbul ΣΑΣ"} {
		f.Add(s)
	}
	var services []*search.Service
	for _, d := range storetest.Backends() {
		services = append(services, newCorpus(f, storetest.New(f, d)))
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, svc := range services {
			for _, sort := range []string{"", search.SortName} {
				_, err := svc.Search(t.Context(), search.Query{Text: q, Sort: sort})
				if err != nil && !apperr.Is(err, apperr.Invalid) {
					t.Fatalf("%q: %v", q, err)
				}
			}
		}
	})
}
