package http

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

type apiOrg struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Kind        org.Kind   `json:"kind"`
	Name        string     `json:"name"`
	RegionKey   *string    `json:"region_key"`
	Website     string     `json:"website"`
	Description string     `json:"description"`
	Domains     []string   `json:"official_domains"`
	Verified    bool       `json:"verified"`
	VerifiedAt  *time.Time `json:"verified_at"`
	CanPublish  bool       `json:"can_publish"`
	Members     int        `json:"members"`
	CreatedAt   time.Time  `json:"created_at"`
}

func apiOrgOf(o org.Organisation) apiOrg {
	a := apiOrg{ID: o.ID, Slug: o.Slug, Kind: o.Kind, Name: o.Name, Website: o.Website, Description: o.Description,
		Domains: o.Domains, Verified: o.Verified(), VerifiedAt: o.VerifiedAt, CanPublish: o.CanPublish(), Members: o.Members, CreatedAt: o.Created}
	if o.RegionKey != "" {
		a.RegionKey = &o.RegionKey
	}
	if a.Domains == nil {
		a.Domains = []string{}
	}
	return a
}

type apiMember struct {
	UserID string    `json:"user_id"`
	Name   string    `json:"name"`
	Email  string    `json:"email"`
	Role   org.Role  `json:"role"`
	Since  time.Time `json:"since"`
}

type apiInvitation struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Role      org.Role  `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

type apiOrgRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type apiRequest struct {
	ID           string     `json:"id"`
	Organisation apiOrgRef  `json:"organisation"`
	Email        string     `json:"email"`
	Statement    string     `json:"statement"`
	Status       string     `json:"status"`
	Automatic    bool       `json:"automatic"`
	CreatedAt    time.Time  `json:"created_at"`
	DecidedAt    *time.Time `json:"decided_at"`
	Reason       string     `json:"reason"`
}

func apiRequestOf(r org.Request) apiRequest {
	return apiRequest{ID: r.ID, Organisation: apiOrgRef{Slug: r.OrgSlug, Name: r.OrgName}, Email: r.Email, Statement: r.Statement,
		Status: r.Status, Automatic: r.Automatic, CreatedAt: r.Created, DecidedAt: r.Decided, Reason: r.Reason}
}

// maxJSONBody bounds the JSON bodies of the API's writes.
const maxJSONBody = 16 << 10

// decodeJSON reads one JSON object of at most max bytes into dst, refusing
// unknown fields and trailing data with a field message for "body".
func decodeJSON(w http.ResponseWriter, r *http.Request, max int64, dst any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	dec.DisallowUnknownFields()
	var v apperr.Validation
	if err := dec.Decode(dst); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			v.Add("body", "error.body.too_large", "Max", max)
		} else {
			v.Add("body", "error.body.json")
		}
		return v.Err()
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		v.Add("body", "error.body.json")
		return v.Err()
	}
	return nil
}

// orgAllowed checks the organisation's rule before a request body is read,
// so that a caller without the right is refused, not told about the body.
func (s *Server) orgAllowed(r *http.Request, act org.Action) (org.Organisation, error) {
	u := userOf(r).user
	o, m, err := s.Orgs.Get(r.Context(), &u, r.PathValue("slug"))
	if err == nil && !org.Can(&u, act, o, m) {
		err = apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return o, err
}

func (s *Server) handleAPIOrgList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "q", "kind", "limit", "cursor")
	limit := p.int("limit", 50, 1, 200)
	cursor := p.id("cursor")
	if err := p.Err(); err != nil {
		return err
	}
	page, err := s.Orgs.List(r.Context(), org.ListQuery{Query: p.str("q"), Kind: org.Kind(p.str("kind")), VerifiedOnly: true,
		After: cursor, Limit: limit})
	if err != nil {
		return err
	}
	out := list[apiOrg]{Items: []apiOrg{}, Total: page.Total, Next: page.Next}
	for _, o := range page.Items {
		out.Items = append(out.Items, apiOrgOf(o))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// optionalUser returns the signed-in user or nil.
func optionalUser(r *http.Request) *account.User {
	if u := userOf(r); u != nil {
		return &u.user
	}
	return nil
}

func (s *Server) handleAPIOrgView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	o, _, err := s.Orgs.Get(r.Context(), optionalUser(r), r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiOrgOf(o))
	return nil
}

func (s *Server) handleAPIOrgCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Kind        org.Kind `json:"kind"`
		RegionKey   string   `json:"region_key"`
		Name        string   `json:"name"`
		Website     string   `json:"website"`
		Description string   `json:"description"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	o, err := s.Orgs.Create(r.Context(), userOf(r).user, org.NewOrg{Kind: body.Kind, RegionKey: body.RegionKey, Name: body.Name,
		Website: body.Website, Description: body.Description}, s.meta(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/organisations/"+o.Slug)
	writeJSON(w, http.StatusCreated, "application/json", apiOrgOf(o))
	return nil
}

func (s *Server) handleAPIOrgMembers(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	_, _, members, _, err := s.Orgs.Members(r.Context(), userOf(r).user, r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := list[apiMember]{Items: []apiMember{}, Total: len(members)}
	for _, m := range members {
		out.Items = append(out.Items, apiMember{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: m.Role, Since: m.Created})
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIOrgInvite(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.orgAllowed(r, org.ActManageMembers); err != nil {
		return err
	}
	var body struct {
		Email string   `json:"email"`
		Role  org.Role `json:"role"`
		Lang  string   `json:"lang"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if body.Lang == "" {
		body.Lang = langOf(r)
	}
	inv, err := s.Orgs.Invite(r.Context(), userOf(r).user, r.PathValue("slug"), body.Email, body.Role, body.Lang, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, "application/json", apiInvitation{ID: inv.ID, Email: inv.Email, Role: inv.Role,
		CreatedAt: inv.Created, ExpiresAt: inv.Expires})
	return nil
}

func (s *Server) handleAPIOrgMemberRemove(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	u := userOf(r).user
	if err := s.Orgs.Remove(r.Context(), u, r.PathValue("slug"), r.PathValue("user"), s.meta(r)); err != nil {
		return err
	}
	o, _, err := s.Orgs.Get(r.Context(), &u, r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiOrgOf(o))
	return nil
}

func (s *Server) handleAPIInvitationAccept(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	inv, err := s.Orgs.Accept(r.Context(), userOf(r).user, body.Token, s.meta(r))
	if err != nil {
		return err
	}
	o, _, err := s.Orgs.Get(r.Context(), &userOf(r).user, inv.OrgSlug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiOrgOf(o))
	return nil
}

func (s *Server) handleAPIOrgRequest(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Statement string `json:"statement"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	req, err := s.Orgs.RequestVerification(r.Context(), userOf(r).user, r.PathValue("slug"), body.Statement, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, "application/json", apiRequestOf(req))
	return nil
}

func (s *Server) handleAPIRequestList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "status", "limit", "cursor")
	limit := p.int("limit", 50, 1, 200)
	cursor := p.id("cursor")
	if err := p.Err(); err != nil {
		return err
	}
	page, err := s.Orgs.Requests(r.Context(), userOf(r).user, org.RequestQuery{Status: p.str("status"), After: cursor, Limit: limit})
	if err != nil {
		return err
	}
	out := list[apiRequest]{Items: []apiRequest{}, Total: page.Total, Next: page.Next}
	for _, q := range page.Items {
		out.Items = append(out.Items, apiRequestOf(q))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIRequestDecide(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Approve   *bool  `json:"approve"`
		Reason    string `json:"reason"`
		AddDomain bool   `json:"add_domain"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if body.Approve == nil {
		var v apperr.Validation
		v.Add("approve", "form.error.required")
		return v.Err()
	}
	req, err := s.Orgs.Decide(r.Context(), userOf(r).user, r.PathValue("id"), org.Decision{Approve: *body.Approve, Reason: body.Reason,
		AddDomain: body.AddDomain}, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiRequestOf(req))
	return nil
}
