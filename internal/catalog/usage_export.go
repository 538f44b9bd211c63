package catalog

// This file: what declared use, media and harvesting hold about one user,
// for their data export (GDPR Art. 15 and 20). Declarations, reports,
// answers, media and repositories belong to organisations (they stay when
// the account is deleted); the export lists those the user made, without
// the pictures' bytes. Flags and contact requests are the user's own.

import (
	"context"
	"time"

	"github.com/smartregions/smartregions/internal/account"
)

// UserUsage is what the database holds about one user in declared use,
// media and harvesting (UsageExportStore.UserUsage), oldest first.
type UserUsage struct {
	Declarations []ExportDeclaration // declared_by: the user made the last change
	Reports      []ExportReport      // reports the user last wrote, then answers the user wrote
	Flags        []ExportFlag
	Contacts     []ExportContact
	Media        []ExportMedium
	Repositories []ExportRepository
}

// ExportDeclaration is a declaration of use in a user's data export.
type ExportDeclaration struct {
	ID               string     `json:"id"`
	Solution         string     `json:"solution"` // the solution's name
	SolutionSlug     string     `json:"solution_slug"`
	Organisation     string     `json:"organisation"` // the declaring municipality's name
	OrganisationSlug string     `json:"organisation_slug"`
	Since            string     `json:"since"` // a month: 2024-03
	Delivery         string     `json:"delivery_model"`
	Status           string     `json:"status"`
	Reason           string     `json:"stop_reason"` // as in the API
	Version          int        `json:"version"`
	Contactable      bool       `json:"contactable"`
	Created          time.Time  `json:"created_at"`
	Updated          time.Time  `json:"updated_at"`
	Withdrawn        *time.Time `json:"withdrawn_at"`
}

// Roles of the user in an ExportReport.
const (
	ReportAuthor   = "author"   // wrote the report
	ReportProvider = "provider" // wrote the provider's answer
)

// ExportReport is an experience report in a user's data export: one the
// user wrote (Role ReportAuthor: text, ratings, hiding) or answered for
// the provider (Role ReportProvider: answer).
type ExportReport struct {
	ID           string     `json:"id"`
	Role         string     `json:"role"`
	Solution     string     `json:"solution"`
	SolutionSlug string     `json:"solution_slug"`
	Organisation string     `json:"organisation"` // the reporting municipality
	Text         string     `json:"text,omitempty"`
	Usability    int        `json:"usability,omitempty"`
	Support      int        `json:"support,omitempty"`
	Integration  int        `json:"integration,omitempty"`
	Value        int        `json:"value_for_money,omitempty"`
	Again        *bool      `json:"choose_again,omitempty"`
	Created      *time.Time `json:"created_at,omitempty"`
	Updated      *time.Time `json:"updated_at,omitempty"`
	Hidden       *time.Time `json:"hidden_at,omitempty"`
	HiddenReason string     `json:"hidden_reason,omitempty"`
	Answer       string     `json:"answer,omitempty"`
	Answered     *time.Time `json:"answered_at,omitempty"`
}

// ExportFlag is a flag the user raised on a report.
type ExportFlag struct {
	ID           string     `json:"id"`
	ReportID     string     `json:"report_id"`
	Solution     string     `json:"solution"`
	SolutionSlug string     `json:"solution_slug"`
	Organisation string     `json:"organisation"` // the reporting municipality
	Reason       string     `json:"reason"`
	Created      time.Time  `json:"created_at"`
	Resolved     *time.Time `json:"resolved_at"`
	Resolution   string     `json:"resolution"` // "", "hidden" or "dismissed"
}

// ExportContact is a contact request the user sent.
type ExportContact struct {
	ID           string    `json:"id"`
	Solution     string    `json:"solution"`
	SolutionSlug string    `json:"solution_slug"`
	Organisation string    `json:"organisation"`      // the municipality asked
	From         string    `json:"from_organisation"` // the municipality the user asked for
	Message      string    `json:"message"`
	Created      time.Time `json:"created_at"`
}

// ExportMedium is a logo or screenshot the user uploaded, without its
// bytes: the picture is the organisation's content.
type ExportMedium struct {
	ID           string    `json:"id"`
	Solution     string    `json:"solution"`
	SolutionSlug string    `json:"solution_slug"`
	Kind         string    `json:"kind"`
	Created      time.Time `json:"created_at"`
}

// ExportRepository is a git repository the user registered for a
// solution.
type ExportRepository struct {
	URL          string    `json:"url"`
	Solution     string    `json:"solution"`
	SolutionSlug string    `json:"solution_slug"`
	Added        time.Time `json:"added_at"`
}

// UsageExportStore reads a user's part of declared use, media and
// harvesting (store.DB).
type UsageExportStore interface {
	UserUsage(ctx context.Context, userID string) (UserUsage, error)
}

// Export adds the user's declarations, experience reports and answers,
// flags, contact requests, uploaded media and registered repositories to
// their data export (an account.ExportFunc). Each is a list, empty when
// there is nothing.
func (s *Usage) Export(ctx context.Context, userID string, e *account.Export) error {
	d, err := s.store.UserUsage(ctx, userID)
	if err != nil {
		return err
	}
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra["usage_declarations"] = orEmpty(d.Declarations)
	e.Extra["experience_reports"] = orEmpty(d.Reports)
	e.Extra["report_flags"] = orEmpty(d.Flags)
	e.Extra["contact_requests"] = orEmpty(d.Contacts)
	e.Extra["uploaded_media"] = orEmpty(d.Media)
	e.Extra["registered_repositories"] = orEmpty(d.Repositories)
	return nil
}

// orEmpty returns l, or an empty list for nil, so that JSON shows [].
func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}
