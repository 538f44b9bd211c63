package http

// This file: the knowledge base's public pages (/wissen): the list, an
// article with its attachments and versions, and the readers' votes and
// correction suggestions. Writing and reviewing is in knowledge_write.go.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/web"
)

// knowledgeOn guards the knowledge routes: without the service they are not there.
func (s *Server) knowledgeOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Knowledge == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

// knowledgeCrumbs are the breadcrumbs below the list of articles.
func (s *Server) knowledgeCrumbs(r *http.Request, trail ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "knowledge.title"), Href: "/wissen"}}, trail...)
}

// KnowledgeListView is the Data of the "knowledge_list" page.
type KnowledgeListView struct {
	Articles []knowledge.Article
	Total    int
	Kinds    []knowledge.Kind
	Kind     string
	Fields   []catalog.Field
	Field    string
	Prev     string
	Next     string
	Writer   bool
	Outdated map[string]bool     // by article id
	InWork   []knowledge.Article // for writers: drafts and articles under review
}

func (s *Server) handleKnowledgeList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "art", "feld", "seite")
	kind, field := p.str("art"), p.str("feld")
	page := p.int("seite", 1, 1, 10000)
	if kind != "" && !knowledge.Kind(kind).Valid() {
		p.Add("art", "error.param.value", "Name", "art")
	}
	if field != "" && !s.fieldKnown(r, field) {
		p.Add("feld", "error.param.value", "Name", "feld")
	}
	if err := p.Err(); err != nil {
		return err
	}
	list, err := s.Knowledge.List(r.Context(), knowledge.Query{Kind: knowledge.Kind(kind), Field: field, Limit: knowledge.DefaultLimit,
		Offset: (page - 1) * knowledge.DefaultLimit})
	if err != nil {
		return err
	}
	v := KnowledgeListView{Articles: list.Items, Total: list.Total, Kinds: knowledge.Kinds, Kind: kind, Field: field,
		Writer: knowledge.Writer(optionalUser(r)), Outdated: map[string]bool{}}
	for _, a := range list.Items {
		v.Outdated[a.ID] = s.Knowledge.Outdated(a)
	}
	if v.InWork, err = s.Knowledge.InWork(r.Context(), optionalUser(r)); err != nil {
		return err
	}
	if s.Fields != nil {
		if v.Fields, err = s.Fields.All(r.Context()); err != nil {
			return err
		}
	}
	base := url.Values{}
	if kind != "" {
		base.Set("art", kind)
	}
	if field != "" {
		base.Set("feld", field)
	}
	v.Prev, v.Next = knowledgePageLinks(base, page, len(list.Items), list.Total)
	pg := s.page(r, s.t(r, "knowledge.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "knowledge.title")}}
	pg.Data = v
	return s.render(w, r, "knowledge_list", pg)
}

// knowledgePageLinks returns the links of the previous and next page.
func knowledgePageLinks(base url.Values, page, shown, total int) (prev, next string) {
	link := func(p int) string {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		if p > 1 {
			q.Set("seite", strconv.Itoa(p))
		}
		if len(q) == 0 {
			return "/wissen"
		}
		return "/wissen?" + q.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if (page-1)*knowledge.DefaultLimit+shown < total {
		next = link(page + 1)
	}
	return prev, next
}

// KnowledgeView is the Data of the "knowledge" page.
type KnowledgeView struct {
	Article     knowledge.Article
	Shown       knowledge.Content // the published version, or the working one while unpublished
	Draft       bool              // Shown is the unpublished working version
	Outdated    bool
	Related     []knowledge.Article
	Solutions   []knowledge.SolutionRef // the linked published solutions with their names
	Attachments []KnowledgeFile
	WorkingDiff []knowledge.Line // the working version's Markdown against the published one
	FieldLabels map[string]string
	Rating      *bool
	CanRate     bool
	CanEdit     bool
	CanSubmit   bool
	CanReview   bool
	CanCheck    bool
	FourEyes    bool // a curator who may not review this because they wrote it
	Notice      string
	MaxFiles    int
	MaxMB       int
	// Form names the form that failed, so that its messages show next to it.
	Form string
}

// KnowledgeFile is an attachment with its size in kilobytes.
type KnowledgeFile struct {
	knowledge.Attachment
	KB int64
}

// knowledgeNotices are the messages that ?erledigt= may ask the page for.
var knowledgeNotices = map[string]string{
	"gespeichert": "knowledge.done.saved", "eingereicht": "knowledge.done.submitted", "veroeffentlicht": "knowledge.done.published",
	"zurueck": "knowledge.done.returned", "geprueft": "knowledge.done.checked", "anhang": "knowledge.done.attached",
	"bewertet": "knowledge.done.rated", "hinweis": "knowledge.done.suggested",
}

// knowledgeView reads article slug for the viewer.
func (s *Server) knowledgeView(r *http.Request, slug string) (KnowledgeView, error) {
	ctx := r.Context()
	u := optionalUser(r)
	a, err := s.Knowledge.Get(ctx, u, slug)
	if err != nil {
		return KnowledgeView{}, err
	}
	v := KnowledgeView{Article: a, Outdated: a.Published != nil && s.Knowledge.Outdated(a), MaxFiles: knowledge.MaxFiles,
		MaxMB: knowledge.MaxFileSize >> 20, FieldLabels: map[string]string{}}
	if a.Published != nil {
		v.Shown = a.Published.Content
	} else {
		v.Shown, v.Draft = a.Working, true
	}
	v.CanRate = knowledge.Can(u, knowledge.ActRate, a)
	v.CanEdit = knowledge.Can(u, knowledge.ActEdit, a) && a.State != knowledge.Submitted
	v.CanSubmit = v.CanEdit && (a.State == knowledge.Draft || a.State == knowledge.ChangesRequested)
	v.CanReview = knowledge.Can(u, knowledge.ActReview, a)
	v.FourEyes = u != nil && u.Has(account.Curator) && a.State == knowledge.Submitted && !v.CanReview
	v.CanCheck = knowledge.Can(u, knowledge.ActCheck, a)
	if len(v.Shown.Solutions) > 0 {
		if v.Solutions, err = s.Knowledge.Solutions(ctx, v.Shown.Solutions); err != nil {
			return v, err
		}
	}
	if len(v.Shown.Related) > 0 {
		all, err := s.DB.KnownArticles(ctx, v.Shown.Related)
		if err != nil {
			return v, err
		}
		v.Related = all
	}
	files, err := s.Knowledge.Attachments(ctx, a)
	if err != nil {
		return v, err
	}
	for _, f := range files {
		v.Attachments = append(v.Attachments, KnowledgeFile{Attachment: f, KB: (f.Size + 1023) / 1024})
	}
	if a.Published != nil && a.State != knowledge.Published && knowledge.Can(u, knowledge.ActEdit, a) {
		v.WorkingDiff = knowledge.LineDiff(a.Published.Body, a.Working.Body)
	}
	if u != nil && v.CanRate {
		if v.Rating, err = s.Knowledge.Rating(ctx, *u, a); err != nil {
			return v, err
		}
	}
	if s.Fields != nil {
		all, err := s.Fields.All(ctx)
		if err != nil {
			return v, err
		}
		lang := langOf(r)
		for _, f := range all {
			v.FieldLabels[f.Key] = f.Label(lang)
			for _, c := range f.Children {
				v.FieldLabels[c.Key] = c.Label(lang)
			}
		}
	}
	return v, nil
}

func (s *Server) handleKnowledgeView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	notice := knowledgeNotices[p.str("erledigt")]
	if err := p.Err(); err != nil {
		return err
	}
	v, err := s.knowledgeView(r, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v.Notice = notice
	return s.renderKnowledge(w, r, http.StatusOK, v, nil, nil)
}

func (s *Server) renderKnowledge(w http.ResponseWriter, r *http.Request, status int, v KnowledgeView, form url.Values, fields map[string]string) error {
	pg := s.page(r, v.Shown.Title)
	pg.CSRFToken = s.csrfToken(w, r)
	if form == nil {
		form = url.Values{}
	}
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = s.knowledgeCrumbs(r, web.Crumb{Label: v.Shown.Title})
	pg.Data = v
	s.renderStatus(w, r, status, "knowledge", pg)
	return nil
}

// knowledgeRetry shows the article again after a failed action of
// formName, with the messages; other errors become the error page.
func (s *Server) knowledgeRetry(w http.ResponseWriter, r *http.Request, formName string, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.NotFound) {
		return err
	}
	v, verr := s.knowledgeView(r, r.PathValue("slug"))
	if verr != nil {
		return verr
	}
	v.Form = formName
	if alert != "" {
		fields = map[string]string{formName: alert}
	}
	return s.renderKnowledge(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

// KnowledgeVersionsView is the Data of the "knowledge_versions" page.
type KnowledgeVersionsView struct {
	Article  knowledge.Article
	Versions []KnowledgeVersionDiff
}

// KnowledgeVersionDiff is a version with the changes of its Markdown
// against the one before.
type KnowledgeVersionDiff struct {
	knowledge.Version
	Lines   []knowledge.Line
	Changed bool
}

func (s *Server) handleKnowledgeVersions(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, list, err := s.Knowledge.Versions(r.Context(), optionalUser(r), r.PathValue("slug"))
	if err != nil {
		return err
	}
	v := KnowledgeVersionsView{Article: a}
	for i, ver := range list {
		prev := ""
		if i+1 < len(list) {
			prev = list[i+1].Body
		}
		d := KnowledgeVersionDiff{Version: ver, Lines: knowledge.LineDiff(prev, ver.Body)}
		for _, l := range d.Lines {
			if l.Op != knowledge.Same {
				d.Changed = true
			}
		}
		v.Versions = append(v.Versions, d)
	}
	title := s.t(r, "knowledge.versions.title")
	pg := s.page(r, title)
	name := a.Working.Title
	if a.Published != nil {
		name = a.Published.Title
	}
	pg.Breadcrumbs = s.knowledgeCrumbs(r, web.Crumb{Label: name, Href: "/wissen/" + a.Slug}, web.Crumb{Label: title})
	pg.Data = v
	return s.render(w, r, "knowledge_versions", pg)
}

func (s *Server) handleKnowledgeAttachment(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.Knowledge.Attachment(r.Context(), optionalUser(r), r.PathValue("slug"), r.PathValue("file"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	h.Set("Content-Disposition", "attachment; filename=\""+asciiName(a.Name)+"\"; filename*=UTF-8''"+url.PathEscape(a.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	w.Write(a.Data)
	return nil
}

func (s *Server) handleKnowledgeRate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	var err error
	switch r.PostForm.Get("helpful") {
	case "ja", "yes", "true":
		err = s.Knowledge.Rate(r.Context(), userOf(r).user, slug, true)
	case "nein", "no", "false":
		err = s.Knowledge.Rate(r.Context(), userOf(r).user, slug, false)
	default:
		var v apperr.Validation
		v.Add("helpful", "knowledge.error.helpful")
		err = v.Err()
	}
	if err != nil {
		return s.knowledgeRetry(w, r, "helpful", err)
	}
	http.Redirect(w, r, "/wissen/"+slug+"?erledigt=bewertet#bewertung", http.StatusSeeOther)
	return nil
}

func (s *Server) handleKnowledgeSuggest(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Knowledge.Suggest(r.Context(), userOf(r).user, slug, r.PostForm.Get("suggestion")); err != nil {
		return s.knowledgeRetry(w, r, "suggestion", err)
	}
	http.Redirect(w, r, "/wissen/"+slug+"?erledigt=hinweis#hinweis", http.StatusSeeOther)
	return nil
}

// KnowledgeQueueView is the Data of the "knowledge_queue" page.
type KnowledgeQueueView struct {
	Suggestions []knowledge.Suggestion
	Notice      string
	Writer      bool // false: the user decides no suggestions, the page says so
}

func (s *Server) handleKnowledgeQueue(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := p.str("erledigt") == "entschieden"
	if err := p.Err(); err != nil {
		return err
	}
	return s.renderKnowledgeQueue(w, r, http.StatusOK, done, nil)
}

func (s *Server) renderKnowledgeQueue(w http.ResponseWriter, r *http.Request, status int, done bool, fields map[string]string) error {
	u := userOf(r).user
	v := KnowledgeQueueView{Writer: knowledge.Writer(&u)}
	if v.Writer {
		var err error
		if v.Suggestions, err = s.Knowledge.Queue(r.Context(), u); err != nil {
			return err
		}
	}
	if done {
		v.Notice = "knowledge.done.decided"
	}
	title := s.t(r, "knowledge.queue.title")
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = keptInput(r), fields
	if pg.Form == nil {
		pg.Form = url.Values{}
	}
	pg.Breadcrumbs = s.knowledgeCrumbs(r, web.Crumb{Label: title})
	pg.Data = v
	s.renderStatus(w, r, status, "knowledge_queue", pg)
	return nil
}

func (s *Server) handleKnowledgeDecide(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	err := s.Knowledge.Decide(r.Context(), userOf(r).user, id, knowledge.SuggestionState(r.PostForm.Get("decision")),
		r.PostForm.Get("note"), s.meta(r))
	if err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Forbidden) {
			return err
		}
		if fields == nil {
			fields = map[string]string{}
		}
		if alert != "" {
			fields["decision"] = alert
		}
		// the messages belong to this suggestion's form
		keyed := map[string]string{}
		for k, m := range fields {
			keyed[k+"-"+id] = m
		}
		return s.renderKnowledgeQueue(w, r, statusOf[apperr.CodeOf(err)], false, keyed)
	}
	http.Redirect(w, r, "/wissen/hinweise?erledigt=entschieden", http.StatusSeeOther)
	return nil
}

// joinLines writes keys one per line for a textarea.
func joinLines(list []string) string { return strings.Join(list, "\n") }

// addKnowledge adds the published articles that link to the solution
// (one query).
func (s *Server) addKnowledge(r *http.Request, v *SolutionView) error {
	if s.Knowledge == nil {
		return nil
	}
	list, err := s.Knowledge.ForSolution(r.Context(), v.Solution.Slug)
	if err != nil {
		return err
	}
	v.Knowledge = list
	return nil
}
