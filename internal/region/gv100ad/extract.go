package gv100ad

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Extra is one municipality (Satzart 60) of the older GV-ISys CSV extract
// ("Auszug GV, 4. Quartal"). Only the fields that GV100AD lacks are kept;
// the extract's population figures are outdated and deliberately ignored.
type Extra struct {
	AGS  string // 8-digit AGS as of the extract's Gebietsstand
	Name string // name as of the extract's Gebietsstand
	// Lat and Lon are WGS84 degrees, valid only if HasCoordinates. A blank
	// pair or 0/0 in the file means no coordinates.
	Lat, Lon       float64
	HasCoordinates bool
	// Urbanisation is the degree of urbanisation: 1 dicht besiedelt,
	// 2 mittlere Besiedlungsdichte, 3 gering besiedelt, 0 unknown.
	Urbanisation     int
	TravelRegionCode string // Reisegebiet code, e.g. "F02"; may be empty
	TravelRegionName string // Reisegebiet name, e.g. "Ostsee"; may be empty
}

// extractColumns are the header names ParseExtract needs; other columns
// are ignored and the order does not matter.
var extractColumns = []string{"satzart", "land", "rb", "kreis", "gemeinde", "gemeindename",
	"laengengrad", "breitengrad", "schluessel", "bezeichnung", "verstaedterungschluessel"}

// ParseExtract reads the GV-ISys CSV extract (UTF-8, optional byte-order
// mark, one header row, comma-separated, coordinates with a decimal comma)
// and returns its Satzart-60 rows keyed by AGS. Rows of other record types
// are checked for CSV syntax, encoding and Satzart, then skipped. The first
// refused row is reported as a *ParseError with its line number; errors
// from r are returned wrapped.
func ParseExtract(r io.Reader) (map[string]Extra, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		_, _ = br.Discard(len(bom))
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errorf(0, codeEmpty, "", "empty extract: no header row")
	} else if err != nil {
		return nil, csvError(err)
	}
	header = slices.Clone(header) // ReuseRecord: the next Read overwrites it
	col := make(map[string]int, len(header))
	for i, name := range header {
		col[strings.ToLower(strings.TrimSpace(name))] = i
	}
	for _, name := range extractColumns {
		if _, ok := col[name]; !ok {
			return nil, errorf(1, codeHeader, name, "header has no column %q", name)
		}
	}
	out := make(map[string]Extra, 11008)
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		for i, f := range row {
			if !utf8.ValidString(f) {
				return nil, errorf(line, codeEncoding, header[i], "invalid UTF-8 in column %q", header[i])
			}
		}
		kind := strings.TrimSpace(row[col["satzart"]])
		if _, ok := keyEnd[kind]; !ok {
			return nil, errorf(line, codeRecordType, "Satzart", "unknown Satzart %q", kind)
		}
		if kind != "60" {
			continue
		}
		e, err := extraRow(line, row, col)
		if err != nil {
			return nil, err
		}
		if _, dup := out[e.AGS]; dup {
			return nil, errorf(line, codeDuplicate, "AGS", "AGS %s occurs twice", e.AGS)
		}
		out[e.AGS] = e
	}
	if len(out) == 0 {
		return nil, errorf(0, codeEmpty, "", "no municipality rows (Satzart 60) in the extract")
	}
	return out, nil
}

// extraRow converts one Satzart-60 row.
func extraRow(line int, row []string, col map[string]int) (Extra, error) {
	get := func(name string) string { return strings.TrimSpace(row[col[name]]) }
	e := Extra{Name: get("gemeindename"), TravelRegionCode: get("schluessel"), TravelRegionName: get("bezeichnung")}
	parts := [...]struct {
		name string
		len  int
	}{{"land", 2}, {"rb", 1}, {"kreis", 2}, {"gemeinde", 3}}
	for _, p := range parts {
		v := get(p.name)
		if len(v) != p.len || !isDigits(v) {
			return e, errorf(line, codeAGS, "AGS", "AGS part %s %q is not %d digits", p.name, v, p.len)
		}
		e.AGS += v
	}
	lon, lat := get("laengengrad"), get("breitengrad")
	if (lon == "") != (lat == "") {
		return e, errorf(line, codeNumber, "Lat", "only one of laengengrad %q and breitengrad %q is given", lon, lat)
	}
	if lon != "" {
		var err error
		if e.Lon, err = coordinate(line, "Lon", lon, 180); err != nil {
			return e, err
		}
		if e.Lat, err = coordinate(line, "Lat", lat, 90); err != nil {
			return e, err
		}
		e.HasCoordinates = e.Lat != 0 || e.Lon != 0
	}
	if u := get("verstaedterungschluessel"); u != "" {
		v, ok := parseDigits([]byte(u))
		if !ok || v < 1 || v > 3 {
			return e, errorf(line, codeTypeCode, "Urbanisation", "degree of urbanisation %q is not 01, 02 or 03", u)
		}
		e.Urbanisation = int(v)
	}
	return e, nil
}

// coordinate parses a decimal degree such as "9,43751" (decimal comma or
// point, optional minus sign) and checks that |value| <= limit.
func coordinate(line int, field, s string, limit float64) (float64, error) {
	t := strings.Replace(s, ",", ".", 1)
	intPart, frac, point := strings.Cut(strings.TrimPrefix(t, "-"), ".")
	if !isDigits(intPart) || (point && !isDigits(frac)) {
		return 0, errorf(line, codeNumber, field, "%s %q is not a decimal number", field, s)
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < -limit || v > limit {
		return 0, errorf(line, codeNumber, field, "%s %q is out of range ±%g", field, s, limit)
	}
	return v, nil
}

// csvError converts an error from encoding/csv into a *ParseError; other
// errors (from the underlying reader) are wrapped as they are.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errorf(pe.Line, codeCSV, "", "%v", pe.Err)
	}
	return fmt.Errorf("gv100ad: read extract: %w", err)
}
