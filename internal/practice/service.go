package practice

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
)

// Page sizes of lists.
const (
	DefaultLimit = 30
	MaxLimit     = 100
	// SimilarLimit is how many examples of similar municipalities a page shows.
	SimilarLimit = 5
)

// Service holds the rules of practice examples.
type Service struct {
	store   Store
	regions Regions
	fields  Taxonomy
	notify  Notifier
	log     *slog.Logger
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// Notifier leaves in-app notifications; the notification centre
// (package notify) is one. The kind of the curators' decisions is
// "practice.review", the actions "published" and "changes".
type Notifier interface {
	Notify(ctx context.Context, userID, kind, action, title, link string) error
}

// WithNotifier makes the service notify the authors of a submitted
// version of the curator's decision; failures go to log.
func (s *Service) WithNotifier(n Notifier, log *slog.Logger) *Service {
	s.notify, s.log = n, log
	return s
}

// notifyReview tells the authors of e's submitted version of a decision.
// It runs after the decision's transaction: the decision stands when a
// notification fails, which is logged.
func (s *Service) notifyReview(ctx context.Context, e Example, action string) {
	if s.notify == nil {
		return
	}
	for _, id := range e.Authors {
		if err := s.notify.Notify(ctx, id, "practice.review", action, e.Working.Title, "/praxisbeispiele/"+e.Slug); err != nil && s.log != nil {
			s.log.Error("practice: review notification", "example", e.Slug, "user", id, "err", err)
		}
	}
}

// NewService returns the service.
func NewService(store Store, regions Regions, fields Taxonomy) *Service {
	return &Service{store: store, regions: regions, fields: fields, Now: time.Now}
}

var (
	errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")
	errConflict  = apperr.New(apperr.Conflict, "practice.error.conflict")
)

func errNotFound() error { return apperr.New(apperr.NotFound, "practice.error.not_found") }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func audit(a Actor, action, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return a.Audit(action, "practice_example", id, m, details)
}

// Actor returns u (nil for a visitor) with their memberships.
func (s *Service) Actor(ctx context.Context, u *account.User) (Actor, error) {
	return org.ActorOf(ctx, s.store, u)
}

// Version changes whenever what the public sees of examples changes (for
// the page cache).
func (s *Service) Version(ctx context.Context) (string, error) { return s.store.PracticeVersion(ctx) }

// forReader returns e as a may see it: without the working version and
// with the contact person only by consent, unless a works on it.
func forReader(a Actor, e Example) Example {
	if Can(a, ActWork, e) {
		return e
	}
	pub := e.Published.Public()
	e.Published, e.Working = &pub, pub
	e.State, e.ReviewNote, e.Authors, e.Editor, e.CreatedBy = Published, "", nil, "", ""
	return e
}

// List returns a page of the examples a may see.
func (s *Service) List(ctx context.Context, a Actor, q Query) (Page, error) {
	if err := s.checkFields(ctx, "field", []string{q.Field}); err != nil && q.Field != "" {
		return Page{}, err
	}
	q.All, q.OrgIDs = a.Curator(), nil
	for _, m := range a.Orgs {
		q.OrgIDs = append(q.OrgIDs, m.OrgID)
	}
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)
	q.Offset = max(q.Offset, 0)
	p, err := s.store.Examples(ctx, q)
	if err != nil {
		return p, fmt.Errorf("practice: list: %w", err)
	}
	for i, e := range p.Items {
		p.Items[i] = forReader(a, e)
	}
	return p, nil
}

// published returns a list of published examples for visitors.
func (s *Service) published(ctx context.Context, q Query) ([]Example, error) {
	q.State = Published
	if q.Limit == 0 {
		q.Limit = 20
	}
	p, err := s.store.Examples(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("practice: published examples: %w", err)
	}
	for i, e := range p.Items {
		p.Items[i] = forReader(Actor{}, e)
	}
	return p.Items, nil
}

// ForSolution returns the published examples that used a solution.
func (s *Service) ForSolution(ctx context.Context, solutionSlug string) ([]Example, error) {
	return s.published(ctx, Query{Solution: solutionSlug})
}

// ForRegion returns the published examples of the organisation with the
// region key (AGS) key.
func (s *Service) ForRegion(ctx context.Context, key string) ([]Example, error) {
	return s.published(ctx, Query{RegionKey: key})
}

// Similar returns published examples of other municipalities of the same
// size band and degree of urbanisation; nil when the band is unknown.
// excludeID and excludeRegion leave out an example and an organisation's
// own examples.
func (s *Service) Similar(ctx context.Context, band region.Band, u region.Urbanisation, excludeID, excludeRegion string) ([]Example, error) {
	if band == "" {
		return nil, nil
	}
	return s.published(ctx, Query{Band: band, Urbanisation: &u, ExcludeID: excludeID, ExcludeRegion: excludeRegion, Limit: SimilarLimit})
}

// InWork returns the examples being written or reviewed, for curators
// (their queue); nil for everyone else.
func (s *Service) InWork(ctx context.Context, a Actor) ([]Example, error) {
	if !a.Curator() {
		return nil, nil
	}
	list, err := s.store.ExamplesInWork(ctx, 200)
	if err != nil {
		return nil, fmt.Errorf("practice: examples in work: %w", err)
	}
	return list, nil
}

// Get returns the example slug as a may see it; apperr.NotFound when a
// may not see it.
func (s *Service) Get(ctx context.Context, a Actor, slug string) (Example, error) {
	e, err := s.store.Example(ctx, slug)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return e, errNotFound()
		}
		return e, fmt.Errorf("practice: example %s: %w", slug, err)
	}
	if !Can(a, ActRead, e) {
		return Example{}, errNotFound()
	}
	return forReader(a, e), nil
}

// Solutions returns the published solutions among slugs with their
// names, in the order of slugs.
func (s *Service) Solutions(ctx context.Context, slugs []string) ([]SolutionRef, error) {
	known, err := s.store.PracticeSolutions(ctx, slugs)
	if err != nil {
		return nil, fmt.Errorf("practice: solutions: %w", err)
	}
	var out []SolutionRef
	for _, sl := range slugs {
		for _, r := range known {
			if r.Slug == sl {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// checkFields adds a message for field when a key is no field of action.
func (s *Service) checkFields(ctx context.Context, field string, list []string) error {
	if s.fields == nil || len(list) == 0 {
		return nil
	}
	all, err := s.fields.All(ctx)
	if err != nil {
		return fmt.Errorf("practice: fields of action: %w", err)
	}
	var known []string
	for _, f := range all {
		known = append(known, f.Key)
		for _, c := range f.Children {
			known = append(known, c.Key)
		}
	}
	var v apperr.Validation
	for _, k := range list {
		if !slices.Contains(known, k) {
			v.Add(field, "practice.error.field", "Key", k)
			break
		}
	}
	return v.Err()
}

// check cleans and validates in completely: its own rules, the fields of
// action and the solutions.
func (s *Service) check(ctx context.Context, in Input) (Input, error) {
	in = in.clean()
	var v apperr.Validation
	in.validate(&v)
	var fe []apperr.FieldError
	if err := s.checkFields(ctx, "fields", in.Fields); err != nil {
		ae, ok := err.(*apperr.Error)
		if !ok {
			return in, err
		}
		fe = append(fe, ae.Fields...)
	}
	if len(in.Solutions) > 0 && len(in.Solutions) <= MaxKeys {
		known, err := s.store.PracticeSolutions(ctx, in.Solutions)
		if err != nil {
			return in, fmt.Errorf("practice: solutions: %w", err)
		}
		for _, sl := range in.Solutions {
			if !slices.ContainsFunc(known, func(r SolutionRef) bool { return r.Slug == sl }) {
				v.Add("solutions", "practice.error.solution", "Slug", sl)
				break
			}
		}
	}
	err := v.Err()
	if len(fe) > 0 {
		if err == nil {
			return in, &apperr.Error{Code: apperr.Invalid, Msg: apperr.Message{Key: "error.invalid"}, Fields: fe}
		}
		err.(*apperr.Error).Fields = append(err.(*apperr.Error).Fields, fe...)
	}
	return in, err
}

// locate fills the example's size band and urbanisation from the register.
func (s *Service) locate(ctx context.Context, e *Example) {
	e.Band, e.Urbanisation = "", region.UrbanisationUnknown
	if s.regions == nil || e.Org.RegionKey == "" {
		return
	}
	var pop int64
	switch org.Kind(e.Org.Kind) {
	case org.Municipality:
		if m, err := s.regions.Municipality(ctx, e.Org.RegionKey); err == nil {
			pop, e.Urbanisation = m.Population, m.Urbanisation
		}
	case org.District:
		if d, err := s.regions.District(ctx, e.Org.RegionKey); err == nil {
			pop = d.Figures.Population
		}
	case org.State:
		if st, err := s.regions.State(ctx, e.Org.RegionKey); err == nil {
			pop = st.Figures.Population
		}
	}
	if pop > 0 {
		e.Band = region.BandOf(pop)
	}
}

// Create stores a new draft of the organisation orgSlug, which must be
// one of a's verified public bodies (else the field "org" is invalid).
func (s *Service) Create(ctx context.Context, a Actor, orgSlug string, in Input, m account.Meta) (Example, error) {
	if a.User == nil {
		return Example{}, errForbidden
	}
	var owner *org.Membership
	for _, mb := range a.PublicBodies() {
		if mb.OrgSlug == orgSlug {
			owner = &mb
		}
	}
	in, err := s.check(ctx, in)
	if owner == nil {
		var v apperr.Validation
		v.Add("org", "practice.error.org")
		if err == nil {
			err = v.Err()
		} else if ea, ok := err.(*apperr.Error); ok {
			ea.Fields = append(ea.Fields, v.Err().(*apperr.Error).Fields...)
		}
	}
	if err != nil {
		return Example{}, err
	}
	ref, err := s.store.PracticeOrg(ctx, owner.OrgID)
	if err != nil {
		return Example{}, fmt.Errorf("practice: organisation %s: %w", orgSlug, err)
	}
	now := s.Now().UTC()
	e := Example{ID: newID(), Org: ref, Working: in.Content, State: Draft, Editor: a.User.ID, Authors: []string{a.User.ID},
		CreatedBy: a.User.ID, Created: now, Updated: now}
	e.Slug = org.Slug(in.Title)
	if e.Slug == "organisation" {
		e.Slug = "praxisbeispiel"
	}
	s.locate(ctx, &e)
	out, err := s.store.CreateExample(ctx, e, audit(a, "practice.created", e.ID, m, map[string]any{"title": in.Title, "org": orgSlug}))
	if err != nil {
		return out, fmt.Errorf("practice: create: %w", err)
	}
	return out, nil
}

// workable returns the example slug for an actor who may act on it:
// apperr.NotFound when they may not even see it, Forbidden otherwise.
func (s *Service) workable(ctx context.Context, a Actor, slug string, act Action) (Example, error) {
	e, err := s.store.Example(ctx, slug)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return e, errNotFound()
		}
		return e, fmt.Errorf("practice: example %s: %w", slug, err)
	}
	if !Can(a, act, e) {
		if !Can(a, ActRead, e) {
			return Example{}, errNotFound()
		}
		if a.User == nil {
			return Example{}, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
		}
		return e, errForbidden
	}
	return e, nil
}

// Update writes the working version, which becomes a draft again; the
// published version stays public until the new one is reviewed. A
// submitted version cannot change until it is reviewed or withdrawn.
func (s *Service) Update(ctx context.Context, a Actor, slug string, in Input, m account.Meta) (Example, error) {
	e, err := s.workable(ctx, a, slug, ActEdit)
	if err != nil {
		return e, err
	}
	if !CanMove(e.State, Draft) || e.State == Submitted {
		return e, apperr.New(apperr.Conflict, "practice.error.in_review")
	}
	if in.Lock != 0 && in.Lock != e.Lock {
		return e, errConflict
	}
	in, err = s.check(ctx, in)
	if err != nil {
		return e, err
	}
	from := e.State
	e.Working, e.State, e.Editor = in.Content, Draft, a.User.ID
	if !slices.Contains(e.Authors, a.User.ID) {
		e.Authors = append(e.Authors, a.User.ID)
	}
	s.locate(ctx, &e)
	out, err := s.store.SaveExample(ctx, e, from, audit(a, "practice.saved", e.ID, m, map[string]any{"title": in.Title}))
	if err != nil {
		return out, fmt.Errorf("practice: save %s: %w", slug, err)
	}
	return out, nil
}

// Submit hands the working version to a curator's review.
func (s *Service) Submit(ctx context.Context, a Actor, slug string, m account.Meta) (Example, error) {
	e, err := s.workable(ctx, a, slug, ActEdit)
	if err != nil {
		return e, err
	}
	if e.State != Draft && e.State != ChangesRequested {
		return e, apperr.New(apperr.Conflict, "practice.error.not_draft")
	}
	return s.move(ctx, a, e, Submitted, "practice.submitted", m, nil)
}

// Withdraw takes a submitted version back from review into a draft.
func (s *Service) Withdraw(ctx context.Context, a Actor, slug string, m account.Meta) (Example, error) {
	e, err := s.workable(ctx, a, slug, ActEdit)
	if err != nil {
		return e, err
	}
	if e.State != Submitted {
		return e, apperr.New(apperr.Conflict, "practice.error.not_submitted")
	}
	return s.move(ctx, a, e, Draft, "practice.withdrawn", m, nil)
}

func (s *Service) move(ctx context.Context, a Actor, e Example, to State, action string, m account.Meta, details map[string]any) (Example, error) {
	from := e.State
	e.State = to
	out, err := s.store.SaveExample(ctx, e, from, audit(a, action, e.ID, m, details))
	if err != nil {
		return out, fmt.Errorf("practice: %s %s: %w", action, e.Slug, err)
	}
	return out, nil
}

// Review publishes the submitted version or returns it with a comment
// (required then). The reviewer must be a curator who did not write it.
func (s *Service) Review(ctx context.Context, a Actor, slug string, publish bool, comment string, m account.Meta) (Example, error) {
	e, err := s.workable(ctx, a, slug, ActRead)
	if err != nil {
		return e, err
	}
	if !a.Curator() {
		return e, errForbidden
	}
	if e.State != Submitted {
		return e, apperr.New(apperr.Conflict, "practice.error.not_submitted")
	}
	if !Can(a, ActReview, e) {
		return e, apperr.New(apperr.Forbidden, "practice.error.four_eyes")
	}
	comment = strings.TrimSpace(comment)
	var v apperr.Validation
	v.Text("comment", comment, MaxNote, !publish)
	if err := v.Err(); err != nil {
		return e, err
	}
	if !publish {
		e.ReviewNote = comment
		out, err := s.move(ctx, a, e, ChangesRequested, "practice.changes_requested", m, map[string]any{"comment": comment})
		if err == nil {
			s.notifyReview(ctx, e, "changes")
		}
		return out, err
	}
	if err := s.store.PublishExample(ctx, e, a.User.ID, audit(a, "practice.published", e.ID, m,
		map[string]any{"version": e.Version + 1, "comment": comment})); err != nil {
		return e, fmt.Errorf("practice: publish %s: %w", slug, err)
	}
	s.notifyReview(ctx, e, "published")
	return s.Get(ctx, a, slug)
}

// Archive takes the example off the public pages; the organisation may
// edit and submit it again later.
func (s *Service) Archive(ctx context.Context, a Actor, slug string, m account.Meta) error {
	e, err := s.workable(ctx, a, slug, ActArchive)
	if err != nil {
		if apperr.Is(err, apperr.Forbidden) && e.State == Archived {
			return apperr.New(apperr.Conflict, "practice.error.archived")
		}
		return err
	}
	if err := s.store.ArchiveExample(ctx, e, audit(a, "practice.archived", e.ID, m, map[string]any{"from": string(e.State)})); err != nil {
		return fmt.Errorf("practice: archive %s: %w", slug, err)
	}
	return nil
}
