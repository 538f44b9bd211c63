package gv100ad_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/region/gv100ad"
)

var knownCodes = map[string]bool{"encoding": true, "record_length": true, "record_type": true, "date": true,
	"ags": true, "number": true, "type_code": true, "empty": true, "duplicate": true}

// fuzzSeeds are small real inputs and broken variants of them.
func fuzzSeeds(tb testing.TB) []string {
	lines := registerLines(tb)
	var cottbus []string // Land Brandenburg, Kreis Cottbus, its Verband and Gemeinde
	for _, l := range lines {
		if strings.HasPrefix(l, "102025083112") || strings.Contains(cols(l, 11, 15), "12052") {
			cottbus = append(cottbus, l)
		}
	}
	sh := strings.Join(lines[:4], "\n") // Land, Kreis, Verband, Gemeinde Flensburg
	return []string{
		bom + sh + "\n",
		strings.Join(cottbus, "\n"),
		strings.Join(lines[:4], "\r\n") + "\r\n",
		bom + sh[:len(sh)-30],
		bom + strings.Join(lines[:4], "\n\n"),
		strings.Replace(sh, "Flensburg", "Fl\xe9nsburg", 1),
		strings.Replace(sh, "\n60", "\n70", 1),
		bom,
		"",
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		reg, err := gv100ad.Parse(bytes.NewReader(in))
		if err != nil {
			var pe *gv100ad.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if !knownCodes[pe.Code] || pe.Line < 0 || pe.Line > bytes.Count(in, []byte("\n"))+1 || pe.Error() == "" {
				t.Fatalf("bad ParseError %+v", pe)
			}
			if reg != nil {
				t.Fatal("register returned with an error")
			}
			return
		}
		if len(reg.Municipalities) == 0 || reg.Date.IsZero() {
			t.Fatalf("register without municipalities or date")
		}
		for _, m := range reg.Municipalities {
			if len(m.AGS) != 8 || strings.Trim(m.AGS, "0123456789") != "" || m.DistrictKey() != m.AGS[:5] ||
				m.Type < 60 || m.Type > 67 || m.PopulationMale > m.Population || m.AreaHa < 0 {
				t.Fatalf("invalid municipality %+v", m)
			}
		}
	})
}

func FuzzExtract(f *testing.F) {
	lines := extractLines(f)
	f.Add([]byte(bom + strings.Join(lines[:6], "\n")))
	f.Add([]byte(strings.Join(lines[:6], "\r\n")))
	f.Add([]byte(lines[0] + "\n" + lines[4] + "\n" + lines[4]))
	f.Add([]byte(bom))
	f.Fuzz(func(t *testing.T, in []byte) {
		ex, err := gv100ad.ParseExtract(bytes.NewReader(in))
		if err != nil {
			var pe *gv100ad.ParseError
			if !errors.As(err, &pe) || ex != nil {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			return
		}
		for ags, e := range ex {
			if ags != e.AGS || len(ags) != 8 || e.Urbanisation < 0 || e.Urbanisation > 3 ||
				(e.HasCoordinates && (e.Lat < -90 || e.Lat > 90 || e.Lon < -180 || e.Lon > 180)) {
				t.Fatalf("invalid entry %+v", e)
			}
		}
	})
}

// TestFuzzSeeds checks that the seeds cover both outcomes: the first three
// parse, the others are refused.
func TestFuzzSeeds(t *testing.T) {
	for i, s := range fuzzSeeds(t) {
		reg, err := gv100ad.Parse(strings.NewReader(s))
		if (err == nil) != (i < 3) {
			t.Errorf("seed %d: err = %v", i, err)
		}
		if i == 1 && (err != nil || reg.Municipalities[0].Name != "Cottbus/Chóśebuz, Stadt") {
			t.Errorf("Cottbus seed: %v", err)
		}
	}
}
