package gv100ad_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/region/gv100ad"
)

const bom = "\uFEFF"

// realFile returns an embedded file of the data package.
func realFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := data.Register.ReadFile(name)
	if err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	return b
}

// registerLines returns the real register's records, without BOM and line
// endings.
func registerLines(tb testing.TB) []string {
	tb.Helper()
	s := strings.TrimPrefix(string(realFile(tb, data.RegisterFile)), bom)
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// parseReal parses the real register and fails the test on error.
func parseReal(tb testing.TB) *gv100ad.Register {
	tb.Helper()
	reg, err := gv100ad.Parse(strings.NewReader(string(realFile(tb, data.RegisterFile))))
	if err != nil {
		tb.Fatalf("Parse(real register): %v", err)
	}
	return reg
}

// parseRealExtract parses the real CSV extract and fails the test on error.
func parseRealExtract(tb testing.TB) map[string]gv100ad.Extra {
	tb.Helper()
	ex, err := gv100ad.ParseExtract(strings.NewReader(string(realFile(tb, data.ExtractFile))))
	if err != nil {
		tb.Fatalf("ParseExtract(real extract): %v", err)
	}
	return ex
}

// cols returns columns from..to (1-based, inclusive) of a record, by runes.
func cols(line string, from, to int) string {
	return string([]rune(line)[from-1 : to])
}

// setCols replaces columns from..to (1-based, inclusive) of a record, by
// runes, with val, which must have the same number of characters.
func setCols(line string, from, to int, val string) string {
	r := []rune(line)
	return string(r[:from-1]) + val + string(r[to:])
}

// wantParseError checks that err is a *gv100ad.ParseError with the given
// line and code, and returns it.
func wantParseError(t *testing.T, err error, line int, code string) *gv100ad.ParseError {
	t.Helper()
	var pe *gv100ad.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want *ParseError line %d code %q", err, err, line, code)
	}
	if pe.Line != line || pe.Code != code {
		t.Fatalf("error = line %d code %q (%v), want line %d code %q", pe.Line, pe.Code, pe, line, code)
	}
	return pe
}
