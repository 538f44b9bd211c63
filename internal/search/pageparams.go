package search

import (
	"net/url"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
)

// The catalogue page /loesungen names its parameters in German and
// repeats a parameter per ticked value; the page (internal/http) and the
// links in the mails of saved searches (internal/alert) read and write a
// search in this form.

// PageParams maps the page's parameter names to the facets.
var PageParams = []struct{ Param, Facet string }{
	{"feld", FacetField}, {"bereitstellung", FacetDelivery}, {"offen", FacetOpen},
	{"hosting", FacetHosting}, {"nachweis", FacetEvidence}, {"reife", FacetMaturity},
	{"preis", FacetPrice}, {"standard", FacetStandard}, {"groesse", FacetSize}, {"land", FacetState},
}

// PageOpen maps the page's values of "offen" to the facet's.
var PageOpen = map[string]string{"ja": "yes", "nein": "no"}

// PageSorts maps the page's values of "sort" to the sort orders.
var PageSorts = map[string]string{"relevanz": SortRelevance, "genutzt": SortUsed, "neu": SortNewest, "name": SortName}

// pageOthers are the page's parameters besides the facets: the text, the
// cursor, the sort order and the language, each at most once.
var pageOthers = []string{"q", "nach", "sort", "lang"}

func pageFacet(param string) (string, bool) {
	for _, p := range PageParams {
		if p.Param == param {
			return p.Facet, true
		}
	}
	return "", false
}

// ReadPageQuery reads a search from the page's query: the text q, the
// facet parameters (repeated per value; empty ones ignored, repeats
// dropped, values sorted) and sort. The cursor (nach) and the language
// (lang) are left to the caller. Unknown and repeated parameters and
// unknown values of offen and sort are added to v, named after the
// parameter; whether other values exist, Service.Search decides.
func ReadPageQuery(values url.Values, v *apperr.Validation) Query {
	q := Query{Text: strings.TrimSpace(values.Get("q")), Filters: Filters{}}
	for name, vals := range values {
		if facet, ok := pageFacet(name); ok {
			for _, val := range vals {
				if val = strings.TrimSpace(val); val == "" {
					continue
				}
				if facet == FacetOpen {
					o, ok := PageOpen[val]
					if !ok {
						v.Add(name, "facets.error.value", "Value", val)
						continue
					}
					val = o
				}
				if !slices.Contains(q.Filters[facet], val) {
					q.Filters[facet] = append(q.Filters[facet], val)
				}
			}
			continue
		}
		switch {
		case !slices.Contains(pageOthers, name):
			v.Add(name, "error.param.unknown", "Name", name)
		case len(vals) > 1:
			v.Add(name, "error.param.repeated", "Name", name)
		}
	}
	if sv := values.Get("sort"); sv != "" {
		sort, ok := PageSorts[sv]
		if !ok {
			v.Add("sort", "facets.error.sort")
		}
		q.Sort = sort
	}
	for facet := range q.Filters {
		slices.Sort(q.Filters[facet])
	}
	return q
}

// PageQuery writes a search as the page's query: the parameters in the
// order of PageParams, the values of a facet sorted and once, nothing
// empty. Two searches that find the same are written the same.
func PageQuery(q Query) url.Values {
	out := url.Values{}
	if t := strings.TrimSpace(q.Text); t != "" {
		out.Set("q", t)
	}
	for _, p := range PageParams {
		vals := slices.Clone(q.Filters[p.Facet])
		slices.Sort(vals)
		for _, val := range slices.Compact(vals) {
			if p.Facet == FacetOpen {
				for k, o := range PageOpen {
					if o == val {
						val = k
					}
				}
			}
			out.Add(p.Param, val)
		}
	}
	for k, s := range PageSorts {
		if s == q.Sort && s != "" {
			out.Set("sort", k)
		}
	}
	return out
}
