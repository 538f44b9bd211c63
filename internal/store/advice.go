package store

// This file: advice requests to the competence centre (package advice)
// with their thread. The routing rules and attachments are in
// advice_rules.go.

import (
	"context"
	"fmt"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
)

// adviceColumns are read by scanAdvice. Deleted accounts leave NULL
// user ids, read as "".
const adviceColumns = `r.id, r.year, r.seq, r.org_id, o.slug, o.name, o.kind, COALESCE(o.region_key, ''),
	COALESCE(r.asked_by, ''), COALESCE(ua.name, ''), COALESCE(ua.email, ''), COALESCE(ua.lang, ''),
	r.topic, r.field_key, r.urgency, r.state,
	COALESCE(r.assignee_id, ''), COALESCE(ug.name, ''), COALESCE(ug.email, ''), COALESCE(ug.lang, ''),
	r.due_at, r.closed_at, r.created_at, r.updated_at`

const adviceFrom = ` FROM advice_requests r JOIN organisations o ON o.id = r.org_id
	LEFT JOIN users ua ON ua.id = r.asked_by LEFT JOIN users ug ON ug.id = r.assignee_id`

func scanAdvice(sc interface{ Scan(...any) error }, extra ...any) (advice.Request, error) {
	var (
		r                   advice.Request
		kind, urg, st       string
		closed              nullTime
		askLang, agentLang  string
		askEmail, agentMail string
	)
	dest := []any{&r.ID, &r.Year, &r.Seq, &r.OrgID, &r.Org.Slug, &r.Org.Name, &kind, &r.Org.RegionKey,
		&r.Asker.ID, &r.Asker.Name, &askEmail, &askLang, &r.Topic, &r.Field, &urg, &st,
		&r.Agent.ID, &r.Agent.Name, &agentMail, &agentLang, &r.Due, &closed, &r.Created, &r.Updated}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return r, mapError(err)
	}
	r.Org.ID, r.Org.Kind = r.OrgID, org.Kind(kind)
	r.Asker.Email, r.Asker.Lang, r.Agent.Email, r.Agent.Lang = askEmail, askLang, agentMail, agentLang
	r.Urg, r.State = advice.Urgency(urg), advice.State(st)
	r.Due, r.Created, r.Updated = r.Due.UTC(), r.Created.UTC(), r.Updated.UTC()
	r.Closed = closed.ptr()
	return r, nil
}

// CreateAdvice stores a request with its first message, attachments,
// mails and audit entry in one transaction. The readable number counts
// per year; on PostgreSQL an advisory lock keeps two instances from
// taking the same one (SQLite's writes are serialised already).
func (db *DB) CreateAdvice(ctx context.Context, r advice.Request, m advice.Message, mails []mail.Outgoing, audit account.AuditEntry) (advice.Request, error) {
	var out advice.Request
	err := db.inTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(4711019)`); err != nil {
				return fmt.Errorf("store: lock advice numbers: %w", err)
			}
		}
		year := r.Created.In(advice.Berlin).Year()
		var seq int
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM advice_requests WHERE year = ?`, year).Scan(&seq); err != nil {
			return fmt.Errorf("store: advice number: %w", mapError(err))
		}
		if _, err := tx.exec(ctx, `INSERT INTO advice_requests (id, year, seq, org_id, asked_by, topic, field_key, urgency, state,
			assignee_id, created_at, updated_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, year, seq, r.OrgID, nullable(r.Asker.ID), r.Topic, r.Field, string(r.Urg), string(r.State), nullable(r.Agent.ID),
			r.Created.UTC(), r.Created.UTC(), r.Due.UTC()); err != nil {
			return fmt.Errorf("store: create advice request: %w", err)
		}
		if err := tx.addAdviceMessage(ctx, m); err != nil {
			return err
		}
		for _, o := range mails {
			if err := tx.addMail(ctx, o); err != nil {
				return err
			}
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		var err error
		out, err = scanAdvice(tx.queryRow(ctx, `SELECT `+adviceColumns+adviceFrom+` WHERE r.id = ?`, r.ID))
		return err
	})
	return out, err
}

func (tx *Tx) addAdviceMessage(ctx context.Context, m advice.Message) error {
	if _, err := tx.exec(ctx, `INSERT INTO advice_messages (id, request_id, author_id, body, internal, by_centre, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, m.ID, m.RequestID, nullable(m.Author.ID), m.Body, m.Internal, m.ByCentre, tx.now); err != nil {
		return fmt.Errorf("store: advice message: %w", err)
	}
	for _, a := range m.Attachments {
		if _, err := tx.exec(ctx, `INSERT INTO advice_attachments (id, message_id, request_id, name, mime_type, size, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, m.ID, m.RequestID, a.Name, a.Type, a.Size, a.Data, tx.now); err != nil {
			return fmt.Errorf("store: advice attachment: %w", err)
		}
	}
	return nil
}

// Advice returns a request without its thread.
func (db *DB) Advice(ctx context.Context, id string) (advice.Request, error) {
	r, err := scanAdvice(db.queryRow(ctx, `SELECT `+adviceColumns+adviceFrom+` WHERE r.id = ?`, id))
	if err != nil {
		return r, fmt.Errorf("store: advice request %s: %w", id, err)
	}
	return r, nil
}

// AdviceThread returns the messages of a request with their attachments.
func (db *DB) AdviceThread(ctx context.Context, id string, internal bool) ([]advice.Message, error) {
	q := `SELECT m.id, m.request_id, COALESCE(m.author_id, ''), COALESCE(u.name, ''), COALESCE(u.email, ''), m.body, m.internal,
		m.by_centre, m.created_at FROM advice_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.request_id = ?`
	if !internal {
		q += ` AND m.internal = FALSE`
	}
	rows, err := db.query(ctx, q+` ORDER BY m.created_at, m.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: advice thread %s: %w", id, err)
	}
	defer rows.Close()
	var list []advice.Message
	index := map[string]int{}
	for rows.Next() {
		var m advice.Message
		if err := rows.Scan(&m.ID, &m.RequestID, &m.Author.ID, &m.Author.Name, &m.Author.Email, &m.Body, &m.Internal, &m.ByCentre, &m.Created); err != nil {
			return nil, fmt.Errorf("store: advice thread %s: %w", id, mapError(err))
		}
		m.Created = m.Created.UTC()
		index[m.ID] = len(list)
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: advice thread %s: %w", id, err)
	}
	arows, err := db.query(ctx, `SELECT id, message_id, name, mime_type, size FROM advice_attachments WHERE request_id = ? ORDER BY created_at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: advice attachments %s: %w", id, err)
	}
	defer arows.Close()
	for arows.Next() {
		a := advice.Attachment{RequestID: id}
		if err := arows.Scan(&a.ID, &a.MessageID, &a.Name, &a.Type, &a.Size); err != nil {
			return nil, fmt.Errorf("store: advice attachments %s: %w", id, mapError(err))
		}
		if i, ok := index[a.MessageID]; ok { // files of hidden notes stay hidden
			list[i].Attachments = append(list[i].Attachments, a)
		}
	}
	return list, arows.Err()
}

// AdviceList returns a page of requests: overdue ones (open and past
// their target) first, then by due date.
func (db *DB) AdviceList(ctx context.Context, q advice.Query) (advice.Page, error) {
	var (
		where []string
		args  []any
	)
	if q.OrgIDs != nil {
		where = append(where, `r.org_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(q.OrgIDs)), ", ")+`)`)
		for _, id := range q.OrgIDs {
			args = append(args, id)
		}
	}
	if q.AgentID != "" {
		where = append(where, `r.assignee_id = ?`)
		args = append(args, q.AgentID)
	}
	if q.Unassigned {
		where = append(where, `r.assignee_id IS NULL`)
	}
	if q.State != "" {
		where = append(where, `r.state = ?`)
		args = append(args, string(q.State))
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, " AND ")
	}
	p := advice.Page{Items: []advice.Request{}}
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM advice_requests r`+cond, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: count advice requests: %w", mapError(err))
	}
	order := ` ORDER BY CASE WHEN r.state IN ('new', 'assigned', 'in_progress') AND r.due_at < ? THEN 0 ELSE 1 END,
		CASE WHEN r.state = 'closed' THEN 1 ELSE 0 END, r.due_at, r.id LIMIT ? OFFSET ?`
	rows, err := db.query(ctx, `SELECT `+adviceColumns+adviceFrom+cond+order, append(args, q.Now.UTC(), q.Limit, q.Offset)...)
	if err != nil {
		return p, fmt.Errorf("store: advice requests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanAdvice(rows)
		if err != nil {
			return p, fmt.Errorf("store: advice requests: %w", err)
		}
		p.Items = append(p.Items, r)
	}
	return p, rows.Err()
}

// ChangeAdvice applies one change to a request in one transaction.
func (db *DB) ChangeAdvice(ctx context.Context, c advice.Change) error {
	return db.inTx(ctx, func(tx *Tx) error {
		set := `state = ?, updated_at = ?, closed_at = ?`
		var closed any
		if c.To == advice.Closed {
			closed = tx.now
		}
		args := []any{string(c.To), tx.now, closed}
		if c.Agent != nil {
			set += `, assignee_id = ?`
			args = append(args, nullable(*c.Agent))
		}
		res, err := tx.exec(ctx, `UPDATE advice_requests SET `+set+` WHERE id = ? AND state = ?`, append(args, c.RequestID, string(c.From))...)
		if err != nil {
			return fmt.Errorf("store: change advice request %s: %w", c.RequestID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.Conflict, "advice.error.stale")
		}
		if c.Message != nil {
			if err := tx.addAdviceMessage(ctx, *c.Message); err != nil {
				return err
			}
		}
		for _, o := range c.Mails {
			if err := tx.addMail(ctx, o); err != nil {
				return err
			}
		}
		if err := tx.addPending(ctx, c.Notices); err != nil {
			return fmt.Errorf("store: change advice request %s: %w", c.RequestID, err)
		}
		return tx.addAudit(ctx, c.Audit)
	})
}

// UserAdviceMessages returns the messages a user wrote, for their export.
func (db *DB) UserAdviceMessages(ctx context.Context, userID string) ([]advice.ExportMessage, error) {
	rows, err := db.query(ctx, `SELECT r.year, r.seq, r.topic, m.body, m.internal, m.created_at FROM advice_messages m
		JOIN advice_requests r ON r.id = m.request_id WHERE m.author_id = ? ORDER BY m.created_at, m.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: advice messages of %s: %w", userID, err)
	}
	defer rows.Close()
	var list []advice.ExportMessage
	for rows.Next() {
		var (
			r advice.Request
			e advice.ExportMessage
		)
		if err := rows.Scan(&r.Year, &r.Seq, &e.Topic, &e.Body, &e.Internal, &e.SentAt); err != nil {
			return nil, fmt.Errorf("store: advice messages of %s: %w", userID, mapError(err))
		}
		e.Request, e.SentAt = r.Number(), e.SentAt.UTC()
		list = append(list, e)
	}
	return list, rows.Err()
}
