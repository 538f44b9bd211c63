package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

// Orgs is what solutions need to know about organisations (store.DB).
type Orgs interface {
	OrgBySlug(ctx context.Context, slug string) (org.Organisation, error)
	Membership(ctx context.Context, orgID, userID string) (org.Membership, error)
	// EnsureOrg stores a verified organisation without members unless
	// its slug exists.
	EnsureOrg(ctx context.Context, o org.Organisation) (org.Organisation, error)
	Members(ctx context.Context, orgID string) ([]org.Membership, error)
}

// Solutions holds the rules of catalogue entries and their curation.
type Solutions struct {
	store  SolutionStore
	orgs   Orgs
	fields FieldStore
	// Mail, when set, tells providers of the curators' decisions.
	mail    account.Mailer
	texts   account.Texts
	baseURL string
	// notifier, when set, leaves notifications of the curators'
	// decisions for the organisation's members (review_notify.go).
	notifier Notifier
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// WithMail makes the service mail the admins of the providing
// organisation when curators publish an entry or ask for changes; links
// in the mails start with baseURL.
func (s *Solutions) WithMail(m account.Mailer, texts account.Texts, baseURL string) *Solutions {
	s.mail, s.texts, s.baseURL = m, texts, strings.TrimSuffix(baseURL, "/")
	return s
}

// notify mails the organisation's admins; a failed mail is logged by the
// mailer's job, it does not undo the decision.
func (s *Solutions) notify(ctx context.Context, sol Solution, key, comment string) error {
	if s.mail == nil {
		return nil
	}
	members, err := s.orgs.Members(ctx, sol.OrgID)
	if err != nil {
		return err
	}
	name := sol.Current().Entry.Name
	for _, m := range members {
		if m.Role != org.Admin {
			continue
		}
		kv := []any{"Name", name, "Comment", comment, "Link", s.baseURL + "/loesungen/" + sol.Slug}
		if err := s.mail.Send(ctx, account.Mail{To: m.Email, Lang: "de", Kind: key,
			Subject: s.texts.T("de", key+".subject", kv...), Text: s.texts.T("de", key+".text", kv...)}); err != nil {
			return fmt.Errorf("catalog: mail %s: %w", key, err)
		}
	}
	return nil
}

// NewSolutions returns the service.
func NewSolutions(store SolutionStore, orgs Orgs, fields FieldStore) *Solutions {
	return &Solutions{store: store, orgs: orgs, fields: fields, Now: time.Now}
}

func solutionAudit(u account.User, action, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: u.ID, ActorLabel: u.Email, Action: action,
		ObjectType: "solution", ObjectID: id, Details: details, IP: m.IP}
}

// check validates an entry against the current taxonomy.
func (s *Solutions) check(ctx context.Context, e *Entry) error {
	known, err := s.knownFields(ctx)
	if err != nil {
		return err
	}
	return e.Check(known, s.Now().UTC())
}

// knownFields returns the set of field-of-action keys.
func (s *Solutions) knownFields(ctx context.Context) (map[string]bool, error) {
	flat, err := s.fields.Fields(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, f := range flat {
		known[f.Key] = true
	}
	return known, nil
}

// membership returns u's membership in an organisation, nil when none.
func (s *Solutions) membership(ctx context.Context, u *account.User, orgID string) (*org.Membership, error) {
	if u == nil {
		return nil, nil
	}
	m, err := s.orgs.Membership(ctx, orgID, u.ID)
	switch {
	case err == nil:
		return &m, nil
	case apperr.Is(err, apperr.NotFound):
		return nil, nil
	}
	return nil, err
}

// Create opens a solution of the organisation orgSlug as a draft; any
// member may, also of an unverified organisation (which can prepare but
// not publish).
func (s *Solutions) Create(ctx context.Context, u account.User, orgSlug string, e Entry, m account.Meta) (Solution, error) {
	o, err := s.orgs.OrgBySlug(ctx, orgSlug)
	if err != nil {
		return Solution{}, err
	}
	mp, err := s.membership(ctx, &u, o.ID)
	if err != nil {
		return Solution{}, err
	}
	if mp == nil {
		return Solution{}, apperr.New(apperr.Forbidden, "catalog.error.not_member")
	}
	if err := joinInvalid(s.attachMedia(ctx, "", &e), s.check(ctx, &e)); err != nil {
		return Solution{}, err
	}
	sol := Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: org.Slug(e.Name), OrgID: o.ID}
	return s.store.CreateSolution(ctx, sol, e, solutionAudit(u, "catalog.solution_created", sol.ID, m, map[string]any{"name": e.Name}))
}

// Get returns a solution that u may see, with u's membership in its
// organisation; others are reported as not found.
func (s *Solutions) Get(ctx context.Context, u *account.User, slug string) (Solution, *org.Membership, error) {
	sol, err := s.store.SolutionBySlug(ctx, slug)
	if err != nil {
		return sol, nil, err
	}
	mp, err := s.membership(ctx, u, sol.OrgID)
	if err != nil {
		return sol, nil, err
	}
	if !Can(u, ActView, sol, mp) {
		return Solution{}, nil, apperr.New(apperr.NotFound, "catalog.error.solution_not_found")
	}
	return sol, mp, nil
}

func (s *Solutions) authorize(ctx context.Context, u account.User, slug string, act Action) (Solution, error) {
	sol, mp, err := s.Get(ctx, &u, slug)
	if err == nil && !Can(&u, act, sol, mp) {
		err = apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return sol, err
}

// Update saves a changed entry. While a version is in review it cannot be
// changed; a change to a published solution starts a new version, and the
// published one stays visible until a curator publishes the new one.
func (s *Solutions) Update(ctx context.Context, u account.User, slug string, lock int, e Entry, m account.Meta) error {
	sol, err := s.authorize(ctx, u, slug, ActEdit)
	if err != nil {
		return err
	}
	if sol.Working != nil && sol.Working.State == Submitted {
		return apperr.New(apperr.Conflict, "catalog.error.in_review")
	}
	if err := joinInvalid(s.attachMedia(ctx, sol.ID, &e), s.check(ctx, &e)); err != nil {
		return err
	}
	return s.store.SaveWorking(ctx, sol.ID, lock, e, u.ID, solutionAudit(u, "catalog.solution_updated", sol.ID, m, nil))
}

// Submit hands the working version to the curators. Only verified
// organisations may publish, so only they may submit.
func (s *Solutions) Submit(ctx context.Context, u account.User, slug string, lock int, m account.Meta) error {
	sol, err := s.authorize(ctx, u, slug, ActEdit)
	if err != nil {
		return err
	}
	o, err := s.orgs.OrgBySlug(ctx, sol.OrgSlug)
	if err != nil {
		return err
	}
	if !o.CanPublish() {
		return apperr.New(apperr.Forbidden, "catalog.error.org_unverified")
	}
	if sol.Working == nil {
		return apperr.New(apperr.Conflict, "catalog.error.nothing_to_submit")
	}
	return s.store.SetWorkingState(ctx, sol.ID, lock, []string{Draft, ChangesRequested}, Submitted, "", u.ID,
		solutionAudit(u, "catalog.solution_submitted", sol.ID, m, map[string]any{"version": sol.Working.Number}))
}

// Review is a curator's decision on a submitted version: publish it, or
// ask for changes with a comment (required) for the provider.
func (s *Solutions) Review(ctx context.Context, u account.User, slug string, lock int, publish bool, comment string, m account.Meta) error {
	sol, err := s.authorize(ctx, u, slug, ActReview)
	if err != nil {
		return err
	}
	if sol.Working == nil || sol.Working.State != Submitted {
		return apperr.New(apperr.Conflict, "catalog.error.state")
	}
	comment = strings.TrimSpace(comment)
	details := map[string]any{"version": sol.Working.Number, "comment": comment}
	if publish {
		if err := s.store.PublishWorking(ctx, sol.ID, lock, u.ID, solutionAudit(u, "catalog.solution_published", sol.ID, m, details)); err != nil {
			return err
		}
		if err := s.notifyReview(ctx, sol, "published"); err != nil {
			return err
		}
		return s.notify(ctx, sol, "catalog.mail.published", comment)
	}
	var v apperr.Validation
	v.Text("comment", comment, maxFreeText, true)
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.store.SetWorkingState(ctx, sol.ID, lock, []string{Submitted}, ChangesRequested, comment, u.ID,
		solutionAudit(u, "catalog.solution_changes_requested", sol.ID, m, details)); err != nil {
		return err
	}
	if err := s.notifyReview(ctx, sol, "changes"); err != nil {
		return err
	}
	return s.notify(ctx, sol, "catalog.mail.changes", comment)
}

// Archive takes a solution out of the catalogue with a reason; it is
// kept, never deleted.
func (s *Solutions) Archive(ctx context.Context, u account.User, slug string, lock int, reason string, m account.Meta) error {
	sol, err := s.authorize(ctx, u, slug, ActArchive)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	var v apperr.Validation
	v.Text("reason", reason, maxFreeText, true)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Archive(ctx, sol.ID, lock, reason, solutionAudit(u, "catalog.solution_archived", sol.ID, m, map[string]any{"reason": reason}))
}

// Versions returns all versions of a solution for those who may edit or
// review it.
func (s *Solutions) Versions(ctx context.Context, u account.User, slug string) ([]Version, error) {
	sol, mp, err := s.Get(ctx, &u, slug)
	if err != nil {
		return nil, err
	}
	if mp == nil && !Can(&u, ActReview, sol, mp) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.store.Versions(ctx, sol.ID)
}

// Queue returns the submitted versions for curators, oldest first.
func (s *Solutions) Queue(ctx context.Context, u account.User) ([]QueueItem, error) {
	if !u.Has(account.Curator) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.store.Queue(ctx, 200)
}

// Public returns a published, not archived solution as everyone sees it.
func (s *Solutions) Public(ctx context.Context, slug string) (Solution, error) {
	sol, _, err := s.Get(ctx, nil, slug)
	return sol, err
}
