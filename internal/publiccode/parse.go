package publiccode

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Parse reads a publiccode.yml file, maps it onto Software and checks it
// against the version of the standard it declares. It never panics.
//
// The *File is nil only when the input cannot be read as YAML at all (too
// large, not UTF-8, empty, syntax error, not a mapping); the problems then
// say why. Otherwise the file is valid when no problem has severity Error
// (see HasErrors). Problems are sorted by line.
func Parse(data []byte) (*File, []Problem) {
	root, problems := readTree(data)
	if root == nil {
		return nil, problems
	}
	v, file, vproblems := declaredVersion(root)
	problems = append(problems, vproblems...)

	d := newDecoder(v)
	file.Software = d.software(root)
	file.Unmapped = d.unmapped
	problems = append(problems, d.problems...)
	problems = append(problems, validate(&file.Software, d)...)
	sortProblems(problems)
	return file, problems
}

// readTree turns bytes into a node tree, or returns problems explaining why
// it could not.
func readTree(data []byte) (*node, []Problem) {
	if len(data) > MaxSize {
		return nil, []Problem{{Code: CodeTooLarge, Args: []string{strconv.Itoa(MaxSize)}}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, []Problem{notUTF8(data)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []Problem{{Code: CodeEmpty}}
	}
	if line, ok := tooDeep(data); !ok {
		return nil, []Problem{{Line: line, Column: 1, Code: CodeTooDeep, Args: []string{strconv.Itoa(maxDepth)}}}
	}
	f, err := parseYAML(data)
	if err != nil {
		return nil, []Problem{syntaxProblem(err)}
	}
	var body ast.Node
	var problems []Problem
	for _, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			line, col := nodePos(doc.Body)
			problems = append(problems, Problem{Line: line, Column: col, Severity: Warning, Code: CodeMultipleDocuments})
			break
		}
		body = doc.Body
	}
	if body == nil {
		return nil, []Problem{{Code: CodeEmpty}}
	}
	b := newBuilder()
	root := b.build(body, 0)
	if b.err != nil {
		args := []string{b.err.arg}
		return nil, append(problems, Problem{Line: max(b.err.line, 1), Column: b.err.column, Code: b.err.code, Args: args})
	}
	if root == nil || root.kind != mappingNode {
		line, col := nodePos(body)
		return nil, append(problems, Problem{Line: max(line, 1), Column: col, Code: CodeRootNotMapping})
	}
	return root, problems
}

// parseYAML guards the YAML library: a panic on odd input becomes an error.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("YAML parser failed: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

func syntaxProblem(err error) Problem {
	p := Problem{Line: 1, Column: 1, Code: CodeSyntax, Args: []string{err.Error()}}
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		p.Args[0] = yerr.GetMessage()
		if tk := yerr.GetToken(); tk != nil && tk.Position != nil && tk.Position.Line > 0 {
			p.Line, p.Column = tk.Position.Line, tk.Position.Column
		}
	}
	return p
}

func notUTF8(data []byte) Problem {
	off := 0
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return Problem{Line: line, Column: col, Code: CodeNotUTF8, Args: []string{strconv.Itoa(off), strconv.Itoa(line)}}
}

// tooDeep is a cheap pre-check so that pathological nesting never reaches
// the recursive YAML parser: it counts open flow brackets and, for block
// style, "- " or "? " markers stacked on one line.
func tooDeep(data []byte) (line int, ok bool) {
	depth, line := 0, 1
	lineStart := true
	stacked := 0
	for i, c := range data {
		switch c {
		case '\n':
			line++
			lineStart, stacked = true, 0
			continue
		case '[', '{':
			depth++
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '-', '?':
			if lineStart && i+1 < len(data) && (data[i+1] == ' ' || data[i+1] == '\t') {
				stacked++
			} else {
				lineStart = false
			}
		case ' ', '\t':
		default:
			lineStart = false
		}
		if depth > maxDepth || stacked > maxDepth {
			return line, false
		}
	}
	return 0, true
}

// declaredVersion reads publiccodeYmlVersion (or the 0.1 spelling) and
// chooses the rules to check the file with.
func declaredVersion(root *node) (version, *File, []Problem) {
	file := &File{}
	e := root.find("publiccodeYmlVersion")
	if e == nil {
		e = root.find("publiccode-yaml-version")
	}
	if e == nil || e.value == nil || e.value.kind != scalarNode || strings.TrimSpace(e.value.value) == "" {
		line, col := root.line, root.column
		if e != nil {
			line, col = e.line, e.column
		}
		return current, file, []Problem{{Line: max(line, 1), Column: col, Path: "publiccodeYmlVersion", Code: CodeRequired, Args: []string{"publiccodeYmlVersion"}}}
	}
	text := strings.TrimSpace(e.value.value)
	file.Version = text
	var problems []Problem
	at := func(sev Severity, code Code, args ...string) {
		problems = append(problems, Problem{Line: e.line, Column: e.column, Path: e.key, Severity: sev, Code: code, Args: args})
	}
	if e.value.typ != typeString {
		at(Warning, CodeVersionNotString, text)
	}
	v, ok := parseVersion(text)
	switch {
	case !ok:
		at(Error, CodeVersionUnknown, text, knownVersionList, CurrentVersion)
		v = current
	case v.minor < current.minor:
		at(Warning, CodeVersionOutdated, v.name, CurrentVersion)
	}
	return v, file, problems
}

// find returns the entry for key in a mapping node, or nil.
func (n *node) find(key string) *entry {
	for i := range n.entries {
		if n.entries[i].key == key {
			return &n.entries[i]
		}
	}
	return nil
}
