package publiccode

import (
	"fmt"
	"sort"
)

// Severity tells whether a problem makes a file invalid.
type Severity int

const (
	// Error means the file does not follow the standard; it must be fixed.
	Error Severity = iota
	// Warning means the file is accepted but should be improved.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one finding about a file, with its place in the file. Line and
// Column start at 1; they are 0 only when the file as a whole is at fault
// (not UTF-8, empty, too large).
type Problem struct {
	Line     int
	Column   int
	Path     string // dotted path such as description.en.shortDescription
	Severity Severity
	Code     Code
	// Args fill the placeholders of the message for Code, in order.
	Args []string
}

// Text returns the explanation of the problem in the given language ("de"
// or "en"; anything else falls back to German, the platform's first language).
func (p Problem) Text(lang string) string {
	m, ok := messages[p.Code]
	if !ok {
		return string(p.Code)
	}
	format := m.de
	if lang == "en" {
		format = m.en
	}
	args := make([]any, len(p.Args))
	for i, a := range p.Args {
		args[i] = a
	}
	return fmt.Sprintf(format, args...)
}

// String formats the problem in English for logs and test output.
func (p Problem) String() string {
	where := p.Path
	if where == "" {
		where = "(file)"
	}
	return fmt.Sprintf("%d:%d: %s %s [%s]: %s", p.Line, p.Column, p.Severity, where, p.Code, p.Text("en"))
}

// HasErrors reports whether any problem has severity Error.
func HasErrors(problems []Problem) bool {
	for _, p := range problems {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// sortProblems orders problems by their place in the file so that users read
// them top to bottom.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Column < ps[j].Column
	})
}
