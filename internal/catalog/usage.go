package catalog

// This file: verified municipal use of solutions ("Wer nutzt das?"). A
// municipality organisation declares that it uses a published solution;
// the declaration counts (is verified) when the organisation is verified
// and the declaring user is still one of its members. Only municipalities
// declare: districts and states buy for other purposes, and the summary
// compares municipalities by population, which a district would distort.
// Unverified declarations are not public: the members of the declaring
// organisation see them marked as such, everyone else does not see them
// (an unverified organisation could be anyone's claim).

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the calendar month of the caps is Europe/Berlin's

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
)

// Statuses of a declared use.
const (
	InUse    = "in_use"
	Piloting = "piloting"
	Stopped  = "stopped" // requires a reason
)

// UseStatuses lists the statuses in form order.
var UseStatuses = []string{InUse, Piloting, Stopped}

// Limits of the texts about use.
const (
	MaxReportText  = 5000
	MaxAnswer      = 2000
	MaxContactText = 2000
	maxUseReason   = 500
)

// UsingOrg is the municipality behind a declaration, with what the
// register says about it.
type UsingOrg struct {
	ID, Slug, Name string
	AGS            string
	StateKey       string
	StateName      string
	Population     int64 // 0 when the register does not know the key
}

// Declaration is a municipality's statement that it uses a solution.
type Declaration struct {
	ID          string
	SolutionID  string
	Org         UsingOrg
	Since       time.Time // the first day (UTC) of the month of first use
	Delivery    string    // one of DeliveryModels
	Status      string    // one of UseStatuses
	Reason      string    // why it stopped
	Version     int       // the solution's version in use
	Contactable bool      // peers may send contact requests about it
	DeclaredBy  string    // user id
	// Verified: the organisation is verified and DeclaredBy is still a
	// member. Only verified declarations count.
	Verified   bool
	Created    time.Time
	Updated    time.Time
	Withdrawn  *time.Time
	FollowUp6  *time.Time // when the follow-up mails went out
	FollowUp12 *time.Time
}

// Current reports whether the municipality still uses the solution (in
// use or piloting).
func (d Declaration) Current() bool { return d.Status == InUse || d.Status == Piloting }

// SinceLabel is the month of first use as people write it: 03/2024.
func (d Declaration) SinceLabel() string { return d.Since.Format("01/2006") }

// UseForm is what a member enters to declare the use of their
// municipality.
type UseForm struct {
	Org         string // slug of the declaring municipality organisation
	Since       string // a month: 2024-03, 03/2024, 03.2024 (or a date in it)
	Delivery    string
	Status      string
	Reason      string
	Version     int // 0: the version published now
	Contactable bool
}

// UseAction is something a user may do about the use of a solution.
type UseAction int

// The actions CanUse decides.
const (
	UseDeclare  UseAction = iota // declare, change or withdraw their municipality's use; write its report
	UseContact                   // ask a municipality that uses it
	UseAnswer                    // answer a report (the provider)
	UseFlag                      // flag a report for moderation
	UseModerate                  // hide a flagged report or dismiss its flags
)

// CanUse is the one authorisation rule of declared use: may u (nil for a
// visitor) do act, where acting is u's membership in the organisation u
// acts for (nil when none) and provider u's membership in the solution's
// providing organisation (nil when none)?
func CanUse(u *account.User, act UseAction, acting, provider *org.Membership) bool {
	if u == nil {
		return false
	}
	municipal := acting != nil && acting.OrgKind == org.Municipality
	switch act {
	case UseDeclare:
		return municipal
	case UseContact:
		// Only verified municipalities ask: anyone may open an unverified
		// organisation, and the caps alone would not stop a stranger.
		return municipal && acting.Verified
	case UseAnswer:
		return provider != nil
	case UseFlag:
		return true
	case UseModerate:
		return u.Has(account.Curator)
	}
	return false
}

// UsageOrgs is what declared use needs to know about organisations
// (store.DB).
type UsageOrgs interface {
	OrgBySlug(ctx context.Context, slug string) (org.Organisation, error)
	Membership(ctx context.Context, orgID, userID string) (org.Membership, error)
	Members(ctx context.Context, orgID string) ([]org.Membership, error)
	UserMemberships(ctx context.Context, userID string) ([]org.Membership, error)
}

// Outbox prepares mails that a store method adds in its own transaction,
// so a mail exists exactly when what it reports does (mail.Service).
type Outbox interface {
	Prepare(m mail.Message) (mail.Outgoing, error)
}

// Usage holds the rules of declared use, experience reports, contact
// requests and follow-up reviews.
type Usage struct {
	store     UsageStore
	solutions *Solutions
	orgs      UsageOrgs
	outbox    Outbox
	texts     account.Texts
	baseURL   string
	log       *slog.Logger
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewUsage returns the service. Mails (contact requests, follow-ups) go
// through outbox with texts in German; their links start with baseURL.
func NewUsage(store UsageStore, solutions *Solutions, orgs UsageOrgs, outbox Outbox, texts account.Texts, baseURL string, log *slog.Logger) *Usage {
	return &Usage{store: store, solutions: solutions, orgs: orgs, outbox: outbox, texts: texts,
		baseURL: strings.TrimSuffix(baseURL, "/"), log: log, Now: time.Now}
}

func usageAudit(u account.User, action, objectType, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: u.ID, ActorLabel: u.Email, Action: action,
		ObjectType: objectType, ObjectID: id, Details: details, IP: m.IP}
}

// Municipalities returns u's memberships in municipality organisations,
// those u may declare for.
func (s *Usage) Municipalities(ctx context.Context, u account.User) ([]org.Membership, error) {
	all, err := s.orgs.UserMemberships(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var out []org.Membership
	for _, m := range all {
		if m.OrgKind == org.Municipality {
			out = append(out, m)
		}
	}
	return out, nil
}

// acting returns the organisation u names to act for with u's membership:
// Invalid ("organisation") when none is named or it does not exist,
// Forbidden when u is not a member.
func (s *Usage) acting(ctx context.Context, u account.User, slug string) (org.Organisation, *org.Membership, error) {
	var v apperr.Validation
	if slug = strings.TrimSpace(slug); slug == "" {
		v.Add("organisation", "usage.error.organisation")
		return org.Organisation{}, nil, v.Err()
	}
	o, err := s.orgs.OrgBySlug(ctx, slug)
	if apperr.Is(err, apperr.NotFound) {
		v.Add("organisation", "usage.error.organisation")
		return o, nil, v.Err()
	}
	if err != nil {
		return o, nil, err
	}
	m, err := s.orgs.Membership(ctx, o.ID, u.ID)
	if apperr.Is(err, apperr.NotFound) {
		return o, nil, apperr.New(apperr.Forbidden, "usage.error.not_member")
	}
	if err != nil {
		return o, nil, err
	}
	m.OrgKind, m.Verified = o.Kind, o.Verified()
	return o, &m, nil
}

// declarer returns the municipality u declares for; Invalid
// ("organisation") when it is no municipality.
func (s *Usage) declarer(ctx context.Context, u account.User, slug string) (org.Organisation, error) {
	o, m, err := s.acting(ctx, u, slug)
	if err != nil {
		return o, err
	}
	if !CanUse(&u, UseDeclare, m, nil) {
		var v apperr.Validation
		v.Add("organisation", "usage.error.org_kind")
		return o, v.Err()
	}
	return o, nil
}

// ParseMonth reads a month as 2024-03, 03/2024, 3.2024 or a date in it
// (2024-03-15, 15.03.2024) and returns its first day in UTC.
func ParseMonth(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01", "01/2006", "1/2006", "01.2006", "1.2006", "2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC // cannot happen: time/tzdata is embedded
	}
	return loc
}()

// monthStart returns the first moment of t's calendar month in
// Europe/Berlin, as UTC.
func monthStart(t time.Time) time.Time {
	b := t.In(berlin)
	return time.Date(b.Year(), b.Month(), 1, 0, 0, 0, 0, berlin).UTC()
}

// checkUse validates f for sol and fills d.
func (s *Usage) checkUse(sol Solution, f UseForm, d *Declaration) error {
	var v apperr.Validation
	now := s.Now().In(berlin)
	since, ok := ParseMonth(f.Since)
	switch {
	case strings.TrimSpace(f.Since) == "":
		v.Add("since", "form.error.required")
	case !ok:
		v.Add("since", "usage.error.since")
	case since.After(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)):
		v.Add("since", "usage.error.since_future")
	case since.Year() < 1990:
		v.Add("since", "usage.error.since_past")
	}
	if !slices.Contains(DeliveryModels, f.Delivery) {
		v.Add("delivery", "usage.error.delivery")
	}
	reason := strings.Join(strings.Fields(f.Reason), " ")
	switch {
	case !slices.Contains(UseStatuses, f.Status):
		v.Add("status", "usage.error.status")
	case f.Status == Stopped && reason == "":
		v.Add("reason", "usage.error.reason")
	case f.Status != Stopped:
		reason = ""
	}
	v.Text("reason", reason, maxUseReason, false)
	version := f.Version
	if version == 0 {
		version = sol.Published.Number
	}
	if version < 1 || version > sol.Published.Number {
		v.Add("version", "usage.error.version", "Max", sol.Published.Number)
	}
	d.Since, d.Delivery, d.Status, d.Reason, d.Version, d.Contactable = since, f.Delivery, f.Status, reason, version, f.Contactable
	return v.Err()
}

// Declare records that the municipality f.Org uses the published solution
// slug, or changes its declaration (also one withdrawn before). Members
// of municipality organisations may; the declaration counts once the
// organisation is verified.
func (s *Usage) Declare(ctx context.Context, u account.User, slug string, f UseForm, m account.Meta) (Declaration, error) {
	sol, err := s.solutions.Public(ctx, slug)
	if err != nil {
		return Declaration{}, err
	}
	o, err := s.declarer(ctx, u, f.Org)
	if err != nil {
		return Declaration{}, err
	}
	d, err := s.store.UseOf(ctx, sol.ID, o.ID)
	isNew := apperr.Is(err, apperr.NotFound)
	if err != nil && !isNew {
		return Declaration{}, err
	}
	if isNew {
		d = Declaration{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, Org: UsingOrg{ID: o.ID, Slug: o.Slug, Name: o.Name}}
	}
	if err := s.checkUse(sol, f, &d); err != nil {
		return Declaration{}, err
	}
	d.DeclaredBy = u.ID
	action := "catalog.usage_updated"
	if isNew || d.Withdrawn != nil {
		action = "catalog.usage_declared"
	}
	audit := usageAudit(u, action, "solution_usage", d.ID, m, map[string]any{"solution": sol.Slug, "organisation": o.Slug,
		"status": d.Status, "since": d.Since.Format("2006-01"), "delivery": d.Delivery, "version": d.Version, "contactable": d.Contactable})
	return s.store.SaveUse(ctx, d, isNew, audit)
}

// Withdraw takes back the declaration of the municipality orgSlug;
// apperr.NotFound when it has none.
func (s *Usage) Withdraw(ctx context.Context, u account.User, slug, orgSlug string, m account.Meta) error {
	sol, err := s.solutions.Public(ctx, slug)
	if err != nil {
		return err
	}
	o, err := s.declarer(ctx, u, orgSlug)
	if err != nil {
		return err
	}
	d, err := s.store.UseOf(ctx, sol.ID, o.ID)
	if err == nil && d.Withdrawn != nil || apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.NotFound, "usage.error.not_declared")
	}
	if err != nil {
		return err
	}
	return s.store.WithdrawUse(ctx, d.ID, usageAudit(u, "catalog.usage_withdrawn", "solution_usage", d.ID, m,
		map[string]any{"solution": sol.Slug, "organisation": o.Slug}))
}

// Own returns the declaration of the municipality orgSlug for the
// solution, for its members' form; apperr.NotFound when there is none
// (or it was withdrawn).
func (s *Usage) Own(ctx context.Context, u account.User, sol Solution, orgSlug string) (Declaration, error) {
	o, err := s.declarer(ctx, u, orgSlug)
	if err != nil {
		return Declaration{}, err
	}
	d, err := s.store.UseOf(ctx, sol.ID, o.ID)
	if err == nil && d.Withdrawn != nil {
		err = apperr.New(apperr.NotFound, "usage.error.not_declared")
	}
	return d, err
}

// UsedBy returns, per solution id, the names of the verified
// municipalities that currently use it — the platform's publiccode.yml
// usedBy and the badge "used by N verified municipalities".
func (s *Usage) UsedBy(ctx context.Context, sols ...Solution) (map[string][]string, error) {
	ids := make([]string, 0, len(sols))
	for _, sol := range sols {
		ids = append(ids, sol.ID)
	}
	if len(ids) == 0 {
		return map[string][]string{}, nil
	}
	return s.store.UsedBy(ctx, ids)
}

// UsageStore is what declared use needs from the database. Methods return
// apperr.NotFound for unknown objects; each write runs in one transaction
// with its audit entry and mails.
type UsageStore interface {
	// SaveUse inserts (isNew) or updates a declaration, clearing a
	// withdrawal, and returns it as stored.
	SaveUse(ctx context.Context, d Declaration, isNew bool, audit account.AuditEntry) (Declaration, error)
	WithdrawUse(ctx context.Context, id string, audit account.AuditEntry) error
	// UseOf returns the declaration of an organisation for a solution,
	// also a withdrawn one.
	UseOf(ctx context.Context, solutionID, orgID string) (Declaration, error)
	// UseByID returns a declaration that is not withdrawn.
	UseByID(ctx context.Context, id string) (Declaration, error)
	// Uses returns a solution's declarations that are not withdrawn, by
	// organisation name.
	Uses(ctx context.Context, solutionID string) ([]Declaration, error)
	// UsedBy returns, per solution id, the names of the organisations of
	// verified, current declarations, by name.
	UsedBy(ctx context.Context, solutionIDs []string) (map[string][]string, error)

	// SaveReport inserts or updates the report of r.UsageID; an update
	// keeps the answer and a hiding.
	SaveReport(ctx context.Context, r Report, audit account.AuditEntry) (Report, error)
	// Reports returns the reports of a solution's declarations that are
	// not withdrawn, hidden ones included, newest first.
	Reports(ctx context.Context, solutionID string) ([]Report, error)
	ReportByID(ctx context.Context, id string) (Report, error)
	AnswerReport(ctx context.Context, id, answer, by string, audit account.AuditEntry) error
	// FlagReport stores a flag; apperr.Conflict ("usage.error.flagged")
	// when the user has an open flag on the report.
	FlagReport(ctx context.Context, f Flag, audit account.AuditEntry) error
	// Flagged returns the reports with open flags, oldest flag first.
	Flagged(ctx context.Context, limit int) ([]FlaggedReport, error)
	// FlaggedReport returns one report with open flags;
	// apperr.NotFound ("usage.error.no_flags") when it has none.
	FlaggedReport(ctx context.Context, id string) (FlaggedReport, error)
	// Moderate resolves a report's open flags, hiding it with reason
	// when hide is set; apperr.Conflict ("usage.error.no_flags") when it
	// has none open.
	Moderate(ctx context.Context, id string, hide bool, reason, by string, audit account.AuditEntry) error

	// AddContact stores a contact request with its mails unless a cap of
	// lim is reached (apperr.TooMany, "usage.error.cap_user" or
	// "usage.error.cap_use").
	AddContact(ctx context.Context, c Contact, lim ContactLimit, mails []mail.Outgoing, audit account.AuditEntry) error
	// DueFollowUps returns verified, current declarations of published
	// solutions whose six-month follow-up (declared before due6) or
	// twelve-month follow-up (declared before due12) has not been sent.
	DueFollowUps(ctx context.Context, due6, due12 time.Time, limit int) ([]FollowUp, error)
	// MarkFollowUp records that the follow-up of stage (6 or 12) was sent
	// and stores its mails, unless it was recorded already; it reports
	// whether it recorded it. Stage 12 also settles stage 6.
	MarkFollowUp(ctx context.Context, id string, stage int, mails []mail.Outgoing) (bool, error)

	UsageExportStore // the user's part, for their data export
}
