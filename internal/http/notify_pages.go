package http

// This file: the notification centre of a signed-in user
// (/konto/benachrichtigungen) with the mail choices per kind, and the
// unread badge of the header.

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/web"
)

// notifyOn answers 404 while the notification centre is off (a server
// without a mail service).
func (s *Server) notifyOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Notify == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

// noteUnread puts the number of unread notifications into the header's
// account; visitors cost nothing, a signed-in user one indexed COUNT. A
// failure only loses the badge.
func (s *Server) noteUnread(r *http.Request, a *web.Account) {
	u := userOf(r)
	if a == nil || u == nil || s.Notify == nil {
		return
	}
	n, err := s.Notify.Unread(r.Context(), u.user)
	if err != nil {
		s.Log.Warn("unread notifications", "request_id", requestID(r), "err", err)
		return
	}
	a.Unread = n
}

// NotificationsView is the data of the notification centre.
type NotificationsView struct {
	Page notify.Page
	Done string
}

func (s *Server) handleNotificationList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := p.str("erledigt")
	if err := p.Err(); err != nil {
		return err
	}
	list, err := s.Notify.List(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	v := NotificationsView{Page: list}
	if done == "gelesen" {
		v.Done = s.t(r, "notify.done.read")
	}
	pg := s.page(r, s.t(r, "notify.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "account.title"), Href: "/konto"}, {Label: s.t(r, "notify.title")}}
	pg.Data = v
	return s.render(w, r, "notifications", pg)
}

func (s *Server) handleNotificationRead(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if _, err := s.Notify.MarkRead(r.Context(), userOf(r).user, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/konto/benachrichtigungen?erledigt=gelesen", http.StatusSeeOther)
	return nil
}

// handleNotificationOpen marks the notification read and sends the user
// on to what it is about: the centre's links go through here, so that
// following one is reading it. Marking read is harmless and repeatable,
// so a GET may do it; the target is a path the platform stored itself.
func (s *Server) handleNotificationOpen(w http.ResponseWriter, r *http.Request) error {
	n, err := s.Notify.MarkRead(r.Context(), userOf(r).user, r.PathValue("id"))
	if err != nil {
		return err
	}
	to := n.Link
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.HasPrefix(to, "/\\") {
		to = "/konto/benachrichtigungen"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) handleNotificationReadAll(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Notify.MarkAllRead(r.Context(), userOf(r).user); err != nil {
		return err
	}
	http.Redirect(w, r, "/konto/benachrichtigungen?erledigt=gelesen", http.StatusSeeOther)
	return nil
}

// NotificationPrefsView is the data of the mail choices' form.
type NotificationPrefsView struct {
	Kinds []string
	Mails []notify.Mail
	Done  bool
	Alert string
}

func (s *Server) renderNotificationPrefs(w http.ResponseWriter, r *http.Request, status int, form url.Values, v NotificationPrefsView, fields map[string]string) error {
	v.Kinds, v.Mails = notify.Kinds, notify.Mails
	pg := s.page(r, s.t(r, "notify.prefs.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form = form
	pg.FieldErrors = fields
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "notify.title"), Href: "/konto/benachrichtigungen"},
		{Label: s.t(r, "notify.prefs.title")}}
	pg.Data = v
	s.renderStatus(w, r, status, "notification_prefs", pg)
	return nil
}

func (s *Server) handleNotificationPrefs(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := p.str("erledigt") == "gespeichert"
	if err := p.Err(); err != nil {
		return err
	}
	prefs, err := s.Notify.Prefs(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	form := url.Values{}
	for k, m := range prefs {
		form.Set(k, string(m))
	}
	return s.renderNotificationPrefs(w, r, http.StatusOK, form, NotificationPrefsView{Done: done}, nil)
}

func (s *Server) handleNotificationPrefsSave(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	prefs := map[string]notify.Mail{}
	for _, k := range notify.Kinds {
		if v := r.PostForm.Get(k); v != "" {
			prefs[k] = notify.Mail(v)
		}
	}
	if err := s.Notify.SetPrefs(r.Context(), userOf(r).user, prefs); err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.Forbidden) {
			return err
		}
		return s.renderNotificationPrefs(w, r, http.StatusBadRequest, keptInput(r), NotificationPrefsView{Alert: alert}, fields)
	}
	http.Redirect(w, r, "/konto/benachrichtigungen/einstellungen?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}
