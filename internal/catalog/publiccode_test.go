package catalog

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/publiccode"
)

// sampleEntry is a real sample file that the standard accepts, mapped.
type sampleEntry struct {
	file  string
	entry Entry
	notes []string
}

// sampleEntries maps every real sample file that the standard accepts.
func sampleEntries(t *testing.T) []sampleEntry {
	t.Helper()
	files, err := filepath.Glob("../../data/publiccode/files/*.yml")
	if err != nil || len(files) < 100 {
		t.Fatalf("sample files: %d %v", len(files), err)
	}
	var out []sampleEntry
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if f, problems := publiccode.Parse(data); f != nil && !publiccode.HasErrors(problems) {
			e, notes := FromPublicCode(&f.Software)
			out = append(out, sampleEntry{filepath.Base(path), e, notes})
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d valid sample files", len(out))
	}
	return out
}

// TestFromPublicCodeSamples checks that the catalogue accepts every entry
// mapped from a valid sample file.
func TestFromPublicCodeSamples(t *testing.T) {
	known := fieldsOf(t)
	for _, s := range sampleEntries(t) {
		if err := s.entry.Check(known, time.Now()); err != nil {
			t.Errorf("%s: %s (notes %v)", s.file, fieldsOfErr(err), s.notes)
		}
	}
}
