package main

import (
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestImportPublicCode imports the real sample directory twice: the valid
// files become entries, the faulty ones are refused with line and column,
// and the second run changes nothing.
func TestImportPublicCode(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			if _, _, err := runCmd(t, "migrate", "--db", dsn); err != nil {
				t.Fatal(err)
			}
			out, _, err := runCmd(t, "import", "publiccode", "../../data/publiccode/files", "--db", dsn)
			if err != nil || !strings.Contains(out, "44 imported, 0 imported before, 71 refused") ||
				!strings.Contains(out, "imported  ") || !strings.Contains(out, "refused   ") {
				t.Fatalf("first import: %v\n%s", err, out)
			}
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "refused   ") && !strings.Contains(l, ".yml:") {
					t.Errorf("refusal without a place: %s", l)
				}
			}
			out, _, err = runCmd(t, "import", "publiccode", "../../data/publiccode/files", "--db", dsn)
			if err != nil || !strings.Contains(out, "0 imported, 44 imported before, 71 refused") {
				t.Fatalf("second import: %v\n%s", err, out)
			}
			if _, _, err := runCmd(t, "import", "publiccode", "../../data/publiccode/INDEX.tsv", "--db", dsn); err == nil {
				t.Error("a file instead of a directory was accepted")
			}
			if _, _, err := runCmd(t, "import", "publiccode", "../../data/publiccode/files", "--org", "gibt-es-nicht", "--db", dsn); err == nil {
				t.Error("an unknown organisation was accepted")
			}
		})
	}
}
