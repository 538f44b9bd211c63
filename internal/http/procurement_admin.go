package http

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/procurement"
	"github.com/smartregions/smartregions/internal/web"
)

// The operators' pages of the procurement thresholds: list, add, edit and
// end validity. Values are never deleted, so that what applied on a day
// stays visible; each change is one transaction with its audit entry.

// ThresholdsView is the Data of the "procurement_thresholds" page.
type ThresholdsView struct {
	ProcurementView
	Thresholds []procurement.Threshold
	Scopes     []procurement.Scope
	Procedures []procurement.Procedure
	Jurs       []string
	Done       string
}

// ThresholdView is the Data of the "procurement_threshold" page.
type ThresholdView struct {
	ThresholdsView
	Threshold procurement.Threshold
	InForce   bool // in force or was: only source and end may change
}

var thresholdsDone = map[string]string{
	"angelegt":    "procurement.done.added",
	"gespeichert": "procurement.done.saved",
	"beendet":     "procurement.done.ended",
}

func thresholdsView() ThresholdsView {
	return ThresholdsView{ProcurementView: ProcurementView{ContractTypes: procurement.ContractTypes, AuthorityTypes: procurement.AuthorityTypes,
		States: stateKeys}, Scopes: []procurement.Scope{procurement.ScopeNational, procurement.ScopeEU},
		Procedures: procurement.NationalProcedures, Jurs: procurement.Jurisdictions}
}

func (s *Server) handleThresholdAdmin(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := s.doneParam(r, p, thresholdsDone)
	if err := p.Err(); err != nil {
		return err
	}
	form := url.Values{"scope": {string(procurement.ScopeNational)}, "valid_from": {s.Procurement.Today().Format(procurement.DateLayout)}}
	return s.renderThresholds(w, r, http.StatusOK, done, form, nil)
}

func (s *Server) renderThresholds(w http.ResponseWriter, r *http.Request, status int, done string, form url.Values, fields map[string]string) error {
	all, err := s.Procurement.List(r.Context())
	if err != nil {
		return err
	}
	v := thresholdsView()
	v.Thresholds, v.Done = all, done
	return s.renderFormPage(w, r, status, "procurement_thresholds", s.t(r, "procurement.admin.title"), []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "procurement.admin.title")}}, form, fields, v)
}

// thresholdForm reads the form of a value; the amount is written in the
// page's language.
func (s *Server) thresholdForm(r *http.Request) (procurement.Threshold, error) {
	f := r.PostForm
	var v apperr.Validation
	t := procurement.Threshold{Scope: procurement.Scope(f.Get("scope")), Jurisdiction: f.Get("jurisdiction"),
		ContractType: procurement.ContractType(f.Get("contract_type")), AuthorityType: procurement.AuthorityType(f.Get("authority_type")),
		Procedure: procurement.Procedure(f.Get("procedure")), SourceText: strings.TrimSpace(f.Get("source_text")),
		SourceURL: strings.TrimSpace(f.Get("source_url"))}
	if t.Scope == procurement.ScopeEU {
		t.Procedure = "" // the form shows the field for national values
	}
	if cents, ok := procurement.ParseAmount(f.Get("amount")); ok {
		t.AmountNet = cents
	} else {
		v.Add("amount", "procurement.error.amount_format")
	}
	if d, ok := procurement.ParseDate(f.Get("valid_from")); ok {
		t.ValidFrom = d
	} else {
		v.Add("valid_from", "procurement.error.date")
	}
	if u := strings.TrimSpace(f.Get("valid_until")); u != "" {
		if d, ok := procurement.ParseDate(u); ok {
			t.ValidUntil = &d
		} else {
			v.Add("valid_until", "procurement.error.date")
		}
	}
	if err := v.Err(); err != nil {
		return t, err
	}
	return t, t.Validate()
}

func (s *Server) handleThresholdAdd(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	t, err := s.thresholdForm(r)
	if err == nil {
		_, err = s.Procurement.Add(r.Context(), userOf(r).user, t, s.meta(r))
	}
	if err != nil {
		fields, _, rest := s.formError(r, err)
		if rest != nil || fields == nil {
			return err
		}
		return s.renderThresholds(w, r, http.StatusBadRequest, "", keptInput(r), fields)
	}
	http.Redirect(w, r, "/betrieb/schwellenwerte?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

func (s *Server) handleThresholdEdit(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderThreshold(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderThreshold(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) error {
	t, err := s.Procurement.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if form == nil {
		form = url.Values{"scope": {string(t.Scope)}, "jurisdiction": {t.Jurisdiction}, "contract_type": {string(t.ContractType)},
			"authority_type": {string(t.AuthorityType)}, "procedure": {string(t.Procedure)},
			"amount":     {strings.Replace(procurement.FormatEuro(t.AmountNet), ".", decimalSep(r), 1)},
			"valid_from": {t.ValidFrom.Format(procurement.DateLayout)}, "source_text": {t.SourceText}, "source_url": {t.SourceURL}}
		if t.ValidUntil != nil {
			form.Set("valid_until", t.ValidUntil.Format(procurement.DateLayout))
		}
	}
	title := s.t(r, "procurement.admin.edit")
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"},
		{Label: s.t(r, "procurement.admin.title"), Href: "/betrieb/schwellenwerte"}, {Label: title}}
	pg.Data = ThresholdView{ThresholdsView: thresholdsView(), Threshold: t, InForce: !t.ValidFrom.After(s.Procurement.Today())}
	s.renderStatus(w, r, status, "procurement_threshold", pg)
	return nil
}

func decimalSep(r *http.Request) string {
	if langOf(r) == "de" {
		return ","
	}
	return "."
}

func (s *Server) handleThresholdUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if _, err := s.Procurement.Get(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	t, err := s.thresholdForm(r)
	if err == nil {
		t.ID = r.PathValue("id")
		_, err = s.Procurement.Update(r.Context(), userOf(r).user, t, s.meta(r))
	}
	if err != nil {
		fields, _, rest := s.formError(r, err)
		if rest != nil || fields == nil {
			return err
		}
		return s.renderThreshold(w, r, http.StatusBadRequest, keptInput(r), fields)
	}
	http.Redirect(w, r, "/betrieb/schwellenwerte?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

func (s *Server) handleThresholdEnd(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	until, ok := procurement.ParseDate(r.PostForm.Get("end"))
	var err error
	if !ok {
		var v apperr.Validation
		v.Add("end", "procurement.error.date")
		err = v.Err()
	} else {
		_, err = s.Procurement.End(r.Context(), userOf(r).user, r.PathValue("id"), until, s.meta(r))
	}
	if err != nil {
		fields, _, rest := s.formError(r, err)
		if rest != nil || fields == nil {
			return err
		}
		if msg, ok := fields["valid_until"]; ok { // the end form's field is "end"
			fields["end"] = msg
			delete(fields, "valid_until")
		}
		return s.renderThreshold(w, r, http.StatusBadRequest, nil, fields)
	}
	http.Redirect(w, r, "/betrieb/schwellenwerte?erledigt=beendet", http.StatusSeeOther)
	return nil
}
