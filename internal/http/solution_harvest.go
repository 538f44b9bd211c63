package http

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/web"
)

// SourcesView is the Data of the "solution_sources" page: the git
// repositories registered for a solution and the open proposal.
type SourcesView struct {
	Solution catalog.Solution
	CanEdit  bool
	Repos    []RepoView
	Proposal *ProposalView
	Done     string
	Alert    string
}

// RepoView is a repository with the reason of its last failed check in
// the page's language.
type RepoView struct {
	catalog.Repository
	Error    string
	Problems []string // the file's errors, "Zeile 3, Spalte 5: …"
}

// ProposalView is the open proposal with the changes it would make.
type ProposalView struct {
	catalog.Proposal
	Changes []catalog.Change
	Notes   []string
}

// sourcesDone maps the ?erledigt= values of the sources page.
var sourcesDone = map[string]string{
	"hinzugefuegt": "harvest.done.added",
	"entfernt":     "harvest.done.removed",
	"geprueft":     "harvest.done.checked",
	"verworfen":    "harvest.done.dismissed",
	"importiert":   "harvest.done.imported",
}

// repoErrorText translates why a repository's last check failed.
func (s *Server) repoErrorText(r *http.Request, f *catalog.RepoFailure) (string, []string) {
	if f == nil {
		return "", nil
	}
	var details []string
	lang := langOf(r)
	for _, p := range f.Problems {
		details = append(details, s.t(r, "harvest.problem", "Line", p.Line, "Column", p.Column, "Text", p.Text(lang)))
	}
	for _, fe := range f.Fields {
		head, _, _ := strings.Cut(fe.Field, ".")
		details = append(details, s.t(r, "solution.diff."+head)+": "+s.t(r, fe.Key, append([]any{"Name", fe.Field}, fe.Args...)...))
	}
	return s.t(r, f.Key), details
}

// sourcesView loads what the sources page shows.
func (s *Server) sourcesView(r *http.Request) (SourcesView, error) {
	u := userOf(r).user
	sol, mp, repos, p, err := s.Harvest.Sources(r.Context(), u, r.PathValue("slug"))
	if err != nil {
		return SourcesView{}, err
	}
	v := SourcesView{Solution: sol, CanEdit: catalog.Can(&u, catalog.ActEdit, sol, mp)}
	for _, repo := range repos {
		rv := RepoView{Repository: repo}
		rv.Error, rv.Problems = s.repoErrorText(r, repo.LastError)
		v.Repos = append(v.Repos, rv)
	}
	if p != nil {
		pv := &ProposalView{Proposal: *p, Changes: p.Changes(sol.Current().Entry)}
		for _, n := range p.Notes {
			pv.Notes = append(pv.Notes, s.t(r, n.Key, n.KV()...))
		}
		v.Proposal = pv
	}
	return v, nil
}

// renderSources shows the sources page.
func (s *Server) renderSources(w http.ResponseWriter, r *http.Request, status int, v SourcesView, form url.Values, fields map[string]string) error {
	name := v.Solution.Current().Entry.Name
	title := s.t(r, "harvest.sources.title", "Name", name)
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title"), Href: "/loesungen"},
		{Label: name, Href: "/loesungen/" + v.Solution.Slug}, {Label: s.t(r, "harvest.sources.short")}}
	pg.Data = v
	s.renderStatus(w, r, status, "solution_sources", pg)
	return nil
}

func (s *Server) handleSolutionSources(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt", "url")
	done := s.doneParam(r, p, sourcesDone)
	if err := p.Err(); err != nil {
		return err
	}
	v, err := s.sourcesView(r)
	if err != nil {
		return err
	}
	v.Done = done
	return s.renderSources(w, r, http.StatusOK, v, url.Values{"url": {p.str("url")}}, nil)
}

// sourcesAction runs a form of the sources page and returns there with
// a confirmation.
func (s *Server) sourcesAction(w http.ResponseWriter, r *http.Request, done string, do func() error) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := do(); err != nil {
		return s.sourcesFailed(w, r, err)
	}
	http.Redirect(w, r, "/loesungen/"+r.PathValue("slug")+"/quellen?erledigt="+done, http.StatusSeeOther)
	return nil
}

// sourcesFailed shows the sources page again with the reason an action
// failed; a refusal or an unknown solution is an error page.
func (s *Server) sourcesFailed(w http.ResponseWriter, r *http.Request, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) {
		return err
	}
	v, verr := s.sourcesView(r)
	if verr != nil {
		return verr // the solution itself is not there (or not for this user)
	}
	v.Alert = alert
	return s.renderSources(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

func (s *Server) handleSolutionSourceAdd(w http.ResponseWriter, r *http.Request) error {
	return s.sourcesAction(w, r, "hinzugefuegt", func() error {
		_, err := s.Harvest.AddRepository(r.Context(), userOf(r).user, r.PathValue("slug"), r.PostForm.Get("url"), s.meta(r))
		return renameField(err, "repository", "url")
	})
}

func (s *Server) handleSolutionSourceRemove(w http.ResponseWriter, r *http.Request) error {
	return s.sourcesAction(w, r, "entfernt", func() error {
		_, err := s.Harvest.RemoveRepository(r.Context(), userOf(r).user, r.PathValue("slug"), r.PathValue("id"), s.meta(r))
		return err
	})
}

func (s *Server) handleSolutionSourceCheck(w http.ResponseWriter, r *http.Request) error {
	return s.sourcesAction(w, r, "geprueft", func() error {
		ctx, cancel := context.WithTimeout(r.Context(), importFetchTimeout)
		defer cancel()
		_, err := s.Harvest.CheckNow(ctx, userOf(r).user, r.PathValue("slug"), r.PathValue("id"))
		return err
	})
}

// handleSolutionProposal accepts the open proposal (the entry is saved
// as a draft, which the solution page then shows) or dismisses it.
func (s *Server) handleSolutionProposal(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if _, err := s.ownSolution(r, catalog.ActEdit); err != nil {
		return err // refused before the form is looked at
	}
	var accept bool
	switch r.PostForm.Get("decision") {
	case "accept":
		accept = true
	case "dismiss":
	default:
		var v apperr.Validation
		v.Add("decision", "harvest.error.decision")
		return s.sourcesFailed(w, r, v.Err())
	}
	lock := lockOf(r)
	slug := r.PathValue("slug")
	if _, err := s.Harvest.Decide(r.Context(), userOf(r).user, slug, r.PathValue("id"), accept, &lock, s.meta(r)); err != nil {
		return s.sourcesFailed(w, r, err)
	}
	target := "/loesungen/" + slug + "/quellen?erledigt=verworfen"
	if accept {
		target = "/loesungen/" + slug + "?erledigt=gespeichert"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// renameField gives a field error the name the form or body uses.
func renameField(err error, from, to string) error {
	var e *apperr.Error
	if errors.As(err, &e) {
		for i := range e.Fields {
			if e.Fields[i].Field == from {
				e.Fields[i].Field = to
			}
		}
	}
	return err
}
