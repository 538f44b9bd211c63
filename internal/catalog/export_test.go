package catalog

import (
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/publiccode"
)

// TestToPublicCode exports every entry mapped from the real samples and a
// closed-source entry written here: each export must be a valid
// publiccode.yml, and importing it again gives the entry's name, short
// description, licence, repository and maturity class back.
func TestToPublicCode(t *testing.T) {
	var entries []Entry
	for _, s := range sampleEntries(t) {
		entries = append(entries, s.entry)
	}
	closed := validEntry()
	closed.Licence, closed.Repository, closed.Description = "LicenseRef-Kommerziell", "", ""
	entries = append(entries, closed)
	known := fieldsOf(t)
	for _, e := range entries {
		if err := e.Check(known, time.Now()); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		sol := Solution{Slug: "x", OrgName: "Anbieter", Published: &Version{Number: 1, Entry: e}}
		out, err := publiccode.Write(ToPublicCode(sol, "https://smartregions.example/loesungen/x", nil))
		if err != nil {
			t.Errorf("%s: %v\n%s", e.Name, err, out)
			continue
		}
		f, problems := publiccode.Parse(out)
		if f == nil || publiccode.HasErrors(problems) {
			t.Errorf("%s: export does not validate: %v", e.Name, problems)
			continue
		}
		back, _ := FromPublicCode(&f.Software)
		wantShort := e.Short
		if r := []rune(wantShort); len(r) > maxPCShort {
			wantShort = string(r[:maxPCShort-1]) + "…"
		}
		wantRepo := e.Repository
		if wantRepo == "" {
			wantRepo = "https://smartregions.example/loesungen/x"
		}
		if back.Name != e.Name || back.Short != wantShort || back.Licence != e.Licence || back.Repository != wantRepo ||
			developmentStatusOf[back.Maturity] != developmentStatusOf[e.Maturity] {
			t.Errorf("round trip of %s: got %q %q %q %q %q", e.Name, back.Name, back.Short, back.Licence, back.Repository, back.Maturity)
		}
	}
}
