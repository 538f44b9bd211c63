package http

// This file: the full-text search of the competence centre (/wissen/suche)
// across knowledge articles, practice examples and events. The JSON API of
// the same search is in centre_search_api.go.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/centre"
	"github.com/smartregions/smartregions/internal/web"
)

// newCentreSearch builds the centre's search and indexes what is
// published but not yet in its index.
func newCentreSearch(ctx context.Context, d Deps) (*centre.Service, error) {
	var fields centre.FieldLister
	if d.Fields != nil {
		fields = d.Fields
	}
	svc := centre.New(d.DB, fields)
	if err := svc.Init(ctx); err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	return svc, nil
}

// centreFormFields maps the service's field names to the form's.
var centreFormFields = map[string]string{"q": "q", "kind": "art", "field": "feld", "cursor": "seite", "limit": "seite"}

// CentreSearchView is the Data of the "centre_search" page.
type CentreSearchView struct {
	Query  string
	Kinds  []string        // every kind, in filter order
	Chosen map[string]bool // kinds ticked
	Fields []catalog.Field
	Field  string
	Labels map[string]string // field-of-action key → label in the page's language
	Result centre.Result
	From   int // number of the first hit shown
	To     int // number of the last hit shown
	Prev   string
	Next   string
}

func (s *Server) handleCentreSearch(w http.ResponseWriter, r *http.Request) error {
	all, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return readParams(r).Err() // names the malformed query
	}
	// The kinds are checkboxes: "art" may repeat, every other parameter
	// is read (and refused when repeated or unknown) as everywhere.
	kinds := centre.ParseKinds(all["art"])
	all.Del("art")
	rest := r.WithContext(r.Context())
	u := *r.URL
	u.RawQuery = all.Encode()
	rest.URL = &u
	p := readParams(rest, "q", "feld", "seite")
	text, field := p.str("q"), p.str("feld")
	page := p.int("seite", 1, 1, centre.MaxOffset/centre.DefaultLimit+1)
	if err := p.Err(); err != nil {
		return err
	}
	v := CentreSearchView{Query: text, Kinds: centre.Kinds, Chosen: map[string]bool{}, Field: field, Labels: map[string]string{}}
	for _, k := range kinds {
		v.Chosen[k] = true
	}
	if s.Fields != nil {
		if v.Fields, err = s.Fields.All(r.Context()); err != nil {
			return err
		}
		for _, f := range v.Fields {
			v.Labels[f.Key] = f.Label(langOf(r))
			for _, c := range f.Children {
				v.Labels[c.Key] = c.Label(langOf(r))
			}
		}
	}
	pg := s.page(r, s.t(r, "centresearch.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "knowledge.title"), Href: "/wissen"},
		{Label: s.t(r, "centresearch.title")}}
	pg.Form = url.Values{"q": {text}}
	offset := (page - 1) * centre.DefaultLimit
	res, err := s.Centre.Search(r.Context(), centre.Query{Text: text, Kinds: kinds, Field: field, Offset: offset})
	if err != nil {
		var e *apperr.Error
		if !errors.As(err, &e) || e.Code != apperr.Invalid || len(e.Fields) == 0 {
			return err
		}
		// Show the form again with the messages next to the fields.
		pg.FieldErrors = map[string]string{}
		for _, f := range e.Fields {
			name := centreFormFields[f.Field]
			if name == "" {
				name = f.Field
			}
			pg.FieldErrors[name] = s.t(r, f.Key, append([]any{"Name", name}, f.Args...)...)
		}
		pg.Data = v
		s.renderStatus(w, r, http.StatusBadRequest, "centre_search", pg)
		return nil
	}
	v.Result, v.From, v.To = res, offset+1, offset+len(res.Items)
	link := func(page int) string {
		q := url.Values{"q": {text}}
		if field != "" {
			q.Set("feld", field)
		}
		for _, k := range kinds {
			q.Add("art", k)
		}
		if page > 1 {
			q.Set("seite", strconv.Itoa(page))
		}
		return "/wissen/suche?" + q.Encode()
	}
	if page > 1 && res.Total > 0 {
		v.Prev = link(min(page-1, (res.Total+centre.DefaultLimit-1)/centre.DefaultLimit))
	}
	if res.Next > 0 {
		v.Next = link(page + 1)
	}
	pg.Data = v
	return s.render(w, r, "centre_search", pg)
}
