package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/web"
)

// MembersView is the Data of the "org_members" page.
type MembersView struct {
	Org         org.Organisation
	Member      *org.Membership // the user's own membership
	Members     []org.Membership
	Invitations []org.Invitation
	CanManage   bool
	Roles       []org.Role
	UserID      string
	Done        string
	Alert       string
}

func (s *Server) handleOrgMembers(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := s.doneParam(r, p, orgDone)
	if err := p.Err(); err != nil {
		return err
	}
	return s.renderMembers(w, r, http.StatusOK, MembersView{Done: done}, nil)
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, v MembersView, fields map[string]string) error {
	u := userOf(r).user
	o, m, members, invs, err := s.Orgs.Members(r.Context(), u, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v.Org, v.Member, v.Members, v.Invitations, v.UserID, v.Roles = o, m, members, invs, u.ID, []org.Role{org.Member, org.Admin}
	v.CanManage = org.Can(&u, org.ActManageMembers, o, m)
	pg := s.page(r, s.t(r, "org.members.title", "Org", o.Name))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	if fields != nil || v.Alert != "" {
		pg.Form = keptInput(r)
	}
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "org.list.title"), Href: "/organisationen"},
		{Label: o.Name, Href: "/organisationen/" + o.Slug}, {Label: s.t(r, "org.members.short")}}
	pg.Data = v
	s.renderStatus(w, r, status, "org_members", pg)
	return nil
}

// membersRetry shows the members page again after a failed form on it.
func (s *Server) membersRetry(w http.ResponseWriter, r *http.Request, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return err
	}
	return s.renderMembers(w, r, http.StatusBadRequest, MembersView{Alert: alert}, fields)
}

func (s *Server) handleOrgInvite(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	lang := r.PostForm.Get("mail_lang")
	if lang == "" {
		lang = langOf(r)
	}
	if _, err := s.Orgs.Invite(r.Context(), userOf(r).user, slug, r.PostForm.Get("email"), org.Role(r.PostForm.Get("role")), lang, s.meta(r)); err != nil {
		return s.membersRetry(w, r, err)
	}
	orgDoneRedirect(w, r, slug, "/mitglieder", "eingeladen")
	return nil
}

func (s *Server) handleOrgInvitationRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Orgs.RevokeInvitation(r.Context(), userOf(r).user, slug, r.PathValue("id"), s.meta(r)); err != nil {
		return s.membersRetry(w, r, err)
	}
	orgDoneRedirect(w, r, slug, "/mitglieder", "zurueck")
	return nil
}

func (s *Server) handleOrgMemberRole(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Orgs.SetRole(r.Context(), userOf(r).user, slug, r.PathValue("user"), org.Role(r.PostForm.Get("role")), s.meta(r)); err != nil {
		return s.membersRetry(w, r, err)
	}
	orgDoneRedirect(w, r, slug, "/mitglieder", "rolle")
	return nil
}

func (s *Server) handleOrgMemberRemove(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Orgs.Remove(r.Context(), userOf(r).user, slug, r.PathValue("user"), s.meta(r)); err != nil {
		return s.membersRetry(w, r, err)
	}
	if r.PathValue("user") == userOf(r).user.ID {
		http.Redirect(w, r, "/konto/organisationen?erledigt=verlassen", http.StatusSeeOther)
		return nil
	}
	orgDoneRedirect(w, r, slug, "/mitglieder", "entfernt")
	return nil
}

func (s *Server) handleOrgLeave(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Orgs.Leave(r.Context(), userOf(r).user, r.PathValue("slug"), s.meta(r)); err != nil {
		return s.membersRetry(w, r, err)
	}
	http.Redirect(w, r, "/konto/organisationen?erledigt=verlassen", http.StatusSeeOther)
	return nil
}

// InvitationView is the Data of the "invitation" page.
type InvitationView struct {
	Invitation org.Invitation
	Problem    string // why it cannot be accepted; "" when it can
	OtherUser  bool   // signed in with another address
	Next       string // this page, to come back after login
}

// handleInvitationView shows an invitation with a button to accept it (a
// GET never accepts: mail scanners open links).
func (s *Server) handleInvitationView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	inv, err := s.Orgs.Invitation(r.Context(), r.PathValue("token"))
	return s.renderInvitation(w, r, inv, err)
}

func (s *Server) renderInvitation(w http.ResponseWriter, r *http.Request, inv org.Invitation, err error) error {
	v := InvitationView{Invitation: inv, Next: r.URL.Path}
	status := http.StatusOK
	if err != nil {
		_, alert, rest := s.formError(r, err)
		if rest != nil {
			return rest
		}
		v.Problem, status = alert, statusOf[apperr.CodeOf(err)]
	}
	if u := userOf(r); u != nil && v.Problem == "" && inv.Email != u.user.Email {
		v.OtherUser = true
	}
	pg := s.page(r, s.t(r, "org.invitation.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Data = v
	s.renderStatus(w, r, status, "invitation", pg)
	return nil
}

func (s *Server) handleInvitationAccept(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	inv, err := s.Orgs.Accept(r.Context(), userOf(r).user, r.PathValue("token"), s.meta(r))
	if err != nil {
		return s.renderInvitation(w, r, inv, err)
	}
	orgDoneRedirect(w, r, inv.OrgSlug, "/mitglieder", "beigetreten")
	return nil
}

// MyOrgsView is the Data of the "my_orgs" page.
type MyOrgsView struct {
	Memberships []org.Membership
	Invitations []org.Invitation
	Done        string
	Now         time.Time
}

func (s *Server) handleMyOrgs(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := s.doneParam(r, p, map[string]string{"verlassen": "org.done.left"})
	if err := p.Err(); err != nil {
		return err
	}
	ms, invs, err := s.Orgs.Mine(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "org.mine.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "account.title"), Href: "/konto"}, {Label: s.t(r, "org.mine.title")}}
	pg.Data = MyOrgsView{Memberships: ms, Invitations: invs, Done: done, Now: time.Now()}
	return s.render(w, r, "my_orgs", pg)
}
