package http

import (
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/web"
)

// ReviewListView is the Data of the "reviews" page.
type ReviewListView struct {
	Status   string
	Statuses []string
	Page     org.RequestPage
	Next     string
	Done     string
}

// ReviewView is the Data of the "review" page.
type ReviewView struct {
	Request org.Request
	Org     org.Organisation
	Alert   string
	Free    bool   // the requester's domain is a public mail service
	Domain  string // the requester's domain
}

func (s *Server) handleReviewList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "status", "nach", "erledigt")
	v := ReviewListView{Status: p.str("status"), Statuses: []string{org.Pending, org.Approved, org.Rejected}}
	if !p.v.Has("status") { // the queue; ?status= (empty) lists all
		v.Status = org.Pending
	}
	v.Done = s.doneParam(r, p, map[string]string{"entschieden": "review.done"})
	after := p.id("nach")
	if err := p.Err(); err != nil {
		return err
	}
	page, err := s.Orgs.Requests(r.Context(), userOf(r).user, org.RequestQuery{Status: v.Status, After: after})
	if err != nil {
		return err
	}
	v.Page = page
	if page.Next != "" {
		v.Next = "/kuratierung/verifizierungen?" + url.Values{"status": {v.Status}, "nach": {page.Next}}.Encode()
	}
	pg := s.page(r, s.t(r, "review.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "review.title")}}
	pg.Data = v
	return s.render(w, r, "reviews", pg)
}

func (s *Server) handleReviewView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderReview(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, alert string, fields map[string]string) error {
	u := userOf(r).user
	req, err := s.Orgs.Request(r.Context(), u, r.PathValue("id"))
	if err != nil {
		return err
	}
	o, _, err := s.Orgs.Get(r.Context(), &u, req.OrgSlug)
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "review.request.title", "Org", req.OrgName))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	if fields != nil || alert != "" {
		pg.Form = keptInput(r)
	}
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "review.title"), Href: "/kuratierung/verifizierungen"},
		{Label: req.OrgName}}
	pg.Data = ReviewView{Request: req, Org: o, Alert: alert, Free: org.Freemail(org.Domain(req.Email)), Domain: org.Domain(req.Email)}
	s.renderStatus(w, r, status, "review", pg)
	return nil
}

func (s *Server) handleReviewDecide(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	f := r.PostForm
	var d org.Decision
	switch f.Get("decision") {
	case "approve":
		d.Approve = true
	case "reject":
	default:
		return s.reviewRetry(w, r, &apperr.Error{Code: apperr.Invalid, Msg: apperr.Message{Key: "error.invalid"},
			Fields: []apperr.FieldError{{Field: "decision", Message: apperr.Message{Key: "review.error.decision"}}}})
	}
	d.Reason, d.AddDomain = f.Get("reason"), f.Get("add_domain") == "1"
	if _, err := s.Orgs.Decide(r.Context(), userOf(r).user, r.PathValue("id"), d, s.meta(r)); err != nil {
		return s.reviewRetry(w, r, err)
	}
	http.Redirect(w, r, "/kuratierung/verifizierungen?erledigt=entschieden", http.StatusSeeOther)
	return nil
}

func (s *Server) reviewRetry(w http.ResponseWriter, r *http.Request, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return err
	}
	status := http.StatusBadRequest
	if apperr.Is(err, apperr.Conflict) {
		status = http.StatusConflict
	}
	return s.renderReview(w, r, status, alert, fields)
}
