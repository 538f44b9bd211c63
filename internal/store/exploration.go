package store

// This file: market explorations (package exploration), the providers'
// answers and the record of issued reports.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/exploration"
)

const explorationColumns = `e.id, e.org_id, o.slug, o.name, e.title, e.source, COALESCE(e.need_id, ''), COALESCE(n.slug, ''), COALESCE(n.title, ''),
	e.query, e.snapshot, e.snapshot_sha256, e.snapshot_at, e.criteria, e.questions, e.providers, e.deadline, e.sent_at, e.scores,
	e.state, e.outcome, e.awarded_to, e.outcome_reason, e.closed_at, e.closed_by, e.lock_version, e.created_by, e.created_label,
	e.created_at, e.updated_at`

const explorationFrom = ` FROM explorations e JOIN organisations o ON o.id = e.org_id LEFT JOIN needs n ON n.id = e.need_id`

func scanExploration(sc interface{ Scan(...any) error }) (exploration.Exploration, error) {
	var (
		e                                        exploration.Exploration
		snapshot, criteria, questions, providers string
		scores, state                            string
		deadline, sent, closed                   sql.NullTime
	)
	if err := sc.Scan(&e.ID, &e.Org.ID, &e.Org.Slug, &e.Org.Name, &e.Title, &e.Source, &e.NeedID, &e.NeedSlug, &e.NeedTitle,
		&e.Query, &snapshot, &e.SnapshotHash, &e.SnapshotAt, &criteria, &questions, &providers, &deadline, &sent, &scores,
		&state, &e.Outcome, &e.AwardedTo, &e.Reason, &closed, &e.ClosedBy, &e.Lock, &e.CreatedBy, &e.CreatedLabel,
		&e.Created, &e.Updated); err != nil {
		return e, mapError(err)
	}
	e.Snapshot, e.State = []byte(snapshot), exploration.State(state)
	e.SnapshotAt, e.Created, e.Updated = e.SnapshotAt.UTC(), e.Created.UTC(), e.Updated.UTC()
	if deadline.Valid {
		d := deadline.Time.UTC()
		e.Deadline = &d
	}
	if sent.Valid {
		d := sent.Time.UTC()
		e.SentAt = &d
	}
	if closed.Valid {
		d := closed.Time.UTC()
		e.ClosedAt = &d
	}
	for _, j := range []struct {
		s   string
		out any
	}{{criteria, &e.Criteria}, {questions, &e.Questions}, {providers, &e.Providers}, {scores, &e.Scores}} {
		if err := json.Unmarshal([]byte(j.s), j.out); err != nil {
			return e, fmt.Errorf("store: exploration %s: %w", e.ID, err)
		}
	}
	return e, nil
}

// explorationArgs returns the changeable columns of e, from criteria to closed_by.
func explorationArgs(e exploration.Exploration) ([]any, error) {
	var out []any
	for _, v := range []any{orEmptyList(e.Criteria), orEmptyList(e.Questions), orEmptyList(e.Providers), orEmptyList(e.Scores)} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out = append(out, string(b))
	}
	deadline, sent, closed := any(nil), any(nil), any(nil)
	if e.Deadline != nil {
		deadline = e.Deadline.UTC()
	}
	if e.SentAt != nil {
		sent = e.SentAt.UTC()
	}
	if e.ClosedAt != nil {
		closed = e.ClosedAt.UTC()
	}
	return append(out, deadline, sent, string(e.State), e.Outcome, e.AwardedTo, e.Reason, closed, e.ClosedBy), nil
}

// CreateExploration stores a new exploration with its snapshot.
func (db *DB) CreateExploration(ctx context.Context, e exploration.Exploration, audit account.AuditEntry) (exploration.Exploration, error) {
	args, err := explorationArgs(e)
	if err != nil {
		return e, fmt.Errorf("store: create exploration: %w", err)
	}
	var out exploration.Exploration
	err = db.inTx(ctx, func(tx *Tx) error {
		var needID any
		if e.NeedID != "" {
			needID = e.NeedID
		}
		all := append([]any{e.ID, e.Org.ID, e.Title, e.Source, needID, e.Query, string(e.Snapshot), e.SnapshotHash, e.SnapshotAt.UTC()}, args...)
		all = append(all, e.CreatedBy, e.CreatedLabel, tx.now, tx.now)
		if _, err := tx.exec(ctx, `INSERT INTO explorations (id, org_id, title, source, need_id, query, snapshot, snapshot_sha256, snapshot_at,
			criteria, questions, providers, scores, deadline, sent_at, state, outcome, awarded_to, outcome_reason, closed_at, closed_by,
			lock_version, created_by, created_label, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`, all...); err != nil {
			return fmt.Errorf("store: create exploration: %w", err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.exploration(ctx, e.ID)
		return err
	})
	return out, err
}

func (tx *Tx) exploration(ctx context.Context, id string) (exploration.Exploration, error) {
	e, err := scanExploration(tx.queryRow(ctx, `SELECT `+explorationColumns+explorationFrom+` WHERE e.id = ?`, id))
	if err != nil {
		if isNotFound(err) {
			return e, apperr.Wrap(err, apperr.NotFound, "exploration.error.not_found")
		}
		return e, fmt.Errorf("store: exploration %s: %w", id, err)
	}
	return e, nil
}

// Exploration returns one exploration.
func (db *DB) Exploration(ctx context.Context, id string) (exploration.Exploration, error) {
	var e exploration.Exploration
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		e, err = tx.exploration(ctx, id)
		return err
	})
	return e, err
}

func (db *DB) explorationList(ctx context.Context, where string, args []any, limit int) ([]exploration.Exploration, error) {
	out := []exploration.Exploration{}
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+explorationColumns+explorationFrom+` WHERE `+where+` ORDER BY e.id DESC LIMIT `+strconv.Itoa(limit), args...)
		if err != nil {
			return fmt.Errorf("store: explorations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanExploration(rows)
			if err != nil {
				return fmt.Errorf("store: explorations: %w", err)
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// Explorations returns the organisations' explorations, newest first.
func (db *DB) Explorations(ctx context.Context, orgIDs []string, limit int) ([]exploration.Exploration, error) {
	if len(orgIDs) == 0 {
		return []exploration.Exploration{}, nil
	}
	args := make([]any, len(orgIDs))
	for i, id := range orgIDs {
		args[i] = id
	}
	return db.explorationList(ctx, `e.org_id IN (?`+strings.Repeat(", ?", len(orgIDs)-1)+`)`, args, limit)
}

// AskedExplorations returns the sent or closed explorations that asked
// one of the organisations. Providers are a JSON list of ids; ids are
// UUIDs, so a quoted id matches only itself.
func (db *DB) AskedExplorations(ctx context.Context, orgIDs []string, limit int) ([]exploration.Exploration, error) {
	if len(orgIDs) == 0 {
		return []exploration.Exploration{}, nil
	}
	var conds []string
	var args []any
	for _, id := range orgIDs {
		conds = append(conds, `e.providers LIKE ?`)
		args = append(args, `%"`+id+`"%`)
	}
	return db.explorationList(ctx, `e.state <> 'draft' AND (`+strings.Join(conds, " OR ")+`)`, args, limit)
}

// UpdateExploration saves criteria, questionnaire, scores, state and
// outcome under optimistic locking; the snapshot never changes.
func (db *DB) UpdateExploration(ctx context.Context, e exploration.Exploration, lock int, audit account.AuditEntry) (exploration.Exploration, error) {
	args, err := explorationArgs(e)
	if err != nil {
		return e, fmt.Errorf("store: update exploration: %w", err)
	}
	var out exploration.Exploration
	err = db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE explorations SET criteria = ?, questions = ?, providers = ?, scores = ?, deadline = ?, sent_at = ?,
			state = ?, outcome = ?, awarded_to = ?, outcome_reason = ?, closed_at = ?, closed_by = ?,
			lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ? AND state <> 'closed'`,
			append(args, tx.now, e.ID, lock)...)
		if err != nil {
			return fmt.Errorf("store: update exploration %s: %w", e.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.Conflict, "exploration.error.stale")
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.exploration(ctx, e.ID)
		return err
	})
	return out, err
}

// SaveAnswer inserts or replaces a provider's answer, keeping the time
// of the first submission.
func (db *DB) SaveAnswer(ctx context.Context, a exploration.Answer, audit account.AuditEntry) (exploration.Answer, error) {
	vals, err := json.Marshal(orEmptyList(a.Values))
	if err != nil {
		return a, fmt.Errorf("store: answer: %w", err)
	}
	var out exploration.Answer
	err = db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE exploration_answers SET answers = ?, submitted_by = ?, updated_at = ? WHERE exploration_id = ? AND org_id = ?`,
			string(vals), a.By, a.Updated.UTC(), a.ExplorationID, a.Org.ID)
		if err != nil {
			return fmt.Errorf("store: answer %s: %w", a.ExplorationID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if _, err := tx.exec(ctx, `INSERT INTO exploration_answers (exploration_id, org_id, answers, submitted_by, submitted_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)`, a.ExplorationID, a.Org.ID, string(vals), a.By, a.Submitted.UTC(), a.Updated.UTC()); err != nil {
				return fmt.Errorf("store: answer %s: %w", a.ExplorationID, err)
			}
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		all, err := tx.answers(ctx, a.ExplorationID)
		for _, x := range all {
			if x.Org.ID == a.Org.ID {
				out = x
			}
		}
		return err
	})
	return out, err
}

func (tx *Tx) answers(ctx context.Context, id string) ([]exploration.Answer, error) {
	rows, err := tx.query(ctx, `SELECT a.org_id, o.slug, o.name, a.answers, a.submitted_by, a.submitted_at, a.updated_at
		FROM exploration_answers a JOIN organisations o ON o.id = a.org_id WHERE a.exploration_id = ? ORDER BY o.name, o.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: answers %s: %w", id, err)
	}
	defer rows.Close()
	out := []exploration.Answer{}
	for rows.Next() {
		a := exploration.Answer{ExplorationID: id}
		var vals string
		if err := rows.Scan(&a.Org.ID, &a.Org.Slug, &a.Org.Name, &vals, &a.By, &a.Submitted, &a.Updated); err != nil {
			return nil, fmt.Errorf("store: answers %s: %w", id, err)
		}
		if err := json.Unmarshal([]byte(vals), &a.Values); err != nil {
			return nil, fmt.Errorf("store: answers %s: %w", id, err)
		}
		a.Submitted, a.Updated = a.Submitted.UTC(), a.Updated.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// Answers returns the answers to an exploration by provider name.
func (db *DB) Answers(ctx context.Context, explorationID string) ([]exploration.Answer, error) {
	var out []exploration.Answer
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.answers(ctx, explorationID)
		return err
	})
	return out, err
}

// AddReport records an issued report file.
func (db *DB) AddReport(ctx context.Context, r exploration.Report, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO exploration_reports (id, sha256, exploration_id, format, issued_at, issued_by, issued_label)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, r.SHA256, r.ExplorationID, r.Format, r.Issued.UTC(), r.By, r.ByLabel); err != nil {
			return fmt.Errorf("store: report of %s: %w", r.ExplorationID, err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// ReportsByHash returns the reports issued with the SHA-256 sha.
func (db *DB) ReportsByHash(ctx context.Context, sha string) ([]exploration.Report, error) {
	rows, err := db.query(ctx, `SELECT id, sha256, exploration_id, format, issued_at, issued_by, issued_label
		FROM exploration_reports WHERE sha256 = ? ORDER BY issued_at, id`, sha)
	if err != nil {
		return nil, fmt.Errorf("store: reports %s: %w", sha, err)
	}
	defer rows.Close()
	out := []exploration.Report{}
	for rows.Next() {
		var r exploration.Report
		if err := rows.Scan(&r.ID, &r.SHA256, &r.ExplorationID, &r.Format, &r.Issued, &r.By, &r.ByLabel); err != nil {
			return nil, fmt.Errorf("store: reports %s: %w", sha, err)
		}
		r.Issued = r.Issued.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
