package search

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

// Further sort orders of results.
const (
	SortUsed   = "used"   // most used by verified municipalities
	SortNewest = "newest" // newest first
)

// Sorts lists the sort orders.
var Sorts = []string{SortRelevance, SortUsed, SortNewest, SortName}

// The facets of the catalogue.
const (
	FacetField    = "field"       // field of action; a top level includes its children
	FacetDelivery = "delivery"    // catalog.DeliveryModels
	FacetOpen     = "open_source" // "yes" or "no"
	FacetHosting  = "hosting"     // catalog.HostingLocations
	FacetEvidence = "evidence"    // catalog.EvidenceKinds, valid and not expired
	FacetMaturity = "maturity"    // catalog.Maturities
	FacetPrice    = "price"       // catalog.PriceModels
	FacetStandard = "standard"    // interoperability standard, as entered
	// From verified current use (not stored with the entry): the size
	// bands and the states of the municipalities that use a solution.
	FacetSize  = "size"  // region.Bands
	FacetState = "state" // state key, "01"–"16"
)

// FacetNames lists the facets in display order.
var FacetNames = []string{FacetField, FacetDelivery, FacetOpen, FacetHosting, FacetEvidence, FacetMaturity, FacetPrice, FacetStandard,
	FacetSize, FacetState}

// UsedFacet reports whether a facet is derived from verified use.
func UsedFacet(facet string) bool { return facet == FacetSize || facet == FacetState }

// Filters are the values selected per facet: a solution matches when it
// has one of the values of every facet with a selection (OR within a
// facet, AND across facets).
type Filters map[string][]string

// Any reports whether any value is selected.
func (f Filters) Any() bool {
	for _, v := range f {
		if len(v) > 0 {
			return true
		}
	}
	return false
}

// FacetCount is one value of a facet with the number of results that
// also have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets are the counts per facet over the current results: the counts
// of a facet apply the query and the selections of all other facets.
type Facets map[string][]FacetCount

// FacetValue is one facet value of a solution; evidence has the time it
// expires (nil for never).
type FacetValue struct {
	Facet, Value string
	Expires      *time.Time
}

// MaxFacetValues bounds the selected values of one facet.
const MaxFacetValues = 20

// maxStandardLen bounds a selected standard, in characters.
const maxStandardLen = 100

// EntryFacets returns the facet values of a published entry; parent gives
// the parent key of a field of action ("" for a top level).
func EntryFacets(e catalog.Entry, parent func(key string) string) []FacetValue {
	var out []FacetValue
	add := func(facet, value string, expires *time.Time) {
		if value == "" {
			return
		}
		for i, v := range out {
			if v.Facet == facet && v.Value == value {
				// the longest lasting evidence of a kind counts
				if v.Expires != nil && (expires == nil || expires.After(*v.Expires)) {
					out[i].Expires = expires
				}
				return
			}
		}
		out = append(out, FacetValue{Facet: facet, Value: value, Expires: expires})
	}
	for _, f := range e.Fields {
		add(FacetField, f, nil)
		add(FacetField, parent(f), nil)
	}
	for _, d := range e.Delivery {
		add(FacetDelivery, d.Model, nil)
		add(FacetHosting, d.Hosting, nil)
		add(FacetPrice, d.Price, nil)
	}
	if e.OpenSource() {
		add(FacetOpen, "yes", nil)
	} else {
		add(FacetOpen, "no", nil)
	}
	for _, ev := range e.Evidence {
		add(FacetEvidence, ev.Kind, ev.Expires)
	}
	add(FacetMaturity, e.Maturity, nil)
	for _, s := range e.Standards {
		add(FacetStandard, s, nil)
	}
	return out
}

// facetChoices lists the allowed values of the facets with a fixed set.
var facetChoices = map[string][]string{
	FacetDelivery: catalog.DeliveryModels,
	FacetOpen:     {"yes", "no"},
	FacetHosting:  catalog.HostingLocations,
	FacetEvidence: catalog.EvidenceKinds,
	FacetMaturity: catalog.Maturities,
	FacetPrice:    catalog.PriceModels,
	FacetSize:     bandKeys(),
	FacetState:    stateKeys(),
}

func bandKeys() []string {
	out := make([]string, 0, len(region.Bands))
	for _, b := range region.Bands {
		out = append(out, string(b))
	}
	return out
}

// stateKeys are the keys of the 16 states.
func stateKeys() []string {
	out := make([]string, 0, 16)
	for i := 1; i <= 16; i++ {
		out = append(out, fmt.Sprintf("%02d", i))
	}
	return out
}

// FacetChoices returns the allowed values of a facet with a fixed set of
// values (nil for field and standard).
func FacetChoices(facet string) []string { return facetChoices[facet] }

// validateFilters checks the selected values; known reports whether a
// field of action exists. It returns the filters without duplicates.
func (s *Service) validateFilters(f Filters, v *apperr.Validation, known func(string) (bool, error)) (Filters, error) {
	out := Filters{}
	for facet, values := range f {
		if !slices.Contains(FacetNames, facet) {
			v.Add(facet, "facets.error.unknown")
			continue
		}
		if len(values) > MaxFacetValues {
			v.Add(facet, "facets.error.too_many", "Max", MaxFacetValues)
			continue
		}
		for _, val := range values {
			if slices.Contains(out[facet], val) {
				continue
			}
			switch facet {
			case FacetField:
				ok, err := known(val)
				if err != nil {
					return nil, err
				}
				if !ok {
					v.Add(facet, "catalog.error.field_unknown", "Key", val)
					continue
				}
			case FacetStandard:
				if val == "" || utf8.RuneCountInString(val) > maxStandardLen || !utf8.ValidString(val) {
					v.Add(facet, "facets.error.value", "Value", val)
					continue
				}
			default:
				if !slices.Contains(facetChoices[facet], val) {
					v.Add(facet, "facets.error.value", "Value", val)
					continue
				}
			}
			out[facet] = append(out[facet], val)
		}
	}
	return out, nil
}
