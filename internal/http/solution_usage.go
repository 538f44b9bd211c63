package http

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/web"
)

// addUsage adds the section "Wer nutzt das?" to a published solution's
// page; m is the viewer's membership in the providing organisation.
func (s *Server) addUsage(r *http.Request, v *SolutionView, u *account.User, m *org.Membership) error {
	if s.Usage == nil || v.Solution.Published == nil || v.Solution.Archived != nil {
		return nil
	}
	ov, err := s.Usage.Overview(r.Context(), u, v.Solution, m)
	if err != nil {
		return err
	}
	v.Usage = &ov
	return nil
}

// usageCrumbs are the breadcrumbs of a page about a solution's use.
func (s *Server) usageCrumbs(r *http.Request, sol catalog.Solution, title string) []web.Crumb {
	return []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title"), Href: "/loesungen"},
		{Label: sol.Published.Entry.Name, Href: "/loesungen/" + sol.Slug + "#nutzung"}, {Label: title}}
}

// UseFormView is the Data of the "usage_form" page.
type UseFormView struct {
	Solution       catalog.Solution
	Municipalities []org.Membership // those the user may declare for
	Declared       bool             // the chosen municipality has a declaration
	Models         []string
	Statuses       []string
	Versions       []int // newest first
	Alert          string
}

// useForm writes a declaration into form values.
func useForm(d catalog.Declaration) url.Values {
	f := url.Values{"organisation": {d.Org.Slug}, "since": {d.SinceLabel()}, "delivery": {d.Delivery}, "status": {d.Status},
		"reason": {d.Reason}, "version": {strconv.Itoa(d.Version)}}
	if d.Contactable {
		f.Set("contactable", "1")
	}
	return f
}

func (s *Server) renderUseForm(w http.ResponseWriter, r *http.Request, status int, v UseFormView, form url.Values, fields map[string]string) error {
	v.Models, v.Statuses = catalog.DeliveryModels, catalog.UseStatuses
	for n := v.Solution.Published.Number; n >= 1; n-- {
		v.Versions = append(v.Versions, n)
	}
	title := s.t(r, "usage.form.title", "Name", v.Solution.Published.Entry.Name)
	return s.renderFormPage(w, r, status, "usage_form", title, s.usageCrumbs(r, v.Solution, s.t(r, "usage.form.short")), form, fields, v)
}

// usageStart reads the solution and the user's municipalities for a form.
func (s *Server) usageStart(r *http.Request) (catalog.Solution, []org.Membership, error) {
	sol, err := s.Solutions.Public(r.Context(), r.PathValue("slug"))
	if err != nil {
		return sol, nil, err
	}
	ms, err := s.Usage.Municipalities(r.Context(), userOf(r).user)
	return sol, ms, err
}

// chosenOrg is the municipality a form is for: the one asked for, or the
// only one.
func chosenOrg(asked string, ms []org.Membership) string {
	if asked == "" && len(ms) == 1 {
		return ms[0].OrgSlug
	}
	return asked
}

func (s *Server) handleUsageForm(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "organisation")
	if err := p.Err(); err != nil {
		return err
	}
	sol, ms, err := s.usageStart(r)
	if err != nil {
		return err
	}
	v := UseFormView{Solution: sol, Municipalities: ms}
	form := url.Values{"organisation": {chosenOrg(p.str("organisation"), ms)}, "status": {catalog.InUse},
		"version": {strconv.Itoa(sol.Published.Number)}}
	if o := form.Get("organisation"); o != "" {
		d, err := s.Usage.Own(r.Context(), userOf(r).user, sol, o)
		switch {
		case err == nil:
			form, v.Declared = useForm(d), true
		case !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Invalid):
			return err
		}
	}
	return s.renderUseForm(w, r, http.StatusOK, v, form, nil)
}

// usageRetry shows a form again after a failed save: with messages next
// to the fields, or as an alert; other errors become the error page.
func (s *Server) usageRetry(w http.ResponseWriter, r *http.Request, err error, render func(status int, alert string, fields map[string]string) error) error {
	fields, alert, stop := s.pageFormError(r, err)
	if stop != nil {
		return stop
	}
	return render(statusOf[apperr.CodeOf(err)], alert, fields)
}

func (s *Server) handleUsageSave(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	f := r.PostForm
	version, err := strconv.Atoi(f.Get("version"))
	if err != nil && f.Get("version") != "" {
		version = -1 // never a version: refused with a message
	}
	form := catalog.UseForm{Org: f.Get("organisation"), Since: f.Get("since"), Delivery: f.Get("delivery"), Status: f.Get("status"),
		Reason: f.Get("reason"), Version: version, Contactable: f.Get("contactable") == "1"}
	slug := r.PathValue("slug")
	if _, err := s.Usage.Declare(r.Context(), userOf(r).user, slug, form, s.meta(r)); err != nil {
		return s.usageRetry(w, r, err, func(status int, alert string, fields map[string]string) error {
			sol, ms, err := s.usageStart(r)
			if err != nil {
				return err
			}
			return s.renderUseForm(w, r, status, UseFormView{Solution: sol, Municipalities: ms, Alert: alert}, keptInput(r), fields)
		})
	}
	http.Redirect(w, r, "/loesungen/"+slug+"?erledigt=nutzung#nutzung", http.StatusSeeOther)
	return nil
}

func (s *Server) handleUsageWithdraw(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	err := s.Usage.Withdraw(r.Context(), userOf(r).user, slug, r.PostForm.Get("organisation"), s.meta(r))
	if err != nil {
		return s.usageRetry(w, r, err, func(status int, alert string, fields map[string]string) error {
			sol, ms, err := s.usageStart(r)
			if err != nil {
				return err
			}
			if fields != nil {
				alert, fields = s.t(r, "usage.error.organisation"), nil
			}
			return s.renderUseForm(w, r, status, UseFormView{Solution: sol, Municipalities: ms, Alert: alert}, keptInput(r), nil)
		})
	}
	http.Redirect(w, r, "/loesungen/"+slug+"?erledigt=zurueckgezogen#nutzung", http.StatusSeeOther)
	return nil
}

// ReportFormView is the Data of the "usage_report" page.
type ReportFormView struct {
	Solution       catalog.Solution
	Municipalities []org.Membership // those with a declaration of the solution
	Existing       bool             // the chosen municipality has written a report
	Ratings        []string
	Scale          []int
	Alert          string
}

func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, v ReportFormView, form url.Values, fields map[string]string) error {
	v.Ratings, v.Scale = catalog.RatingFields(), []int{1, 2, 3, 4, 5}
	return s.renderFormPage(w, r, status, "usage_report", s.t(r, "usage.report.title", "Name", v.Solution.Published.Entry.Name), s.usageCrumbs(r, v.Solution, s.t(r, "usage.report.short")), form, fields, v)
}

// declaring returns the user's municipalities that declared the solution.
func (s *Server) declaring(r *http.Request, sol catalog.Solution, ms []org.Membership) ([]org.Membership, error) {
	var out []org.Membership
	for _, m := range ms {
		_, err := s.Usage.Own(r.Context(), userOf(r).user, sol, m.OrgSlug)
		switch {
		case err == nil:
			out = append(out, m)
		case !apperr.Is(err, apperr.NotFound):
			return nil, err
		}
	}
	return out, nil
}

// reportForm writes a report into form values.
func reportForm(orgSlug string, rep catalog.Report) url.Values {
	f := url.Values{"organisation": {orgSlug}, "text": {rep.Text}, "again": {"no"}}
	for _, name := range catalog.RatingFields() {
		f.Set(name, strconv.Itoa(rep.Rating(name)))
	}
	if rep.Again {
		f.Set("again", "yes")
	}
	return f
}

func (s *Server) handleUsageReportForm(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "organisation")
	if err := p.Err(); err != nil {
		return err
	}
	sol, ms, err := s.usageStart(r)
	if err != nil {
		return err
	}
	if ms, err = s.declaring(r, sol, ms); err != nil {
		return err
	}
	v := ReportFormView{Solution: sol, Municipalities: ms}
	form := url.Values{"organisation": {chosenOrg(p.str("organisation"), ms)}}
	if o := form.Get("organisation"); o != "" {
		u := userOf(r).user
		ov, err := s.Usage.Overview(r.Context(), &u, sol, nil)
		if err != nil {
			return err
		}
		for _, d := range ov.Own {
			if rep := ov.OwnReport(d.Org.ID); d.Org.Slug == o && rep != nil {
				form, v.Existing = reportForm(o, *rep), true
			}
		}
	}
	return s.renderReportForm(w, r, http.StatusOK, v, form, nil)
}

// againOf reads the yes/no answer "would choose it again"; nil when
// missing.
func againOf(s string) *bool {
	yes, no := true, false
	switch s {
	case "yes":
		return &yes
	case "no":
		return &no
	}
	return nil
}

func (s *Server) handleUsageReportSave(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	f := r.PostForm
	rating := func(name string) int {
		n, _ := strconv.Atoi(f.Get(name)) // anything else is 0, refused with a message
		return n
	}
	form := catalog.ReportForm{Org: f.Get("organisation"), Text: f.Get("text"), Usability: rating("usability"), Support: rating("support"),
		Integration: rating("integration"), Value: rating("value"), Again: againOf(f.Get("again"))}
	slug := r.PathValue("slug")
	if _, err := s.Usage.SaveReport(r.Context(), userOf(r).user, slug, form, s.meta(r)); err != nil {
		return s.usageRetry(w, r, err, func(status int, alert string, fields map[string]string) error {
			sol, ms, err := s.usageStart(r)
			if err != nil {
				return err
			}
			if ms, err = s.declaring(r, sol, ms); err != nil {
				return err
			}
			return s.renderReportForm(w, r, status, ReportFormView{Solution: sol, Municipalities: ms, Alert: alert}, keptInput(r), fields)
		})
	}
	http.Redirect(w, r, "/loesungen/"+slug+"?erledigt=bericht#erfahrungen", http.StatusSeeOther)
	return nil
}

// ContactFormView is the Data of the "usage_contact" page.
type ContactFormView struct {
	Solution       catalog.Solution
	Declaration    catalog.Declaration
	Municipalities []org.Membership // verified municipalities the user may ask for
	PerUser        int
	Alert          string
}

func (s *Server) renderContactForm(w http.ResponseWriter, r *http.Request, status int, alert string, form url.Values, fields map[string]string) error {
	sol, d, err := s.Usage.ContactTarget(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		return err
	}
	all, err := s.Usage.Municipalities(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	v := ContactFormView{Solution: sol, Declaration: d, PerUser: catalog.MaxContactsPerUser, Alert: alert}
	for _, m := range all {
		if m.Verified && m.OrgID != d.Org.ID {
			v.Municipalities = append(v.Municipalities, m)
		}
	}
	if form.Get("organisation") == "" && len(v.Municipalities) == 1 {
		form.Set("organisation", v.Municipalities[0].OrgSlug)
	}
	return s.renderFormPage(w, r, status, "usage_contact", s.t(r, "usage.contact.title", "Org", d.Org.Name), s.usageCrumbs(r, sol, s.t(r, "usage.contact.short")), form, fields, v)
}

func (s *Server) handleUsageContactForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderContactForm(w, r, http.StatusOK, "", url.Values{}, nil)
}

func (s *Server) handleUsageContact(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	err := s.Usage.Contact(r.Context(), userOf(r).user, slug, r.PathValue("id"), r.PostForm.Get("organisation"), r.PostForm.Get("message"), s.meta(r))
	if err != nil {
		return s.usageRetry(w, r, err, func(status int, alert string, fields map[string]string) error {
			return s.renderContactForm(w, r, status, alert, keptInput(r), fields)
		})
	}
	http.Redirect(w, r, "/loesungen/"+slug+"?erledigt=angefragt#nutzung", http.StatusSeeOther)
	return nil
}
