package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

const reportColumns = `r.id, r.usage_id, u.solution_id, o.id, o.slug, o.name, r.body, r.usability, r.support, r.integration,
	r.value_for_money, r.choose_again, r.written_by, r.created_at, r.updated_at, r.answer, r.answered_by, r.answered_at,
	r.hidden_at, r.hidden_by, r.hidden_reason, ` + useVerified + `, u.status`

// reportFrom joins a report with its declaration (u) and organisation
// (o); reports of withdrawn declarations are left out.
const reportFrom = ` FROM usage_reports r JOIN solution_usages u ON u.id = r.usage_id AND u.withdrawn_at IS NULL
	JOIN organisations o ON o.id = u.org_id`

func scanReport(sc interface{ Scan(...any) error }) (catalog.Report, error) {
	var (
		r                  catalog.Report
		again, verified    bool
		answered, hiddenAt nullTime
	)
	err := sc.Scan(&r.ID, &r.UsageID, &r.SolutionID, &r.Org.ID, &r.Org.Slug, &r.Org.Name, &r.Text, &r.Usability, &r.Support,
		&r.Integration, &r.Value, &again, &r.WrittenBy, &r.Created, &r.Updated, &r.Answer, &r.AnsweredBy, &answered,
		&hiddenAt, &r.HiddenBy, &r.Reason, &verified, &r.Status)
	if err != nil {
		return r, err
	}
	r.Again, r.Verified, r.Created, r.Updated = again, verified, r.Created.UTC(), r.Updated.UTC()
	r.Answered, r.Hidden = answered.ptr(), hiddenAt.ptr()
	return r, nil
}

func (tx *Tx) report(ctx context.Context, where string, args ...any) (catalog.Report, error) {
	r, err := scanReport(tx.queryRow(ctx, `SELECT `+reportColumns+reportFrom+` WHERE `+where, args...))
	if err != nil {
		if isNotFound(mapError(err)) {
			return r, apperr.New(apperr.NotFound, "usage.error.report_not_found")
		}
		return r, fmt.Errorf("store: report: %w", err)
	}
	return r, nil
}

// SaveReport inserts or updates the report of a declaration.
func (db *DB) SaveReport(ctx context.Context, r catalog.Report, audit account.AuditEntry) (catalog.Report, error) {
	var out catalog.Report
	err := db.inTx(ctx, func(tx *Tx) error {
		var id string
		err := tx.queryRow(ctx, `SELECT id FROM usage_reports WHERE usage_id = ?`, r.UsageID).Scan(&id)
		switch {
		case isNotFound(mapError(err)):
			id = r.ID
			_, err = tx.exec(ctx, `INSERT INTO usage_reports (id, usage_id, body, usability, support, integration, value_for_money,
				choose_again, written_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.ID, r.UsageID, r.Text, r.Usability, r.Support, r.Integration, r.Value, r.Again, r.WrittenBy, tx.now, tx.now)
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(err, apperr.Conflict, "usage.error.stale")
			}
		case err == nil:
			_, err = tx.exec(ctx, `UPDATE usage_reports SET body = ?, usability = ?, support = ?, integration = ?, value_for_money = ?,
				choose_again = ?, written_by = ?, updated_at = ? WHERE id = ?`,
				r.Text, r.Usability, r.Support, r.Integration, r.Value, r.Again, r.WrittenBy, tx.now, id)
		}
		if err != nil {
			return fmt.Errorf("store: save report of %s: %w", r.UsageID, err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.report(ctx, "r.id = ?", id)
		return err
	})
	return out, err
}

// Reports returns the reports of a solution, newest first.
func (db *DB) Reports(ctx context.Context, solutionID string) ([]catalog.Report, error) {
	rows, err := db.query(ctx, `SELECT `+reportColumns+reportFrom+` WHERE u.solution_id = ? ORDER BY r.updated_at DESC, r.id DESC`, solutionID)
	if err != nil {
		return nil, fmt.Errorf("store: reports of %s: %w", solutionID, err)
	}
	defer rows.Close()
	var out []catalog.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("store: reports of %s: %w", solutionID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReportByID returns a report of a declaration that is not withdrawn.
func (db *DB) ReportByID(ctx context.Context, id string) (catalog.Report, error) {
	var r catalog.Report
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.report(ctx, "r.id = ?", id)
		return err
	})
	return r, err
}

// AnswerReport sets the provider's answer.
func (db *DB) AnswerReport(ctx context.Context, id, answer, by string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE usage_reports SET answer = ?, answered_by = ?, answered_at = ? WHERE id = ? AND hidden_at IS NULL`,
			answer, by, tx.now, id)
		if err != nil {
			return fmt.Errorf("store: answer report %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "usage.error.report_not_found")
		}
		return tx.addAudit(ctx, audit)
	})
}

// FlagReport stores a user's flag on a report.
func (db *DB) FlagReport(ctx context.Context, f catalog.Flag, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO usage_report_flags (id, report_id, user_id, reason, created_at) VALUES (?, ?, ?, ?, ?)`,
			f.ID, f.ReportID, f.UserID, f.Reason, tx.now)
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Wrap(err, apperr.Conflict, "usage.error.flagged")
		}
		if err != nil {
			return fmt.Errorf("store: flag report %s: %w", f.ReportID, err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// Flagged returns the reports with open flags, oldest flag first.
func (db *DB) Flagged(ctx context.Context, limit int) ([]catalog.FlaggedReport, error) {
	var out []catalog.FlaggedReport
	err := db.view(ctx, func(tx *Tx) error {
		ids, err := tx.strings(ctx, `SELECT f.report_id FROM usage_report_flags f JOIN usage_reports r ON r.id = f.report_id
			JOIN solution_usages u ON u.id = r.usage_id AND u.withdrawn_at IS NULL
			WHERE f.resolved_at IS NULL AND r.hidden_at IS NULL GROUP BY f.report_id ORDER BY MIN(f.created_at), f.report_id LIMIT `+strconv.Itoa(limit))
		if err != nil {
			return err
		}
		for _, id := range ids {
			fr, err := tx.flagged(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, fr)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: flagged reports: %w", err)
	}
	return out, nil
}

// FlaggedReport returns one report with its open flags; apperr.NotFound
// ("usage.error.no_flags") when it has none or is hidden.
func (db *DB) FlaggedReport(ctx context.Context, id string) (catalog.FlaggedReport, error) {
	var fr catalog.FlaggedReport
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		if fr, err = tx.flagged(ctx, id); err != nil {
			return err
		}
		if len(fr.Flags) == 0 || fr.Report.Hidden != nil {
			return apperr.New(apperr.NotFound, "usage.error.no_flags")
		}
		return nil
	})
	return fr, err
}

// flagged reads a report with its solution and open flags.
func (tx *Tx) flagged(ctx context.Context, id string) (catalog.FlaggedReport, error) {
	var (
		fr    catalog.FlaggedReport
		entry string
		err   error
	)
	if fr.Report, err = tx.report(ctx, "r.id = ?", id); err != nil {
		return fr, err
	}
	if err := tx.queryRow(ctx, `SELECT s.slug, v.entry FROM solutions s JOIN solution_versions v ON v.solution_id = s.id
		AND v.number = COALESCE(s.published_version, s.working_version) WHERE s.id = ?`, fr.Report.SolutionID).Scan(&fr.SolutionSlug, &entry); err != nil {
		return fr, fmt.Errorf("store: flagged report %s: solution: %w", id, err)
	}
	var e catalog.Entry
	if err := json.Unmarshal([]byte(entry), &e); err != nil {
		return fr, fmt.Errorf("store: flagged report %s: entry: %w", id, err)
	}
	fr.SolutionName = e.Name
	fr.Flags, err = tx.openFlags(ctx, id)
	return fr, err
}

func (tx *Tx) openFlags(ctx context.Context, reportID string) ([]catalog.Flag, error) {
	rows, err := tx.query(ctx, `SELECT id, report_id, user_id, reason, created_at FROM usage_report_flags
		WHERE report_id = ? AND resolved_at IS NULL ORDER BY created_at, id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("store: flags of %s: %w", reportID, err)
	}
	defer rows.Close()
	var out []catalog.Flag
	for rows.Next() {
		var f catalog.Flag
		if err := rows.Scan(&f.ID, &f.ReportID, &f.UserID, &f.Reason, &f.Created); err != nil {
			return nil, fmt.Errorf("store: flags of %s: %w", reportID, err)
		}
		f.Created = f.Created.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

// Moderate resolves a report's open flags and hides it when asked.
func (db *DB) Moderate(ctx context.Context, id string, hide bool, reason, by string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		resolution := "dismissed"
		if hide {
			resolution = "hidden"
		}
		// The update of the flags decides: a second curator deciding at the
		// same moment finds none open.
		res, err := tx.exec(ctx, `UPDATE usage_report_flags SET resolved_at = ?, resolved_by = ?, resolution = ?
			WHERE report_id = ? AND resolved_at IS NULL`, tx.now, by, resolution, id)
		if err != nil {
			return fmt.Errorf("store: moderate report %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.Conflict, "usage.error.no_flags")
		}
		if hide {
			if _, err := tx.exec(ctx, `UPDATE usage_reports SET hidden_at = ?, hidden_by = ?, hidden_reason = ? WHERE id = ?`,
				tx.now, by, reason, id); err != nil {
				return fmt.Errorf("store: hide report %s: %w", id, err)
			}
		}
		return tx.addAudit(ctx, audit)
	})
}
