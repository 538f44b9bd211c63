package store

// This file: regional contacts (package contact).

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/contact"
)

const contactColumns = `c.user_id, c.name, c.role_title, c.phone, c.email, c.fields, c.topics, c.availability, c.created_at, c.updated_at`

// contactsVersionKey names the setting that changes with every write of
// contacts; see ContactsVersion.
const contactsVersionKey = "contacts_version"

func scanContact(sc interface{ Scan(...any) error }) (contact.Contact, error) {
	var (
		c      contact.Contact
		fields string
	)
	if err := sc.Scan(&c.UserID, &c.Name, &c.RoleTitle, &c.Phone, &c.Email, &fields, &c.Topics, &c.Availability, &c.Created, &c.Updated); err != nil {
		return c, mapError(err)
	}
	c.Created, c.Updated = c.Created.UTC(), c.Updated.UTC()
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return c, fmt.Errorf("store: contact %s: fields: %w", c.UserID, err)
	}
	return c, nil
}

// contactList reads contacts by a query over contactColumns and adds their
// regions.
func (db *DB) contactList(ctx context.Context, q string, args ...any) ([]contact.Contact, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []contact.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	index := map[string]int{}
	for i, c := range out {
		index[c.UserID] = i
	}
	rrows, err := db.query(ctx, `SELECT user_id, state_key, district_key FROM contact_regions ORDER BY user_id, state_key, district_key`)
	if err != nil {
		return nil, mapError(err)
	}
	defer rrows.Close()
	for rrows.Next() {
		var id, st, d string
		if err := rrows.Scan(&id, &st, &d); err != nil {
			return nil, mapError(err)
		}
		i, ok := index[id]
		if !ok {
			continue
		}
		addRegion(&out[i], st, d)
	}
	return out, mapError(rrows.Err())
}

func addRegion(c *contact.Contact, st, d string) {
	if !slices.Contains(c.States, st) {
		c.States = append(c.States, st)
	}
	if d != "" {
		c.Districts = append(c.Districts, d)
	}
}

// Contacts returns every contact ordered by name.
func (db *DB) Contacts(ctx context.Context) ([]contact.Contact, error) {
	l, err := db.contactList(ctx, `SELECT `+contactColumns+` FROM contacts c ORDER BY c.name, c.user_id`)
	if err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	return l, nil
}

// ContactsFor returns the contacts of a municipality: those named for its
// district first, then those for its whole state.
func (db *DB) ContactsFor(ctx context.Context, stateKey, districtKey string) ([]contact.Contact, error) {
	l, err := db.contactList(ctx, `SELECT `+contactColumns+` FROM contacts c
		JOIN (SELECT user_id, MIN(CASE WHEN district_key = '' THEN 1 ELSE 0 END) AS rank FROM contact_regions
			WHERE (district_key <> '' AND district_key = ?) OR (state_key = ? AND district_key = '')
			GROUP BY user_id) m ON m.user_id = c.user_id
		ORDER BY m.rank, c.name, c.user_id`, districtKey, stateKey)
	if err != nil {
		return nil, fmt.Errorf("store: contacts for %s/%s: %w", stateKey, districtKey, err)
	}
	return l, nil
}

// Contact returns the contact of user userID.
func (db *DB) Contact(ctx context.Context, userID string) (contact.Contact, error) {
	l, err := db.contactList(ctx, `SELECT `+contactColumns+` FROM contacts c WHERE c.user_id = ?`, userID)
	if err != nil {
		return contact.Contact{}, fmt.Errorf("store: contact %s: %w", userID, err)
	}
	if len(l) == 0 {
		return contact.Contact{}, apperr.New(apperr.NotFound, "contacts.error.not_found")
	}
	return l[0], nil
}

// CreateContact stores a new contact.
func (db *DB) CreateContact(ctx context.Context, c contact.Contact, audit account.AuditEntry) (contact.Contact, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE user_id = ?`, c.UserID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "contacts.error.exists")
		}
		fields, err := json.Marshal(orEmptyList(c.Fields))
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO contacts (user_id, name, role_title, phone, email, fields, topics, availability, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.UserID, c.Name, c.RoleTitle, c.Phone, c.Email, string(fields), c.Topics, c.Availability,
			tx.now, tx.now); err != nil {
			return mapError(err)
		}
		return tx.contactWritten(ctx, c, audit)
	})
	if err != nil {
		return c, fmt.Errorf("store: create contact %s: %w", c.UserID, err)
	}
	return db.Contact(ctx, c.UserID)
}

// UpdateContact replaces the fields and regions of a contact.
func (db *DB) UpdateContact(ctx context.Context, c contact.Contact, audit account.AuditEntry) (contact.Contact, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		fields, err := json.Marshal(orEmptyList(c.Fields))
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE contacts SET name = ?, role_title = ?, phone = ?, email = ?, fields = ?, topics = ?, availability = ?,
			updated_at = ? WHERE user_id = ?`, c.Name, c.RoleTitle, c.Phone, c.Email, string(fields), c.Topics, c.Availability, tx.now, c.UserID)
		if err != nil {
			return mapError(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "contacts.error.not_found")
		}
		if _, err := tx.exec(ctx, `DELETE FROM contact_regions WHERE user_id = ?`, c.UserID); err != nil {
			return err
		}
		return tx.contactWritten(ctx, c, audit)
	})
	if err != nil {
		return c, fmt.Errorf("store: update contact %s: %w", c.UserID, err)
	}
	return db.Contact(ctx, c.UserID)
}

// contactWritten stores the regions of c, the audit entry and a new
// contacts version.
func (tx *Tx) contactWritten(ctx context.Context, c contact.Contact, audit account.AuditEntry) error {
	for _, st := range c.StatesCovered() {
		if _, err := tx.exec(ctx, `INSERT INTO contact_regions (user_id, state_key, district_key) VALUES (?, ?, '')`, c.UserID, st); err != nil {
			return fmt.Errorf("region %s: %w", st, err)
		}
	}
	for _, d := range c.Districts {
		if _, err := tx.exec(ctx, `INSERT INTO contact_regions (user_id, state_key, district_key) VALUES (?, ?, ?)`, c.UserID, d[:2], d); err != nil {
			return fmt.Errorf("district %s: %w", d, err)
		}
	}
	if err := tx.addAudit(ctx, audit); err != nil {
		return err
	}
	return tx.bumpContactsVersion(ctx)
}

func (tx *Tx) bumpContactsVersion(ctx context.Context) error {
	_, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		contactsVersionKey, uuid.Must(uuid.NewV7()).String())
	if err != nil {
		return fmt.Errorf("contacts version: %w", err)
	}
	return nil
}

// DeleteContact removes a contact; the account stays.
func (db *DB) DeleteContact(ctx context.Context, userID string, audit account.AuditEntry) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM contacts WHERE user_id = ?`, userID)
		if err != nil {
			return mapError(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "contacts.error.not_found")
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		return tx.bumpContactsVersion(ctx)
	})
	if err != nil {
		return fmt.Errorf("store: delete contact %s: %w", userID, err)
	}
	return nil
}

// ContactsVersion names the state of the contacts: the value written by
// the last change plus the number of contacts, which also changes when
// an account deletion removes a contact by its foreign key. Two indexed
// reads of tiny rows.
func (db *DB) ContactsVersion(ctx context.Context) (string, error) {
	var v string
	err := db.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, contactsVersionKey).Scan(&v)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("store: contacts version: %w", mapError(err))
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM contacts`).Scan(&n); err != nil {
		return "", fmt.Errorf("store: contacts version: %w", mapError(err))
	}
	return v + "/" + strconv.Itoa(n), nil
}
