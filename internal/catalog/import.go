package catalog

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/publiccode"
)

// DemoOrg holds the demo entries imported from the shipped sample of real
// publiccode.yml files; its name and description mark them as such.
var DemoOrg = org.Organisation{Slug: "beispieldaten-publiccode", Kind: org.Association,
	Name:        "Beispieldaten: importierte publiccode.yml-Dateien",
	Website:     "https://github.com/publiccodeyml/publiccode.yml",
	Description: "Diese Einträge sind Beispieldaten: automatisch importierte publiccode.yml-Dateien öffentlicher Repositorys (siehe data/publiccode/INDEX.tsv). Sie gehören den jeweiligen Projekten und wurden nicht von der Kuration geprüft. / These entries are demo data imported from the publiccode.yml files of public repositories; they belong to their projects and were not reviewed."}

// ImportDemo imports the shipped sample into DemoOrg once: on a database
// where DemoOrg does not exist yet. It returns how many entries it stored.
func (s *Solutions) ImportDemo(ctx context.Context, fsys fs.FS, dir string) (int, error) {
	if _, err := s.orgs.OrgBySlug(ctx, DemoOrg.Slug); err == nil || !apperr.Is(err, apperr.NotFound) {
		return 0, err
	}
	if err := s.EnsureDemoOrg(ctx); err != nil {
		return 0, err
	}
	results, err := s.ImportPublicCode(ctx, fsys, dir, "data/publiccode/files", DemoOrg.Slug)
	n := 0
	for _, r := range results {
		if r.Stored {
			n++
		}
	}
	return n, err
}

// EnsureDemoOrg creates DemoOrg unless it exists.
func (s *Solutions) EnsureDemoOrg(ctx context.Context) error {
	o := DemoOrg
	o.ID = uuid.Must(uuid.NewV7()).String()
	_, err := s.orgs.EnsureOrg(ctx, o)
	return err
}

// ImportResult is what became of one publiccode.yml file.
type ImportResult struct {
	File     string
	Slug     string               // the entry's slug when stored
	Stored   bool                 // false: skipped (imported before) or refused
	Problems []publiccode.Problem // why the standard refuses it
	Err      error                // why the catalogue refuses it
	Notes    []string             // what could not be mapped or was assumed
}

// ImportPublicCode reads every *.yml and *.yaml file of dir in fsys and
// stores the valid ones as published entries of the organisation orgSlug,
// marked as imported from source+"/"+file. Files imported before are
// skipped, so an import can be repeated. It is for operators (the command
// line): entries skip the curators' review.
func (s *Solutions) ImportPublicCode(ctx context.Context, fsys fs.FS, dir, source, orgSlug string) ([]ImportResult, error) {
	o, err := s.orgs.OrgBySlug(ctx, orgSlug)
	if err != nil {
		return nil, fmt.Errorf("catalog: import into %s: %w", orgSlug, err)
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("catalog: import %s: %w", dir, err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	known, err := s.knownFields(ctx) // once for the whole directory
	if err != nil {
		return nil, err
	}
	var out []ImportResult
	for _, de := range entries {
		name := de.Name()
		if de.IsDir() || !(strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")) {
			continue
		}
		r := ImportResult{File: name}
		data, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return out, fmt.Errorf("catalog: import %s: %w", name, err)
		}
		f, problems := publiccode.Parse(data)
		if f == nil || publiccode.HasErrors(problems) {
			r.Problems = problems
			out = append(out, r)
			continue
		}
		e, notes := FromPublicCode(&f.Software)
		r.Notes = notes
		if r.Err = e.Check(known, s.Now().UTC()); r.Err != nil {
			out = append(out, r)
			continue
		}
		sol := Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: org.Slug(e.Name), OrgID: o.ID, ImportedFrom: source + "/" + name}
		audit := account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorLabel: "import publiccode", Action: "catalog.solution_imported",
			ObjectType: "solution", ObjectID: sol.ID, Details: map[string]any{"file": sol.ImportedFrom}}
		if r.Stored, err = s.store.ImportSolution(ctx, sol, e, audit); err != nil {
			return out, fmt.Errorf("catalog: import %s: %w", name, err)
		}
		r.Slug = sol.Slug
		out = append(out, r)
	}
	return out, nil
}

// List returns a page of published solutions.
func (s *Solutions) List(ctx context.Context, q ListQuery) (Page, error) {
	var v apperr.Validation
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 1 || q.Limit > 200 {
		v.Add("limit", "error.param.limit")
	}
	if q.Field != "" {
		known, err := s.knownFields(ctx)
		if err != nil {
			return Page{}, err
		}
		if !known[q.Field] {
			v.Add("field", "catalog.error.field_unknown", "Key", q.Field)
		}
	}
	if err := v.Err(); err != nil {
		return Page{}, err
	}
	return s.store.PublishedSolutions(ctx, q)
}
