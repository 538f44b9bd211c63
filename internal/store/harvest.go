package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

var _ catalog.HarvestStore = (*DB)(nil)

const repositoryColumns = `r.id, r.solution_id, s.slug, r.url, r.added_by, r.added_at, r.last_checked_at, r.last_commit, r.last_error,
	r.failures, r.next_attempt_at`

func scanRepository(sc interface{ Scan(...any) error }) (catalog.Repository, error) {
	var (
		r         catalog.Repository
		checked   nullTime
		lastError string
	)
	if err := sc.Scan(&r.ID, &r.SolutionID, &r.SolutionSlug, &r.URL, &r.AddedBy, &r.Added, &checked, &r.LastCommit, &lastError,
		&r.Failures, &r.NextAttempt); err != nil {
		return r, err
	}
	r.Added, r.NextAttempt, r.LastChecked = r.Added.UTC(), r.NextAttempt.UTC(), checked.ptr()
	if lastError != "" {
		r.LastError = &catalog.RepoFailure{}
		if err := json.Unmarshal([]byte(lastError), r.LastError); err != nil {
			return r, fmt.Errorf("store: repository %s: last error: %w", r.ID, err)
		}
	}
	return r, nil
}

// repositories runs a query of repositoryColumns.
func (db *DB) repositories(ctx context.Context, where string, args ...any) ([]catalog.Repository, error) {
	rows, err := db.query(ctx, `SELECT `+repositoryColumns+` FROM solution_repositories r JOIN solutions s ON s.id = r.solution_id WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: repositories: %w", err)
	}
	defer rows.Close()
	var out []catalog.Repository
	for rows.Next() {
		r, err := scanRepository(rows)
		if err != nil {
			return nil, fmt.Errorf("store: repositories: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddRepository stores a repository of a solution.
func (db *DB) AddRepository(ctx context.Context, r catalog.Repository, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM solution_repositories WHERE solution_id = ? AND url = ?`, r.SolutionID, r.URL).Scan(&n); err != nil {
			return fmt.Errorf("store: add repository: %w", err)
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "harvest.error.duplicate")
		}
		if _, err := tx.exec(ctx, `INSERT INTO solution_repositories (id, solution_id, url, added_by, added_at, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?)`, r.ID, r.SolutionID, r.URL, r.AddedBy, r.Added.UTC(), r.NextAttempt.UTC()); err != nil {
			return fmt.Errorf("store: add repository: %w", err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// RemoveRepository deletes a repository of a solution; its proposals stay.
func (db *DB) RemoveRepository(ctx context.Context, solutionID, id string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM solution_repositories WHERE solution_id = ? AND id = ?`, solutionID, id)
		if err != nil {
			return fmt.Errorf("store: remove repository %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "harvest.error.repository_not_found")
		}
		return tx.addAudit(ctx, audit)
	})
}

// Repository returns one repository of a solution.
func (db *DB) Repository(ctx context.Context, solutionID, id string) (catalog.Repository, error) {
	list, err := db.repositories(ctx, `r.solution_id = ? AND r.id = ?`, solutionID, id)
	if err != nil {
		return catalog.Repository{}, err
	}
	if len(list) == 0 {
		return catalog.Repository{}, apperr.New(apperr.NotFound, "harvest.error.repository_not_found")
	}
	return list[0], nil
}

// Repositories returns a solution's repositories in the order added.
func (db *DB) Repositories(ctx context.Context, solutionID string) ([]catalog.Repository, error) {
	return db.repositories(ctx, `r.solution_id = ? ORDER BY r.added_at, r.id`, solutionID)
}

// DueRepositories returns repositories whose next attempt is due.
func (db *DB) DueRepositories(ctx context.Context, now time.Time, limit int) ([]catalog.Repository, error) {
	return db.repositories(ctx, `r.next_attempt_at <= ? ORDER BY r.next_attempt_at, r.id LIMIT `+strconv.Itoa(limit), now.UTC())
}

// ClaimRepository moves a due repository's next attempt to until.
func (db *DB) ClaimRepository(ctx context.Context, id string, now, until time.Time) (bool, error) {
	claimed := false
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE solution_repositories SET next_attempt_at = ? WHERE id = ? AND next_attempt_at <= ?`, until.UTC(), id, now.UTC())
		if err != nil {
			return fmt.Errorf("store: claim repository %s: %w", id, err)
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// RecordCheck stores the outcome of a check, with its proposal.
func (db *DB) RecordCheck(ctx context.Context, id string, c catalog.Check) error {
	lastError := ""
	if c.Failure != nil {
		b, err := json.Marshal(c.Failure)
		if err != nil {
			return fmt.Errorf("store: repository %s: last error: %w", id, err)
		}
		lastError = string(b)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		q := `UPDATE solution_repositories SET last_checked_at = ?, last_error = ?, failures = ?, next_attempt_at = ?`
		args := []any{c.At.UTC(), lastError, c.Failures, c.Next.UTC()}
		if c.Commit != "" {
			q, args = q+`, last_commit = ?`, append(args, c.Commit)
		}
		res, err := tx.exec(ctx, q+` WHERE id = ?`, append(args, id)...)
		if err != nil {
			return fmt.Errorf("store: record check of repository %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "harvest.error.repository_not_found") // removed meanwhile
		}
		p := c.Proposal
		if p == nil {
			return nil
		}
		entry, err := entryJSON(p.Entry)
		if err != nil {
			return err
		}
		notes, err := json.Marshal(p.Notes)
		if err != nil {
			return fmt.Errorf("store: proposal notes: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE solution_proposals SET state = 'superseded', decided_at = ? WHERE solution_id = ? AND state = 'open'`,
			tx.now, p.SolutionID); err != nil {
			return fmt.Errorf("store: supersede proposal: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO solution_proposals (id, solution_id, repository_id, repository_url, commit_hash, entry, notes, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)`, p.ID, p.SolutionID, id, p.RepositoryURL, p.Commit, entry, string(notes), p.Created.UTC()); err != nil {
			return fmt.Errorf("store: add proposal: %w", err)
		}
		return tx.addAudit(ctx, c.Audit)
	})
}

const proposalColumns = `id, solution_id, repository_id, repository_url, commit_hash, entry, notes, state, created_at, decided_by, decided_at`

func scanProposal(sc interface{ Scan(...any) error }) (catalog.Proposal, error) {
	var (
		p            catalog.Proposal
		repo         sql.NullString
		entry, notes string
		decided      nullTime
	)
	if err := sc.Scan(&p.ID, &p.SolutionID, &repo, &p.RepositoryURL, &p.Commit, &entry, &notes, &p.State, &p.Created, &p.DecidedBy, &decided); err != nil {
		if isNotFound(mapError(err)) {
			return p, apperr.New(apperr.NotFound, "harvest.error.proposal_not_found")
		}
		return p, fmt.Errorf("store: proposal: %w", err)
	}
	p.RepositoryID, p.Created, p.Decided = repo.String, p.Created.UTC(), decided.ptr()
	if err := json.Unmarshal([]byte(entry), &p.Entry); err != nil {
		return p, fmt.Errorf("store: proposal %s: entry: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(notes), &p.Notes); err != nil {
		return p, fmt.Errorf("store: proposal %s: notes: %w", p.ID, err)
	}
	return p, nil
}

// Proposal returns one proposal of a solution.
func (db *DB) Proposal(ctx context.Context, solutionID, id string) (catalog.Proposal, error) {
	return scanProposal(db.queryRow(ctx, `SELECT `+proposalColumns+` FROM solution_proposals WHERE solution_id = ? AND id = ?`, solutionID, id))
}

// LatestProposal returns the newest proposal of a solution.
func (db *DB) LatestProposal(ctx context.Context, solutionID string) (catalog.Proposal, error) {
	return scanProposal(db.queryRow(ctx, `SELECT `+proposalColumns+` FROM solution_proposals WHERE solution_id = ?
		ORDER BY created_at DESC, id DESC LIMIT 1`, solutionID))
}

// OpenProposal returns the open proposal of a solution.
func (db *DB) OpenProposal(ctx context.Context, solutionID string) (catalog.Proposal, error) {
	return scanProposal(db.queryRow(ctx, `SELECT `+proposalColumns+` FROM solution_proposals WHERE solution_id = ? AND state = 'open'`, solutionID))
}

// decideProposal closes an open proposal.
func (tx *Tx) decideProposal(ctx context.Context, id, solutionID, state, by string) error {
	res, err := tx.exec(ctx, `UPDATE solution_proposals SET state = ?, decided_by = ?, decided_at = ? WHERE id = ? AND solution_id = ? AND state = 'open'`,
		state, by, tx.now, id, solutionID)
	if err != nil {
		return fmt.Errorf("store: decide proposal %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.New(apperr.Conflict, "harvest.error.proposal_decided")
	}
	return nil
}

// AcceptProposal closes the open proposal and saves its entry as the
// working version, in one transaction.
func (db *DB) AcceptProposal(ctx context.Context, id, solutionID string, lock int, e catalog.Entry, by string, audit account.AuditEntry) error {
	entry, err := entryJSON(e)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.decideProposal(ctx, id, solutionID, catalog.ProposalAccepted, by); err != nil {
			return err
		}
		if err := tx.saveWorking(ctx, solutionID, lock, entry, by); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// DismissProposal closes the open proposal without applying it.
func (db *DB) DismissProposal(ctx context.Context, id, solutionID, by string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.decideProposal(ctx, id, solutionID, catalog.ProposalDismissed, by); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}
