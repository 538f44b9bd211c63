package gv100ad_test

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/region/gv100ad"
)

// rawTotals is computed from the raw lines by plain rune slicing,
// independently of Parse.
type rawTotals struct {
	perType                            map[string]int // records per Satzart
	political                          int
	population, male, area             int64
	populationByLand                   map[string]int64
	politicalByLand, municipalityTypes map[string]int
}

func computeRaw(t *testing.T, lines []string) rawTotals {
	t.Helper()
	rt := rawTotals{perType: map[string]int{}, populationByLand: map[string]int64{},
		politicalByLand: map[string]int{}, municipalityTypes: map[string]int{}}
	num := func(line string, from, to int) int64 {
		v, err := strconv.ParseInt(cols(line, from, to), 10, 64)
		if err != nil {
			t.Fatalf("raw number in %q: %v", line, err)
		}
		return v
	}
	for _, l := range lines {
		kind := cols(l, 1, 2)
		rt.perType[kind]++
		if kind != "60" {
			continue
		}
		land, tk := cols(l, 11, 12), cols(l, 123, 124)
		rt.municipalityTypes[tk]++
		if tk != "65" && tk != "66" {
			rt.political++
			rt.politicalByLand[land]++
		}
		pop := num(l, 140, 150)
		rt.population += pop
		rt.populationByLand[land] += pop
		rt.male += num(l, 151, 161)
		rt.area += num(l, 129, 139)
	}
	return rt
}

func TestParseRealTotals(t *testing.T) {
	lines := registerLines(t)
	raw := computeRaw(t, lines)
	reg := parseReal(t)

	if want := time.Date(2025, 8, 31, 0, 0, 0, 0, time.UTC); !reg.Date.Equal(want) || reg.Date.Location() != time.UTC {
		t.Errorf("Date = %v, want %v", reg.Date, want)
	}
	got := rawTotals{perType: map[string]int{}, populationByLand: map[string]int64{},
		politicalByLand: map[string]int{}, municipalityTypes: map[string]int{}}
	for _, m := range reg.Municipalities {
		got.population += m.Population
		got.populationByLand[m.StateKey()] += m.Population
		got.male += m.PopulationMale
		got.area += m.AreaHa
		got.municipalityTypes[strconv.Itoa(m.Type)]++
		if m.Political() {
			got.political++
			got.politicalByLand[m.StateKey()]++
		}
	}
	tests := []struct {
		name          string
		got, raw, doc int64 // doc: the README's published figure
	}{
		{"lines", int64(len(lines)), int64(len(lines)), 15999},
		{"states", int64(len(reg.States)), int64(raw.perType["10"]), 16},
		{"districts", int64(len(reg.Districts)), int64(raw.perType["40"]), 400},
		{"associations", int64(len(reg.Associations)), int64(raw.perType["50"]), 4590},
		{"municipalities", int64(len(reg.Municipalities)), int64(raw.perType["60"]), 10952},
		{"political", int64(got.political), int64(raw.political), 10751},
		{"population", got.population, raw.population, 83577140},
		{"male", got.male, raw.male, 41241701},
		{"area ha", got.area, raw.area, 35768388},
		{"Regierungsbezirke (not kept)", int64(raw.perType["20"]), int64(raw.perType["20"]), 29},
		{"Regionen (not kept)", int64(raw.perType["30"]), int64(raw.perType["30"]), 12},
	}
	for _, tc := range tests {
		if tc.got != tc.raw || tc.got != tc.doc {
			t.Errorf("%s: Parse %d, raw lines %d, README %d", tc.name, tc.got, tc.raw, tc.doc)
		}
	}
	if len(raw.perType) != 6 {
		t.Errorf("Satzarten in raw file: %v", raw.perType)
	}
	docTypes := map[string]int{"60": 386, "61": 97, "62": 9, "63": 1829, "64": 8305, "65": 2, "66": 199, "67": 125}
	docPolitical := map[string]int{"01": 1104, "02": 1, "03": 939, "04": 2, "05": 396, "06": 421, "07": 2300, "08": 1101,
		"09": 2056, "10": 52, "11": 1, "12": 413, "13": 724, "14": 418, "15": 218, "16": 605}
	docPopulation := map[string]int64{"01": 2959517, "02": 1862565, "03": 8004489, "04": 704881, "05": 18034454,
		"06": 6280793, "07": 4129569, "08": 11245898, "09": 13248928, "10": 1012141, "11": 3685265,
		"12": 2556747, "13": 1573597, "14": 4042422, "15": 2135597, "16": 2100277}
	for k, want := range docTypes {
		if got.municipalityTypes[k] != want || raw.municipalityTypes[k] != want {
			t.Errorf("Textkennzeichen %s: Parse %d, raw %d, README %d", k, got.municipalityTypes[k], raw.municipalityTypes[k], want)
		}
	}
	for k, want := range docPolitical {
		if got.politicalByLand[k] != want || raw.politicalByLand[k] != want {
			t.Errorf("political in Land %s: Parse %d, raw %d, README %d", k, got.politicalByLand[k], raw.politicalByLand[k], want)
		}
	}
	for k, want := range docPopulation {
		if got.populationByLand[k] != want || raw.populationByLand[k] != want {
			t.Errorf("population of Land %s: Parse %d, raw %d, README %d", k, got.populationByLand[k], raw.populationByLand[k], want)
		}
	}
}

func TestParseRealRecords(t *testing.T) {
	reg := parseReal(t)
	byAGS := map[string]gv100ad.Municipality{}
	for _, m := range reg.Municipalities {
		byAGS[m.AGS] = m
	}
	tests := []struct {
		name string
		got  gv100ad.Municipality
		want gv100ad.Municipality
	}{
		{"Berlin", byAGS["11000000"], gv100ad.Municipality{AGS: "11000000", AssociationCode: "0000", Name: "Berlin, Stadt",
			Type: 61, AreaHa: 89112, Population: 3685265, PopulationMale: 1810259, Postcode: "10178", MultiplePostcodes: true}},
		{"Averlak", byAGS["01051003"], gv100ad.Municipality{AGS: "01051003", AssociationCode: "5163", Name: "Averlak",
			Type: 64, AreaHa: 906, Population: 608, PopulationMale: 312, Postcode: "25715"}},
		{"Cottbus", byAGS["12052000"], gv100ad.Municipality{AGS: "12052000", AssociationCode: "0000", Name: "Cottbus/Chóśebuz, Stadt",
			Type: 61, AreaHa: 16561, Population: 95123, PopulationMale: 46134, Postcode: "03046", MultiplePostcodes: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.got
			got.Line = 0
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if g := byAGS["01054039"]; g.Name != "Gröde" || g.Population != 7 || !g.Political() {
		t.Errorf("Gröde = %+v, want 7 inhabitants", g)
	}
	// The smallest political municipality is Gröde; none has 0 inhabitants.
	for _, m := range reg.Municipalities {
		if m.Political() && m.Population < 7 {
			t.Errorf("political municipality %s %s has %d inhabitants", m.AGS, m.Name, m.Population)
		}
	}
	if m := byAGS["01051003"]; m.StateKey() != "01" || m.DistrictKey() != "01051" || m.Line != 25 {
		t.Errorf("Averlak keys %s %s line %d", m.StateKey(), m.DistrictKey(), m.Line)
	}
	if s := reg.States[0]; s != (gv100ad.State{Key: "01", Name: "Schleswig-Holstein", Seat: "Kiel", Line: 1}) {
		t.Errorf("States[0] = %+v", s)
	}
	assertDistrict(t, reg, gv100ad.District{Key: "01051", Name: "Dithmarschen", Seat: "Heide", Type: 43})
	assertDistrict(t, reg, gv100ad.District{Key: "12052", Name: "Cottbus, Stadt", Seat: "Cottbus", Type: 41})
	assertAssociation(t, reg, gv100ad.Association{DistrictKey: "01051", Code: "5163", Name: "Burg-St. Michaelisdonn", Seat: "Burg (Dithm.)", Type: 51})
	assertAssociation(t, reg, gv100ad.Association{DistrictKey: "12052", Code: "0000", Name: "Cottbus/Chóśebuz, Stadt", Type: 50})
}

func assertDistrict(t *testing.T, reg *gv100ad.Register, want gv100ad.District) {
	t.Helper()
	for _, d := range reg.Districts {
		if d.Key == want.Key {
			d.Line = 0
			if d != want {
				t.Errorf("district %s = %+v, want %+v", want.Key, d, want)
			}
			return
		}
	}
	t.Errorf("district %s not found", want.Key)
}

func assertAssociation(t *testing.T, reg *gv100ad.Register, want gv100ad.Association) {
	t.Helper()
	for _, a := range reg.Associations {
		if a.DistrictKey == want.DistrictKey && a.Code == want.Code {
			a.Line = 0
			if a != want {
				t.Errorf("association %s/%s = %+v, want %+v", want.DistrictKey, want.Code, a, want)
			}
			return
		}
	}
	t.Errorf("association %s/%s not found", want.DistrictKey, want.Code)
}

// TestParseLineEndings checks variants of the real file that must parse to
// the same register.
func TestParseLineEndings(t *testing.T) {
	lines := registerLines(t)
	want := parseReal(t)
	tests := []struct{ name, input string }{
		{"no BOM", strings.Join(lines, "\n") + "\n"},
		{"no trailing newline", bom + strings.Join(lines, "\n")},
		{"CRLF", bom + strings.Join(lines, "\r\n") + "\r\n"},
		{"CRLF without trailing newline", bom + strings.Join(lines, "\r\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gv100ad.Parse(strings.NewReader(tc.input))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Municipalities) != len(want.Municipalities) || len(got.Associations) != len(want.Associations) ||
				got.Municipalities[len(got.Municipalities)-1] != want.Municipalities[len(want.Municipalities)-1] {
				t.Errorf("variant differs from the real file's result")
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	raw := realFile(b, data.RegisterFile)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gv100ad.Parse(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseReaders checks reading through a slow reader and that read
// errors are passed on, not reported as a ParseError.
func TestParseReaders(t *testing.T) {
	raw := realFile(t, data.RegisterFile)
	reg, err := gv100ad.Parse(iotest.OneByteReader(bytes.NewReader(raw)))
	if err != nil || len(reg.Municipalities) != 10952 {
		t.Fatalf("one-byte reads: %v", err)
	}
	boom := errors.New("boom")
	tests := []struct {
		file  string
		parse func(io.Reader) (any, error)
	}{
		{data.RegisterFile, func(r io.Reader) (any, error) { return gv100ad.Parse(r) }},
		{data.ExtractFile, func(r io.Reader) (any, error) { return gv100ad.ParseExtract(r) }},
	}
	for _, tc := range tests {
		head := realFile(t, tc.file)[:5000]
		_, err := tc.parse(io.MultiReader(bytes.NewReader(head), iotest.ErrReader(boom)))
		var pe *gv100ad.ParseError
		if !errors.Is(err, boom) || errors.As(err, &pe) {
			t.Errorf("read error: got %v", err)
		}
	}
}
