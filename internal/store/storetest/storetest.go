// Package storetest gives tests a fresh, migrated database on every
// configured backend: SQLite always, PostgreSQL when
// SMARTREGIONS_TEST_POSTGRES holds a connection URL. Each test gets its own
// SQLite file or PostgreSQL schema, so tests may run in parallel.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // admin connection for schemas

	"github.com/smartregions/smartregions/internal/store"
)

// EnvPostgres names the environment variable with the PostgreSQL URL.
const EnvPostgres = "SMARTREGIONS_TEST_POSTGRES"

// Backends lists the dialects under test.
func Backends() []store.Dialect {
	if os.Getenv(EnvPostgres) != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// Each runs fn as a subtest named after each backend, each with a fresh
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Backends() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// New returns a fresh migrated database of dialect d, removed when the
// test ends.
func New(tb testing.TB, d store.Dialect) *store.DB {
	tb.Helper()
	dsn, drop, err := create(tb.TempDir(), d)
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	tb.Cleanup(drop)
	db := mustOpen(tb, dsn)
	tb.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the connection string of a fresh, empty (unmigrated) database
// of dialect d, removed when the test ends. For tests of the command line.
func DSN(tb testing.TB, d store.Dialect) string {
	tb.Helper()
	dsn, drop, err := create(tb.TempDir(), d)
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	tb.Cleanup(drop)
	return dsn
}

func mustOpen(tb testing.TB, dsn string) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		tb.Fatalf("storetest: migrate: %v", err)
	}
	return db
}

var (
	sharedMu  sync.Mutex
	shared    = map[string]*store.DB{}
	sharedDir string
	drops     []func()
)

// Shared returns a database of dialect d that is set up once per test
// binary under key and then reused by every test that asks for the same
// key — for read-only tests over expensive data such as the whole register.
// Tests must not change it. Packages that use Shared call Main from TestMain.
func Shared(tb testing.TB, d store.Dialect, key string, setup func(db *store.DB) error) *store.DB {
	tb.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	k := string(d) + "/" + key
	if db, ok := shared[k]; ok {
		return db
	}
	if sharedDir == "" {
		dir, err := os.MkdirTemp("", "storetest-")
		if err != nil {
			tb.Fatalf("storetest: %v", err)
		}
		sharedDir = dir
		drops = append(drops, func() { os.RemoveAll(dir) })
	}
	dir, err := os.MkdirTemp(sharedDir, "db-")
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	dsn, drop, err := create(dir, d)
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	drops = append(drops, drop)
	db := mustOpen(tb, dsn)
	drops = append(drops, func() { db.Close() })
	if err := setup(db); err != nil {
		tb.Fatalf("storetest: set up %s: %v", k, err)
	}
	shared[k] = db
	return db
}

// Main runs the tests and then removes the shared databases.
func Main(m *testing.M) {
	code := m.Run()
	sharedMu.Lock()
	for i := len(drops) - 1; i >= 0; i-- {
		drops[i]()
	}
	sharedMu.Unlock()
	os.Exit(code)
}

// create makes an empty database and returns its DSN and a function that
// removes it.
func create(dir string, d store.Dialect) (dsn string, drop func(), err error) {
	if d == store.SQLite {
		return filepath.Join(dir, "test.db"), func() {}, nil
	}
	base := os.Getenv(EnvPostgres)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	}, nil
}
