// Package store keeps the platform's data in SQLite (the embedded default)
// or PostgreSQL through database/sql. Queries are written once with `?`
// placeholders and rebound for PostgreSQL; what truly differs between the
// two lives in dialect_sqlite.go and dialect_postgres.go.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Dialect names the SQL database behind a DB.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the platform's database. Reads go through a pool; on SQLite all
// writes go through a single connection so that concurrent writers queue
// instead of failing with SQLITE_BUSY.
type DB struct {
	dialect Dialect
	read    *sql.DB
	write   *sql.DB
	// Now returns the current time; a transaction reads it once. Tests may
	// replace it.
	Now func() time.Time
}

// Open connects to the database named by dsn: a postgres:// or
// postgresql:// URL selects PostgreSQL, anything else is a SQLite file path
// (optionally prefixed with "sqlite:" or "file:").
func Open(ctx context.Context, dsn string) (*DB, error) {
	var (
		db  *DB
		err error
	)
	if IsPostgres(dsn) {
		db, err = openPostgres(dsn)
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Dialect returns the database's dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", db.dialect, err)
	}
	return nil
}

// Stats returns the read pool's statistics (the pool that serves requests).
func (db *DB) Stats() sql.DBStats { return db.read.Stats() }

// Close closes both pools.
func (db *DB) Close() error {
	err := db.read.Close()
	if db.write != db.read {
		if werr := db.write.Close(); err == nil {
			err = werr
		}
	}
	return err
}

// Tx is a write transaction with the time fixed at its start.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
}

// inTx runs fn in a write transaction and commits when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", mapError(err))
	}
	tx := &Tx{tx: sqlTx, db: db, now: db.Now().UTC()}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", mapError(err))
	}
	return nil
}

// view runs fn in a read-only transaction on the read pool, for reads
// that must see one consistent state; it never takes SQLite's write lock.
func (db *DB) view(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin read: %w", mapError(err))
	}
	defer sqlTx.Rollback()
	return fn(&Tx{tx: sqlTx, db: db, now: db.Now().UTC()})
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.db.rebind(q), args...)
	return res, mapError(err)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.db.rebind(q), args...)
	return rows, mapError(err)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(q), args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := db.read.QueryContext(ctx, db.rebind(q), args...)
	return rows, mapError(err)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.rebind(q), args...)
}

// rebind turns `?` placeholders into PostgreSQL's `$n`. Queries in this
// package never contain a literal question mark.
func (db *DB) rebind(q string) string {
	if db.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// placeholders returns "(?, ?, …)" groups for a multi-row VALUES list.
func placeholders(rows, cols int) string {
	group := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(group+", ", rows), ", ")
}

// Pool returns the pool that serves reads, for its statistics.
func (db *DB) Pool() *sql.DB { return db.read }
