package http

// This file: the competence centre's side of advice requests: the queue
// (/beratung/eingang) and the actions on a request — answer, internal
// note, assignment, state change, and the answer as a draft article of
// the knowledge base or as a Markdown template.

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/web"
)

// AdviceQueueView is the Data of the "advice_queue" page.
type AdviceQueueView struct {
	Requests []advice.Request
	Total    int
	View     string // meine, offen (unassigned), alle
	State    string
	States   []advice.State
	Views    []string
	Prev     string
	Next     string
	Now      time.Time
}

// adviceViews are the queue's filters by responsibility.
var adviceViews = []string{"alle", "meine", "offen"}

func (s *Server) handleAdviceQueue(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "ansicht", "status", "seite")
	page := p.int("seite", 1, 1, 10000)
	view := p.str("ansicht")
	if view == "" {
		view = "alle"
	} else if !eventHas(adviceViews, view) {
		p.Add("ansicht", "error.param.value", "Name", "ansicht")
	}
	st := advice.State(p.str("status"))
	if st != "" && !st.Valid() {
		p.Add("status", "error.param.value", "Name", "status")
	}
	if err := p.Err(); err != nil {
		return err
	}
	u := userOf(r).user
	q := advice.Query{State: st, Limit: advice.DefaultLimit, Offset: (page - 1) * advice.DefaultLimit}
	switch view {
	case "meine":
		q.AgentID = u.ID
	case "offen":
		q.Unassigned = true
	}
	list, err := s.Advice.Queue(r.Context(), u, q)
	if err != nil {
		return err
	}
	v := AdviceQueueView{Requests: list.Items, Total: list.Total, View: view, State: string(st), States: advice.States, Views: adviceViews,
		Now: s.Advice.Now()}
	base := url.Values{}
	if view != "alle" {
		base.Set("ansicht", view)
	}
	if st != "" {
		base.Set("status", string(st))
	}
	v.Prev, v.Next = advicePageLinks(base, "/beratung/eingang", page, len(list.Items), list.Total)
	pg := s.page(r, s.t(r, "advice.queue.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "advice.queue.title")}}
	pg.Data = v
	return s.render(w, r, "advice_queue", pg)
}

func (s *Server) handleAdviceAnswer(w http.ResponseWriter, r *http.Request) error {
	files, err := s.readAdviceForm(r)
	if err == nil {
		err = s.Advice.Answer(r.Context(), userOf(r).user, r.PathValue("id"), advice.Post{Body: r.PostForm.Get("body"), Files: files},
			r.PostForm.Get("next") == string(advice.Waiting), s.meta(r))
	}
	if err != nil {
		return s.adviceRetry(w, r, "answer", err)
	}
	http.Redirect(w, r, "/beratung/"+r.PathValue("id")+"?erledigt=beantwortet", http.StatusSeeOther)
	return nil
}

func (s *Server) handleAdviceNote(w http.ResponseWriter, r *http.Request) error {
	files, err := s.readAdviceForm(r)
	if err == nil {
		err = s.Advice.Note(r.Context(), userOf(r).user, r.PathValue("id"), advice.Post{Body: r.PostForm.Get("note"), Files: files}, s.meta(r))
	}
	if err != nil {
		return s.adviceRetry(w, r, "note", renameField(renameField(err, "body", "note"), "files", "note_files"))
	}
	http.Redirect(w, r, "/beratung/"+r.PathValue("id")+"?erledigt=notiz#verlauf", http.StatusSeeOther)
	return nil
}

func (s *Server) handleAdviceAssign(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Advice.Assign(r.Context(), userOf(r).user, r.PathValue("id"), r.PostForm.Get("advisor"), s.meta(r)); err != nil {
		return s.adviceRetry(w, r, "assign", err)
	}
	http.Redirect(w, r, "/beratung/"+r.PathValue("id")+"?erledigt=zugewiesen", http.StatusSeeOther)
	return nil
}

func (s *Server) handleAdviceMove(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Advice.Move(r.Context(), userOf(r).user, r.PathValue("id"), advice.State(r.PostForm.Get("state")), s.meta(r)); err != nil {
		return s.adviceRetry(w, r, "state", err)
	}
	http.Redirect(w, r, "/beratung/"+r.PathValue("id")+"?erledigt=status", http.StatusSeeOther)
	return nil
}

// handleAdviceTemplate serves the public thread as a Markdown file to
// reuse the answer; ?anonym=1 removes names and addresses.
func (s *Server) handleAdviceTemplate(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "anonym")
	anon := p.str("anonym") == "1"
	if err := p.Err(); err != nil {
		return err
	}
	text, err := s.Advice.Template(r.Context(), userOf(r).user, r.PathValue("id"), anon, langOf(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="beratung-vorlage.md"`)
	w.Write([]byte(text))
	return nil
}

// handleAdviceArticle takes the public thread of a request into the
// knowledge base in one step, as a draft article (anonymised when asked),
// for the centre to edit and submit for review there.
func (s *Server) handleAdviceArticle(w http.ResponseWriter, r *http.Request) error {
	if s.Knowledge == nil {
		return errNotFound
	}
	if err := s.readForm(r); err != nil {
		return err
	}
	u, id := userOf(r).user, r.PathValue("id")
	req, _, err := s.Advice.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	body, err := s.Advice.Template(r.Context(), u, id, r.PostForm.Get("anonym") == "1", langOf(r))
	if err != nil {
		return err
	}
	// The template starts with the topic as heading; the article has it
	// as its title.
	_, body, _ = strings.Cut(body, "\n\n")
	a, err := s.Knowledge.Create(r.Context(), u, knowledge.Input{Content: knowledge.Content{Kind: knowledge.Guide, Title: req.Topic, Body: body}}, s.meta(r))
	if err != nil {
		return s.adviceRetry(w, r, "article", err)
	}
	http.Redirect(w, r, "/beratung/"+id+"?erledigt=artikel&artikel="+url.QueryEscape(a.Slug), http.StatusSeeOther)
	return nil
}
