package catalog_test

import (
	"context"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/catalog/gittest"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/jobs"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// sampleFile is a real, valid publiccode.yml of the shipped sample.
const sampleFile = "digitalfabrik__integreat-cms.yml"

const sampleShort = "The multilingual content management system for the Integreat App"

// sample returns the sample file, with its short description
// replaced when short is not "".
func sample(t *testing.T, short string) string {
	t.Helper()
	b, err := fs.ReadFile(data.PublicCode, data.PublicCodeDir+"/"+sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if short != "" {
		if !strings.Contains(s, sampleShort) {
			t.Fatal("the sample file changed")
		}
		s = strings.Replace(s, sampleShort, short, 1)
	}
	return s
}

// harvestMailbox keeps the mails sent.
type harvestMailbox struct {
	mu    sync.Mutex
	mails []account.Mail
}

func (b *harvestMailbox) Send(_ context.Context, m account.Mail) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mails = append(b.mails, m)
	return nil
}

func (b *harvestMailbox) count(kind string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, m := range b.mails {
		if m.Kind == kind {
			n++
		}
	}
	return n
}

// harvestFixture is an organisation with an admin, a solution created
// from the sample file and the harvesting service.
type harvestFixture struct {
	db       *store.DB
	svc      *catalog.Solutions
	h        *catalog.Harvester
	box      *harvestMailbox
	admin    account.User
	outsider account.User
	curator  account.User
	slug     string
	solID    string
}

func newHarvestFixture(t *testing.T, db *store.DB, fetcher catalog.Fetcher) *harvestFixture {
	t.Helper()
	ctx := t.Context()
	if _, err := catalog.NewFields(db).Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	f := &harvestFixture{db: db, box: &harvestMailbox{}}
	f.svc = catalog.NewSolutions(db, db, db).WithMail(f.box, bundle, "https://smartregions.test")
	f.h = catalog.NewHarvester(f.svc, db, fetcher)
	f.admin = user(t, db, "admin@termine.example")
	f.outsider = user(t, db, "fremd@example.org")
	f.curator = user(t, db, "kuration@kompetenz.example", account.Curator)
	if _, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "termine", Kind: org.Company, Name: "Termine GmbH"},
		f.admin.ID, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	check, err := f.svc.CheckPublicCode(ctx, []byte(sample(t, "")))
	if err != nil || !check.Valid() || check.EntryErr != nil {
		t.Fatalf("sample: %v %v %v", err, check.Problems, check.EntryErr)
	}
	e := check.Entry
	// What the provider adds beyond the file must survive harvesting.
	e.Delivery = []catalog.Delivery{{Model: catalog.SaaS, Price: "per_inhabitant", Hosting: "de"}}
	e.Standards = []string{"OpenAPI"}
	sol, err := f.svc.Create(ctx, f.admin, "termine", e, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	f.slug, f.solID = sol.Slug, sol.ID
	return f
}

func (f *harvestFixture) repo(t *testing.T, files map[string]string) (*gittest.Repo, catalog.Repository) {
	t.Helper()
	g := gittest.New(t)
	g.Commit(files)
	r, err := f.h.AddRepository(t.Context(), f.admin, f.slug, g.URL(), account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return g, r
}

func (f *harvestFixture) get(t *testing.T, id string) catalog.Repository {
	t.Helper()
	r, err := f.db.Repository(t.Context(), f.solID, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *harvestFixture) open(t *testing.T) *catalog.Proposal {
	t.Helper()
	_, _, _, p, err := f.h.Sources(t.Context(), f.admin, f.slug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHarvestSweep runs sweeps over a good repository and three bad ones
// (missing, without publiccode.yml, with an invalid file): the bad ones
// are recorded and retried with backoff, the good one's change is
// proposed; unchanged repositories propose nothing.
func TestHarvestSweep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newHarvestFixture(t, db, catalog.NewGitFetcher().AllowLocal())
		t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		f.svc.Now = func() time.Time { return t0 }

		good, goodRepo := f.repo(t, map[string]string{"publiccode.yml": sample(t, "Termine online buchen, mit Wartenummern am Kiosk.")})
		missing, err := f.h.AddRepository(ctx, f.admin, f.slug, "file://"+t.TempDir()+"/gibt-es-nicht", account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		_, noFile := f.repo(t, map[string]string{"README.md": "# Ohne publiccode.yml\n"})
		_, invalid := f.repo(t, map[string]string{"publiccode.yml": "publiccodeYmlVersion: \"0.4\"\nname: Kaputt\nurl: nicht-eine-adresse\n"})

		n, err := f.h.HarvestDue(ctx, t0)
		if err != nil || n != 4 {
			t.Fatalf("first sweep: %d %v", n, err)
		}
		p := f.open(t)
		if p == nil || p.RepositoryID != goodRepo.ID || p.Entry.Short != "Termine online buchen, mit Wartenummern am Kiosk." {
			t.Fatalf("proposal: %+v", p)
		}
		sol, _ := f.db.SolutionBySlug(ctx, f.slug)
		if ch := p.Changes(sol.Current().Entry); len(ch) != 1 || ch[0].Field != "short" {
			t.Fatalf("changes: %+v", ch)
		}
		if f.box.count("harvest.mail.proposal") != 1 {
			t.Fatalf("mails: %+v", f.box.mails)
		}
		if r := f.get(t, goodRepo.ID); r.LastError != nil || r.LastCommit == "" || r.Failures != 0 || !r.NextAttempt.Equal(t0.Add(24*time.Hour)) {
			t.Fatalf("good repository: %+v", r)
		}
		if r := f.get(t, missing.ID); r.LastError == nil || r.LastError.Key != "harvest.error.unreachable" || r.Failures != 1 ||
			!r.NextAttempt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("missing repository: %+v", r)
		}
		if r := f.get(t, noFile.ID); r.LastError == nil || r.LastError.Key != "harvest.error.no_file" || r.Failures != 0 {
			t.Fatalf("repository without file: %+v", r)
		}
		r := f.get(t, invalid.ID)
		if r.LastError == nil || r.LastError.Key != "harvest.error.invalid_file" || len(r.LastError.Problems) == 0 || r.LastError.Problems[0].Line == 0 {
			t.Fatalf("invalid file: %+v", r)
		}

		// Nothing is due half an hour later; after an hour only the
		// missing repository, whose pause then doubles.
		if n, err := f.h.HarvestDue(ctx, t0.Add(30*time.Minute)); n != 0 || err != nil {
			t.Fatalf("sweep after 30 minutes: %d %v", n, err)
		}
		now := t0.Add(time.Hour)
		if n, err := f.h.HarvestDue(ctx, now); n != 1 || err != nil {
			t.Fatalf("sweep after an hour: %d %v", n, err)
		}
		if r := f.get(t, missing.ID); r.Failures != 2 || !r.NextAttempt.Equal(now.Add(2*time.Hour)) {
			t.Fatalf("second failure: %+v", r)
		}
		// The admins hear of it once, after the fifth failure in a row.
		for i := 0; i < 4; i++ {
			now = f.get(t, missing.ID).NextAttempt
			if _, err := f.h.HarvestDue(ctx, now); err != nil {
				t.Fatal(err)
			}
		}
		if r := f.get(t, missing.ID); r.Failures != 6 || !r.NextAttempt.Equal(now.Add(32*time.Hour)) || f.box.count("harvest.mail.failing") != 1 {
			t.Fatalf("after six failures: %+v, %d mails", r, f.box.count("harvest.mail.failing"))
		}

		// A day later: the good repository is unchanged, no new proposal.
		if _, err := f.h.HarvestDue(ctx, t0.Add(25*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if q := f.open(t); q == nil || q.ID != p.ID || f.box.count("harvest.mail.proposal") != 1 {
			t.Fatalf("unchanged repository proposed again: %+v", q)
		}
		// A new commit that changes the entry supersedes the open proposal.
		good.Commit(map[string]string{"publiccode.yml": sample(t, "Termine online buchen und verwalten.")})
		if _, err := f.h.CheckNow(ctx, f.admin, f.slug, goodRepo.ID); err != nil {
			t.Fatal(err)
		}
		q := f.open(t)
		if q == nil || q.ID == p.ID || q.Entry.Short != "Termine online buchen und verwalten." {
			t.Fatalf("newer proposal: %+v", q)
		}
		if old, _ := f.db.Proposal(ctx, f.solID, p.ID); old.State != catalog.ProposalSuperseded {
			t.Fatalf("older proposal: %+v", old)
		}
	})
}

// TestHarvestDecide accepts and dismisses proposals: accepting updates the
// draft and keeps what the file does not speak about; a published entry
// stays visible beside the new draft; a dismissed change is not proposed
// again.
func TestHarvestDecide(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newHarvestFixture(t, db, catalog.NewGitFetcher().AllowLocal())
		good, repo := f.repo(t, map[string]string{"publiccode.yml": sample(t, "Termine online buchen.")})
		propose := func() *catalog.Proposal {
			t.Helper()
			if _, err := f.h.CheckNow(ctx, f.admin, f.slug, repo.ID); err != nil {
				t.Fatal(err)
			}
			return f.open(t)
		}
		p := propose()
		if p == nil {
			t.Fatal("no proposal")
		}
		for _, c := range []struct {
			name string
			u    account.User
			want string
		}{
			{"outsider", f.outsider, "not_found"},
			{"curator", f.curator, "forbidden"},
		} {
			if _, err := f.h.Decide(ctx, c.u, f.slug, p.ID, true, nil, account.Meta{}); !apperr.Is(err, apperr.Code(c.want)) {
				t.Errorf("%s decides: %v", c.name, err)
			}
		}
		if _, err := f.h.Decide(ctx, f.admin, f.slug, uuid.NewString(), true, nil, account.Meta{}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown proposal: %v", err)
		}
		stale := -1
		if _, err := f.h.Decide(ctx, f.admin, f.slug, p.ID, true, &stale, account.Meta{}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale lock: %v", err)
		}
		if _, err := f.h.Decide(ctx, f.admin, f.slug, p.ID, true, nil, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		sol, _ := f.db.SolutionBySlug(ctx, f.slug)
		if e := sol.Working.Entry; e.Short != "Termine online buchen." || len(e.Delivery) != 1 || e.Delivery[0].Model != catalog.SaaS ||
			len(e.Standards) != 1 || sol.Working.State != catalog.Draft || sol.Working.Number != 1 {
			t.Fatalf("draft after acceptance: %+v", sol.Working)
		}
		if _, err := f.h.Decide(ctx, f.admin, f.slug, p.ID, false, nil, account.Meta{}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("decided twice: %v", err)
		}

		// Publish the draft; an accepted change to it starts version 2.
		verifyAndPublish(t, f, sol)
		good.Commit(map[string]string{"publiccode.yml": sample(t, "Termine online buchen, auch am Telefon.")})
		p = propose()
		if _, err := f.h.Decide(ctx, f.admin, f.slug, p.ID, true, nil, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		sol, _ = f.db.SolutionBySlug(ctx, f.slug)
		if sol.Published.Entry.Short != "Termine online buchen." || sol.Working == nil || sol.Working.Number != 2 ||
			sol.Working.Entry.Short != "Termine online buchen, auch am Telefon." {
			t.Fatalf("published and working: %+v / %+v", sol.Published, sol.Working)
		}

		// Dismissed, and not proposed again by a commit that changes
		// nothing the entry holds.
		changed := sample(t, "Termine online buchen, per Telefon und am Schalter.")
		good.Commit(map[string]string{"publiccode.yml": changed})
		p = propose()
		if _, err := f.h.Decide(ctx, f.admin, f.slug, p.ID, false, nil, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		good.Commit(map[string]string{"README.md": "# Neue Anleitung\n"})
		if q := propose(); q != nil {
			t.Fatalf("dismissed change proposed again: %+v", q)
		}
		if d, _ := f.db.Proposal(ctx, f.solID, p.ID); d.State != catalog.ProposalDismissed || d.DecidedBy != f.admin.ID {
			t.Fatalf("dismissed proposal: %+v", d)
		}
	})
}

// verifyAndPublish verifies the fixture's organisation and has a curator
// publish the working version.
func verifyAndPublish(t *testing.T, f *harvestFixture, sol catalog.Solution) {
	t.Helper()
	ctx := t.Context()
	if err := f.db.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: sol.OrgID, UserID: f.admin.ID, Email: f.admin.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(ctx, f.admin, f.slug, sol.Lock, account.Meta{}); err != nil {
		t.Fatal(err)
	}
	sol, _ = f.db.SolutionBySlug(ctx, f.slug)
	if err := f.svc.Review(ctx, f.curator, f.slug, sol.Lock, true, "", account.Meta{}); err != nil {
		t.Fatal(err)
	}
}

// panicky panics for one repository and reads the others.
type panicky struct {
	catalog.Fetcher
	url string
}

func (p panicky) Fetch(ctx context.Context, url string) (catalog.Fetched, error) {
	if url == p.url {
		panic("go-git bug")
	}
	return p.Fetcher.Fetch(ctx, url)
}

// TestHarvestPanic checks that a panic while reading one repository is
// recorded as its failure and the sweep goes on.
func TestHarvestPanic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		bad := gittest.New(t)
		bad.Commit(map[string]string{"publiccode.yml": sample(t, "")})
		f := newHarvestFixture(t, db, panicky{catalog.NewGitFetcher().AllowLocal(), bad.URL()})
		badRepo, err := f.h.AddRepository(ctx, f.admin, f.slug, bad.URL(), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		_, goodRepo := f.repo(t, map[string]string{"publiccode.yml": sample(t, "Termine online buchen.")})
		now := time.Now().UTC()
		if n, err := f.h.HarvestDue(ctx, now); n != 2 || err != nil {
			t.Fatalf("sweep: %d %v", n, err)
		}
		if r := f.get(t, badRepo.ID); r.Failures != 1 || r.LastError == nil || r.LastError.Key != "harvest.error.unreachable" {
			t.Fatalf("panicking repository: %+v", r)
		}
		if p := f.open(t); p == nil || p.RepositoryID != goodRepo.ID {
			t.Fatalf("proposal of the good repository: %+v", p)
		}
	})
}

// TestHarvestRepositories checks who may register and remove repositories
// and what addresses are accepted.
func TestHarvestRepositories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newHarvestFixture(t, db, catalog.NewGitFetcher())
		const url = "https://gitlab.opencode.de/termine/terminvergabe"
		for _, c := range []struct {
			name string
			u    account.User
			url  string
			want string
		}{
			{"outsider", f.outsider, url, "not_found:catalog.error.solution_not_found"},
			{"curator", f.curator, url, "forbidden:error.forbidden"},
			{"http", f.admin, "http://gitlab.opencode.de/x/y", "invalid:error.invalid repository=harvest.error.url"},
			{"local", f.admin, "file:///srv/git/x", "invalid:error.invalid repository=harvest.error.url"},
		} {
			if _, err := f.h.AddRepository(ctx, c.u, f.slug, c.url, account.Meta{}); code(err) != c.want {
				t.Errorf("%s: %s, want %s", c.name, code(err), c.want)
			}
		}
		r, err := f.h.AddRepository(ctx, f.admin, f.slug, url, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.h.AddRepository(ctx, f.admin, f.slug, url, account.Meta{}); code(err) != "conflict:harvest.error.duplicate" {
			t.Errorf("duplicate: %s", code(err))
		}
		if _, _, repos, p, err := f.h.Sources(ctx, f.curator, f.slug); err != nil || len(repos) != 1 || p != nil {
			t.Errorf("curator reads the sources: %v %v %v", repos, p, err)
		}
		if _, _, _, _, err := f.h.Sources(ctx, f.outsider, f.slug); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("outsider reads the sources of a draft: %v", err)
		}
		if _, err := f.h.RemoveRepository(ctx, f.curator, f.slug, r.ID, account.Meta{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("curator removes: %v", err)
		}
		if _, err := f.h.RemoveRepository(ctx, f.admin, f.slug, r.ID, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.h.RemoveRepository(ctx, f.admin, f.slug, r.ID, account.Meta{}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("removed twice: %v", err)
		}
	})
}

func TestBackoff(t *testing.T) {
	for failures, want := range map[int]time.Duration{0: 0, 1: time.Hour, 2: 2 * time.Hour, 5: 16 * time.Hour, 8: 128 * time.Hour,
		9: 7 * 24 * time.Hour, 60: 7 * 24 * time.Hour, 1 << 30: 7 * 24 * time.Hour} {
		if got := catalog.Backoff(failures); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", failures, got, want)
		}
	}
}

// TestHarvestWorker runs a sweep as a River job through the platform's
// job runner.
func TestHarvestWorker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newHarvestFixture(t, db, catalog.NewGitFetcher().AllowLocal())
		_, repo := f.repo(t, map[string]string{"publiccode.yml": sample(t, "Termine online buchen.")})
		workers := river.NewWorkers()
		river.AddWorker(workers, catalog.NewHarvestWorker(f.h))
		runner, err := jobs.New(ctx, db, workers, jobs.Config{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := runner.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			runner.Stop(sctx)
		})
		if _, err := runner.Client().Insert(ctx, catalog.HarvestArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for f.get(t, repo.ID).LastChecked == nil {
			if time.Now().After(deadline) {
				t.Fatal("the sweep did not run")
			}
			time.Sleep(20 * time.Millisecond)
		}
		if p := f.open(t); p == nil || p.RepositoryID != repo.ID {
			t.Fatalf("proposal after the job: %+v", p)
		}
	})
}
