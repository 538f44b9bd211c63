package http

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/i18n"
)

// params reads a request's query parameters against the names a route
// accepts. Any other name, a repeated one or a malformed value is an
// invalid request (400), never silently ignored.
type params struct {
	v url.Values
	apperr.Validation
}

// readParams checks that r's query has only the allowed names (lang is
// allowed everywhere) and each at most once.
func readParams(r *http.Request, allowed ...string) *params {
	p := &params{}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		p.Add("query", "error.param.malformed")
		return p
	}
	p.v = v
	ok := map[string]bool{"lang": true}
	for _, a := range allowed {
		ok[a] = true
	}
	if l := v.Get("lang"); l != "" && !i18n.IsSupported(l) {
		p.Add("lang", "error.param.lang")
	}
	for name, vals := range v {
		switch {
		case !ok[name]:
			p.Add(name, "error.param.unknown", "Name", name)
		case len(vals) > 1:
			p.Add(name, "error.param.repeated", "Name", name)
		}
	}
	return p
}

// str returns the parameter's value, "" when absent.
func (p *params) str(name string) string { return p.v.Get(name) }

// int returns the parameter as an integer in [min, max], def when absent.
func (p *params) int(name string, def, min, max int) int {
	s := p.v.Get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		p.Add(name, "error.param.range", "Name", name, "Min", min, "Max", max)
		return def
	}
	return n
}

// id returns the parameter when it is a UUID (a keyset cursor or an id),
// "" when absent, and records an error for anything else.
func (p *params) id(name string) string {
	s := p.v.Get(name)
	if s == "" {
		return ""
	}
	if _, err := uuid.Parse(s); err != nil {
		p.Add(name, "error.param.cursor")
		return ""
	}
	return s
}
