package http

// This file: the providers' answer page of a market exploration and the
// page that checks a report file.

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/exploration"
	"github.com/smartregions/smartregions/internal/web"
)

// ExplorationAnswerView is the Data of the "exploration_answer" page.
type ExplorationAnswerView struct {
	E        exploration.Exploration
	Buyer    string
	Deadline string
	Own      *exploration.Answer
	Open     bool
	Rows     []int
	YesNo    []string // the choices of yes/no questions ("" for no answer)
	Notice   string
	Alert    string
}

func (s *Server) renderExplorationAnswer(w http.ResponseWriter, r *http.Request, status int, a exploration.Actor, notice, alert string, posted url.Values, fields map[string]string) error {
	e, err := s.Explorations.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !exploration.Can(a, exploration.ActAnswer, e) {
		return apperr.New(apperr.NotFound, "exploration.error.not_found")
	}
	answers, err := s.Explorations.Answers(r.Context(), a, e)
	if err != nil {
		return err
	}
	v := ExplorationAnswerView{E: e, Buyer: e.Org.Name, Open: e.Open(s.Explorations.Now()), Notice: notice, Alert: alert,
		YesNo: []string{"yes", "no", ""}}
	if e.Deadline != nil {
		v.Deadline = exploration.FormatTime(langOf(r), *e.Deadline)
	}
	form := url.Values{}
	if len(answers) > 0 {
		v.Own = &answers[0]
		for i, val := range answers[0].Values {
			form.Set("answer_"+strconv.Itoa(i), val)
		}
	}
	for k, vals := range posted {
		form[k] = vals
	}
	for i := range e.Questions {
		v.Rows = append(v.Rows, i)
	}
	return s.renderFormPage(w, r, status, "exploration_answer", s.t(r, "exploration.answer.title", "Title", e.Title), s.explorationCrumbs(r, web.Crumb{Label: e.Title}), form, fields, v)
}

func (s *Server) handleExplorationAnswerForm(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	notice := s.doneParam(r, p, map[string]string{"gespeichert": "exploration.done.answered"})
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	return s.renderExplorationAnswer(w, r, http.StatusOK, a, notice, "", nil, nil)
}

func (s *Server) handleExplorationAnswer(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	var values []string
	for i := range exploration.MaxQuestions {
		k := "answer_" + strconv.Itoa(i)
		if _, ok := r.PostForm[k]; !ok {
			break
		}
		values = append(values, r.PostForm.Get(k))
	}
	id := r.PathValue("id")
	if _, err := s.Explorations.Answer(r.Context(), a, id, values, s.meta(r)); err != nil {
		fields, alert, stop := s.pageFormError(r, err)
		if stop != nil {
			return stop
		}
		return s.renderExplorationAnswer(w, r, statusOf[apperr.CodeOf(err)], a, "", alert, keptInput(r), fields)
	}
	http.Redirect(w, r, "/markterkundungen/"+id+"/antwort?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

// ExplorationVerifyView is the Data of the "exploration_verify" page.
type ExplorationVerifyView struct {
	Result *exploration.Verification
	Title  string // the exploration's title, when on record
	Issued string
	By     string
}

func (s *Server) renderExplorationVerify(w http.ResponseWriter, r *http.Request, status int, v ExplorationVerifyView, fields map[string]string) error {
	pg := s.page(r, s.t(r, "exploration.verify.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	pg.Form = url.Values{}
	pg.Breadcrumbs = s.explorationCrumbs(r, web.Crumb{Label: s.t(r, "exploration.verify.title")})
	pg.Data = v
	s.renderStatus(w, r, status, "exploration_verify", pg)
	return nil
}

func (s *Server) handleExplorationVerifyForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderExplorationVerify(w, r, http.StatusOK, ExplorationVerifyView{}, nil)
}

func (s *Server) handleExplorationVerify(w http.ResponseWriter, r *http.Request) error {
	up, err := readUpload(r) // sets r.PostForm, with the form token
	if err != nil {
		return err
	}
	if err := s.checkCSRF(r); err != nil {
		return err
	}
	if !up.file || len(up.data) == 0 || up.tooBig {
		return s.renderExplorationVerify(w, r, http.StatusUnprocessableEntity, ExplorationVerifyView{},
			map[string]string{"file": s.t(r, "form.error.required")})
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	res, err := s.Explorations.Verify(r.Context(), up.data)
	if err != nil {
		return err
	}
	v := ExplorationVerifyView{Result: &res}
	if res.Genuine() {
		v.Issued, v.By = exploration.FormatTime(langOf(r), res.Reports[0].Issued), res.Issuer(a, res.Reports[0])
		if res.Exploration != nil {
			v.Title = res.Exploration.Title
		}
	}
	return s.renderExplorationVerify(w, r, http.StatusOK, v, nil)
}
