package publiccode

import (
	"errors"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	f, ps := Parse([]byte(validYAML))
	if HasErrors(ps) {
		t.Fatal(ps)
	}
	s := f.Software
	s.Countries = map[string]any{"it": map[string]any{"countryExtensionVersion": "1.0", "piattaforme": map[string]any{"spid": true}}}
	s.DependsOn.Open = []Dependency{{Name: "PostgreSQL", VersionMin: "14", Optional: true}}
	// A first line that starts with a space defeats YAML literal blocks.
	d := s.Description["de"]
	d.LongDescription = " eingerückt\n" + d.LongDescription
	s.Description["de"] = d

	out, err := Write(&s)
	if err != nil {
		t.Fatalf("Write: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "publiccodeYmlVersion: \"0.7\"\nname: Mängelmelder\n") {
		t.Errorf("unexpected start:\n%s", out)
	}
	g, ps := Parse(out)
	if HasErrors(ps) {
		t.Fatalf("written file has errors: %v\n%s", ps, out)
	}
	if !Equal(&s, &g.Software) {
		t.Errorf("round trip changed the software:\n%s", out)
	}
}

func TestWriteInvalid(t *testing.T) {
	out, err := Write(&Software{Name: "Nur ein Name"})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("want ErrInvalid, got %v", err)
	}
	if !strings.Contains(err.Error(), "legal") || len(out) == 0 {
		t.Errorf("error should name the missing keys and bytes be returned: %v", err)
	}
}
