package catalog

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// Report is a municipality's experience with a solution it declared,
// one per declaration, with the provider's answer.
type Report struct {
	ID          string
	UsageID     string
	SolutionID  string
	Org         UsingOrg // the municipality (ID, Slug, Name)
	Text        string
	Usability   int // ratings 1–5
	Support     int
	Integration int
	Value       int  // value for money
	Again       bool // would choose it again
	WrittenBy   string
	Created     time.Time
	Updated     time.Time
	Answer      string // the provider's answer, "" when none
	AnsweredBy  string
	Answered    *time.Time
	Hidden      *time.Time // hidden by a curator
	HiddenBy    string
	Reason      string // why it was hidden
	// Verified and Status are those of the declaration.
	Verified bool
	Status   string
}

// Visible reports whether the public sees the report: its declaration
// counts and no curator has hidden it.
func (r Report) Visible() bool { return r.Verified && r.Hidden == nil }

// ReportForm is what a member of a declaring municipality writes.
type ReportForm struct {
	Org         string // slug of the municipality
	Text        string
	Usability   int // 1–5 each
	Support     int
	Integration int
	Value       int
	Again       *bool // required
}

// Flag is a user's request that curators look at a report.
type Flag struct {
	ID       string
	ReportID string
	UserID   string
	Reason   string
	Created  time.Time
}

// FlaggedReport is a report in the curators' moderation queue.
type FlaggedReport struct {
	Report       Report
	SolutionSlug string
	SolutionName string
	Flags        []Flag // the open ones, oldest first
}

// ratingFields name the ratings in forms, the API and messages.
var ratingFields = []string{"usability", "support", "integration", "value"}

// RatingFields lists the names of the ratings in form order.
func RatingFields() []string { return append([]string(nil), ratingFields...) }

// Rating returns the rating named by one of RatingFields.
func (r Report) Rating(name string) int {
	switch name {
	case "usability":
		return r.Usability
	case "support":
		return r.Support
	case "integration":
		return r.Integration
	case "value":
		return r.Value
	}
	return 0
}

func checkReport(f ReportForm) (string, error) {
	var v apperr.Validation
	text := strings.TrimSpace(strings.ReplaceAll(f.Text, "\r\n", "\n"))
	v.Text("text", text, MaxReportText, true)
	for i, n := range []int{f.Usability, f.Support, f.Integration, f.Value} {
		if n < 1 || n > 5 {
			v.Add(ratingFields[i], "usage.error.rating")
		}
	}
	if f.Again == nil {
		v.Add("again", "usage.error.again")
	}
	return text, v.Err()
}

// SaveReport writes or rewrites the experience report of the municipality
// f.Org, which must have declared its use of the solution.
func (s *Usage) SaveReport(ctx context.Context, u account.User, slug string, f ReportForm, m account.Meta) (Report, error) {
	sol, err := s.solutions.Public(ctx, slug)
	if err != nil {
		return Report{}, err
	}
	o, err := s.declarer(ctx, u, f.Org)
	if err != nil {
		return Report{}, err
	}
	d, err := s.store.UseOf(ctx, sol.ID, o.ID)
	if err == nil && d.Withdrawn != nil || apperr.Is(err, apperr.NotFound) {
		var v apperr.Validation
		v.Add("organisation", "usage.error.declare_first")
		return Report{}, v.Err()
	}
	if err != nil {
		return Report{}, err
	}
	text, err := checkReport(f)
	if err != nil {
		return Report{}, err
	}
	r := Report{ID: uuid.Must(uuid.NewV7()).String(), UsageID: d.ID, SolutionID: sol.ID, Text: text, Usability: f.Usability,
		Support: f.Support, Integration: f.Integration, Value: f.Value, Again: *f.Again, WrittenBy: u.ID}
	return s.store.SaveReport(ctx, r, usageAudit(u, "catalog.usage_report_saved", "solution_usage", d.ID, m,
		map[string]any{"solution": sol.Slug, "organisation": o.Slug}))
}

// visibleReport returns a report of the published solution slug that the
// public sees; others are not found.
func (s *Usage) visibleReport(ctx context.Context, sol Solution, id string) (Report, error) {
	r, err := s.store.ReportByID(ctx, id)
	if err == nil && (r.SolutionID != sol.ID || !r.Visible()) || apperr.Is(err, apperr.NotFound) {
		return Report{}, apperr.New(apperr.NotFound, "usage.error.report_not_found")
	}
	return r, err
}

// ProviderReport returns a visible report for the provider to answer:
// apperr.Forbidden unless u is a member of the providing organisation.
func (s *Usage) ProviderReport(ctx context.Context, u account.User, slug, id string) (Solution, Report, error) {
	sol, mp, err := s.solutions.Get(ctx, &u, slug)
	if err != nil {
		return sol, Report{}, err
	}
	if !CanUse(&u, UseAnswer, nil, mp) {
		return sol, Report{}, apperr.New(apperr.Forbidden, "usage.error.provider_only")
	}
	if sol.Published == nil || sol.Archived != nil {
		return sol, Report{}, apperr.New(apperr.NotFound, "catalog.error.solution_not_found")
	}
	r, err := s.visibleReport(ctx, sol, id)
	return sol, r, err
}

// Answer sets the provider's answer to a report; answering again
// replaces it.
func (s *Usage) Answer(ctx context.Context, u account.User, slug, id, text string, m account.Meta) error {
	sol, r, err := s.ProviderReport(ctx, u, slug, id)
	if err != nil {
		return err
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	var v apperr.Validation
	v.Text("answer", text, MaxAnswer, true)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.AnswerReport(ctx, r.ID, text, u.ID, usageAudit(u, "catalog.usage_report_answered", "usage_report", r.ID, m,
		map[string]any{"solution": sol.Slug, "organisation": r.Org.Slug}))
}

// Report returns a visible report of a published solution.
func (s *Usage) Report(ctx context.Context, slug, id string) (Solution, Report, error) {
	sol, err := s.solutions.Public(ctx, slug)
	if err != nil {
		return sol, Report{}, err
	}
	r, err := s.visibleReport(ctx, sol, id)
	return sol, r, err
}

// Flag asks the curators to look at a visible report, with a reason.
func (s *Usage) Flag(ctx context.Context, u account.User, slug, id, reason string, m account.Meta) error {
	sol, r, err := s.Report(ctx, slug, id)
	if err != nil {
		return err
	}
	if !CanUse(&u, UseFlag, nil, nil) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	reason = strings.Join(strings.Fields(reason), " ")
	var v apperr.Validation
	v.Text("reason", reason, maxUseReason, true)
	if err := v.Err(); err != nil {
		return err
	}
	f := Flag{ID: uuid.Must(uuid.NewV7()).String(), ReportID: r.ID, UserID: u.ID, Reason: reason}
	return s.store.FlagReport(ctx, f, usageAudit(u, "catalog.usage_report_flagged", "usage_report", r.ID, m,
		map[string]any{"solution": sol.Slug, "reason": reason}))
}

// Flagged returns the moderation queue for curators.
func (s *Usage) Flagged(ctx context.Context, u account.User) ([]FlaggedReport, error) {
	if !CanUse(&u, UseModerate, nil, nil) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.store.Flagged(ctx, 200)
}

// FlaggedReport returns one report of the moderation queue for curators.
func (s *Usage) FlaggedReport(ctx context.Context, u account.User, id string) (FlaggedReport, error) {
	if !CanUse(&u, UseModerate, nil, nil) {
		return FlaggedReport{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if _, err := uuid.Parse(id); err != nil {
		return FlaggedReport{}, apperr.New(apperr.NotFound, "usage.error.no_flags")
	}
	fr, err := s.store.FlaggedReport(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return fr, apperr.New(apperr.NotFound, "usage.error.no_flags")
	}
	return fr, err
}

// Moderate is a curator's decision on a flagged report: hide it from the
// public (a reason is required) or dismiss the flags.
func (s *Usage) Moderate(ctx context.Context, u account.User, id string, hide bool, reason string, m account.Meta) error {
	if !CanUse(&u, UseModerate, nil, nil) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if _, err := uuid.Parse(id); err != nil {
		return apperr.New(apperr.NotFound, "usage.error.report_not_found")
	}
	r, err := s.store.ReportByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.NotFound, "usage.error.report_not_found")
	}
	if err != nil {
		return err
	}
	reason = strings.Join(strings.Fields(reason), " ")
	var v apperr.Validation
	v.Text("reason", reason, maxUseReason, hide)
	if err := v.Err(); err != nil {
		return err
	}
	action := "catalog.usage_flags_dismissed"
	if hide {
		action = "catalog.usage_report_hidden"
	}
	return s.store.Moderate(ctx, r.ID, hide, reason, u.ID, usageAudit(u, action, "usage_report", r.ID, m,
		map[string]any{"organisation": r.Org.Slug, "reason": reason}))
}
