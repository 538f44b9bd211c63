package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a query: longer texts are cut, further terms ignored.
const (
	MaxQueryLen   = 200 // characters of the query text
	MaxQueryTerms = 12  // words and phrases, included and excluded
	MinTypoWord   = 6   // letters a word needs before typos are corrected
)

// Parsed is a query text taken apart: the only syntax is "quoted
// phrases" and a leading minus to exclude a word or phrase. Everything
// else — operators, brackets, unbalanced quotes, control characters — is
// text and ends up as plain words or nothing.
type Parsed struct {
	Words   []QueryWord   // words to find
	Phrases [][]QueryWord // phrases to find (two or more words)
	Exclude [][]string    // stems of words (one) and phrases (several) to exclude
}

// QueryWord is a word of a query.
type QueryWord struct {
	Key  string // folded as typed
	Stem string
}

// Empty reports whether the query has nothing to search for or exclude.
func (p Parsed) Empty() bool { return len(p.Words) == 0 && len(p.Phrases) == 0 && len(p.Exclude) == 0 }

// Parse takes a query text apart. It never fails: at most MaxQueryLen
// characters and MaxQueryTerms terms are read.
func Parse(text string) Parsed {
	if utf8.RuneCountInString(text) > MaxQueryLen {
		text = string([]rune(text)[:MaxQueryLen])
	}
	text = strings.ToValidUTF8(text, " ")
	var p Parsed
	terms := 0
	add := func(chunk string, quoted, minus bool) {
		ws := words(chunk)
		if len(ws) == 0 || terms >= MaxQueryTerms {
			return
		}
		if quoted && len(ws) > 1 {
			terms++
			stems, phrase := make([]string, len(ws)), make([]QueryWord, len(ws))
			for i, w := range ws {
				stems[i], phrase[i] = w.Stem, QueryWord{Key: w.Key, Stem: w.Stem}
			}
			if minus {
				p.Exclude = append(p.Exclude, stems)
			} else {
				p.Phrases = append(p.Phrases, phrase)
			}
			return
		}
		for _, w := range ws {
			if terms >= MaxQueryTerms {
				return
			}
			terms++
			if minus {
				p.Exclude = append(p.Exclude, []string{w.Stem})
			} else {
				p.Words = append(p.Words, QueryWord{Key: w.Key, Stem: w.Stem})
			}
		}
	}
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) || unicode.IsControl(rs[i]) {
			i++
			continue
		}
		minus := false
		if rs[i] == '-' && i+1 < len(rs) && (rs[i+1] == '"' || unicode.IsLetter(rs[i+1]) || unicode.IsDigit(rs[i+1])) {
			minus = true
			i++
		}
		if rs[i] == '"' {
			if end := indexRune(rs, i+1, '"'); end >= 0 {
				add(string(rs[i+1:end]), true, minus)
				i = end + 1
				continue
			}
			i++ // an unbalanced quote is no syntax
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && !unicode.IsControl(rs[j]) && rs[j] != '"' {
			j++
		}
		add(string(rs[i:j]), false, minus)
		i = j
	}
	return p
}

func indexRune(rs []rune, from int, r rune) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}
