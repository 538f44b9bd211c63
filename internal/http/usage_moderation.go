package http

import (
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/web"
)

// ReportActionView is the Data of the "usage_answer" and "usage_flag"
// pages: one report and a form about it.
type ReportActionView struct {
	Solution catalog.Solution
	Report   catalog.Report
	Alert    string
}

func (s *Server) renderReportAction(w http.ResponseWriter, r *http.Request, status int, page, title string, v ReportActionView,
	form url.Values, fields map[string]string) error {
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = s.usageCrumbs(r, v.Solution, title)
	pg.Data = v
	s.renderStatus(w, r, status, page, pg)
	return nil
}

// renderAnswer shows the provider's answer form for a report.
func (s *Server) renderAnswer(w http.ResponseWriter, r *http.Request, status int, alert string, form url.Values, fields map[string]string) error {
	sol, rep, err := s.Usage.ProviderReport(r.Context(), userOf(r).user, r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		return err
	}
	if form == nil {
		form = url.Values{"answer": {rep.Answer}}
	}
	return s.renderReportAction(w, r, status, "usage_answer", s.t(r, "usage.answer.title", "Org", rep.Org.Name),
		ReportActionView{Solution: sol, Report: rep, Alert: alert}, form, fields)
}

func (s *Server) handleUsageAnswerForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderAnswer(w, r, http.StatusOK, "", nil, nil)
}

func (s *Server) handleUsageAnswer(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Usage.Answer(r.Context(), userOf(r).user, slug, r.PathValue("id"), r.PostForm.Get("answer"), s.meta(r)); err != nil {
		return s.usageRetry(w, r, err, func(status int, alert string, fields map[string]string) error {
			return s.renderAnswer(w, r, status, alert, keptInput(r), fields)
		})
	}
	http.Redirect(w, r, "/loesungen/"+slug+"?erledigt=antwort#erfahrungen", http.StatusSeeOther)
	return nil
}

// renderFlag shows the form to flag a report for moderation.
func (s *Server) renderFlag(w http.ResponseWriter, r *http.Request, status int, alert string, form url.Values, fields map[string]string) error {
	sol, rep, err := s.Usage.Report(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderReportAction(w, r, status, "usage_flag", s.t(r, "usage.flag.title", "Org", rep.Org.Name),
		ReportActionView{Solution: sol, Report: rep, Alert: alert}, form, fields)
}

func (s *Server) handleUsageFlagForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderFlag(w, r, http.StatusOK, "", nil, nil)
}

func (s *Server) handleUsageFlag(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Usage.Flag(r.Context(), userOf(r).user, slug, r.PathValue("id"), r.PostForm.Get("reason"), s.meta(r)); err != nil {
		return s.usageRetry(w, r, err, func(status int, alert string, fields map[string]string) error {
			return s.renderFlag(w, r, status, alert, keptInput(r), fields)
		})
	}
	http.Redirect(w, r, "/loesungen/"+slug+"?erledigt=gemeldet#erfahrungen", http.StatusSeeOther)
	return nil
}

// ModerationView is the Data of the "usage_moderation" page: the queue,
// or one flagged report with the curator's form.
type ModerationView struct {
	Items []catalog.FlaggedReport
	Item  *catalog.FlaggedReport
	Done  string
	Alert string
}

func (s *Server) handleUsageQueue(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := s.doneParam(r, p, map[string]string{"entschieden": "usage.moderation.done"})
	if err := p.Err(); err != nil {
		return err
	}
	items, err := s.Usage.Flagged(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	title := s.t(r, "usage.moderation.title")
	pg := s.page(r, title)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: title}}
	pg.Data = ModerationView{Items: items, Done: done}
	return s.render(w, r, "usage_moderation", pg)
}

// renderModeration shows one flagged report with the decision form.
func (s *Server) renderModeration(w http.ResponseWriter, r *http.Request, status int, alert string, fields map[string]string) error {
	item, err := s.Usage.FlaggedReport(r.Context(), userOf(r).user, r.PathValue("id"))
	if err != nil {
		return err
	}
	v := ModerationView{Item: &item, Alert: alert}
	title := s.t(r, "usage.moderation.item", "Org", v.Item.Report.Org.Name)
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = keptInput(r), fields
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"},
		{Label: s.t(r, "usage.moderation.title"), Href: "/kuratierung/erfahrungsberichte"}, {Label: title}}
	pg.Data = v
	s.renderStatus(w, r, status, "usage_moderation", pg)
	return nil
}

func (s *Server) handleUsageModerationView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderModeration(w, r, http.StatusOK, "", nil)
}

func (s *Server) handleUsageModerate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	var err error
	switch r.PostForm.Get("decision") {
	case "hide", "dismiss":
		err = s.Usage.Moderate(r.Context(), userOf(r).user, r.PathValue("id"), r.PostForm.Get("decision") == "hide", r.PostForm.Get("reason"), s.meta(r))
	default:
		var v apperr.Validation
		v.Add("decision", "usage.error.decision")
		err = v.Err()
	}
	if err != nil {
		return s.usageRetry(w, r, err, func(status int, alert string, fields map[string]string) error {
			return s.renderModeration(w, r, status, alert, fields)
		})
	}
	http.Redirect(w, r, "/kuratierung/erfahrungsberichte?erledigt=entschieden", http.StatusSeeOther)
	return nil
}
