package fundcheck

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
)

// Page sizes of lists.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page is a page of checks, newest first.
type Page struct {
	Items []Check
	Total int
	Next  string // cursor: id of the last check; "" on the last page
}

// Store is the database of checks. Reads return apperr.NotFound for
// unknown checks; writes run in one transaction with their audit entry
// and return apperr.Conflict ("fundcheck.error.stale") when lock is
// outdated or the check is final already.
type Store interface {
	CreateFundCheck(ctx context.Context, c Check, audit account.AuditEntry) (Check, error)
	// UpdateFundCheck writes the description and matches of a draft.
	UpdateFundCheck(ctx context.Context, c Check, lock int, audit account.AuditEntry) (Check, error)
	// FinaliseFundCheck stores the verdicts and snapshot and makes the check final.
	FinaliseFundCheck(ctx context.Context, c Check, lock int, audit account.AuditEntry) (Check, error)
	DeleteFundCheck(ctx context.Context, id string, lock int, audit account.AuditEntry) error
	FundCheck(ctx context.Context, id string) (Check, error)
	// FundChecks lists the checks of the author or of orgIDs.
	FundChecks(ctx context.Context, authorID string, orgIDs []string, limit int, after string) (Page, error)
	// FundCheckFacts returns one row per final check and field of action
	// (field "" for none), for the statistics.
	FundCheckFacts(ctx context.Context) ([]Fact, error)
	// CooperationNeeds returns the open public needs that at least one
	// other organisation joined.
	CooperationNeeds(ctx context.Context) ([]Cooperation, error)
	UserMemberships(ctx context.Context, userID string) ([]org.Membership, error)
}

// Taxonomy is the list of fields of action.
type Taxonomy interface {
	All(ctx context.Context) ([]catalog.Field, error)
}

// Actor is a user with their memberships; the zero Actor is a visitor.
type Actor = org.Actor

// CanView is the one authorisation rule of checks: the author and the
// members of the check's organisation see it; nobody else learns that it
// exists. Only they write it too, and only while it is a draft.
func CanView(a Actor, c Check) bool {
	if a.User == nil {
		return false
	}
	if a.User.ID == c.AuthorID {
		return true
	}
	for _, m := range a.Orgs {
		if c.OrgID != "" && m.OrgID == c.OrgID {
			return true
		}
	}
	return false
}

// Service holds the rules of checks.
type Service struct {
	store  Store
	fields Taxonomy
	find   *Finder
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the service; cat answers the catalogue search.
func NewService(store Store, fields Taxonomy, cat Catalogue) *Service {
	s := &Service{store: store, fields: fields, Now: time.Now}
	s.find = &Finder{cat: cat, coop: store.CooperationNeeds}
	return s
}

// WithPractices adds published practice examples to the matches.
func (s *Service) WithPractices(p PracticeSource) *Service {
	s.find.practices = p
	return s
}

func errNotFound() error { return apperr.New(apperr.NotFound, "fundcheck.error.not_found") }

func audit(a Actor, action, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return a.Audit(action, "fund_check", id, m, details)
}

// Actor returns u (nil for a visitor) with their memberships.
func (s *Service) Actor(ctx context.Context, u *account.User) (Actor, error) {
	return org.ActorOf(ctx, s.store, u)
}

func (s *Service) knownField(ctx context.Context) (func(string) bool, error) {
	all, err := s.fields.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("fundcheck: fields: %w", err)
	}
	keys := map[string]bool{}
	for _, f := range all {
		keys[f.Key] = true
		for _, c := range f.Children {
			keys[c.Key] = true
		}
	}
	return func(k string) bool { return keys[k] }, nil
}

// Create validates in, runs the search and stores a draft check for a;
// orgSlug names one of a's organisations ("" for none).
func (s *Service) Create(ctx context.Context, a Actor, orgSlug string, in Input, m account.Meta) (Check, error) {
	if a.User == nil {
		return Check{}, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
	}
	known, err := s.knownField(ctx)
	if err != nil {
		return Check{}, err
	}
	c := Check{ID: uuid.Must(uuid.NewV7()).String(), AuthorID: a.User.ID, AuthorLabel: a.User.Name, State: Draft}
	if c.AuthorLabel == "" {
		c.AuthorLabel = a.User.Email
	}
	var v apperr.Validation
	in.check(known, &v)
	if orgSlug != "" {
		found := false
		for _, o := range a.Orgs {
			if o.OrgSlug == orgSlug {
				c.OrgID, c.OrgName, found = o.OrgID, o.OrgName, true
			}
		}
		if !found {
			v.Add("organisation", "fundcheck.error.organisation")
		}
	}
	if err := v.Err(); err != nil {
		return Check{}, err
	}
	c.set(in)
	if c.Matches, err = s.find.find(ctx, in); err != nil {
		return Check{}, err
	}
	return s.store.CreateFundCheck(ctx, c, audit(a, "fund_check.create", c.ID, m, map[string]any{"title": c.Title, "matches": len(c.Matches)}))
}

func (c *Check) set(in Input) {
	c.Title, c.Description, c.Fields, c.Delivery, c.Licence, c.Budget, c.Programme =
		in.Title, in.Description, in.Fields, in.Delivery, in.Licence, in.Budget, in.Programme
}

// Get returns the check id if a may see it; apperr.NotFound otherwise.
func (s *Service) Get(ctx context.Context, a Actor, id string) (Check, error) {
	if uuid.Validate(id) != nil {
		return Check{}, errNotFound()
	}
	c, err := s.store.FundCheck(ctx, id)
	if apperr.Is(err, apperr.NotFound) || err == nil && !CanView(a, c) {
		return Check{}, errNotFound()
	}
	return c, err
}

// draft returns the check id for writing: a draft a may see.
func (s *Service) draft(ctx context.Context, a Actor, id string) (Check, error) {
	c, err := s.Get(ctx, a, id)
	if err != nil {
		return c, err
	}
	if c.State != Draft {
		return c, apperr.New(apperr.Conflict, "fundcheck.error.final")
	}
	return c, nil
}

// List returns a page of the checks a wrote or their organisations own.
func (s *Service) List(ctx context.Context, a Actor, limit int, after string) (Page, error) {
	if a.User == nil {
		return Page{}, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	var orgs []string
	for _, m := range a.Orgs {
		orgs = append(orgs, m.OrgID)
	}
	p, err := s.store.FundChecks(ctx, a.User.ID, orgs, min(limit, MaxLimit), after)
	if err != nil {
		return p, fmt.Errorf("fundcheck: list: %w", err)
	}
	return p, nil
}

// Update changes the description of a draft and runs the search again;
// the verdicts of matches found again are kept.
func (s *Service) Update(ctx context.Context, a Actor, id string, lock int, in Input, m account.Meta) (Check, error) {
	c, err := s.draft(ctx, a, id)
	if err != nil {
		return c, err
	}
	known, err := s.knownField(ctx)
	if err != nil {
		return c, err
	}
	if err := in.Validate(known); err != nil {
		return c, err
	}
	old := c.Matches
	c.set(in)
	if c.Matches, err = s.find.find(ctx, in); err != nil {
		return c, err
	}
	for i := range c.Matches {
		for _, o := range old {
			if o.Key() == c.Matches[i].Key() {
				c.Matches[i].Verdict, c.Matches[i].Statement = o.Verdict, o.Statement
			}
		}
	}
	return s.store.UpdateFundCheck(ctx, c, lock, audit(a, "fund_check.update", c.ID, m, map[string]any{"matches": len(c.Matches)}))
}

// SaveStatements stores the author's verdicts of a draft; with finalise
// every match needs one, and the check becomes final: dated, frozen and
// hashed.
func (s *Service) SaveStatements(ctx context.Context, a Actor, id string, lock int, sts []Statement, finalise bool, m account.Meta) (Check, error) {
	c, err := s.draft(ctx, a, id)
	if err != nil {
		return c, err
	}
	if err := apply(c.Matches, sts, finalise); err != nil {
		return c, err
	}
	if !finalise {
		return s.store.UpdateFundCheck(ctx, c, lock, audit(a, "fund_check.statements", c.ID, m, nil))
	}
	now := s.Now().UTC().Truncate(time.Second)
	c.Snapshot, c.SHA256, err = Freeze(c, now)
	if err != nil {
		return c, fmt.Errorf("fundcheck: freeze %s: %w", c.ID, err)
	}
	c.State, c.Finalised = Final, &now
	return s.store.FinaliseFundCheck(ctx, c, lock, audit(a, "fund_check.finalise", c.ID, m,
		map[string]any{"sha256": c.SHA256, "reusable": c.Reusable()}))
}

// Delete removes a draft.
func (s *Service) Delete(ctx context.Context, a Actor, id string, lock int, m account.Meta) error {
	c, err := s.draft(ctx, a, id)
	if err != nil {
		return err
	}
	return s.store.DeleteFundCheck(ctx, c.ID, lock, audit(a, "fund_check.delete", c.ID, m, map[string]any{"title": c.Title}))
}
