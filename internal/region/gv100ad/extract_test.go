package gv100ad_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/region/gv100ad"
)

// extractLines returns the real extract's lines without BOM (no record
// spans two lines in this file).
func extractLines(tb testing.TB) []string {
	tb.Helper()
	s := strings.TrimPrefix(string(realFile(tb, data.ExtractFile)), bom)
	return strings.Split(s, "\n")
}

func TestParseExtractReal(t *testing.T) {
	ex := parseRealExtract(t)

	// Independent count with encoding/csv alone.
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(realFile(t, data.ExtractFile)), bom))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	raw60 := 0
	for _, r := range rows {
		if r[0] == "60" {
			raw60++
		}
	}
	if len(ex) != raw60 || len(ex) != 11004 {
		t.Errorf("Satzart-60 rows: ParseExtract %d, csv %d, README 11004", len(ex), raw60)
	}
	coords, withTravel, travel := 0, 0, map[string]bool{}
	urban := map[int]int{}
	for ags, e := range ex {
		if e.AGS != ags {
			t.Errorf("key %s holds AGS %s", ags, e.AGS)
		}
		if e.HasCoordinates {
			coords++
			if e.Lat < 47 || e.Lat > 55.1 || e.Lon < 5.8 || e.Lon > 15.1 {
				t.Errorf("%s %s: coordinates %v,%v outside Germany", e.AGS, e.Name, e.Lat, e.Lon)
			}
		}
		urban[e.Urbanisation]++
		if e.TravelRegionCode != "" {
			withTravel++
			travel[e.TravelRegionCode] = true
		}
	}
	// README: filled for 11,002, of which 07000999 is 0/0.
	if coords != 11001 {
		t.Errorf("with coordinates: %d, want 11001", coords)
	}
	if want := map[int]int{1: 220, 2: 2691, 3: 8093}; !mapsEqual(urban, want) {
		t.Errorf("urbanisation classes %v, want %v", urban, want)
	}
	// README: Reisegebiet filled for 11,001; its "144 distinct codes" count the blank one.
	if len(travel) != 143 || withTravel != 11001 {
		t.Errorf("travel regions: %d distinct, %d filled, want 143 and 11001", len(travel), withTravel)
	}

	tests := []struct {
		ags  string
		want gv100ad.Extra
	}{
		{"01001000", gv100ad.Extra{AGS: "01001000", Name: "Flensburg, Stadt", Lat: 54.78252, Lon: 9.43751, HasCoordinates: true,
			Urbanisation: 1, TravelRegionCode: "F02", TravelRegionName: "Ostsee"}},
		{"07000999", gv100ad.Extra{AGS: "07000999", Name: "Gemeinsames deutsch-luxemburgisches Hoheitsgebiet", Urbanisation: 3}},
		{"10042999", gv100ad.Extra{AGS: "10042999", Name: "Deutsch-luxemburgisches Hoheitsgebiet", Urbanisation: 3}},
		{"16077043", gv100ad.Extra{AGS: "16077043", Name: "Schmölln, Stadt", Lat: 50.895281, Lon: 12.354035, HasCoordinates: true,
			Urbanisation: 2, TravelRegionCode: "E27", TravelRegionName: "Thüringer Vogtland"}},
	}
	for _, tc := range tests {
		if got := ex[tc.ags]; got != tc.want {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tc.ags, got, tc.want)
		}
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestParseExtractErrors breaks the real extract in one place each. Line
// index i of extractLines is file line i+1; index 4 is Flensburg (Satzart 60).
func TestParseExtractErrors(t *testing.T) {
	lines := extractLines(t)
	const flensburg = 4
	edit := func(i int, old, repl string) string {
		l := slices.Clone(lines)
		if !strings.Contains(l[i], old) {
			t.Fatalf("line %d has no %q", i+1, old)
		}
		l[i] = strings.Replace(l[i], old, repl, 1)
		return bom + strings.Join(l, "\n")
	}
	tests := []struct {
		name, input string
		line        int
		code, field string
	}{
		{"empty input", "", 0, "empty", ""},
		{"only a BOM", bom, 0, "empty", ""},
		{"only the header", bom + lines[0] + "\n", 0, "empty", ""},
		{"no Satzart-60 rows", bom + strings.Join(lines[:4], "\n"), 0, "empty", ""},
		{"missing column", edit(0, "breitengrad", "breite"), 1, "header", "breitengrad"},
		{"field missing", edit(flensburg, ",dicht besiedelt", ""), 5, "csv", ""},
		{"broken quote", edit(flensburg, `"Flensburg, Stadt"`, `"Flensburg, Stadt`), 5, "csv", ""},
		{"letters in coordinate", edit(flensburg, `"9,43751"`, `"9,4x751"`), 5, "number", "Lon"},
		{"NaN coordinate", edit(flensburg, `"54,78252"`, `NaN`), 5, "number", "Lat"},
		{"latitude out of range", edit(flensburg, `"54,78252"`, `"94,78252"`), 5, "number", "Lat"},
		{"one coordinate blank", edit(flensburg, `"54,78252"`, ``), 5, "number", "Lat"},
		{"urbanisation 04", edit(flensburg, ",01,dicht", ",04,dicht"), 5, "type_code", "Urbanisation"},
		{"letters in AGS", edit(flensburg, ",0000,000,", ",0000,00x,"), 5, "ags", "AGS"},
		{"short Kreis", edit(flensburg, "60,61,01,0,01,", "60,61,01,0,1,"), 5, "ags", "AGS"},
		{"unknown Satzart", edit(flensburg, "60,61,", "70,61,"), 5, "record_type", "Satzart"},
		{"invalid UTF-8", edit(10, "ü", "\xfc"), 11, "encoding", "gemeindename"},
		{"duplicate AGS", bom + strings.Join(slices.Insert(slices.Clone(lines), 5, lines[flensburg]), "\n"), 6, "duplicate", "AGS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := gv100ad.ParseExtract(strings.NewReader(tc.input))
			if ex != nil {
				t.Errorf("ParseExtract returned data with an error")
			}
			pe := wantParseError(t, err, tc.line, tc.code)
			if pe.Field != tc.field {
				t.Errorf("Field = %q, want %q", pe.Field, tc.field)
			}
		})
	}
}

// TestParseExtractVariants checks inputs that must parse like the real file.
func TestParseExtractVariants(t *testing.T) {
	lines := extractLines(t)
	tests := []struct{ name, input string }{
		{"no BOM", strings.Join(lines, "\n")},
		{"trailing newline", bom + strings.Join(lines, "\n") + "\n"},
		{"CRLF", bom + strings.Join(lines, "\r\n") + "\r\n"},
	}
	want := parseRealExtract(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gv100ad.ParseExtract(strings.NewReader(tc.input))
			if err != nil {
				t.Fatal(err)
			}
			if !mapsEqual(got, want) {
				t.Errorf("variant differs from the real file's result")
			}
		})
	}
}
