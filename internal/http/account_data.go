package http

import (
	"encoding/json"
	"net/http"
	"time"
)

// handleAccountExport sends the user's data as a JSON file (GDPR Art. 15
// and 20).
func (s *Server) handleAccountExport(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	e, err := s.Accounts.Export(r.Context(), userOf(r).user.ID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	name := "smartregions-konto-" + time.Now().In(berlin).Format(time.DateOnly) + ".json"
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	w.Write(append(b, '\n'))
	return nil
}

// handleAccountDelete deletes the user's own account after the
// confirmation (password, or the e-mail address for accounts without
// one), ends the session and says so on the start page.
func (s *Server) handleAccountDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r)
	confirm := r.PostForm.Get("delete_email")
	if u.user.HasPassword {
		confirm = r.PostForm.Get("delete_password")
	}
	if err := s.Accounts.DeleteAccount(r.Context(), u.user, confirm, s.meta(r)); err != nil {
		return s.accountRetry(w, r, err)
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/?hinweis=konto-geloescht", http.StatusSeeOther)
	return nil
}
