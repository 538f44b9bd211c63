package http

// This file: the operators' routing rules of advice requests
// (/betrieb/beratung/regeln): a state and/or a top-level field of action
// to an advisor.

import (
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/web"
)

// AdviceRulesView is the Data of the "advice_rules" page.
type AdviceRulesView struct {
	Rules      []advice.Rule
	Advisors   []advice.Person
	States     []region.State
	StateNames map[string]string
	Fields     []catalog.Field
	FieldNames map[string]string
	Notice     string
	Alert      string
}

func (s *Server) adviceRulesView(r *http.Request) (AdviceRulesView, error) {
	u := userOf(r).user
	var v AdviceRulesView
	var err error
	if v.Rules, err = s.Advice.Rules(r.Context(), u); err != nil {
		return v, err
	}
	if v.Advisors, err = s.Advice.Advisors(r.Context(), u); err != nil {
		return v, err
	}
	if v.States, err = s.Regions.StateNames(r.Context()); err != nil {
		return v, err
	}
	v.StateNames, v.FieldNames = map[string]string{}, map[string]string{}
	for _, st := range v.States {
		v.StateNames[st.Key] = st.Name
	}
	if s.Fields != nil {
		if v.Fields, err = s.Fields.All(r.Context()); err != nil {
			return v, err
		}
	}
	for _, f := range v.Fields {
		v.FieldNames[f.Key] = f.Label(langOf(r))
	}
	return v, nil
}

func (s *Server) handleAdviceRules(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := p.str("erledigt")
	if done != "" && done != "gespeichert" && done != "geloescht" {
		p.Add("erledigt", "error.param.value", "Name", "erledigt")
	}
	if err := p.Err(); err != nil {
		return err
	}
	v, err := s.adviceRulesView(r)
	if err != nil {
		return err
	}
	if done != "" {
		v.Notice = s.t(r, "advice.rules.done."+done)
	}
	return s.renderAdviceRules(w, r, http.StatusOK, v, nil, nil)
}

func (s *Server) renderAdviceRules(w http.ResponseWriter, r *http.Request, status int, v AdviceRulesView, form url.Values, fields map[string]string) error {
	return s.renderFormPage(w, r, status, "advice_rules", s.t(r, "advice.rules.title"), []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "advice.rules.title")}}, form, fields, v)
}

func (s *Server) handleAdviceRuleSave(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	v, err := s.adviceRulesView(r)
	if err != nil {
		return err
	}
	var tops []string
	for _, f := range v.Fields {
		tops = append(tops, f.Key)
	}
	f := r.PostForm
	err = s.Advice.SaveRule(r.Context(), userOf(r).user, advice.Rule{StateKey: f.Get("state"), FieldKey: f.Get("field"),
		Advisor: advice.Person{ID: f.Get("advisor")}}, tops, s.meta(r))
	if err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.Forbidden) {
			return err
		}
		v.Alert = alert
		return s.renderAdviceRules(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
	}
	http.Redirect(w, r, "/betrieb/beratung/regeln?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

func (s *Server) handleAdviceRuleDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Advice.DeleteRule(r.Context(), userOf(r).user, r.PathValue("id"), s.meta(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/betrieb/beratung/regeln?erledigt=geloescht", http.StatusSeeOther)
	return nil
}
