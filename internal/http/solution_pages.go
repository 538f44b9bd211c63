package http

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/web"
)

// EntryFormView is the Data of the "solution_form" page.
type EntryFormView struct {
	Action      string // where the form posts
	Solution    *catalog.Solution
	Memberships []org.Membership // organisations to create for
	Fields      []catalog.Field
	Bands       []region.Band
	Models      []string
	Prices      []string
	Hosting     []string
	Evidence    []string
	Maturities  []string
	Origins     []string
	Rows        []int // evidence row numbers
	Alert       string
}

// renderEntryForm shows the entry form with form values and messages.
func (s *Server) renderEntryForm(w http.ResponseWriter, r *http.Request, status int, v EntryFormView, form url.Values, fields map[string]string) error {
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	v.Fields, v.Bands, v.Models, v.Prices, v.Hosting = tree, region.Bands, catalog.DeliveryModels, catalog.PriceModels, catalog.HostingLocations
	v.Evidence, v.Maturities, v.Origins = catalog.EvidenceKinds, catalog.Maturities, catalog.Origins
	for i := range evidenceRows {
		v.Rows = append(v.Rows, i)
	}
	title := s.t(r, "solution.new.title")
	if v.Solution != nil {
		title = s.t(r, "solution.edit.title", "Name", v.Solution.Current().Entry.Name)
	}
	return s.renderFormPage(w, r, status, "solution_form", title, []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title"), Href: "/loesungen"}, {Label: title}}, form, fields, v)
}

// entryRetry shows the form again after a failed save.
func (s *Server) entryRetry(w http.ResponseWriter, r *http.Request, v EntryFormView, err error, index map[string]string) error {
	fields, alert, rest := s.formError(r, formFieldErrors(err, index))
	if rest != nil || apperr.Is(err, apperr.Forbidden) && fields == nil && v.Solution != nil || apperr.Is(err, apperr.NotFound) {
		return err
	}
	v.Alert = alert
	form := keptInput(r)
	form.Del("lock")
	if v.Solution != nil {
		form.Set("lock", strconv.Itoa(v.Solution.Lock))
	}
	status := statusOf[apperr.CodeOf(err)]
	return s.renderEntryForm(w, r, status, v, form, fields)
}

func (s *Server) handleSolutionNewForm(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "organisation")
	if err := p.Err(); err != nil {
		return err
	}
	ms, _, err := s.Orgs.Mine(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	form := url.Values{"organisation": {p.str("organisation")}, "delivery.saas": {"1"}, "delivery.saas.hosting": {"de"}}
	return s.renderEntryForm(w, r, http.StatusOK, EntryFormView{Action: "/loesungen", Memberships: ms}, form, nil)
}

func (s *Server) handleSolutionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r).user
	ms, _, err := s.Orgs.Mine(r.Context(), u)
	if err != nil {
		return err
	}
	v := EntryFormView{Action: "/loesungen", Memberships: ms}
	e, index, pre := entryFromForm(r.PostForm)
	orgSlug := r.PostForm.Get("organisation")
	if orgSlug == "" {
		pre.Add("organisation", "catalog.error.organisation")
	}
	if err := pre.Err(); err != nil {
		return s.entryRetry(w, r, v, err, index)
	}
	sol, err := s.Solutions.Create(r.Context(), u, orgSlug, e, s.meta(r))
	if err != nil {
		if apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
			var fv apperr.Validation
			fv.Add("organisation", "catalog.error.organisation")
			err = fv.Err()
		}
		return s.entryRetry(w, r, v, err, index)
	}
	http.Redirect(w, r, "/loesungen/"+sol.Slug+"?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

// ownSolution loads a solution that the signed-in user may act on with act.
func (s *Server) ownSolution(r *http.Request, act catalog.Action) (catalog.Solution, error) {
	u := userOf(r).user
	sol, m, err := s.Solutions.Get(r.Context(), &u, r.PathValue("slug"))
	if err == nil && !catalog.Can(&u, act, sol, m) {
		err = apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return sol, err
}

func (s *Server) handleSolutionEditForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	sol, err := s.ownSolution(r, catalog.ActEdit)
	if err != nil {
		return err
	}
	form := entryForm(sol.Current().Entry)
	form.Set("lock", strconv.Itoa(sol.Lock))
	return s.renderEntryForm(w, r, http.StatusOK, EntryFormView{Action: r.URL.Path, Solution: &sol}, form, nil)
}

// lockOf reads the optimistic lock the form carried.
func lockOf(r *http.Request) int {
	n, err := strconv.Atoi(r.PostForm.Get("lock"))
	if err != nil {
		return -1 // never a stored lock: a conflict
	}
	return n
}

func (s *Server) handleSolutionUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	sol, err := s.ownSolution(r, catalog.ActEdit)
	if err != nil {
		return err
	}
	v := EntryFormView{Action: r.URL.Path, Solution: &sol}
	e, index, pre := entryFromForm(r.PostForm)
	if err := pre.Err(); err != nil {
		return s.entryRetry(w, r, v, err, index)
	}
	if err := s.Solutions.Update(r.Context(), userOf(r).user, sol.Slug, lockOf(r), e, s.meta(r)); err != nil {
		return s.entryRetry(w, r, v, err, index)
	}
	http.Redirect(w, r, "/loesungen/"+sol.Slug+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

// solutionAction runs a one-button action of the solution page and
// returns there with a confirmation, or with the reason it failed.
func (s *Server) solutionAction(w http.ResponseWriter, r *http.Request, done string, do func(slug string, lock int) error) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := do(slug, lockOf(r)); err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
			return err
		}
		return s.renderSolution(w, r, statusOf[apperr.CodeOf(err)], "", alert, fields)
	}
	http.Redirect(w, r, "/loesungen/"+slug+"?erledigt="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) handleSolutionSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.solutionAction(w, r, "eingereicht", func(slug string, lock int) error {
		return s.Solutions.Submit(r.Context(), userOf(r).user, slug, lock, s.meta(r))
	})
}

func (s *Server) handleSolutionReview(w http.ResponseWriter, r *http.Request) error {
	return s.solutionAction(w, r, "geprueft", func(slug string, lock int) error {
		switch r.PostForm.Get("decision") {
		case "publish":
			return s.Solutions.Review(r.Context(), userOf(r).user, slug, lock, true, r.PostForm.Get("comment"), s.meta(r))
		case "changes":
			return s.Solutions.Review(r.Context(), userOf(r).user, slug, lock, false, r.PostForm.Get("comment"), s.meta(r))
		}
		if _, err := s.ownSolution(r, catalog.ActReview); err != nil {
			return err
		}
		var v apperr.Validation
		v.Add("decision", "solution.error.decision")
		return v.Err()
	})
}

func (s *Server) handleSolutionArchive(w http.ResponseWriter, r *http.Request) error {
	return s.solutionAction(w, r, "archiviert", func(slug string, lock int) error {
		return s.Solutions.Archive(r.Context(), userOf(r).user, slug, lock, r.PostForm.Get("reason"), s.meta(r))
	})
}

// SolutionQueueView is the Data of the "solution_queue" page.
type SolutionQueueView struct {
	Items    []catalog.QueueItem // those that match the filter
	All      int                 // all waiting versions
	Filter   catalog.QueueFilter
	Fields   []catalog.Field
	Kinds    []string
	AgeSteps []int // choices of the minimum waiting time, in days
	Now      time.Time
}

// Days is how long a version has waited, in whole days.
func (v SolutionQueueView) Days(submitted *time.Time) int {
	return catalog.WaitingDays(submitted, v.Now)
}

// queueAgeSteps are the choices of the queue's "waiting at least" filter.
var queueAgeSteps = []int{7, 14, 30}

func (s *Server) handleSolutionQueue(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "art", "feld", "alter")
	v := SolutionQueueView{Filter: catalog.QueueFilter{Kind: p.str("art"), Field: p.str("feld"),
		MinDays: p.int("alter", 0, 0, 3650)}, Kinds: catalog.QueueKinds, AgeSteps: queueAgeSteps, Now: time.Now()}
	if v.Filter.Kind != "" && !slices.Contains(catalog.QueueKinds, v.Filter.Kind) {
		p.Add("art", "error.param.value", "Name", "art")
	}
	if err := p.Err(); err != nil {
		return err
	}
	items, err := s.Solutions.Queue(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	if v.Fields, err = s.Fields.All(r.Context()); err != nil {
		return err
	}
	v.All, v.Items = len(items), catalog.FilterQueue(items, v.Filter, v.Now)
	pg := s.page(r, s.t(r, "solution.queue.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solution.queue.title")}}
	pg.Data = v
	return s.render(w, r, "solution_queue", pg)
}

// VersionsView is the Data of the "solution_versions" page.
type VersionsView struct {
	Solution catalog.Solution
	Versions []catalog.Version
	A, B     *catalog.Version // compared: older A with newer B
	Changes  []catalog.Change
}

// handleSolutionVersions lists every version of an entry and the
// differences between two of them (?a=1&b=2; by default the newest two).
func (s *Server) handleSolutionVersions(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "a", "b")
	a, b := p.int("a", 0, 1, 1<<30), p.int("b", 0, 1, 1<<30)
	if err := p.Err(); err != nil {
		return err
	}
	u := userOf(r).user
	sol, _, err := s.Solutions.Get(r.Context(), &u, r.PathValue("slug"))
	if err != nil {
		return err
	}
	versions, err := s.Solutions.Versions(r.Context(), u, sol.Slug)
	if err != nil {
		return err
	}
	v := VersionsView{Solution: sol, Versions: versions}
	find := func(n int) *catalog.Version {
		for i := range versions {
			if versions[i].Number == n {
				return &versions[i]
			}
		}
		return nil
	}
	switch {
	case a == 0 && b == 0 && len(versions) > 1:
		v.B, v.A = &versions[0], &versions[1] // newest first
	case a != 0 || b != 0:
		if v.A, v.B = find(a), find(b); v.A == nil || v.B == nil {
			return apperr.New(apperr.NotFound, "solution.error.version")
		}
	}
	if v.A != nil {
		v.Changes = catalog.Diff(v.A.Entry, v.B.Entry)
	}
	pg := s.page(r, s.t(r, "solution.versions.title", "Name", sol.Current().Entry.Name))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title"), Href: "/loesungen"},
		{Label: sol.Current().Entry.Name, Href: "/loesungen/" + sol.Slug}, {Label: s.t(r, "solution.versions.short")}}
	pg.Data = v
	return s.render(w, r, "solution_versions", pg)
}
