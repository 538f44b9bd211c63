package org

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// freemail are mail services where anyone gets an address; such a domain
// proves nothing about an organisation and is never official.
var freemail = []string{
	"gmail.com", "googlemail.com", "web.de", "gmx.de", "gmx.net", "gmx.at", "t-online.de", "outlook.com", "outlook.de",
	"hotmail.com", "hotmail.de", "live.de", "live.com", "yahoo.com", "yahoo.de", "icloud.com", "me.com", "aol.com",
	"freenet.de", "posteo.de", "mailbox.org", "proton.me", "protonmail.com", "arcor.de", "online.de", "1und1.de",
}

// Freemail reports whether d is a public mail service.
func Freemail(d string) bool { return slices.Contains(freemail, d) }

// RequestVerification records u's claim to act for an organisation, with
// a statement for the curator. When u's confirmed address is at one of the
// organisation's official domains, the claim is approved at once: the
// organisation is verified and u becomes a member (admin when it has none).
func (s *Service) RequestVerification(ctx context.Context, u account.User, slug, statement string, m account.Meta) (Request, error) {
	o, mp, err := s.Get(ctx, &u, slug)
	if err != nil {
		return Request{}, err
	}
	if !u.Confirmed() {
		return Request{}, apperr.New(apperr.Forbidden, "org.error.unconfirmed")
	}
	if !Can(&u, ActRequest, o, mp) {
		return Request{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if o.Verified() && mp != nil {
		return Request{}, apperr.New(apperr.Conflict, "org.error.already_verified")
	}
	statement = strings.TrimSpace(statement)
	official := slices.ContainsFunc(o.Domains, func(d string) bool { return AtDomain(u.Email, d) })
	r := Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, OrgSlug: o.Slug, OrgName: o.Name, UserID: u.ID, Email: u.Email,
		Statement: statement, Status: Pending, Created: s.Now().UTC(), DomainOfficial: official}
	if official {
		r.Status, r.Automatic, r.Reason = Approved, true, "official domain "+Domain(u.Email)
	} else {
		var v apperr.Validation
		v.Text("statement", statement, maxStatement, true)
		if err := v.Err(); err != nil {
			return Request{}, err
		}
	}
	action := "org.verification_requested"
	if official {
		action = "org.verification_approved"
	}
	err = s.store.CreateRequest(ctx, r, audit(u, action, o.ID, m, map[string]any{"request": r.ID, "automatic": official}))
	if err != nil {
		return Request{}, fmt.Errorf("org: request verification of %s: %w", o.Slug, err)
	}
	return r, nil
}

// Requests returns verification requests for curators.
func (s *Service) Requests(ctx context.Context, u account.User, q RequestQuery) (RequestPage, error) {
	if !Can(&u, ActReview, Organisation{}, nil) {
		return RequestPage{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var v apperr.Validation
	if q.Status != "" && q.Status != Pending && q.Status != Approved && q.Status != Rejected {
		v.Add("status", "org.error.status")
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 1 || q.Limit > 200 {
		v.Add("limit", "error.param.limit")
	}
	if err := v.Err(); err != nil {
		return RequestPage{}, err
	}
	return s.store.Requests(ctx, q)
}

// OwnRequests returns u's latest requests for an organisation.
func (s *Service) OwnRequests(ctx context.Context, u account.User, orgID string) ([]Request, error) {
	page, err := s.store.Requests(ctx, RequestQuery{OrgID: orgID, UserID: u.ID, Limit: 5})
	return page.Items, err
}

// Request returns one verification request for curators.
func (s *Service) Request(ctx context.Context, u account.User, id string) (Request, error) {
	if !Can(&u, ActReview, Organisation{}, nil) {
		return Request{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if _, err := uuid.Parse(id); err != nil {
		return Request{}, apperr.New(apperr.NotFound, "org.error.request_not_found")
	}
	return s.store.RequestByID(ctx, id)
}

// Decide approves or rejects a pending request; the curator's reason is
// required and goes to the requester by mail. On approval the curator may
// make the requester's domain official, so that later claims from it are
// approved at once.
func (s *Service) Decide(ctx context.Context, u account.User, id string, d Decision, m account.Meta) (Request, error) {
	r, err := s.Request(ctx, u, id)
	if err != nil {
		return r, err
	}
	var v apperr.Validation
	d.Reason = strings.TrimSpace(d.Reason)
	v.Text("reason", d.Reason, maxStatement, true)
	if d.AddDomain && (!d.Approve || Freemail(Domain(r.Email))) {
		v.Add("add_domain", "org.error.domain_freemail", "Domain", Domain(r.Email))
	}
	if err := v.Err(); err != nil {
		return r, err
	}
	d.ActorID = u.ID
	action := "org.verification_rejected"
	if d.Approve {
		action = "org.verification_approved"
	}
	r, err = s.store.DecideRequest(ctx, id, d, audit(u, action, r.OrgID, m, map[string]any{"request": id, "reason": d.Reason, "add_domain": d.AddDomain}))
	if err != nil {
		return r, err
	}
	key := "org.mail.rejected"
	if d.Approve {
		key = "org.mail.approved"
	}
	return r, s.send(ctx, langOr(r.Lang), r.Email, key, "Org", r.OrgName, "Reason", d.Reason, "Link", s.baseURL+"/organisationen/"+r.OrgSlug)
}

// SetDomains replaces an organisation's official domains (curators).
// Public mail services are refused.
func (s *Service) SetDomains(ctx context.Context, u account.User, slug, domains string, m account.Meta) error {
	o, _, err := s.authorize(ctx, u, slug, ActReview)
	if err != nil {
		return err
	}
	var (
		v   apperr.Validation
		out []string
	)
	for _, f := range strings.FieldsFunc(domains, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		d := NormalizeDomain(f)
		switch {
		case d == "":
			v.Add("domains", "org.error.domain", "Domain", f)
		case Freemail(d):
			v.Add("domains", "org.error.domain_freemail", "Domain", d)
		case !slices.Contains(out, d):
			out = append(out, d)
		}
	}
	if len(out) > 20 || utf8.RuneCountInString(domains) > 2000 {
		v.Add("domains", "org.error.domains_many", "Max", 20)
	}
	if err := v.Err(); err != nil {
		return err
	}
	slices.Sort(out)
	return s.store.SetDomains(ctx, o.ID, out, audit(u, "org.domains_set", o.ID, m, map[string]any{"domains": out}))
}

// exportMembership is one membership in a user's data export.
type exportMembership struct {
	Organisation string    `json:"organisation"`
	Slug         string    `json:"slug"`
	Role         Role      `json:"role"`
	Since        time.Time `json:"since"`
}

// exportRequest is one verification request in a user's data export.
type exportRequest struct {
	Organisation string     `json:"organisation"`
	Email        string     `json:"email"`
	Statement    string     `json:"statement"`
	Status       string     `json:"status"`
	Created      time.Time  `json:"created_at"`
	Decided      *time.Time `json:"decided_at"`
	Reason       string     `json:"reason"`
}

// Export adds the user's memberships and verification requests to their
// data export (an account.ExportFunc).
func (s *Service) Export(ctx context.Context, userID string, e *account.Export) error {
	ms, err := s.store.UserMemberships(ctx, userID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		e.Memberships = append(e.Memberships, exportMembership{Organisation: m.OrgName, Slug: m.OrgSlug, Role: m.Role, Since: m.Created})
	}
	page, err := s.store.Requests(ctx, RequestQuery{UserID: userID, Limit: 1000})
	if err != nil {
		return err
	}
	reqs := []exportRequest{}
	for _, r := range page.Items {
		reqs = append(reqs, exportRequest{Organisation: r.OrgName, Email: r.Email, Statement: r.Statement, Status: r.Status,
			Created: r.Created, Decided: r.Decided, Reason: r.Reason})
	}
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra["verification_requests"] = reqs
	return nil
}
