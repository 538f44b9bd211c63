package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/publiccode"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// harvestSolution stores a published solution to register repositories for.
func harvestSolution(t *testing.T, db *store.DB) catalog.Solution {
	t.Helper()
	ctx := t.Context()
	admin := mustUser(t, db, "admin-"+uuid.NewString()[:8]+"@anbieter.example", "")
	o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "anbieter-" + uuid.NewString()[:8],
		Kind: org.Company, Name: "Anbieter"}, admin.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	sol := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "loesung-" + uuid.NewString()[:8], OrgID: o.ID, ImportedFrom: "test/" + uuid.NewString()}
	if _, err := db.ImportSolution(ctx, sol, catalog.Entry{Name: "Lösung", Short: "Kurz", Licence: "MIT", Maturity: "pilot",
		Repository: "https://example.org/x", Fields: []string{"mobility.parking"}, Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}},
		account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	got, err := db.SolutionBySlug(ctx, sol.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRepositories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		sol := harvestSolution(t, db)
		t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		add := func(url string, next time.Time) catalog.Repository {
			t.Helper()
			r := catalog.Repository{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, URL: url, AddedBy: "u1", Added: t0, NextAttempt: next}
			if err := db.AddRepository(ctx, r, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "catalog.repository_added"}); err != nil {
				t.Fatal(err)
			}
			return r
		}
		a := add("https://example.org/a", t0)
		b := add("https://example.org/b", t0.Add(time.Hour))
		t.Run("ErrDuplicate", func(t *testing.T) {
			err := db.AddRepository(ctx, catalog.Repository{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, URL: a.URL, Added: t0, NextAttempt: t0},
				account.AuditEntry{})
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("duplicate: %v", err)
			}
		})
		t.Run("List", func(t *testing.T) {
			list, err := db.Repositories(ctx, sol.ID)
			if err != nil || len(list) != 2 || list[0].URL != a.URL || list[0].SolutionSlug != sol.Slug || list[0].LastChecked != nil || list[0].LastError != nil {
				t.Fatalf("Repositories = %+v, %v", list, err)
			}
		})
		t.Run("Due", func(t *testing.T) {
			due, err := db.DueRepositories(ctx, t0.Add(time.Minute), 10)
			if err != nil || len(due) != 1 || due[0].ID != a.ID {
				t.Fatalf("due at t0+1m: %+v, %v", due, err)
			}
			if due, _ = db.DueRepositories(ctx, t0.Add(2*time.Hour), 1); len(due) != 1 || due[0].ID != a.ID {
				t.Fatalf("limit 1: %+v", due)
			}
		})
		t.Run("Claim", func(t *testing.T) {
			now := t0.Add(time.Minute)
			ok, err := db.ClaimRepository(ctx, a.ID, now, now.Add(15*time.Minute))
			if err != nil || !ok {
				t.Fatalf("first claim: %v %v", ok, err)
			}
			if ok, err = db.ClaimRepository(ctx, a.ID, now, now.Add(15*time.Minute)); err != nil || ok {
				t.Fatalf("second claim: %v %v", ok, err)
			}
		})
		t.Run("RecordFailure", func(t *testing.T) {
			f := &catalog.RepoFailure{Key: "harvest.error.invalid_file", Problems: []publiccode.Problem{{Line: 3, Column: 5, Path: "name", Code: publiccode.CodeRequired}},
				Fields: []apperr.FieldError{{Field: "licence", Message: apperr.Message{Key: "catalog.error.licence", Args: []any{"Unknown", "GPL"}}}}}
			next := t0.Add(2 * time.Hour)
			if err := db.RecordCheck(ctx, a.ID, catalog.Check{At: t0, Commit: "abc", Failure: f, Failures: 2, Next: next}); err != nil {
				t.Fatal(err)
			}
			r, err := db.Repository(ctx, sol.ID, a.ID)
			if err != nil || r.LastCommit != "abc" || r.Failures != 2 || !r.NextAttempt.Equal(next) || r.LastChecked == nil || !r.LastChecked.Equal(t0) ||
				r.LastError == nil || r.LastError.Problems[0].Line != 3 || r.LastError.Fields[0].Key != "catalog.error.licence" {
				t.Fatalf("after failure: %+v %v", r, err)
			}
			// A failed fetch keeps the last commit; a success clears the error.
			if err := db.RecordCheck(ctx, a.ID, catalog.Check{At: t0, Failure: &catalog.RepoFailure{Key: "harvest.error.unreachable"}, Failures: 3, Next: next}); err != nil {
				t.Fatal(err)
			}
			if r, _ = db.Repository(ctx, sol.ID, a.ID); r.LastCommit != "abc" || r.LastError.Key != "harvest.error.unreachable" {
				t.Fatalf("after unreachable: %+v", r)
			}
			if err := db.RecordCheck(ctx, a.ID, catalog.Check{At: t0, Commit: "def", Next: next}); err != nil {
				t.Fatal(err)
			}
			if r, _ = db.Repository(ctx, sol.ID, a.ID); r.LastCommit != "def" || r.LastError != nil || r.Failures != 0 {
				t.Fatalf("after success: %+v", r)
			}
		})
		t.Run("Remove", func(t *testing.T) {
			if err := db.RemoveRepository(ctx, sol.ID, b.ID, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "x"}); err != nil {
				t.Fatal(err)
			}
			if err := db.RemoveRepository(ctx, sol.ID, b.ID, account.AuditEntry{}); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("second removal: %v", err)
			}
			if _, err := db.Repository(ctx, sol.ID, b.ID); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("removed repository: %v", err)
			}
			if err := db.RecordCheck(ctx, b.ID, catalog.Check{At: t0, Next: t0}); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("check of a removed repository: %v", err)
			}
		})
	})
}

func TestProposals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		sol := harvestSolution(t, db)
		t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		repo := catalog.Repository{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, URL: "https://example.org/r", Added: t0, NextAttempt: t0}
		if err := db.AddRepository(ctx, repo, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "x"}); err != nil {
			t.Fatal(err)
		}
		propose := func(short string, at time.Time) catalog.Proposal {
			t.Helper()
			p := catalog.Proposal{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, RepositoryURL: repo.URL, Commit: "c-" + short,
				Entry: catalog.Entry{Short: short}, Notes: []catalog.Note{{Key: "harvest.note.platforms", Args: map[string]string{"List": "web"}}}, Created: at}
			if err := db.RecordCheck(ctx, repo.ID, catalog.Check{At: at, Commit: p.Commit, Next: at.Add(24 * time.Hour), Proposal: &p,
				Audit: account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorLabel: "harvest", Action: "catalog.proposal_created"}}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		if _, err := db.OpenProposal(ctx, sol.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("no proposal yet: %v", err)
		}
		first := propose("Erste", t0)
		second := propose("Zweite", t0.Add(time.Hour)) // supersedes the first
		open, err := db.OpenProposal(ctx, sol.ID)
		if err != nil || open.ID != second.ID || open.Entry.Short != "Zweite" || open.RepositoryID != repo.ID || open.Notes[0].Args["List"] != "web" ||
			!open.Created.Equal(t0.Add(time.Hour)) {
			t.Fatalf("open proposal: %+v %v", open, err)
		}
		if p, _ := db.Proposal(ctx, sol.ID, first.ID); p.State != catalog.ProposalSuperseded || p.Decided == nil {
			t.Fatalf("first proposal: %+v", p)
		}
		if p, err := db.LatestProposal(ctx, sol.ID); err != nil || p.ID != second.ID {
			t.Fatalf("latest: %+v %v", p, err)
		}
		t.Run("ErrDecided", func(t *testing.T) {
			if err := db.DismissProposal(ctx, first.ID, sol.ID, "u1", account.AuditEntry{}); !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("dismiss a superseded proposal: %v", err)
			}
		})
		t.Run("Accept", func(t *testing.T) {
			e := sol.Published.Entry
			e.Short = "Zweite"
			if err := db.AcceptProposal(ctx, second.ID, sol.ID, sol.Lock+7, e, "u1", account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "x"}); !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("stale lock: %v", err)
			}
			if p, _ := db.OpenProposal(ctx, sol.ID); p.ID != second.ID {
				t.Fatal("a failed acceptance closed the proposal")
			}
			if err := db.AcceptProposal(ctx, second.ID, sol.ID, sol.Lock, e, "u1", account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "x"}); err != nil {
				t.Fatal(err)
			}
			got, _ := db.SolutionBySlug(ctx, sol.Slug)
			if got.Working == nil || got.Working.Entry.Short != "Zweite" || got.Working.State != catalog.Draft || got.Published.Entry.Short != "Kurz" {
				t.Fatalf("after acceptance: %+v", got)
			}
			if p, _ := db.Proposal(ctx, sol.ID, second.ID); p.State != catalog.ProposalAccepted || p.DecidedBy != "u1" {
				t.Fatalf("accepted proposal: %+v", p)
			}
		})
		t.Run("Dismiss", func(t *testing.T) {
			third := propose("Dritte", t0.Add(2*time.Hour))
			if err := db.DismissProposal(ctx, third.ID, sol.ID, "u2", account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "x"}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.OpenProposal(ctx, sol.ID); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("open after dismissal: %v", err)
			}
		})
		t.Run("RepositoryRemoved", func(t *testing.T) {
			if err := db.RemoveRepository(ctx, sol.ID, repo.ID, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "x"}); err != nil {
				t.Fatal(err)
			}
			if p, err := db.Proposal(ctx, sol.ID, second.ID); err != nil || p.RepositoryID != "" || p.RepositoryURL != repo.URL {
				t.Fatalf("proposal of a removed repository: %+v %v", p, err)
			}
		})
	})
}
