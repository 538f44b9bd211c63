package catalog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/smartregions/smartregions/internal/apperr"
)

// MaxPublicCodeSize is the largest publiccode.yml the platform takes from
// an upload, a pasted text or a repository.
const MaxPublicCodeSize = 256 << 10

// Defaults of a GitFetcher.
const (
	defaultFetchTimeout = 60 * time.Second
	// defaultMaxTransfer bounds what a git server may send for one shallow
	// clone; real repositories with a publiccode.yml stay well below.
	defaultMaxTransfer = 50 << 20
)

// Messages of fetch errors, for the field "repository".
const (
	errRepoURL         = "harvest.error.url"
	errRepoPrivate     = "harvest.error.host_private"
	errRepoUnreachable = "harvest.error.unreachable"
	errRepoEmpty       = "harvest.error.empty"
	errRepoNoFile      = "harvest.error.no_file"
	errRepoFileLarge   = "harvest.error.file_too_large"
	errRepoTooLarge    = "harvest.error.repo_too_large"
	errRepoTimeout     = "harvest.error.timeout"
)

// GitFetcher reads publiccode.yml from the root of the default branch of
// a git repository: a shallow clone into memory, with a time limit and
// size limits. Only https:// repositories on public addresses are read;
// the address check is repeated when connecting, so a host cannot switch
// to an internal address between the check and the clone.
type GitFetcher struct {
	// Timeout bounds one fetch; zero means 60 seconds.
	Timeout time.Duration
	// MaxTransfer bounds the bytes of each response of the git server;
	// zero means 50 MiB.
	MaxTransfer int64
	allowLocal  bool
	resolve     func(ctx context.Context, host string) ([]netip.Addr, error)
}

// NewGitFetcher returns a fetcher for public https:// repositories.
func NewGitFetcher() *GitFetcher {
	installGuardedHTTP()
	return &GitFetcher{resolve: lookupHost}
}

// AllowLocal lets the fetcher read local repositories (file:// URLs or
// absolute paths) as well. It is for tests, which must not use the
// network; a server never sets it.
func (g *GitFetcher) AllowLocal() *GitFetcher {
	g.allowLocal = true
	return g
}

// Fetched is a publiccode.yml read from a repository.
type Fetched struct {
	URL    string // the repository as checked
	Commit string // the commit of the default branch that was read
	File   string // publiccode.yml or publiccode.yaml
	Data   []byte
}

// repoError is a fetch error for the field "repository": key explains it
// to the user, cause goes to the log.
func repoError(key string, cause error) error {
	return &apperr.Error{Code: apperr.Invalid, Msg: apperr.Message{Key: "error.invalid"},
		Fields: []apperr.FieldError{{Field: "repository", Message: apperr.Message{Key: key}}}, Err: cause}
}

// RepoErrorKey returns the message key of a fetch error ("" for others).
func RepoErrorKey(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].Field == "repository" {
		return e.Fields[0].Key
	}
	return ""
}

// CheckRepositoryURL validates a repository address and returns it
// trimmed: https:// without credentials, query or fragment; with
// AllowLocal also file:// URLs and absolute paths (made file:// URLs).
func (g *GitFetcher) CheckRepositoryURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		var v apperr.Validation
		v.Add("repository", "form.error.required")
		return "", v.Err()
	}
	if g.allowLocal && filepath.IsAbs(raw) {
		raw = (&url.URL{Scheme: "file", Path: filepath.ToSlash(raw)}).String()
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || len(raw) > maxURL || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return "", repoError(errRepoURL, err)
	case u.Scheme == "file" && g.allowLocal && u.Host == "" && u.Path != "":
		return u.String(), nil
	case u.Scheme != "https" || u.Hostname() == "" || strings.Trim(u.Path, "/") == "":
		return "", repoError(errRepoURL, nil)
	}
	return u.String(), nil
}

// Fetch reads publiccode.yml (or publiccode.yaml) from the root of the
// repository's default branch. Its errors are invalid-input errors for
// the field "repository" whose message says what went wrong: a bad or
// internal address, unreachable or not a git repository, empty, no file,
// file or repository too large, timeout. It never panics.
func (g *GitFetcher) Fetch(ctx context.Context, rawURL string) (f Fetched, err error) {
	f.URL, err = g.CheckRepositoryURL(rawURL)
	if err != nil {
		return f, err
	}
	ctx, cancel := context.WithTimeout(ctx, cmp.Or(g.Timeout, defaultFetchTimeout))
	defer cancel()
	defer func() {
		// go-git parses what a foreign server sends; a bug there must not
		// take the platform down.
		if v := recover(); v != nil {
			err = repoError(errRepoUnreachable, fmt.Errorf("git fetch %s: panic: %v", f.URL, v))
		}
	}()
	if strings.HasPrefix(f.URL, "https://") {
		if err := g.checkHost(ctx, f.URL); err != nil {
			return f, err
		}
	}
	limit := &transferLimit{max: cmp.Or(g.MaxTransfer, defaultMaxTransfer)}
	ctx = context.WithValue(ctx, transferKey{}, limit)
	fs := memfs.New()
	repo, err := git.CloneContext(ctx, memory.NewStorage(), fs, &git.CloneOptions{URL: f.URL, Depth: 1, SingleBranch: true,
		NoCheckout: false, Tags: git.NoTags})
	if err != nil {
		return f, g.cloneError(ctx, limit, f.URL, err)
	}
	head, err := repo.Head()
	if err != nil {
		return f, repoError(errRepoEmpty, fmt.Errorf("git fetch %s: head: %w", f.URL, err))
	}
	f.Commit = head.Hash().String()
	for _, name := range []string{"publiccode.yml", "publiccode.yaml"} {
		info, err := fs.Lstat(name)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if info.Size() > MaxPublicCodeSize {
			return f, repoError(errRepoFileLarge, fmt.Errorf("git fetch %s: %s has %d bytes", f.URL, name, info.Size()))
		}
		file, err := fs.Open(name)
		if err != nil {
			return f, repoError(errRepoUnreachable, fmt.Errorf("git fetch %s: open %s: %w", f.URL, name, err))
		}
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, MaxPublicCodeSize+1))
		if err != nil {
			return f, repoError(errRepoUnreachable, fmt.Errorf("git fetch %s: read %s: %w", f.URL, name, err))
		}
		if len(data) > MaxPublicCodeSize {
			return f, repoError(errRepoFileLarge, fmt.Errorf("git fetch %s: %s is larger than %d bytes", f.URL, name, MaxPublicCodeSize))
		}
		f.File, f.Data = name, data
		return f, nil
	}
	return f, repoError(errRepoNoFile, fmt.Errorf("git fetch %s: no publiccode.yml at the root of %s", f.URL, head.Name()))
}

// cloneError names why a clone failed.
func (g *GitFetcher) cloneError(ctx context.Context, limit *transferLimit, u string, err error) error {
	cause := fmt.Errorf("git fetch %s: %w", u, err)
	switch {
	case limit.exceeded():
		return repoError(errRepoTooLarge, cause)
	case limit.refused():
		return repoError(errRepoPrivate, cause)
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return repoError(errRepoTimeout, cause)
	case errors.Is(err, transport.ErrEmptyRemoteRepository):
		return repoError(errRepoEmpty, cause)
	}
	return repoError(errRepoUnreachable, cause)
}

// checkHost refuses hosts that are or resolve to addresses that are not
// public: loopback, private, link-local and the like.
func (g *GitFetcher) checkHost(ctx context.Context, raw string) error {
	u, _ := url.Parse(raw)
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !publicAddr(ip) {
			return repoError(errRepoPrivate, fmt.Errorf("git fetch %s: address %s", raw, ip))
		}
		return nil
	}
	ips, err := g.resolve(ctx, host)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return repoError(errRepoTimeout, err)
		}
		return repoError(errRepoUnreachable, fmt.Errorf("git fetch %s: resolve: %w", raw, err))
	}
	for _, ip := range ips {
		if !publicAddr(ip) {
			return repoError(errRepoPrivate, fmt.Errorf("git fetch %s: %s resolves to %s", raw, host, ip))
		}
	}
	return nil
}

func lookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}
