package catalog

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/publiccode"
)

// TestFromPublicCodeSamples maps every real sample file that the standard
// accepts and checks that the catalogue accepts the entry too.
func TestFromPublicCodeSamples(t *testing.T) {
	files, err := filepath.Glob("../../data/publiccode/files/*.yml")
	if err != nil || len(files) < 100 {
		t.Fatalf("sample files: %d %v", len(files), err)
	}
	known := fieldsOf(t)
	mapped := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, problems := publiccode.Parse(data)
		if f == nil || publiccode.HasErrors(problems) {
			continue
		}
		e, notes := FromPublicCode(&f.Software)
		if err := e.Check(known, time.Now()); err != nil {
			t.Errorf("%s: %s (notes %v)", filepath.Base(path), fieldsOfErr(err), notes)
			continue
		}
		mapped++
	}
	if mapped < 40 {
		t.Errorf("only %d valid sample files map to catalogue entries", mapped)
	}
}
