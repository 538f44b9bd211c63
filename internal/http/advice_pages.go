package http

// This file: the pages of advice requests to the competence centre
// (/beratung) as the asking organisation's members see them, and the
// request's page that the centre shares (its actions are in
// advice_work.go). Requests of other organisations answer 404.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/web"
)

// maxAdviceBody bounds the body of a form with attachments.
const maxAdviceBody = advice.MaxFiles*advice.MaxFileSize + 1<<20

// adviceUploadRoutes are the routes whose bodies may reach maxAdviceBody
// (see bodyLimit).
var adviceUploadRoutes = func() *http.ServeMux {
	mux := http.NewServeMux()
	for _, p := range []string{"POST /beratung/neu", "POST /beratung/{id}/nachricht", "POST /beratung/{id}/antwort", "POST /beratung/{id}/notiz"} {
		mux.Handle(p, http.NotFoundHandler())
	}
	return mux
}()

// adviceOn guards the advice routes: without the service they are not there.
func (s *Server) adviceOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Advice == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

// adviceCrumbs are the breadcrumbs below the list of requests.
func (s *Server) adviceCrumbs(r *http.Request, trail ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "advice.title"), Href: "/beratung"}}, trail...)
}

// readAdviceForm parses a form that may carry attachments (multipart) and
// checks its CSRF token; it returns the attached files.
func (s *Server) readAdviceForm(r *http.Request) ([]advice.File, error) {
	return s.readUploadForm(r, "advice.error.body_size", maxAdviceBody)
}

// AdviceListView is the Data of the "advice_list" page.
type AdviceListView struct {
	Requests []advice.Request
	Total    int
	Prev     string // link of the previous page, "" on the first
	Next     string // link of the next page, "" on the last
	CanAsk   bool   // the user belongs to an organisation that may ask
	Centre   bool
	Notice   string
}

// advicePageLinks returns the links of the previous and next page.
func advicePageLinks(base url.Values, path string, page, shown, total int) (prev, next string) {
	link := func(p int) string {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		if p > 1 {
			q.Set("seite", strconv.Itoa(p))
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if (page-1)*advice.DefaultLimit+shown < total {
		next = link(page + 1)
	}
	return prev, next
}

func (s *Server) handleAdviceList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "seite")
	page := p.int("seite", 1, 1, 10000)
	if err := p.Err(); err != nil {
		return err
	}
	u := userOf(r).user
	list, err := s.Advice.Mine(r.Context(), u, "", advice.DefaultLimit, (page-1)*advice.DefaultLimit)
	if err != nil {
		return err
	}
	orgs, err := s.Advice.AskingOrgs(r.Context(), u)
	if err != nil {
		return err
	}
	v := AdviceListView{Requests: list.Items, Total: list.Total, CanAsk: len(orgs) > 0, Centre: u.Has(account.Advisor)}
	v.Prev, v.Next = advicePageLinks(nil, "/beratung", page, len(list.Items), list.Total)
	pg := s.page(r, s.t(r, "advice.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "advice.title")}}
	pg.Data = v
	return s.render(w, r, "advice_list", pg)
}

// AdviceFormView is the Data of the "advice_new" page.
type AdviceFormView struct {
	Orgs      []advice.OrgRef
	Fields    []catalog.Field
	Urgencies []advice.Urgency
	Targets   map[advice.Urgency]int
	MaxFiles  int
	MaxMB     int
	Alert     string
}

func (s *Server) handleAdviceNewForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.renderAdviceForm(w, r, http.StatusOK, url.Values{"urgency": {string(advice.Normal)}}, nil, "")
}

func (s *Server) renderAdviceForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string, alert string) error {
	u := userOf(r).user
	orgs, err := s.Advice.AskingOrgs(r.Context(), u)
	if err != nil {
		return err
	}
	v := AdviceFormView{Alert: alert, Orgs: orgs, Urgencies: advice.Urgencies, Targets: advice.TargetDays, MaxFiles: advice.MaxFiles, MaxMB: advice.MaxFileSize >> 20}
	if s.Fields != nil {
		if v.Fields, err = s.Fields.All(r.Context()); err != nil {
			return err
		}
	}
	if len(orgs) == 1 && form.Get("org") == "" {
		form.Set("org", orgs[0].Slug)
	}
	return s.renderFormPage(w, r, status, "advice_new", s.t(r, "advice.new.title"), s.adviceCrumbs(r, web.Crumb{Label: s.t(r, "advice.new.title")}), form, fields, v)
}

func (s *Server) handleAdviceCreate(w http.ResponseWriter, r *http.Request) error {
	files, err := s.readAdviceForm(r)
	if err == nil {
		f := r.PostForm
		var req advice.Request
		req, err = s.Advice.Create(r.Context(), userOf(r).user, advice.Input{Org: f.Get("org"), Topic: f.Get("topic"), Field: f.Get("field"),
			Urgency: advice.Urgency(f.Get("urgency")), Body: f.Get("body"), Files: files}, s.meta(r))
		if err == nil {
			http.Redirect(w, r, "/beratung/"+req.ID+"?erledigt=gesendet", http.StatusSeeOther)
			return nil
		}
	}
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return err
	}
	form := keptInput(r)
	if form == nil {
		form = url.Values{}
	}
	return s.renderAdviceForm(w, r, statusOf[apperr.CodeOf(err)], form, fields, alert)
}

// AdviceView is the Data of the "advice" page.
type AdviceView struct {
	Request   advice.Request
	Centre    bool // the viewer works for the centre
	CanReply  bool
	CanClose  bool
	Overdue   bool
	Next      []advice.State // states the centre may move to
	Advisors  []advice.Person
	CanAnswer bool // the centre may answer (or ask back) now
	// Knowledge: the knowledge base is there to take an answer as a
	// draft article.
	Knowledge bool
	Notice    string
	Alert     string
	MaxFiles  int
	MaxMB     int
	Targets   map[advice.Urgency]int // response targets in working days
	// Form names the form that failed ("reply", "answer", "note"), so
	// that its messages show next to it.
	Form string
}

// adviceNotices are the messages that ?erledigt= may ask the page for.
var adviceNotices = map[string]string{
	"gesendet": "advice.done.sent", "nachricht": "advice.done.reply", "geschlossen": "advice.done.closed",
	"beantwortet": "advice.done.answered", "notiz": "advice.done.note", "zugewiesen": "advice.done.assigned", "status": "advice.done.state",
	"artikel": "advice.done.article",
}

// adviceView reads request id for the viewer.
func (s *Server) adviceView(r *http.Request, id string) (AdviceView, error) {
	u := userOf(r).user
	req, role, err := s.Advice.Get(r.Context(), u, id)
	if err != nil {
		return AdviceView{}, err
	}
	v := AdviceView{Request: req, Centre: role == advice.Centre, CanReply: advice.Can(role, advice.ActReply, req.State),
		CanClose: role == advice.Asker && advice.CanMove(role, req.State, advice.Closed), Overdue: req.Overdue(s.Advice.Now()),
		MaxFiles: advice.MaxFiles, MaxMB: advice.MaxFileSize >> 20, Targets: advice.TargetDays}
	if v.Centre {
		v.Next = advice.Next(role, req.State)
		v.Knowledge = s.Knowledge != nil
		v.CanAnswer = req.State != advice.Closed
		if v.Advisors, err = s.Advice.Advisors(r.Context(), u); err != nil {
			return v, err
		}
	}
	return v, nil
}

func (s *Server) handleAdviceView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt", "artikel")
	notice := ""
	if n := p.str("erledigt"); n != "" {
		if key, ok := adviceNotices[n]; ok {
			notice = s.t(r, key, "Slug", p.str("artikel"))
		} else {
			p.Add("erledigt", "error.param.value", "Name", "erledigt")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	v, err := s.adviceView(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	v.Notice = notice
	return s.renderAdvice(w, r, http.StatusOK, v, nil, nil)
}

func (s *Server) renderAdvice(w http.ResponseWriter, r *http.Request, status int, v AdviceView, form url.Values, fields map[string]string) error {
	title := v.Request.Number() + ": " + v.Request.Topic
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = form, fields
	if v.Centre {
		pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "advice.queue.title"), Href: "/beratung/eingang"},
			{Label: v.Request.Number()}}
	} else {
		pg.Breadcrumbs = s.adviceCrumbs(r, web.Crumb{Label: v.Request.Number()})
	}
	pg.Data = v
	s.renderStatus(w, r, status, "advice", pg)
	return nil
}

// adviceRetry shows the request's page again after a failed action of
// form, with the messages; other errors become the error page.
func (s *Server) adviceRetry(w http.ResponseWriter, r *http.Request, formName string, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return err
	}
	v, verr := s.adviceView(r, r.PathValue("id"))
	if verr != nil {
		return verr
	}
	v.Alert, v.Form = alert, formName
	return s.renderAdvice(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

func (s *Server) handleAdviceReply(w http.ResponseWriter, r *http.Request) error {
	files, err := s.readAdviceForm(r)
	if err == nil {
		err = s.Advice.Reply(r.Context(), userOf(r).user, r.PathValue("id"), advice.Post{Body: r.PostForm.Get("body"), Files: files}, s.meta(r))
	}
	if err != nil {
		return s.adviceRetry(w, r, "reply", err)
	}
	http.Redirect(w, r, "/beratung/"+r.PathValue("id")+"?erledigt=nachricht", http.StatusSeeOther)
	return nil
}

func (s *Server) handleAdviceClose(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Advice.Move(r.Context(), userOf(r).user, r.PathValue("id"), advice.Closed, s.meta(r)); err != nil {
		return s.adviceRetry(w, r, "", err)
	}
	http.Redirect(w, r, "/beratung/"+r.PathValue("id")+"?erledigt=geschlossen", http.StatusSeeOther)
	return nil
}

// handleAdviceAttachment serves an attachment as a download, to those who
// may see the request.
func (s *Server) handleAdviceAttachment(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.Advice.Attachment(r.Context(), userOf(r).user, r.PathValue("id"), r.PathValue("file"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Length", strconv.FormatInt(int64(len(a.Data)), 10))
	h.Set("Content-Disposition", "attachment; filename=\""+asciiName(a.Name)+"\"; filename*=UTF-8''"+url.PathEscape(a.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	w.Write(a.Data)
	return nil
}

// asciiName is a file name for the plain filename parameter.
func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 32 || r > 126 || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
}
