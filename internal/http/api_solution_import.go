package http

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/publiccode"
)

// maxImportBody bounds the import's JSON body: a publiccode.yml of at
// most 256 KiB, which JSON escaping may make larger.
const maxImportBody = 4 * catalog.MaxPublicCodeSize

// apiProblem is a finding of the standard about a publiccode.yml.
type apiProblem struct {
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Path     string `json:"path"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

func apiProblemOf(p publiccode.Problem, lang string) apiProblem {
	return apiProblem{Line: p.Line, Column: p.Column, Path: p.Path, Severity: p.Severity.String(), Code: string(p.Code), Message: p.Text(lang)}
}

type apiCategory struct {
	Category string  `json:"category"`
	Field    *string `json:"field"`
}

// apiImportReport is what the catalogue makes of a publiccode.yml.
type apiImportReport struct {
	Valid       bool           `json:"valid"`
	Version     *string        `json:"version"`
	Repository  *string        `json:"repository"`
	Commit      *string        `json:"commit"`
	Problems    []apiProblem   `json:"problems"`
	Entry       *apiEntry      `json:"entry"`
	EntryErrors []problemField `json:"entry_errors"`
	Categories  []apiCategory  `json:"categories"`
	Unmapped    []string       `json:"unmapped"`
	Solution    *string        `json:"solution"` // the draft's slug once created
}

func (s *Server) apiImportReportOf(r *http.Request, c catalog.PublicCodeCheck, repo, commit string) apiImportReport {
	lang := langOf(r)
	a := apiImportReport{Valid: c.Valid(), Problems: []apiProblem{}, EntryErrors: []problemField{}, Categories: []apiCategory{}, Unmapped: []string{}}
	if repo != "" {
		a.Repository, a.Commit = &repo, &commit
	}
	for _, p := range c.Problems {
		a.Problems = append(a.Problems, apiProblemOf(p, lang))
	}
	if c.File == nil {
		return a
	}
	if v := c.File.Version; v != "" {
		a.Version = &v
	}
	e := apiEntryOf(c.Entry)
	a.Entry = &e
	var ae *apperr.Error
	if errors.As(renameEntryFields(c.EntryErr), &ae) {
		for _, f := range ae.Fields {
			a.EntryErrors = append(a.EntryErrors, problemField{Field: f.Field, Message: s.t(r, f.Key, append([]any{"Name", f.Field}, f.Args...)...)})
		}
	}
	for _, cf := range c.Categories {
		ac := apiCategory{Category: cf.Category}
		if cf.Field != "" {
			ac.Field = &cf.Field
		}
		a.Categories = append(a.Categories, ac)
	}
	for _, n := range c.Notes {
		a.Unmapped = append(a.Unmapped, s.t(r, n.Key, n.KV()...))
	}
	return a
}

// handleAPISolutionImport checks a publiccode.yml, given as text or as the
// address of a git repository, and creates a draft of the organisation
// from it; with ?dry_run=true it only reports what it would create.
func (s *Server) handleAPISolutionImport(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "dry_run")
	dry := p.str("dry_run")
	if dry != "" && dry != "true" && dry != "false" {
		p.Add("dry_run", "harvest.error.dry_run")
	}
	if err := p.Err(); err != nil {
		return err
	}
	var body struct {
		Organisation string `json:"organisation"`
		PublicCode   string `json:"publiccode"`
		Repository   string `json:"repository"`
	}
	if err := decodeJSON(w, r, maxImportBody, &body); err != nil {
		return err
	}
	u := userOf(r).user
	var v apperr.Validation
	if body.Organisation == "" {
		v.Add("organisation", "form.error.required")
	} else if _, _, err := s.Orgs.Get(r.Context(), &u, body.Organisation); apperr.Is(err, apperr.NotFound) {
		v.Add("organisation", "catalog.error.organisation")
	} else if err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.requireMember(r, body.Organisation); apperr.Is(err, apperr.Invalid) {
		return apperr.New(apperr.Forbidden, "catalog.error.not_member")
	} else if err != nil {
		return err
	}
	form := url.Values{"publiccode": {body.PublicCode}, "repository": {body.Repository}}
	data, repo, commit, err := s.publicCodeSource(r.Context(), form, nil)
	if err != nil {
		return err
	}
	check, err := s.Solutions.CheckPublicCode(r.Context(), data)
	if err != nil {
		return err
	}
	report := s.apiImportReportOf(r, check, repo, commit)
	if dry == "true" {
		writeJSON(w, http.StatusOK, "application/json", report)
		return nil
	}
	if !check.Valid() {
		lang := langOf(r)
		for _, p := range check.Problems {
			if p.Severity == publiccode.Error {
				v.Add(strings.TrimSuffix("publiccode."+p.Path, "."), "harvest.problem", "Line", p.Line, "Column", p.Column, "Text", p.Text(lang))
			}
		}
		return v.Err()
	}
	if check.EntryErr != nil {
		var ae *apperr.Error
		if errors.As(renameEntryFields(check.EntryErr), &ae) {
			for _, f := range ae.Fields {
				v.Add("entry."+f.Field, f.Key, f.Args...)
			}
		}
		return v.Err()
	}
	sol, err := s.Solutions.Create(r.Context(), u, body.Organisation, check.Entry, s.meta(r))
	if err != nil {
		return err
	}
	report.Solution = &sol.Slug
	writeJSON(w, http.StatusCreated, "application/json", report)
	return nil
}
