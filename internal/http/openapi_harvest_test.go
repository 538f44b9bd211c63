package http

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/catalog/gittest"
)

// openAPIHarvestSlug is the document's example solution of the sources
// operations.
const openAPIHarvestSlug = "open-api-quellen"

// harvestAPIFixture is what the sources operations are called on.
type harvestAPIFixture struct {
	repo     string // id of a registered repository
	proposal string // id of the open proposal
	local    string // a local repository with a valid publiccode.yml
}

var harvestAPIFixtures perServer[*harvestAPIFixture]

// openAPIHarvestFixture makes (once per server) the example solution with
// a registered repository and an open proposal.
func openAPIHarvestFixture(t *testing.T, s *Server) *harvestAPIFixture {
	t.Helper()
	return harvestAPIFixtures.get(s, func() *harvestAPIFixture {
		openAPIOrgFixture(t, s)
		ctx := t.Context()
		o, err := s.DB.OrgBySlug(ctx, openAPIOrgSlug)
		if err != nil {
			t.Fatal(err)
		}
		sol, err := s.DB.SolutionBySlug(ctx, openAPIHarvestSlug)
		if apperr.Is(err, apperr.NotFound) {
			if _, err := s.DB.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: openAPIHarvestSlug, OrgID: o.ID,
				ImportedFrom: "openapi-test/" + uuid.NewString()}, catalog.Entry{Name: "Open API Quellen", Short: "Beispiel mit Repository",
				Licence: "EUPL-1.2", Repository: "https://example.org/quellen", Fields: []string{"administration.online-services"}, Maturity: "pilot",
				Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}}, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			sol, err = s.DB.SolutionBySlug(ctx, openAPIHarvestSlug)
		}
		if err != nil {
			t.Fatal(err)
		}
		// The document's example address is registered by the requests; a
		// run before on this database may have left it.
		repos, err := s.DB.Repositories(ctx, sol.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range repos {
			if strings.HasPrefix(r.URL, "https://gitlab.opencode.de/") {
				if err := s.DB.RemoveRepository(ctx, sol.ID, r.ID, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		now := time.Now().UTC()
		r := catalog.Repository{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, URL: "https://example.org/quellen/" + uuid.NewString(),
			Added: now, NextAttempt: now.Add(24 * time.Hour)}
		if err := s.DB.AddRepository(ctx, r, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}); err != nil {
			t.Fatal(err)
		}
		p := catalog.Proposal{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, RepositoryURL: r.URL, Commit: strings.Repeat("a", 40),
			Entry: catalog.Entry{Short: "Beispiel mit Repository, Stand " + uuid.NewString()[:8]},
			Notes: []catalog.Note{{Key: "harvest.note.platforms", Args: map[string]string{"List": "web"}}}, Created: now}
		if err := s.DB.RecordCheck(ctx, r.ID, catalog.Check{At: now, Commit: p.Commit, Next: now.Add(24 * time.Hour), Proposal: &p,
			Audit: account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorLabel: "harvest", Action: "catalog.proposal_created"}}); err != nil {
			t.Fatal(err)
		}
		local := gittest.New(t)
		local.Commit(map[string]string{"publiccode.yml": sampleText(t, validSample)})
		f := &harvestAPIFixture{repo: r.ID, proposal: p.ID, local: local.URL()}
		return f
	})
}

// openAPIHarvestCases are the requests to the import and sources
// operations beyond those openAPICases derives; ok is false for others.
func openAPIHarvestCases(t *testing.T, op openAPIOp, s *Server) (cases []apiCase, ok bool) {
	t.Helper()
	switch op.String() {
	case "POST /api/v1/solutions/import", "POST /api/v1/solutions/{slug}/repositories", "DELETE /api/v1/solutions/{slug}/repositories/{id}",
		"POST /api/v1/solutions/{slug}/proposal/decision":
	default:
		return nil, false
	}
	org := openAPIOrgFixture(t, s)
	f := openAPIHarvestFixture(t, s)
	admin, reader := []string{"Authorization: Bearer " + org.admin}, []string{"Authorization: Bearer " + org.adminReader}
	add := func(target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: strings.ToUpper(op.method), target: target, body: body, status: status, as: as, headers: headers})
	}
	examples := func(target string, status int, headers ...string) {
		n := 0
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(target, string(ex.Value), status, "", headers...)
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: the request body needs examples", op)
		}
	}
	body := func(v map[string]string) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	path := func(slug, id string) string {
		return strings.NewReplacer("{slug}", slug, "{id}", id).Replace(op.path)
	}
	here := path(openAPIHarvestSlug, f.repo)
	switch op.String() {
	case "POST /api/v1/solutions/import":
		examples(op.path, 201, admin...)
		examples(op.path+"?dry_run=true", 200, admin...)
		add(op.path, body(map[string]string{"organisation": openAPIOrgSlug, "repository": f.local}), 201, "", admin...)
		add(op.path+"?dry_run=false", body(map[string]string{"organisation": openAPIOrgSlug, "publiccode": "name: [offen"}), 400, "", admin...)
		add(op.path+"?dry_run=true", body(map[string]string{"organisation": openAPIOrgSlug, "publiccode": "name: [offen"}), 200, "", admin...)
		add(op.path, body(map[string]string{"organisation": openAPIOrgSlug, "repository": "http://example.org/x/y"}), 400, "", admin...)
		add(op.path+"?dry_run=1", body(map[string]string{"organisation": openAPIOrgSlug, "publiccode": "x"}), 400, "", admin...)
		add(op.path, body(map[string]string{"organisation": openAPIOrgSlug, "publiccode": "x"}), 401, "")
		add(op.path, body(map[string]string{"organisation": openAPIOrgSlug, "publiccode": "x"}), 403, "", reader...)
		add(op.path, body(map[string]string{"organisation": openAPIOrgSlug, "publiccode": "x"}), 403, "user")
	case "POST /api/v1/solutions/{slug}/repositories":
		examples(here, 201, admin...)
		examples(here, 409, admin...) // registered already
		add(here, `{"url":"http://example.org/x/y"}`, 400, "", admin...)
		add(here, `{"adresse":"https://example.org/x/y"}`, 400, "", admin...)
		add(here, `{"url":"https://example.org/x/y"}`, 401, "")
		add(here, `{"url":"https://example.org/x/y"}`, 403, "", reader...)
		add(here, `{"url":"https://example.org/x/y"}`, 403, "user")
		add(path("gibt-es-nicht", ""), `{"url":"https://example.org/x/y"}`, 404, "operator")
	case "DELETE /api/v1/solutions/{slug}/repositories/{id}":
		add(here, "", 401, "")
		add(here, "", 403, "", reader...)
		add(here, "", 403, "user")
		add(path("gibt-es-nicht", f.repo), "", 404, "operator")
		add(here+"?x=1", "", 400, "", admin...)
		add(here, "", 200, "", admin...)
		add(here, "", 404, "", admin...) // removed
	case "POST /api/v1/solutions/{slug}/proposal/decision":
		decide := func(id, decision string) string { return body(map[string]string{"proposal": id, "decision": decision}) }
		examples(here, 404, admin...) // the example's proposal does not exist
		add(here, decide(f.proposal, "später"), 400, "", admin...)
		add(here, decide(f.proposal, "accept"), 401, "")
		add(here, decide(f.proposal, "accept"), 403, "", reader...)
		add(here, decide(f.proposal, "accept"), 403, "user")
		add(path("gibt-es-nicht", ""), decide(f.proposal, "accept"), 404, "operator")
		add(here, decide(f.proposal, "accept"), 200, "", admin...)
		add(here, decide(f.proposal, "dismiss"), 409, "", admin...) // decided
	}
	return cases, true
}

// TestOpenAPIHarvestExamples checks that the document's example of an
// import is a file the catalogue accepts as a draft.
func TestOpenAPIHarvestExamples(t *testing.T) {
	o := loadOpenAPI(t)
	s := newTestServer(t, "sqlite")
	for _, op := range o.operations() {
		if op.String() != "POST /api/v1/solutions/import" {
			continue
		}
		for _, c := range op.RequestBody.Content {
			for name, ex := range c.Examples {
				var v struct{ PublicCode string }
				if err := json.Unmarshal(ex.Value, &v); err != nil {
					t.Fatal(err)
				}
				check, err := s.Solutions.CheckPublicCode(t.Context(), []byte(v.PublicCode))
				if err != nil || !check.Valid() || check.EntryErr != nil {
					t.Errorf("example %q: %v %v %v", name, err, check.Problems, check.EntryErr)
				}
			}
		}
		return
	}
	t.Fatal("the import is not documented")
}
