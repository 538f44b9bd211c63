package http

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/search"
)

// Facets of the catalogue list (/loesungen) and of /api/v1/search. The
// page names its parameters in German and repeats a parameter per ticked
// box; the API names them in English with comma-separated values.

// readListParams reads the parameters of the catalogue list: q, nach and
// sort at most once, the facet parameters repeated per value
// (search.ReadPageQuery).
func readListParams(r *http.Request) (*params, search.Filters, string) {
	p := &params{}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		p.Add("query", "error.param.malformed")
		return p, nil, ""
	}
	p.v = v
	if l := v.Get("lang"); l != "" && !i18n.IsSupported(l) {
		p.Add("lang", "error.param.lang")
	}
	q := search.ReadPageQuery(v, &p.Validation)
	return p, q.Filters, q.Sort
}

// listQuery writes the state of a list as the page's query parameters.
func listQuery(q string, f search.Filters, sort string) url.Values {
	return search.PageQuery(search.Query{Text: q, Filters: f, Sort: sort})
}

// readAPIFilters reads the facet parameters of /api/v1/search: each at
// most once, values separated by commas.
func readAPIFilters(p *params) search.Filters {
	f := search.Filters{}
	for _, facet := range search.FacetNames {
		raw := p.str(facet)
		if raw == "" {
			continue
		}
		for val := range strings.SplitSeq(raw, ",") {
			if val = strings.TrimSpace(val); val != "" {
				f[facet] = append(f[facet], val)
			}
		}
		if len(f[facet]) == 0 {
			p.Add(facet, "facets.error.value", "Value", raw)
		}
	}
	return f
}

// FacetGroup is one facet of the list page: a fieldset of check boxes.
type FacetGroup struct {
	Param   string // the page's parameter name
	Legend  string
	Options []FacetOption
}

// FacetOption is one value of a facet with its count.
type FacetOption struct {
	Value, Label string
	Count        int
	Checked      bool
	Child        bool // a field of action below a ticked top level
}

// SortOption is one sort order of the list page.
type SortOption struct {
	Value, Label string
	Selected     bool
}

// facetGroups builds the facet panel: the values with results or ticked,
// fields of action by the tree (sub-fields when their top level is
// ticked), the others in their defined order.
func (s *Server) facetGroups(r *http.Request, tree []catalog.Field, facets search.Facets, f search.Filters) ([]FacetGroup, error) {
	lang := langOf(r)
	states := map[string]string{}
	if s.Regions != nil {
		list, err := s.Regions.StateNames(r.Context())
		if err != nil {
			return nil, err
		}
		for _, st := range list {
			states[st.Key] = st.Name
		}
	}
	var out []FacetGroup
	for _, fp := range search.PageParams {
		counts := map[string]int{}
		for _, c := range facets[fp.Facet] {
			counts[c.Value] = c.Count
		}
		g := FacetGroup{Param: fp.Param, Legend: s.t(r, "facets.legend."+fp.Facet)}
		add := func(value, label string, child bool) {
			checked := slices.Contains(f[fp.Facet], value)
			if counts[value] == 0 && !checked {
				return
			}
			pv := value
			if fp.Facet == search.FacetOpen {
				pv = map[string]string{"yes": "ja", "no": "nein"}[value]
			}
			g.Options = append(g.Options, FacetOption{Value: pv, Label: label, Count: counts[value], Checked: checked, Child: child})
		}
		switch fp.Facet {
		case search.FacetField:
			for _, top := range tree {
				add(top.Key, top.Label(lang), false)
				if slices.Contains(f[fp.Facet], top.Key) {
					for _, c := range top.Children {
						add(c.Key, c.Label(lang), true)
					}
				}
			}
		case search.FacetStandard:
			values := []string{}
			for _, c := range facets[fp.Facet] {
				values = append(values, c.Value)
			}
			for _, v := range f[fp.Facet] {
				if !slices.Contains(values, v) {
					values = append(values, v)
				}
			}
			for _, v := range values {
				add(v, v, false)
			}
		case search.FacetState:
			for _, v := range search.FacetChoices(fp.Facet) {
				label := states[v]
				if label == "" {
					label = v
				}
				add(v, label, false)
			}
		default:
			prefix := map[string]string{search.FacetDelivery: "solution.model.", search.FacetOpen: "facets.open.", search.FacetHosting: "solution.hosting.",
				search.FacetEvidence: "solution.evidence.", search.FacetMaturity: "solution.maturity.", search.FacetPrice: "solution.price.",
				search.FacetSize: "band."}[fp.Facet]
			for _, v := range search.FacetChoices(fp.Facet) {
				add(v, s.t(r, prefix+v), false)
			}
		}
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// sortOptions lists the sort orders of the page; relevance only with a
// query text.
func (s *Server) sortOptions(r *http.Request, q, sort string) []SortOption {
	if sort == "" {
		sort = search.SortName
		if q != "" {
			sort = search.SortRelevance
		}
	}
	var out []SortOption
	for _, k := range []string{"relevanz", "genutzt", "neu", "name"} {
		v := search.PageSorts[k]
		if v == search.SortRelevance && q == "" {
			continue
		}
		out = append(out, SortOption{Value: k, Label: s.t(r, "facets.sort."+v), Selected: v == sort})
	}
	return out
}

// searchList returns a page of the catalogue list through the search,
// with the facet counts; why each was found only with a query text.
func (s *Server) searchList(r *http.Request, q string, f search.Filters, sort, after string, limit int) (catalog.Page, map[string]*search.Why, search.Facets, error) {
	res, err := s.Search.Search(r.Context(), search.Query{Text: q, Filters: f, Sort: sort, After: after, Limit: limit})
	if err != nil {
		return catalog.Page{}, nil, nil, err
	}
	page := catalog.Page{Total: res.Total, Next: res.Next, Items: make([]catalog.Solution, 0, len(res.Items))}
	why := make(map[string]*search.Why, len(res.Items))
	for _, h := range res.Items {
		page.Items = append(page.Items, h.Solution)
		if q != "" {
			why[h.Solution.ID] = &h.Why
		}
	}
	return page, why, res.Facets, nil
}

// apiSearchResult is a page of /api/v1/search with the facet counts.
type apiSearchResult struct {
	Items  []apiSearchHit                 `json:"items"`
	Total  int                            `json:"total"`
	Next   string                         `json:"next,omitempty"`
	Facets map[string][]search.FacetCount `json:"facets"`
}

// apiFacetsOf returns the counts of every facet, an empty list for a
// facet without values.
func apiFacetsOf(f search.Facets) map[string][]search.FacetCount {
	out := make(map[string][]search.FacetCount, len(search.FacetNames))
	for _, name := range search.FacetNames {
		c := f[name]
		if c == nil {
			c = []search.FacetCount{}
		}
		out[name] = c
	}
	return out
}
