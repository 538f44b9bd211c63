package http

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/web"
)

// UserListView is the Data of the "users" page.
type UserListView struct {
	Roles []account.Role // the choices of the role filter
	Items []account.User
	Total int
	// Shown is false when the filter was invalid and no list was made.
	Shown             bool
	NextURL, FirstURL string
}

// RoleOption is one checkbox of the role form.
type RoleOption struct {
	Role    account.Role
	Checked bool
}

// UserView is the Data of the "user" page.
type UserView struct {
	User  account.User
	Roles []RoleOption
	Alert string
	Saved bool
}

const usersPerPage = 50

// renderFilterPage shows a list page whose filter form sends GET: the
// form always shows the query it was sent with; err, when not nil, is
// shown next to the fields (400) or returned when it is not about input.
func (s *Server) renderFilterPage(w http.ResponseWriter, r *http.Request, name string, page *web.Page, err error) error {
	page.Form = r.URL.Query()
	status := http.StatusOK
	if err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil {
			return rest
		}
		if alert != "" {
			fields = map[string]string{"query": alert}
		}
		page.FieldErrors, status = fields, http.StatusBadRequest
	}
	s.renderStatus(w, r, status, name, page)
	return nil
}

// handleUserList lists the accounts for operators, with a search.
func (s *Server) handleUserList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, userFilterParams...)
	f := userFilter(p)
	f.Limit = usersPerPage
	v := UserListView{Roles: account.Roles}
	err := p.Err()
	if err == nil {
		var res account.UserPage
		if res, err = s.Accounts.ListUsers(r.Context(), f); err == nil {
			v.Items, v.Total, v.Shown = res.Items, res.Total, true
			if res.Next != "" {
				v.NextURL = withCursor(r.URL, encodeOpaque(userCursor{Email: res.Next}))
			}
			if f.Cursor != "" {
				v.FirstURL = withCursor(r.URL, "")
			}
		}
	}
	page := s.page(r, s.t(r, "users.title"))
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "users.title")}}
	page.Data = v
	return s.renderFilterPage(w, r, "users", page, err)
}

// handleUserView shows one account with the form for its roles.
func (s *Server) handleUserView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "gespeichert")
	if err := p.Err(); err != nil {
		return err
	}
	u, err := s.Accounts.User(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderUser(w, r, http.StatusOK, UserView{User: u, Roles: roleOptions(u.Roles), Saved: p.str("gespeichert") == "1"}, nil)
}

func roleOptions(checked []account.Role) []RoleOption {
	out := make([]RoleOption, 0, len(account.Roles))
	for _, r := range account.Roles {
		out = append(out, RoleOption{Role: r, Checked: slices.Contains(checked, r)})
	}
	return out
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, v UserView, fields map[string]string) error {
	label := v.User.Email
	page := s.page(r, s.t(r, "users.user.title", "Email", label))
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "users.title"), Href: "/betrieb/konten"}, {Label: label}}
	page.CSRFToken = s.csrfToken(w, r)
	page.FieldErrors = fields
	page.Data = v
	s.renderStatus(w, r, status, "user", page)
	return nil
}

// handleUserRoles sets an account's platform roles and returns to the
// account's page (post/redirect/get), which confirms the change.
func (s *Server) handleUserRoles(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	var roles []account.Role
	for _, v := range r.PostForm["roles"] {
		roles = append(roles, account.Role(v))
	}
	actor := userOf(r).user
	u, err := s.Accounts.SetRoles(r.Context(), actor, id, roles, s.meta(r))
	if err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Forbidden) {
			return err
		}
		target, gerr := s.Accounts.User(r.Context(), id)
		if gerr != nil {
			return gerr
		}
		return s.renderUser(w, r, http.StatusBadRequest, UserView{User: target, Roles: roleOptions(roles), Alert: alert}, fields)
	}
	if u.ID == actor.ID && !u.Has(account.Operator) {
		// Without the operator role the page is out of reach now.
		http.Redirect(w, r, "/konto", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/betrieb/konten/"+url.PathEscape(u.ID)+"?gespeichert=1", http.StatusSeeOther)
	return nil
}
