// Package alert holds saved searches of the solution catalogue: a
// signed-in user keeps a search of /loesungen under a name and gets, at
// most once a day, one mail about the solutions that newly match any of
// their searches, with a link per search to stop those mails without
// signing in.
package alert

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/search"
)

// Limits of saved searches.
const (
	MaxPerUser = 20   // saved searches of one user
	MaxName    = 100  // characters of a name
	MaxQuery   = 2000 // bytes of the canonical query
)

// SavedSearch is a search of the catalogue a user keeps.
type SavedSearch struct {
	ID     string
	UserID string
	Name   string
	// Query is the canonical URL query of the search as /loesungen reads
	// it (Canonical), without a leading "?".
	Query string
	Lang  string // the language the user saved it in
	// Paused stops the mails about new matches (on the account page or
	// by the unsubscribe link in a mail); the search stays.
	Paused   bool
	Created  time.Time
	LastRun  *time.Time // the last sweep that looked for new matches
	LastSent *time.Time // the last mail that reported new matches
	// Runs counts the sweeps that ran the search; a sweep records its run
	// only if no other did in between.
	Runs int
}

// Since returns the time after which a solution counts as new for the
// search: its last run, or its creation before the first.
func (s SavedSearch) Since() time.Time {
	if s.LastRun != nil {
		return *s.LastRun
	}
	return s.Created
}

// The catalogue page's names of parameters and values (internal/http,
// facets.go); a saved query is written in them so that it links straight
// to the page. A test in internal/http checks that both agree.
var (
	// PageParams maps the page's parameter names to the facets.
	PageParams = []struct{ Param, Facet string }{
		{"feld", search.FacetField}, {"bereitstellung", search.FacetDelivery}, {"offen", search.FacetOpen},
		{"hosting", search.FacetHosting}, {"nachweis", search.FacetEvidence}, {"reife", search.FacetMaturity},
		{"preis", search.FacetPrice}, {"standard", search.FacetStandard}, {"groesse", search.FacetSize}, {"land", search.FacetState},
	}
	// PageOpen maps the page's values of "offen" to the facet's.
	PageOpen = map[string]string{"ja": "yes", "nein": "no"}
	// PageSorts maps the page's values of "sort" to the sort orders.
	PageSorts = map[string]string{"relevanz": search.SortRelevance, "genutzt": search.SortUsed, "neu": search.SortNewest, "name": search.SortName}
)

// ParseQuery reads a URL query of /loesungen into a search: the text q,
// the facet parameters (repeated per value) and sort. The page cursor
// (nach) and the language (lang) are not part of a search and are
// dropped. Unknown and repeated parameters and unknown values of offen
// and sort are field errors named after the parameter; whether the other
// values exist, the search decides (Service.validateQuery).
func ParseQuery(raw string) (search.Query, error) {
	var v apperr.Validation
	raw = strings.TrimPrefix(strings.TrimSpace(raw), "?")
	if len(raw) > MaxQuery {
		v.Add("query", "form.error.too_long", "Max", MaxQuery)
		return search.Query{}, v.Err()
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		v.Add("query", "error.param.malformed")
		return search.Query{}, v.Err()
	}
	q := search.Query{Text: strings.TrimSpace(values.Get("q")), Filters: search.Filters{}}
	for name, vals := range values {
		if facet, ok := pageFacet(name); ok {
			for _, val := range vals {
				if val = strings.TrimSpace(val); val == "" {
					continue
				}
				if facet == search.FacetOpen {
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
		case !slices.Contains([]string{"q", "nach", "sort", "lang"}, name):
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
	return q, v.Err()
}

func pageFacet(param string) (string, bool) {
	for _, p := range PageParams {
		if p.Param == param {
			return p.Facet, true
		}
	}
	return "", false
}

// Canonical writes a search as the page's URL query: parameters by name,
// the values of a facet sorted, nothing empty. Two searches that find the
// same are written the same, and the text can be appended to
// "/loesungen?" as it is.
func Canonical(q search.Query) string {
	out := url.Values{}
	if t := strings.TrimSpace(q.Text); t != "" {
		out.Set("q", t)
	}
	for _, p := range PageParams {
		vals := slices.Clone(q.Filters[p.Facet])
		slices.Sort(vals)
		for _, val := range slices.Compact(vals) {
			if p.Facet == search.FacetOpen {
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
	return out.Encode()
}

// DefaultName returns the name of a search the user did not name: its
// text, cut to MaxName; "" for a search without text.
func DefaultName(q search.Query) string {
	name := strings.Join(strings.Fields(q.Text), " ")
	if utf8.RuneCountInString(name) > MaxName {
		name = string([]rune(name)[:MaxName])
	}
	return name
}

// Can reports whether the user userID may see or change s: only its
// owner. Everyone else gets "not found", so that ids reveal nothing.
func Can(userID string, s SavedSearch) bool { return userID != "" && s.UserID == userID }
