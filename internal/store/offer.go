package store

// This file: providers' offers on needs and their attachments (package
// offer). Questions and the match sweep are in offer_questions.go.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/offer"
)

const offerColumns = `f.id, f.need_id, f.org_id, o.slug, o.name, f.body, f.delivery, f.price_cents, f.price_basis, f.valid_until,
	f.solutions, f.state, f.reason, f.lock_version, f.created_by, f.created_at, f.updated_at, f.submitted_at, n.slug, n.title`

const offerFrom = ` FROM offers f JOIN organisations o ON o.id = f.org_id JOIN needs n ON n.id = f.need_id`

func scanOffer(sc interface{ Scan(...any) error }) (offer.Offer, error) {
	var (
		o               offer.Offer
		basis, st, sols string
		valid           string
		submitted       sql.NullTime
	)
	if err := sc.Scan(&o.ID, &o.NeedID, &o.OrgID, &o.OrgSlug, &o.OrgName, &o.Text, &o.Delivery, &o.PriceCents, &basis, &valid,
		&sols, &st, &o.Reason, &o.Lock, &o.CreatedBy, &o.Created, &o.Updated, &submitted, &o.NeedSlug, &o.NeedTxt); err != nil {
		return o, mapError(err)
	}
	o.Basis, o.State = offer.Basis(basis), offer.State(st)
	o.Created, o.Updated = o.Created.UTC(), o.Updated.UTC()
	if submitted.Valid {
		t := submitted.Time.UTC()
		o.Submitted = &t
	}
	var err error
	if o.ValidUntil, err = time.Parse(dateLayout, valid); err != nil {
		return o, fmt.Errorf("store: offer %s: date: %w", o.ID, err)
	}
	if err := json.Unmarshal([]byte(sols), &o.Solutions); err != nil {
		return o, fmt.Errorf("store: offer %s: %w", o.ID, err)
	}
	return o, nil
}

// ProviderSolutions returns an organisation's published solutions.
func (db *DB) ProviderSolutions(ctx context.Context, orgID string) ([]offer.SolutionRef, error) {
	rows, err := db.query(ctx, `SELECT s.id, s.slug, v.entry FROM solutions s
		JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.published_version
		WHERE s.org_id = ? AND s.published_version IS NOT NULL AND s.archived_at IS NULL`, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: solutions of %s: %w", orgID, err)
	}
	defer rows.Close()
	var out []offer.SolutionRef
	for rows.Next() {
		var (
			r     offer.SolutionRef
			entry string
		)
		if err := rows.Scan(&r.ID, &r.Slug, &entry); err != nil {
			return nil, fmt.Errorf("store: solutions of %s: %w", orgID, err)
		}
		var e catalog.Entry
		if err := json.Unmarshal([]byte(entry), &e); err != nil {
			return nil, fmt.Errorf("store: solution %s: %w", r.ID, err)
		}
		r.Name = e.Name
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return fold.Key(out[i].Name) < fold.Key(out[j].Name) })
	return out, rows.Err()
}

func offerArgs(o offer.Offer) ([]any, error) {
	sols, err := json.Marshal(orEmptyList(o.Solutions))
	if err != nil {
		return nil, err
	}
	return []any{o.Text, o.Delivery, o.PriceCents, string(o.Basis), o.ValidUntil.UTC().Format(dateLayout), string(sols), string(o.State)}, nil
}

// CreateOffer stores a new offer with its files.
func (db *DB) CreateOffer(ctx context.Context, o offer.Offer, files []offer.Attachment, audit account.AuditEntry) (offer.Offer, error) {
	args, err := offerArgs(o)
	if err != nil {
		return o, fmt.Errorf("store: create offer: %w", err)
	}
	var out offer.Offer
	err = db.inTx(ctx, func(tx *Tx) error {
		var submitted any
		if o.State == offer.Submitted {
			submitted = tx.now
		}
		all := append([]any{o.ID, o.NeedID, o.OrgID}, args...)
		all = append(all, o.CreatedBy, tx.now, tx.now, submitted)
		if _, err := tx.exec(ctx, `INSERT INTO offers (id, need_id, org_id, body, delivery, price_cents, price_basis, valid_until, solutions, state,
			lock_version, created_by, created_at, updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`, all...); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(err, apperr.Conflict, "offer.error.exists")
			}
			return fmt.Errorf("store: create offer: %w", err)
		}
		if err := tx.respond(ctx, o.NeedID, o.OrgID, "offer"); err != nil {
			return err
		}
		if err := tx.addOfferFiles(ctx, o.ID, files); err != nil {
			return err
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.offer(ctx, o.ID)
		return err
	})
	return out, err
}

// respond records that a provider responds to a need.
func (tx *Tx) respond(ctx context.Context, needID, orgID, via string) error {
	if _, err := tx.exec(ctx, `INSERT INTO need_providers (need_id, org_id, via, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (need_id, org_id) DO NOTHING`, needID, orgID, via, tx.now); err != nil {
		return fmt.Errorf("store: need %s: provider %s: %w", needID, orgID, err)
	}
	return nil
}

func (tx *Tx) addOfferFiles(ctx context.Context, offerID string, files []offer.Attachment) error {
	for _, a := range files {
		if _, err := tx.exec(ctx, `INSERT INTO offer_attachments (id, offer_id, name, mime_type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.ID, offerID, a.Name, a.Type, a.Size, a.Data, tx.now); err != nil {
			return fmt.Errorf("store: offer %s: attachment: %w", offerID, err)
		}
	}
	return nil
}

// raiseOfferLock checks the caller's lock and raises it.
func (tx *Tx) raiseOfferLock(ctx context.Context, id string, lock int) error {
	res, err := tx.exec(ctx, `UPDATE offers SET lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ?`, tx.now, id, lock)
	if err != nil {
		return fmt.Errorf("store: lock offer %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.New(apperr.Conflict, "offer.error.stale")
	}
	return nil
}

// UpdateOffer saves a changed offer under optimistic locking.
func (db *DB) UpdateOffer(ctx context.Context, o offer.Offer, lock int, files []offer.Attachment, remove []string, audit account.AuditEntry) (offer.Offer, error) {
	args, err := offerArgs(o)
	if err != nil {
		return o, fmt.Errorf("store: update offer: %w", err)
	}
	var out offer.Offer
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.raiseOfferLock(ctx, o.ID, lock); err != nil {
			return err
		}
		if o.State == offer.Submitted { // (again) submitted now
			if _, err := tx.exec(ctx, `UPDATE offers SET submitted_at = ? WHERE id = ? AND state <> 'submitted'`, tx.now, o.ID); err != nil {
				return fmt.Errorf("store: update offer %s: %w", o.ID, err)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE offers SET body = ?, delivery = ?, price_cents = ?, price_basis = ?, valid_until = ?, solutions = ?, state = ?
			WHERE id = ?`, append(args, o.ID)...); err != nil {
			return fmt.Errorf("store: update offer %s: %w", o.ID, err)
		}
		for _, id := range remove {
			if _, err := tx.exec(ctx, `DELETE FROM offer_attachments WHERE id = ? AND offer_id = ?`, id, o.ID); err != nil {
				return fmt.Errorf("store: offer %s: remove attachment: %w", o.ID, err)
			}
		}
		if err := tx.addOfferFiles(ctx, o.ID, files); err != nil {
			return err
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.offer(ctx, o.ID)
		return err
	})
	return out, err
}

// SetOfferState changes an offer's state under optimistic locking.
func (db *DB) SetOfferState(ctx context.Context, id string, st offer.State, reason string, lock int, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.raiseOfferLock(ctx, id, lock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE offers SET state = ?, reason = ? WHERE id = ?`, string(st), reason, id); err != nil {
			return fmt.Errorf("store: offer %s: state: %w", id, err)
		}
		return tx.addAudit(ctx, audit)
	})
}

func (tx *Tx) offer(ctx context.Context, id string) (offer.Offer, error) {
	o, err := scanOffer(tx.queryRow(ctx, `SELECT `+offerColumns+offerFrom+` WHERE f.id = ?`, id))
	if err != nil {
		if isNotFound(err) {
			return o, apperr.Wrap(err, apperr.NotFound, "offer.error.not_found")
		}
		return o, fmt.Errorf("store: offer %s: %w", id, err)
	}
	rows, err := tx.query(ctx, `SELECT id, name, mime_type, size FROM offer_attachments WHERE offer_id = ? ORDER BY created_at, id`, id)
	if err != nil {
		return o, fmt.Errorf("store: offer %s: attachments: %w", id, err)
	}
	defer rows.Close()
	o.Attachments = []offer.Attachment{}
	for rows.Next() {
		a := offer.Attachment{OfferID: id}
		if err := rows.Scan(&a.ID, &a.Name, &a.Type, &a.Size); err != nil {
			return o, fmt.Errorf("store: offer %s: attachments: %w", id, err)
		}
		o.Attachments = append(o.Attachments, a)
	}
	return o, rows.Err()
}

// Offer returns one offer with its attachments (without their data).
func (db *DB) Offer(ctx context.Context, id string) (offer.Offer, error) {
	var o offer.Offer
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		o, err = tx.offer(ctx, id)
		return err
	})
	return o, err
}

// OfferOf returns an organisation's offer on a need.
func (db *DB) OfferOf(ctx context.Context, needID, orgID string) (offer.Offer, error) {
	var o offer.Offer
	err := db.view(ctx, func(tx *Tx) error {
		var id string
		if err := tx.queryRow(ctx, `SELECT id FROM offers WHERE need_id = ? AND org_id = ?`, needID, orgID).Scan(&id); err != nil {
			if err = mapError(err); isNotFound(err) {
				return apperr.Wrap(err, apperr.NotFound, "offer.error.not_found")
			}
			return fmt.Errorf("store: offer on %s: %w", needID, err)
		}
		var err error
		o, err = tx.offer(ctx, id)
		return err
	})
	return o, err
}

// NeedOffers returns the offers of a need that were submitted (in any
// later state too), oldest submission first.
func (db *DB) NeedOffers(ctx context.Context, needID string) ([]offer.Offer, error) {
	var out []offer.Offer
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT f.id FROM offers f WHERE f.need_id = ? AND f.state <> 'draft' ORDER BY f.submitted_at, f.id`, needID)
		if err != nil {
			return fmt.Errorf("store: offers of %s: %w", needID, err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("store: offers of %s: %w", needID, err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		out = []offer.Offer{}
		for _, id := range ids {
			o, err := tx.offer(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// OfferAttachment returns one file of an offer with its data.
func (db *DB) OfferAttachment(ctx context.Context, offerID, id string) (offer.Attachment, error) {
	a := offer.Attachment{ID: id, OfferID: offerID}
	if err := db.queryRow(ctx, `SELECT name, mime_type, size, data FROM offer_attachments WHERE id = ? AND offer_id = ?`, id, offerID).
		Scan(&a.Name, &a.Type, &a.Size, &a.Data); err != nil {
		if err = mapError(err); isNotFound(err) {
			return a, apperr.Wrap(err, apperr.NotFound, "offer.error.not_found")
		}
		return a, fmt.Errorf("store: offer %s: attachment %s: %w", offerID, id, err)
	}
	return a, nil
}

// OrgMemberIDs returns the user ids of an organisation's members.
func (db *DB) OrgMemberIDs(ctx context.Context, orgID string) ([]string, error) {
	return db.userIDs(ctx, `SELECT user_id FROM memberships WHERE org_id = ? ORDER BY user_id`, orgID)
}

func (db *DB) userIDs(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
