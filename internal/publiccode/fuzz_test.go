package publiccode

import (
	"testing"
)

// FuzzParse checks that no input makes Parse panic or break its promises,
// and that Write accepts whatever Parse maps.
func FuzzParse(f *testing.F) {
	for _, s := range loadSamples(f) {
		f.Add(s.data)
	}
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte("- - - - x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, ps := Parse(data)
		if file == nil && !HasErrors(ps) {
			t.Fatal("nil File without an error")
		}
		for _, p := range ps {
			_ = p.Text("de")
			if p.Line < 0 || p.Column < 0 {
				t.Fatalf("negative position: %s", p)
			}
		}
		if file != nil {
			_, _ = Write(&file.Software)
		}
	})
}
