package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// apiUser is an account in the JSON API.
type apiUser struct {
	ID          string         `json:"id"`
	Email       string         `json:"email"`
	Name        string         `json:"name"`
	Lang        string         `json:"lang"`
	Confirmed   bool           `json:"confirmed"`
	ConfirmedAt *time.Time     `json:"confirmed_at"`
	Roles       []account.Role `json:"roles"`
	CreatedAt   time.Time      `json:"created_at"`
}

func apiUserOf(u account.User) apiUser {
	roles := u.Roles
	if roles == nil {
		roles = []account.Role{}
	}
	return apiUser{ID: u.ID, Email: u.Email, Name: u.Name, Lang: u.Lang, Confirmed: u.Confirmed(), ConfirmedAt: u.EmailConfirmed,
		Roles: roles, CreatedAt: u.Created}
}

// apiAuditEntry is an audit log entry in the JSON API, written as in the
// data export.
type apiAuditEntry = account.ExportAudit

func (s *Server) handleAPIUserList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, append(userFilterParams, "limit")...)
	f := userFilter(p)
	f.Limit = p.int("limit", account.DefaultLimit, 1, account.MaxLimit)
	if err := p.Err(); err != nil {
		return err
	}
	res, err := s.Accounts.ListUsers(r.Context(), f)
	if err != nil {
		return err
	}
	out := list[apiUser]{Items: make([]apiUser, 0, len(res.Items)), Total: res.Total}
	for _, u := range res.Items {
		out.Items = append(out.Items, apiUserOf(u))
	}
	if res.Next != "" {
		out.Next = encodeOpaque(userCursor{Email: res.Next})
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// maxRolesBody bounds the body of a role change.
const maxRolesBody = 4 << 10

// handleAPIUserRoles replaces an account's platform roles:
// {"roles": ["curator"]}.
func (s *Server) handleAPIUserRoles(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Roles *[]account.Role `json:"roles"`
	}
	if err := decodeJSON(w, r, maxRolesBody, &body); err != nil {
		return err
	}
	var v apperr.Validation
	if body.Roles == nil {
		v.Add("roles", "form.error.required")
		return v.Err()
	}
	u, err := s.Accounts.SetRoles(r.Context(), userOf(r).user, r.PathValue("id"), *body.Roles, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiUserOf(u))
	return nil
}

func (s *Server) handleAPIAuditLog(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, append(auditFilterParams, "limit")...)
	f := auditFilter(p)
	f.Limit = p.int("limit", account.DefaultLimit, 1, account.MaxLimit)
	if err := p.Err(); err != nil {
		return err
	}
	res, err := s.Accounts.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	out := list[apiAuditEntry]{Items: make([]apiAuditEntry, 0, len(res.Items)), Total: res.Total}
	for _, e := range res.Items {
		out.Items = append(out.Items, e.Export())
	}
	if c := res.Next; c != nil {
		out.Next = encodeOpaque(auditCursor{At: c.At, ID: c.ID})
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// handleAPIMe returns the caller's own account.
func (s *Server) handleAPIMe(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	writeJSON(w, http.StatusOK, "application/json", apiUserOf(userOf(r).user))
	return nil
}

// handleAPIMeExport returns the caller's data, as GET /konto/daten does.
func (s *Server) handleAPIMeExport(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	e, err := s.Accounts.Export(r.Context(), userOf(r).user.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, "application/json", e)
	return nil
}
