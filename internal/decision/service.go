package decision

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

// Page sizes of lists.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page is a page of saved aids, newest first.
type Page struct {
	Items []Aid
	Total int
	Next  string
}

// Store keeps the saved aids. Reads return apperr.NotFound for unknown
// aids; writes run in one transaction with their audit entry; a stale
// lock is apperr.Conflict ("decision.error.stale").
type Store interface {
	CreateDecisionAid(ctx context.Context, a Aid, audit account.AuditEntry) (Aid, error)
	UpdateDecisionAid(ctx context.Context, a Aid, lock int, audit account.AuditEntry) (Aid, error)
	DeleteDecisionAid(ctx context.Context, id string, audit account.AuditEntry) error
	DecisionAid(ctx context.Context, id string) (Aid, error)
	DecisionAids(ctx context.Context, userID string, limit int, after string) (Page, error)
	// Repositories returns the registered repositories of a solution.
	Repositories(ctx context.Context, solutionID string) ([]catalog.Repository, error)
}

// Solutions returns published catalogue entries (catalog.Solutions).
type Solutions interface {
	Public(ctx context.Context, slug string) (catalog.Solution, error)
}

// Uses counts verified use per size band (search.Service.UsesByBand).
type Uses interface {
	UsesByBand(ctx context.Context, ids []string) (map[string]map[region.Band]int, error)
}

// Service holds the rules of the decision aid.
type Service struct {
	store     Store
	solutions Solutions
	uses      Uses
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the service; uses may be nil (no counts of use).
func NewService(store Store, solutions Solutions, uses Uses) *Service {
	return &Service{store: store, solutions: solutions, uses: uses, Now: time.Now}
}

func errNotFound() error { return apperr.New(apperr.NotFound, "decision.error.not_found") }

// Facts reads what the catalogue says about the published solution slug;
// apperr.NotFound when there is none.
func (s *Service) Facts(ctx context.Context, slug string) (*Facts, error) {
	sol, err := s.solutions.Public(ctx, slug)
	if err != nil {
		return nil, err
	}
	if sol.Published == nil {
		return nil, errNotFound()
	}
	e := sol.Published.Entry
	f := &Facts{Slug: sol.Slug, Name: e.Name, Licence: e.Licence, OpenSource: e.OpenSource(), Maintenance: e.Support, Maturity: e.Maturity,
		Repository: e.Repository}
	for _, d := range e.Delivery {
		f.Delivery = append(f.Delivery, d.Model)
		f.Offers = append(f.Offers, d)
		if d.Hosting != "" {
			f.Hosting = append(f.Hosting, d.Hosting)
		}
		switch {
		case d.Price == "free":
			f.Free = true
		case d.Price == "flat" && d.PriceMin != nil && f.FlatPrice == nil:
			c := int64(*d.PriceMin*100 + 0.5)
			f.FlatPrice = &c
		}
	}
	if s.uses != nil {
		by, err := s.uses.UsesByBand(ctx, []string{sol.ID})
		if err != nil {
			return nil, fmt.Errorf("decision: use of %s: %w", slug, err)
		}
		for _, n := range by[sol.ID] {
			f.Users += n
		}
	}
	repos, err := s.store.Repositories(ctx, sol.ID)
	if err != nil {
		return nil, fmt.Errorf("decision: repositories of %s: %w", slug, err)
	}
	for _, r := range repos {
		if r.LastChecked != nil && (f.Harvested == nil || r.LastChecked.After(*f.Harvested)) {
			t := *r.LastChecked
			f.Harvested, f.HarvestOK = &t, r.LastError == nil
		}
	}
	return f, nil
}

// Evaluate validates a, reads the catalogue facts of its options and
// applies the rules. An unknown solution is a field error of its option.
func (s *Service) Evaluate(ctx context.Context, a *Aid) (Result, error) {
	if err := a.Validate(); err != nil {
		return Result{}, err
	}
	facts := make([]*Facts, len(a.Options))
	var v apperr.Validation
	for i, o := range a.Options {
		if o.Solution == "" {
			continue
		}
		f, err := s.Facts(ctx, o.Solution)
		switch {
		case apperr.Is(err, apperr.NotFound):
			v.Add("option-"+itoa(i), "decision.error.solution", "Slug", o.Solution)
		case err != nil:
			return Result{}, err
		}
		facts[i] = f
	}
	if err := v.Err(); err != nil {
		return Result{}, err
	}
	return Evaluate(*a, facts, s.Now()), nil
}

func audit(u *account.User, action, id string, m account.Meta) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: action, ObjectType: "decision_aid", ObjectID: id,
		ActorID: u.ID, ActorLabel: u.Email, IP: m.IP}
}

// Create saves a for u after evaluating it.
func (s *Service) Create(ctx context.Context, u *account.User, a Aid, m account.Meta) (Aid, Result, error) {
	if u == nil {
		return a, Result{}, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
	}
	res, err := s.Evaluate(ctx, &a)
	if err != nil {
		return a, res, err
	}
	a.ID, a.UserID = uuid.Must(uuid.NewV7()).String(), u.ID
	out, err := s.store.CreateDecisionAid(ctx, a, audit(u, "decision_aid.create", a.ID, m))
	return out, res, err
}

// Get returns u's aid id; apperr.NotFound for others' aids.
func (s *Service) Get(ctx context.Context, u *account.User, id string) (Aid, error) {
	if u == nil || uuid.Validate(id) != nil {
		return Aid{}, errNotFound()
	}
	a, err := s.store.DecisionAid(ctx, id)
	if apperr.Is(err, apperr.NotFound) || err == nil && a.UserID != u.ID {
		return Aid{}, errNotFound()
	}
	return a, err
}

// Update replaces u's aid id with a after evaluating it.
func (s *Service) Update(ctx context.Context, u *account.User, id string, lock int, a Aid, m account.Meta) (Aid, Result, error) {
	cur, err := s.Get(ctx, u, id)
	if err != nil {
		return cur, Result{}, err
	}
	res, err := s.Evaluate(ctx, &a)
	if err != nil {
		return cur, res, err
	}
	a.ID, a.UserID = cur.ID, cur.UserID
	out, err := s.store.UpdateDecisionAid(ctx, a, lock, audit(u, "decision_aid.update", a.ID, m))
	return out, res, err
}

// Delete removes u's aid id.
func (s *Service) Delete(ctx context.Context, u *account.User, id string, m account.Meta) error {
	a, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	return s.store.DeleteDecisionAid(ctx, a.ID, audit(u, "decision_aid.delete", a.ID, m))
}

// List returns a page of u's saved aids.
func (s *Service) List(ctx context.Context, u *account.User, limit int, after string) (Page, error) {
	if u == nil {
		return Page{}, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	p, err := s.store.DecisionAids(ctx, u.ID, min(limit, MaxLimit), after)
	if err != nil {
		return p, fmt.Errorf("decision: list: %w", err)
	}
	return p, nil
}
