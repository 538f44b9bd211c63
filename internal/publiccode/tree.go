package publiccode

import (
	"strconv"

	"github.com/goccy/go-yaml/ast"
)

// Limits that keep hostile input from exhausting memory or the stack.
const (
	// MaxSize is the largest input Parse reads; real files are below 30 KiB.
	MaxSize = 1 << 20
	// maxDepth bounds nesting of mappings and sequences.
	maxDepth = 64
	// maxNodes bounds the number of values after alias expansion, so that
	// "billion laughs" documents stay cheap.
	maxNodes = 200_000
)

type nodeKind int

const (
	scalarNode nodeKind = iota
	mappingNode
	sequenceNode
)

// scalarType is how YAML itself types a scalar.
type scalarType int

const (
	typeString scalarType = iota
	typeInt
	typeFloat
	typeBool
	typeNull
)

// node is our own read-only tree of the YAML document: every value keeps
// the line and column it was written at, scalars keep their source text.
type node struct {
	kind   nodeKind
	line   int
	column int

	value string // scalars: the text (unescaped for strings)
	typ   scalarType

	entries []entry // mappings, in file order
	items   []*node // sequences
}

type entry struct {
	key    string
	line   int
	column int
	value  *node
}

// describe names the kind of a node for "expected X, found Y" messages.
func (n *node) describe() string {
	switch n.kind {
	case mappingNode:
		return "a mapping"
	case sequenceNode:
		return "a list"
	}
	switch n.typ {
	case typeInt, typeFloat:
		return "a number"
	case typeBool:
		return "true/false"
	case typeNull:
		return "an empty value"
	}
	return "text"
}

// treeError is a problem found while building the tree; it stops the build.
type treeError struct {
	code   Code
	line   int
	column int
	arg    string
}

// builder turns a goccy AST into a node tree, resolving anchors, aliases and
// merge keys within the limits above.
type builder struct {
	anchors map[string]*node
	count   int
	err     *treeError
}

func newBuilder() *builder {
	return &builder{anchors: map[string]*node{}}
}

func (b *builder) fail(code Code, tokenNode ast.Node, arg string) *node {
	if b.err == nil {
		line, col := nodePos(tokenNode)
		b.err = &treeError{code: code, line: line, column: col, arg: arg}
	}
	return nil
}

func nodePos(n ast.Node) (int, int) {
	if n == nil {
		return 0, 0
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

// build converts n; it returns nil and sets b.err when a limit is hit.
func (b *builder) build(n ast.Node, depth int) *node {
	if b.err != nil {
		return nil
	}
	if depth > maxDepth {
		return b.fail(CodeTooDeep, n, strconv.Itoa(maxDepth))
	}
	b.count++
	if b.count > maxNodes {
		return b.fail(CodeTooComplex, n, strconv.Itoa(maxNodes))
	}
	line, col := nodePos(n)
	switch v := n.(type) {
	case nil:
		return &node{kind: scalarNode, typ: typeNull}
	case *ast.NullNode:
		return &node{kind: scalarNode, typ: typeNull, value: "", line: line, column: col}
	case *ast.StringNode:
		return &node{kind: scalarNode, typ: typeString, value: v.Value, line: line, column: col}
	case *ast.LiteralNode:
		s := ""
		if v.Value != nil {
			s = v.Value.Value
		}
		return &node{kind: scalarNode, typ: typeString, value: s, line: line, column: col}
	case *ast.IntegerNode:
		return &node{kind: scalarNode, typ: typeInt, value: v.Token.Value, line: line, column: col}
	case *ast.FloatNode:
		return &node{kind: scalarNode, typ: typeFloat, value: v.Token.Value, line: line, column: col}
	case *ast.InfinityNode:
		return &node{kind: scalarNode, typ: typeFloat, value: v.Token.Value, line: line, column: col}
	case *ast.NanNode:
		return &node{kind: scalarNode, typ: typeFloat, value: v.Token.Value, line: line, column: col}
	case *ast.BoolNode:
		return &node{kind: scalarNode, typ: typeBool, value: strconv.FormatBool(v.Value), line: line, column: col}
	case *ast.TagNode:
		return b.tagged(v, depth)
	case *ast.AnchorNode:
		built := b.build(v.Value, depth+1)
		if built != nil && v.Name != nil {
			b.anchors[v.Name.GetToken().Value] = built
		}
		return built
	case *ast.AliasNode:
		return b.alias(v)
	case *ast.MappingNode:
		return b.mapping(v.Values, line, col, depth)
	case *ast.MappingValueNode:
		return b.mapping([]*ast.MappingValueNode{v}, line, col, depth)
	case *ast.SequenceNode:
		out := &node{kind: sequenceNode, line: line, column: col}
		for _, item := range v.Values {
			child := b.build(item, depth+1)
			if b.err != nil {
				return nil
			}
			out.items = append(out.items, child)
		}
		return out
	case *ast.DocumentNode:
		return b.build(v.Body, depth)
	case *ast.CommentGroupNode, *ast.CommentNode:
		return &node{kind: scalarNode, typ: typeNull, line: line, column: col}
	}
	return b.fail(CodeSyntax, n, "unsupported YAML construct "+n.Type().String())
}

// tagged honours the explicit core tags; other tags are ignored and the
// value is read as written.
func (b *builder) tagged(v *ast.TagNode, depth int) *node {
	child := b.build(v.Value, depth+1)
	if child == nil || child.kind != scalarNode {
		return child
	}
	switch v.Start.Value {
	case "!!str":
		child.typ = typeString
	case "!!int":
		child.typ = typeInt
	case "!!float":
		child.typ = typeFloat
	case "!!bool":
		child.typ = typeBool
	}
	return child
}

// alias shares the anchored node; the shared subtree still counts against
// maxNodes each time it is used, since every consumer walks it again.
func (b *builder) alias(v *ast.AliasNode) *node {
	name := ""
	if v.Value != nil {
		name = v.Value.GetToken().Value
	}
	target, ok := b.anchors[name]
	if !ok {
		return b.fail(CodeSyntax, v, "alias *"+name+" refers to no anchor")
	}
	b.count += size(target, 0)
	if b.count > maxNodes {
		return b.fail(CodeTooComplex, v, strconv.Itoa(maxNodes))
	}
	return target
}

// size counts the values in a subtree, stopping early past maxNodes.
func size(n *node, acc int) int {
	if n == nil || acc > maxNodes {
		return acc
	}
	acc++
	for _, e := range n.entries {
		acc = size(e.value, acc)
	}
	for _, it := range n.items {
		acc = size(it, acc)
	}
	return acc
}

func (b *builder) mapping(values []*ast.MappingValueNode, line, col, depth int) *node {
	out := &node{kind: mappingNode, line: line, column: col}
	if len(values) > 0 {
		out.line, out.column = nodePos(values[0].Key)
	}
	var merged []entry
	for _, mv := range values {
		if mv == nil {
			continue
		}
		value := b.build(mv.Value, depth+1)
		if b.err != nil {
			return nil
		}
		if _, isMerge := mv.Key.(*ast.MergeKeyNode); isMerge {
			merged = append(merged, mergeEntries(value)...)
			continue
		}
		kl, kc := nodePos(mv.Key)
		out.entries = append(out.entries, entry{key: keyText(mv.Key), line: kl, column: kc, value: value})
	}
	// Merged keys come after the explicit ones and never override them.
	for _, e := range merged {
		if out.lookup(e.key) == nil {
			out.entries = append(out.entries, e)
		}
	}
	return out
}

func mergeEntries(v *node) []entry {
	if v == nil {
		return nil
	}
	switch v.kind {
	case mappingNode:
		return v.entries
	case sequenceNode:
		var out []entry
		for _, it := range v.items {
			if it != nil && it.kind == mappingNode {
				out = append(out, it.entries...)
			}
		}
		return out
	}
	return nil
}

func keyText(k ast.MapKeyNode) string {
	switch v := k.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.MappingKeyNode:
		if v.Value != nil {
			return v.Value.String()
		}
	}
	if k == nil {
		return ""
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return k.String()
}

// lookup returns the value of key in a mapping node, or nil.
func (n *node) lookup(key string) *node {
	if n == nil {
		return nil
	}
	for i := range n.entries {
		if n.entries[i].key == key {
			return n.entries[i].value
		}
	}
	return nil
}
