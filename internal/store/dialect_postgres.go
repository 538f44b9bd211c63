package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

func openPostgres(dsn string) (*DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: Postgres, read: db, write: db, Now: time.Now}, nil
}

// lockRegisterPostgres makes concurrent register imports (several instances
// starting on an empty database) run one after the other; readers are not
// blocked.
func (tx *Tx) lockRegisterPostgres(ctx context.Context) error {
	if _, err := tx.exec(ctx, `LOCK TABLE municipalities IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("store: lock register: %w", err)
	}
	return nil
}
