package org

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
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/region"
)

// Regions resolves the register keys that regional organisations are
// tied to (region.Service).
type Regions interface {
	Municipality(ctx context.Context, ags string) (region.Municipality, error)
	District(ctx context.Context, key string) (region.District, error)
	State(ctx context.Context, key string) (region.State, error)
}

// Service holds the rules of organisations.
type Service struct {
	store   Store
	regions Regions
	mail    account.Mailer
	texts   account.Texts
	baseURL string
	log     *slog.Logger
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the organisation service; baseURL is the platform's
// public address for links in mails.
func NewService(store Store, regions Regions, mailer account.Mailer, texts account.Texts, baseURL string, log *slog.Logger) *Service {
	return &Service{store: store, regions: regions, mail: mailer, texts: texts,
		baseURL: strings.TrimSuffix(baseURL, "/"), log: log, Now: time.Now}
}

// NewOrg is what a user enters to create an organisation.
type NewOrg struct {
	Kind        Kind
	RegionKey   string // for municipality, district and state
	Name        string // for the other kinds; regional ones take the register's
	Website     string
	Description string
}

// Limits of the free-text fields.
const (
	maxName        = 200
	maxDescription = 2000
	maxWebsite     = 500
	maxStatement   = 2000
)

// Create opens an organisation with the creator as its admin. Only users
// with a confirmed address may; a regional organisation takes its name
// from the register and exists once per key.
func (s *Service) Create(ctx context.Context, u account.User, n NewOrg, m account.Meta) (Organisation, error) {
	var v apperr.Validation
	if !u.Confirmed() {
		return Organisation{}, apperr.New(apperr.Forbidden, "org.error.unconfirmed")
	}
	o := Organisation{ID: uuid.Must(uuid.NewV7()).String(), Kind: n.Kind}
	switch {
	case !n.Kind.Valid():
		v.Add("kind", "org.error.kind")
	case n.Kind.Regional():
		name, key, err := s.regionName(ctx, n.Kind, n.RegionKey)
		if err != nil {
			if !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Invalid) {
				return Organisation{}, err
			}
			v.Add("region", "org.error.region_"+string(n.Kind))
		}
		o.Name, o.RegionKey = name, key
	default:
		o.Name = strings.Join(strings.Fields(n.Name), " ")
		v.Text("name", o.Name, maxName, true)
	}
	o.Website, o.Description = checkDetails(&v, n.Website, n.Description)
	if err := v.Err(); err != nil {
		return Organisation{}, err
	}
	o.Slug = Slug(o.Name)
	created, err := s.store.CreateOrg(ctx, o, u.ID, audit(u, "org.created", o.ID, m, map[string]any{"name": o.Name, "kind": string(o.Kind)}))
	if err != nil {
		return Organisation{}, fmt.Errorf("org: create %q: %w", o.Name, err)
	}
	return created, nil
}

// regionName validates a register key for a kind and returns the
// official name; dissolved municipalities are refused.
func (s *Service) regionName(ctx context.Context, k Kind, key string) (name, normalized string, err error) {
	key = strings.TrimSpace(key)
	switch k {
	case Municipality:
		mu, err := s.regions.Municipality(ctx, key)
		if err != nil {
			return "", key, err
		}
		if mu.Dissolved != nil {
			return "", key, apperr.New(apperr.Invalid, "org.error.region_dissolved")
		}
		return mu.Name, mu.AGS, nil
	case District:
		d, err := s.regions.District(ctx, key)
		if err == nil && d.Dissolved != nil {
			err = apperr.New(apperr.Invalid, "org.error.region_dissolved")
		}
		return d.Name, d.Key, err
	default:
		st, err := s.regions.State(ctx, key)
		return st.Name, st.Key, err
	}
}

// checkDetails validates and normalises the website and description.
func checkDetails(v *apperr.Validation, website, description string) (string, string) {
	website, description = strings.TrimSpace(website), strings.TrimSpace(description)
	if website != "" {
		if !strings.Contains(website, "://") {
			website = "https://" + website
		}
		if u, err := url.Parse(website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.Contains(u.Host, ".") ||
			utf8.RuneCountInString(website) > maxWebsite {
			v.Add("website", "org.error.website")
		}
	}
	v.Text("description", description, maxDescription, false)
	return website, description
}

// Slug returns the readable URL part for a name: folded to ASCII with
// umlauts as digraphs (München → muenchen), words joined by hyphens.
func Slug(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(fold.Digraph(name)) {
		var part strings.Builder
		for _, r := range w {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				part.WriteRune(r)
			}
		}
		if part.Len() == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(part.String())
		if b.Len() > 80 {
			break
		}
	}
	if b.Len() == 0 {
		return "organisation"
	}
	return b.String()
}

// audit returns an audit entry for an action of u on an organisation.
func audit(u account.User, action, orgID string, m account.Meta, details map[string]any) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: u.ID, ActorLabel: u.Email,
		Action: action, ObjectType: "organisation", ObjectID: orgID, Details: details, IP: m.IP}
}

// Get returns an organisation by slug with u's membership (nil when none).
// Organisations u may not see are reported as not found.
func (s *Service) Get(ctx context.Context, u *account.User, slug string) (Organisation, *Membership, error) {
	o, err := s.store.OrgBySlug(ctx, slug)
	if err != nil {
		return Organisation{}, nil, notFound(err, slug)
	}
	var mp *Membership
	if u != nil {
		switch mm, err := s.store.Membership(ctx, o.ID, u.ID); {
		case err == nil:
			mp = &mm
		case !apperr.Is(err, apperr.NotFound):
			return Organisation{}, nil, err
		}
	}
	if !Can(u, ActView, o, mp) {
		return Organisation{}, nil, apperr.New(apperr.NotFound, "org.error.not_found", "Slug", slug)
	}
	return o, mp, nil
}

func notFound(err error, slug string) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.NotFound, "org.error.not_found", "Slug", slug)
	}
	return err
}

// ForRegion returns the organisation tied to a register key, if any.
func (s *Service) ForRegion(ctx context.Context, key string) (Organisation, error) {
	return s.store.OrgByRegion(ctx, key)
}

// List returns a page of organisations; visitors and users see only
// verified ones.
func (s *Service) List(ctx context.Context, q ListQuery) (Page, error) {
	var v apperr.Validation
	if q.Kind != "" && !q.Kind.Valid() {
		v.Add("kind", "org.error.kind")
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 1 || q.Limit > 200 {
		v.Add("limit", "error.param.limit")
	}
	if utf8.RuneCountInString(q.Query) > 100 {
		v.Add("q", "form.error.too_long", "Max", 100)
	}
	if err := v.Err(); err != nil {
		return Page{}, err
	}
	q.Query = fold.Key(q.Query)
	return s.store.Orgs(ctx, q)
}

// Mine returns u's memberships and the open invitations to u's address.
func (s *Service) Mine(ctx context.Context, u account.User) ([]Membership, []Invitation, error) {
	ms, err := s.store.UserMemberships(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	var invs []Invitation
	if u.Confirmed() {
		if invs, err = s.store.UserInvitations(ctx, u.Email); err != nil {
			return nil, nil, err
		}
	}
	return ms, invs, nil
}

// Update changes an organisation's website and description.
func (s *Service) Update(ctx context.Context, u account.User, slug, website, description string, m account.Meta) error {
	o, mp, err := s.Get(ctx, &u, slug)
	if err != nil {
		return err
	}
	if !Can(&u, ActEdit, o, mp) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var v apperr.Validation
	website, description = checkDetails(&v, website, description)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.UpdateOrg(ctx, o.ID, website, description, audit(u, "org.updated", o.ID, m, nil))
}

// send composes a mail from the message keys <key>.subject and <key>.text.
func (s *Service) send(ctx context.Context, lang, to, key string, kv ...any) error {
	err := s.mail.Send(ctx, account.Mail{To: to, Lang: lang, Kind: key,
		Subject: s.texts.T(lang, key+".subject", kv...), Text: s.texts.T(lang, key+".text", kv...)})
	if err != nil {
		return fmt.Errorf("org: mail %s: %w", key, err)
	}
	return nil
}
