package http

import (
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/web"
)

// FieldsView is the Data of the "fields" and "fields_admin" pages.
type FieldsView struct {
	Fields []catalog.Field
	Done   string
	Alert  string
}

// FieldView is the Data of the "field_admin" page.
type FieldView struct {
	Field catalog.Field
	Alert string
}

// fieldsDone maps the ?erledigt= values of the taxonomy pages to messages.
var fieldsDone = map[string]string{
	"angelegt":    "fields.done.added",
	"gespeichert": "fields.done.saved",
	"verschoben":  "fields.done.moved",
	"geloescht":   "fields.done.deleted",
}

func (s *Server) handleFieldList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "fields.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "fields.title")}}
	pg.Data = FieldsView{Fields: tree}
	return s.render(w, r, "fields", pg)
}

func (s *Server) handleFieldAdmin(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := s.doneParam(r, p, fieldsDone)
	if err := p.Err(); err != nil {
		return err
	}
	return s.renderFieldAdmin(w, r, http.StatusOK, FieldsView{Done: done}, nil)
}

func (s *Server) renderFieldAdmin(w http.ResponseWriter, r *http.Request, status int, v FieldsView, fields map[string]string) error {
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	v.Fields = tree
	pg := s.page(r, s.t(r, "fields.admin.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	pg.Form = keptInput(r)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "fields.admin.title")}}
	pg.Data = v
	s.renderStatus(w, r, status, "fields_admin", pg)
	return nil
}

func (s *Server) handleFieldAdd(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	f := r.PostForm
	if _, err := s.Fields.Add(r.Context(), userOf(r).user, f.Get("parent"), f.Get("slug"), f.Get("label_de"), f.Get("label_en"), s.meta(r)); err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.Forbidden) {
			return err
		}
		return s.renderFieldAdmin(w, r, http.StatusBadRequest, FieldsView{Alert: alert}, fields)
	}
	http.Redirect(w, r, "/betrieb/handlungsfelder?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

// field finds a field of the taxonomy by key.
func (s *Server) field(r *http.Request, key string) (catalog.Field, error) {
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return catalog.Field{}, err
	}
	for _, top := range tree {
		if top.Key == key {
			return top, nil
		}
		for _, c := range top.Children {
			if c.Key == key {
				return c, nil
			}
		}
	}
	return catalog.Field{}, apperr.New(apperr.NotFound, "catalog.error.field_not_found")
}

func (s *Server) handleFieldEdit(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderFieldEdit(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderFieldEdit(w http.ResponseWriter, r *http.Request, status int, alert string, fields map[string]string) error {
	f, err := s.field(r, r.PathValue("key"))
	if err != nil {
		return err
	}
	pg := s.page(r, f.Label(langOf(r)))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	pg.Form = url.Values{"label_de": {f.LabelDE}, "label_en": {f.LabelEN}}
	if fields != nil || alert != "" {
		pg.Form = keptInput(r)
	}
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "fields.admin.title"), Href: "/betrieb/handlungsfelder"},
		{Label: f.Label(langOf(r))}}
	pg.Data = FieldView{Field: f, Alert: alert}
	s.renderStatus(w, r, status, "field_admin", pg)
	return nil
}

// fieldRetry shows the edit page again after a failed form on it.
func (s *Server) fieldRetry(w http.ResponseWriter, r *http.Request, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return err
	}
	return s.renderFieldEdit(w, r, http.StatusBadRequest, alert, fields)
}

func (s *Server) handleFieldUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Fields.Update(r.Context(), userOf(r).user, r.PathValue("key"), r.PostForm.Get("label_de"), r.PostForm.Get("label_en"), s.meta(r)); err != nil {
		return s.fieldRetry(w, r, err)
	}
	http.Redirect(w, r, "/betrieb/handlungsfelder?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

func (s *Server) handleFieldMove(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	dir := r.PostForm.Get("richtung")
	if dir != "hoch" && dir != "runter" {
		var v apperr.Validation
		v.Add("richtung", "fields.error.direction")
		return s.fieldRetry(w, r, v.Err())
	}
	if err := s.Fields.Move(r.Context(), userOf(r).user, r.PathValue("key"), dir == "hoch", s.meta(r)); err != nil {
		return s.fieldRetry(w, r, err)
	}
	http.Redirect(w, r, "/betrieb/handlungsfelder?erledigt=verschoben#"+url.PathEscape(r.PathValue("key")), http.StatusSeeOther)
	return nil
}

func (s *Server) handleFieldDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Fields.Delete(r.Context(), userOf(r).user, r.PathValue("key"), s.meta(r)); err != nil {
		return s.fieldRetry(w, r, err)
	}
	http.Redirect(w, r, "/betrieb/handlungsfelder?erledigt=geloescht", http.StatusSeeOther)
	return nil
}

// apiField is a field of action in the API.
type apiField struct {
	Key      string            `json:"key"`
	Label    string            `json:"label"`
	Labels   map[string]string `json:"labels"`
	Children []apiField        `json:"children,omitempty"`
}

func apiFieldOf(f catalog.Field, lang string) apiField {
	a := apiField{Key: f.Key, Label: f.Label(lang), Labels: map[string]string{"de": f.LabelDE, "en": f.LabelEN}}
	for _, c := range f.Children {
		a.Children = append(a.Children, apiFieldOf(c, lang))
	}
	return a
}

func (s *Server) handleAPIFieldList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	out := list[apiField]{Items: []apiField{}, Total: len(tree)}
	for _, f := range tree {
		out.Items = append(out.Items, apiFieldOf(f, langOf(r)))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}
