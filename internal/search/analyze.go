// Package search finds solutions of the catalogue by German full-text
// search. Text is analysed here, in Go, both for the index and for
// queries, so that SQLite (FTS5) and PostgreSQL (tsvector) index and look
// up exactly the same terms: words are lower-cased and folded (umlauts, ß
// and other diacritics, see internal/fold), a few stop words dropped and
// the rest reduced to their German Snowball stem.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/smartregions/smartregions/internal/fold"
)

// MaxWord is the length in characters at which words are cut, in the
// index and in queries alike (PostgreSQL refuses lexemes over 2 KiB).
const MaxWord = 60

// stopWords are dropped: only the commonest German and English function
// words, so that phrases and names keep their meaning.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`der die das den dem des ein eine einer eines einem einen und oder
		im in ist sind zu zum zur von vom mit fur auf aus bei als auch an am
		the a an and or of to for in on with`) {
		stopWords[w] = true
	}
}

// Word is one word of a text in its analysed forms.
type Word struct {
	Key  string // folded (ü→u), as a query is folded
	Alt  string // folded with umlauts as digraphs (ü→ue); "" when the same as Key
	Stem string // stem of Key
}

// words splits text into its words and analyses them; stop words are
// left out.
func words(text string) []Word {
	var out []Word
	text = norm.NFC.String(text)
	for _, raw := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.In(r, unicode.L, unicode.N, unicode.M) }) {
		// fold.Key may split a word further (at characters it removes).
		keys, alts := strings.Fields(fold.Key(raw)), strings.Fields(fold.Digraph(raw))
		for i, k := range keys {
			k = cut(k)
			if stopWords[k] {
				continue
			}
			w := Word{Key: k, Stem: stem(k)}
			if len(alts) == len(keys) {
				if a := cut(alts[i]); a != k {
					w.Alt = a
				}
			}
			out = append(out, w)
		}
	}
	return out
}

// cut shortens a word to MaxWord characters.
func cut(w string) string {
	if utf8.RuneCountInString(w) <= MaxWord {
		return w
	}
	return string([]rune(w)[:MaxWord])
}

// stem returns the stem of a folded word; words with digits are kept as
// they are.
func stem(k string) string {
	if strings.ContainsFunc(k, unicode.IsDigit) {
		return k
	}
	return stemGerman(k)
}

// Terms returns the stems of text in order, for the index, followed by
// the stems of the digraph spellings of its words with umlauts (so that
// "München" is found by "Muenchen" as well as by "Munchen"); the
// alternatives come last so that phrases stay intact.
func Terms(text string) []string {
	ws := words(text)
	out := make([]string, 0, len(ws))
	var alt []string
	for _, w := range ws {
		out = append(out, w.Stem)
		if w.Alt != "" {
			alt = append(alt, stem(w.Alt))
		}
	}
	return append(out, alt...)
}

// QueryTerms returns the stems of a query text in order.
func QueryTerms(text string) []string {
	ws := words(text)
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.Stem)
	}
	return out
}

// Vocabulary returns the distinct folded words of texts (both spellings
// of words with umlauts), for the correction of typos.
func Vocabulary(texts ...string) []Word {
	seen := map[string]bool{}
	var out []Word
	add := func(k string) {
		if !seen[k] && utf8.RuneCountInString(k) >= MinTypoWord-1 {
			seen[k] = true
			out = append(out, Word{Key: k, Stem: stem(k)})
		}
	}
	for _, t := range texts {
		for _, w := range words(t) {
			add(w.Key)
			if w.Alt != "" {
				add(w.Alt)
			}
		}
	}
	return out
}
