package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/smartregions/smartregions/internal/store/storetest"
)

// The tests in this file hold openapi.json to the real handlers: every
// documented operation is called through the real router with requests
// derived from the document itself (examples, enums, bounds), plus
// requests that must fail, and every response must be documented for its
// status and match its schema exactly (the response objects forbid
// unknown properties, so an added or missing field fails).

// openAPIBase is the address the document is registered under with the
// schema compiler; nothing is fetched from it.
const openAPIBase = "https://smartregions.invalid/api/openapi.json"

// opsRoutes are the routes outside /api that the document describes.
var opsRoutes = []string{"/healthz", "/readyz"}

// invalidQueryValues holds, for each documented query parameter, values
// the handlers must refuse with 400. Every documented query parameter
// needs one.
var invalidQueryValues = map[string][]string{
	"state":        {"1", "xx"},
	"district":     {"0916", "x"},
	"band":         {"huge"},
	"urbanisation": {"dense"},
	"sort":         {"ags"},
	"lang":         {"fr"},
	"status":       {"all"},
	"limit":        {"x"},
	"cursor":       {"x", "bm90LWpzb24"},
	"q":            {strings.Repeat("x", 101)},
	"kind":         {"club"},
	"field":        {"space"},
	"role":         {"admin"},
	"actor":        {strings.Repeat("a", 255)},
	"action":       {"Konto!", "account login"},
	"object_type":  {"User"},
	"object_id":    {strings.Repeat("x", 101)},
	"from":         {"2026-02-30", "gestern"},
	"to":           {"2026-13-01", "31.2.2026"},
	// facets of /api/v1/search (facets.go)
	"delivery":    {"cloud", ","},
	"open_source": {"maybe"},
	"hosting":     {"mars"},
	"evidence":    {"tuev"},
	"maturity":    {"alpha"},
	"price":       {"cheap"},
	"standard":    {strings.Repeat("x", 101)},
	"size":        {"huge"},
	// events (event_api.go)
	"period": {"soon"},
	"format": {"radio"},
	// practice examples (practice_api.go)
	"solution":     {"Gross!"},
	"municipality": {"0916200", "x"},
}

// openAPIExtraCases are requests beyond those derived from the document:
// filters, and records that exercise the nullable fields. wantItems asks
// for a non-empty list, so that the item schema is really checked.
var openAPIExtraCases = []struct {
	target    string
	status    int
	wantItems bool
}{
	{"/api/v1/municipalities?state=10", 200, true},
	{"/api/v1/municipalities?band=gt100k", 200, true},
	{"/api/v1/municipalities?state=10&band=gt100k&sort=population", 200, true},
	{"/api/v1/municipalities?status=historical", 200, false},
	{"/api/v1/municipalities?status=historical&state=10&band=gt100k&limit=200", 200, false},
	{"/api/v1/municipalities?district=09162&urbanisation=urban&lang=en", 200, true},
	{"/api/v1/municipalities?q=Muenchen&sort=population&limit=200", 200, true},
	{"/api/v1/municipalities?state=99", 200, false},
	{"/api/v1/municipalities?state=10&state=10", 400, false},
	{"/api/v1/municipalities?cursor=%%%", 400, false},
	{"/api/v1/municipalities?limit=0&band=huge", 400, false},
	{"/api/v1/municipalities/07000999", 200, false}, // no district, no coordinates, no postcode
	{"/api/v1/municipalities/14522275", 200, false}, // urbanisation unknown, no coordinates
	{"/api/v1/municipalities/01053105", 200, false}, // gemeindefreies Gebiet
	{"/api/v1/municipalities/11000000?lang=en", 200, false},
	{"/api/v1/districts?state=10", 200, true},
	{"/api/v1/districts?limit=200", 200, true},
	{"/api/v1/districts/10041", 200, false}, // Regionalverband, type 45
	{"/api/v1/districts/09162?lang=en", 200, false},
	{"/api/v1/states?lang=en", 200, true},
	{"/api/v1/states/11", 200, false},
}

// openAPIDoc is the part of an OpenAPI 3.1 document the tests read. Path
// items map methods to operations; a path-level field such as
// "parameters" would not decode, which is intended: the tests would not
// honour it.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title   string `json:"title"`
		Version string `json:"version"`
		License struct {
			Name       string `json:"name"`
			Identifier string `json:"identifier"`
		} `json:"license"`
	} `json:"info"`
	Servers    []map[string]any                       `json:"servers"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Schemas    map[string]json.RawMessage  `json:"schemas"`
		Parameters map[string]openAPIParameter `json:"parameters"`
		Responses  map[string]openAPIResponse  `json:"responses"`
		Headers    map[string]openAPIHeader    `json:"headers"`
	} `json:"components"`
}

type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Summary     string                     `json:"summary"`
	Description string                     `json:"description"`
	Tags        []string                   `json:"tags"`
	Parameters  []openAPIParameter         `json:"parameters"`
	RequestBody *openAPIRequestBody        `json:"requestBody"`
	Responses   map[string]openAPIResponse `json:"responses"`
	Security    []map[string][]string      `json:"security"`
	// XOthers is the status an account without a role gets, when not 200
	// or the documented 403: 404 for things only their owners see.
	XOthers int `json:"x-status-for-others"`
}

type openAPIRequestBody struct {
	Required bool `json:"required"`
	Content  map[string]struct {
		Schema   json.RawMessage `json:"schema"`
		Examples map[string]struct {
			Value json.RawMessage `json:"value"`
		} `json:"examples"`
	} `json:"content"`
}

// protected reports whether the operation needs an API key: it has its
// own security requirement without the empty (anonymous) alternative.
func (op openAPIOperation) protected() bool {
	if op.Security == nil {
		return false
	}
	for _, req := range op.Security {
		if len(req) == 0 {
			return false
		}
	}
	return true
}

type openAPIParameter struct {
	Ref         string          `json:"$ref"`
	Name        string          `json:"name"`
	In          string          `json:"in"`
	Required    bool            `json:"required"`
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Example     any             `json:"example"`
	ptr         string          // JSON pointer of the (resolved) parameter
}

type openAPIResponse struct {
	Ref         string                   `json:"$ref"`
	Description string                   `json:"description"`
	Headers     map[string]openAPIHeader `json:"headers"`
	Content     map[string]struct {
		Schema   json.RawMessage `json:"schema"`
		Examples map[string]struct {
			Value json.RawMessage `json:"value"`
		} `json:"examples"`
	} `json:"content"`
	ptr string // JSON pointer of the (resolved) response
}

type openAPIHeader struct {
	Ref      string          `json:"$ref"`
	Required bool            `json:"required"`
	Schema   json.RawMessage `json:"schema"`
	ptr      string          // JSON pointer of the (resolved) header
}

// schemaFacts are the keywords of a schema that tell which values to send.
type schemaFacts struct {
	Ref       string `json:"$ref"`
	Type      any    `json:"type"`
	Enum      []any  `json:"enum"`
	Minimum   *int   `json:"minimum"`
	Maximum   *int   `json:"maximum"`
	MaxLength *int   `json:"maxLength"`
	Examples  []any  `json:"examples"`
}

// openAPI is the embedded document with a compiler for its schemas.
type openAPI struct {
	openAPIDoc
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

// openAPIOp is one operation with where it sits in the document.
type openAPIOp struct {
	path, method string
	ptr          string // "/paths/~1api~1v1~1states/get"
	openAPIOperation
}

func (op openAPIOp) String() string { return strings.ToUpper(op.method) + " " + op.path }

func loadOpenAPI(tb testing.TB) *openAPI {
	tb.Helper()
	if !json.Valid(openAPIDocument) {
		tb.Fatal("openapi.json is not valid JSON")
	}
	o := &openAPI{compiled: map[string]*jsonschema.Schema{}}
	if err := json.Unmarshal(openAPIDocument, &o.openAPIDoc); err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDocument))
	if err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	o.compiler = jsonschema.NewCompiler()
	o.compiler.DefaultDraft(jsonschema.Draft2020) // the dialect of OpenAPI 3.1
	o.compiler.AssertFormat()                     // "format": "date" is a promise too
	if err := o.compiler.AddResource(openAPIBase, raw); err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	return o
}

// pointer escapes tokens into a JSON pointer ("/paths/~1api~1v1~1states").
func pointer(tokens ...string) string {
	esc := strings.NewReplacer("~", "~0", "/", "~1")
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString("/" + esc.Replace(t))
	}
	return b.String()
}

// schema compiles the schema at JSON pointer ptr, resolving its $refs
// against the whole document.
func (o *openAPI) schema(ptr string) (*jsonschema.Schema, error) {
	if s, ok := o.compiled[ptr]; ok {
		return s, nil
	}
	s, err := o.compiler.Compile(openAPIBase + "#" + ptr)
	if err != nil {
		return nil, fmt.Errorf("schema #%s does not compile: %w", ptr, err)
	}
	o.compiled[ptr] = s
	return s, nil
}

// validate checks the JSON document b against the schema at ptr.
func (o *openAPI) validate(ptr string, b []byte) error {
	s, err := o.schema(ptr)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("is not JSON: %v", err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("does not match schema #%s:\n%v", ptr, err)
	}
	return nil
}

// operations lists the documented operations in a stable order.
func (o *openAPI) operations() []openAPIOp {
	var ops []openAPIOp
	for path, item := range o.Paths {
		for method, op := range item {
			ops = append(ops, openAPIOp{path: path, method: method, ptr: pointer("paths", path, method), openAPIOperation: op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].String() < ops[j].String() })
	return ops
}

func componentName(ref, kind string) (string, bool) {
	return strings.CutPrefix(ref, "#/components/"+kind+"/")
}

// parameters returns the operation's parameters with $refs resolved.
func (o *openAPI) parameters(op openAPIOp) ([]openAPIParameter, error) {
	var out []openAPIParameter
	for i, p := range op.Parameters {
		p.ptr = op.ptr + pointer("parameters", strconv.Itoa(i))
		if p.Ref != "" {
			name, ok := componentName(p.Ref, "parameters")
			c, found := o.Components.Parameters[name]
			if !ok || !found {
				return nil, fmt.Errorf("%s: parameter $ref %s does not resolve", op, p.Ref)
			}
			c.ptr = pointer("components", "parameters", name)
			p = c
		}
		out = append(out, p)
	}
	return out, nil
}

// response returns the documented response for status with $refs resolved.
func (o *openAPI) response(op openAPIOp, status string) (openAPIResponse, bool, error) {
	r, ok := op.Responses[status]
	if !ok {
		return r, false, nil
	}
	r.ptr = op.ptr + pointer("responses", status)
	if r.Ref != "" {
		name, ok := componentName(r.Ref, "responses")
		c, found := o.Components.Responses[name]
		if !ok || !found {
			return r, false, fmt.Errorf("%s: response $ref %s does not resolve", op, r.Ref)
		}
		c.ptr = pointer("components", "responses", name)
		r = c
	}
	return r, true, nil
}

// header returns a response's header with $refs resolved.
func (o *openAPI) header(r openAPIResponse, name string) (openAPIHeader, error) {
	h := r.Headers[name]
	h.ptr = r.ptr + pointer("headers", name)
	if h.Ref != "" {
		cname, ok := componentName(h.Ref, "headers")
		c, found := o.Components.Headers[cname]
		if !ok || !found {
			return h, fmt.Errorf("header $ref %s does not resolve", h.Ref)
		}
		c.ptr = pointer("components", "headers", cname)
		h = c
	}
	return h, nil
}

// facts reads the keywords of a parameter's schema, following one $ref.
func (o *openAPI) facts(p openAPIParameter) (schemaFacts, error) {
	var f schemaFacts
	if err := json.Unmarshal(p.Schema, &f); err != nil {
		return f, fmt.Errorf("parameter %s: schema: %v", p.Name, err)
	}
	if f.Ref != "" {
		name, ok := componentName(f.Ref, "schemas")
		raw, found := o.Components.Schemas[name]
		if !ok || !found {
			return f, fmt.Errorf("parameter %s: schema $ref %s does not resolve", p.Name, f.Ref)
		}
		f = schemaFacts{}
		if err := json.Unmarshal(raw, &f); err != nil {
			return f, fmt.Errorf("parameter %s: schema %s: %v", p.Name, name, err)
		}
	}
	return f, nil
}

func TestOpenAPIDocument(t *testing.T) {
	o := loadOpenAPI(t)
	if !regexp.MustCompile(`^3\.1\.[0-9]+$`).MatchString(o.OpenAPI) {
		t.Errorf("openapi = %q, want 3.1.x", o.OpenAPI)
	}
	if o.Info.Title == "" || o.Info.Version == "" {
		t.Errorf("info lacks title or version: %+v", o.Info)
	}
	if o.Info.License.Identifier != "EUPL-1.2" {
		t.Errorf("info.license.identifier = %q, want EUPL-1.2", o.Info.License.Identifier)
	}
	if len(o.Servers) != 1 || o.Servers[0]["url"] != "/" {
		t.Errorf(`servers = %v, want [{"url": "/"}]`, o.Servers)
	}

	ids := map[string]string{}
	reTemplate := regexp.MustCompile(`\{([^}]+)\}`)
	for _, op := range o.operations() {
		// A DELETE says everything in its path; other writes need a body.
		if op.method != "get" && (!op.protected() || op.method != "delete" && (op.RequestBody == nil || !op.RequestBody.Required)) {
			t.Errorf("%s: only protected operations (with a required request body, unless they delete) may change data", op)
		}
		if _, ok := op.Responses["401"]; op.protected() && !ok {
			t.Errorf("%s: a protected operation documents 401", op)
		}
		if _, ok := op.Responses["403"]; op.method != "get" && !ok {
			t.Errorf("%s: an operation that changes data documents 403 (a read-only key)", op)
		}
		if rb := op.RequestBody; rb != nil {
			for mt := range rb.Content {
				if _, err := o.schema(op.ptr + pointer("requestBody", "content", mt, "schema")); err != nil {
					t.Errorf("%s: request body %s: %v", op, mt, err)
				}
			}
		}
		if op.OperationID == "" || op.Summary == "" || op.Description == "" || len(op.Tags) == 0 {
			t.Errorf("%s: operationId, summary, description and tags are required", op)
		}
		if prev, dup := ids[op.OperationID]; dup {
			t.Errorf("%s: operationId %q is also used by %s", op, op.OperationID, prev)
		}
		ids[op.OperationID] = op.String()

		params, err := o.parameters(op)
		if err != nil {
			t.Error(err)
			continue
		}
		inPath := map[string]bool{}
		for _, p := range params {
			if p.Name == "" || p.Description == "" || len(p.Schema) == 0 {
				t.Errorf("%s: parameter #%s needs name, description and schema", op, p.ptr)
			}
			if _, err := o.schema(p.ptr + "/schema"); err != nil {
				t.Errorf("%s: parameter %s: %v", op, p.Name, err)
			}
			if p.In == "path" {
				inPath[p.Name] = true
				if !p.Required {
					t.Errorf("%s: path parameter %s must be required", op, p.Name)
				}
			}
		}
		for _, m := range reTemplate.FindAllStringSubmatch(op.path, -1) {
			if !inPath[m[1]] {
				t.Errorf("%s: {%s} has no path parameter", op, m[1])
			}
			delete(inPath, m[1])
		}
		for name := range inPath {
			t.Errorf("%s: path parameter %s is not in the path", op, name)
		}

		if len(op.Responses) == 0 {
			t.Errorf("%s: no responses", op)
		}
		for status := range op.Responses {
			r, _, err := o.response(op, status)
			if err != nil {
				t.Error(err)
				continue
			}
			if _, err := strconv.Atoi(status); err != nil {
				t.Errorf("%s: response %q: use explicit status codes", op, status)
			}
			if r.Description == "" || len(r.Content) == 0 {
				t.Errorf("%s: response %s needs a description and content", op, status)
			}
			for mt := range r.Content {
				if _, err := o.schema(r.ptr + pointer("content", mt, "schema")); err != nil {
					t.Errorf("%s: response %s %s: %v", op, status, mt, err)
				}
			}
			for name := range r.Headers {
				h, err := o.header(r, name)
				if err == nil {
					_, err = o.schema(h.ptr + "/schema")
				}
				if err != nil {
					t.Errorf("%s: response %s header %s: %v", op, status, name, err)
				}
			}
		}
	}

	// Every component schema compiles on its own: its $refs resolve and
	// it is valid against the JSON Schema 2020-12 meta-schema.
	for name := range o.Components.Schemas {
		if _, err := o.schema(pointer("components", "schemas", name)); err != nil {
			t.Error(err)
		}
	}

	// The document is served as it is embedded.
	s := newTestServer(t, "sqlite")
	rec := get(t, s, "/api/openapi.json")
	if rec.Code != 200 {
		t.Errorf("GET /api/openapi.json: status %d", rec.Code)
	} else if !bytes.Equal(rec.Body.Bytes(), openAPIDocument) {
		t.Error("GET /api/openapi.json: the body is not the embedded document")
	}
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("GET /api/openapi.json: Access-Control-Allow-Origin = %q, want *", got)
	}
}

// TestOpenAPIExamples checks that every example in the document matches
// its schema, so the examples cannot mislead either.
func TestOpenAPIExamples(t *testing.T) {
	o := loadOpenAPI(t)
	n := 0
	check := func(where, ptr string, value []byte) {
		n++
		if err := o.validate(ptr, value); err != nil {
			t.Errorf("example %s %v", where, err)
		}
	}
	for _, op := range o.operations() {
		params, err := o.parameters(op)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range params {
			if p.Example != nil {
				b, _ := json.Marshal(p.Example)
				check(fmt.Sprintf("of parameter %s of %s", p.Name, op), p.ptr+"/schema", b)
			}
		}
		for status, r := range op.Responses {
			for mt, c := range r.Content {
				for ex, v := range c.Examples {
					check(fmt.Sprintf("%q of %s %s", ex, op, status), op.ptr+pointer("responses", status, "content", mt, "schema"), v.Value)
				}
			}
		}
		if rb := op.RequestBody; rb != nil {
			for mt, c := range rb.Content {
				for ex, v := range c.Examples {
					check(fmt.Sprintf("%q of the request body of %s", ex, op), op.ptr+pointer("requestBody", "content", mt, "schema"), v.Value)
				}
			}
		}
	}
	for name, r := range o.Components.Responses {
		for mt, c := range r.Content {
			for ex, v := range c.Examples {
				check(fmt.Sprintf("%q of response %s", ex, name), pointer("components", "responses", name, "content", mt, "schema"), v.Value)
			}
		}
	}
	for name, raw := range o.Components.Schemas {
		var f schemaFacts
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Errorf("schema %s: %v", name, err)
			continue
		}
		for i, ex := range f.Examples {
			b, _ := json.Marshal(ex)
			check(fmt.Sprintf("#%d of schema %s", i, name), pointer("components", "schemas", name), b)
		}
	}
	if n < 10 {
		t.Errorf("only %d examples checked; the document should show real data", n)
	}
}

// TestOpenAPIExamplesAreReal checks that the examples of single units are
// the real responses: an example object whose field names the path
// parameter ("ags", "key") must equal the response for that key.
func TestOpenAPIExamplesAreReal(t *testing.T) {
	o := loadOpenAPI(t)
	s := newTestServer(t, "sqlite")
	n := 0
	for _, op := range o.operations() {
		params, err := o.parameters(op)
		if err != nil {
			t.Fatal(err)
		}
		var param string
		for _, p := range params {
			if p.In == "path" {
				param = p.Name
			}
		}
		r, ok, err := o.response(op, "200")
		// The examples of protected operations show accounts and times of
		// one database; their schemas and the requests in
		// openAPIWriteCases hold them to the handlers.
		if param == "" || !ok || err != nil || op.protected() {
			continue
		}
		for _, c := range r.Content {
			for name, ex := range c.Examples {
				var want map[string]any
				if err := json.Unmarshal(ex.Value, &want); err != nil {
					t.Fatalf("%s example %q: %v", op, name, err)
				}
				key, ok := want[param].(string)
				if !ok {
					continue
				}
				target := strings.ReplaceAll(op.path, "{"+param+"}", url.PathEscape(key))
				rec := get(t, s, target)
				var got map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
					t.Errorf("%s example %q: GET %s: %d %s", op, name, target, rec.Code, rec.Body)
					continue
				}
				n++
				if !reflect.DeepEqual(got, want) {
					w, _ := json.Marshal(want)
					t.Errorf("%s example %q is not the real response of GET %s:\nexample %s\nreal    %s", op, name, target, w, bytes.TrimSpace(rec.Body.Bytes()))
				}
			}
		}
	}
	if n < 3 {
		t.Errorf("only %d examples compared with real responses", n)
	}
}

// TestOpenAPIRoutes compares the JSON routes of the route table with the
// documented operations, in both directions.
func TestOpenAPIRoutes(t *testing.T) {
	registered := map[string]access{}
	for _, rt := range newTestServer(t, "sqlite").routeTable() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok {
			method, path = "", rt.pattern
		}
		if !strings.HasPrefix(path, "/api/") && !slices.Contains(opsRoutes, path) {
			continue
		}
		if method == "" {
			t.Errorf("route %s has no method; the document cannot describe it", rt.pattern)
			continue
		}
		registered[rt.pattern] = rt.access
	}
	documented := map[string]openAPIOp{}
	for _, op := range loadOpenAPI(t).operations() {
		documented[op.String()] = op
	}
	for r, a := range registered {
		op, ok := documented[r]
		switch {
		case !ok:
			t.Errorf("the route table has %s, but openapi.json does not document it", r)
		case op.protected() != (a != accessPublic):
			t.Errorf("%s: the route's access rule and the document's security requirement disagree (protected: %v)", r, op.protected())
		}
	}
	for d := range documented {
		if _, ok := registered[d]; !ok {
			t.Errorf("openapi.json documents %s, but the route table has no such route", d)
		}
	}
}

// pathMatches reports whether path fills the template's {parameters}.
func pathMatches(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i, seg := range ts {
		if seg != ps[i] && !(strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") && ps[i] != "") {
			return false
		}
	}
	return true
}

// apiCase is one request to send and the status it must get.
type apiCase struct {
	op        openAPIOp
	method    string // GET when empty
	target    string
	body      string
	headers   []string
	status    int
	wantItems bool
	broken    bool   // send to a server whose database is gone
	as        string // the caller's API key: one of openAPICallers, or none
}

// openAPICases derives the requests for every documented operation.
func openAPICases(t *testing.T, o *openAPI) []apiCase {
	t.Helper()
	var cases []apiCase
	ops := o.operations()
	// Every query parameter name of the whole API, to check that each
	// operation refuses the ones it does not document.
	allNames := map[string]bool{}
	for _, op := range ops {
		params, err := o.parameters(op)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range params {
			if p.In == "query" {
				allNames[p.Name] = true
			}
		}
	}
	for _, op := range ops {
		if op.method != "get" {
			continue // see openAPIWriteCases
		}
		params, _ := o.parameters(op)
		if slices.ContainsFunc(params, func(p openAPIParameter) bool { return p.In == "query" && p.Required }) {
			continue // no request without the parameter is valid: see openAPIWriteCases
		}
		as := ""
		if op.protected() {
			as = "operator"
		}
		add := func(target string, status int, headers ...string) {
			cases = append(cases, apiCase{op: op, target: target, status: status, headers: headers, as: as})
		}

		// The path with every path parameter set to its example, a real key.
		base := op.path
		var pathParams []openAPIParameter
		var headers []string
		own := map[string]bool{}
		for _, p := range params {
			switch p.In {
			case "path":
				ex, ok := p.Example.(string)
				if !ok || ex == "" {
					t.Fatalf("%s: path parameter %s needs a string example, a real key", op, p.Name)
				}
				base = strings.ReplaceAll(base, "{"+p.Name+"}", url.PathEscape(ex))
				pathParams = append(pathParams, p)
			case "header":
				if ex, ok := p.Example.(string); ok {
					headers = append(headers, p.Name+": "+ex)
				}
			case "query":
				own[p.Name] = true
			}
		}
		add(base, 200)
		add(base, 200, headers...)
		if op.protected() {
			// Without a key, and with the key of an account without a role.
			cases = append(cases, apiCase{op: op, target: base, status: 401})
			status := 200
			if _, ok := op.Responses["403"]; ok {
				status = 403
			}
			if op.XOthers != 0 {
				status = op.XOthers
			}
			cases = append(cases, apiCase{op: op, target: base, status: status, as: "user"})
		}

		// Each query parameter with its example, every enum value and the
		// bounds, then with values that must be refused.
		_, has400, _ := o.response(op, "400")
		with := func(name, value string) string {
			return base + "?" + url.Values{name: {value}}.Encode()
		}
		for _, p := range params {
			if p.In != "query" {
				continue
			}
			f, err := o.facts(p)
			if err != nil {
				t.Fatal(err)
			}
			valid := 0
			if ex, ok := p.Example.(string); ok {
				add(with(p.Name, ex), 200)
				valid++
			}
			for _, v := range f.Enum {
				add(with(p.Name, fmt.Sprint(v)), 200)
				valid++
			}
			if f.Minimum != nil && f.Maximum != nil {
				add(with(p.Name, strconv.Itoa(*f.Minimum)), 200)
				add(with(p.Name, strconv.Itoa(*f.Maximum)), 200)
				add(with(p.Name, strconv.Itoa(*f.Minimum-1)), 400)
				add(with(p.Name, strconv.Itoa(*f.Maximum+1)), 400)
				valid++
			}
			if f.MaxLength != nil {
				add(with(p.Name, strings.Repeat("a", *f.MaxLength)), 200)
				add(with(p.Name, strings.Repeat("a", *f.MaxLength+1)), 400)
			}
			if valid == 0 {
				t.Errorf("%s: query parameter %s has no example, enum or bounds; the test cannot send a valid value", op, p.Name)
			}
			if p.Name == "lang" {
				continue
			}
			if !has400 {
				t.Errorf("%s: query parameter %s can be invalid, but 400 is not documented", op, p.Name)
				continue
			}
			bad, ok := invalidQueryValues[p.Name]
			if !ok {
				t.Errorf("%s: add invalid values of query parameter %s to invalidQueryValues", op, p.Name)
			}
			for _, v := range bad {
				add(with(p.Name, v), 400)
			}
			if ex, ok := p.Example.(string); ok {
				add(base+"?"+url.Values{p.Name: {ex, ex}}.Encode(), 400) // repeated
			}
		}
		if !has400 {
			// Such an operation ignores its query; should it start to
			// refuse one, the 400 must be documented.
			add(with("unknown_parameter", "1"), 200)
		} else {
			add(with("unknown_parameter", "1"), 400)
			add(base+"?lang=de&lang=en", 400)
			for name := range allNames {
				if !own[name] {
					add(with(name, "1"), 400)
				}
			}
		}

		// Well-formed keys that do not exist, and malformed ones. They are
		// tried whether or not 404 is documented, so an undocumented 404
		// fails.
		for _, p := range pathParams {
			ex := p.Example.(string)
			for _, v := range []string{strings.Repeat("9", len(ex)), ex + "0", ex[:len(ex)-1], "x"} {
				target := op.path
				for _, q := range pathParams {
					val := q.Example.(string)
					if q.Name == p.Name {
						val = v
					}
					target = strings.ReplaceAll(target, "{"+q.Name+"}", url.PathEscape(val))
				}
				add(target, 404)
			}
		}
		if _, has503, _ := o.response(op, "503"); has503 {
			cases = append(cases, apiCase{op: op, target: base, status: 503, broken: true})
		}
	}

	// The extra cases, matched to their operations like the router does.
	for _, x := range openAPIExtraCases {
		path, _, _ := strings.Cut(x.target, "?")
		found := false
		for _, op := range ops {
			if pathMatches(op.path, path) {
				cases = append(cases, apiCase{op: op, target: x.target, status: x.status, wantItems: x.wantItems})
				found = true
				break
			}
		}
		if !found {
			t.Errorf("extra case %s matches no documented path", x.target)
		}
	}
	return cases
}

// TestOpenAPIResponses sends every derived request through the real
// router and checks status, content type, headers and body against the
// document.
func TestOpenAPIResponses(t *testing.T) {
	o := loadOpenAPI(t)
	cases := openAPICases(t, o)
	eachServer(t, func(t *testing.T, s *Server) {
		// A server whose database has gone away, for the 503 of /readyz.
		db := storetest.New(t, s.DB.Dialect())
		broken := newServerOn(t, db)
		db.Close()

		keys := openAPICallers(t, s)
		seen := map[string]bool{} // "GET /api/v1/states 200"
		for _, c := range append(cases, openAPIWriteCases(t, o, s)...) {
			h := s
			if c.broken {
				h = broken
			}
			if c.as != "" {
				c.headers = append(slices.Clip(c.headers), "Authorization: Bearer "+keys[c.as])
			}
			code, body := checkOpenAPIResponse(t, o, h, c)
			seen[fmt.Sprintf("%s %d", c.op, code)] = true

			// Follow the next page once, to check the cursor round trip.
			var l struct {
				Next string `json:"next"`
			}
			if code == 200 && json.Unmarshal(body, &l) == nil && l.Next != "" && !strings.Contains(c.target, "cursor=") {
				next := c
				sep := "?"
				if strings.Contains(c.target, "?") {
					sep = "&"
				}
				next.target += sep + "cursor=" + url.QueryEscape(l.Next)
				next.wantItems = true
				checkOpenAPIResponse(t, o, h, next)
			}
		}
		// Every documented response has been seen.
		for _, op := range o.operations() {
			for status := range op.Responses {
				if !seen[fmt.Sprintf("%s %s", op, status)] {
					t.Errorf("%s: documented response %s is never exercised; add a case", op, status)
				}
			}
		}
		t.Logf("%d requests checked against %d operations", len(cases), len(o.operations()))
	})
}

// checkOpenAPIResponse sends c and checks the response against the
// document; it returns the status and the body.
func checkOpenAPIResponse(t *testing.T, o *openAPI, h *Server, c apiCase) (int, []byte) {
	t.Helper()
	method := c.method
	if method == "" {
		method = "GET"
	}
	headers := c.headers
	if c.body != "" {
		headers = append(slices.Clip(headers), "Content-Type: application/json")
	}
	rec := do(t, h, method, c.target, strings.NewReader(c.body), headers...)
	where := fmt.Sprintf("%s (%s %s as %q) → %d", c.op, method, c.target, c.as, rec.Code)
	body := rec.Body.Bytes()
	if rec.Code != c.status {
		t.Errorf("%s: want status %d; body: %.300s", where, c.status, body)
	}
	r, ok, err := o.response(c.op, strconv.Itoa(rec.Code))
	if err != nil {
		t.Error(err)
		return rec.Code, body
	}
	if !ok {
		t.Errorf("%s: status %d is not documented for %s; body: %.300s", where, rec.Code, c.op, body)
		return rec.Code, body
	}
	ct := rec.Header().Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if _, documented := r.Content[mt]; err != nil || !documented {
		var want []string
		for k := range r.Content {
			want = append(want, k)
		}
		t.Errorf("%s: Content-Type %q is not documented (documented: %v)", where, ct, want)
		return rec.Code, body
	}
	for name := range r.Headers {
		hd, err := o.header(r, name)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		v := rec.Header().Values(name)
		if len(v) == 0 {
			if hd.Required {
				t.Errorf("%s: documented header %s is missing", where, name)
			}
			continue
		}
		b, _ := json.Marshal(v[0])
		if err := o.validate(hd.ptr+"/schema", b); err != nil {
			t.Errorf("%s: header %s: %q %v", where, name, v[0], err)
		}
	}
	for _, hv := range c.headers {
		if k, v, _ := strings.Cut(hv, ": "); strings.EqualFold(k, "X-Request-Id") && rec.Header().Get("X-Request-Id") != v {
			t.Errorf("%s: X-Request-Id %q was not kept (got %q)", where, v, rec.Header().Get("X-Request-Id"))
		}
	}
	if err := o.validate(r.ptr+pointer("content", mt, "schema"), body); err != nil {
		t.Errorf("%s: body %v\nbody: %.500s", where, err, body)
	}
	if c.wantItems {
		var l struct {
			Items []json.RawMessage `json:"items"`
		}
		if json.Unmarshal(body, &l) != nil || len(l.Items) == 0 {
			t.Errorf("%s: want a non-empty list, so that the item schema is checked", where)
		}
	}
	return rec.Code, body
}
