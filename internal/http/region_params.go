package http

import (
	"encoding/base64"
	"encoding/json"

	"github.com/smartregions/smartregions/internal/region"
)

// municipalityFilterParams are the filters that the municipality page and
// the API share.
var municipalityFilterParams = []string{"state", "district", "band", "urbanisation", "q", "sort", "status"}

// municipalityFilter reads the shared filters; errors collect in p.
func municipalityFilter(p *params) (region.MunicipalityFilter, region.Sort) {
	f := region.MunicipalityFilter{
		StateKey:    p.str("state"),
		DistrictKey: p.str("district"),
		Band:        region.Band(p.str("band")),
		Query:       p.str("q"),
	}
	if s := p.str("urbanisation"); s != "" {
		u, ok := region.UrbanisationBySlug(s)
		if !ok {
			p.Add("urbanisation", "error.param.urbanisation")
		}
		f.Urbanisation = &u
	}
	switch p.str("status") {
	case "", "current":
	case "historical":
		f.Dissolved = true
	default:
		p.Add("status", "error.param.status")
	}
	return f, region.Sort(p.str("sort"))
}

// cursor is the opaque "next" token of keyset-paged API lists; it carries
// the sort it was made for, so it cannot be replayed with another.
type cursor struct {
	Sort region.Sort `json:"s,omitempty"`
	region.Cursor
}

func encodeCursor(sort region.Sort, c *region.Cursor) string {
	if c == nil {
		return ""
	}
	b, _ := json.Marshal(cursor{Sort: sort, Cursor: *c})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(p *params, s string, sort region.Sort) *region.Cursor {
	if s == "" {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err != nil || len(b) > 512 || json.Unmarshal(b, &c) != nil || c.Key == "" || c.Sort != sort {
		p.Add("cursor", "error.param.cursor")
		return nil
	}
	return &c.Cursor
}
