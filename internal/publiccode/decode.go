package publiccode

import (
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// decoder maps the node tree onto Software. It reports type mismatches,
// unknown, deprecated and too new keys; the rules about values live in
// validate.go. It remembers where each key was written so that those rules
// can point at the right line.
type decoder struct {
	v        version
	problems []Problem
	pos      map[string]position
	unmapped []Field
}

type position struct{ line, column int }

// fieldFunc reads the value of one key; path is its dotted path.
type fieldFunc func(n *node, path string)

func newDecoder(v version) *decoder {
	return &decoder{v: v, pos: map[string]position{}}
}

func (d *decoder) report(line, col int, path string, sev Severity, code Code, args ...string) {
	d.problems = append(d.problems, Problem{Line: line, Column: col, Path: path, Severity: sev, Code: code, Args: args})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// fields reads a mapping through spec. pattern is the path with language
// keys replaced by "*", used to look up deprecations.
func (d *decoder) fields(n *node, path, pattern string, spec map[string]fieldFunc) bool {
	if !d.expect(n, mappingNode, path) {
		return false
	}
	for _, e := range n.entries {
		p := join(path, e.key)
		read, ok := spec[e.key]
		if !ok {
			d.unknown(e, p)
			continue
		}
		d.pos[p] = position{e.line, e.column}
		d.versionChecks(e, p, join(pattern, e.key))
		read(e.value, p)
	}
	return true
}

func (d *decoder) unknown(e entry, p string) {
	d.report(e.line, e.column, p, Warning, CodeUnknownKey, p)
	d.unmapped = append(d.unmapped, Field{Path: p, Line: e.line, Column: e.column})
}

func (d *decoder) versionChecks(e entry, path, pattern string) {
	if dep, ok := keyDeprecated[pattern]; ok && d.v.minor >= dep.minor {
		d.report(e.line, e.column, path, Warning, CodeDeprecated, path, since(dep.minor), dep.advice)
	}
	if added, ok := keyAddedIn[pattern]; ok && d.v.minor < added {
		d.report(e.line, e.column, path, Warning, CodeNewerKey, path, since(added), d.v.name)
	}
}

// expect reports a type mismatch; a null value counts as absent, not wrong.
func (d *decoder) expect(n *node, kind nodeKind, path string) bool {
	if n == nil || (n.kind == scalarNode && n.typ == typeNull) {
		return false
	}
	if n.kind == kind {
		return true
	}
	want := map[nodeKind]string{mappingNode: "a mapping", sequenceNode: "a list", scalarNode: "text"}[kind]
	d.report(n.line, n.column, path, Error, CodeWrongType, want, n.describe())
	return false
}

// str reads a text value. Numbers and booleans are taken as written, with
// a warning, because YAML would read them as another type.
func (d *decoder) str(n *node, path string) string {
	if !d.expect(n, scalarNode, path) {
		return ""
	}
	switch n.typ {
	case typeInt, typeFloat:
		d.report(n.line, n.column, path, Warning, CodeNotString, "a number", n.value)
	case typeBool:
		d.report(n.line, n.column, path, Warning, CodeNotString, "true/false", n.value)
	}
	return n.value
}

func (d *decoder) boolean(n *node, path string) bool {
	if !d.expect(n, scalarNode, path) {
		return false
	}
	if n.typ == typeBool {
		return n.value == "true"
	}
	// YAML 1.1 spelled booleans yes/no/on/off; many files from before 0.3
	// (which named YAML 1.2) still do.
	switch strings.ToLower(n.value) {
	case "yes", "on", "y":
		d.report(n.line, n.column, path, Warning, CodeYAML11Bool, n.value, "true")
		return true
	case "no", "off", "n":
		d.report(n.line, n.column, path, Warning, CodeYAML11Bool, n.value, "false")
		return false
	}
	d.report(n.line, n.column, path, Error, CodeWrongType, "true or false", n.describe())
	return false
}

// strList reads a list of texts. With single, a lone text counts as a list
// of one, as the standard allows for platforms and isBasedOn.
func (d *decoder) strList(n *node, path string, single bool) []string {
	if single && n != nil && n.kind == scalarNode && n.typ != typeNull {
		return []string{d.str(n, path)}
	}
	if !d.expect(n, sequenceNode, path) {
		return nil
	}
	out := make([]string, 0, len(n.items))
	for i, it := range n.items {
		p := index(path, i)
		d.pos[p] = position{it.line, it.column}
		if s := d.str(it, p); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// list calls read for every item of a sequence.
func (d *decoder) list(n *node, path string, read func(n *node, path string)) {
	if !d.expect(n, sequenceNode, path) {
		return
	}
	for i, it := range n.items {
		p := index(path, i)
		d.pos[p] = position{it.line, it.column}
		read(it, p)
	}
}

// setStr returns a fieldFunc storing a text value into *dst.
func (d *decoder) setStr(dst *string) fieldFunc {
	return func(n *node, p string) { *dst = d.str(n, p) }
}

func (d *decoder) setList(dst *[]string, single bool) fieldFunc {
	return func(n *node, p string) { *dst = d.strList(n, p, single) }
}

// keep records a key of an old version that has no place in Software.
func (d *decoder) keep(n *node, p string) {
	line, col := 0, 0
	if at, ok := d.pos[p]; ok {
		line, col = at.line, at.column
	}
	d.unmapped = append(d.unmapped, Field{Path: p, Line: line, Column: col})
}

// isCountryKey reports whether a top-level key names a country extension.
func isCountryKey(k string) bool {
	if len(k) != 2 {
		return false
	}
	r, err := language.ParseRegion(k)
	return err == nil && r.IsCountry()
}

// toAny turns a subtree into plain Go values for the country sections.
func toAny(n *node) any {
	if n == nil {
		return nil
	}
	switch n.kind {
	case mappingNode:
		m := make(map[string]any, len(n.entries))
		for _, e := range n.entries {
			m[e.key] = toAny(e.value)
		}
		return m
	case sequenceNode:
		s := make([]any, 0, len(n.items))
		for _, it := range n.items {
			s = append(s, toAny(it))
		}
		return s
	}
	switch n.typ {
	case typeNull:
		return nil
	case typeBool:
		return n.value == "true"
	case typeInt:
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.value, "_", ""), 0, 64); err == nil {
			return i
		}
	case typeFloat:
		if f, err := strconv.ParseFloat(n.value, 64); err == nil && f-f == 0 {
			return f
		}
	}
	return n.value
}
