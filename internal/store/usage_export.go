package store

// This file: a user's part of declared use, media and harvesting — read
// for their data export, and removed or detached when the account is
// deleted (DeleteUser).

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
)

var _ catalog.UsageExportStore = (*DB)(nil)

// exportSolution joins the solution s of the row alias and the version v
// whose name the export shows: the published one, else the one being
// edited.
func exportSolution(alias string) string {
	return ` JOIN solutions s ON s.id = ` + alias + `.solution_id LEFT JOIN solution_versions v ON v.solution_id = s.id
	AND v.number = COALESCE(s.published_version, s.working_version)`
}

// solutionNames reads solution names from entries, once per entry.
type solutionNames map[string]string

func (n solutionNames) name(entry sql.NullString) string {
	if !entry.Valid {
		return ""
	}
	name, ok := n[entry.String]
	if !ok {
		var e struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal([]byte(entry.String), &e) // a broken entry shows no name
		name, n[entry.String] = e.Name, e.Name
	}
	return name
}

// each runs q and calls scan for every row.
func (tx *Tx) each(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// UserUsage returns what declared use, media and harvesting hold about a
// user, oldest first.
func (db *DB) UserUsage(ctx context.Context, userID string) (catalog.UserUsage, error) {
	var d catalog.UserUsage
	if userID == "" { // the columns hold "" where nobody is named
		return d, nil
	}
	names := solutionNames{}
	err := db.view(ctx, func(tx *Tx) error {
		var entry sql.NullString
		by := []any{userID}
		err := tx.each(ctx, `SELECT u.id, s.slug, v.entry, o.name, o.slug, u.since, u.delivery_model, u.status, u.stop_reason, u.version,
			u.contactable, u.created_at, u.updated_at, u.withdrawn_at FROM solution_usages u JOIN organisations o ON o.id = u.org_id`+
			exportSolution("u")+` WHERE u.declared_by = ? ORDER BY u.created_at, u.id`, by, func(rows *sql.Rows) error {
			var (
				x         catalog.ExportDeclaration
				since     time.Time
				withdrawn nullTime
			)
			if err := rows.Scan(&x.ID, &x.SolutionSlug, &entry, &x.Organisation, &x.OrganisationSlug, &since, &x.Delivery, &x.Status,
				&x.Reason, &x.Version, &x.Contactable, &x.Created, &x.Updated, &withdrawn); err != nil {
				return err
			}
			x.Solution, x.Since, x.Withdrawn = names.name(entry), since.UTC().Format("2006-01"), withdrawn.ptr()
			x.Created, x.Updated = x.Created.UTC(), x.Updated.UTC()
			d.Declarations = append(d.Declarations, x)
			return nil
		})
		if err != nil {
			return fmt.Errorf("declarations: %w", err)
		}
		const reports = ` FROM usage_reports r JOIN solution_usages u ON u.id = r.usage_id JOIN organisations o ON o.id = u.org_id`
		err = tx.each(ctx, `SELECT r.id, s.slug, v.entry, o.name, r.body, r.usability, r.support, r.integration, r.value_for_money,
			r.choose_again, r.created_at, r.updated_at, r.hidden_at, r.hidden_reason`+reports+exportSolution("u")+`
			WHERE r.written_by = ? ORDER BY r.created_at, r.id`, by, func(rows *sql.Rows) error {
			var (
				x                catalog.ExportReport
				again            bool
				created, updated time.Time
				hidden           nullTime
			)
			if err := rows.Scan(&x.ID, &x.SolutionSlug, &entry, &x.Organisation, &x.Text, &x.Usability, &x.Support, &x.Integration,
				&x.Value, &again, &created, &updated, &hidden, &x.HiddenReason); err != nil {
				return err
			}
			x.Role, x.Solution, x.Again, x.Hidden = catalog.ReportAuthor, names.name(entry), &again, hidden.ptr()
			created, updated = created.UTC(), updated.UTC()
			x.Created, x.Updated = &created, &updated
			d.Reports = append(d.Reports, x)
			return nil
		})
		if err != nil {
			return fmt.Errorf("reports: %w", err)
		}
		err = tx.each(ctx, `SELECT r.id, s.slug, v.entry, o.name, r.answer, r.answered_at`+reports+exportSolution("u")+`
			WHERE r.answered_by = ? AND r.answer <> '' ORDER BY r.answered_at, r.id`, by, func(rows *sql.Rows) error {
			var (
				x        catalog.ExportReport
				answered nullTime
			)
			if err := rows.Scan(&x.ID, &x.SolutionSlug, &entry, &x.Organisation, &x.Answer, &answered); err != nil {
				return err
			}
			x.Role, x.Solution, x.Answered = catalog.ReportProvider, names.name(entry), answered.ptr()
			d.Reports = append(d.Reports, x)
			return nil
		})
		if err != nil {
			return fmt.Errorf("answers: %w", err)
		}
		err = tx.each(ctx, `SELECT f.id, f.report_id, s.slug, v.entry, o.name, f.reason, f.created_at, f.resolved_at, f.resolution
			FROM usage_report_flags f JOIN usage_reports r ON r.id = f.report_id JOIN solution_usages u ON u.id = r.usage_id
			JOIN organisations o ON o.id = u.org_id`+exportSolution("u")+` WHERE f.user_id = ? ORDER BY f.created_at, f.id`, by,
			func(rows *sql.Rows) error {
				var (
					x        catalog.ExportFlag
					resolved nullTime
				)
				if err := rows.Scan(&x.ID, &x.ReportID, &x.SolutionSlug, &entry, &x.Organisation, &x.Reason, &x.Created, &resolved,
					&x.Resolution); err != nil {
					return err
				}
				x.Solution, x.Created, x.Resolved = names.name(entry), x.Created.UTC(), resolved.ptr()
				d.Flags = append(d.Flags, x)
				return nil
			})
		if err != nil {
			return fmt.Errorf("flags: %w", err)
		}
		err = tx.each(ctx, `SELECT c.id, s.slug, v.entry, o.name, ro.name, c.message, c.created_at FROM usage_contacts c
			JOIN solution_usages u ON u.id = c.usage_id JOIN organisations o ON o.id = u.org_id
			JOIN organisations ro ON ro.id = c.requester_org_id`+exportSolution("u")+` WHERE c.requester_id = ? ORDER BY c.created_at, c.id`, by,
			func(rows *sql.Rows) error {
				var x catalog.ExportContact
				if err := rows.Scan(&x.ID, &x.SolutionSlug, &entry, &x.Organisation, &x.From, &x.Message, &x.Created); err != nil {
					return err
				}
				x.Solution, x.Created = names.name(entry), x.Created.UTC()
				d.Contacts = append(d.Contacts, x)
				return nil
			})
		if err != nil {
			return fmt.Errorf("contact requests: %w", err)
		}
		err = tx.each(ctx, `SELECT m.id, s.slug, v.entry, m.kind, m.created_at FROM solution_media m`+exportSolution("m")+`
			WHERE m.created_by = ? ORDER BY m.created_at, m.id`, by, func(rows *sql.Rows) error {
			var x catalog.ExportMedium
			if err := rows.Scan(&x.ID, &x.SolutionSlug, &entry, &x.Kind, &x.Created); err != nil {
				return err
			}
			x.Solution, x.Created = names.name(entry), x.Created.UTC()
			d.Media = append(d.Media, x)
			return nil
		})
		if err != nil {
			return fmt.Errorf("media: %w", err)
		}
		err = tx.each(ctx, `SELECT r.url, s.slug, v.entry, r.added_at FROM solution_repositories r`+exportSolution("r")+`
			WHERE r.added_by = ? ORDER BY r.added_at, r.id`, by, func(rows *sql.Rows) error {
			var x catalog.ExportRepository
			if err := rows.Scan(&x.URL, &x.SolutionSlug, &entry, &x.Added); err != nil {
				return err
			}
			x.Solution, x.Added = names.name(entry), x.Added.UTC()
			d.Repositories = append(d.Repositories, x)
			return nil
		})
		if err != nil {
			return fmt.Errorf("repositories: %w", err)
		}
		return nil
	})
	if err != nil {
		return d, fmt.Errorf("store: usage data of %s: %w", userID, err)
	}
	return d, nil
}

// forgetUsage removes, in DeleteUser's transaction, what declared use
// keeps of the user's own: their contact requests with the mails that
// relayed them (free text, the user's name and address), and their open
// flags. Resolved flags stay as the record of the curators' decision,
// without the user. Declarations, reports, answers, media and
// repositories belong to organisations: their *_by columns keep the id,
// which then names nobody (no page looks a name up by it).
func (tx *Tx) forgetUsage(ctx context.Context, userID string, addrs []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM usage_contacts WHERE requester_id = ?`, userID); err != nil {
		return fmt.Errorf("store: delete contact requests: %w", err)
	}
	for _, a := range addrs {
		if _, err := tx.exec(ctx, `DELETE FROM mail_outbox WHERE kind = 'catalog.usage_contact' AND body LIKE ? ESCAPE '\'`,
			"%"+escapeLike(a)+"%"); err != nil {
			return fmt.Errorf("store: delete contact mails: %w", err)
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM usage_report_flags WHERE user_id = ? AND resolved_at IS NULL`, userID); err != nil {
		return fmt.Errorf("store: delete open flags: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE usage_report_flags SET user_id = '' WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: detach resolved flags: %w", err)
	}
	return nil
}
