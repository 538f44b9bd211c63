// Package searchtest holds the mix of searches that the benchmarks of the
// search and the load program scripts/searchload send: realistic
// searches of municipal staff over a large (synthetic) catalogue.
package searchtest

import (
	_ "embed"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/search"
)

//go:embed mix.txt
var mixTxt string

// Search is one search of the mix.
type Search struct {
	// API is the query string of GET /api/v1/search.
	API string
	// Query is the same search for search.Service.
	Query search.Query
}

// Mix returns the searches of mix.txt.
func Mix() ([]Search, error) {
	var out []Search
	for line := range strings.Lines(mixTxt) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s := Search{Query: search.Query{Limit: 20, Filters: search.Filters{}}}
		api := url.Values{}
		for part := range strings.SplitSeq(line, "&") {
			k, v, ok := strings.Cut(part, "=")
			if !ok {
				return nil, fmt.Errorf("searchtest: %q: want name=value", part)
			}
			api.Set(k, v)
			switch k {
			case "q":
				s.Query.Text = v
			case "sort":
				s.Query.Sort = v
			default:
				if !slices.Contains(search.FacetNames, k) {
					return nil, fmt.Errorf("searchtest: %q: unknown parameter %s", line, k)
				}
				s.Query.Filters[k] = strings.Split(v, ",")
			}
		}
		s.API = api.Encode()
		out = append(out, s)
	}
	return out, nil
}
