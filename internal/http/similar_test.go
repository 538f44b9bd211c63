package http

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// similarHTTPFixture is a small catalogue of one provider with verified
// use by three small municipalities of Rheinland-Pfalz.
type similarHTTPFixture struct {
	alpha, beta, archived, other catalog.Solution
	lonely                       catalog.Solution // no field of action, no shared word, no use
	word                         string           // the rare word of alpha, beta and archived
	munis                        []region.Municipality
	admins                       []account.User
	orgs                         []org.Organisation
}

// eachSimilarServer runs fn once per backend with a server over a fresh
// database holding only the register of Westerwaldkreis (Rheinland-Pfalz):
// the lists of the most used solutions must not fill up with the
// solutions of earlier runs, as they would in the shared database.
func eachSimilarServer(t *testing.T, fn func(t *testing.T, s *Server)) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			db := storetest.New(t, d)
			regiontest.ImportDistricts(t, db, "07143")
			fn(t, newServerOn(t, db))
		})
	}
}

// freeSmallMunicipalities returns n municipalities of Rheinland-Pfalz
// under 5,000 inhabitants without an organisation.
func freeSmallMunicipalities(t *testing.T, s *Server, n int) []region.Municipality {
	t.Helper()
	q := region.MunicipalityQuery{Filter: region.MunicipalityFilter{StateKey: "07", Band: region.BandUnder5k}, Limit: 200}
	var out []region.Municipality
	for {
		page, err := s.Regions.Municipalities(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Items {
			if _, err := s.Orgs.ForRegion(t.Context(), m.AGS); apperr.Is(err, apperr.NotFound) && m.Dissolved == nil {
				out = append(out, m)
			}
			if len(out) == n {
				return out
			}
		}
		if page.Next == nil {
			t.Fatal("no free municipalities left")
		}
		q.After = page.Next
	}
}

func newSimilarHTTPFixture(t *testing.T, s *Server) *similarHTTPFixture {
	t.Helper()
	ctx := t.Context()
	suffix := uuid.NewString()[:8]
	f := &similarHTTPFixture{word: "Zuwegung" + strings.Map(func(r rune) rune { return 'a' + (r % 26) }, suffix)}
	dev := mustAccount(t, s, "dev-"+suffix+"@aehnlich.example", "Dev")
	provider, err := s.Orgs.Create(ctx, dev, orgNew("Anbieter Ähnlich "+suffix), account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	verifyOrg(t, s, provider.ID, "chef-"+suffix+"@aehnlich.example")
	add := func(name, short string, fields ...string) catalog.Solution {
		t.Helper()
		slug := org.Slug(name)
		if _, err := s.DB.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: provider.ID,
			ImportedFrom: "test/" + slug}, catalog.Entry{Name: name, Short: short, Licence: "EUPL-1.2", Repository: "https://example.org/" + slug,
			Fields: fields, Maturity: "production", Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "flat", Hosting: "de"}}},
			account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		sol, err := s.Solutions.Public(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		return sol
	}
	f.alpha = add(f.word+" Alpha "+suffix, "Sensoren für die "+f.word, "mobility.parking")
	f.beta = add(f.word+" Beta "+suffix, "Auch eine "+f.word, "mobility.parking")
	f.archived = add(f.word+" Archiv "+suffix, "Eingestellte "+f.word, "mobility.parking")
	f.other = add("Vorlagenverwaltung "+suffix, "Sitzungen planen", "administration.council-information")
	f.lonely = add("Q"+f.word[len("Zuwegung"):], "")
	arch, err := s.DB.SolutionBySlug(ctx, f.archived.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DB.Archive(ctx, arch.ID, arch.Lock, "eingestellt", account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	f.munis = freeSmallMunicipalities(t, s, 3)
	for _, m := range f.munis {
		u := mustAccount(t, s, "kommune-"+m.AGS+"-"+suffix+"@kommune.example", "Kommune")
		f.admins, f.orgs = append(f.admins, u), append(f.orgs, verifiedMunicipality(t, s, u, m.AGS))
	}
	declare := func(i int, sol catalog.Solution) {
		t.Helper()
		if _, err := s.Usage.Declare(ctx, f.admins[i], sol.Slug, catalog.UseForm{Org: f.orgs[i].Slug, Since: "2024-03", Delivery: catalog.SaaS,
			Status: catalog.InUse}, account.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	// The first two use alpha and the council system; the first beta too.
	declare(0, f.alpha)
	declare(0, f.other)
	declare(0, f.beta)
	declare(1, f.alpha)
	declare(1, f.other)
	return f
}

func TestSolutionPageSimilar(t *testing.T) {
	eachSimilarServer(t, func(t *testing.T, s *Server) {
		f := newSimilarHTTPFixture(t, s)
		rec := get(t, s, "/loesungen/"+f.alpha.Slug, "Accept-Language: de")
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "Ähnliche Lösungen") {
			t.Fatalf("status %d, no section: %.300s", rec.Code, body)
		}
		section := body[strings.Index(body, `id="aehnlich"`):]
		for _, want := range []string{f.beta.Published.Entry.Name, "/loesungen/" + f.beta.Slug, "1 gemeinsames Handlungsfeld: Mobilität › Parken",
			"ähnlicher Begriff: " + f.word, f.other.Published.Entry.Name, "2 Kommunen nutzen beide", "Open Source"} {
			if !strings.Contains(section, want) {
				t.Errorf("the section lacks %q", want)
			}
		}
		if strings.Contains(body, f.archived.Published.Entry.Name) {
			t.Error("an archived solution is shown as similar")
		}
		rec = get(t, s, "/loesungen/"+f.alpha.Slug+"?lang=en")
		if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "Similar solutions") || !strings.Contains(body, "1 shared field of action: Mobility › Parking") ||
			!strings.Contains(body, "2 municipalities use both") {
			t.Errorf("English: %d", rec.Code)
		}
		// A solution without similar ones has no section.
		if rec := get(t, s, "/loesungen/"+f.lonely.Slug, "Accept-Language: de"); rec.Code != 200 || strings.Contains(rec.Body.String(), "Ähnliche Lösungen") {
			t.Errorf("a solution without similar ones: %d, section shown: %v", rec.Code, strings.Contains(rec.Body.String(), "Ähnliche Lösungen"))
		}
		if rec := get(t, s, "/loesungen/"+f.archived.Slug); rec.Code != 404 {
			t.Errorf("archived solution: %d", rec.Code)
		}
	})
}

func TestAPISimilar(t *testing.T) {
	o := loadOpenAPI(t)
	var op openAPIOp
	for _, x := range o.operations() {
		if x.String() == "GET /api/v1/solutions/{slug}/similar" {
			op = x
		}
	}
	eachSimilarServer(t, func(t *testing.T, s *Server) {
		f := newSimilarHTTPFixture(t, s)
		for _, lang := range []string{"de", "en"} {
			_, body := checkOpenAPIResponse(t, o, s, apiCase{op: op, target: "/api/v1/solutions/" + f.alpha.Slug + "/similar?lang=" + lang, status: 200, wantItems: true})
			var got struct {
				Solution struct{ Slug string }
				Items    []struct {
					Slug    string
					Score   int
					Reasons []struct {
						Kind, Text string
						Count      int
						Items      []string
					}
				}
				Total int
			}
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if got.Solution.Slug != f.alpha.Slug || len(got.Items) < 2 || got.Items[0].Slug != f.beta.Slug || got.Total != len(got.Items) {
				t.Fatalf("%s: %s", lang, body)
			}
			want := map[string]string{"de": "1 gemeinsames Handlungsfeld: Mobilität › Parken", "en": "1 shared field of action: Mobility › Parking"}[lang]
			if r := got.Items[0].Reasons[0]; r.Kind != "fields" || r.Text != want || r.Items[0] != "mobility.parking" {
				t.Errorf("%s: first reason %+v", lang, r)
			}
			for _, it := range got.Items {
				if it.Slug == f.archived.Slug {
					t.Error("an archived solution is similar")
				}
			}
		}
		// An archived solution is not public; an unknown slug is 404.
		checkOpenAPIResponse(t, o, s, apiCase{op: op, target: "/api/v1/solutions/" + f.archived.Slug + "/similar", status: 404})
		checkOpenAPIResponse(t, o, s, apiCase{op: op, target: "/api/v1/solutions/gibt-es-nicht-" + uuid.NewString()[:8] + "/similar", status: 404})
	})
}

func TestMunicipalitySolutionsPage(t *testing.T) {
	eachSimilarServer(t, func(t *testing.T, s *Server) {
		f := newSimilarHTTPFixture(t, s)
		third := f.munis[2]
		rec := get(t, s, "/kommunen/"+third.AGS+"/loesungen", "Accept-Language: de")
		body := rec.Body.String()
		if rec.Code != 200 {
			t.Fatalf("status %d: %.300s", rec.Code, body)
		}
		for _, want := range []string{"Was nutzen Kommunen wie " + third.Name + "?", "Für " + third.Name + " ist noch keine verifizierte Nutzung gemeldet.",
			"Das nutzen andere Kommunen in Rheinland-Pfalz", f.alpha.Published.Entry.Name, "genutzt von 2 Kommunen", "/loesungen/" + f.alpha.Slug,
			"/loesungen?groesse=lt5k&amp;land=07&amp;sort=genutzt", "/loesungen?feld=mobility.parking&amp;groesse=lt5k"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, f.archived.Published.Entry.Name) {
			t.Error("an archived solution is listed")
		}
		// The first municipality's own use, marked in the list of its peers.
		first := f.munis[0]
		rec = get(t, s, "/kommunen/"+first.AGS+"/loesungen?lang=en")
		body = rec.Body.String()
		for _, want := range []string{"What do municipalities like " + first.Name + " use?", "Used by " + first.Name, f.beta.Published.Entry.Name,
			"also in use in this municipality", "used by 1 municipality"} {
			if !strings.Contains(body, want) {
				t.Errorf("English page lacks %q", want)
			}
		}
		for _, target := range []string{"/kommunen/99999999/loesungen", "/kommunen/x/loesungen"} {
			if rec := get(t, s, target); rec.Code != 404 {
				t.Errorf("%s: %d", target, rec.Code)
			}
		}
		// The (cached) municipality page links here.
		if rec := get(t, s, "/kommunen/"+third.AGS, "Accept-Language: de"); !strings.Contains(rec.Body.String(), `href="/kommunen/`+third.AGS+`/loesungen"`) {
			t.Error("the municipality page does not link to its solutions")
		}
	})
}

func TestAPIMunicipalitySolutions(t *testing.T) {
	o := loadOpenAPI(t)
	var op openAPIOp
	for _, x := range o.operations() {
		if x.String() == "GET /api/v1/municipalities/{ags}/solutions" {
			op = x
		}
	}
	eachSimilarServer(t, func(t *testing.T, s *Server) {
		f := newSimilarHTTPFixture(t, s)
		for _, lang := range []string{"de", "en"} {
			_, body := checkOpenAPIResponse(t, o, s, apiCase{op: op, target: "/api/v1/municipalities/" + f.munis[0].AGS + "/solutions?lang=" + lang, status: 200})
			var got apiMunicipalitySolutions
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			own := map[string]bool{}
			for _, u := range got.Uses {
				own[u.Slug] = true
			}
			if got.Municipality.AGS != f.munis[0].AGS || got.Municipality.Band != region.BandUnder5k || got.Municipality.State.Key != "07" ||
				got.UsesTotal != 3 || !own[f.alpha.Slug] || !own[f.beta.Slug] || !own[f.other.Slug] {
				t.Fatalf("%s: %s", lang, body)
			}
			found := false
			for _, p := range got.PeersUse.SameState {
				if p.Slug == f.alpha.Slug {
					found = p.Municipalities == 1 && p.Own
				}
				if p.Slug == f.archived.Slug {
					t.Error("an archived solution is listed")
				}
			}
			if !found {
				t.Errorf("%s: alpha is not among the peers' solutions: %s", lang, body)
			}
		}
		checkOpenAPIResponse(t, o, s, apiCase{op: op, target: "/api/v1/municipalities/99999999/solutions", status: 404})
		checkOpenAPIResponse(t, o, s, apiCase{op: op, target: "/api/v1/municipalities/" + f.munis[0].AGS + "/solutions?limit=1", status: 400})
	})
}
