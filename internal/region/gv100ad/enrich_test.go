package gv100ad_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/smartregions/smartregions/internal/region/gv100ad"
)

// The README's 8 AGS of 2025 without a match in the extract, and the
// predecessors Enrich finds for them by name in the same Land (computed on
// the real files, then pinned here).
var (
	readmeUnmatched = []string{"03153019", "07132502", "07232503", "14522275", "16061119", "16063105", "16065089", "16076094"}
	predecessors    = map[string]string{
		"03153019": "name:03153007", // Langelsheim, Stadt
		"07132502": "name:07132074", // Neitersen
		"07232503": "name:07232096", // Obergeckler
		"16061119": "name:16061097", // Uder
		"16063105": "name:16056000", // Eisenach, Stadt (kreisfrei until 2021)
		"16065089": "name:16065023", // Greußen, Stadt
	}
	// Jahnatal and Berga-Wünschendorf are new names: no predecessor.
	stillMissing = []string{"14522275", "16076094"}
)

func TestEnrichReal(t *testing.T) {
	reg := parseReal(t)
	before := slices.Clone(reg.Municipalities)
	ex := parseRealExtract(t)
	st := reg.Enrich(ex)

	inExtract := 0
	var unmatched []string
	for _, m := range before {
		if _, ok := ex[m.AGS]; ok {
			inExtract++
		} else {
			unmatched = append(unmatched, m.AGS)
		}
	}
	if !slices.Equal(unmatched, readmeUnmatched) {
		t.Errorf("AGS without extract match %v, README %v", unmatched, readmeUnmatched)
	}
	if st.ByAGS != inExtract || st.ByAGS != 10944 {
		t.Errorf("ByAGS = %d, AGS present in extract %d, README 10944", st.ByAGS, inExtract)
	}
	if st.ByName != len(predecessors) || st.Missing != len(stillMissing) || !slices.Equal(st.MissingAGS, stillMissing) {
		t.Errorf("stats = %+v, want ByName %d, missing %v", st, len(predecessors), stillMissing)
	}

	gotPred := map[string]string{}
	for i, m := range reg.Municipalities {
		// Enrich must not touch the register's own data.
		b := before[i]
		if m.AGS != b.AGS || m.Name != b.Name || m.Population != b.Population || m.PopulationMale != b.PopulationMale ||
			m.AreaHa != b.AreaHa || m.Postcode != b.Postcode || m.Type != b.Type || m.Line != b.Line {
			t.Fatalf("Enrich changed register data of %s: %+v -> %+v", m.AGS, b, m)
		}
		switch {
		case m.ExtraSource == "ags":
			e := ex[m.AGS]
			if m.Lat != e.Lat || m.Lon != e.Lon || m.HasCoordinates != e.HasCoordinates || m.Urbanisation != e.Urbanisation {
				t.Errorf("%s: enrichment differs from extract", m.AGS)
			}
		case m.ExtraSource != "":
			gotPred[m.AGS] = m.ExtraSource
		}
		missing := slices.Contains(stillMissing, m.AGS)
		if m.Political() && !missing && (!m.HasCoordinates || m.Urbanisation == 0) {
			t.Errorf("political %s %s has no coordinates or urbanisation (%s)", m.AGS, m.Name, m.ExtraSource)
		}
		if missing && (m.ExtraSource != "" || m.HasCoordinates || m.Urbanisation != 0) {
			t.Errorf("%s should stay unenriched: %+v", m.AGS, m)
		}
	}
	if !maps.Equal(gotPred, predecessors) {
		t.Errorf("predecessor matches %v, want %v", gotPred, predecessors)
	}

	// A second call gives the same result.
	if st2 := reg.Enrich(ex); st2.ByAGS != st.ByAGS || st2.ByName != st.ByName || !slices.Equal(st2.MissingAGS, st.MissingAGS) {
		t.Errorf("second Enrich: %+v, first %+v", st2, st)
	}
}

// TestEnrichAmbiguousPredecessor adds a second gone "Eisenach" to the real
// extract: with two candidates, Eisenach must not be matched by name.
func TestEnrichAmbiguousPredecessor(t *testing.T) {
	reg := parseReal(t)
	ex := maps.Clone(parseRealExtract(t))
	ex["16063999"] = gv100ad.Extra{AGS: "16063999", Name: "EISENACH", Lat: 51, Lon: 10, HasCoordinates: true, Urbanisation: 2}
	st := reg.Enrich(ex)
	if !slices.Contains(st.MissingAGS, "16063105") || st.ByName != len(predecessors)-1 {
		t.Errorf("stats = %+v, want Eisenach 16063105 missing", st)
	}
	// A candidate in another Land is ignored.
	ex = maps.Clone(parseRealExtract(t))
	ex["15001999"] = gv100ad.Extra{AGS: "15001999", Name: "Eisenach", Urbanisation: 2}
	if st := reg.Enrich(ex); slices.Contains(st.MissingAGS, "16063105") {
		t.Errorf("candidate from another Land blocked the match: %+v", st)
	}
	// Without extract, everything is missing and earlier values are cleared.
	if st := reg.Enrich(nil); st.Missing != len(reg.Municipalities) || reg.Municipalities[0].HasCoordinates {
		t.Errorf("Enrich(nil) = %+v", st)
	}
}
