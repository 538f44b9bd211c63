package http

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/web"
)

// OrgListView is the Data of the "orgs" page.
type OrgListView struct {
	Query string
	Kind  org.Kind
	Kinds []org.Kind
	Page  org.Page
	Next  string // URL of the next page
}

// OrgView is the Data of the "org" page.
type OrgView struct {
	Org        org.Organisation
	Member     *org.Membership
	CanEdit    bool
	CanRequest bool // may claim to act for it (and has not been confirmed)
	CanReview  bool
	Requests   []org.Request // the user's own requests for it
	Done       string
	Alert      string
}

// orgDone maps the ?erledigt= values that redirects carry to messages.
var orgDone = map[string]string{
	"angelegt":    "org.done.created",
	"gespeichert": "org.done.saved",
	"beantragt":   "org.done.requested",
	"verifiziert": "org.done.verified",
	"domains":     "org.done.domains",
	"eingeladen":  "org.done.invited",
	"entfernt":    "org.done.removed",
	"rolle":       "org.done.role",
	"zurueck":     "org.done.revoked",
	"beigetreten": "org.done.joined",
}

// doneParam reads ?erledigt=, which redirects after an action carry, and
// returns its message from messages ("" when absent).
func (s *Server) doneParam(r *http.Request, p *params, messages map[string]string) string {
	v := p.str("erledigt")
	if v == "" {
		return ""
	}
	key, ok := messages[v]
	if !ok {
		p.Add("erledigt", "error.param.unknown", "Name", "erledigt")
		return ""
	}
	return s.t(r, key)
}

func (s *Server) handleOrgList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "q", "art", "nach")
	v := OrgListView{Query: p.str("q"), Kind: org.Kind(p.str("art")), Kinds: org.Kinds}
	after := p.id("nach")
	if err := p.Err(); err != nil {
		return err
	}
	page, err := s.Orgs.List(r.Context(), org.ListQuery{Query: v.Query, Kind: v.Kind, VerifiedOnly: true, After: after, Limit: 20})
	if err != nil {
		return err
	}
	v.Page = page
	if page.Next != "" {
		q := url.Values{"nach": {page.Next}}
		if v.Query != "" {
			q.Set("q", v.Query)
		}
		if v.Kind != "" {
			q.Set("art", string(v.Kind))
		}
		v.Next = "/organisationen?" + q.Encode()
	}
	pg := s.page(r, s.t(r, "org.list.title"))
	pg.Data = v
	return s.render(w, r, "orgs", pg)
}

// OrgNewView is the Data of the "org_new" page.
type OrgNewView struct {
	Kinds  []org.Kind
	States []region.State
	Alert  string
	// Existing is the organisation that already stands for the chosen
	// region, to join instead.
	Existing *org.Organisation
}

// handleOrgNewForm shows the form; ?art= and ?schluessel= preselect a
// kind and region (links from a municipality's page).
func (s *Server) handleOrgNewForm(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "art", "schluessel")
	if err := p.Err(); err != nil {
		return err
	}
	form := url.Values{}
	if k := org.Kind(p.str("art")); k.Valid() {
		form.Set("kind", string(k))
		if k.Regional() {
			form.Set("region_"+string(k), p.str("schluessel"))
		}
	}
	return s.renderOrgNew(w, r, http.StatusOK, form, "", nil)
}

func (s *Server) renderOrgNew(w http.ResponseWriter, r *http.Request, status int, form url.Values, alert string, fields map[string]string) error {
	states, err := s.Regions.StateNames(r.Context())
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "org.new.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "org.list.title"), Href: "/organisationen"}, {Label: s.t(r, "org.new.title")}}
	v := OrgNewView{Kinds: org.Kinds, States: states, Alert: alert}
	if k := org.Kind(form.Get("kind")); k.Regional() {
		if o, err := s.Orgs.ForRegion(r.Context(), strings.TrimSpace(form.Get("region_"+string(k)))); err == nil {
			v.Existing = &o
		}
	}
	pg.Data = v
	s.renderStatus(w, r, status, "org_new", pg)
	return nil
}

func (s *Server) handleOrgCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	f := r.PostForm
	kind := org.Kind(f.Get("kind"))
	regionKey := ""
	if kind.Regional() {
		regionKey = f.Get("region_" + string(kind))
	}
	o, err := s.Orgs.Create(r.Context(), userOf(r).user, org.NewOrg{Kind: kind, RegionKey: regionKey, Name: f.Get("name"),
		Website: f.Get("website"), Description: f.Get("description")}, s.meta(r))
	if err != nil {
		if e, ok := err.(*apperr.Error); ok && e.Code == apperr.Invalid {
			// The region field's name depends on the kind.
			for i := range e.Fields {
				if e.Fields[i].Field == "region" {
					e.Fields[i].Field = "region_" + string(kind)
				}
			}
		}
		if apperr.Is(err, apperr.Conflict) {
			err = &apperr.Error{Code: apperr.Invalid, Msg: apperr.Message{Key: "error.invalid"},
				Fields: []apperr.FieldError{{Field: "region_" + string(kind), Message: apperr.Message{Key: "org.error.region_taken"}}}}
		}
		fields, alert, rest := s.formError(r, err)
		if rest != nil {
			return rest
		}
		return s.renderOrgNew(w, r, statusOf[apperr.CodeOf(err)], keptInput(r), alert, fields)
	}
	http.Redirect(w, r, "/organisationen/"+o.Slug+"?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

// orgView loads the organisation page's data for the signed-in user (or visitor).
func (s *Server) orgView(r *http.Request, slug string) (OrgView, error) {
	var u *account.User
	if si := userOf(r); si != nil {
		u = &si.user
	}
	o, m, err := s.Orgs.Get(r.Context(), u, slug)
	if err != nil {
		return OrgView{}, err
	}
	v := OrgView{Org: o, Member: m, CanEdit: org.Can(u, org.ActEdit, o, m), CanReview: org.Can(u, org.ActReview, o, m),
		CanRequest: org.Can(u, org.ActRequest, o, m) && !(o.Verified() && m != nil)}
	if u != nil {
		if v.Requests, err = s.Orgs.OwnRequests(r.Context(), *u, o.ID); err != nil {
			return v, err
		}
		if slices.ContainsFunc(v.Requests, func(q org.Request) bool { return q.Status == org.Pending }) {
			v.CanRequest = false
		}
	}
	return v, nil
}

func (s *Server) handleOrgView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := s.doneParam(r, p, orgDone)
	if err := p.Err(); err != nil {
		return err
	}
	v, err := s.orgView(r, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v.Done = done
	return s.renderOrg(w, r, http.StatusOK, v, nil, false)
}

// renderOrg shows the organisation page; after a failed form on it, the
// form keeps the input and shows the messages.
func (s *Server) renderOrg(w http.ResponseWriter, r *http.Request, status int, v OrgView, fields map[string]string, keep bool) error {
	pg := s.page(r, v.Org.Name)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	if keep {
		pg.Form = keptInput(r)
	} else if v.CanEdit {
		pg.Form = url.Values{"website": {v.Org.Website}, "description": {v.Org.Description}}
	}
	if pg.Form == nil {
		pg.Form = url.Values{}
	}
	if !keep && v.CanReview {
		pg.Form.Set("domains", strings.Join(v.Org.Domains, "\n"))
	}
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "org.list.title"), Href: "/organisationen"}, {Label: v.Org.Name}}
	pg.Data = v
	s.renderStatus(w, r, status, "org", pg)
	return nil
}

// orgRetry shows the organisation page again after a failed form on it,
// or returns an error that is not about the input.
func (s *Server) orgRetry(w http.ResponseWriter, r *http.Request, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return err
	}
	v, verr := s.orgView(r, r.PathValue("slug"))
	if verr != nil {
		return verr
	}
	v.Alert = alert
	status := http.StatusBadRequest
	if c := apperr.CodeOf(err); c == apperr.Conflict {
		status = http.StatusConflict
	}
	return s.renderOrg(w, r, status, v, fields, true)
}

// orgDoneRedirect sends the browser back to a page of the organisation
// with a confirmation (POST, redirect, GET).
func orgDoneRedirect(w http.ResponseWriter, r *http.Request, slug, page, done string) {
	target := "/organisationen/" + slug + page
	if done != "" {
		target += "?erledigt=" + done
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (s *Server) handleOrgUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Orgs.Update(r.Context(), userOf(r).user, slug, r.PostForm.Get("website"), r.PostForm.Get("description"), s.meta(r)); err != nil {
		return s.orgRetry(w, r, err)
	}
	orgDoneRedirect(w, r, slug, "", "gespeichert")
	return nil
}

func (s *Server) handleOrgRequest(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	req, err := s.Orgs.RequestVerification(r.Context(), userOf(r).user, slug, r.PostForm.Get("statement"), s.meta(r))
	if err != nil {
		return s.orgRetry(w, r, err)
	}
	done := "beantragt"
	if req.Status == org.Approved {
		done = "verifiziert"
	}
	orgDoneRedirect(w, r, slug, "", done)
	return nil
}

func (s *Server) handleOrgDomains(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Orgs.SetDomains(r.Context(), userOf(r).user, slug, r.PostForm.Get("domains"), s.meta(r)); err != nil {
		return s.orgRetry(w, r, err)
	}
	orgDoneRedirect(w, r, slug, "", "domains")
	return nil
}
