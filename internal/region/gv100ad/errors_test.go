package gv100ad_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/region/gv100ad"
)

// TestParseErrors breaks the real file in one place each and checks the
// reported line (1-based) and code. Line index i of registerLines is line i+1.
func TestParseErrors(t *testing.T) {
	lines := registerLines(t)
	full := bom + strings.Join(lines, "\n") + "\n"
	// edit returns the real file with line i (0-based) replaced by f(line).
	edit := func(i int, f func(string) string) string {
		l := slices.Clone(lines)
		l[i] = f(l[i])
		return bom + strings.Join(l, "\n") + "\n"
	}
	set := func(i, from, to int, val string) string {
		return edit(i, func(s string) string { return setCols(s, from, to, val) })
	}
	const flensburg = 3 // index of the Satzart-60 record 01001000 (line 4)
	tests := []struct {
		name, input string
		line        int
		code, field string
	}{
		{"truncated last line", full[:len(full)-60], 15999, "record_length", ""},
		{"short line in the middle", edit(16, func(s string) string { return cols(s, 1, 137) }), 17, "record_length", ""},
		{"long line", edit(16, func(s string) string { return s + " " }), 17, "record_length", ""},
		{"line longer than the read buffer", edit(16, func(s string) string { return s + strings.Repeat("ä", 100000) }), 17, "record_length", ""},
		{"long garbage then more lines", "\n" + strings.Repeat("x", 200000) + "\n" + full, 1, "record_length", ""},
		{"blank line", bom + strings.Join(slices.Insert(slices.Clone(lines), 100, ""), "\n"), 101, "record_length", ""},
		{"blank line at the end", full + "\n", 16000, "record_length", ""},
		{"unknown Satzart 70", set(4, 1, 2, "70"), 5, "record_type", "Satzart"},
		{"letters in AGS", set(flensburg, 16, 18, "0A1"), 4, "ags", "AGS"},
		{"blank Gemeinde part", set(flensburg, 16, 18, "   "), 4, "ags", "AGS"},
		{"Land record with Kreis digits", set(0, 13, 15, "012"), 1, "ags", "Key"},
		{"letters in Verband code", set(flensburg, 19, 22, "00O0"), 4, "ags", "AssociationCode"},
		{"Kreis before its Land", bom + strings.Join(lines[1:], "\n"), 1, "ags", "Key"},
		{"Verband without its Kreis", bom + strings.Join(slices.Delete(slices.Clone(lines), 1, 2), "\n"), 2, "ags", "Key"},
		{"Gemeinde without its Kreis", bom + strings.Join(slices.Delete(slices.Clone(lines), 1, 3), "\n"), 2, "ags", "AGS"},
		{"Gemeinde without its Verband", bom + strings.Join(slices.Delete(slices.Clone(lines), 2, 3), "\n"), 3, "ags", "AGS"},
		{"non-numeric population", set(flensburg, 140, 150, "00000X96326"), 4, "number", "Population"},
		{"blank population", set(flensburg, 140, 150, strings.Repeat(" ", 11)), 4, "number", "Population"},
		{"blank area", set(flensburg, 129, 139, strings.Repeat(" ", 11)), 4, "number", "AreaHa"},
		{"signed area", set(flensburg, 129, 139, "+0000005673"), 4, "number", "AreaHa"},
		{"non-numeric male", set(flensburg, 151, 161, "0000004765-"), 4, "number", "PopulationMale"},
		{"more men than inhabitants", set(flensburg, 151, 161, "00000096327"), 4, "number", "PopulationMale"},
		{"bad postcode", set(flensburg, 166, 170, "2493x"), 4, "number", "Postcode"},
		{"inconsistent Gebietsstand", set(199, 3, 10, "20250830"), 200, "date", "Date"},
		{"impossible first date", set(0, 3, 10, "20250231"), 1, "date", "Date"},
		{"blank first date", set(0, 3, 10, "        "), 1, "date", "Date"},
		{"Textkennzeichen 68 for a Gemeinde", set(flensburg, 123, 124, "68"), 4, "type_code", "Type"},
		{"Textkennzeichen 50 for a Kreis", set(1, 123, 124, "50"), 2, "type_code", "Type"},
		{"Textkennzeichen for a Land", set(0, 123, 124, "10"), 1, "type_code", "Type"},
		{"empty input", "", 0, "empty", ""},
		{"only a BOM", bom, 0, "empty", ""},
		{"no Gemeinde records", bom + strings.Join(lines[:3], "\n") + "\n", 0, "empty", ""},
		{"invalid UTF-8 (Latin-1 ü)", edit(7, func(s string) string { return strings.Replace(s, "ü", "\xfc", 1) }), 8, "encoding", ""},
		{"invalid UTF-8 byte", set(flensburg, 60, 60, "\xff"), 4, "encoding", ""},
		{"duplicate AGS", bom + strings.Join(slices.Insert(slices.Clone(lines), 4, lines[flensburg]), "\n"), 5, "duplicate", "AGS"},
		{"duplicate Kreis", bom + strings.Join(slices.Insert(slices.Clone(lines), 4, lines[1]), "\n"), 5, "duplicate", "Key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg, err := gv100ad.Parse(strings.NewReader(tc.input))
			if reg != nil {
				t.Errorf("Parse returned a register with an error")
			}
			pe := wantParseError(t, err, tc.line, tc.code)
			if pe.Field != tc.field {
				t.Errorf("Field = %q, want %q", pe.Field, tc.field)
			}
			if pe.Detail == "" || (tc.line > 0 && !strings.HasPrefix(pe.Error(), "line ")) {
				t.Errorf("Error() = %q", pe.Error())
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	lines := registerLines(t)
	lines[16] = cols(lines[16], 1, 137)
	_, err := gv100ad.Parse(strings.NewReader(strings.Join(lines, "\n")))
	if want := "line 17: record length 137, expected 220"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	_, err = gv100ad.Parse(strings.NewReader(""))
	if err == nil || strings.HasPrefix(err.Error(), "line") {
		t.Errorf("empty input: error = %v", err)
	}
}
