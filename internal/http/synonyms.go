package http

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/web"
)

// The curators' pages and API of the search synonyms (search.Synonyms).
// A change takes effect at once for searches on this instance and within
// a minute on the others (they read the groups again after that).

// SynonymsView is the Data of the "synonyms" page.
type SynonymsView struct {
	Groups      []search.SynonymGroup
	Max         int // groups allowed
	Done, Alert string
	// Check is the text of "Begriff prüfen" and Reaches what the search
	// makes of its words.
	Check   string
	Reaches []search.Reach
}

// SynonymView is the Data of the "synonym" page.
type SynonymView struct {
	Group search.SynonymGroup
	Alert string
}

// SynonymResetView is the Data of the "synonyms_reset" page: how many
// groups there are and how many the shipped list has.
type SynonymResetView struct{ Current, Shipped int }

// synonymsDone maps the ?erledigt= values of the synonyms page.
var synonymsDone = map[string]string{
	"angelegt":       "synonyms.done.added",
	"gespeichert":    "synonyms.done.saved",
	"geloescht":      "synonyms.done.deleted",
	"zurueckgesetzt": "synonyms.done.reset",
}

func (s *Server) handleSynonymList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt", "begriff")
	done := s.doneParam(r, p, synonymsDone)
	if err := p.Err(); err != nil {
		return err
	}
	v := SynonymsView{Done: done, Check: strings.TrimSpace(p.str("begriff"))}
	if n := utf8.RuneCountInString(v.Check); n > search.MaxText {
		return s.renderSynonyms(w, r, http.StatusBadRequest, v, map[string]string{"begriff": s.t(r, "form.error.too_long", "Max", search.MaxText)})
	}
	return s.renderSynonyms(w, r, http.StatusOK, v, nil)
}

func (s *Server) renderSynonyms(w http.ResponseWriter, r *http.Request, status int, v SynonymsView, fields map[string]string) error {
	groups, err := s.Synonyms.List(r.Context())
	if err != nil {
		return err
	}
	v.Groups, v.Max = groups, search.MaxSynonymGroups
	if v.Check != "" && fields["begriff"] == "" {
		v.Reaches = search.Reaches(groups, v.Check)
	}
	pg := s.page(r, s.t(r, "synonyms.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	pg.Form = keptInput(r)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "synonyms.title")}}
	pg.Data = v
	s.renderStatus(w, r, status, "synonyms", pg)
	return nil
}

// synonymFormError is formError with every message of a field kept (a
// group may have several faulty members).
func (s *Server) synonymFormError(r *http.Request, err error) (map[string]string, string, bool) {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return nil, "", false
	}
	var e *apperr.Error
	if errors.As(err, &e) && len(e.Fields) > 1 {
		fields = map[string]string{}
		for _, f := range e.Fields {
			msg := s.t(r, f.Key, append([]any{"Name", f.Field}, f.Args...)...)
			if prev := fields[f.Field]; prev != "" {
				msg = prev + " " + msg
			}
			fields[f.Field] = msg
		}
	}
	return fields, alert, true
}

func (s *Server) handleSynonymAdd(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if _, err := s.Synonyms.Add(r.Context(), userOf(r).user, search.SplitMembers(r.PostForm.Get("members")), s.meta(r)); err != nil {
		fields, alert, ok := s.synonymFormError(r, err)
		if !ok {
			return err
		}
		return s.renderSynonyms(w, r, http.StatusBadRequest, SynonymsView{Alert: alert}, fields)
	}
	http.Redirect(w, r, "/kuratierung/synonyme?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

func (s *Server) handleSynonymEdit(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderSynonymEdit(w, r, http.StatusOK, "", nil, false)
}

// renderSynonymEdit shows the edit form of the group in the path: as
// stored, or with what the user typed after a failed attempt (kept).
func (s *Server) renderSynonymEdit(w http.ResponseWriter, r *http.Request, status int, alert string, fields map[string]string, kept bool) error {
	id, err := search.ParseGroupID(r.PathValue("id"))
	if err != nil {
		return err
	}
	g, err := s.Synonyms.Get(r.Context(), id)
	if err != nil {
		return err
	}
	title := s.t(r, "synonyms.edit.title", "ID", g.ID)
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	pg.Form = url.Values{"members": {strings.Join(g.Members, "\n")}, "version": {g.Version()}}
	if kept {
		pg.Form = keptInput(r)
	}
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "synonyms.title"), Href: "/kuratierung/synonyme"},
		{Label: title}}
	pg.Data = SynonymView{Group: g, Alert: alert}
	s.renderStatus(w, r, status, "synonym", pg)
	return nil
}

func (s *Server) handleSynonymUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	id, err := search.ParseGroupID(r.PathValue("id"))
	if err != nil {
		return err
	}
	members := search.SplitMembers(r.PostForm.Get("members"))
	if _, err := s.Synonyms.Update(r.Context(), userOf(r).user, id, members, r.PostForm.Get("version"), s.meta(r)); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			// Someone changed the group meanwhile: show it as it is now,
			// and what this curator typed, so that nothing is lost.
			return s.renderSynonymEdit(w, r, http.StatusConflict, s.t(r, "synonyms.error.changed_yours", "Yours", strings.Join(members, ", ")), nil, false)
		}
		fields, alert, ok := s.synonymFormError(r, err)
		if !ok {
			return err
		}
		return s.renderSynonymEdit(w, r, http.StatusBadRequest, alert, fields, true)
	}
	http.Redirect(w, r, "/kuratierung/synonyme?erledigt=gespeichert#gruppe-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) handleSynonymDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	id, err := search.ParseGroupID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.Synonyms.Delete(r.Context(), userOf(r).user, id, s.meta(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/kuratierung/synonyme?erledigt=geloescht", http.StatusSeeOther)
	return nil
}

// handleSynonymReset asks first (a page with the confirming button) and
// resets only when the form says bestaetigt=ja.
func (s *Server) handleSynonymReset(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if r.PostForm.Get("bestaetigt") != "ja" {
		pg := s.page(r, s.t(r, "synonyms.reset.title"))
		pg.CSRFToken = s.csrfToken(w, r)
		pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "synonyms.title"), Href: "/kuratierung/synonyme"},
			{Label: s.t(r, "synonyms.reset.title")}}
		groups, err := s.Synonyms.List(r.Context())
		if err != nil {
			return err
		}
		pg.Data = SynonymResetView{Current: len(groups), Shipped: len(search.DefaultSynonyms())}
		return s.render(w, r, "synonyms_reset", pg)
	}
	if err := s.Synonyms.Reset(r.Context(), userOf(r).user, s.meta(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/kuratierung/synonyme?erledigt=zurueckgesetzt", http.StatusSeeOther)
	return nil
}

// apiSynonymGroup is a synonym group in the API.
type apiSynonymGroup struct {
	ID        int64    `json:"id"`
	Members   []string `json:"members"`
	UpdatedAt *string  `json:"updated_at"`
	UpdatedBy *string  `json:"updated_by"`
}

func apiSynonymGroupOf(g search.SynonymGroup) apiSynonymGroup {
	a := apiSynonymGroup{ID: g.ID, Members: g.Members}
	if g.Updated != nil {
		at := g.Updated.UTC().Format(time.RFC3339)
		a.UpdatedAt, a.UpdatedBy = &at, &g.UpdatedBy
	}
	return a
}

// apiSynonymBody is the body of POST and PUT.
type apiSynonymBody struct {
	Members []string `json:"members"`
}

func (s *Server) handleAPISynonymList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	groups, err := s.Synonyms.List(r.Context())
	if err != nil {
		return err
	}
	// At most search.MaxSynonymGroups small groups: one page.
	out := list[apiSynonymGroup]{Items: make([]apiSynonymGroup, 0, len(groups)), Total: len(groups)}
	for _, g := range groups {
		out.Items = append(out.Items, apiSynonymGroupOf(g))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPISynonymCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiSynonymBody
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	g, err := s.Synonyms.Add(r.Context(), userOf(r).user, body.Members, s.meta(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/search/synonyms/"+strconv.FormatInt(g.ID, 10))
	writeJSON(w, http.StatusCreated, "application/json", apiSynonymGroupOf(g))
	return nil
}

func (s *Server) handleAPISynonymUpdate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	id, err := search.ParseGroupID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var body apiSynonymBody
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	g, err := s.Synonyms.Update(r.Context(), userOf(r).user, id, body.Members, "", s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiSynonymGroupOf(g))
	return nil
}

func (s *Server) handleAPISynonymDelete(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	id, err := search.ParseGroupID(r.PathValue("id"))
	if err != nil {
		return err
	}
	g, err := s.Synonyms.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.Synonyms.Delete(r.Context(), userOf(r).user, id, s.meta(r)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiSynonymGroupOf(g))
	return nil
}
