// Package region holds Germany's administrative units as the official
// municipality register (Destatis GV100AD) describes them: states (Länder),
// districts (Kreise), municipal associations (Gemeindeverbände) and
// municipalities (Gemeinden), keyed by their official keys (AGS).
package region

import (
	"strings"
	"time"
)

// State is a Land, keyed by its two-digit key ("09" Bayern).
type State struct {
	Key  string
	Name string
	Seat string // seat of the state government
	// Figures are aggregated over the state's current municipalities.
	Figures Figures
}

// District is a Kreis or kreisfreie Stadt, keyed by its five-digit key.
type District struct {
	Key       string
	StateKey  string
	StateName string
	Name      string
	Seat      string
	Type      int // Textkennzeichen 41..45, see DistrictTypeKey
	Dissolved *time.Time
	Figures   Figures
}

// Association is a Gemeindeverband (Amt, Verbandsgemeinde, …) within a district.
type Association struct {
	DistrictKey string
	Code        string
	Name        string
	Seat        string
	Type        int // Textkennzeichen 50..58
}

// Municipality is a Gemeinde, including the gemeindefreie Gebiete that the
// register lists as well (Type 65, 66).
type Municipality struct {
	AGS              string
	Name             string
	Type             int // Textkennzeichen 60..67, see MunicipalityTypeKey
	StateKey         string
	StateName        string
	DistrictKey      string
	DistrictName     string
	AssociationCode  string
	AssociationName  string
	AssociationType  int
	AreaHa           int64
	Population       int64
	PopulationMale   int64
	Postcode         string
	MultiplePostcode bool
	// Coordinates (WGS84) and urbanisation come from the older GV-ISys
	// extract; Lat and Lon are nil where it has none.
	Lat, Lon     *float64
	Urbanisation Urbanisation
	ExtraSource  string // "ags", "name:<predecessor AGS>" or ""
	RegisterDate time.Time
	// Dissolved is set when a newer register no longer lists the
	// municipality (merged away); it stays as a historical record.
	Dissolved *time.Time
}

// AreaKm2 is the area in square kilometres.
func (m Municipality) AreaKm2() float64 { return float64(m.AreaHa) / 100 }

// Density is inhabitants per km², 0 for an area of 0.
func (m Municipality) Density() float64 {
	if m.AreaHa == 0 {
		return 0
	}
	return float64(m.Population) / m.AreaKm2()
}

// Political reports whether the unit is a municipality, not a gemeindefreies Gebiet.
func (m Municipality) Political() bool { return m.Type != 65 && m.Type != 66 }

// Band is the population band of the municipality.
func (m Municipality) Band() Band { return BandOf(m.Population) }

// Figures summarise current municipalities of an area.
type Figures struct {
	Municipalities int64 // political municipalities
	Population     int64
	AreaHa         int64
	ByBand         map[Band]int64
	ByUrbanisation map[Urbanisation]int64
}

// AreaKm2 is the area in square kilometres.
func (f Figures) AreaKm2() float64 { return float64(f.AreaHa) / 100 }

// Density is inhabitants per km².
func (f Figures) Density() float64 {
	if f.AreaHa == 0 {
		return 0
	}
	return float64(f.Population) / f.AreaKm2()
}

// Urbanisation is the degree of urbanisation (Grad der Verstädterung).
type Urbanisation int

// Degrees of urbanisation as Destatis codes them.
const (
	UrbanisationUnknown Urbanisation = 0
	Urban               Urbanisation = 1 // dicht besiedelt
	Intermediate        Urbanisation = 2 // mittlere Besiedlungsdichte
	Rural               Urbanisation = 3 // gering besiedelt
)

// Slug names the degree in URLs, the API and message keys.
func (u Urbanisation) Slug() string {
	switch u {
	case Urban:
		return "urban"
	case Intermediate:
		return "intermediate"
	case Rural:
		return "rural"
	}
	return "unknown"
}

// Urbanisations lists the degrees, unknown last.
var Urbanisations = []Urbanisation{Urban, Intermediate, Rural, UrbanisationUnknown}

// UrbanisationBySlug returns the degree named by slug.
func UrbanisationBySlug(slug string) (Urbanisation, bool) {
	for _, u := range Urbanisations {
		if u.Slug() == slug {
			return u, true
		}
	}
	return UrbanisationUnknown, false
}

// MunicipalityTypeKey returns the message key of a municipality's type.
func MunicipalityTypeKey(t int) string {
	switch t {
	case 60:
		return "type.market"
	case 61:
		return "type.independent_city"
	case 62:
		return "type.urban_district"
	case 63:
		return "type.town"
	case 64:
		return "type.municipality"
	case 65:
		return "type.unincorporated_inhabited"
	case 66:
		return "type.unincorporated_uninhabited"
	case 67:
		return "type.major_district_town"
	}
	return "type.unknown"
}

// DistrictTypeKey returns the message key of a district's type.
func DistrictTypeKey(t int) string {
	switch t {
	case 41:
		return "dtype.independent_city"
	case 42:
		return "dtype.urban_district"
	case 43:
		return "dtype.district"
	case 44:
		return "dtype.rural_district"
	case 45:
		return "dtype.regional_association"
	}
	return "dtype.unknown"
}

// AssociationTypeKey returns the message key of an association's type.
func AssociationTypeKey(t int) string {
	switch t {
	case 50:
		return "atype.none"
	case 51:
		return "atype.amt"
	case 52:
		return "atype.samtgemeinde"
	case 53:
		return "atype.verbandsgemeinde"
	case 54:
		return "atype.verwaltungsgemeinschaft"
	case 55:
		return "atype.kirchspielslandgemeinde"
	case 56:
		return "atype.verwaltungsverband"
	case 57:
		return "atype.traegermodell"
	case 58:
		return "atype.erfuellende_gemeinde"
	}
	return "atype.unknown"
}

// TypeKey returns the message key of the municipality's type.
func (m Municipality) TypeKey() string { return MunicipalityTypeKey(m.Type) }

// AssociationTypeKey returns the message key of the association's type.
func (m Municipality) AssociationTypeKey() string { return AssociationTypeKey(m.AssociationType) }

// PopulationFemale is the female population (total minus male, as Destatis
// defines it).
func (m Municipality) PopulationFemale() int64 { return m.Population - m.PopulationMale }

// TypeKey returns the message key of the district's type.
func (d District) TypeKey() string { return DistrictTypeKey(d.Type) }

// HasCoordinates reports whether the location is known.
func (m Municipality) HasCoordinates() bool { return m.Lat != nil && m.Lon != nil }

// Latitude returns the latitude, 0 when unknown (see HasCoordinates).
func (m Municipality) Latitude() float64 {
	if m.Lat == nil {
		return 0
	}
	return *m.Lat
}

// Longitude returns the longitude, 0 when unknown (see HasCoordinates).
func (m Municipality) Longitude() float64 {
	if m.Lon == nil {
		return 0
	}
	return *m.Lon
}

// PredecessorAGS is the key of the former municipality whose location and
// urbanisation this one took over, "" when they came by its own key.
func (m Municipality) PredecessorAGS() string {
	if ags, ok := strings.CutPrefix(m.ExtraSource, "name:"); ok {
		return ags
	}
	return ""
}
