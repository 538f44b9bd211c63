// Package gv100ad parses the official German municipality register
// published by Destatis as GV100AD (fixed-width text, 220 characters per
// record) and the older GV-ISys CSV extract that supplies coordinates, the
// travel region and the degree of urbanisation.
//
// Parse reads the register, ParseExtract reads the CSV extract, and
// Register.Enrich copies coordinates and urbanisation from the extract into
// the register's municipalities. Population and area always come from the
// register; the extract's outdated population figures are never used.
package gv100ad

import "time"

// Register is one parsed GV100AD file.
type Register struct {
	// Date is the Gebietsstand (UTC midnight). It is identical in every
	// record; Parse refuses files where it is not.
	Date time.Time
	// States are the Satzart-10 records (Länder), in file order.
	States []State
	// Districts are the Satzart-40 records (Kreise), in file order.
	Districts []District
	// Associations are the Satzart-50 records (Gemeindeverbände), in file order.
	Associations []Association
	// Municipalities are all Satzart-60 records in file order, including the
	// gemeindefreie Gebiete (Type 65 and 66); see Municipality.Political.
	Municipalities []Municipality
}

// State is a Land (Satzart 10).
type State struct {
	Key  string // 2-digit Land key, e.g. "01"
	Name string // e.g. "Schleswig-Holstein"
	Seat string // seat of the Land government
	Line int    // 1-based line in the register file
}

// District is a Kreis or kreisfreie Stadt (Satzart 40).
type District struct {
	Key  string // 5-digit Kreis key (columns 11–15), e.g. "01051"
	Name string
	Seat string // seat of the Kreis administration
	// Type is the Textkennzeichen: 41 Kreisfreie Stadt, 42 Stadtkreis,
	// 43 Kreis, 44 Landkreis, 45 Regionalverband.
	Type int
	Line int // 1-based line in the register file
}

// Association is a Gemeindeverband (Satzart 50). Its code is unique only
// within its district.
type Association struct {
	DistrictKey string // 5-digit Kreis key
	Code        string // 4-digit Verband code (columns 19–22)
	Name        string
	Seat        string // Verbandssitz; blank for verbandsfreie Gemeinden
	// Type is the Textkennzeichen: 50 verbandsfreie Gemeinde, 51 Amt,
	// 52 Samtgemeinde, 53 Verbandsgemeinde, 54 Verwaltungsgemeinschaft,
	// 55 Kirchspielslandgemeinde, 56 Verwaltungsverband, 57 VG Trägermodell,
	// 58 erfüllende Gemeinde.
	Type int
	Line int // 1-based line in the register file
}

// Municipality is a Gemeinde or gemeindefreies Gebiet (Satzart 60).
type Municipality struct {
	AGS             string // 8-digit Amtlicher Gemeindeschlüssel
	AssociationCode string // 4-digit Verband code; see Association
	Name            string // official name, including suffixes such as ", Stadt"
	// Type is the Textkennzeichen: 60 Markt, 61 Kreisfreie Stadt,
	// 62 Stadtkreis, 63 Stadt, 64 kreisangehörige Gemeinde,
	// 65 gemeindefreies Gebiet (bewohnt), 66 gemeindefreies Gebiet
	// (unbewohnt), 67 Große Kreisstadt.
	Type           int
	AreaHa         int64 // area in hectares (km² = AreaHa / 100)
	Population     int64 // total population
	PopulationMale int64 // male population; female = Population − PopulationMale
	// Postcode is the municipality's postcode, or that of its
	// administrative seat if it has several; empty for some uninhabited
	// gemeindefreie Gebiete.
	Postcode          string
	MultiplePostcodes bool // the municipality has more than one postcode

	// Lat and Lon are WGS84 degrees, valid only if HasCoordinates.
	// They, Urbanisation and ExtraSource are filled by Register.Enrich.
	Lat, Lon       float64
	HasCoordinates bool
	// Urbanisation is the degree of urbanisation: 1 dicht besiedelt
	// (urban), 2 mittlere Besiedlungsdichte (intermediate), 3 gering
	// besiedelt (rural), 0 unknown.
	Urbanisation int
	// ExtraSource tells where the enrichment came from: "" none, "ags"
	// matched by AGS, or "name:<old AGS>" when a predecessor municipality
	// was matched by name.
	ExtraSource string
	Line        int // 1-based line in the register file
}

// StateKey returns the 2-digit Land key (the first two digits of the AGS).
func (m Municipality) StateKey() string {
	if len(m.AGS) < 2 {
		return ""
	}
	return m.AGS[:2]
}

// DistrictKey returns the 5-digit Kreis key (the first five digits of the AGS).
func (m Municipality) DistrictKey() string {
	if len(m.AGS) < 5 {
		return ""
	}
	return m.AGS[:5]
}

// Political reports whether m is a political municipality, that is not a
// gemeindefreies Gebiet (Type 65 or 66).
func (m Municipality) Political() bool {
	return m.Type != 65 && m.Type != 66
}
