package store

import (
	"context"
	"fmt"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

var _ catalog.MediaStore = (*DB)(nil)

// mediumReferenced holds for a row of solution_media that some version
// of its solution refers to. Versions keep their entry as JSON text, the
// same on both databases; a UUID found in it is a reference. Text that
// merely quotes the id (a link in the description) keeps the medium too,
// which errs on the safe side.
const mediumReferenced = `EXISTS (SELECT 1 FROM solution_versions v WHERE v.solution_id = solution_media.solution_id
	AND v.entry LIKE '%' || solution_media.id || '%')`

const mediumColumns = `id, solution_id, kind, content_type, width, height, sha256, alt, created_by, created_at`

func scanMedium(sc interface{ Scan(...any) error }, data *[]byte) (catalog.Medium, error) {
	var m catalog.Medium
	dest := []any{&m.ID, &m.SolutionID, &m.Kind, &m.ContentType, &m.Width, &m.Height, &m.SHA256, &m.Alt, &m.CreatedBy, &m.Created}
	if data != nil {
		dest = append(dest, data)
	}
	err := sc.Scan(dest...)
	m.Created = m.Created.UTC()
	return m, err
}

// AddMedium stores a medium unless its solution has too many that no
// version refers to.
func (db *DB) AddMedium(ctx context.Context, m catalog.Medium, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var pending int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM solution_media WHERE solution_id = ? AND NOT `+mediumReferenced,
			m.SolutionID).Scan(&pending); err != nil {
			return fmt.Errorf("store: pending media of solution %s: %w", m.SolutionID, mapError(err))
		}
		if pending >= catalog.MaxPendingMedia {
			return apperr.New(apperr.TooMany, "media.error.pending", "Max", catalog.MaxPendingMedia)
		}
		if _, err := tx.exec(ctx, `INSERT INTO solution_media (id, solution_id, kind, content_type, width, height, bytes, sha256, alt, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.SolutionID, m.Kind, m.ContentType, m.Width, m.Height, m.Data, m.SHA256,
			m.Alt, m.CreatedBy, tx.now); err != nil {
			return fmt.Errorf("store: add medium %s of solution %s: %w", m.ID, m.SolutionID, err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// Medium returns a medium with its bytes.
func (db *DB) Medium(ctx context.Context, id string) (catalog.Medium, error) {
	var data []byte
	m, err := scanMedium(db.queryRow(ctx, `SELECT `+mediumColumns+`, bytes FROM solution_media WHERE id = ?`, id), &data)
	if err != nil {
		if isNotFound(mapError(err)) {
			return m, apperr.New(apperr.NotFound, "media.error.not_found")
		}
		return m, fmt.Errorf("store: medium %s: %w", id, err)
	}
	m.Data = data
	return m, nil
}

// MediaOf returns a solution's media without their bytes, oldest first.
func (db *DB) MediaOf(ctx context.Context, solutionID string) ([]catalog.Medium, error) {
	rows, err := db.query(ctx, `SELECT `+mediumColumns+` FROM solution_media WHERE solution_id = ? ORDER BY created_at, id`, solutionID)
	if err != nil {
		return nil, fmt.Errorf("store: media of solution %s: %w", solutionID, err)
	}
	defer rows.Close()
	var out []catalog.Medium
	for rows.Next() {
		m, err := scanMedium(rows, nil)
		if err != nil {
			return nil, fmt.Errorf("store: media of solution %s: %w", solutionID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: media of solution %s: %w", solutionID, err)
	}
	return out, nil
}

// DeleteOrphanMedia deletes the media created before before that no
// version refers to.
func (db *DB) DeleteOrphanMedia(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM solution_media WHERE created_at < ? AND NOT `+mediumReferenced, before.UTC())
		if err != nil {
			return fmt.Errorf("store: delete orphan media: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
