package exploration

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
)

// Store is the database of explorations. Reads return apperr.NotFound
// for unknown ids; writes run in one transaction with their audit entry
// and return apperr.Conflict ("exploration.error.stale") when lock is
// outdated.
type Store interface {
	CreateExploration(ctx context.Context, e Exploration, audit account.AuditEntry) (Exploration, error)
	Exploration(ctx context.Context, id string) (Exploration, error)
	// Explorations returns the explorations of the organisations, newest
	// first, at most limit.
	Explorations(ctx context.Context, orgIDs []string, limit int) ([]Exploration, error)
	// AskedExplorations returns the sent or closed explorations that
	// asked one of the organisations, newest first, at most limit.
	AskedExplorations(ctx context.Context, orgIDs []string, limit int) ([]Exploration, error)
	// UpdateExploration saves everything but the snapshot under optimistic locking.
	UpdateExploration(ctx context.Context, e Exploration, lock int, audit account.AuditEntry) (Exploration, error)
	// SaveAnswer inserts or replaces the answer of a.Org.ID; Submitted
	// is kept from the first answer.
	SaveAnswer(ctx context.Context, a Answer, audit account.AuditEntry) (Answer, error)
	Answers(ctx context.Context, explorationID string) ([]Answer, error)
	AddReport(ctx context.Context, r Report, audit account.AuditEntry) error
	// ReportsByHash returns the reports issued with that SHA-256 (none: empty).
	ReportsByHash(ctx context.Context, sha string) ([]Report, error)
	UserMemberships(ctx context.Context, userID string) ([]org.Membership, error)
	Members(ctx context.Context, orgID string) ([]org.Membership, error)
}

// Needs gives the needs and their matches (need.Service).
type Needs interface {
	Get(ctx context.Context, a need.Actor, slug string) (need.Need, error)
	Matches(ctx context.Context, n need.Need, limit int) ([]need.Match, error)
}

// Searcher runs catalogue searches (search.Service).
type Searcher interface {
	Search(ctx context.Context, q search.Query) (search.Result, error)
	UsesByBand(ctx context.Context, ids []string) (map[string]map[region.Band]int, error)
}

// Notifier notifies users (notify.Service).
type Notifier interface {
	Notify(ctx context.Context, userID, kind, action, title, link string) error
}

// KindRFI is the notification kind of a questionnaire sent to a provider.
const KindRFI = "exploration.rfi"

// Service holds the rules of explorations.
type Service struct {
	store  Store
	needs  Needs
	search Searcher
	notify Notifier
	texts  account.Texts
	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// Log receives failures that do not undo an action (notifications).
	Log *slog.Logger
}

// NewService returns the service. needs, search and notify may be nil:
// starting from a need or a search, or notifying, is then unavailable.
func NewService(st Store, needs Needs, s Searcher, n Notifier, texts account.Texts) *Service {
	return &Service{store: st, needs: needs, search: s, notify: n, texts: texts, Now: time.Now, Log: slog.Default()}
}

var errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")

func errNotFound() error { return apperr.New(apperr.NotFound, "exploration.error.not_found") }

func errClosed() error { return apperr.New(apperr.Conflict, "exploration.error.closed") }

func audit(a Actor, action, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return a.Audit(action, "exploration", id, m, details)
}

// Actor returns u (nil for a visitor) with their memberships.
func (s *Service) Actor(ctx context.Context, u *account.User) (Actor, error) {
	return org.ActorOf(ctx, s.store, u)
}

// Lists are the explorations of a user's organisations and those that
// asked them.
type Lists struct {
	Own, Asked []Exploration
}

// MaxList bounds each list.
const MaxList = 200

// List returns the explorations the actor's organisations run and those
// that asked them.
func (s *Service) List(ctx context.Context, a Actor) (Lists, error) {
	var l Lists
	if a.User == nil {
		return l, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
	}
	var ids []string
	for _, m := range a.Orgs {
		ids = append(ids, m.OrgID)
	}
	if len(ids) == 0 {
		return l, nil
	}
	var err error
	if l.Own, err = s.store.Explorations(ctx, ids, MaxList); err != nil {
		return l, fmt.Errorf("exploration: list: %w", err)
	}
	if l.Asked, err = s.store.AskedExplorations(ctx, ids, MaxList); err != nil {
		return l, fmt.Errorf("exploration: list asked: %w", err)
	}
	return l, nil
}

// Get returns the exploration id if a may see it whole or answer it;
// apperr.NotFound otherwise (ids reveal nothing).
func (s *Service) Get(ctx context.Context, a Actor, id string) (Exploration, error) {
	if uuid.Validate(id) != nil {
		return Exploration{}, errNotFound()
	}
	if a.User != nil && len(a.Orgs) == 0 {
		// Without any organisation one takes part in no exploration;
		// saying so reveals nothing about this one.
		return Exploration{}, apperr.New(apperr.Forbidden, "exploration.error.no_org")
	}
	e, err := s.store.Exploration(ctx, id)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return e, errNotFound()
		}
		return e, err
	}
	if !Can(a, ActView, e) && !Can(a, ActAnswer, e) {
		return Exploration{}, errNotFound()
	}
	return e, nil
}

// editable returns the exploration id if a may edit it and it is open.
func (s *Service) editable(ctx context.Context, a Actor, id string) (Exploration, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return e, err
	}
	if !Can(a, ActView, e) {
		return Exploration{}, errNotFound() // a provider asked: the buyer's side stays hidden
	}
	if !Can(a, ActEdit, e) {
		return e, errForbidden
	}
	if e.State == Closed {
		return e, errClosed()
	}
	return e, nil
}

// Start says where an exploration starts from.
type Start struct {
	Org   string // slug of the buyer organisation; "" for the need's owner or the first public body
	Title string // "" for a title from the need or the search
	Need  string // slug of the need, or
	Query string // the search as /loesungen query
}

// Create freezes the candidates of st.Need's matches or st.Query's
// results (the first MaxCandidates) into a new draft exploration of a's
// public body. Criteria are prefilled from the need's requirements.
func (s *Service) Create(ctx context.Context, a Actor, st Start, m account.Meta) (Exploration, error) {
	if a.User == nil {
		return Exploration{}, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
	}
	var v apperr.Validation
	st.Title, st.Need, st.Query = strings.TrimSpace(st.Title), strings.TrimSpace(st.Need), strings.TrimSpace(st.Query)
	v.Text("title", st.Title, MaxTitle, false)
	if (st.Need == "") == (st.Query == "") {
		v.Add("source", "exploration.error.source")
	}
	if len(st.Query) > MaxQueryLength {
		v.Add("query", "form.error.too_long", "Max", MaxQueryLength)
	}
	if err := v.Err(); err != nil {
		return Exploration{}, err
	}
	now := s.Now().UTC()
	e := Exploration{ID: uuid.Must(uuid.NewV7()).String(), State: Draft, CreatedBy: a.User.ID, CreatedLabel: a.User.Email,
		Criteria: []Criterion{}, Questions: []Question{}, Providers: []string{}, Scores: []Score{}}
	snap := Snapshot{Taken: now}
	ownerHint := ""
	if st.Need != "" {
		if s.needs == nil {
			return e, errNotFound()
		}
		n, err := s.needs.Get(ctx, a, st.Need)
		if err != nil {
			return e, err
		}
		ms, err := s.needs.Matches(ctx, n, MaxCandidates)
		if err != nil {
			return e, fmt.Errorf("exploration: matches of %s: %w", n.Slug, err)
		}
		e.Source, e.NeedID, e.NeedSlug, e.NeedTitle, snap.Source, snap.Need = FromNeed, n.ID, n.Slug, n.Title, FromNeed, n.Title
		for _, mt := range ms {
			c := candidateOf(mt.Solution, mt.Users, now)
			score, q := mt.Score, mt.Qualified
			c.MatchScore, c.Qualified = &score, &q
			snap.Candidates = append(snap.Candidates, c)
		}
		e.Criteria = criteriaOf(n.Reqs)
		ownerHint = n.Org.ID
		if st.Title == "" {
			st.Title = n.Title
		}
	} else {
		if s.search == nil {
			return e, errNotFound()
		}
		var qv apperr.Validation
		raw := strings.TrimPrefix(st.Query, "?")
		q := search.ReadPageQuery(parseQuery(raw, &qv), &qv)
		if err := qv.Err(); err != nil {
			return e, err
		}
		q.Limit, q.After = MaxCandidates, ""
		res, err := s.search.Search(ctx, q)
		if err != nil {
			return e, fmt.Errorf("exploration: search: %w", err)
		}
		ids := make([]string, 0, len(res.Items))
		for _, h := range res.Items {
			ids = append(ids, h.Solution.ID)
		}
		uses, err := s.search.UsesByBand(ctx, ids)
		if err != nil {
			return e, fmt.Errorf("exploration: uses: %w", err)
		}
		for _, h := range res.Items {
			n := 0
			for _, c := range uses[h.Solution.ID] {
				n += c
			}
			snap.Candidates = append(snap.Candidates, candidateOf(h.Solution, n, now))
		}
		e.Source, e.Query, snap.Source, snap.Query = FromSearch, search.PageQuery(q).Encode(), FromSearch, search.PageQuery(q).Encode()
		if st.Title == "" {
			st.Title = q.Text
		}
	}
	if len(snap.Candidates) == 0 {
		v.Add("source", "exploration.error.no_candidates")
		return e, v.Err()
	}
	if snap.Candidates == nil {
		snap.Candidates = []Candidate{}
	}
	buyer, ok := s.buyer(a, st.Org, ownerHint)
	if !ok {
		v.Add("org", "exploration.error.org")
		return e, v.Err()
	}
	if st.Title == "" {
		st.Title = s.texts.T("de", "exploration.default_title")
	}
	if utf8.RuneCountInString(st.Title) > MaxTitle {
		st.Title = string([]rune(st.Title)[:MaxTitle])
	}
	e.Org, e.Title = OrgRef{ID: buyer.OrgID, Slug: buyer.OrgSlug, Name: buyer.OrgName}, st.Title
	var err error
	if e.Snapshot, e.SnapshotHash, err = snap.Encode(); err != nil {
		return e, err
	}
	e.SnapshotAt = now
	out, err := s.store.CreateExploration(ctx, e, audit(a, "exploration.created", e.ID, m,
		map[string]any{"title": e.Title, "source": e.Source, "need": e.NeedSlug, "query": e.Query, "candidates": len(snap.Candidates), "snapshot_sha256": e.SnapshotHash}))
	if err != nil {
		return out, fmt.Errorf("exploration: create: %w", err)
	}
	return out, nil
}

// buyer picks the actor's public body: orgSlug when given, else the
// need's owner when the actor belongs to it, else the first.
func (s *Service) buyer(a Actor, orgSlug, ownerID string) (org.Membership, bool) {
	bodies := a.PublicBodies()
	for _, b := range bodies {
		if orgSlug != "" && b.OrgSlug == orgSlug || orgSlug == "" && b.OrgID == ownerID {
			return b, true
		}
	}
	if orgSlug == "" && len(bodies) > 0 {
		return bodies[0], true
	}
	return org.Membership{}, false
}

// parseQuery reads a URL query; a malformed one is a field message.
func parseQuery(raw string, v *apperr.Validation) url.Values {
	values, err := url.ParseQuery(raw)
	if err != nil {
		v.Add("query", "error.param.malformed")
		return url.Values{}
	}
	return values
}

// criteriaOf prefills criteria from a need's requirements: every
// requirement becomes a criterion (must ones as exclusion criteria of
// weight 10, should ones with their weight), and the weights are scaled
// to sum to 100 by the largest-remainder method.
func criteriaOf(reqs []need.Requirement) []Criterion {
	out := []Criterion{}
	total := 0
	for _, r := range reqs {
		name := r.Text
		if name == "" {
			name = r.Attribute
		}
		w := r.Weight
		if r.Kind == need.Must || w <= 0 {
			w = need.MaxWeight
		}
		total += w
		out = append(out, Criterion{Name: name, Weight: w, Exclusion: r.Kind == need.Must})
	}
	if len(out) == 0 || len(out) > WeightSum {
		return out
	}
	rest := make([]int, len(out))
	sum := 0
	for i := range out {
		scaled := out[i].Weight * WeightSum
		out[i].Weight, rest[i] = scaled/total, scaled%total
		sum += out[i].Weight
	}
	for sum < WeightSum {
		best := 0
		for i := range rest {
			if rest[i] > rest[best] {
				best = i
			}
		}
		out[best].Weight++
		rest[best] = -1
		sum++
	}
	for i := range out {
		out[i].Weight = max(out[i].Weight, 1)
	}
	return out
}
