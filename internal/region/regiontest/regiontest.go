// Package regiontest gives tests a database with the real municipality
// register imported, and the raw register lines to derive variants from.
package regiontest

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// Service returns a region service on db that logs nowhere.
func Service(db *store.DB) *region.Service {
	return region.NewService(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// Imported returns a shared read-only database of dialect d with the real
// register imported. The calling package's TestMain must call storetest.Main.
func Imported(tb testing.TB, d store.Dialect) *store.DB {
	tb.Helper()
	return storetest.Shared(tb, d, "register", func(db *store.DB) error {
		_, _, err := Service(db).EnsureRegister(context.Background())
		return err
	})
}

// Lines returns the records of the real register file (BOM removed).
func Lines(tb testing.TB) []string {
	tb.Helper()
	raw, err := data.Register.ReadFile(data.RegisterFile)
	if err != nil {
		tb.Fatal(err)
	}
	s := strings.TrimPrefix(string(raw), "\uFEFF")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// Join makes a register file from lines.
func Join(lines []string) string { return strings.Join(lines, "\n") + "\n" }

// Set replaces the 1-based, inclusive character columns from..to of line
// with val, padded or cut to the field's width.
func Set(line string, from, to int, val string) string {
	r := []rune(line)
	w := to - from + 1
	v := []rune(val)
	for len(v) < w {
		v = append(v, ' ')
	}
	copy(r[from-1:to], v[:w])
	return string(r)
}

// Cols returns the 1-based, inclusive character columns from..to of line.
func Cols(line string, from, to int) string {
	return string([]rune(line)[from-1 : to])
}

// ImportDistricts imports the real register's records of the given
// districts (5-digit keys) with their states and government regions only:
// a small, fast register for tests that write to their own database.
func ImportDistricts(tb testing.TB, db *store.DB, keys ...string) {
	tb.Helper()
	var out []string
	for _, l := range Lines(tb) {
		typ, key := Cols(l, 1, 2), strings.TrimSpace(Cols(l, 11, 15))
		keep := typ == "10" || typ == "20" // states and government regions
		for _, k := range keys {
			keep = keep || strings.HasPrefix(key, k) && (typ == "40" || typ == "50" || typ == "60")
		}
		if keep {
			out = append(out, l)
		}
	}
	if _, err := Service(db).ImportRegister(context.Background(), strings.NewReader(Join(out)), "test"); err != nil {
		tb.Fatal(err)
	}
}
