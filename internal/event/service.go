package event

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
)

// Page sizes of lists.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Outbox prepares mails for a store to add inside its transactions; the
// mail service is one.
type Outbox interface {
	Prepare(m mail.Message) (mail.Outgoing, error)
}

// Orgs finds the organiser named in a form.
type Orgs interface {
	OrgBySlug(ctx context.Context, slug string) (org.Organisation, error)
}

// Taxonomy is the list of fields of action an event may name.
type Taxonomy interface {
	All(ctx context.Context) ([]catalog.Field, error)
}

// Service holds the rules of events and registrations.
type Service struct {
	store   Store
	fb      FeedbackStore
	orgs    Orgs
	fields  Taxonomy
	outbox  Outbox
	texts   account.Texts
	baseURL string
	log     *slog.Logger
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// FullStore is the database of events with their feedback (the
// platform's store is one).
type FullStore interface {
	Store
	FeedbackStore
}

// NewService returns the service. Mails go through outbox in the
// registrant's language; their links start with baseURL.
func NewService(store FullStore, orgs Orgs, fields Taxonomy, outbox Outbox, texts account.Texts, baseURL string, log *slog.Logger) *Service {
	return &Service{store: store, fb: store, orgs: orgs, fields: fields, outbox: outbox, texts: texts, baseURL: strings.TrimSuffix(baseURL, "/"), log: log, Now: time.Now}
}

func audit(u account.User, action, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: u.ID, ActorLabel: u.Email, Action: action,
		ObjectType: "event", ObjectID: id, Details: details, IP: m.IP}
}

var errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")

// List returns a page of events; drafts only for editors who ask.
func (s *Service) List(ctx context.Context, u *account.User, q Query) (Page, error) {
	q.Drafts = q.Drafts && Can(u, ActEdit, nil)
	q.From = s.Now().UTC()
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)
	p, err := s.store.Events(ctx, q)
	if err != nil {
		return p, fmt.Errorf("event: list: %w", err)
	}
	return p, nil
}

// Get returns the event slug if u may see it; apperr.NotFound otherwise.
func (s *Service) Get(ctx context.Context, u *account.User, slug string) (Event, error) {
	e, err := s.store.EventBySlug(ctx, slug)
	if err != nil {
		return e, err
	}
	if !Can(u, ActView, &e) {
		return Event{}, apperr.New(apperr.NotFound, "event.error.not_found")
	}
	return e, nil
}

// editable returns the event slug if u may edit it.
func (s *Service) editable(ctx context.Context, u account.User, slug string) (Event, error) {
	if !Can(&u, ActEdit, nil) {
		return Event{}, errForbidden
	}
	return s.store.EventBySlug(ctx, slug)
}

// apply validates in and writes it into e.
func (s *Service) apply(ctx context.Context, e *Event, in Input) error {
	err := in.Validate()
	var o OrgRef
	if slug := strings.TrimSpace(in.Org); slug != "" {
		found, ferr := s.orgs.OrgBySlug(ctx, slug)
		switch {
		case apperr.Is(ferr, apperr.NotFound):
			var v apperr.Validation
			v.Add("org", "event.error.org")
			err = mergeInvalid(err, v.Err())
		case ferr != nil:
			return ferr
		default:
			o = OrgRef{ID: found.ID, Slug: found.Slug, Name: found.Name}
		}
	}
	if len(in.Fields) > 0 && len(in.Fields) <= MaxFields {
		known, ferr := s.fieldKeys(ctx)
		if ferr != nil {
			return ferr
		}
		for _, k := range in.Fields {
			if !known[k] {
				var v apperr.Validation
				v.Add("fields", "event.error.field_unknown", "Key", k)
				err = mergeInvalid(err, v.Err())
				break
			}
		}
	}
	if err != nil {
		return err
	}
	e.Title, e.Summary, e.Description = in.Title, in.Summary, in.Description
	e.Kind, e.Format = in.Kind, in.Format
	e.Address, e.OnlineURL = in.Address, in.OnlineURL
	if !e.OnSite() {
		e.Address = ""
	}
	if !e.IsOnline() {
		e.OnlineURL = ""
	}
	e.Start, e.End, e.Deadline, e.Capacity = in.Start, in.End, in.Deadline, in.Capacity
	e.Org, e.Fields, e.Materials = o, in.Fields, in.Materials
	if e.Fields == nil {
		e.Fields = []string{}
	}
	if e.Materials == nil {
		e.Materials = []Link{}
	}
	return nil
}

// fieldKeys returns the keys of all fields of action.
func (s *Service) fieldKeys(ctx context.Context) (map[string]bool, error) {
	known := map[string]bool{}
	if s.fields == nil {
		return known, nil
	}
	all, err := s.fields.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("event: fields of action: %w", err)
	}
	for _, f := range all {
		known[f.Key] = true
		for _, c := range f.Children {
			known[c.Key] = true
		}
	}
	return known, nil
}

// Fields returns the fields of action events may name.
func (s *Service) Fields(ctx context.Context) ([]catalog.Field, error) {
	if s.fields == nil {
		return nil, nil
	}
	return s.fields.All(ctx)
}

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

// Create stores a new event, as a draft or published (in.Publish).
func (s *Service) Create(ctx context.Context, u account.User, in Input, m account.Meta) (Event, error) {
	if !Can(&u, ActEdit, nil) {
		return Event{}, errForbidden
	}
	e := Event{ID: uuid.Must(uuid.NewV7()).String(), State: Draft, CreatedBy: u.ID}
	if err := s.apply(ctx, &e, in); err != nil {
		return e, err
	}
	if in.Publish {
		e.State = Published
	}
	e.Slug = org.Slug(e.Title)
	if e.Slug == "organisation" {
		e.Slug = "veranstaltung"
	}
	e, err := s.store.CreateEvent(ctx, e, audit(u, "event.created", e.ID, m, map[string]any{"title": e.Title}))
	if err != nil {
		return e, fmt.Errorf("event: create: %w", err)
	}
	return e, nil
}

// Update saves a changed event. A draft is published with in.Publish; a
// published event stays published; a cancelled one cannot change except
// for its materials.
func (s *Service) Update(ctx context.Context, u account.User, slug string, lock int, in Input, m account.Meta) (Event, error) {
	e, err := s.editable(ctx, u, slug)
	if err != nil {
		return e, err
	}
	if e.State == Cancelled {
		// Only the links may change after a cancellation (a recording
		// of a part that took place, a replacement date's page).
		mats := in.Materials
		in = inputOf(e)
		in.Materials = mats
	}
	if err := s.apply(ctx, &e, in); err != nil {
		return e, err
	}
	if e.State == Draft && in.Publish {
		e.State = Published
	}
	out, err := s.store.UpdateEvent(ctx, e, lock, s.notify, audit(u, "event.updated", e.ID, m, map[string]any{"title": e.Title}))
	if err != nil {
		return out, fmt.Errorf("event: update %s: %w", slug, err)
	}
	return out, nil
}

// inputOf returns the input that reproduces e.
func inputOf(e Event) Input {
	return Input{Title: e.Title, Summary: e.Summary, Description: e.Description, Kind: e.Kind, Format: e.Format, Address: e.Address,
		OnlineURL: e.OnlineURL, Start: e.Start, End: e.End, Deadline: e.Deadline, Capacity: e.Capacity, Org: e.Org.Slug,
		Fields: e.Fields, Materials: e.Materials, Publish: e.State != Draft}
}

// InputOf returns the input that reproduces e, to fill an edit form.
func InputOf(e Event) Input { return inputOf(e) }

// Cancel cancels the event; every registrant gets a notification, and
// its mail as they chose, in the same transaction.
func (s *Service) Cancel(ctx context.Context, u account.User, slug string, lock int, m account.Meta) error {
	e, err := s.editable(ctx, u, slug)
	if err != nil {
		return err
	}
	if e.State == Cancelled {
		return apperr.New(apperr.Conflict, "event.error.cancelled")
	}
	if err := s.store.CancelEvent(ctx, e.ID, lock, s.notify, audit(u, "event.cancelled", e.ID, m, map[string]any{"title": e.Title})); err != nil {
		return fmt.Errorf("event: cancel %s: %w", slug, err)
	}
	return nil
}

// RegisterForm is what a user adds to a registration.
type RegisterForm struct {
	Organisation string
	AccessNeeds  string
}

// Register registers u for the event slug: confirmed while places are
// free, else on the waiting list; either way with a mail.
func (s *Service) Register(ctx context.Context, u account.User, slug string, f RegisterForm) (Registration, error) {
	e, err := s.Get(ctx, &u, slug)
	if err != nil {
		return Registration{}, err
	}
	f.Organisation = strings.TrimSpace(f.Organisation)
	f.AccessNeeds = strings.TrimSpace(strings.ReplaceAll(f.AccessNeeds, "\r\n", "\n"))
	var v apperr.Validation
	v.Text("organisation", f.Organisation, MaxOrgNote, false)
	v.Text("access_needs", f.AccessNeeds, MaxAccessNeeds, false)
	if err := v.Err(); err != nil {
		return Registration{}, err
	}
	if !Can(&u, ActRegister, &e) {
		return Registration{}, apperr.New(apperr.Conflict, "event.error.closed")
	}
	r := Registration{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: u.ID, Organisation: f.Organisation, AccessNeeds: f.AccessNeeds}
	out, err := s.store.Register(ctx, r, s.notify)
	if err != nil {
		return out, fmt.Errorf("event: register for %s: %w", slug, err)
	}
	return out, nil
}

// Unregister cancels u's registration for the event slug; the first on
// the waiting list moves up in the same transaction and is told by mail.
func (s *Service) Unregister(ctx context.Context, u account.User, slug string) (Registration, error) {
	e, err := s.Get(ctx, &u, slug)
	if err != nil {
		return Registration{}, err
	}
	out, err := s.store.Unregister(ctx, e.ID, u.ID, s.notify)
	if err != nil {
		return out, fmt.Errorf("event: unregister from %s: %w", slug, err)
	}
	return out, nil
}

// Own returns u's registration for e; apperr.NotFound when there is none.
func (s *Service) Own(ctx context.Context, u account.User, e Event) (Registration, error) {
	return s.store.RegistrationOf(ctx, e.ID, u.ID)
}

// Attendees returns the event with its active registrations, for editors.
func (s *Service) Attendees(ctx context.Context, u account.User, slug string) (Event, []Registration, error) {
	e, err := s.editable(ctx, u, slug)
	if err != nil {
		return e, nil, err
	}
	list, err := s.store.Registrations(ctx, e.ID)
	return e, list, err
}

// Mine returns u's registrations with their events.
func (s *Service) Mine(ctx context.Context, u account.User) ([]Mine, error) {
	return s.store.UserRegistrations(ctx, u.ID)
}

// Link returns the address of the event's page.
func (s *Service) Link(e Event) string { return s.baseURL + Path(e) }
