package knowledge

import "strings"

// LineOp says what a line of a diff is.
type LineOp int

// The line operations.
const (
	Same LineOp = iota
	Added
	Removed
)

// Line is one line of a diff.
type Line struct {
	Op   LineOp
	Text string
}

// maxDiffLines bounds the quadratic table; longer texts are compared as
// "all removed, all added".
const maxDiffLines = 1000

// LineDiff compares two texts line by line (longest common subsequence).
// The catalogue's diff compares form fields, so Markdown bodies need this.
func LineDiff(a, b string) []Line {
	la, lb := splitLines(a), splitLines(b)
	if len(la) > maxDiffLines || len(lb) > maxDiffLines {
		out := make([]Line, 0, len(la)+len(lb))
		for _, l := range la {
			out = append(out, Line{Removed, l})
		}
		for _, l := range lb {
			out = append(out, Line{Added, l})
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of la[i:] and lb[j:].
	lcs := make([][]int, len(la)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(lb)+1)
	}
	for i := len(la) - 1; i >= 0; i-- {
		for j := len(lb) - 1; j >= 0; j-- {
			if la[i] == lb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Line
	i, j := 0, 0
	for i < len(la) && j < len(lb) {
		switch {
		case la[i] == lb[j]:
			out = append(out, Line{Same, la[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, Line{Removed, la[i]})
			i++
		default:
			out = append(out, Line{Added, lb[j]})
			j++
		}
	}
	for ; i < len(la); i++ {
		out = append(out, Line{Removed, la[i]})
	}
	for ; j < len(lb); j++ {
		out = append(out, Line{Added, lb[j]})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
