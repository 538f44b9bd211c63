package http

import (
	"net/http"

	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/web"
)

// OutboxView is the Data of the "outbox" page.
type OutboxView struct {
	Mails            []mail.Mail
	Total            int
	PageNo, Pages    int
	PrevURL, NextURL string
}

const outboxPerPage = 50

// handleOutbox lists the mails the platform sent or holds, for operators:
// without SMTP this is where confirmation and reset links can be read.
func (s *Server) handleOutbox(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "page")
	pageNo := p.int("page", 1, 1, 100_000)
	if err := p.Err(); err != nil {
		return err
	}
	list, total, err := s.Mail.List(r.Context(), outboxPerPage, (pageNo-1)*outboxPerPage)
	if err != nil {
		return err
	}
	v := OutboxView{Mails: list, Total: total, PageNo: pageNo, Pages: max(1, (total+outboxPerPage-1)/outboxPerPage)}
	if pageNo > 1 {
		v.PrevURL = withPage(r.URL, pageNo-1)
	}
	if pageNo < v.Pages {
		v.NextURL = withPage(r.URL, pageNo+1)
	}
	page := s.page(r, s.t(r, "outbox.title"))
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "outbox.title")}}
	page.Data = v
	return s.render(w, r, "outbox", page)
}

func (s *Server) handleOutboxMail(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	m, err := s.Mail.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := s.page(r, m.Subject)
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "outbox.title"), Href: "/betrieb/postausgang"}, {Label: m.Subject}}
	page.Data = m
	return s.render(w, r, "outbox_mail", page)
}
