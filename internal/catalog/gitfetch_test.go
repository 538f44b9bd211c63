package catalog

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/catalog/gittest"
)

func TestPublicAddr(t *testing.T) {
	for _, c := range []struct {
		ip     string
		public bool
	}{
		{"93.184.215.14", true}, {"2a00:1450:4001:82b::200e", true}, {"185.199.108.153", true},
		{"127.0.0.1", false}, {"::1", false}, {"10.1.2.3", false}, {"172.16.0.1", false}, {"192.168.178.1", false},
		{"169.254.169.254", false}, {"fe80::1", false}, {"fc00::1", false}, {"0.0.0.0", false}, {"::", false},
		{"100.64.0.1", false}, {"224.0.0.1", false}, {"::ffff:127.0.0.1", false}, {"::ffff:10.0.0.1", false},
		{"192.0.2.10", false}, {"198.18.0.1", false}, {"255.255.255.255", false}, {"64:ff9b::a00:1", false},
	} {
		if got := publicAddr(netip.MustParseAddr(c.ip)); got != c.public {
			t.Errorf("publicAddr(%s) = %v, want %v", c.ip, got, c.public)
		}
	}
}

func TestCheckRepositoryURL(t *testing.T) {
	prod, local := NewGitFetcher(), NewGitFetcher().AllowLocal()
	for _, c := range []struct {
		name, url string
		local     bool
		want, key string // want "" with key: refused with that message
	}{
		{"https", " https://gitlab.opencode.de/bmi/opendesk/deployment ", false, "https://gitlab.opencode.de/bmi/opendesk/deployment", ""},
		{"http", "http://github.com/x/y", false, "", errRepoURL},
		{"ssh", "git@github.com:x/y.git", false, "", errRepoURL},
		{"credentials", "https://user:secret@github.com/x/y", false, "", errRepoURL},
		{"query", "https://github.com/x/y?ref=main", false, "", errRepoURL},
		{"fragment", "https://github.com/x/y#main", false, "", errRepoURL},
		{"no path", "https://github.com/", false, "", errRepoURL},
		{"file in production", "file:///srv/repo", false, "", errRepoURL},
		{"path in production", "/srv/repo", false, "", errRepoURL},
		{"too long", "https://github.com/" + strings.Repeat("x", 500), false, "", errRepoURL},
		{"empty", "  ", false, "", "form.error.required"},
		{"file for tests", "file:///srv/repo", true, "file:///srv/repo", ""},
		{"path for tests", "/srv/repo", true, "file:///srv/repo", ""},
		{"file with host", "file://host/srv/repo", true, "", errRepoURL},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := prod
			if c.local {
				g = local
			}
			got, err := g.CheckRepositoryURL(c.url)
			if c.key == "" {
				if err != nil || got != c.want {
					t.Fatalf("got %q, %v; want %q", got, err, c.want)
				}
				return
			}
			if key := fieldKey(err); key != c.key {
				t.Fatalf("got %q, %v; want refusal %s", got, err, c.key)
			}
		})
	}
}

// fieldKey is the message key of the first field error of err.
func fieldKey(err error) string {
	if k := RepoErrorKey(err); k != "" {
		return k
	}
	if err != nil {
		if s := err.Error(); strings.Contains(s, "form.error.required") {
			return "form.error.required"
		}
	}
	return ""
}

// TestFetchRefusesInternalHosts checks the address guard before any
// connection: literal addresses and names that resolve to internal ones.
func TestFetchRefusesInternalHosts(t *testing.T) {
	g := NewGitFetcher()
	g.resolve = func(_ context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "intern.example":
			return []netip.Addr{netip.MustParseAddr("93.184.215.14"), netip.MustParseAddr("10.0.0.8")}, nil
		case "localhost":
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		return nil, errors.New("no such host")
	}
	for url, key := range map[string]string{
		"https://127.0.0.1/x/y":             errRepoPrivate,
		"https://[::1]/x/y":                 errRepoPrivate,
		"https://169.254.169.254/latest/x":  errRepoPrivate,
		"https://localhost/x/y":             errRepoPrivate,
		"https://intern.example/x/y":        errRepoPrivate,
		"https://gibt-es-nicht.example/x/y": errRepoUnreachable,
	} {
		if _, err := g.Fetch(t.Context(), url); RepoErrorKey(err) != key {
			t.Errorf("%s: %v; want %s", url, err, key)
		}
	}
	// The dialer checks the address it connects to as well, in case a
	// name resolves differently the second time.
	l := &transferLimit{max: 1}
	ctx := context.WithValue(t.Context(), transferKey{}, l)
	if err := refuseInternal(ctx, "tcp", "10.0.0.8:443", nil); !errors.Is(err, errInternalAddress) || !l.refused() {
		t.Errorf("dial 10.0.0.8: %v", err)
	}
	if err := refuseInternal(ctx, "tcp", "93.184.215.14:443", nil); err != nil {
		t.Errorf("dial public address: %v", err)
	}
}

// TestTransferLimit checks that the guarded transport cuts a response
// once a fetch has received more than its limit.
func TestTransferLimit(t *testing.T) {
	big := strings.Repeat("x", 1000)
	tr := guardedTransport{next: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(big))}, nil
	})}
	l := &transferLimit{max: 600}
	req, _ := http.NewRequestWithContext(context.WithValue(t.Context(), transferKey{}, l), "GET", "https://example.org/", nil)
	res, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(res.Body); !errors.Is(err, errTransferTooLarge) || !l.exceeded() {
		t.Fatalf("read: %v", err)
	}
	if err := (&GitFetcher{}).cloneError(t.Context(), l, "https://example.org/x", err); RepoErrorKey(err) != errRepoTooLarge {
		t.Fatalf("clone error: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestFetchLocal reads publiccode.yml from local repositories, and names
// what is wrong with the ones it cannot read.
func TestFetchLocal(t *testing.T) {
	g := NewGitFetcher().AllowLocal()
	const yml = "publiccodeYmlVersion: \"0.4\"\nname: Beispiel\n"

	repo := gittest.New(t)
	first := repo.Commit(map[string]string{"publiccode.yml": yml, "README.md": "# Beispiel\n"})
	f, err := g.Fetch(t.Context(), repo.URL())
	if err != nil || string(f.Data) != yml || f.Commit != first || f.File != "publiccode.yml" {
		t.Fatalf("fetch: %+v %v", f, err)
	}
	second := repo.Commit(map[string]string{"publiccode.yml": yml + "url: https://example.org/x\n"})
	if f, err = g.Fetch(t.Context(), repo.Dir); err != nil || f.Commit != second || !strings.Contains(string(f.Data), "url:") {
		t.Fatalf("fetch by path after a new commit: %+v %v", f, err)
	}

	yaml := gittest.New(t)
	yaml.Commit(map[string]string{"publiccode.yaml": yml})
	if f, err := g.Fetch(t.Context(), yaml.URL()); err != nil || f.File != "publiccode.yaml" {
		t.Fatalf("publiccode.yaml: %+v %v", f, err)
	}

	nested := gittest.New(t)
	nested.Commit(map[string]string{"docs/publiccode.yml": yml})
	large := gittest.New(t)
	large.Commit(map[string]string{"publiccode.yml": yml + "# " + strings.Repeat("x", MaxPublicCodeSize) + "\n"})
	notRepo := t.TempDir()
	if err := os.WriteFile(filepath.Join(notRepo, "publiccode.yml"), []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	expired, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		url  string
		key  string
	}{
		{"not at the root", t.Context(), nested.URL(), errRepoNoFile},
		{"too large", t.Context(), large.URL(), errRepoFileLarge},
		{"empty repository", t.Context(), gittest.New(t).URL(), errRepoEmpty},
		{"no repository", t.Context(), "file://" + notRepo, errRepoUnreachable},
		{"missing", t.Context(), "file://" + filepath.Join(notRepo, "gibt-es-nicht"), errRepoUnreachable},
		{"timeout", expired, repo.URL(), errRepoTimeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := g.Fetch(c.ctx, c.url); RepoErrorKey(err) != c.key {
				t.Fatalf("%v; want %s", err, c.key)
			}
		})
	}
}
