package search

import (
	"slices"
	"strings"
	"testing"
)

func TestStemGerman(t *testing.T) {
	// Expected stems from the Snowball German test vocabulary (folded).
	tests := []struct{ in, want string }{
		{"aufeinanderfolgenden", "aufeinanderfolg"},
		{"aufeinanderfolgte", "aufeinanderfolgt"},
		{"parkplatze", "parkplatz"},
		{"parkplatz", "parkplatz"},
		{"bibliotheken", "bibliothek"},
		{"bibliothek", "bibliothek"},
		{"kategorischen", "kategor"},
		{"lieblich", "lieblich"}, // -lich only leaves from R2
		{"freundlichkeit", "freundlich"},
		{"verantwortlichkeiten", "verantwort"},
		{"bauen", "bau"},
		{"ergebnisse", "ergebnis"},
		{"uberall", "uberall"},
		{"ab", "ab"},
	}
	for _, tt := range tests {
		if got := stemGerman(tt.in); got != tt.want {
			t.Errorf("stemGerman(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Parkplätze in München", "parkplatz munch parkplaetz muench"},
		{"Muenchen", "muench"},
		{"Straße und Weg", "strass weg"},
		{"E-Akte, OZG 2.0", "e akt ozg 2 0"},
		{"Mu\u0308nchen", "munch muench"}, // decomposed umlaut
		{strings.Repeat("a", 70), strings.Repeat("a", MaxWord)},
		{"", ""},
		{"!!! ???", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(Terms(tt.in), " "); got != tt.want {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in             string
		words, phrases string
		exclude        string
	}{
		{`Parken München`, "park munch", "", ""},
		{`"offene Daten" Stadt`, "stadt", "off dat", ""},
		{`Daten -München -"offene Daten"`, "dat", "", "munch|off dat"},
		{`"unbalanced quote`, "unbalanced quot", "", ""},
		{`"ein"`, "", "", ""},
		{`"Stadt"`, "stadt", "", ""},
		{`a AND (b OR c*) NEAR/2`, "b c near 2", "", ""},
		{`'; DROP TABLE x; --`, "drop tabl x", "", ""},
		{"-", "", "", ""},
		{"x - y", "x y", "", ""},
		{"\x00Stadt\x01Land\t", "stadt land", "", ""},
		{strings.Repeat("wort ", 100), strings.TrimSpace(strings.Repeat("wort ", MaxQueryTerms)), "", ""},
	}
	for _, tt := range tests {
		p := Parse(tt.in)
		var words, phrases, exclude []string
		for _, w := range p.Words {
			words = append(words, w.Stem)
		}
		for _, ph := range p.Phrases {
			var s []string
			for _, w := range ph {
				s = append(s, w.Stem)
			}
			phrases = append(phrases, strings.Join(s, " "))
		}
		for _, ex := range p.Exclude {
			exclude = append(exclude, strings.Join(ex, " "))
		}
		if got := strings.Join(words, " "); got != tt.words {
			t.Errorf("Parse(%q) words %q, want %q", tt.in, got, tt.words)
		}
		if got := strings.Join(phrases, "|"); got != tt.phrases {
			t.Errorf("Parse(%q) phrases %q, want %q", tt.in, got, tt.phrases)
		}
		if got := strings.Join(exclude, "|"); got != tt.exclude {
			t.Errorf("Parse(%q) exclude %q, want %q", tt.in, got, tt.exclude)
		}
	}
}

func TestOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"parkraumbewirtschaftnug", "parkraumbewirtschaftung", true}, // transposition
		{"burgerant", "burgeramt", true},                             // substitution
		{"burgeramt", "burgeramts", true},                            // insertion
		{"burgeramts", "burgeramt", true},                            // deletion
		{"burgeramt", "burgeramt", true},
		{"burgeramt", "burgerant2", false},
		{"abcdef", "badcef", false},
		{"abcdef", "acbdfe", false},
	}
	for _, tt := range tests {
		if got := oneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSynonyms(t *testing.T) {
	groups := DefaultSynonyms()
	if len(groups) < 20 || len(groups) > 40 {
		t.Errorf("%d synonym groups", len(groups))
	}
	if got := ParseSynonyms("# c\n\na|b|a\nsolo\n x | y \n"); !slices.EqualFunc(got, [][]string{{"a", "b"}, {"x", "y"}}, slices.Equal) {
		t.Errorf("ParseSynonyms = %v", got)
	}
}
