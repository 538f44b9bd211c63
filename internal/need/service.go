package need

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
)

// Page sizes of lists.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Query asks for a page of needs.
type Query struct {
	Field string // field of action; "" for all
	State State  // "" for open and closed
	Limit int
	After string // cursor: id of the last need of the previous page
	// Set by the service from the actor: which needs the list may show.
	All       bool     // every need (curators)
	Providers bool     // providers-only needs too
	OrgIDs    []string // the actor's organisations: their drafts too
}

// Page is a page of needs, newest first.
type Page struct {
	Items []Need
	Total int
	Next  string // cursor; "" on the last page
}

// Store is the database of needs. Reads return apperr.NotFound for
// unknown needs; writes run in one transaction with their audit entry and
// return apperr.Conflict ("need.error.stale") when lock is outdated.
type Store interface {
	// CreateNeed stores n under a free slug based on n.Slug.
	CreateNeed(ctx context.Context, n Need, audit account.AuditEntry) (Need, error)
	UpdateNeed(ctx context.Context, n Need, lock int, audit account.AuditEntry) (Need, error)
	SetNeedState(ctx context.Context, id string, st State, lock int, audit account.AuditEntry) error
	NeedBySlug(ctx context.Context, slug string) (Need, error)
	Needs(ctx context.Context, q Query) (Page, error)
	// JoinNeed records that orgID needs it too; apperr.Conflict
	// ("need.error.joined") when it has joined already.
	JoinNeed(ctx context.Context, needID, orgID, userID string, audit account.AuditEntry) error
	// LeaveNeed removes the organisation; apperr.NotFound when it has not joined.
	LeaveNeed(ctx context.Context, needID, orgID string, audit account.AuditEntry) error
	UserMemberships(ctx context.Context, userID string) ([]org.Membership, error)
}

// Regions gives the population of the bodies behind needs.
type Regions interface {
	Municipality(ctx context.Context, ags string) (region.Municipality, error)
	District(ctx context.Context, key string) (region.District, error)
	State(ctx context.Context, key string) (region.State, error)
}

// Taxonomy is the list of fields of action.
type Taxonomy interface {
	All(ctx context.Context) ([]catalog.Field, error)
}

// Service holds the rules of needs.
type Service struct {
	store   Store
	regions Regions
	fields  Taxonomy
	match   *Matcher
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the service; cat answers the matching.
func NewService(store Store, regions Regions, fields Taxonomy, cat Catalogue) *Service {
	return &Service{store: store, regions: regions, fields: fields, match: NewMatcher(cat), Now: time.Now}
}

var errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")

func errNotFound() error { return apperr.New(apperr.NotFound, "need.error.not_found") }

func audit(a Actor, action, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return a.Audit(action, "need", id, m, details)
}

// Actor returns u (nil for a visitor) with their memberships.
func (s *Service) Actor(ctx context.Context, u *account.User) (Actor, error) {
	return org.ActorOf(ctx, s.store, u)
}

// List returns a page of the needs a may see.
func (s *Service) List(ctx context.Context, a Actor, q Query) (Page, error) {
	if err := s.checkField(ctx, q.Field); err != nil {
		return Page{}, err
	}
	q.All, q.Providers, q.OrgIDs = a.Curator(), a.User != nil && a.Provider(), nil
	for _, m := range a.Orgs {
		q.OrgIDs = append(q.OrgIDs, m.OrgID)
	}
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)
	p, err := s.store.Needs(ctx, q)
	if err != nil {
		return p, fmt.Errorf("need: list: %w", err)
	}
	for i := range p.Items {
		s.population(ctx, &p.Items[i].Org)
	}
	return p, nil
}

// Get returns the need slug if a may see it, with the populations of
// its organisations; apperr.NotFound otherwise.
func (s *Service) Get(ctx context.Context, a Actor, slug string) (Need, error) {
	n, err := s.store.NeedBySlug(ctx, slug)
	if err != nil {
		return n, err
	}
	if !Can(a, ActView, n) {
		return Need{}, errNotFound()
	}
	s.population(ctx, &n.Org)
	for i := range n.Joined {
		s.population(ctx, &n.Joined[i].Org)
	}
	return n, nil
}

// population fills o.Population from the register; unknown keys leave 0.
func (s *Service) population(ctx context.Context, o *OrgRef) {
	if s.regions == nil || o.RegionKey == "" {
		return
	}
	switch org.Kind(o.Kind) {
	case org.Municipality:
		if m, err := s.regions.Municipality(ctx, o.RegionKey); err == nil {
			o.Population = m.Population
		}
	case org.District:
		if d, err := s.regions.District(ctx, o.RegionKey); err == nil {
			o.Population = d.Figures.Population
		}
	case org.State:
		if st, err := s.regions.State(ctx, o.RegionKey); err == nil {
			o.Population = st.Figures.Population
		}
	}
}

// Band returns the size band for the peer evidence of n: its owner's
// when a municipality, else that of the inhabitants concerned.
func Band(n Need) region.Band {
	switch {
	case org.Kind(n.Org.Kind) == org.Municipality && n.Org.Population > 0:
		return region.BandOf(n.Org.Population)
	case n.Inhabitants > 0:
		return region.BandOf(n.Inhabitants)
	}
	return ""
}

// checkField adds a field message when key is no field of action.
func (s *Service) checkField(ctx context.Context, key string) error {
	if key == "" || s.fields == nil {
		return nil
	}
	all, err := s.fields.All(ctx)
	if err != nil {
		return fmt.Errorf("need: fields of action: %w", err)
	}
	for _, f := range all {
		if f.Key == key {
			return nil
		}
		for _, c := range f.Children {
			if c.Key == key {
				return nil
			}
		}
	}
	var v apperr.Validation
	v.Add("field", "need.error.field")
	return v.Err()
}

// validate checks in completely: its fields, then the field of action.
func (s *Service) validate(ctx context.Context, in *Input) error {
	err := in.Validate()
	ferr := s.checkField(ctx, in.Field)
	if ferr != nil {
		if _, ok := ferr.(*apperr.Error); !ok {
			return ferr
		}
		if err == nil {
			return ferr
		}
		if ea, ok := err.(*apperr.Error); ok {
			ea.Fields = append(ea.Fields, ferr.(*apperr.Error).Fields...)
		}
	}
	return err
}

func apply(n *Need, in Input) {
	n.Title, n.Problem, n.Field, n.Reqs = in.Title, in.Problem, in.Field, in.Reqs
	n.Delivery, n.Hosting, n.Evidence = orEmpty(in.Delivery), in.Hosting, orEmpty(in.Evidence)
	n.BudgetMin, n.BudgetMax, n.Start, n.End = in.BudgetMin, in.BudgetMax, in.Start, in.End
	n.Inhabitants, n.Users, n.Visibility = in.Inhabitants, in.Users, in.Visibility
}

func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// InputOf returns the input that reproduces n, to fill an edit form.
func InputOf(n Need) Input {
	return Input{Title: n.Title, Problem: n.Problem, Field: n.Field, Reqs: n.Reqs, Delivery: n.Delivery, Hosting: n.Hosting,
		Evidence: n.Evidence, BudgetMin: n.BudgetMin, BudgetMax: n.BudgetMax, Start: n.Start, End: n.End,
		Inhabitants: n.Inhabitants, Users: n.Users, Visibility: n.Visibility, Publish: n.State != Draft}
}

// Create stores a new need of the organisation orgSlug (one of a's
// verified public bodies): a draft, or open with in.Publish. Without
// such an organisation the field "org" is invalid, as for any other
// organisation that may not write needs.
func (s *Service) Create(ctx context.Context, a Actor, orgSlug string, in Input, m account.Meta) (Need, error) {
	var owner *org.Membership
	for _, mb := range a.PublicBodies() {
		if mb.OrgSlug == orgSlug {
			owner = &mb
		}
	}
	if a.User == nil {
		return Need{}, errForbidden
	}
	err := s.validate(ctx, &in)
	if owner == nil {
		var v apperr.Validation
		v.Add("org", "need.error.org")
		if err == nil {
			err = v.Err()
		} else if ea, ok := err.(*apperr.Error); ok {
			ea.Fields = append(ea.Fields, v.Err().(*apperr.Error).Fields...)
		}
	}
	if err != nil {
		return Need{}, err
	}
	n := Need{ID: uuid.Must(uuid.NewV7()).String(), Org: OrgRef{ID: owner.OrgID}, State: Draft, CreatedBy: a.User.ID}
	apply(&n, in)
	if in.Publish {
		n.State = Open
	}
	n.Slug = org.Slug(n.Title)
	if n.Slug == "organisation" {
		n.Slug = "bedarf"
	}
	out, err := s.store.CreateNeed(ctx, n, audit(a, "need.created", n.ID, m, map[string]any{"title": n.Title, "state": string(n.State)}))
	if err != nil {
		return out, fmt.Errorf("need: create: %w", err)
	}
	return out, nil
}

// editable returns the need slug if a may edit it.
func (s *Service) editable(ctx context.Context, a Actor, slug string) (Need, error) {
	n, err := s.store.NeedBySlug(ctx, slug)
	if err != nil {
		return n, err
	}
	if !Can(a, ActEdit, n) {
		if !Can(a, ActView, n) {
			return Need{}, errNotFound()
		}
		return Need{}, errForbidden
	}
	return n, nil
}

// Update saves a changed need; a draft opens with in.Publish. A closed
// need cannot change.
func (s *Service) Update(ctx context.Context, a Actor, slug string, lock int, in Input, m account.Meta) (Need, error) {
	n, err := s.editable(ctx, a, slug)
	if err != nil {
		return n, err
	}
	if n.State == Closed {
		return n, apperr.New(apperr.Conflict, "need.error.closed")
	}
	if err := s.validate(ctx, &in); err != nil {
		return n, err
	}
	apply(&n, in)
	action, details := "need.updated", map[string]any{"title": n.Title}
	if n.State == Draft && in.Publish {
		n.State = Open
		action, details["state"] = "need.opened", string(Open)
	}
	out, err := s.store.UpdateNeed(ctx, n, lock, audit(a, action, n.ID, m, details))
	if err != nil {
		return out, fmt.Errorf("need: update %s: %w", slug, err)
	}
	return out, nil
}

// Close closes the need: it stays visible but takes no more changes.
func (s *Service) Close(ctx context.Context, a Actor, slug string, lock int, m account.Meta) error {
	n, err := s.editable(ctx, a, slug)
	if err != nil {
		return err
	}
	if n.State == Closed {
		return apperr.New(apperr.Conflict, "need.error.closed")
	}
	if err := s.store.SetNeedState(ctx, n.ID, Closed, lock, audit(a, "need.closed", n.ID, m, map[string]any{"from": string(n.State)})); err != nil {
		return fmt.Errorf("need: close %s: %w", slug, err)
	}
	return nil
}

// joiner returns the need and a's public body orgSlug that may join it.
func (s *Service) joiner(ctx context.Context, a Actor, slug, orgSlug string) (Need, org.Membership, error) {
	n, err := s.Get(ctx, a, slug)
	if err != nil {
		return n, org.Membership{}, err
	}
	for _, mb := range Joinable(a, n) {
		if mb.OrgSlug == orgSlug || orgSlug == "" {
			return n, mb, nil
		}
	}
	if a.User == nil {
		return n, org.Membership{}, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
	}
	return n, org.Membership{}, errForbidden
}

// Join records that a's organisation orgSlug ("" for the first that may)
// needs n too.
func (s *Service) Join(ctx context.Context, a Actor, slug, orgSlug string, m account.Meta) error {
	n, mb, err := s.joiner(ctx, a, slug, orgSlug)
	if err != nil {
		return err
	}
	if n.HasJoined(mb.OrgID) {
		return apperr.New(apperr.Conflict, "need.error.joined")
	}
	if err := s.store.JoinNeed(ctx, n.ID, mb.OrgID, a.User.ID, audit(a, "need.joined", n.ID, m, map[string]any{"org": mb.OrgSlug})); err != nil {
		return fmt.Errorf("need: join %s: %w", slug, err)
	}
	return nil
}

// Leave removes a's organisation orgSlug from the need.
func (s *Service) Leave(ctx context.Context, a Actor, slug, orgSlug string, m account.Meta) error {
	n, err := s.Get(ctx, a, slug)
	if err != nil {
		return err
	}
	for _, mb := range a.PublicBodies() {
		if (mb.OrgSlug == orgSlug || orgSlug == "") && n.HasJoined(mb.OrgID) {
			if err := s.store.LeaveNeed(ctx, n.ID, mb.OrgID, audit(a, "need.left", n.ID, m, map[string]any{"org": mb.OrgSlug})); err != nil {
				return fmt.Errorf("need: leave %s: %w", slug, err)
			}
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "need.error.not_joined")
}

// Matches ranks catalogue solutions for the need (see Matcher.Match).
func (s *Service) Matches(ctx context.Context, n Need, limit int) ([]Match, error) {
	return s.match.Match(ctx, n, Band(n), limit)
}
