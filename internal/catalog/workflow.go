package catalog

import (
	"context"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/org"
)

// Version states. A solution has at most one working version (draft,
// submitted or changes requested) besides its published one.
const (
	Draft            = "draft"
	Submitted        = "submitted"
	ChangesRequested = "changes_requested"
	Published        = "published"
	Superseded       = "superseded"
)

// Version is one version of a solution's entry.
type Version struct {
	Number    int
	Entry     Entry
	State     string
	Comment   string // the curator's comment on a change request
	CreatedBy string
	Created   time.Time
	Updated   time.Time
	Submitted *time.Time
	DecidedBy string
	Decided   *time.Time
}

// Solution is a catalogue entry with its versions of interest.
type Solution struct {
	ID        string
	Slug      string
	OrgID     string
	OrgSlug   string
	OrgName   string
	OrgKind   org.Kind
	Published *Version // nil until published
	Working   *Version // nil when nothing is being edited or reviewed
	Archived  *time.Time
	Reason    string // why it was archived
	Lock      int    // pass back on writes (optimistic locking)
	Created   time.Time
	// ImportedFrom is the source of an entry imported from a
	// publiccode.yml (demo data); "" for entries written on the platform.
	ImportedFrom string
}

// Current returns the version to show its owners: the working one, else
// the published one.
func (s Solution) Current() *Version {
	if s.Working != nil {
		return s.Working
	}
	return s.Published
}

// Action is something a user may do to a solution.
type Action int

// The actions Can decides.
const (
	ActView    Action = iota // see it (published ones: everyone)
	ActEdit                  // change the entry, submit it
	ActArchive               // archive it with a reason
	ActReview                // publish or request changes
)

// Can is the one authorisation rule of solutions: may u (nil for a
// visitor) do act to s, where m is u's membership in the providing
// organisation (nil when none)?
func Can(u *account.User, act Action, s Solution, m *org.Membership) bool {
	curator := u != nil && u.Has(account.Curator)
	switch act {
	case ActView:
		return s.Published != nil && s.Archived == nil || m != nil || curator
	case ActEdit:
		return m != nil && s.Archived == nil
	case ActArchive:
		return (m != nil && m.Role == org.Admin || curator) && s.Archived == nil
	case ActReview:
		return curator
	}
	return false
}

// QueueItem is a submitted version waiting for a curator.
type QueueItem struct {
	Solution Solution
	Version  Version
}

// SolutionStore is what solutions need from the database. Writes take the
// lock the caller read and return apperr.Conflict
// ("catalog.error.stale") when someone else wrote in between; each runs
// in one transaction with its audit entry.
type SolutionStore interface {
	// CreateSolution stores a solution with version 1 as a draft; a taken
	// slug gets a number appended. It returns the stored solution.
	CreateSolution(ctx context.Context, s Solution, e Entry, audit account.AuditEntry) (Solution, error)
	SolutionBySlug(ctx context.Context, slug string) (Solution, error)
	// SaveWorking replaces the working version's entry, or starts a new
	// working version (as a draft) when there is none.
	SaveWorking(ctx context.Context, id string, lock int, e Entry, by string, audit account.AuditEntry) error
	// SetWorkingState moves the working version from one of the states
	// from to state to, with a comment; apperr.Conflict
	// ("catalog.error.state") when it is in another state.
	SetWorkingState(ctx context.Context, id string, lock int, from []string, to, comment, by string, audit account.AuditEntry) error
	// PublishWorking publishes the submitted working version; the
	// previous published one is superseded.
	PublishWorking(ctx context.Context, id string, lock int, by string, audit account.AuditEntry) error
	Archive(ctx context.Context, id string, lock int, reason string, audit account.AuditEntry) error
	// Versions returns all versions, newest first.
	Versions(ctx context.Context, id string) ([]Version, error)
	// Queue returns the submitted versions, oldest first.
	Queue(ctx context.Context, limit int) ([]QueueItem, error)
	// ImportSolution stores an entry as published version 1 unless the
	// organisation has one imported from the same source; it reports
	// whether it stored one.
	ImportSolution(ctx context.Context, s Solution, e Entry, audit account.AuditEntry) (bool, error)
	// PublishedSolutions returns a page of published, not archived
	// solutions by name.
	PublishedSolutions(ctx context.Context, q ListQuery) (Page, error)
}

// ListQuery selects a page of published solutions.
type ListQuery struct {
	Field string // a field of action; a top-level key includes its children
	After string // keyset cursor: the id of the last solution of the previous page
	Limit int
}

// Page is one page of solutions.
type Page struct {
	Items []Solution
	Total int
	Next  string
}
