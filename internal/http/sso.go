package http

import (
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// SSOLink is a button on the login page for one OpenID provider.
type SSOLink struct{ Name, Href string }

func (s *Server) ssoLinks(next string) []SSOLink {
	if s.SSO == nil {
		return nil
	}
	var out []SSOLink
	for _, p := range s.SSO.Providers() {
		href := "/anmelden/sso/" + p.ID
		if next != "" {
			href += "?weiter=" + url.QueryEscape(next)
		}
		out = append(out, SSOLink{Name: p.Name, Href: href})
	}
	return out
}

// handleSSOStart sends the browser to the provider (authorisation code
// flow with PKCE; see package sso).
func (s *Server) handleSSOStart(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "weiter")
	if err := p.Err(); err != nil {
		return err
	}
	if s.SSO == nil {
		return apperr.New(apperr.NotFound, "sso.error.provider_unknown")
	}
	return s.SSO.Start(w, r, r.PathValue("id"), orDefault(localPath(p.str("weiter")), "/konto"), s.https(r))
}

// handleSSOCallback finishes the provider's login, links or creates the
// account and opens a session. Its query parameters are the provider's
// (code, state, iss, error, …), so they are not checked against a list.
func (s *Server) handleSSOCallback(w http.ResponseWriter, r *http.Request) error {
	if s.SSO == nil {
		return apperr.New(apperr.NotFound, "sso.error.provider_unknown")
	}
	id, next, err := s.SSO.Finish(w, r, r.PathValue("id"))
	if err == nil {
		var secret string
		secret, _, err = s.Accounts.LoginExternal(r.Context(), account.External{Provider: id.Provider, Subject: id.Subject,
			Email: id.Email, Name: id.Name, EmailVerified: id.EmailVerified}, s.meta(r))
		if err == nil {
			if old := userOf(r); old != nil {
				s.Accounts.Logout(r.Context(), old.secret, old.user, s.meta(r))
			}
			s.setSession(w, r, secret)
			http.Redirect(w, r, orDefault(localPath(next), "/konto"), http.StatusSeeOther)
			return nil
		}
	}
	_, alert, rest := s.formError(r, err)
	if rest != nil {
		return rest
	}
	s.notice(w, r, statusOf[apperr.CodeOf(err)], Notice{Heading: s.t(r, "sso.failed"), Text: alert,
		LinkHref: "/anmelden", LinkLabel: s.t(r, "sso.failed.link")})
	return nil
}
