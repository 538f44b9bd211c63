package http

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/publiccode"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/web"
)

// importFetchTimeout bounds reading a repository during a request; the
// server's write timeout is a minute.
const importFetchTimeout = 40 * time.Second

// ImportView is the Data of the "solution_import" page: the form, and
// after a check its result with the form that creates the draft.
type ImportView struct {
	Memberships []org.Membership
	Alert       string
	Result      *ImportResult
}

// ImportResult is a checked publiccode.yml as the page shows it.
type ImportResult struct {
	Check      catalog.PublicCodeCheck
	Text       string // the file, carried to the second step in a hidden field
	Repository string // the repository it was read from, if any
	Commit     string
	Problems   []ProblemView
	Labels     map[string]string // field-of-action labels
	// EntryErrors are the catalogue's objections to the mapped entry.
	EntryErrors  []web.FieldError
	Notes        []string // what was not taken over, translated
	Descriptions []DescriptionView
	Countries    []string
	UsedBy       []UsedByView
}

// ProblemView is one finding of the standard, explained in the page's
// language.
type ProblemView struct {
	Line, Column int
	Path         string
	Error        bool
	Text         string
}

// DescriptionView is the description of one language of the file.
type DescriptionView struct {
	Lang  string
	Name  string
	Short string
	Used  bool // the entry's texts come from it
}

// importResult prepares a check for the page.
func (s *Server) importResult(r *http.Request, check catalog.PublicCodeCheck, text, repo, commit string) (*ImportResult, error) {
	lang := langOf(r)
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Check: check, Text: text, Repository: repo, Commit: commit, Labels: fieldLabels(tree, lang)}
	for _, p := range check.Problems {
		res.Problems = append(res.Problems, ProblemView{Line: p.Line, Column: p.Column, Path: p.Path, Error: p.Severity == publiccode.Error, Text: p.Text(lang)})
	}
	var ae *apperr.Error
	if errors.As(check.EntryErr, &ae) {
		for _, f := range ae.Fields {
			head, _, _ := strings.Cut(f.Field, ".")
			label := s.t(r, "solution.diff."+head)
			res.EntryErrors = append(res.EntryErrors, web.FieldError{Field: label, Message: s.t(r, f.Key, append([]any{"Name", f.Field}, f.Args...)...)})
		}
	}
	for _, n := range check.Notes {
		res.Notes = append(res.Notes, s.t(r, n.Key, n.KV()...))
	}
	if check.File != nil {
		sw := check.File.Software
		for l, d := range sw.Description {
			res.Descriptions = append(res.Descriptions, DescriptionView{Lang: l, Name: cmp.Or(d.LocalisedName, sw.Name), Short: d.ShortDescription, Used: l == check.Language})
		}
		slices.SortFunc(res.Descriptions, func(a, b DescriptionView) int { return strings.Compare(a.Lang, b.Lang) })
		for k := range sw.Countries {
			res.Countries = append(res.Countries, k)
		}
		slices.Sort(res.Countries)
		for _, name := range sw.UsedBy {
			u, err := s.usedBySuggestion(r, name)
			if err != nil {
				return nil, err
			}
			res.UsedBy = append(res.UsedBy, u)
		}
	}
	return res, nil
}

// UsedByView is a user that a publiccode.yml names, with the municipality
// of the register it names when there is exactly one: a suggestion whom
// to ask to declare their use, never a declaration.
type UsedByView struct {
	Name         string
	Municipality *region.Municipality
	OrgSlug      string // the municipality's organisation on the platform, "" for none
}

func (s *Server) usedBySuggestion(r *http.Request, name string) (UsedByView, error) {
	v := UsedByView{Name: name}
	m, ok, err := s.Regions.MatchMunicipality(r.Context(), name)
	if err != nil || !ok {
		return v, err
	}
	v.Municipality = &m
	o, err := s.Orgs.ForRegion(r.Context(), m.AGS)
	switch {
	case err == nil:
		v.OrgSlug = o.Slug
	case apperr.CodeOf(err) != apperr.NotFound:
		return v, err
	}
	return v, nil
}

// renderImport shows the import page.
func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, v ImportView, form url.Values, fields map[string]string) error {
	ms, _, err := s.Orgs.Mine(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	v.Memberships = ms
	title := s.t(r, "harvest.import.title")
	return s.renderFormPage(w, r, status, "solution_import", title, []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "solutions.title"), Href: "/loesungen"}, {Label: title}}, form, fields, v)
}

// importRetry shows the page again with the messages of err.
func (s *Server) importRetry(w http.ResponseWriter, r *http.Request, v ImportView, form url.Values, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil {
		return rest
	}
	v.Alert = alert
	return s.renderImport(w, r, statusOf[apperr.CodeOf(err)], v, form, fields)
}

func (s *Server) handleSolutionImportForm(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "organisation")
	if err := p.Err(); err != nil {
		return err
	}
	return s.renderImport(w, r, http.StatusOK, ImportView{}, url.Values{"organisation": {p.str("organisation")}}, nil)
}

// requireMember checks that the signed-in user is a member of the
// organisation slug, with a message for the field "organisation"
// otherwise.
func (s *Server) requireMember(r *http.Request, slug string) error {
	ms, _, err := s.Orgs.Mine(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	if slug == "" || !slices.ContainsFunc(ms, func(m org.Membership) bool { return m.OrgSlug == slug }) {
		var v apperr.Validation
		v.Add("organisation", "catalog.error.organisation")
		return v.Err()
	}
	return nil
}

// readImportForm parses the first step's form: multipart with an
// uploaded file, or a plain form when only text or an address is given.
func (s *Server) readImportForm(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/form-data") {
		if err := r.ParseMultipartForm(2 * catalog.MaxPublicCodeSize); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return apperr.Wrap(err, apperr.Invalid, "error.body.too_large", "Max", tooBig.Limit)
			}
			return apperr.Wrap(err, apperr.Invalid, "error.form")
		}
		return s.checkCSRF(r)
	}
	return s.readForm(r)
}

// uploaded reads the uploaded publiccode.yml: a .yml or .yaml file of at
// most MaxPublicCodeSize bytes that is text.
func uploaded(fh *multipart.FileHeader) ([]byte, error) {
	var v apperr.Validation
	ext := strings.ToLower(path.Ext(fh.Filename))
	if ext != ".yml" && ext != ".yaml" {
		v.Add("file", "harvest.error.upload_type")
		return nil, v.Err()
	}
	if fh.Size > catalog.MaxPublicCodeSize {
		v.Add("file", "harvest.error.file_too_large")
		return nil, v.Err()
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("http: open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, catalog.MaxPublicCodeSize+1))
	if err != nil {
		return nil, fmt.Errorf("http: read upload: %w", err)
	}
	if len(data) > catalog.MaxPublicCodeSize {
		v.Add("file", "harvest.error.file_too_large")
		return nil, v.Err()
	}
	// YAML is text: refuse what the content shows to be anything else
	// (images, archives, office files), whatever its name.
	if len(data) > 0 && !strings.HasPrefix(http.DetectContentType(data), "text/plain") {
		v.Add("file", "harvest.error.upload_type")
		return nil, v.Err()
	}
	return data, nil
}

// publicCodeSource reads the file from the one source the user gave:
// an upload, pasted text or a repository address. It returns the text,
// and for a repository its address and commit.
func (s *Server) publicCodeSource(ctx context.Context, form url.Values, file *multipart.FileHeader) (data []byte, repo, commit string, err error) {
	text, repoURL := form.Get("publiccode"), strings.TrimSpace(form.Get("repository"))
	given := 0
	for _, ok := range []bool{file != nil, strings.TrimSpace(text) != "", repoURL != ""} {
		if ok {
			given++
		}
	}
	var v apperr.Validation
	switch {
	case given == 0:
		v.Add("publiccode", "harvest.error.source_required")
		return nil, "", "", v.Err()
	case given > 1:
		v.Add("publiccode", "harvest.error.source_many")
		return nil, "", "", v.Err()
	case file != nil:
		data, err = uploaded(file)
		return data, "", "", err
	case repoURL != "":
		ctx, cancel := context.WithTimeout(ctx, importFetchTimeout)
		defer cancel()
		f, err := s.Harvest.Fetcher().Fetch(ctx, repoURL)
		return f.Data, f.URL, f.Commit, err
	}
	if len(text) > catalog.MaxPublicCodeSize {
		v.Add("publiccode", "harvest.error.file_too_large")
		return nil, "", "", v.Err()
	}
	return []byte(text), "", "", nil
}

// handleSolutionImportCheck is the first step: read the file, check it
// and show what it would become.
func (s *Server) handleSolutionImportCheck(w http.ResponseWriter, r *http.Request) error {
	if err := s.readImportForm(r); err != nil {
		return err
	}
	form := keptInput(r)
	orgSlug := r.PostForm.Get("organisation")
	if err := s.requireMember(r, orgSlug); err != nil {
		return s.importRetry(w, r, ImportView{}, form, err)
	}
	var file *multipart.FileHeader
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		file = r.MultipartForm.File["file"][0]
	}
	data, repo, commit, err := s.publicCodeSource(r.Context(), r.PostForm, file)
	if err != nil {
		return s.importRetry(w, r, ImportView{}, form, err)
	}
	check, err := s.Solutions.CheckPublicCode(r.Context(), data)
	if err != nil {
		return s.importRetry(w, r, ImportView{}, form, err)
	}
	res, err := s.importResult(r, check, string(data), repo, commit)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if check.File == nil {
		status = http.StatusBadRequest // nothing to import: the form again, with the problems
	}
	return s.renderImport(w, r, status, ImportView{Result: res}, form, nil)
}

// handleSolutionImportCreate is the second step: the checked file (sent
// again from the page) becomes a draft of the chosen organisation. When
// the mapped entry lacks what a draft needs, or the user asks for it, the
// normal entry form opens filled with the mapped entry, so that the user
// completes it and creates the draft from there.
func (s *Server) handleSolutionImportCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	f := r.PostForm
	orgSlug, text, repo := f.Get("organisation"), f.Get("publiccode"), f.Get("repository")
	check, err := s.Solutions.CheckPublicCode(r.Context(), []byte(text))
	if err != nil || check.File == nil {
		if err == nil {
			var v apperr.Validation
			v.Add("publiccode", "harvest.error.not_yaml")
			err = v.Err()
		}
		return s.importRetry(w, r, ImportView{}, url.Values{"organisation": {orgSlug}, "publiccode": {text}}, err)
	}
	retryCheck := func(err error) error {
		res, rerr := s.importResult(r, check, text, repo, f.Get("commit"))
		if rerr != nil {
			return rerr
		}
		return s.importRetry(w, r, ImportView{Result: res}, keptInput(r), err)
	}
	if err := s.requireMember(r, orgSlug); err != nil {
		return retryCheck(err)
	}
	toForm := f.Get("mode") == "form" || !check.Valid() || check.EntryErr != nil
	if !toForm {
		sol, err := s.Solutions.Create(r.Context(), userOf(r).user, orgSlug, check.Entry, s.meta(r))
		switch {
		case err == nil:
			target := "/loesungen/" + sol.Slug + "?erledigt=angelegt"
			if repo != "" {
				// Offer to keep the entry in step with the repository.
				target = "/loesungen/" + sol.Slug + "/quellen?" + url.Values{"erledigt": {"importiert"}, "url": {repo}}.Encode()
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return nil
		case apperr.Is(err, apperr.Invalid):
			check.EntryErr = err // the taxonomy changed since the check
		default:
			return retryCheck(err)
		}
	}
	// The entry form, filled; it creates the draft through POST /loesungen.
	ms, _, err := s.Orgs.Mine(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	form := entryForm(check.Entry)
	form.Set("organisation", orgSlug)
	index := map[string]string{}
	for i, d := range check.Entry.Delivery {
		index[fmt.Sprintf("delivery.%d.", i)] = "delivery." + d.Model + "."
	}
	fields, _, _ := s.formError(r, formFieldErrors(check.EntryErr, index))
	status := http.StatusOK
	if fields != nil {
		status = http.StatusBadRequest
	}
	return s.renderEntryForm(w, r, status, EntryFormView{Action: "/loesungen", Memberships: ms, Alert: s.t(r, "harvest.import.form_alert")}, form, fields)
}
