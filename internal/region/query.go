package region

import (
	"time"
)

// Sort orders a municipality list.
type Sort string

// The orders a list offers. SortRelevance needs a query.
const (
	SortName       Sort = "name"
	SortPopulation Sort = "population" // largest first
	SortRelevance  Sort = "relevance"  // name starts with the query first, then largest first
)

// MunicipalityFilter narrows a municipality list. Lists hold political
// municipalities only; the gemeindefreie Gebiete have their own pages.
type MunicipalityFilter struct {
	StateKey     string
	DistrictKey  string
	Band         Band
	Urbanisation *Urbanisation // nil: any; UrbanisationUnknown selects those without a known degree
	Query        string        // name search, folded (see package fold)
	Dissolved    bool          // list the historical (merged-away) municipalities instead of current ones
}

// UrbanisationSlug is the slug of the urbanisation filter, "" for any.
func (f MunicipalityFilter) UrbanisationSlug() string {
	if f.Urbanisation == nil {
		return ""
	}
	return f.Urbanisation.Slug()
}

// MunicipalityQuery is one page of a municipality list: by Offset for
// numbered pages, or keyset after a Cursor for the API.
type MunicipalityQuery struct {
	Filter MunicipalityFilter
	Sort   Sort
	Offset int
	After  *Cursor
	Limit  int
}

// Cursor is the position after the last item of a page in keyset paging.
type Cursor struct {
	Name       string `json:"n,omitempty"` // name_sort of the last item (SortName)
	Population int64  `json:"p,omitempty"` // population of the last item (SortPopulation, SortRelevance)
	Rank       int    `json:"r,omitempty"` // how well the last item matched (SortRelevance)
	Key        string `json:"k"`           // AGS or district key of the last item
}

// MunicipalityPage is one page of a municipality list.
type MunicipalityPage struct {
	Items []Municipality
	Total int
	Next  *Cursor // nil on the last page
}

// DistrictQuery is one page of the district list.
type DistrictQuery struct {
	StateKey  string
	Dissolved bool   // list the districts that a newer register no longer lists
	After     string // key of the last district on the previous page
	Limit     int
}

// DistrictPage is one page of the district list.
type DistrictPage struct {
	Items []District
	Total int
	Next  string // key after which the next page starts, "" on the last page
}

// RegisterData is a whole register ready to be stored.
type RegisterData struct {
	Date           time.Time
	Source         string
	SHA256         string
	States         []State
	Districts      []District
	Associations   []Association
	Municipalities []Municipality
}

// ImportReport says what an import of the register changed.
type ImportReport struct {
	ID           string
	ImportedAt   time.Time
	RegisterDate time.Time
	Source       string
	SHA256       string
	Added        []Change
	Changed      []Change
	Dissolved    []Change
	Unchanged    int
	// Coordinates and urbanisation taken from the older extract.
	ExtraByAGS, ExtraByName, ExtraMissing int
}

// Change names one municipality and, for a changed one, the fields that changed.
type Change struct {
	AGS    string   `json:"ags"`
	Name   string   `json:"name"`
	Fields []string `json:"fields,omitempty"`
}
