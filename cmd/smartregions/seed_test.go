package main

import (
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestSeed seeds a small synthetic catalogue into a fresh database (the
// register and the fields of action come first), reports time and size,
// and refuses a second run and bad arguments.
func TestSeed(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			out, _, err := runCmd(t, "seed", "--solutions", "60", "--seed", "5", "--db", dsn)
			if err != nil || !strings.Contains(out, "seeded 60 synthetic solutions with ") ||
				!strings.Contains(out, "database size ") || !strings.Contains(out, "(seed 5)") {
				t.Fatalf("seed: %v\n%s", err, out)
			}
			_, _, err = runCmd(t, "seed", "--solutions", "5", "--db", dsn)
			if err == nil || !strings.Contains(err.Error(), "already holds a synthetic catalogue (60 solutions)") {
				t.Errorf("second seed: %v", err)
			}
			for _, args := range [][]string{{"seed"}, {"seed", "--solutions", "-3"}, {"seed", "--solutions", "5", "extra"}} {
				if _, _, err := runCmd(t, append(args, "--db", dsn)...); err == nil {
					t.Errorf("%v was accepted", args)
				}
			}
		})
	}
}

// TestSeedRefusesRealData: a database with real entries is left alone.
func TestSeedRefusesRealData(t *testing.T) {
	dsn := storetest.DSN(t, storetest.Backends()[0])
	if out, _, err := runCmd(t, "import", "publiccode", "../../data/publiccode/files", "--db", dsn); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, _, err := runCmd(t, "seed", "--solutions", "5", "--db", dsn)
	if err == nil || !strings.Contains(err.Error(), "44 solutions that are neither synthetic nor demo data") || strings.Contains(out, "seeded") {
		t.Fatalf("seed over real data: %v\n%s", err, out)
	}
}
