package advice

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
)

// Page sizes of lists.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Service holds the rules of advice requests.
type Service struct {
	store   Store
	orgs    Orgs
	outbox  Outbox
	texts   account.Texts
	baseURL string
	fields  Taxonomy
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the service. Mails go through outbox in the
// recipient's language; their links start with baseURL.
func NewService(store Store, orgs Orgs, outbox Outbox, texts account.Texts, baseURL string) *Service {
	return &Service{store: store, orgs: orgs, outbox: outbox, texts: texts, baseURL: strings.TrimSuffix(baseURL, "/"), Now: time.Now}
}

// WithFields lets requests name a field of action of t; without it the
// field is left out.
func (s *Service) WithFields(t Taxonomy) *Service {
	s.fields = t
	return s
}

// fieldKnown reports whether key is a field of action.
func (s *Service) fieldKnown(ctx context.Context, key string) (bool, error) {
	if s.fields == nil {
		return false, nil
	}
	all, err := s.fields.All(ctx)
	if err != nil {
		return false, fmt.Errorf("advice: fields of action: %w", err)
	}
	for _, f := range all {
		if f.Key == key {
			return true, nil
		}
		for _, c := range f.Children {
			if c.Key == key {
				return true, nil
			}
		}
	}
	return false, nil
}

var (
	errNotFound  = apperr.New(apperr.NotFound, "advice.error.not_found")
	errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func audit(u account.User, action, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return account.AuditEntry{ID: newID(), ActorID: u.ID, ActorLabel: u.Email, Action: action, ObjectType: "advice_request",
		ObjectID: id, Details: details, IP: m.IP}
}

// memberOf returns the ids of u's organisations.
func (s *Service) memberOf(ctx context.Context, u account.User) ([]string, error) {
	ms, err := s.orgs.UserMemberships(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("advice: memberships of %s: %w", u.ID, err)
	}
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.OrgID)
	}
	return ids, nil
}

// Role returns u's part in request r.
func (s *Service) Role(ctx context.Context, u account.User, r Request) (Role, error) {
	if u.Has(account.Advisor) {
		return Centre, nil
	}
	ids, err := s.memberOf(ctx, u)
	if err != nil {
		return None, err
	}
	return RoleOf(&u, ids, r.OrgID), nil
}

// Get returns request id with its thread as u may see it, and u's role;
// apperr.NotFound when u may not see it (others never learn it exists).
func (s *Service) Get(ctx context.Context, u account.User, id string) (Request, Role, error) {
	r, err := s.store.Advice(ctx, id)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return r, None, errNotFound
		}
		return r, None, fmt.Errorf("advice: request %s: %w", id, err)
	}
	role, err := s.Role(ctx, u, r)
	if err != nil {
		return r, None, err
	}
	if !Can(role, ActView, r.State) {
		// Members of another public body do not learn that the request
		// exists; an account that belongs to none may not use advice at
		// all (it learns only that this id exists, a random UUID).
		orgs, err := s.AskingOrgs(ctx, u)
		if err != nil {
			return Request{}, None, err
		}
		if len(orgs) == 0 {
			return Request{}, None, apperr.New(apperr.Forbidden, "advice.error.no_org")
		}
		return Request{}, None, errNotFound
	}
	r.Messages, err = s.store.AdviceThread(ctx, id, Can(role, ActNotes, r.State))
	if err != nil {
		return r, role, fmt.Errorf("advice: thread of %s: %w", id, err)
	}
	return r, role, nil
}

// AskingOrgs returns u's organisations that may ask the centre.
func (s *Service) AskingOrgs(ctx context.Context, u account.User) ([]OrgRef, error) {
	ms, err := s.orgs.UserMemberships(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("advice: memberships of %s: %w", u.ID, err)
	}
	var out []OrgRef
	for _, m := range ms {
		if MayAsk(m.OrgKind) {
			out = append(out, OrgRef{ID: m.OrgID, Slug: m.OrgSlug, Name: m.OrgName, Kind: m.OrgKind})
		}
	}
	return out, nil
}

// Create stores u's new request and routes it to an advisor by the rules;
// the advisor gets a mail in the same transaction.
func (s *Service) Create(ctx context.Context, u account.User, in Input, m account.Meta) (Request, error) {
	err := in.Validate()
	var o OrgRef
	if slug := strings.TrimSpace(in.Org); slug != "" {
		orgs, oerr := s.AskingOrgs(ctx, u)
		if oerr != nil {
			return Request{}, oerr
		}
		for _, c := range orgs {
			if c.Slug == slug {
				o = c
			}
		}
		if o.ID == "" {
			var v apperr.Validation
			v.Add("org", "advice.error.org")
			err = mergeInvalid(err, v.Err())
		}
	}
	if in.Field != "" {
		ok, ferr := s.fieldKnown(ctx, in.Field)
		if ferr != nil {
			return Request{}, ferr
		}
		if !ok {
			var v apperr.Validation
			v.Add("field", "advice.error.field")
			err = mergeInvalid(err, v.Err())
		}
	}
	if err != nil {
		return Request{}, err
	}
	full, err := s.orgs.OrgBySlug(ctx, o.Slug)
	if err != nil {
		return Request{}, fmt.Errorf("advice: organisation %s: %w", o.Slug, err)
	}
	o.RegionKey, o.Name = full.RegionKey, full.Name
	now := s.Now().UTC()
	r := Request{ID: newID(), OrgID: o.ID, Org: o, Asker: Person{ID: u.ID, Name: u.Name, Email: u.Email, Lang: u.Lang},
		Topic: in.Topic, Field: in.Field, Urg: in.Urgency, State: New, Due: Due(now, in.Urgency), Created: now, Updated: now}
	rules, err := s.store.AdviceRules(ctx)
	if err != nil {
		return r, fmt.Errorf("advice: rules: %w", err)
	}
	var mails []mail.Outgoing
	if rule := Route(rules, StateKey(o), in.Field); rule != nil {
		r.State, r.Agent = Assigned, rule.Advisor
	}
	msg := Message{ID: newID(), RequestID: r.ID, Author: r.Asker, Body: in.Body, Created: now}
	msg.Attachments = attachments(in.Files, newID, msg.ID, r.ID)
	a := audit(u, "advice.created", r.ID, m, map[string]any{"topic": r.Topic, "organisation": o.Slug, "assigned_to": r.Agent.ID})
	// The number is only known in the transaction; the mail names the topic.
	if r.Agent.ID != "" {
		out, err := s.mail(r.Agent, "assigned", r)
		if err != nil {
			return r, err
		}
		mails = append(mails, out)
	}
	out, err := s.store.CreateAdvice(ctx, r, msg, mails, a)
	if err != nil {
		return out, fmt.Errorf("advice: create: %w", err)
	}
	return out, nil
}

// Route picks the rule for a request from a state with a field of action:
// state and field, then field, then state, then the default rule; nil when
// none fits.
func Route(rules []Rule, stateKey, field string) *Rule {
	top, _, _ := strings.Cut(field, ".")
	var want [][2]string
	if stateKey != "" && top != "" {
		want = append(want, [2]string{stateKey, top})
	}
	if top != "" {
		want = append(want, [2]string{"", top})
	}
	if stateKey != "" {
		want = append(want, [2]string{stateKey, ""})
	}
	want = append(want, [2]string{"", ""})
	for _, w := range want {
		for i := range rules {
			if rules[i].StateKey == w[0] && rules[i].FieldKey == w[1] {
				return &rules[i]
			}
		}
	}
	return nil
}

// mail composes a mail about r to p in p's language.
func (s *Service) mail(p Person, kind string, r Request) (mail.Outgoing, error) {
	if s.outbox == nil {
		return mail.Outgoing{}, fmt.Errorf("advice: mail: no outbox")
	}
	lang := p.Lang
	if lang != "en" {
		lang = "de"
	}
	kv := []any{"Topic", r.Topic, "Org", r.Org.Name, "Link", s.Link(r), "Name", p.Label()}
	out, err := s.outbox.Prepare(mail.Message{To: p.Email, Lang: lang, Kind: "advice." + kind,
		Subject: s.texts.T(lang, "advice.mail."+kind+".subject", kv...), Text: s.texts.T(lang, "advice.mail."+kind+".text", kv...)})
	if err != nil {
		return out, fmt.Errorf("advice: mail %s about %s: %w", kind, r.ID, err)
	}
	return out, nil
}

// Link returns the address of the request's page.
func (s *Service) Link(r Request) string { return s.baseURL + Path(r) }

// Path is the path of the request's page on the platform.
func Path(r Request) string { return "/beratung/" + r.ID }

// mergeInvalid joins the field errors of two validation errors.
func mergeInvalid(a, b error) error {
	if a == nil {
		return b
	}
	ea, okA := a.(*apperr.Error)
	eb, okB := b.(*apperr.Error)
	if !okA || !okB {
		return a
	}
	ea.Fields = append(ea.Fields, eb.Fields...)
	return ea
}

// Mine returns a page of the requests of u's organisations, in state st
// ("" for all).
func (s *Service) Mine(ctx context.Context, u account.User, st State, limit, offset int) (Page, error) {
	ids, err := s.memberOf(ctx, u)
	if err != nil {
		return Page{}, err
	}
	if len(ids) == 0 {
		return Page{}, nil
	}
	return s.list(ctx, Query{OrgIDs: ids, State: st, Limit: limit, Offset: offset})
}

// Queue returns a page of the centre's queue: overdue first, then by due
// date. Only for the centre.
func (s *Service) Queue(ctx context.Context, u account.User, q Query) (Page, error) {
	if !u.Has(account.Advisor) {
		return Page{}, errForbidden
	}
	q.OrgIDs = nil
	return s.list(ctx, q)
}

func (s *Service) list(ctx context.Context, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit, q.Offset = min(q.Limit, MaxLimit), max(q.Offset, 0)
	q.Now = s.Now().UTC()
	p, err := s.store.AdviceList(ctx, q)
	if err != nil {
		return p, fmt.Errorf("advice: list: %w", err)
	}
	return p, nil
}
