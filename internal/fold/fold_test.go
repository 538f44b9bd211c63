package fold

import (
	"strings"
	"testing"
)

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"München", "munchen"},
		{"Muenchen", "muenchen"},
		{"  Frankfurt am Main, Stadt ", "frankfurt am main stadt"},
		{"Cottbus/Chóśebuz", "cottbus chosebuz"},
		{"Lübbenau/Spreewald / Lubnjow/Błota", "lubbenau spreewald lubnjow blota"},
		{"Großenrade", "grossenrade"},
		{"GROẞSTADT", "grossstadt"},
		{"", ""},
		{"%_'\"", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSearchKeyMatches(t *testing.T) {
	tests := []struct {
		name, query string
		match       bool
	}{
		{"München", "Muenchen", true},
		{"München", "münchen", true},
		{"München", "Munchen", true},
		{"München", "MÜNCHEN", true},
		{"Landeshauptstadt München", "münch", true},
		{"Neuenkirchen", "Neunkirchen", false},
		{"Neunkirchen", "Neuenkirchen", false},
		{"Düsseldorf, Stadt", "Duesseldorf", true},
		{"Gößweinstein, Markt", "Goessweinstein", true},
		{"Bad Homburg", "Homburg Bad", false},
	}
	for _, tt := range tests {
		got := strings.Contains(SearchKey(tt.name), Key(tt.query))
		if got != tt.match {
			t.Errorf("%q found by %q = %v, want %v (key %q)", tt.name, tt.query, got, tt.match, SearchKey(tt.name))
		}
	}
}

func FuzzKey(f *testing.F) {
	for _, s := range []string{"München", "Chóśebuz", "\xff\xfe", "a|b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if strings.Contains(k, Separator) {
			t.Fatalf("Key(%q) contains separator", s)
		}
		if Key(k) != k {
			t.Fatalf("Key not idempotent for %q: %q", s, k)
		}
	})
}
