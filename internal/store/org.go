package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/org"
)

var _ org.Store = (*DB)(nil)

const orgColumns = `o.id, o.slug, o.kind, o.name, o.region_key, o.website, o.description, o.verified_at, o.created_at,
	(SELECT COUNT(*) FROM memberships mm WHERE mm.org_id = o.id)`

func scanOrg(sc interface{ Scan(...any) error }) (org.Organisation, error) {
	var (
		o        org.Organisation
		kind     string
		region   sql.NullString
		verified nullTime
	)
	err := sc.Scan(&o.ID, &o.Slug, &kind, &o.Name, &region, &o.Website, &o.Description, &verified, &o.Created, &o.Members)
	o.Kind, o.RegionKey, o.VerifiedAt, o.Created = org.Kind(kind), region.String, verified.ptr(), o.Created.UTC()
	return o, err
}

// CreateOrg stores an organisation with its first admin.
func (db *DB) CreateOrg(ctx context.Context, o org.Organisation, adminID string, audit account.AuditEntry) (org.Organisation, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		var region any
		if o.RegionKey != "" {
			region = o.RegionKey
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE region_key = ?`, o.RegionKey).Scan(&n); err != nil {
				return fmt.Errorf("store: organisation of %s: %w", o.RegionKey, err)
			}
			if n > 0 {
				return apperr.New(apperr.Conflict, "org.error.region_taken")
			}
		}
		var err error
		if o.Slug, err = tx.uniqueSlug(ctx, "organisations", o.Slug); err != nil {
			return err
		}
		o.Created = tx.now
		if _, err := tx.exec(ctx, `INSERT INTO organisations (id, slug, kind, name, name_key, region_key, website, description, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.ID, o.Slug, string(o.Kind), o.Name, fold.SearchKey(o.Name), region,
			o.Website, o.Description, adminID, tx.now, tx.now); err != nil {
			if apperr.Is(err, apperr.Conflict) && o.RegionKey != "" {
				return apperr.Wrap(err, apperr.Conflict, "org.error.region_taken")
			}
			return fmt.Errorf("store: create organisation: %w", err)
		}
		if err := tx.addMember(ctx, o.ID, adminID, org.Admin); err != nil {
			return err
		}
		o.Members = 1
		return tx.addAudit(ctx, audit)
	})
	return o, err
}

// uniqueSlug returns slug, or slug with "-2", "-3", … appended when the
// table (one of this package's, never user input) has it already.
func (tx *Tx) uniqueSlug(ctx context.Context, table, slug string) (string, error) {
	taken, err := tx.strings(ctx, `SELECT slug FROM `+table+` WHERE slug = ? OR slug LIKE ? ESCAPE '\'`, slug, escapeLike(slug)+"-%")
	if err != nil {
		return "", err
	}
	if reservedSlugs[slug] {
		taken = append(taken, slug)
	}
	base := slug
	for i := 2; contains(taken, slug); i++ {
		slug = base + "-" + strconv.Itoa(i)
	}
	return slug, nil
}

// reservedSlugs are the words of paths beside /organisationen/{slug},
// /loesungen/{slug} and /api/v1/solutions/{slug} (neu, import, vergleich,
// compare): an organisation or solution of that name gets a numbered
// slug, or its page could not be reached.
var reservedSlugs = map[string]bool{"neu": true, "import": true, "vergleich": true, "compare": true, "hinweise": true, "suche": true} // "neu", "hinweise" and "suche" also for /wissen/{slug}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (tx *Tx) addMember(ctx context.Context, orgID, userID string, r org.Role) error {
	if _, err := tx.exec(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)`,
		orgID, userID, string(r), tx.now); err != nil {
		return fmt.Errorf("store: add member: %w", err)
	}
	return nil
}

// UpdateOrg changes an organisation's details.
func (db *DB) UpdateOrg(ctx context.Context, id, website, description string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE organisations SET website = ?, description = ?, updated_at = ? WHERE id = ?`, website, description, tx.now, id)
		if err != nil {
			return fmt.Errorf("store: update organisation: %w", err)
		}
		if err := oneRow(res, "org.error.not_found"); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

func oneRow(res sql.Result, key string) error {
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.New(apperr.NotFound, key)
	}
	return nil
}

// OrgBySlug returns an organisation with its official domains.
func (db *DB) OrgBySlug(ctx context.Context, slug string) (org.Organisation, error) {
	return db.orgWhere(ctx, "o.slug = ?", slug)
}

// OrgByRegion returns the organisation tied to a register key.
func (db *DB) OrgByRegion(ctx context.Context, key string) (org.Organisation, error) {
	return db.orgWhere(ctx, "o.region_key = ?", key)
}

func (db *DB) orgWhere(ctx context.Context, where string, arg any) (org.Organisation, error) {
	var o org.Organisation
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		if o, err = scanOrg(tx.queryRow(ctx, `SELECT `+orgColumns+` FROM organisations o WHERE `+where, arg)); err != nil {
			return mapError(err)
		}
		o.Domains, err = tx.strings(ctx, `SELECT domain FROM organisation_domains WHERE org_id = ? ORDER BY domain`, o.ID)
		return err
	})
	if err != nil {
		return o, fmt.Errorf("store: organisation %v: %w", arg, err)
	}
	return o, nil
}

// Orgs returns a page of organisations sorted by name.
func (db *DB) Orgs(ctx context.Context, q org.ListQuery) (org.Page, error) {
	conds, args := []string{"1 = 1"}, []any{}
	if q.Query != "" {
		conds, args = append(conds, `o.name_key LIKE ? ESCAPE '\'`), append(args, "%"+escapeLike(q.Query)+"%")
	}
	if q.Kind != "" {
		conds, args = append(conds, "o.kind = ?"), append(args, string(q.Kind))
	}
	if q.VerifiedOnly {
		conds = append(conds, "o.verified_at IS NOT NULL")
	}
	var page org.Page
	err := db.view(ctx, func(tx *Tx) error {
		where := strings.Join(conds, " AND ")
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM organisations o WHERE `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		if q.After != "" {
			where += ` AND (o.name_key, o.id) > (SELECT a.name_key, a.id FROM organisations a WHERE a.id = ?)`
			args = append(args, q.After)
		}
		rows, err := tx.query(ctx, `SELECT `+orgColumns+` FROM organisations o WHERE `+where+` ORDER BY o.name_key, o.id LIMIT ?`,
			append(args, q.Limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			o, err := scanOrg(rows)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, o)
		}
		return rows.Err()
	})
	if err != nil {
		return page, fmt.Errorf("store: organisations: %w", err)
	}
	if len(page.Items) > q.Limit {
		page.Items = page.Items[:q.Limit]
		page.Next = page.Items[q.Limit-1].ID
	}
	return page, nil
}

// SetDomains replaces the official domains of an organisation.
func (db *DB) SetDomains(ctx context.Context, orgID string, domains []string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM organisation_domains WHERE org_id = ?`, orgID); err != nil {
			return fmt.Errorf("store: clear domains: %w", err)
		}
		for _, d := range domains {
			if err := tx.addDomain(ctx, orgID, d, audit.ActorID); err != nil {
				return err
			}
		}
		return tx.addAudit(ctx, audit)
	})
}

func (tx *Tx) addDomain(ctx context.Context, orgID, domain, actorID string) error {
	_, err := tx.exec(ctx, `INSERT INTO organisation_domains (org_id, domain, added_by, added_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (org_id, domain) DO NOTHING`, orgID, domain, actorID, tx.now)
	if err != nil {
		return fmt.Errorf("store: add domain %s: %w", domain, err)
	}
	return nil
}

// EnsureOrg stores a verified organisation without members unless one
// with its slug exists, and returns the stored one. It is for
// organisations the platform itself keeps, such as the one that holds
// imported demo entries.
func (db *DB) EnsureOrg(ctx context.Context, o org.Organisation) (org.Organisation, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE slug = ?`, o.Slug).Scan(&n); err != nil || n > 0 {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO organisations (id, slug, kind, name, name_key, website, description, verified_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.ID, o.Slug, string(o.Kind), o.Name, fold.SearchKey(o.Name), o.Website, o.Description,
			tx.now, tx.now, tx.now)
		if err != nil {
			return fmt.Errorf("store: ensure organisation %s: %w", o.Slug, err)
		}
		return nil
	})
	if err != nil {
		return o, err
	}
	return db.OrgBySlug(ctx, o.Slug)
}
