package store

// This file: trainings and information events (package event). The
// registrations and the waiting list are in event_registration.go.

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/notify"
)

// eventColumns are read by scanEvent; the counts are of active
// registrations.
const eventColumns = `e.id, e.slug, e.title, e.summary, e.description, e.kind, e.format, e.address, e.online_url,
	e.starts_at, e.ends_at, e.deadline_at, e.capacity, COALESCE(e.org_id, ''), COALESCE(o.slug, ''), COALESCE(o.name, ''),
	e.fields, e.materials, e.state, e.lock_version, e.created_by, e.created_at, e.updated_at,
	(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'confirmed'),
	(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')`

const eventFrom = ` FROM events e LEFT JOIN organisations o ON o.id = e.org_id`

func scanEvent(sc interface{ Scan(...any) error }, extra ...any) (event.Event, error) {
	var (
		e                 event.Event
		kind, format, st  string
		fields, materials string
	)
	dest := []any{&e.ID, &e.Slug, &e.Title, &e.Summary, &e.Description, &kind, &format, &e.Address, &e.OnlineURL,
		&e.Start, &e.End, &e.Deadline, &e.Capacity, &e.Org.ID, &e.Org.Slug, &e.Org.Name,
		&fields, &materials, &st, &e.Lock, &e.CreatedBy, &e.Created, &e.Updated, &e.Confirmed, &e.Waitlisted}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return e, mapError(err)
	}
	e.Kind, e.Format, e.State = event.Kind(kind), event.Format(format), event.State(st)
	e.Start, e.End, e.Deadline = e.Start.UTC(), e.End.UTC(), e.Deadline.UTC()
	e.Created, e.Updated = e.Created.UTC(), e.Updated.UTC()
	if err := json.Unmarshal([]byte(fields), &e.Fields); err != nil {
		return e, fmt.Errorf("store: event %s: fields: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(materials), &e.Materials); err != nil {
		return e, fmt.Errorf("store: event %s: materials: %w", e.ID, err)
	}
	return e, nil
}

// eventJSON returns the JSON columns of e.
func eventJSON(e event.Event) (fields, materials string, err error) {
	f, err := json.Marshal(orEmptyList(e.Fields))
	if err != nil {
		return "", "", err
	}
	m, err := json.Marshal(orEmptyList(e.Materials))
	return string(f), string(m), err
}

func orEmptyList[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateEvent stores a new event under a free slug.
func (db *DB) CreateEvent(ctx context.Context, e event.Event, audit account.AuditEntry) (event.Event, error) {
	fields, materials, err := eventJSON(e)
	if err != nil {
		return e, fmt.Errorf("store: create event: %w", err)
	}
	var out event.Event
	err = db.inTx(ctx, func(tx *Tx) error {
		slug, err := tx.uniqueSlug(ctx, "events", e.Slug)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO events (id, slug, title, summary, description, kind, format, address, online_url,
			starts_at, ends_at, deadline_at, capacity, org_id, fields, materials, state, lock_version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
			e.ID, slug, e.Title, e.Summary, e.Description, string(e.Kind), string(e.Format), e.Address, e.OnlineURL,
			e.Start.UTC(), e.End.UTC(), e.Deadline.UTC(), e.Capacity, nullable(e.Org.ID), fields, materials, string(e.State),
			e.CreatedBy, tx.now, tx.now); err != nil {
			return fmt.Errorf("store: create event: %w", err)
		}
		if err := tx.indexEvent(ctx, e.ID); err != nil { // centre_docs.go
			return err
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.event(ctx, "e.id = ?", e.ID)
		return err
	})
	return out, err
}

func (tx *Tx) event(ctx context.Context, where string, arg any) (event.Event, error) {
	return scanEvent(tx.queryRow(ctx, `SELECT `+eventColumns+eventFrom+` WHERE `+where, arg))
}

// lockedEvent reads the event for a write after taking its row lock, so
// that writes about one event (registrations above all) run one after
// the other. On SQLite write transactions begin IMMEDIATE and exclude
// each other already.
func (tx *Tx) lockedEvent(ctx context.Context, id string) (event.Event, error) {
	if tx.db.dialect == Postgres {
		if _, err := tx.exec(ctx, `SELECT id FROM events WHERE id = ? FOR UPDATE`, id); err != nil {
			return event.Event{}, fmt.Errorf("store: lock event %s: %w", id, err)
		}
	}
	e, err := tx.event(ctx, "e.id = ?", id)
	if err != nil {
		return e, fmt.Errorf("store: event %s: %w", id, err)
	}
	return e, nil
}

// raiseLock checks the caller's lock and raises it.
func (tx *Tx) raiseLock(ctx context.Context, id string, lock int) error {
	res, err := tx.exec(ctx, `UPDATE events SET lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ?`, tx.now, id, lock)
	if err != nil {
		return fmt.Errorf("store: lock event %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.New(apperr.Conflict, "event.error.stale")
	}
	return nil
}

// UpdateEvent saves a changed event under optimistic locking.
func (db *DB) UpdateEvent(ctx context.Context, e event.Event, lock int, notify event.Notify, audit account.AuditEntry) (event.Event, error) {
	fields, materials, err := eventJSON(e)
	if err != nil {
		return e, fmt.Errorf("store: update event: %w", err)
	}
	var out event.Event
	err = db.inTx(ctx, func(tx *Tx) error {
		cur, err := tx.lockedEvent(ctx, e.ID)
		if err != nil {
			return err
		}
		if err := tx.raiseLock(ctx, e.ID, lock); err != nil {
			return err
		}
		if e.Capacity < cur.Confirmed {
			var v apperr.Validation
			v.Add("capacity", "event.error.capacity_below", "Confirmed", cur.Confirmed)
			return v.Err()
		}
		if _, err := tx.exec(ctx, `UPDATE events SET title = ?, summary = ?, description = ?, kind = ?, format = ?, address = ?, online_url = ?,
			starts_at = ?, ends_at = ?, deadline_at = ?, capacity = ?, org_id = ?, fields = ?, materials = ?, state = ? WHERE id = ?`,
			e.Title, e.Summary, e.Description, string(e.Kind), string(e.Format), e.Address, e.OnlineURL,
			e.Start.UTC(), e.End.UTC(), e.Deadline.UTC(), e.Capacity, nullable(e.Org.ID), fields, materials, string(e.State), e.ID); err != nil {
			return fmt.Errorf("store: update event %s: %w", e.ID, err)
		}
		if err := tx.indexEvent(ctx, e.ID); err != nil { // centre_docs.go
			return err
		}
		if out, err = tx.event(ctx, "e.id = ?", e.ID); err != nil {
			return err
		}
		if out.State == event.Published {
			// More places move the waiting list up.
			if err := tx.fillPlaces(ctx, out, notify); err != nil {
				return err
			}
			if out, err = tx.event(ctx, "e.id = ?", e.ID); err != nil {
				return err
			}
		}
		if change := event.ChangeOf(cur, out); change != "" && out.State != event.Draft {
			if err := tx.notifyRegistrants(ctx, change, out, notify); err != nil {
				return err
			}
		}
		return tx.addAudit(ctx, audit)
	})
	return out, err
}

// CancelEvent cancels an event and notifies every active registrant.
func (db *DB) CancelEvent(ctx context.Context, id string, lock int, notify event.Notify, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.lockedEvent(ctx, id); err != nil {
			return err
		}
		if err := tx.raiseLock(ctx, id, lock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE events SET state = 'cancelled', cancelled_at = ? WHERE id = ?`, tx.now, id); err != nil {
			return fmt.Errorf("store: cancel event %s: %w", id, err)
		}
		if err := tx.indexEvent(ctx, id); err != nil { // centre_docs.go
			return err
		}
		e, err := tx.event(ctx, "e.id = ?", id)
		if err != nil {
			return err
		}
		if err := tx.notifyRegistrants(ctx, event.NoticeCancelled, e, notify); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// notifyRegistrants tells every active registrant of e about change n in
// the notification centre, with notify's mail as the mail at once; the
// registrant's mail choice for event changes decides whether it goes out.
// Without compose (a write that tells nobody, as fillPlaces) nothing is
// added.
func (tx *Tx) notifyRegistrants(ctx context.Context, n event.Notice, e event.Event, compose event.Notify) error {
	if compose == nil {
		return nil
	}
	regs, err := tx.registrations(ctx, e.ID)
	if err != nil {
		return err
	}
	var list []notify.Pending
	for _, r := range regs {
		if r.UserID != "" {
			list = append(list, event.Notification(n, e, r, compose))
		}
	}
	if err := tx.addPending(ctx, list); err != nil {
		return fmt.Errorf("store: notify registrants of %s: %w", e.ID, err)
	}
	return nil
}

// EventBySlug returns one event.
func (db *DB) EventBySlug(ctx context.Context, slug string) (event.Event, error) {
	e, err := scanEvent(db.queryRow(ctx, `SELECT `+eventColumns+eventFrom+` WHERE e.slug = ?`, slug))
	if err != nil {
		if isNotFound(err) {
			return e, apperr.Wrap(err, apperr.NotFound, "event.error.not_found")
		}
		return e, fmt.Errorf("store: event %s: %w", slug, err)
	}
	return e, nil
}

// Events returns a page of events: upcoming ones (not yet ended at q.From)
// soonest first, or past ones newest first, keyset-paged by (start, id).
func (db *DB) Events(ctx context.Context, q event.Query) (event.Page, error) {
	where := `e.state <> 'draft'`
	if q.Drafts {
		where = `1 = 1`
	}
	args := []any{}
	if q.Past {
		where += ` AND e.ends_at <= ?`
	} else {
		where += ` AND e.ends_at > ?`
	}
	args = append(args, q.From.UTC())
	if q.Kind != "" {
		where += ` AND e.kind = ?`
		args = append(args, string(q.Kind))
	}
	if q.Format != "" {
		where += ` AND e.format = ?`
		args = append(args, string(q.Format))
	}
	var p event.Page
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM events e WHERE `+where, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: count events: %w", err)
	}
	order := `e.starts_at, e.id`
	if c := q.After; c != nil {
		if q.Past {
			where += ` AND (e.starts_at < ? OR e.starts_at = ? AND e.id < ?)`
		} else {
			where += ` AND (e.starts_at > ? OR e.starts_at = ? AND e.id > ?)`
		}
		args = append(args, c.Start.UTC(), c.Start.UTC(), c.ID)
	}
	if q.Past {
		order = `e.starts_at DESC, e.id DESC`
	}
	rows, err := db.query(ctx, `SELECT `+eventColumns+eventFrom+` WHERE `+where+` ORDER BY `+order+` LIMIT `+strconv.Itoa(q.Limit+1), args...)
	if err != nil {
		return event.Page{}, fmt.Errorf("store: events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return p, fmt.Errorf("store: events: %w", err)
		}
		p.Items = append(p.Items, e)
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("store: events: %w", err)
	}
	if len(p.Items) > q.Limit {
		p.Items = p.Items[:q.Limit]
		last := p.Items[q.Limit-1]
		p.Next = &event.Cursor{Start: last.Start, ID: last.ID}
	}
	return p, nil
}
