package catalog

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/publiccode"
)

// Proposal states. At most one proposal of a solution is open; a newer
// one supersedes it.
const (
	ProposalOpen       = "open"
	ProposalAccepted   = "accepted"
	ProposalDismissed  = "dismissed"
	ProposalSuperseded = "superseded"
)

// Repository is a git repository a provider registered for a solution,
// with the outcome of its last check.
type Repository struct {
	ID           string
	SolutionID   string
	SolutionSlug string
	URL          string
	AddedBy      string
	Added        time.Time
	LastChecked  *time.Time
	LastCommit   string
	// LastError says why the last check proposed nothing; nil after a
	// check that found the file in order.
	LastError *RepoFailure
	// Failures counts the consecutive attempts that could not reach the
	// repository; each one doubles the pause before the next.
	Failures    int
	NextAttempt time.Time
}

// RepoFailure is why a repository's last check did not succeed: a
// message key ("harvest.error.…") and, for a faulty file, its errors with
// line and column or the catalogue's field errors.
type RepoFailure struct {
	Key      string               `json:"key"`
	Problems []publiccode.Problem `json:"problems,omitempty"`
	Fields   []apperr.FieldError  `json:"fields,omitempty"`
}

// Proposal is a change of an entry read from a registered repository,
// for the provider to accept or dismiss.
type Proposal struct {
	ID            string
	SolutionID    string
	RepositoryID  string // "" when the repository has been removed since
	RepositoryURL string
	Commit        string
	// Entry holds only what the file speaks about; the other fields are
	// empty and keep their current values when the proposal is applied
	// (see Apply).
	Entry     Entry
	Notes     []Note
	State     string
	Created   time.Time
	DecidedBy string
	Decided   *time.Time
}

// Apply returns cur with the proposal's fields: the texts, licence,
// addresses, maturity, contact and support the file states, its fields
// of action when a category maps, its languages when it lists any.
// Delivery, prices, evidence, sizes, standards and origin are the
// provider's and stay as they are.
func (p Proposal) Apply(cur Entry) Entry {
	e, f := cur, p.Entry
	e.Delivery, e.Evidence = slices.Clone(cur.Delivery), slices.Clone(cur.Evidence) // Check normalises them in place
	for _, x := range []struct {
		dst *string
		v   string
	}{{&e.Name, f.Name}, {&e.Short, f.Short}, {&e.Description, f.Description}, {&e.Licence, f.Licence},
		{&e.Repository, f.Repository}, {&e.Website, f.Website}, {&e.Maturity, f.Maturity}, {&e.Contact, f.Contact}, {&e.Support, f.Support}} {
		if strings.TrimSpace(x.v) != "" {
			*x.dst = x.v
		}
	}
	if len(f.Fields) > 0 {
		e.Fields = f.Fields
	}
	if len(f.Languages) > 0 {
		e.Languages = f.Languages
	}
	return e
}

// harvestedEntry is what a publiccode.yml says about an existing entry:
// the mapping without what it had to assume.
func harvestedEntry(sw *publiccode.Software) (Entry, []Note) {
	e, _ := FromPublicCode(sw)
	e.Delivery = nil
	mapped := false
	for _, c := range sw.Categories {
		_, ok := categoryFields[c]
		mapped = mapped || ok
	}
	if !mapped {
		e.Fields = nil
	}
	if _, ok := maturityOf[sw.DevelopmentStatus]; !ok {
		e.Maturity = ""
	}
	// Normalise the texts and lists as stored entries are, so that the
	// differences shown are real ones; whether the result is a valid
	// entry is checked when it is applied.
	_ = e.Check(nil, time.Time{})
	var notes []Note
	for _, n := range publicCodeNotes(&publiccode.File{Software: *sw}, descriptionLanguage(sw)) {
		switch n.Key {
		case "harvest.note.delivery_assumed", "harvest.note.fallback_field", "harvest.note.status_assumed":
		default:
			notes = append(notes, n)
		}
	}
	return e, notes
}

// Check is the outcome of one check of a repository.
type Check struct {
	At       time.Time
	Commit   string       // the commit read; "" keeps the last one (the repository could not be read)
	Failure  *RepoFailure // nil when the file was in order
	Failures int          // consecutive attempts that could not reach it
	Next     time.Time    // when to look again
	// Proposal, when set, becomes the solution's open proposal with the
	// audit entry Audit.
	Proposal *Proposal
	Audit    account.AuditEntry
}

// HarvestStore is what harvesting needs from the database. Each write
// runs in one transaction with its audit entry.
type HarvestStore interface {
	// AddRepository stores a repository; apperr.Conflict
	// ("harvest.error.duplicate") when the solution has it already.
	AddRepository(ctx context.Context, r Repository, audit account.AuditEntry) error
	// RemoveRepository deletes one of the solution's repositories;
	// apperr.NotFound when it has no such one. Its proposals stay.
	RemoveRepository(ctx context.Context, solutionID, id string, audit account.AuditEntry) error
	// Repository returns one of the solution's repositories (apperr.NotFound).
	Repository(ctx context.Context, solutionID, id string) (Repository, error)
	// Repositories returns a solution's repositories in the order added.
	Repositories(ctx context.Context, solutionID string) ([]Repository, error)
	// DueRepositories returns up to limit repositories whose next
	// attempt is due at now, the longest due first.
	DueRepositories(ctx context.Context, now time.Time, limit int) ([]Repository, error)
	// ClaimRepository moves a repository that is due at now to until; it
	// reports false when it is no longer due (another sweep took it).
	ClaimRepository(ctx context.Context, id string, now, until time.Time) (bool, error)
	// RecordCheck stores a check's outcome; with a proposal it also
	// stores it as the solution's open proposal, superseding an open one.
	// apperr.NotFound when the repository has been removed meanwhile.
	RecordCheck(ctx context.Context, id string, c Check) error
	// Proposal returns one of the solution's proposals (apperr.NotFound).
	Proposal(ctx context.Context, solutionID, id string) (Proposal, error)
	// LatestProposal returns the solution's newest proposal in any
	// state, OpenProposal its open one (apperr.NotFound when none).
	LatestProposal(ctx context.Context, solutionID string) (Proposal, error)
	OpenProposal(ctx context.Context, solutionID string) (Proposal, error)
	// AcceptProposal marks the open proposal accepted and saves e as the
	// solution's working version like SolutionStore.SaveWorking (lock,
	// stale and in-review rules included); apperr.Conflict
	// ("harvest.error.proposal_decided") when it is no longer open.
	AcceptProposal(ctx context.Context, id, solutionID string, lock int, e Entry, by string, audit account.AuditEntry) error
	// DismissProposal marks the open proposal dismissed (same conflict).
	DismissProposal(ctx context.Context, id, solutionID, by string, audit account.AuditEntry) error
}

// Fetcher reads publiccode.yml from a repository (GitFetcher).
type Fetcher interface {
	CheckRepositoryURL(raw string) (string, error)
	Fetch(ctx context.Context, url string) (Fetched, error)
}

// Harvesting defaults.
const (
	defaultHarvestInterval = 24 * time.Hour
	defaultHarvestBatch    = 50
	maxBackoff             = 7 * 24 * time.Hour
	// claimLease keeps a repository from a second sweep while one checks
	// it; a sweep that dies leaves it due again after the lease.
	claimLease = 15 * time.Minute
	// failureMailAt is the number of consecutive failures after which
	// the organisation's admins are mailed, once.
	failureMailAt     = 5
	maxRepositories   = 10
	maxStoredProblems = 20
)

// Harvester keeps catalogue entries in step with the publiccode.yml of
// their registered repositories: it checks them periodically and
// proposes changes for the provider's review.
type Harvester struct {
	solutions *Solutions
	store     HarvestStore
	fetcher   Fetcher
	// Interval is the pause after a check that reached the repository;
	// zero means a day.
	Interval time.Duration
	// Batch bounds the repositories one sweep checks; zero means 50.
	Batch int
	// Log receives what a sweep could not do; nil means slog.Default().
	Log *slog.Logger
}

// NewHarvester returns the harvesting service over the catalogue's
// solutions; it mails through the mailer the solutions were given.
func NewHarvester(solutions *Solutions, store HarvestStore, fetcher Fetcher) *Harvester {
	return &Harvester{solutions: solutions, store: store, fetcher: fetcher}
}

// Fetcher returns the fetcher, for imports from a repository.
func (h *Harvester) Fetcher() Fetcher { return h.fetcher }

func (h *Harvester) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.Default()
}

// Backoff is the pause after the given number of consecutive failures:
// an hour, doubled with each further failure, at most seven days.
func Backoff(failures int) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := time.Hour
	for i := 1; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// Sources is what the sources page shows: the solution, u's membership,
// its repositories and its open proposal (nil when none). Members of the
// providing organisation and curators may see it.
func (h *Harvester) Sources(ctx context.Context, u account.User, slug string) (Solution, *org.Membership, []Repository, *Proposal, error) {
	sol, mp, err := h.solutions.Get(ctx, &u, slug)
	if err != nil {
		return sol, nil, nil, nil, err
	}
	if mp == nil && !Can(&u, ActReview, sol, mp) {
		return sol, nil, nil, nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	repos, err := h.store.Repositories(ctx, sol.ID)
	if err != nil {
		return sol, mp, nil, nil, err
	}
	p, err := h.store.OpenProposal(ctx, sol.ID)
	switch {
	case err == nil:
		return sol, mp, repos, &p, nil
	case apperr.Is(err, apperr.NotFound):
		return sol, mp, repos, nil, nil
	}
	return sol, mp, repos, nil, err
}

// AddRepository registers a git repository for a solution that u may
// edit; it is checked by the next sweep.
func (h *Harvester) AddRepository(ctx context.Context, u account.User, slug, rawURL string, m account.Meta) (Repository, error) {
	sol, err := h.solutions.authorize(ctx, u, slug, ActEdit)
	if err != nil {
		return Repository{}, err
	}
	u2, err := h.fetcher.CheckRepositoryURL(rawURL)
	if err != nil {
		return Repository{}, err
	}
	repos, err := h.store.Repositories(ctx, sol.ID)
	if err != nil {
		return Repository{}, err
	}
	if len(repos) >= maxRepositories {
		var v apperr.Validation
		v.Add("repository", "harvest.error.too_many", "Max", maxRepositories)
		return Repository{}, v.Err()
	}
	now := h.solutions.Now().UTC()
	r := Repository{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, SolutionSlug: sol.Slug, URL: u2, AddedBy: u.ID,
		Added: now, NextAttempt: now}
	if err := h.store.AddRepository(ctx, r, solutionAudit(u, "catalog.repository_added", sol.ID, m, map[string]any{"url": u2})); err != nil {
		return Repository{}, err
	}
	return r, nil
}

// RemoveRepository stops harvesting one of a solution's repositories.
func (h *Harvester) RemoveRepository(ctx context.Context, u account.User, slug, id string, m account.Meta) (Repository, error) {
	sol, err := h.solutions.authorize(ctx, u, slug, ActEdit)
	if err != nil {
		return Repository{}, err
	}
	r, err := h.store.Repository(ctx, sol.ID, id)
	if err != nil {
		return r, err
	}
	return r, h.store.RemoveRepository(ctx, sol.ID, id, solutionAudit(u, "catalog.repository_removed", sol.ID, m, map[string]any{"url": r.URL}))
}

// Decide accepts or dismisses one of a solution's open proposals. An
// accepted proposal is applied to the current entry (see Proposal.Apply)
// and saved as its working version: the draft is updated, or a new draft
// starts beside the published version, which stays visible until a
// curator publishes the new one. lock is the solution's lock as the
// caller read it; nil takes the current one (the proposal is applied to
// the entry as it is now, so nothing written meanwhile is lost).
func (h *Harvester) Decide(ctx context.Context, u account.User, slug, id string, accept bool, lock *int, m account.Meta) (Proposal, error) {
	sol, err := h.solutions.authorize(ctx, u, slug, ActEdit)
	if err != nil {
		return Proposal{}, err
	}
	p, err := h.store.Proposal(ctx, sol.ID, id)
	if err != nil {
		return p, err
	}
	if p.State != ProposalOpen {
		return p, apperr.New(apperr.Conflict, "harvest.error.proposal_decided")
	}
	details := map[string]any{"commit": p.Commit, "repository": p.RepositoryURL}
	if !accept {
		if err := h.store.DismissProposal(ctx, p.ID, sol.ID, u.ID, solutionAudit(u, "catalog.proposal_dismissed", sol.ID, m, details)); err != nil {
			return p, err
		}
		p.State = ProposalDismissed
		return p, nil
	}
	if sol.Working != nil && sol.Working.State == Submitted {
		return p, apperr.New(apperr.Conflict, "catalog.error.in_review")
	}
	e := p.Apply(sol.Current().Entry)
	if err := h.solutions.check(ctx, &e); err != nil {
		return p, err
	}
	l := sol.Lock
	if lock != nil {
		l = *lock
	}
	if err := h.store.AcceptProposal(ctx, p.ID, sol.ID, l, e, u.ID, solutionAudit(u, "catalog.proposal_accepted", sol.ID, m, details)); err != nil {
		return p, err
	}
	p.State = ProposalAccepted
	return p, nil
}

// Changes lists what accepting p would change in the entry cur.
func (p Proposal) Changes(cur Entry) []Change {
	return Diff(cur, p.Apply(cur))
}
