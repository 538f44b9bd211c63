package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/offer"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(t.Context(), args, env(), strings.NewReader(""), &o, &e)
	return o.String(), e.String(), err
}

func TestVersionAndUsage(t *testing.T) {
	out, _, err := runCmd(t, "version")
	if err != nil || !strings.HasPrefix(out, "smartregions ") {
		t.Fatalf("version = %q, %v", out, err)
	}
	if _, _, err := runCmd(t, "frobnicate"); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command err = %v", err)
	}
	if _, _, err := runCmd(t); err == nil {
		t.Fatal("no command must fail")
	}
	if _, _, err := runCmd(t, "import", "nothing"); err == nil {
		t.Fatal("import without register must fail")
	}
}

// writeRegister writes the real register, changed by edit, to a file.
func writeRegister(t *testing.T, edit func(lines []string) []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "register.txt")
	if err := os.WriteFile(path, []byte(regiontest.Join(edit(regiontest.Lines(t)))), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMigrateAndImport(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			out, _, err := runCmd(t, "migrate", "--db", dsn)
			if err != nil || !strings.Contains(out, "migrated to schema version") {
				t.Fatalf("migrate = %q, %v", out, err)
			}
			same := writeRegister(t, func(l []string) []string { return l })
			out, _, err = runCmd(t, "import", "register", same, "--db", dsn)
			if err != nil || !strings.Contains(out, "added 10952, changed 0, dissolved 0") {
				t.Fatalf("import = %q, %v", out, err)
			}
			// A broken file is refused with its line; nothing changes.
			broken := writeRegister(t, func(l []string) []string {
				l[100] = regiontest.Set(l[100], 1, 2, "70")
				l[len(l)-1] = regiontest.Set(l[len(l)-1], 140, 150, "00000000001")
				return l
			})
			_, _, err = runCmd(t, "import", "register", broken, "--db", dsn)
			if err == nil || !strings.Contains(err.Error(), "line 101") || !strings.Contains(err.Error(), "Nothing was changed") {
				t.Fatalf("broken import err = %v", err)
			}
			out, _, err = runCmd(t, "import", "register", same, "--db", dsn)
			if err != nil || !strings.Contains(out, "added 0, changed 0, dissolved 0, unchanged 10952") {
				t.Fatalf("re-import = %q, %v", out, err)
			}
			if _, _, err := runCmd(t, "import", "register", filepath.Join(t.TempDir(), "missing.txt"), "--db", dsn); err == nil {
				t.Fatal("missing file must fail")
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the server's log writer and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

var reListening = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// TestServeFreshDatabase runs "serve" as a newcomer would: empty database,
// register imported on start, pages served, clean stop on cancel.
func TestServeFreshDatabase(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			logs := &syncBuffer{}
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, env(), strings.NewReader(""), &bytes.Buffer{}, logs)
			}()
			var base string
			for deadline := time.Now().Add(60 * time.Second); base == ""; {
				if m := reListening.FindStringSubmatch(logs.String()); m != nil {
					base = m[1]
					break
				}
				select {
				case err := <-done:
					t.Fatalf("serve stopped: %v\n%s", err, logs.String())
				case <-time.After(20 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					t.Fatalf("serve did not start:\n%s", logs.String())
				}
			}
			for path, want := range map[string]string{"/readyz": `"ok"`, "/kommunen?q=Gr%C3%B6de": "01054039", "/api/v1/states/01": "Schleswig-Holstein"} {
				resp, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				var body bytes.Buffer
				body.ReadFrom(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.Contains(body.String(), want) {
					t.Errorf("%s: %d, body lacks %q", path, resp.StatusCode, want)
				}
			}
			// The job runner works without SMTP too: every periodic job
			// runs once at start.
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range []string{catalog.EvidenceArgs{}.Kind(), catalog.FollowUpArgs{}.Kind(), catalog.HarvestArgs{}.Kind(), catalog.SweepMediaArgs{}.Kind(),
				alert.SweepArgs{}.Kind(), event.SweepArgs{}.Kind(), notify.DigestArgs{}.Kind(), knowledge.SweepArgs{}.Kind(), offer.SweepArgs{}.Kind()} {
				for deadline := time.Now().Add(30 * time.Second); ; {
					var n int
					if err := db.Pool().QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = '"+kind+"' AND state = 'completed'").Scan(&n); err != nil {
						t.Fatal(err)
					}
					if n > 0 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("job %s did not run at start:\n%s", kind, logs.String())
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
			db.Close()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve returned %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop")
			}
			if !strings.Contains(logs.String(), "municipality register imported on first start") {
				t.Error("no first-start import logged")
			}
		})
	}
}

func TestUserCreateOperator(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			create := func(stdin string, args ...string) (string, error) {
				var o, e bytes.Buffer
				err := run(t.Context(), append([]string{"user", "create"}, args...), env(), strings.NewReader(stdin), &o, &e)
				return o.String(), err
			}
			if _, err := create("Betrieb-der-Plattform-2026\n", "--email", "op@example.org", "--db", dsn); err == nil {
				t.Fatal("without --operator it must refuse")
			}
			if _, err := create("kurz\n", "--operator", "--email", "op@example.org", "--db", dsn); err == nil || !strings.Contains(err.Error(), "at least 10") {
				t.Fatalf("short password: %v", err)
			}
			out, err := create("Betrieb-der-Plattform-2026\n", "--operator", "--email", "Op@Example.org", "--name", "Betrieb", "--db", dsn)
			if err != nil || !strings.Contains(out, "operator op@example.org created") {
				t.Fatalf("create: %q %v", out, err)
			}
			if _, err := create("Betrieb-der-Plattform-2026\n", "--operator", "--email", "op@example.org", "--db", dsn); err == nil || !strings.Contains(err.Error(), "already an account") {
				t.Fatalf("second create: %v", err)
			}
		})
	}
}
