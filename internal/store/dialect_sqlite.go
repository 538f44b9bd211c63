package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqlitePragmas are set on every connection: WAL lets readers run beside
// the writer, busy_timeout makes a blocked writer wait instead of failing,
// foreign_keys is off by default in SQLite.
var sqlitePragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
}

func openSQLite(dsn string) (*DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, fmt.Errorf("store: empty SQLite path")
	}
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	// IMMEDIATE takes the write lock at BEGIN, so a transaction never fails
	// half-way when it upgrades from reading to writing.
	q.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)

	q.Del("_txlock")
	q.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return &DB{dialect: SQLite, read: read, write: write, Now: time.Now}, nil
}

// lockRegister is a no-op on SQLite: write transactions begin IMMEDIATE
// and so already exclude each other.
func (tx *Tx) lockRegister(ctx context.Context) error {
	if tx.db.dialect == Postgres {
		return tx.lockRegisterPostgres(ctx)
	}
	return nil
}
