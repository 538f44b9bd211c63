package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
)

// Caps on contact requests per calendar month (Europe/Berlin): a person
// asks a handful of peers a month, and a municipality that opted in is
// not flooded when its solution is popular.
const (
	MaxContactsPerUser = 5  // requests one user sends
	MaxContactsPerUse  = 10 // requests one declaration receives
)

// Contact is a peer's request about a declared use, relayed by mail to
// the declaring organisation's admins.
type Contact struct {
	ID          string
	UsageID     string
	RequesterID string
	OrgID       string // the requester's municipality
	Message     string
	Created     time.Time
}

// ContactLimit is what AddContact enforces: at most PerUser requests of
// the requester and PerUse requests about the declaration since Since.
type ContactLimit struct {
	Since   time.Time
	PerUser int
	PerUse  int
}

// ContactTarget returns a declaration that peers may ask about: verified,
// opted in, of the published solution slug.
func (s *Usage) ContactTarget(ctx context.Context, slug, id string) (Solution, Declaration, error) {
	sol, err := s.solutions.Public(ctx, slug)
	if err != nil {
		return sol, Declaration{}, err
	}
	if _, err := uuid.Parse(id); err != nil {
		return sol, Declaration{}, apperr.New(apperr.NotFound, "usage.error.contact_not_found")
	}
	d, err := s.store.UseByID(ctx, id)
	if err == nil && (d.SolutionID != sol.ID || !d.Verified || !d.Contactable) || apperr.Is(err, apperr.NotFound) {
		return sol, Declaration{}, apperr.New(apperr.NotFound, "usage.error.contact_not_found")
	}
	return sol, d, err
}

// Contact relays u's message about the declaration id to the admins of
// the declaring municipality, with u's name, organisation and address so
// that they can answer directly; u never learns their addresses. u acts
// for orgSlug, another verified municipality. The monthly caps give
// apperr.TooMany.
func (s *Usage) Contact(ctx context.Context, u account.User, slug, id, orgSlug, message string, m account.Meta) error {
	sol, d, err := s.ContactTarget(ctx, slug, id)
	if err != nil {
		return err
	}
	o, mp, err := s.acting(ctx, u, orgSlug)
	if err != nil {
		return err
	}
	var v apperr.Validation
	switch {
	case !CanUse(&u, UseDeclare, mp, nil):
		v.Add("organisation", "usage.error.org_kind")
	case !CanUse(&u, UseContact, mp, nil):
		v.Add("organisation", "usage.error.contact_unverified")
	case o.ID == d.Org.ID:
		v.Add("organisation", "usage.error.contact_self")
	}
	message = strings.TrimSpace(strings.ReplaceAll(message, "\r\n", "\n"))
	v.Text("message", message, MaxContactText, true)
	if err := v.Err(); err != nil {
		return err
	}
	if s.outbox == nil {
		return fmt.Errorf("catalog: contact request: no outbox")
	}
	members, err := s.orgs.Members(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	name := u.Name
	if name == "" {
		name = u.Email
	}
	kv := []any{"Solution", sol.Published.Entry.Name, "Org", d.Org.Name, "Name", name, "Email", u.Email, "From", o.Name,
		"Message", message, "Link", s.baseURL + "/loesungen/" + sol.Slug}
	var mails []mail.Outgoing
	for _, mb := range members {
		if mb.Role != org.Admin {
			continue
		}
		out, err := s.outbox.Prepare(mail.Message{To: mb.Email, Lang: "de", Kind: "catalog.usage_contact",
			Subject: s.texts.T("de", "usage.mail.contact.subject", kv...), Text: s.texts.T("de", "usage.mail.contact.text", kv...)})
		if err != nil {
			return fmt.Errorf("catalog: contact request to %s: %w", d.Org.Slug, err)
		}
		mails = append(mails, out)
	}
	if len(mails) == 0 {
		return apperr.New(apperr.Conflict, "usage.error.contact_nobody")
	}
	c := Contact{ID: uuid.Must(uuid.NewV7()).String(), UsageID: d.ID, RequesterID: u.ID, OrgID: o.ID, Message: message}
	lim := ContactLimit{Since: monthStart(s.Now()), PerUser: MaxContactsPerUser, PerUse: MaxContactsPerUse}
	return s.store.AddContact(ctx, c, lim, mails, usageAudit(u, "catalog.usage_contact_sent", "solution_usage", d.ID, m,
		map[string]any{"solution": sol.Slug, "from": o.Slug, "to": d.Org.Slug, "request": c.ID}))
}
