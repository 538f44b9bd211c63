package http

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/web"
)

// A comparison shows between compareMin and compareMax solutions.
const (
	compareMin = 2
	compareMax = 4
)

// compared is one published solution of a comparison with its use.
type compared struct {
	Solution catalog.Solution
	API      apiSolution // its published entry, with UsedBy
	Summary  catalog.Summary
}

// compareCell is one value of the comparison table; a value of several
// parts (delivery models, evidence) has one line each.
type compareCell struct {
	Lines []string
	Href  string // a link for a one-line value
}

// compareRow is one attribute of the compared solutions.
type compareRow struct {
	Key   string // stable name, for tests and styling
	Label string
	Cells []compareCell
}

// CompareView is the Data of the "compare" page.
type CompareView struct {
	Items []compared
	Rows  []compareRow
	Query string // l=a&l=b: the stable link's query
	Link  string // the absolute stable link
	// Paths of the page itself and of its exports, with the query.
	Path, XLSX, PDF, JSON string
}

// compareSlugs reads the repeated parameter name (least to compareMax
// slugs, in their order) and checks the other parameters like readParams.
func compareSlugs(r *http.Request, name string, least int) ([]string, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		p := readParams(r)
		return nil, p.Err()
	}
	slugs := q[name]
	q.Del(name)
	rest := *r
	u := *r.URL
	u.RawQuery = q.Encode()
	rest.URL = &u
	p := readParams(&rest)
	switch {
	case len(slugs) < least:
		p.Add(name, "compare.error.few", "Min", least)
	case len(slugs) > compareMax:
		p.Add(name, "compare.error.many", "Max", compareMax)
	}
	seen := map[string]bool{}
	for _, s := range slugs {
		switch {
		case strings.TrimSpace(s) == "":
			p.Add(name, "compare.error.empty")
		case seen[s]:
			p.Add(name, "compare.error.duplicate", "Slug", s)
		}
		seen[s] = true
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return slugs, nil
}

// compareLoad loads the published solutions named by slugs, in that
// order, with their verified users and the summary of their use.
func (s *Server) compareLoad(r *http.Request, slugs []string) ([]compared, error) {
	ctx := r.Context()
	now := time.Now()
	out := make([]compared, 0, len(slugs))
	sols := make([]catalog.Solution, 0, len(slugs))
	for _, slug := range slugs {
		sol, err := s.Solutions.Public(ctx, slug)
		switch {
		case apperr.Is(err, apperr.NotFound), err == nil && (sol.Published == nil || sol.Archived != nil):
			return nil, apperr.New(apperr.NotFound, "compare.error.unknown", "Slug", slug)
		case err != nil:
			return nil, fmt.Errorf("compare %s: %w", slug, err)
		}
		sols = append(sols, sol)
		out = append(out, compared{Solution: sol, API: apiSolutionOf(sol, now, s.Config.BaseURL)})
	}
	api := make([]apiSolution, len(out))
	for i := range out {
		api[i] = out[i].API
	}
	if err := s.usedBy(r, sols, api); err != nil {
		return nil, fmt.Errorf("compare: used by: %w", err)
	}
	for i := range out {
		out[i].API = api[i]
		if s.Usage == nil {
			continue
		}
		ov, err := s.Usage.Overview(ctx, nil, out[i].Solution, nil)
		if err != nil {
			return nil, fmt.Errorf("compare %s: usage: %w", out[i].Solution.Slug, err)
		}
		out[i].Summary = ov.Summary
	}
	return out, nil
}

// compareQuery is the query of the stable link: the slugs in order, each
// as parameter name.
func compareQuery(items []compared, name string) string {
	q := make([]string, len(items))
	for i, c := range items {
		q[i] = name + "=" + url.QueryEscape(c.Solution.Slug)
	}
	return strings.Join(q, "&")
}

// comparison reads and loads the solutions that the page and its exports
// compare, and builds their rows in the request's language.
func (s *Server) comparison(r *http.Request) (CompareView, *web.Page, error) {
	slugs, err := compareSlugs(r, "l", compareMin)
	if err != nil {
		return CompareView{}, nil, err
	}
	items, err := s.compareLoad(r, slugs)
	if err != nil {
		return CompareView{}, nil, err
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return CompareView{}, nil, fmt.Errorf("compare: fields of action: %w", err)
	}
	pg := s.page(r, s.t(r, "compare.title"))
	v := CompareView{Items: items, Query: compareQuery(items, "l")}
	v.Path, v.XLSX, v.PDF = "/loesungen/vergleich?"+v.Query, "/loesungen/vergleich.xlsx?"+v.Query, "/loesungen/vergleich.pdf?"+v.Query
	v.JSON = "/api/v1/solutions/compare?" + compareQuery(items, "slug")
	v.Link = s.Config.BaseURL + v.Path
	v.Rows = compareRows(func(key string, kv ...any) string { return s.t(r, key, kv...) }, pg, items, fieldLabels(tree, pg.Lang))
	return v, pg, nil
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) error {
	v, pg, err := s.comparison(r)
	if err != nil {
		return err
	}
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title"), Href: "/loesungen"},
		{Label: s.t(r, "compare.title")}}
	pg.Data = v
	return s.render(w, r, "compare", pg)
}

// apiCompared is one solution of a comparison in the API.
type apiCompared struct {
	Solution apiSolution     `json:"solution"`
	Usage    apiUsageSummary `json:"usage"`
}

// apiComparison is the comparison in the API.
type apiComparison struct {
	Items []apiCompared `json:"items"`
	Link  string        `json:"link"` // the comparison page
}

// handleAPICompare serves the comparison of 2–4 published solutions.
func (s *Server) handleAPICompare(w http.ResponseWriter, r *http.Request) error {
	slugs, err := compareSlugs(r, "slug", compareMin)
	if err != nil {
		return err
	}
	items, err := s.compareLoad(r, slugs)
	if err != nil {
		return err
	}
	out := apiComparison{Items: make([]apiCompared, 0, len(items)), Link: s.Config.BaseURL + "/loesungen/vergleich?" + compareQuery(items, "l")}
	for _, c := range items {
		out.Items = append(out.Items, apiCompared{Solution: c.API, Usage: apiUsageOf(c.Solution, catalog.Overview{Summary: c.Summary}).Summary})
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// compareRows builds the rows of the comparison, the same for the page,
// the XLSX and the PDF; labels maps field of action keys to labels.
// t translates, pg formats dates and numbers in the page's language.
func compareRows(t func(key string, kv ...any) string, pg *web.Page, items []compared, labels map[string]string) []compareRow {
	row := func(key, label string, cell func(c compared) compareCell) compareRow {
		r := compareRow{Key: key, Label: label}
		for _, c := range items {
			r.Cells = append(r.Cells, cell(c))
		}
		return r
	}
	text := func(s ...string) compareCell {
		var lines []string
		for _, x := range s {
			if x != "" {
				lines = append(lines, x)
			}
		}
		if len(lines) == 0 {
			lines = []string{"–"}
		}
		return compareCell{Lines: lines}
	}
	joined := func(xs []string) compareCell { return text(strings.Join(xs, ", ")) }
	return []compareRow{
		row("provider", t("solution.provider"), func(c compared) compareCell {
			return compareCell{Lines: []string{c.Solution.OrgName}, Href: "/organisationen/" + c.Solution.OrgSlug}
		}),
		row("short", t("compare.short"), func(c compared) compareCell { return text(c.API.Short) }),
		row("fields", t("solutions.field"), func(c compared) compareCell {
			var xs []string
			for _, f := range c.API.Fields {
				if l := labels[f]; l != "" {
					xs = append(xs, l)
				} else {
					xs = append(xs, f)
				}
			}
			return text(xs...)
		}),
		row("sizes", t("solution.sizes"), func(c compared) compareCell {
			var xs []string
			for _, b := range c.API.Sizes {
				xs = append(xs, t("band."+string(b)))
			}
			return joined(xs)
		}),
		row("licence", t("solution.licence"), func(c compared) compareCell {
			open := t("solution.licence.closed")
			if c.API.Badges.OpenSource {
				open = t("solution.licence.open")
			}
			return text(c.API.Licence + " (" + open + ")")
		}),
		row("repository", t("solution.repository"), func(c compared) compareCell {
			if c.API.Repository == "" {
				return text()
			}
			return compareCell{Lines: []string{c.API.Repository}, Href: c.API.Repository}
		}),
		row("delivery", t("solution.delivery"), func(c compared) compareCell {
			var xs []string
			for _, d := range c.API.Delivery {
				line := t("solution.model."+d.Model) + ": " + t("solution.price."+d.Price)
				if d.PriceMin != nil || d.PriceMax != nil {
					lo, hi := "–", "–"
					if d.PriceMin != nil {
						lo = pg.Dec(*d.PriceMin, 2)
					}
					if d.PriceMax != nil {
						hi = pg.Dec(*d.PriceMax, 2)
					}
					line += " " + lo + " … " + hi + " €"
				}
				if d.Hosting != nil {
					line += "; " + t("solution.delivery.hosting") + ": " + t("solution.hosting."+*d.Hosting)
				}
				xs = append(xs, line)
			}
			return text(xs...)
		}),
		row("evidence", t("solution.evidence"), func(c compared) compareCell {
			var xs []string
			for _, ev := range c.API.Evidence {
				line := t("solution.evidence." + ev.Kind)
				switch {
				case ev.ExpiresAt == nil:
					line += " (" + t("compare.evidence.valid") + ")"
				case ev.Expired:
					line += " (" + t("solution.evidence.expired", "Date", pg.Date(*ev.ExpiresAt)) + ")"
				default:
					line += " (" + t("solution.evidence.until", "Date", pg.Date(*ev.ExpiresAt)) + ")"
				}
				xs = append(xs, line)
			}
			return text(xs...)
		}),
		row("standards", t("solution.standards"), func(c compared) compareCell { return joined(c.API.Standards) }),
		row("maturity", t("solution.maturity"), func(c compared) compareCell {
			if c.API.Maturity == "" {
				return text()
			}
			return text(t("solution.maturity." + c.API.Maturity))
		}),
		row("origin", t("solution.origin"), func(c compared) compareCell {
			if c.API.Origin == "" {
				return text()
			}
			o := t("solution.origin." + c.API.Origin)
			if c.API.Programme != "" {
				o += " (" + c.API.Programme + ")"
			}
			return text(o)
		}),
		row("languages", t("solution.languages"), func(c compared) compareCell { return joined(c.API.Languages) }),
		row("support", t("solution.support"), func(c compared) compareCell { return text(c.API.Support) }),
		row("users", t("compare.users"), func(c compared) compareCell {
			n := len(c.API.UsedBy)
			return text(t("compare.users.count", "Count", n), strings.Join(c.API.UsedBy, ", "))
		}),
		row("ratings", t("compare.ratings"), func(c compared) compareCell {
			rt := c.Summary.Ratings
			if rt.Reports == 0 {
				return text(t("compare.ratings.none"))
			}
			return text(t("compare.ratings.reports", "Count", rt.Reports),
				t("compare.ratings.usability")+": "+pg.Dec(rt.Usability, 1),
				t("compare.ratings.support")+": "+pg.Dec(rt.Support, 1),
				t("compare.ratings.integration")+": "+pg.Dec(rt.Integration, 1),
				t("compare.ratings.value")+": "+pg.Dec(rt.Value, 1),
				t("compare.ratings.again", "Count", rt.Again))
		}),
		row("demo", t("compare.demo"), func(c compared) compareCell {
			if c.API.Demo {
				return text(t("compare.demo.yes"))
			}
			return text(t("compare.demo.no"))
		}),
	}
}

// CompareChoiceView is the Data of the "compare_choice" page.
type CompareChoiceView struct {
	Chosen []catalog.Solution // checked, in the order of the link
	Others []catalog.Solution // of the same field of action
}

// compareChoices is how many other solutions the choice page offers.
const compareChoices = 30

// handleCompareChoice offers solutions to compare with those already
// chosen (the link "compare with others" of a solution page): the chosen
// ones ticked, and others of the first one's field of action.
func (s *Server) handleCompareChoice(w http.ResponseWriter, r *http.Request) error {
	slugs, err := compareSlugs(r, "l", 1)
	if err != nil {
		return err
	}
	items, err := s.compareLoad(r, slugs)
	if err != nil {
		return err
	}
	v := CompareChoiceView{}
	chosen := map[string]bool{}
	for _, c := range items {
		v.Chosen = append(v.Chosen, c.Solution)
		chosen[c.Solution.ID] = true
	}
	field := ""
	if fs := items[0].Solution.Published.Entry.Fields; len(fs) > 0 {
		field, _, _ = strings.Cut(fs[0], ".")
	}
	page, err := s.Solutions.List(r.Context(), catalog.ListQuery{Field: field, Limit: compareChoices + compareMax})
	if err != nil {
		return fmt.Errorf("compare: choices: %w", err)
	}
	for _, sol := range page.Items {
		if !chosen[sol.ID] && sol.Archived == nil && len(v.Others) < compareChoices {
			v.Others = append(v.Others, sol)
		}
	}
	title := s.t(r, "compare.choice.title")
	pg := s.page(r, title)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title"), Href: "/loesungen"}, {Label: title}}
	pg.Data = v
	return s.render(w, r, "compare_choice", pg)
}
