package http

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// FormData is the Data of the account forms.
type FormData struct {
	Alert  string // a message about the whole form, e.g. "wrong password"
	Action string // where the form posts to
	Next   string // local path to continue to after login
	SSO    []SSOLink
}

// Notice is the Data of the "notice" page: a short message after an action.
type Notice struct {
	Heading, Text       string
	LinkHref, LinkLabel string
	Success             bool
}

// AccountView is the Data of the "account" page.
type AccountView struct {
	User     account.User
	Sessions []account.Session
	Tokens   []account.APIToken
	// NewToken is the secret of a token just created, shown this once.
	NewToken string
	Now      time.Time
	Alert    string
	Done     string // confirmation of a change just made
}

// readForm parses a posted form and checks its CSRF token.
func (s *Server) readForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "error.form")
	}
	return s.checkCSRF(r)
}

// pageFormError is formError for a page that shows its form again: it
// returns err itself as stop, for the error page, when err is no field
// or form message, when the caller may not act (forbidden) or when
// something the form is about does not exist (not found without fields).
func (s *Server) pageFormError(r *http.Request, err error) (fields map[string]string, alert string, stop error) {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) && fields == nil {
		return nil, "", err
	}
	return fields, alert, nil
}

// formError splits a service error into messages next to fields and a
// message for the whole form; other errors are returned as they are.
func (s *Server) formError(r *http.Request, err error) (fields map[string]string, alert string, rest error) {
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code == apperr.Internal || e.Code == apperr.Conflict && len(e.Fields) == 0 && e.Msg.Key == "error.conflict" {
		return nil, "", err
	}
	if len(e.Fields) > 0 {
		fields = map[string]string{}
		for _, f := range e.Fields {
			fields[f.Field] = s.t(r, f.Key, append([]any{"Name", f.Field}, f.Args...)...)
		}
		return fields, "", nil
	}
	return nil, s.t(r, e.Msg.Key, e.Msg.Args...), nil
}

// keptInput is what a form shows again after a failed attempt: the
// user's input without passwords and the CSRF token.
func keptInput(r *http.Request) url.Values {
	if r.PostForm == nil {
		return nil
	}
	form := url.Values{}
	for k, v := range r.PostForm {
		switch k {
		case "password", "current", "email_password", "delete_password", "csrf_token":
		default:
			form[k] = v
		}
	}
	return form
}

// renderForm shows an account form, with the user's input (never the
// password) and the messages of a failed attempt.
func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, status int, name, title string, d FormData, fields map[string]string) {
	page := s.page(r, s.t(r, title))
	page.CSRFToken = s.csrfToken(w, r)
	page.Form = keptInput(r)
	page.FieldErrors = fields
	page.Data = d
	s.renderStatus(w, r, status, name, page)
}

// retry shows the form again after a failed attempt, or returns an error
// that is not about the input.
func (s *Server) retry(w http.ResponseWriter, r *http.Request, err error, name, title string, d FormData) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil {
		return rest
	}
	d.Alert = alert
	status := http.StatusBadRequest
	switch apperr.CodeOf(err) {
	case apperr.TooMany:
		status = http.StatusTooManyRequests
	// A failed login is a form that did not pass, not a refused request:
	// 400, like any other input error (401 would ask for HTTP auth).
	case apperr.Forbidden:
		status = http.StatusForbidden
	case apperr.NotFound:
		status = http.StatusNotFound
	}
	s.renderForm(w, r, status, name, title, d, fields)
	return nil
}

func (s *Server) notice(w http.ResponseWriter, r *http.Request, status int, n Notice) {
	page := s.page(r, n.Heading)
	page.Data = n
	s.renderStatus(w, r, status, "notice", page)
}

func (s *Server) handleRegisterForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	s.renderForm(w, r, http.StatusOK, "register", "account.register.title", FormData{}, nil)
	return nil
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	f := r.PostForm
	if err := s.Accounts.Register(r.Context(), f.Get("email"), f.Get("password"), f.Get("name"), s.meta(r)); err != nil {
		return s.retry(w, r, err, "register", "account.register.title", FormData{})
	}
	s.notice(w, r, http.StatusOK, Notice{Heading: s.t(r, "account.register.done.title"),
		Text: s.t(r, "account.register.done.text", "Email", account.NormalizeEmail(f.Get("email"))), Success: true})
	return nil
}

// handleConfirmForm shows a button instead of confirming on GET: mail
// scanners that open links must not use up the link.
func (s *Server) handleConfirmForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	s.renderForm(w, r, http.StatusOK, "confirm", "account.confirm.title", FormData{Action: r.URL.Path}, nil)
	return nil
}

func (s *Server) handleConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	_, err := s.Accounts.Confirm(r.Context(), r.PathValue("token"), s.meta(r))
	if err != nil {
		_, alert, rest := s.formError(r, err)
		if rest != nil {
			return rest
		}
		s.notice(w, r, statusOf[apperr.CodeOf(err)], Notice{Heading: s.t(r, "account.confirm.failed"), Text: alert,
			LinkHref: "/anmelden", LinkLabel: s.t(r, "account.confirm.failed.link")})
		return nil
	}
	s.notice(w, r, http.StatusOK, Notice{Heading: s.t(r, "account.confirm.done.title"), Text: s.t(r, "account.confirm.done.text"),
		LinkHref: "/anmelden", LinkLabel: s.t(r, "account.login.title"), Success: true})
	return nil
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "weiter")
	if err := p.Err(); err != nil {
		return err
	}
	next := localPath(p.str("weiter"))
	if userOf(r) != nil {
		http.Redirect(w, r, orDefault(next, "/konto"), http.StatusSeeOther)
		return nil
	}
	s.renderForm(w, r, http.StatusOK, "login", "account.login.title", FormData{Next: next, SSO: s.ssoLinks(next)}, nil)
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	next := localPath(r.PostForm.Get("weiter"))
	secret, _, err := s.Accounts.Login(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"), s.meta(r))
	if err != nil {
		return s.retry(w, r, err, "login", "account.login.title", FormData{Next: next, SSO: s.ssoLinks(next)})
	}
	if old := userOf(r); old != nil { // a second login in the same browser replaces the first
		s.Accounts.Logout(r.Context(), old.secret, old.user, s.meta(r))
	}
	s.setSession(w, r, secret)
	http.Redirect(w, r, orDefault(next, "/konto"), http.StatusSeeOther)
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r)
	if err := s.Accounts.Logout(r.Context(), u.secret, u.user, s.meta(r)); err != nil {
		return err
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) handleForgotForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	s.renderForm(w, r, http.StatusOK, "forgot", "account.forgot.title", FormData{}, nil)
	return nil
}

func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Accounts.RequestReset(r.Context(), r.PostForm.Get("email"), s.meta(r)); err != nil {
		return s.retry(w, r, err, "forgot", "account.forgot.title", FormData{})
	}
	s.notice(w, r, http.StatusOK, Notice{Heading: s.t(r, "account.forgot.done.title"),
		Text: s.t(r, "account.forgot.done.text", "Email", account.NormalizeEmail(r.PostForm.Get("email"))), Success: true})
	return nil
}

func (s *Server) handleResetForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	s.renderForm(w, r, http.StatusOK, "reset", "account.reset.title", FormData{Action: r.URL.Path}, nil)
	return nil
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if _, err := s.Accounts.ResetPassword(r.Context(), r.PathValue("token"), r.PostForm.Get("password"), s.meta(r)); err != nil {
		return s.retry(w, r, err, "reset", "account.reset.title", FormData{Action: r.URL.Path})
	}
	s.clearSession(w, r)
	s.notice(w, r, http.StatusOK, Notice{Heading: s.t(r, "account.reset.done.title"), Text: s.t(r, "account.reset.done.text"),
		LinkHref: "/anmelden", LinkLabel: s.t(r, "account.login.title"), Success: true})
	return nil
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderAccount(w, r, http.StatusOK, AccountView{}, nil)
}

// renderAccount shows the account page; v may carry a new token's secret
// or the messages of a failed token form.
func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, v AccountView, fields map[string]string) error {
	u := userOf(r)
	sessions, err := s.Accounts.Sessions(r.Context(), u.user, u.secret)
	if err != nil {
		return err
	}
	tokens, err := s.Accounts.APITokens(r.Context(), u.user)
	if err != nil {
		return err
	}
	v.User, v.Sessions, v.Tokens, v.Now = u.user, sessions, tokens, time.Now()
	page := s.page(r, s.t(r, "account.title"))
	page.CSRFToken = s.csrfToken(w, r)
	page.FieldErrors = fields
	if fields != nil {
		page.Form = keptInput(r)
	}
	page.Data = v
	s.renderStatus(w, r, status, "account", page)
	return nil
}

// accountRetry shows the account page again after a failed form on it,
// or returns an error that is not about the input.
func (s *Server) accountRetry(w http.ResponseWriter, r *http.Request, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil {
		return rest
	}
	return s.renderAccount(w, r, http.StatusBadRequest, AccountView{Alert: alert}, fields)
}

// handleTokenCreate creates an API token and shows its secret once, on
// the answer itself (never in a URL or a redirect).
func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	days, err := strconv.Atoi(r.PostForm.Get("days"))
	if err != nil {
		days = 0
	}
	u := userOf(r)
	_, secret, err := s.Accounts.CreateAPIToken(r.Context(), u.user, r.PostForm.Get("name"), r.PostForm["scopes"], days, s.meta(r))
	if err != nil {
		return s.accountRetry(w, r, err)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderAccount(w, r, http.StatusOK, AccountView{NewToken: secret}, nil)
}

func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Accounts.RevokeAPIToken(r.Context(), userOf(r).user, r.PathValue("id"), s.meta(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/konto#schluessel", http.StatusSeeOther)
	return nil
}

func (s *Server) handleSessionEnd(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r)
	if err := s.Accounts.EndSession(r.Context(), u.user, r.PathValue("id"), s.meta(r)); err != nil {
		return err
	}
	if r.PathValue("id") == u.session.ID {
		s.clearSession(w, r)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/konto#sitzungen", http.StatusSeeOther)
	return nil
}

func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r)
	err := s.Accounts.ChangePassword(r.Context(), u.user, r.PostForm.Get("current"), r.PostForm.Get("password"), u.secret, s.meta(r))
	if err != nil {
		return s.accountRetry(w, r, err)
	}
	return s.renderAccount(w, r, http.StatusOK, AccountView{Done: s.t(r, "account.password.changed")}, nil)
}

func (s *Server) handleEmailChange(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r)
	err := s.Accounts.RequestEmailChange(r.Context(), u.user, r.PostForm.Get("email"), r.PostForm.Get("email_password"), s.meta(r))
	if err != nil {
		return s.accountRetry(w, r, err)
	}
	return s.renderAccount(w, r, http.StatusOK, AccountView{Done: s.t(r, "account.email.requested",
		"Email", account.NormalizeEmail(r.PostForm.Get("email")))}, nil)
}

func (s *Server) handleEmailConfirmForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	s.renderForm(w, r, http.StatusOK, "confirm", "account.confirm.title", FormData{Action: r.URL.Path}, nil)
	return nil
}

func (s *Server) handleEmailConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u, err := s.Accounts.ConfirmEmailChange(r.Context(), r.PathValue("token"), s.meta(r))
	if err != nil {
		_, alert, rest := s.formError(r, err)
		if rest != nil {
			return rest
		}
		s.notice(w, r, statusOf[apperr.CodeOf(err)], Notice{Heading: s.t(r, "account.confirm.failed"), Text: alert,
			LinkHref: "/konto", LinkLabel: s.t(r, "account.title")})
		return nil
	}
	s.notice(w, r, http.StatusOK, Notice{Heading: s.t(r, "account.email.changed.title"),
		Text: s.t(r, "account.email.changed.text", "Email", u.Email), LinkHref: "/konto", LinkLabel: s.t(r, "account.title"), Success: true})
	return nil
}
