package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/smartregions/smartregions/internal/store"
)

// driver returns River's driver for db. Both work on database/sql, so that
// River's transactions are the store's *sql.Tx and a job can be inserted
// in the transaction that stores the data it works on.
//
// SQLite: riversqlite on the single writer connection, as River's
// documentation advises for SQLite. PostgreSQL: riverdatabasesql on the
// store's pgx stdlib pool. Without a pgx pool for LISTEN it runs in poll
// mode, which is enough for mail and keeps one pool per instance.
func driver(db *store.DB) (riverdriver.Driver[*sql.Tx], error) {
	switch db.Dialect() {
	case store.SQLite:
		return riversqlite.New(db.WriterPool()), nil
	case store.Postgres:
		return riverdatabasesql.New(db.WriterPool()), nil
	}
	return nil, fmt.Errorf("jobs: no River driver for dialect %q", db.Dialect())
}

// migrateLockKey is the PostgreSQL advisory lock that serialises River's
// migrations when several instances start at once (rivermigrate takes no
// lock of its own). goose uses a different key.
const migrateLockKey int64 = 0x736d7274_72697672 // "smrt" "rivr"

// migrateMu serialises River's migrations within the process, which is
// all a SQLite file needs: it serves one instance.
var migrateMu sync.Mutex

// Migrate brings River's tables (river_job, river_leader, …) in db up to
// date. It is safe to call on every start, also from several instances.
func Migrate(ctx context.Context, db *store.DB, logger *slog.Logger) error {
	drv, err := driver(db)
	if err != nil {
		return err
	}
	if db.Dialect() == store.SQLite {
		migrateMu.Lock()
		defer migrateMu.Unlock()
	}
	if db.Dialect() == store.Postgres {
		// The lock lives on one dedicated connection; the migrations run
		// on others from the pool.
		conn, err := db.WriterPool().Conn(ctx)
		if err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
			return fmt.Errorf("jobs: migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey)
	}
	migrator, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate %s: %w", db.Dialect(), err)
	}
	return nil
}
