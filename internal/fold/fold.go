// Package fold turns names and queries into comparable keys, so that
// "München", "Muenchen", "münchen" and "Munchen" meet.
//
// German has two spellings for umlauts (ü and ue) and many users type
// without them (u). A stored name therefore gets two keys, the base form
// (ü→u) and the digraph form (ü→ue); a query is reduced to its base form and
// matched against both. "Neunkirchen" thus does not meet "Neuenkirchen",
// which a blunt ue→u rule on both sides would cause.
package fold

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Separator joins the keys of one name in SearchKey. Key never produces it,
// so a query cannot match across two keys.
const Separator = "|"

// letters that Unicode decomposition does not reduce to a base letter.
var special = strings.NewReplacer(
	"ß", "ss", "ẞ", "ss", "æ", "ae", "Æ", "ae", "œ", "oe", "Œ", "oe",
	"ø", "o", "Ø", "o", "ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "ı", "i",
)

var digraphs = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "ae", "Ö", "oe", "Ü", "ue")

// Key returns the base form of s: lower case, diacritics removed (ü→u,
// ó→o, ß→ss), everything that is not a letter or digit turned into a single
// space, trimmed.
func Key(s string) string {
	s = special.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil { // only on invalid UTF-8 reaching a dead end; keep the input
		out = s
	}
	var b strings.Builder
	b.Grow(len(out))
	space := false
	for _, r := range out {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// Digraph returns the key of s with German umlauts written as digraphs
// (ü→ue), the way they are typed without a German keyboard.
func Digraph(s string) string {
	return Key(digraphs.Replace(s))
}

// SearchKey returns the keys under which a name is found: its base form
// and, when it differs, its digraph form, joined by Separator.
func SearchKey(name string) string {
	k, d := Key(name), Digraph(name)
	if k == d {
		return k
	}
	return k + Separator + d
}
