package practice

import (
	"context"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
)

// Query selects examples for a list, newest published first.
type Query struct {
	Field        string               // a field of action key ("mobility" finds "mobility.parking"); "" for all
	Band         region.Band          // "" for all
	Urbanisation *region.Urbanisation // nil for all
	// State filters the working version's state; Published means "has a
	// public version" (whatever is being edited meanwhile).
	State     State
	Solution  string // slug of a solution the example used
	RegionKey string // examples of the organisation with this region key (AGS)
	ExcludeID string // leave out this example
	// ExcludeRegion leaves out the examples of the organisation with
	// this region key.
	ExcludeRegion string
	Limit         int
	Offset        int
	// Set by the service from the actor: which unpublished examples the
	// list may show besides the published ones.
	All    bool     // every example (curators)
	OrgIDs []string // the actor's organisations
}

// Page is one page of a list with the number of all matches.
type Page struct {
	Items []Example
	Total int
	Next  int // offset of the next page; 0 on the last
}

// SolutionRef is a published solution an example used.
type SolutionRef struct {
	Slug, Name string
}

// Store is the database of practice examples (the platform's store is
// one). Reads return apperr.NotFound for unknown examples; writes run in
// one transaction with their audit entry.
type Store interface {
	// PracticeOrg returns the organisation orgID; apperr.NotFound.
	PracticeOrg(ctx context.Context, orgID string) (OrgRef, error)
	// CreateExample stores a new example under a free slug based on
	// e.Slug and returns it.
	CreateExample(ctx context.Context, e Example, audit account.AuditEntry) (Example, error)
	// Example returns an example by slug; apperr.NotFound.
	Example(ctx context.Context, slug string) (Example, error)
	// Examples returns a page of examples.
	Examples(ctx context.Context, q Query) (Page, error)
	// ExamplesInWork returns the examples whose working version is not
	// the published one, submitted first, at most limit.
	ExamplesInWork(ctx context.Context, limit int) ([]Example, error)
	// SaveExample writes the working version (content, state, editor,
	// authors, review note, size band and urbanisation);
	// apperr.Conflict when the lock is no longer e.Lock or the state no
	// longer from.
	SaveExample(ctx context.Context, e Example, from State, audit account.AuditEntry) (Example, error)
	// PublishExample makes the submitted working version the published
	// one (version e.Version+1) and puts it into the competence centre's
	// search; apperr.Conflict when it is no longer submitted with e.Lock.
	PublishExample(ctx context.Context, e Example, reviewerID string, audit account.AuditEntry) error
	// ArchiveExample takes the example off the public pages and out of the
	// search; apperr.Conflict when the lock or state changed.
	ArchiveExample(ctx context.Context, e Example, audit account.AuditEntry) error
	// PracticeSolutions returns those of slugs that are published solutions.
	PracticeSolutions(ctx context.Context, slugs []string) ([]SolutionRef, error)
	// PracticeVersion changes whenever what the public sees changes.
	PracticeVersion(ctx context.Context) (string, error)
	UserMemberships(ctx context.Context, userID string) ([]org.Membership, error)
}

// Regions gives the size and urbanisation of the bodies behind examples.
type Regions interface {
	Municipality(ctx context.Context, ags string) (region.Municipality, error)
	District(ctx context.Context, key string) (region.District, error)
	State(ctx context.Context, key string) (region.State, error)
}

// Taxonomy is the list of fields of action.
type Taxonomy interface {
	All(ctx context.Context) ([]catalog.Field, error)
}
