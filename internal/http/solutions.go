package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/web"
)

// SolutionListView is the Data of the "solutions" page.
type SolutionListView struct {
	Query  string
	Field  string
	Fields []catalog.Field
	Page   catalog.Page
	Next   string
	Now    time.Time
	Labels map[string]string      // field key → label in the page's language
	Uses   map[string]int         // solution id → verified municipalities that use it
	Why    map[string]*search.Why // solution id → why the search found it (with a query)
	// The facet panel and sort orders (facets.go).
	FacetGroups []FacetGroup
	Sorts       []SortOption
	// SaveQuery is the search as the form "save this search" posts it
	// (saved_searches.go).
	SaveQuery string
}

// SolutionView is the Data of the "solution" page.
type SolutionView struct {
	Solution catalog.Solution
	Version  *catalog.Version // the version shown
	Owner    bool             // the user belongs to the providing organisation
	Demo     bool             // imported demo data
	Now      time.Time
	Labels   map[string]string
	// What the user may do, and the outcome of the last action.
	CanEdit, CanArchive, CanReview bool
	Done, Alert                    string
	// Usage is who uses a published solution (solution_usage.go).
	Usage *catalog.Overview
	// Similar are similar published solutions (similar.go).
	Similar []SimilarItem
	// Knowledge are the published articles that link to the solution
	// (knowledge_pages.go).
	Knowledge []knowledge.Article
	// Practice are the published practice examples that used the
	// solution (practice_pages.go).
	Practice []practice.Example
}

// fieldLabels maps every field of action's key to its label in lang.
func fieldLabels(tree []catalog.Field, lang string) map[string]string {
	m := map[string]string{}
	for _, top := range tree {
		m[top.Key] = top.Label(lang)
		for _, c := range top.Children {
			m[c.Key] = top.Label(lang) + " › " + c.Label(lang)
		}
	}
	return m
}

func (s *Server) handleSolutionList(w http.ResponseWriter, r *http.Request) error {
	p, filters, sort := readListParams(r) // facets.go
	v := SolutionListView{Query: p.str("q"), Now: time.Now()}
	after := p.id("nach")
	if err := p.Err(); err != nil {
		return err
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	page, why, facets, err := s.searchList(r, v.Query, filters, sort, after, 20) // facets.go
	if err != nil {
		return err
	}
	if v.FacetGroups, err = s.facetGroups(r, tree, facets, filters); err != nil {
		return err
	}
	v.Sorts = s.sortOptions(r, v.Query, sort)
	v.Fields, v.Page, v.Labels, v.Why = tree, page, fieldLabels(tree, langOf(r)), why
	if s.Usage != nil {
		names, err := s.Usage.UsedBy(r.Context(), page.Items...)
		if err != nil {
			return err
		}
		v.Uses = map[string]int{}
		for id, n := range names {
			v.Uses[id] = len(n)
		}
	}
	if page.Next != "" {
		q := listQuery(v.Query, filters, sort)
		q.Set("nach", page.Next)
		v.Next = "/loesungen?" + q.Encode()
	}
	pg := s.page(r, s.t(r, "solutions.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title")}}
	if pg.Account != nil {
		v.SaveQuery, pg.CSRFToken = alert.Canonical(search.Query{Text: v.Query, Filters: filters, Sort: sort}), s.csrfToken(w, r)
	}
	pg.Data = v
	return s.renderSwappable(w, r, "solutions", pg) // fragment.go
}

// solutionDone maps the ?erledigt= values of the solution page.
var solutionDone = map[string]string{
	"angelegt":    "solution.done.created",
	"gespeichert": "solution.done.saved",
	"eingereicht": "solution.done.submitted",
	"geprueft":    "solution.done.reviewed",
	"archiviert":  "solution.done.archived",
	// After the pages about its use (solution_usage.go).
	"nutzung":        "usage.done.declared",
	"zurueckgezogen": "usage.done.withdrawn",
	"bericht":        "usage.done.report",
	"antwort":        "usage.done.answer",
	"gemeldet":       "usage.done.flagged",
	"angefragt":      "usage.done.contact",
}

func (s *Server) handleSolutionView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := s.doneParam(r, p, solutionDone)
	if err := p.Err(); err != nil {
		return err
	}
	return s.renderSolution(w, r, http.StatusOK, done, "", nil)
}

// renderSolution shows a solution with the actions the user may take;
// after a failed action, with its messages.
func (s *Server) renderSolution(w http.ResponseWriter, r *http.Request, status int, done, alert string, fields map[string]string) error {
	u := optionalUser(r)
	sol, m, err := s.Solutions.Get(r.Context(), u, r.PathValue("slug"))
	if err != nil {
		return err
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	v := SolutionView{Solution: sol, Version: sol.Published, Owner: m != nil, Demo: sol.ImportedFrom != "", Now: time.Now(),
		Labels: fieldLabels(tree, langOf(r)), Done: done, Alert: alert,
		CanEdit: catalog.Can(u, catalog.ActEdit, sol, m), CanArchive: catalog.Can(u, catalog.ActArchive, sol, m),
		CanReview: catalog.Can(u, catalog.ActReview, sol, m) && sol.Working != nil && sol.Working.State == catalog.Submitted}
	if v.Owner || v.CanReview || v.Version == nil {
		v.Version = sol.Current()
	}
	if err := s.addUsage(r, &v, u, m); err != nil {
		return err
	}
	if err := s.addSimilar(r, &v); err != nil {
		return err
	}
	if err := s.addKnowledge(r, &v); err != nil {
		return err
	}
	if v.Practice, err = s.practiceForSolution(r.Context(), sol.Slug); err != nil {
		return err
	}
	pg := s.page(r, v.Version.Entry.Name)
	if u != nil {
		pg.CSRFToken = s.csrfToken(w, r)
	}
	pg.FieldErrors = fields
	pg.Form = keptInput(r)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title"), Href: "/loesungen"},
		{Label: v.Version.Entry.Name}}
	pg.Data = v
	s.renderStatus(w, r, status, "solution", pg)
	return nil
}
