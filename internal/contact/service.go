package contact

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

// Store is the database of contacts.
type Store interface {
	// Contacts returns every contact ordered by name.
	Contacts(ctx context.Context) ([]Contact, error)
	// Contact returns the contact of user userID; apperr.NotFound when
	// there is none.
	Contact(ctx context.Context, userID string) (Contact, error)
	// ContactsFor returns the contacts of a municipality: those of its
	// district first, then those of its whole state, each by name.
	ContactsFor(ctx context.Context, stateKey, districtKey string) ([]Contact, error)
	// CreateContact stores a new contact; apperr.Conflict when the user
	// is a contact already.
	CreateContact(ctx context.Context, c Contact, audit account.AuditEntry) (Contact, error)
	// UpdateContact replaces a contact; apperr.NotFound when it is gone.
	UpdateContact(ctx context.Context, c Contact, audit account.AuditEntry) (Contact, error)
	// DeleteContact removes a contact; apperr.NotFound when it is gone.
	DeleteContact(ctx context.Context, userID string, audit account.AuditEntry) error
	// ContactsVersion changes with every change of the contacts (caches
	// of pages that show them key on it); it is cheap to read.
	ContactsVersion(ctx context.Context) (string, error)
}

// Users finds the account named in the operator's form.
type Users interface {
	UserByEmail(ctx context.Context, email string) (account.User, string, error)
}

// Taxonomy is the list of fields of action a contact may name.
type Taxonomy interface {
	All(ctx context.Context) ([]catalog.Field, error)
}

// Districts checks the district keys of a contact.
type Districts interface {
	District(ctx context.Context, key string) (region.District, error)
}

// Service holds the rules of contacts.
type Service struct {
	store     Store
	users     Users
	fields    Taxonomy
	districts Districts
}

// NewService returns the service.
func NewService(store Store, users Users, fields Taxonomy, districts Districts) *Service {
	return &Service{store: store, users: users, fields: fields, districts: districts}
}

var errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")

// List returns every contact ordered by name.
func (s *Service) List(ctx context.Context) ([]Contact, error) {
	l, err := s.store.Contacts(ctx)
	if err != nil {
		return nil, fmt.Errorf("contact: list: %w", err)
	}
	return l, nil
}

// For returns the contacts of a municipality in district districtKey
// ("" for a district-free city) of state stateKey: district first.
func (s *Service) For(ctx context.Context, stateKey, districtKey string) ([]Contact, error) {
	l, err := s.store.ContactsFor(ctx, stateKey, districtKey)
	if err != nil {
		return nil, fmt.Errorf("contact: for %s/%s: %w", stateKey, districtKey, err)
	}
	return l, nil
}

// Version changes with every change of the contacts.
func (s *Service) Version(ctx context.Context) (string, error) { return s.store.ContactsVersion(ctx) }

// Get returns the contact of user userID for the edit form of u.
func (s *Service) Get(ctx context.Context, u *account.User, userID string) (Contact, error) {
	c, err := s.store.Contact(ctx, userID)
	if err != nil {
		return c, err
	}
	if !Can(u, ActEdit, &c) {
		return Contact{}, errForbidden
	}
	return c, nil
}

// check validates in and asks whether its keys exist.
func (s *Service) check(ctx context.Context, in *Input) error {
	err := in.Validate()
	var v apperr.Validation
	if len(in.Fields) > 0 {
		tree, ferr := s.fields.All(ctx)
		if ferr != nil {
			return fmt.Errorf("contact: fields of action: %w", ferr)
		}
		var known []string
		for _, f := range tree {
			known = append(known, f.Key)
			for _, c := range f.Children {
				known = append(known, c.Key)
			}
		}
		for _, k := range in.Fields {
			if !slices.Contains(known, k) {
				v.Add("fields", "contacts.error.field", "Key", k)
				break
			}
		}
	}
	if !hasField(err, "districts") {
		for _, d := range in.Districts {
			if _, derr := s.districts.District(ctx, d); apperr.Is(derr, apperr.NotFound) {
				v.Add("districts", "contacts.error.district_unknown", "Key", d)
				break
			} else if derr != nil {
				return fmt.Errorf("contact: district %s: %w", d, derr)
			}
		}
	}
	return merge(err, v.Err())
}

func audit(u account.User, action, id string, m account.Meta) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: u.ID, ActorLabel: u.Email, Action: action,
		ObjectType: "contact", ObjectID: id, IP: m.IP}
}

// Create makes the advisor with login address login a contact. Field
// names as Validate, plus "login".
func (s *Service) Create(ctx context.Context, u account.User, login string, in Input, m account.Meta) (Contact, error) {
	if !Can(&u, ActManage, nil) {
		return Contact{}, errForbidden
	}
	err := s.check(ctx, &in)
	var v apperr.Validation
	var advisor account.User
	login = strings.TrimSpace(login)
	if login == "" {
		v.Add("login", "contacts.error.required")
	} else {
		found, _, uerr := s.users.UserByEmail(ctx, login)
		switch {
		case apperr.Is(uerr, apperr.NotFound):
			v.Add("login", "contacts.error.login_unknown")
		case uerr != nil:
			return Contact{}, fmt.Errorf("contact: user %s: %w", login, uerr)
		case !found.Has(account.Advisor):
			v.Add("login", "contacts.error.not_advisor")
		default:
			advisor = found
		}
	}
	if err := merge(err, v.Err()); err != nil {
		return Contact{}, err
	}
	c := apply(Contact{UserID: advisor.ID}, in)
	return s.store.CreateContact(ctx, c, audit(u, "contact.create", advisor.ID, m))
}

func apply(c Contact, in Input) Contact {
	c.Name, c.RoleTitle, c.Phone, c.Email = in.Name, in.RoleTitle, in.Phone, in.Email
	c.Fields, c.Topics, c.Availability = in.Fields, in.Topics, in.Availability
	c.States, c.Districts = in.States, in.Districts
	return c
}

// Update changes the contact of user userID. Operators change every
// field; the advisor themself changes only the availability and the
// topics text, the rest of in is ignored.
func (s *Service) Update(ctx context.Context, u account.User, userID string, in Input, m account.Meta) (Contact, error) {
	c, err := s.Get(ctx, &u, userID)
	if err != nil {
		return c, err
	}
	if !Can(&u, ActManage, &c) {
		own := InputOf(c)
		own.Availability, own.Topics = in.Availability, in.Topics
		in = own
	}
	if err := s.check(ctx, &in); err != nil {
		return c, err
	}
	return s.store.UpdateContact(ctx, apply(c, in), audit(u, "contact.update", userID, m))
}

// Delete removes the contact of user userID; the account stays.
func (s *Service) Delete(ctx context.Context, u account.User, userID string, m account.Meta) error {
	if !Can(&u, ActManage, nil) {
		return errForbidden
	}
	return s.store.DeleteContact(ctx, userID, audit(u, "contact.delete", userID, m))
}

// merge joins the field messages of two validation errors.
func merge(a, b error) error {
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

// hasField reports whether err holds a message for field.
func hasField(err error, field string) bool {
	e, ok := err.(*apperr.Error)
	return ok && slices.ContainsFunc(e.Fields, func(f apperr.FieldError) bool { return f.Field == field })
}

// Export adds the user's contact profile, if they are a contact, to their
// data export (account.Service.AddExporter).
func (s *Service) Export(ctx context.Context, userID string, e *account.Export) error {
	c, err := s.store.Contact(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("contact: export %s: %w", userID, err)
	}
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra["contact"] = map[string]any{"name": c.Name, "role_title": c.RoleTitle, "phone": c.Phone, "email": c.Email,
		"fields": c.Fields, "topics": c.Topics, "availability": c.Availability, "states": c.States, "districts": c.Districts,
		"created_at": c.Created, "updated_at": c.Updated}
	return nil
}
