package http

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/feedback"
	"github.com/smartregions/smartregions/internal/web"
)

// handleLegal serves Impressum, Datenschutzerklärung and Erklärung zur
// Barrierefreiheit with the operator's content.
func (s *Server) handleLegal(doc string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := readParams(r, "gesendet")
		if err := p.Err(); err != nil {
			return err
		}
		sent := doc == "barrierefreiheit" && p.str("gesendet") == "1"
		return s.renderLegal(w, r, http.StatusOK, doc, sent, nil, nil)
	}
}

func (s *Server) renderLegal(w http.ResponseWriter, r *http.Request, status int, doc string, sent bool, form url.Values, errs map[string]string) error {
	html, err := s.Renderer.Legal(doc, langOf(r))
	if err != nil {
		return err
	}
	page := s.page(r, "")
	if doc == "barrierefreiheit" {
		page.CSRFToken = s.csrfToken(w, r)
	}
	page.Form, page.FieldErrors = form, errs
	page.Data = web.LegalData{Doc: doc, HTML: html, Sent: sent}
	s.renderStatus(w, r, status, "legal", page)
	return nil
}

// handleFeedbackCreate takes the accessibility feedback form. On success
// it redirects (post/redirect/get) so a reload does not send it twice; on
// a validation error it shows the form again with the user's input and a
// message next to each faulty field.
func (s *Server) handleFeedbackCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "error.form")
	}
	if err := s.checkCSRF(r); err != nil {
		return err
	}
	f := feedback.Feedback{Lang: langOf(r), Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"),
		Page: r.PostForm.Get("page"), Message: r.PostForm.Get("message")}
	saved, err := s.Feedback.Submit(r.Context(), f)
	var e *apperr.Error
	if errors.As(err, &e) && e.Code == apperr.Invalid {
		errs := map[string]string{}
		for _, fe := range e.Fields {
			errs[fe.Field] = s.t(r, fe.Key, append([]any{"Name", fe.Field}, fe.Args...)...)
		}
		return s.renderLegal(w, r, http.StatusBadRequest, "barrierefreiheit", false, r.PostForm, errs)
	}
	if err != nil {
		return err
	}
	s.Log.Info("accessibility feedback received", "request_id", requestID(r), "id", saved.ID)
	http.Redirect(w, r, "/barrierefreiheit?gesendet=1#rueckmeldung", http.StatusSeeOther)
	return nil
}
