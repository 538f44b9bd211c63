package http

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// compareEntry is a published entry for the comparison tests.
func compareEntry(name string) catalog.Entry {
	return catalog.Entry{Name: name, Short: "Kurz: " + name, Licence: "EUPL-1.2", Repository: "https://example.org/repo", Fields: []string{"administration.online-services"},
		Maturity: "production", Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}}
}

// importCompared publishes e as slug of the organisation orgID.
func importCompared(t *testing.T, s *Server, orgID, slug string, e catalog.Entry) {
	t.Helper()
	if _, err := s.DB.ImportSolution(t.Context(), catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: orgID,
		ImportedFrom: "test/" + slug}, e, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
}

// compareFixture stores five published solutions (ratsinfo used by a
// verified municipality with a report), an archived one and a draft; it
// returns the name of the using municipality.
func compareFixture(t *testing.T, s *Server) string {
	t.Helper()
	ctx := t.Context()
	sol, dev := usageSolution(t, s, "ratsinfo")
	lo, hi := 0.1, 0.25
	expired, valid := time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC), time.Date(2099, 6, 30, 12, 0, 0, 0, time.UTC)
	parken := catalog.Entry{Name: "Parkraum Übersicht", Short: "Parkplätze finden", Licence: "LicenseRef-Kommerziell",
		Fields: []string{"administration.online-services"}, Sizes: []region.Band{"20k-100k"}, Maturity: "pilot",
		Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "per_inhabitant", PriceMin: &lo, PriceMax: &hi, Hosting: "de"},
			{Model: catalog.OnPremises, Price: "on_request"}},
		Evidence:  []catalog.Evidence{{Kind: "bsi_c5", Expires: &expired}, {Kind: "iso27001", Expires: &valid}},
		Standards: []string{"OParl", "XÖV"}, Languages: []string{"de", "en"}, Origin: "ozg_efa", Programme: "OZG-Booster",
		Support: "=1+1 Wartung", Repository: "https://example.org/parken"}
	importCompared(t, s, sol.OrgID, "parken", parken)
	importCompared(t, s, sol.OrgID, "abfall", compareEntry("Abfall-App"))
	importCompared(t, s, sol.OrgID, "buergerbuero", compareEntry("Bürgerbüro Online"))
	importCompared(t, s, sol.OrgID, "mängel", compareEntry("Mängelmelder"))
	importCompared(t, s, sol.OrgID, "alt", compareEntry("Alte Lösung"))
	old, err := s.Solutions.Public(ctx, "alt")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Solutions.Archive(ctx, dev, "alt", old.Lock, "Eingestellt", account.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Solutions.Create(ctx, dev, sol.OrgSlug, compareEntry("Entwurf"), account.Meta{}); err != nil {
		t.Fatal(err)
	}
	eva := mustAccount(t, s, "eva-"+uuid.NewString()[:8]+"@ulm.de", "Eva")
	ulm := verifiedMunicipality(t, s, eva, "08421000")
	if _, err := s.Usage.Declare(ctx, eva, "ratsinfo", catalog.UseForm{Org: ulm.Slug, Since: "2024-03", Delivery: catalog.SaaS,
		Status: catalog.InUse}, account.Meta{}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := s.Usage.SaveReport(ctx, eva, "ratsinfo", catalog.ReportForm{Org: ulm.Slug, Text: "Läuft stabil.", Usability: 5, Support: 4,
		Integration: 3, Value: 4, Again: &yes}, account.Meta{}); err != nil {
		t.Fatal(err)
	}
	return ulm.Name
}

// reRow finds a row of the comparison table by its key.
func reRow(key string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)<tr class="kern-table__row" data-row="` + key + `">(.*?)</tr>`)
}

// compareRowKeys are the attributes every comparison shows.
var compareRowKeys = []string{"provider", "short", "fields", "sizes", "licence", "repository", "delivery", "evidence", "standards",
	"maturity", "origin", "languages", "support", "users", "ratings", "demo"}

func TestComparison(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "08421")
		s := newServerOn(t, db)
		town := compareFixture(t, s)
		anon := newBrowser(t, s)

		t.Run("Two", func(t *testing.T) {
			code, body, _ := anon.get("/loesungen/vergleich?l=parken&l=ratsinfo")
			wantPage(t, "two", code, body, http.StatusOK, "<caption", "Vergleich von 2 Lösungen", `<th scope="row"`,
				`href="/loesungen/vergleich?l=parken&amp;l=ratsinfo"`, `href="/loesungen/vergleich.xlsx?l=parken&amp;l=ratsinfo"`,
				`href="/api/v1/solutions/compare?slug=parken&amp;slug=ratsinfo"`)
			if i, j := strings.Index(body, "Parkraum Übersicht</a></th>"), strings.Index(body, "Ratsinfo ratsinfo</a></th>"); i < 0 || j < i {
				t.Fatalf("columns not in the link's order: %d %d", i, j)
			}
			want := map[string][]string{
				"licence":  {"LicenseRef-Kommerziell (", "EUPL-1.2 (Open Source)"},
				"delivery": {"Software as a Service: je Einwohnerin und Einwohner 0,10 … 0,25 €", "Deutschland"},
				"evidence": {"BSI C5 (abgelaufen am 01.01.2020)", "(gültig bis 30.06.2099)"},
				"users":    {"0 verifizierte Kommunen", "1 verifizierte Kommune", town},
				"ratings":  {"Noch keine Erfahrungsberichte", "Durchschnitt aus 1 Erfahrungsbericht", "Bedienbarkeit: 5,0", "Einbindung: 3,0"},
				"origin":   {"OZG-Booster"},
				"demo":     {"Ja, Beispieldaten"},
				"sizes":    {"20.000 bis unter 100.000 Einwohner", "–"},
				"provider": {`href="/organisationen/`},
			}
			for _, key := range compareRowKeys {
				m := reRow(key).FindStringSubmatch(body)
				if m == nil {
					t.Errorf("row %s missing", key)
					continue
				}
				if n := strings.Count(m[1], "<td"); n != 2 {
					t.Errorf("row %s has %d cells", key, n)
				}
				for _, w := range want[key] {
					if !strings.Contains(m[1], w) {
						t.Errorf("row %s lacks %q: %s", key, w, m[1])
					}
				}
			}
		})
		t.Run("Four", func(t *testing.T) {
			code, body, _ := anon.get("/loesungen/vergleich?l=ratsinfo&l=parken&l=abfall&l=m%C3%A4ngel")
			wantPage(t, "four", code, body, http.StatusOK, "Vergleich von 4 Lösungen", "Abfall-App", "Mängelmelder")
			for _, key := range compareRowKeys {
				if m := reRow(key).FindStringSubmatch(body); m == nil || strings.Count(m[1], "<td") != 4 {
					t.Errorf("row %s: %v", key, m)
				}
			}
		})
		t.Run("English", func(t *testing.T) {
			code, body, _ := newBrowser(t, s).get("/loesungen/vergleich?l=ratsinfo&l=parken&lang=en")
			wantPage(t, "english", code, body, http.StatusOK, "Compare solutions", "1 verified municipality", "Average of 1 experience report")
		})
		for _, c := range []struct {
			name, query string
			status      int
			want        string
		}{
			{"One", "l=ratsinfo", 400, "mindestens 2 Lösungen"},
			{"None", "", 400, "mindestens 2 Lösungen"},
			{"Five", "l=ratsinfo&l=parken&l=abfall&l=buergerbuero&l=m%C3%A4ngel", 400, "höchstens 4 Lösungen"},
			{"Duplicate", "l=ratsinfo&l=parken&l=ratsinfo", 400, "„ratsinfo“ ist mehrfach ausgewählt"},
			{"Empty", "l=ratsinfo&l=", 400, "keinen Namen"},
			{"Unknown", "l=ratsinfo&l=gibt-es-nicht", 404, "„gibt-es-nicht“ gibt es nicht"},
			{"Archived", "l=ratsinfo&l=alt", 404, "„alt“ gibt es nicht"},
			{"Draft", "l=ratsinfo&l=entwurf", 404, "„entwurf“ gibt es nicht"},
			{"UnknownParameter", "l=ratsinfo&l=parken&x=1", 400, ""},
			{"EnglishError", "l=ratsinfo&lang=en", 400, "at least 2 solutions"},
		} {
			t.Run(c.name, func(t *testing.T) {
				b := newBrowser(t, s) // ?lang= sets a cookie
				for _, path := range []string{"/loesungen/vergleich", "/loesungen/vergleich.xlsx", "/loesungen/vergleich.pdf"} {
					code, body, _ := b.get(path + "?" + c.query)
					wantPage(t, path, code, body, c.status, c.want)
				}
			})
		}

		t.Run("XLSX", func(t *testing.T) {
			code, body, h := anon.get("/loesungen/vergleich.xlsx?l=ratsinfo&l=parken")
			if code != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="smartregions-vergleich-`) ||
				!strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
				t.Fatalf("%d %v", code, h)
			}
			f, err := excelize.OpenReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "Vergleich" {
				t.Fatalf("sheets %v", sheets)
			}
			rows, err := f.GetRows("Vergleich")
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) < len(compareRowKeys)+1 || len(rows[0]) != 3 || rows[0][0] != "Merkmal" || rows[0][1] != "Ratsinfo ratsinfo" ||
				rows[0][2] != "Parkraum Übersicht" {
				t.Fatalf("header %v (%d rows)", rows[0], len(rows))
			}
			byLabel := map[string][]string{}
			for _, r := range rows[1:] {
				if len(r) > 0 {
					byLabel[r[0]] = r
				}
			}
			for label, want := range map[string][]string{
				"Lizenz":              {"Lizenz", "EUPL-1.2 (Open Source)", "LicenseRef-Kommerziell (keine Open-Source-Lizenz)"},
				"Verifizierte Nutzer": {"Verifizierte Nutzer", "1 verifizierte Kommune\n" + town, "0 verifizierte Kommunen"},
			} {
				if got := byLabel[label]; strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("row %s: %q, want %q", label, got, want)
				}
			}
			if got := byLabel["Wartung und Support"]; len(got) != 3 || got[2] != "'=1+1 Wartung" {
				t.Errorf("formula not guarded: %q (labels %v)", got, rows)
			}
			if p, err := f.GetPanes("Vergleich"); err != nil || !p.Freeze || p.YSplit != 1 {
				t.Errorf("panes %+v %v", p, err)
			}
			if w, err := f.GetColWidth("Vergleich", "B"); err != nil || w < 40 {
				t.Errorf("column width %v %v", w, err)
			}
		})

		t.Run("PDF", func(t *testing.T) {
			code, body, h := anon.get("/loesungen/vergleich.pdf?l=ratsinfo&l=parken&l=abfall&l=m%C3%A4ngel")
			if code != 200 || h.Get("Content-Type") != "application/pdf" ||
				!strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="smartregions-vergleich-`) || !strings.HasPrefix(body, "%PDF-") {
				t.Fatalf("%d %v %.20q", code, h, body)
			}
			m := regexp.MustCompile(`/Type /Pages\s*/Kids \[[^\]]*\]\s*/Count (\d+)`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no page count")
			}
			pages, _ := strconv.Atoi(m[1])
			text := pdfText(t, body)
			for _, w := range []string{"Parkraum \xdcbersicht", "M\xe4ngelmelder", "Quelle: smartregions, http://platform.test/loesungen/vergleich?l=ratsinfo",
				"Seite 1 von " + strconv.Itoa(pages), "\x80", "\x85", "Parkpl\xe4tze finden"} {
				if !strings.Contains(text, w) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
		})

		t.Run("API", func(t *testing.T) {
			rec := get(t, s, "/api/v1/solutions/compare?slug=ratsinfo&slug=parken")
			var out apiComparison
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 || len(out.Items) != 2 {
				t.Fatalf("%d %v %s", rec.Code, err, rec.Body)
			}
			a, b := out.Items[0], out.Items[1]
			if a.Solution.Slug != "ratsinfo" || b.Solution.Slug != "parken" || a.Usage.Municipalities != 1 || len(a.Solution.UsedBy) != 1 ||
				a.Solution.UsedBy[0] != town || a.Usage.Ratings.Reports != 1 || a.Usage.Ratings.Usability != 5 || b.Usage.Municipalities != 0 ||
				out.Link != "http://platform.test/loesungen/vergleich?l=ratsinfo&l=parken" {
				t.Errorf("comparison %+v", out)
			}
			for _, c := range []struct {
				query  string
				status int
			}{{"slug=ratsinfo", 400}, {"slug=ratsinfo&slug=ratsinfo", 400}, {"slug=ratsinfo&slug=alt", 404}, {"slug=a&slug=b&slug=c&slug=d&slug=e", 400}} {
				if rec := get(t, s, "/api/v1/solutions/compare?"+c.query); rec.Code != c.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
					t.Errorf("%s: %d %s", c.query, rec.Code, rec.Body)
				}
			}
		})

		t.Run("EntryPoints", func(t *testing.T) {
			code, body, _ := anon.get("/loesungen")
			wantPage(t, "list", code, body, http.StatusOK, `name="l" value="ratsinfo" form="vergleich"`, `<form id="vergleich"`,
				`action="/loesungen/vergleich"`, "Auswahl vergleichen")
			code, body, _ = anon.get("/loesungen/ratsinfo")
			wantPage(t, "solution", code, body, http.StatusOK, `href="/loesungen/vergleich/auswahl?l=ratsinfo"`, "Mit anderen vergleichen")
			code, body, _ = anon.get("/loesungen/vergleich/auswahl?l=ratsinfo")
			wantPage(t, "choice", code, body, http.StatusOK, `name="l" value="ratsinfo" checked`, `name="l" value="parken">`, "<fieldset", "<legend")
			if strings.Contains(body, `value="alt"`) {
				t.Error("the archived solution is offered")
			}
			for _, q := range []string{"", "l=gibt-es-nicht", "l=a&l=b&l=c&l=d&l=e"} {
				if code, _, _ := anon.get("/loesungen/vergleich/auswahl?" + q); code != 400 && code != 404 {
					t.Errorf("choice %q: %d", q, code)
				}
			}
		})
	})
}

// pdfText returns the PDF's content streams, inflated, concatenated.
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	var out strings.Builder
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllStringSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader([]byte(m[1])))
		if err != nil {
			out.WriteString(m[1])
			continue
		}
		b, _ := io.ReadAll(zr)
		out.Write(b)
	}
	if out.Len() == 0 {
		t.Fatal("PDF without content")
	}
	return out.String()
}

// openAPICompareCases are the requests to the comparison, whose required
// repeated parameter the derived cases cannot fill: the document's two
// example slugs (the second one is published here), and bad input.
func openAPICompareCases(t *testing.T, op openAPIOp, s *Server) []apiCase {
	t.Helper()
	first, err := s.Solutions.Public(t.Context(), "open-api-beispiel")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Solutions.Public(t.Context(), "open-api-vergleich"); apperr.Is(err, apperr.NotFound) {
		importCompared(t, s, first.OrgID, "open-api-vergleich", compareEntry("Open API Vergleich"))
	}
	var cases []apiCase
	for target, status := range map[string]int{
		"?slug=open-api-beispiel&slug=open-api-vergleich":         200,
		"?slug=open-api-vergleich&slug=open-api-beispiel&lang=en": 200,
		"":                        400,
		"?slug=open-api-beispiel": 400,
		"?slug=open-api-beispiel&slug=open-api-beispiel":          400,
		"?slug=open-api-beispiel&slug=":                           400,
		"?slug=a&slug=b&slug=c&slug=d&slug=e":                     400,
		"?slug=open-api-beispiel&slug=open-api-vergleich&limit=1": 400,
		"?slug=open-api-beispiel&slug=open-api-vergleich&lang=fr": 400,
		"?slug=open-api-beispiel&slug=gibt-es-nicht":              404,
	} {
		cases = append(cases, apiCase{op: op, target: op.path + target, status: status})
	}
	return cases
}
