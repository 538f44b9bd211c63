package http

// This file: the clarifying questions of a need (/bedarfe/{slug}/fragen):
// the owners' statements and answers, providers' questions.

import (
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/offer"
	"github.com/smartregions/smartregions/internal/web"
)

// QuestionsView is the Data of the "need_questions" page.
type QuestionsView struct {
	Thread offer.Thread
	Open   bool // the need takes questions
	Notice string
	Alert  string
}

func (s *Server) renderQuestions(w http.ResponseWriter, r *http.Request, status int, v QuestionsView, form url.Values, fields map[string]string) error {
	n := v.Thread.Need
	v.Open = offer.Offerable(n)
	return s.renderFormPage(w, r, status, "need_questions", s.t(r, "offer.questions.title", "Title", n.Title), s.offerCrumbs(r, n, web.Crumb{Label: s.t(r, "offer.questions.short")}), form, fields, v)
}

func (s *Server) handleQuestions(w http.ResponseWriter, r *http.Request) error {
	notice, err := s.offerNotice(r)
	if err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	t, err := s.Offers.Questions(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.renderQuestions(w, r, http.StatusOK, QuestionsView{Thread: t, Notice: notice}, nil, nil)
}

// questionRetry shows the questions again with the messages of a failed
// question or answer.
func (s *Server) questionRetry(w http.ResponseWriter, r *http.Request, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) && fields == nil && alert == "" {
		return err
	}
	a, aerr := s.needActor(r)
	if aerr != nil {
		return aerr
	}
	t, terr := s.Offers.Questions(r.Context(), a, r.PathValue("slug"))
	if terr != nil {
		return terr
	}
	return s.renderQuestions(w, r, statusOf[apperr.CodeOf(err)], QuestionsView{Thread: t, Alert: alert}, keptInput(r), fields)
}

func (s *Server) handleQuestionAsk(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if _, err := s.Offers.Ask(r.Context(), a, slug, r.PostForm.Get("text"), s.meta(r)); err != nil {
		return s.questionRetry(w, r, err)
	}
	http.Redirect(w, r, "/bedarfe/"+slug+"/fragen?erledigt=gefragt", http.StatusSeeOther)
	return nil
}

func (s *Server) handleQuestionAnswer(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug, id := r.PathValue("slug"), r.PathValue("id")
	if _, err := s.Offers.Answer(r.Context(), a, slug, id, r.PostForm.Get("answer_"+id), s.meta(r)); err != nil {
		if e, ok := err.(*apperr.Error); ok {
			for i, f := range e.Fields {
				if f.Field == "text" {
					e.Fields[i].Field = "answer_" + id
				}
			}
		}
		return s.questionRetry(w, r, err)
	}
	http.Redirect(w, r, "/bedarfe/"+slug+"/fragen?erledigt=beantwortet#frage-"+id, http.StatusSeeOther)
	return nil
}
