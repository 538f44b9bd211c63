package offer

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/org"
)

// Store is the database of offers and questions. Reads return
// apperr.NotFound for unknown rows; writes run in one transaction with
// their audit entry and return apperr.Conflict ("offer.error.stale")
// when lock is outdated.
type Store interface {
	// ProviderSolutions returns the organisation's published, not
	// archived solutions, by name.
	ProviderSolutions(ctx context.Context, orgID string) ([]SolutionRef, error)
	// CreateOffer stores a new offer with its files and records the
	// provider as responding to the need; apperr.Conflict
	// ("offer.error.exists") when the organisation has one already.
	CreateOffer(ctx context.Context, o Offer, files []Attachment, audit account.AuditEntry) (Offer, error)
	// UpdateOffer saves a changed offer, adds files and removes the
	// attachments remove.
	UpdateOffer(ctx context.Context, o Offer, lock int, files []Attachment, remove []string, audit account.AuditEntry) (Offer, error)
	// SetOfferState changes the state (and the owners' reason).
	SetOfferState(ctx context.Context, id string, st State, reason string, lock int, audit account.AuditEntry) error
	Offer(ctx context.Context, id string) (Offer, error)
	// OfferOf returns the offer of an organisation on a need.
	OfferOf(ctx context.Context, needID, orgID string) (Offer, error)
	// NeedOffers returns the offers of a need, drafts left out.
	NeedOffers(ctx context.Context, needID string) ([]Offer, error)
	OfferAttachment(ctx context.Context, offerID, id string) (Attachment, error)
	// AddQuestion stores a question or statement; a provider's question
	// also records the provider as responding to the need.
	AddQuestion(ctx context.Context, q Question, audit account.AuditEntry) error
	// AnswerQuestion stores the answer; apperr.Conflict
	// ("offer.error.answered") when it has one.
	AnswerQuestion(ctx context.Context, needID, id, answer, by string, audit account.AuditEntry) (Question, error)
	Questions(ctx context.Context, needID string) ([]Question, error)
	// AudienceMembers returns the users of the providers a need concerns.
	AudienceMembers(ctx context.Context, needID string) ([]string, error)
	// OrgMemberIDs returns the users of an organisation.
	OrgMemberIDs(ctx context.Context, orgID string) ([]string, error)
	NeedBySlug(ctx context.Context, slug string) (need.Need, error)
	SweepStore
}

// Needs is what offers ask of the needs service.
type Needs interface {
	Get(ctx context.Context, a need.Actor, slug string) (need.Need, error)
	Matches(ctx context.Context, n need.Need, limit int) ([]need.Match, error)
}

// Notifier delivers notifications (notify.Service).
type Notifier interface {
	Notify(ctx context.Context, userID, kind, action, title, link string) error
}

// Service holds the rules of offers and questions.
type Service struct {
	store Store
	needs Needs
	notes Notifier
	log   *slog.Logger
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the service; notes may be nil (no notifications).
func NewService(store Store, needs Needs, notes Notifier, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, needs: needs, notes: notes, log: log, Now: time.Now}
}

var (
	errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")
	// errNoParty refuses who may see a need but neither owns it nor
	// offers on it.
	errNoParty = apperr.New(apperr.Forbidden, "offer.error.no_party")
)

func errNotFound() error { return apperr.New(apperr.NotFound, "offer.error.not_found") }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func audit(a need.Actor, action, typ, id string, m account.Meta, details map[string]any) account.AuditEntry {
	e := account.AuditEntry{ID: newID(), Action: action, ObjectType: typ, ObjectID: id, Details: details, IP: m.IP}
	if a.User != nil {
		e.ActorID, e.ActorLabel = a.User.ID, a.User.Email
	}
	return e
}

// Role is what an actor is to a need.
type Role struct {
	Owner bool // a member of the owning organisation (verified)
	// Provider is the organisation the actor offers for (nil when none),
	// with its published solutions.
	Provider  *org.Membership
	Solutions []SolutionRef
}

// Party reports whether the role takes part in offers and questions.
func (r Role) Party() bool { return r.Owner || r.Provider != nil }

// today returns the date in Germany, as UTC midnight.
func (s *Service) today() time.Time {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.UTC
	}
	y, m, d := s.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Offerable reports whether providers may answer n: open and seen by
// providers.
func Offerable(n need.Need) bool {
	return n.State == need.Open && (n.Visibility == need.Public || n.Visibility == need.Providers)
}

// Role returns what a is to the need n. A provider is a member of a
// verified organisation other than the owner that owns a published
// solution, on a need it may see that is not a draft; orgSlug chooses
// among several such organisations ("" for the first).
func (s *Service) Role(ctx context.Context, a need.Actor, n need.Need, orgSlug string) (Role, error) {
	var r Role
	if a.User == nil {
		return r, nil
	}
	r.Owner = need.Can(a, need.ActEdit, n)
	if r.Owner || n.State == need.Draft || n.Visibility == need.Private || !need.Can(a, need.ActView, n) {
		return r, nil
	}
	for _, m := range a.Orgs {
		if !m.Verified || m.OrgID == n.Org.ID || (orgSlug != "" && m.OrgSlug != orgSlug) {
			continue
		}
		sols, err := s.store.ProviderSolutions(ctx, m.OrgID)
		if err != nil {
			return r, fmt.Errorf("offer: solutions of %s: %w", m.OrgSlug, err)
		}
		if len(sols) > 0 {
			r.Provider, r.Solutions = &m, sols
			return r, nil
		}
	}
	return r, nil
}

// context returns the need slug that a may see and a's role.
func (s *Service) context(ctx context.Context, a need.Actor, slug, orgSlug string) (need.Need, Role, error) {
	n, err := s.needs.Get(ctx, a, slug)
	if err != nil {
		return n, Role{}, err
	}
	r, err := s.Role(ctx, a, n, orgSlug)
	return n, r, err
}

// Own returns the need slug, a's provider role and its offer on it (nil
// when it has none yet); apperr.Forbidden when a offers for no provider.
func (s *Service) Own(ctx context.Context, a need.Actor, slug, orgSlug string) (need.Need, Role, *Offer, error) {
	n, r, err := s.context(ctx, a, slug, orgSlug)
	if err != nil {
		return n, r, nil, err
	}
	if r.Provider == nil {
		return n, r, nil, apperr.New(apperr.Forbidden, "offer.error.no_provider")
	}
	o, err := s.store.OfferOf(ctx, n.ID, r.Provider.OrgID)
	if apperr.Is(err, apperr.NotFound) {
		return n, r, nil, nil
	}
	if err != nil {
		return n, r, nil, fmt.Errorf("offer: own offer on %s: %w", slug, err)
	}
	return n, r, &o, nil
}

// Save creates or changes a's offer on the need slug while the need is
// open; with in.Submit the offer is submitted. A submitted offer stays
// submitted when changed; a decided one cannot change.
func (s *Service) Save(ctx context.Context, a need.Actor, slug, orgSlug string, lock int, in Input, m account.Meta) (Offer, error) {
	n, r, old, err := s.Own(ctx, a, slug, orgSlug)
	if err != nil {
		return Offer{}, err
	}
	if !Offerable(n) {
		return Offer{}, apperr.New(apperr.Conflict, "offer.error.need_closed")
	}
	if old != nil && (old.State == Shortlisted || old.State == Declined) {
		return Offer{}, apperr.New(apperr.Conflict, "offer.error.decided")
	}
	kept := 0
	if old != nil {
		for _, f := range old.Attachments {
			if !slices.Contains(in.Remove, f.ID) {
				kept++
			}
		}
	}
	cents, valid, chosen, err := in.validate(r.Solutions, s.today(), kept)
	if err != nil {
		return Offer{}, err
	}
	o := Offer{ID: newID(), NeedID: n.ID, OrgID: r.Provider.OrgID, State: Draft, CreatedBy: a.User.ID}
	if old != nil {
		o = *old
	}
	o.Text, o.Delivery, o.PriceCents, o.Basis, o.ValidUntil, o.Solutions = in.Text, in.Delivery, cents, in.Basis, valid, chosen
	action := "offer.updated"
	if old == nil {
		action = "offer.created"
	}
	submitted := in.Submit && o.State != Submitted
	if in.Submit || o.State == Submitted {
		o.State = Submitted
	} else {
		o.State = Draft
	}
	if submitted {
		action = "offer.submitted"
	}
	files := make([]Attachment, 0, len(in.Files))
	for _, f := range in.Files {
		typ, _ := checkType(f)
		files = append(files, Attachment{ID: newID(), OfferID: o.ID, Name: cleanName(f.Name), Type: typ, Size: int64(len(f.Data)), Data: f.Data})
	}
	e := audit(a, action, "offer", o.ID, m, map[string]any{"need": n.Slug, "org": r.Provider.OrgSlug, "state": string(o.State)})
	var out Offer
	if old == nil {
		out, err = s.store.CreateOffer(ctx, o, files, e)
	} else {
		out, err = s.store.UpdateOffer(ctx, o, lock, files, in.Remove, e)
	}
	if err != nil {
		return out, fmt.Errorf("offer: save on %s: %w", slug, err)
	}
	if submitted {
		s.notifyOrg(ctx, n.Org.ID, KindOffer, "submitted", n.Title, "/bedarfe/"+n.Slug+"/angebote/"+out.ID)
	}
	return out, nil
}

// Withdraw withdraws a's submitted or shortlisted offer id on an open need.
func (s *Service) Withdraw(ctx context.Context, a need.Actor, slug, id string, lock int, m account.Meta) (Offer, error) {
	n, err := s.needs.Get(ctx, a, slug)
	if err != nil {
		return Offer{}, err
	}
	o, err := s.store.Offer(ctx, id)
	if err != nil || o.NeedID != n.ID || a.User == nil || !memberOf(a, o.OrgID) {
		return Offer{}, errNotFound()
	}
	if !Offerable(n) {
		return Offer{}, apperr.New(apperr.Conflict, "offer.error.need_closed")
	}
	if o.State != Submitted && o.State != Shortlisted {
		return Offer{}, apperr.New(apperr.Conflict, "offer.error.not_submitted")
	}
	if err := s.store.SetOfferState(ctx, o.ID, Withdrawn, o.Reason, lock,
		audit(a, "offer.withdrawn", "offer", o.ID, m, map[string]any{"need": n.Slug, "from": string(o.State)})); err != nil {
		return Offer{}, fmt.Errorf("offer: withdraw %s: %w", id, err)
	}
	s.notifyOrg(ctx, n.Org.ID, KindOffer, "withdrawn", n.Title, "/bedarfe/"+n.Slug+"/angebote/"+o.ID)
	return s.store.Offer(ctx, o.ID)
}

func memberOf(a need.Actor, orgID string) bool {
	return slices.ContainsFunc(a.Orgs, func(m org.Membership) bool { return m.OrgID == orgID })
}

// Decide marks a submitted offer shortlisted or declined (owners only); a
// decline needs a reason.
func (s *Service) Decide(ctx context.Context, a need.Actor, slug, id string, st State, reason string, lock int, m account.Meta) (Offer, error) {
	n, o, err := s.Get(ctx, a, slug, id)
	if err != nil {
		return o, err
	}
	if !need.Can(a, need.ActEdit, n) {
		return o, errForbidden
	}
	var v apperr.Validation
	if st != Shortlisted && st != Declined {
		v.Add("state", "offer.error.decision")
	}
	v.Text("reason", reason, MaxReason, st == Declined)
	if err := v.Err(); err != nil {
		return o, err
	}
	if o.State == Withdrawn || o.State == Draft {
		return o, apperr.New(apperr.Conflict, "offer.error.not_submitted")
	}
	if err := s.store.SetOfferState(ctx, o.ID, st, reason, lock,
		audit(a, "offer."+string(st), "offer", o.ID, m, map[string]any{"need": n.Slug, "from": string(o.State), "reason": reason})); err != nil {
		return o, fmt.Errorf("offer: decide %s: %w", id, err)
	}
	s.notifyOrg(ctx, o.OrgID, KindOffer, string(st), n.Title, "/bedarfe/"+n.Slug+"/angebot")
	return s.store.Offer(ctx, o.ID)
}

// List returns the offers of the need slug that a may see: every
// submitted (or later) offer for the need's owners, only its own offers
// for a provider; apperr.NotFound for anyone else.
func (s *Service) List(ctx context.Context, a need.Actor, slug string) (need.Need, []Offer, error) {
	n, r, err := s.context(ctx, a, slug, "")
	if err != nil {
		return n, nil, err
	}
	if r.Owner {
		list, err := s.store.NeedOffers(ctx, n.ID)
		return n, list, err
	}
	if !r.Party() {
		return n, nil, errNoParty
	}
	var out []Offer
	for _, m := range a.Orgs {
		o, err := s.store.OfferOf(ctx, n.ID, m.OrgID)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return n, nil, fmt.Errorf("offer: list %s: %w", slug, err)
		}
		out = append(out, o)
	}
	if out == nil {
		out = []Offer{}
	}
	return n, out, nil
}

// Get returns offer id of the need slug if a may see it (see List).
func (s *Service) Get(ctx context.Context, a need.Actor, slug, id string) (need.Need, Offer, error) {
	n, err := s.needs.Get(ctx, a, slug)
	if err != nil {
		return n, Offer{}, err
	}
	o, err := s.store.Offer(ctx, id)
	if apperr.Is(err, apperr.NotFound) || err == nil && o.NeedID != n.ID {
		return n, Offer{}, errNotFound()
	}
	if err != nil {
		return n, o, fmt.Errorf("offer: %s: %w", id, err)
	}
	if a.User != nil && memberOf(a, o.OrgID) || need.Can(a, need.ActEdit, n) && o.State != Draft {
		return n, o, nil
	}
	// Other providers learn nothing of the offer; whoever takes no part
	// in the need's offers is refused whatever the id.
	if r, rerr := s.Role(ctx, a, n, ""); rerr != nil {
		return n, Offer{}, rerr
	} else if !r.Party() {
		return n, Offer{}, errNoParty
	}
	return n, Offer{}, errNotFound()
}

// Attachment returns a file of an offer a may see, with its data.
func (s *Service) Attachment(ctx context.Context, a need.Actor, slug, offerID, id string) (Attachment, error) {
	if _, _, err := s.Get(ctx, a, slug, offerID); err != nil {
		return Attachment{}, err
	}
	f, err := s.store.OfferAttachment(ctx, offerID, id)
	if apperr.Is(err, apperr.NotFound) {
		return f, errNotFound()
	}
	return f, err
}

// notifyOrg notifies every member of the organisation; a failed
// notification is logged, the change it reports stays saved.
func (s *Service) notifyOrg(ctx context.Context, orgID, kind, action, title, link string) {
	if s.notes == nil {
		return
	}
	users, err := s.store.OrgMemberIDs(ctx, orgID)
	if err != nil {
		s.log.Warn("offer: notify", "org", orgID, "err", err)
		return
	}
	s.notifyUsers(ctx, users, kind, action, title, link)
}

func (s *Service) notifyUsers(ctx context.Context, users []string, kind, action, title, link string) {
	if s.notes == nil {
		return
	}
	for _, u := range users {
		if err := s.notes.Notify(ctx, u, kind, action, title, link); err != nil {
			s.log.Warn("offer: notify", "user", u, "kind", kind, "err", err)
		}
	}
}

// The kinds of notifications of this package (listed in notify.Kinds).
const (
	KindMatch         = notify.KindNeedMatch
	KindClarification = notify.KindNeedClarification
	KindOffer         = notify.KindNeedOffer
)
