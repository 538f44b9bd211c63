package http

// This file: writing and reviewing articles of the knowledge base
// (/wissen/neu, /wissen/{slug}/bearbeiten, …/einreichen, …/pruefung,
// …/geprueft, …/anhaenge). The service decides who may (knowledge.Can).

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/web"
)

// maxKnowledgeBody bounds the body of an upload of attachments.
const maxKnowledgeBody = knowledge.MaxFiles*knowledge.MaxFileSize + 1<<20

// knowledgeUploadRoutes are the routes whose bodies may reach
// maxKnowledgeBody (see bodyLimit).
var knowledgeUploadRoutes = func() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("POST /wissen/{slug}/anhaenge", http.NotFoundHandler())
	return mux
}()

// KnowledgeFormView is the Data of the "knowledge_form" page.
type KnowledgeFormView struct {
	Article *knowledge.Article // nil for a new article
	Writer  bool               // false: the user may not write, the page says so
	Kinds   []knowledge.Kind
	Fields  []catalog.Field
	Chosen  map[string]bool // chosen fields of action
	Action  string
	Alert   string
}

// knowledgeInput reads the editor's form.
func knowledgeInput(f url.Values) knowledge.Input {
	lock, _ := strconv.Atoi(f.Get("lock"))
	return knowledge.Input{Content: knowledge.Content{Kind: knowledge.Kind(f.Get("kind")), Title: f.Get("title"), Summary: f.Get("summary"),
		Body: f.Get("body"), Fields: f["fields"], Solutions: []string{f.Get("solutions")}, Related: []string{f.Get("related")}},
		Owner: f.Get("owner"), Lock: lock}
}

func (s *Server) renderKnowledgeForm(w http.ResponseWriter, r *http.Request, status int, a *knowledge.Article, form url.Values, fields map[string]string, alert string) error {
	v := KnowledgeFormView{Writer: knowledge.Writer(optionalUser(r)), Article: a, Kinds: knowledge.Kinds, Chosen: map[string]bool{}, Action: "/wissen/neu", Alert: alert}
	title := s.t(r, "knowledge.new.title")
	if a != nil {
		v.Action, title = "/wissen/"+a.Slug+"/bearbeiten", s.t(r, "knowledge.edit.title", "Title", a.Working.Title)
	}
	for _, k := range form["fields"] {
		v.Chosen[k] = true
	}
	if s.Fields != nil {
		var err error
		if v.Fields, err = s.Fields.All(r.Context()); err != nil {
			return err
		}
	}
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = form, fields
	if a != nil {
		pg.Breadcrumbs = s.knowledgeCrumbs(r, web.Crumb{Label: a.Working.Title, Href: "/wissen/" + a.Slug}, web.Crumb{Label: title})
	} else {
		pg.Breadcrumbs = s.knowledgeCrumbs(r, web.Crumb{Label: title})
	}
	pg.Data = v
	s.renderStatus(w, r, status, "knowledge_form", pg)
	return nil
}

func (s *Server) handleKnowledgeNewForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderKnowledgeForm(w, r, http.StatusOK, nil, url.Values{"kind": {string(knowledge.Guide)}}, nil, "")
}

// knowledgeFormRetry shows the editor again with the messages of err.
func (s *Server) knowledgeFormRetry(w http.ResponseWriter, r *http.Request, a *knowledge.Article, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return err
	}
	form := keptInput(r)
	if form == nil {
		form = url.Values{}
	}
	return s.renderKnowledgeForm(w, r, statusOf[apperr.CodeOf(err)], a, form, fields, alert)
}

func (s *Server) handleKnowledgeCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.Knowledge.Create(r.Context(), userOf(r).user, knowledgeInput(r.PostForm), s.meta(r))
	if err != nil {
		return s.knowledgeFormRetry(w, r, nil, err)
	}
	http.Redirect(w, r, "/wissen/"+a.Slug+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

// articleForm is the editor's form filled with the working version.
func articleForm(a knowledge.Article) url.Values {
	c := a.Working
	f := url.Values{"kind": {string(c.Kind)}, "title": {c.Title}, "summary": {c.Summary}, "body": {c.Body},
		"solutions": {joinLines(c.Solutions)}, "related": {joinLines(c.Related)}, "owner": {a.Owner.Email},
		"lock": {strconv.Itoa(a.Lock)}, "fields": c.Fields}
	return f
}

func (s *Server) handleKnowledgeEditForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	u := userOf(r).user
	a, err := s.Knowledge.Get(r.Context(), &u, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if !knowledge.Can(&u, knowledge.ActEdit, a) {
		return apperr.New(apperr.Forbidden, "knowledge.error.writers")
	}
	alert := ""
	if a.State == knowledge.Submitted {
		alert = s.t(r, "knowledge.error.in_review")
	}
	return s.renderKnowledgeForm(w, r, http.StatusOK, &a, articleForm(a), nil, alert)
}

func (s *Server) handleKnowledgeUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r).user
	a, err := s.Knowledge.Update(r.Context(), u, r.PathValue("slug"), knowledgeInput(r.PostForm), s.meta(r))
	if err != nil {
		cur, gerr := s.Knowledge.Get(r.Context(), &u, r.PathValue("slug"))
		if gerr != nil {
			return gerr
		}
		return s.knowledgeFormRetry(w, r, &cur, err)
	}
	http.Redirect(w, r, "/wissen/"+a.Slug+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

func (s *Server) handleKnowledgeSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.Knowledge.Submit(r.Context(), userOf(r).user, r.PathValue("slug"), s.meta(r))
	if err != nil {
		return s.knowledgeRetry(w, r, "submit", err)
	}
	http.Redirect(w, r, "/wissen/"+a.Slug+"?erledigt=eingereicht", http.StatusSeeOther)
	return nil
}

func (s *Server) handleKnowledgeReview(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	var publish bool
	switch r.PostForm.Get("decision") {
	case "publish":
		publish = true
	case "changes":
	default:
		var v apperr.Validation
		v.Add("decision", "knowledge.error.decision")
		return s.knowledgeRetry(w, r, "review", v.Err())
	}
	a, err := s.Knowledge.Review(r.Context(), userOf(r).user, r.PathValue("slug"), publish, r.PostForm.Get("comment"), s.meta(r))
	if err != nil {
		return s.knowledgeRetry(w, r, "review", err)
	}
	done := "zurueck"
	if publish {
		done = "veroeffentlicht"
	}
	http.Redirect(w, r, "/wissen/"+a.Slug+"?erledigt="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) handleKnowledgeCheck(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Knowledge.Check(r.Context(), userOf(r).user, slug, s.meta(r)); err != nil {
		return s.knowledgeRetry(w, r, "check", err)
	}
	http.Redirect(w, r, "/wissen/"+slug+"?erledigt=geprueft", http.StatusSeeOther)
	return nil
}

// readKnowledgeFiles parses a multipart upload and checks its CSRF token.
func (s *Server) readKnowledgeFiles(r *http.Request) ([]knowledge.File, error) {
	return s.readUploadForm(r, "knowledge.error.body_size", maxKnowledgeBody)
}

func (s *Server) handleKnowledgeAttach(w http.ResponseWriter, r *http.Request) error {
	files, err := s.readKnowledgeFiles(r)
	if err == nil {
		err = s.Knowledge.Attach(r.Context(), userOf(r).user, r.PathValue("slug"), files, s.meta(r))
	}
	if err != nil {
		return s.knowledgeRetry(w, r, "files", err)
	}
	http.Redirect(w, r, "/wissen/"+r.PathValue("slug")+"?erledigt=anhang#anhaenge", http.StatusSeeOther)
	return nil
}
