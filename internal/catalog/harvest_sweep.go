package catalog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/publiccode"
)

// CheckNow checks one of a solution's repositories at once, as a sweep
// would, and returns it as stored afterwards.
func (h *Harvester) CheckNow(ctx context.Context, u account.User, slug, id string) (Repository, error) {
	sol, err := h.solutions.authorize(ctx, u, slug, ActEdit)
	if err != nil {
		return Repository{}, err
	}
	r, err := h.store.Repository(ctx, sol.ID, id)
	if err != nil {
		return r, err
	}
	known, err := h.solutions.knownFields(ctx)
	if err != nil {
		return r, err
	}
	if err := h.harvest(ctx, r, h.solutions.Now().UTC(), known); err != nil {
		return r, err
	}
	return h.store.Repository(ctx, sol.ID, id)
}

// HarvestDue checks every repository that is due at now (at most Batch),
// one after the other, and returns how many it checked. A repository
// that cannot be read is retried later with backoff and never stops the
// sweep; the error reports what the database could not record.
func (h *Harvester) HarvestDue(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	batch := h.Batch
	if batch <= 0 {
		batch = defaultHarvestBatch
	}
	repos, err := h.store.DueRepositories(ctx, now, batch)
	if err != nil {
		return 0, fmt.Errorf("catalog: harvest: %w", err)
	}
	known, err := h.solutions.knownFields(ctx)
	if err != nil {
		return 0, fmt.Errorf("catalog: harvest: %w", err)
	}
	n := 0
	var errs []error
	for _, r := range repos {
		if err := ctx.Err(); err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		ok, err := h.store.ClaimRepository(ctx, r.ID, now, now.Add(claimLease))
		if err != nil {
			errs = append(errs, fmt.Errorf("catalog: harvest %s: claim: %w", r.URL, err))
			continue
		}
		if !ok {
			continue
		}
		if err := h.harvest(ctx, r, now, known); apperr.Is(err, apperr.NotFound) {
			continue // removed while it was being checked
		} else if err != nil {
			h.log().Error("harvest repository", "repository", r.URL, "solution", r.SolutionSlug, "err", err)
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// harvest checks one repository and records the outcome; a panic while
// reading it counts as a failed attempt.
func (h *Harvester) harvest(ctx context.Context, r Repository, now time.Time, known map[string]bool) (err error) {
	defer func() {
		if v := recover(); v != nil {
			h.log().Error("harvest repository: panic", "repository", r.URL, "panic", v)
			err = h.failed(ctx, r, now, &RepoFailure{Key: "harvest.error.internal"}, true)
		}
	}()
	sol, err := h.solutions.store.SolutionBySlug(ctx, r.SolutionSlug)
	if err != nil {
		return fmt.Errorf("catalog: harvest %s: %w", r.URL, err)
	}
	if sol.Archived != nil {
		// Archived entries are not kept in step; look again later in
		// case the entry is restored.
		return h.store.RecordCheck(ctx, r.ID, Check{At: now, Commit: r.LastCommit, Failure: r.LastError, Next: now.Add(h.interval())})
	}
	fetched, err := h.fetch(ctx, r.URL)
	if err != nil {
		key := RepoErrorKey(err)
		if key == "" {
			key = "harvest.error.internal"
		}
		h.log().Info("harvest: repository not read", "repository", r.URL, "err", err)
		// A repository without a usable file was reached: the provider
		// must change it, retrying sooner would not help.
		content := key == errRepoNoFile || key == errRepoFileLarge || key == errRepoEmpty
		if content {
			r.LastCommit = cmp.Or(fetched.Commit, r.LastCommit)
		}
		return h.failed(ctx, r, now, &RepoFailure{Key: key}, !content)
	}

	c := Check{At: now, Commit: fetched.Commit, Next: now.Add(h.interval())}
	f, problems := publiccode.Parse(fetched.Data)
	if f == nil || publiccode.HasErrors(problems) {
		c.Failure = &RepoFailure{Key: "harvest.error.invalid_file"}
		for _, p := range problems {
			if p.Severity == publiccode.Error && len(c.Failure.Problems) < maxStoredProblems {
				c.Failure.Problems = append(c.Failure.Problems, p)
			}
		}
		return h.store.RecordCheck(ctx, r.ID, c)
	}
	fileEntry, notes := harvestedEntry(&f.Software)
	cur := sol.Current().Entry
	p := Proposal{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, RepositoryID: r.ID, RepositoryURL: r.URL,
		Commit: fetched.Commit, Entry: fileEntry, Notes: notes, State: ProposalOpen, Created: now}
	next := p.Apply(cur)
	if err := next.Check(known, now); err != nil {
		var ae *apperr.Error
		errors.As(err, &ae)
		c.Failure = &RepoFailure{Key: "harvest.error.entry_invalid"}
		if ae != nil {
			c.Failure.Fields = ae.Fields
		}
		return h.store.RecordCheck(ctx, r.ID, c)
	}
	if fetched.Commit == r.LastCommit || len(Diff(cur, next)) == 0 {
		return h.store.RecordCheck(ctx, r.ID, c)
	}
	switch last, err := h.store.LatestProposal(ctx, sol.ID); {
	case err == nil && len(Diff(last.Entry, fileEntry)) == 0:
		// Proposed before (and maybe dismissed): a commit that changes
		// nothing the entry holds is no new proposal.
		return h.store.RecordCheck(ctx, r.ID, c)
	case err != nil && !apperr.Is(err, apperr.NotFound):
		return err
	}
	c.Proposal = &p
	c.Audit = account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorLabel: "harvest", Action: "catalog.proposal_created",
		ObjectType: "solution", ObjectID: sol.ID, Details: map[string]any{"repository": r.URL, "commit": p.Commit}}
	if err := h.store.RecordCheck(ctx, r.ID, c); err != nil {
		return err
	}
	return h.mailAdmins(ctx, sol, "harvest.mail.proposal", r.URL, "")
}

// fetch reads the repository within the per-repository time limit; a
// panic in a fetcher is a failed attempt.
func (h *Harvester) fetch(ctx context.Context, url string) (f Fetched, err error) {
	ctx, cancel := context.WithTimeout(ctx, defaultFetchTimeout+5*time.Second)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			err = repoError(errRepoUnreachable, fmt.Errorf("fetch %s: panic: %v", url, v))
		}
	}()
	return h.fetcher.Fetch(ctx, url)
}

// failed records a check that found nothing usable. A transient failure
// (unreachable) counts towards the backoff; after failureMailAt of them
// in a row the admins are told, once.
func (h *Harvester) failed(ctx context.Context, r Repository, now time.Time, f *RepoFailure, transient bool) error {
	c := Check{At: now, Commit: r.LastCommit, Failure: f, Next: now.Add(h.interval())}
	if transient {
		c.Failures = r.Failures + 1
		c.Next = now.Add(Backoff(c.Failures))
	}
	if err := h.store.RecordCheck(ctx, r.ID, c); err != nil {
		return err
	}
	if transient && c.Failures == failureMailAt {
		sol, err := h.solutions.store.SolutionBySlug(ctx, r.SolutionSlug)
		if err != nil {
			return err
		}
		return h.mailAdmins(ctx, sol, "harvest.mail.failing", r.URL, f.Key)
	}
	return nil
}

func (h *Harvester) interval() time.Duration {
	if h.Interval > 0 {
		return h.Interval
	}
	return defaultHarvestInterval
}

// mailAdmins mails the admins of the providing organisation about a
// repository of the solution (reason is a message key or ""); links lead
// to its sources page.
func (h *Harvester) mailAdmins(ctx context.Context, sol Solution, key, repo, reason string) error {
	s := h.solutions
	if s.mail == nil {
		return nil
	}
	members, err := s.orgs.Members(ctx, sol.OrgID)
	if err != nil {
		return fmt.Errorf("catalog: mail %s: %w", key, err)
	}
	if reason != "" {
		reason = s.texts.T("de", reason)
	}
	kv := []any{"Name", sol.Current().Entry.Name, "Repository", repo, "Reason", reason, "Link", s.baseURL + "/loesungen/" + sol.Slug + "/quellen"}
	for _, m := range members {
		if m.Role != org.Admin {
			continue
		}
		if err := s.mail.Send(ctx, account.Mail{To: m.Email, Lang: "de", Kind: key,
			Subject: s.texts.T("de", key+".subject", kv...), Text: s.texts.T("de", key+".text", kv...)}); err != nil {
			return fmt.Errorf("catalog: mail %s: %w", key, err)
		}
	}
	return nil
}

// HarvestArgs is the periodic job that runs a harvesting sweep.
type HarvestArgs struct{}

// Kind names the job for River.
func (HarvestArgs) Kind() string { return "catalog.harvest" }

// InsertOpts makes the sweep unique per hour: instances that schedule it
// at the same time insert one job.
func (HarvestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}
}

// HarvestWorker runs HarvestDue as a River job. Register it with
// river.AddWorker and schedule HarvestArgs periodically, hourly for
// example (see package jobs). A sweep is idempotent: repositories checked
// are not due again until their next attempt.
type HarvestWorker struct {
	river.WorkerDefaults[HarvestArgs]
	harvester *Harvester
}

// NewHarvestWorker returns the worker of the harvesting sweep.
func NewHarvestWorker(h *Harvester) *HarvestWorker { return &HarvestWorker{harvester: h} }

// Timeout leaves every repository of a batch its own fetch timeout.
func (w *HarvestWorker) Timeout(*river.Job[HarvestArgs]) time.Duration {
	batch := w.harvester.Batch
	if batch <= 0 {
		batch = defaultHarvestBatch
	}
	return time.Duration(batch)*(defaultFetchTimeout+5*time.Second) + time.Minute
}

// Work runs one sweep.
func (w *HarvestWorker) Work(ctx context.Context, job *river.Job[HarvestArgs]) error {
	n, err := w.harvester.HarvestDue(ctx, time.Now())
	w.harvester.log().Info("harvest sweep", "checked", n, "err", err)
	return err
}
