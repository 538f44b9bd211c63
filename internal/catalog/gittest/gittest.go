// Package gittest makes local git repositories for tests of importing
// and harvesting publiccode.yml, which must not use the network.
package gittest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Repo is a local repository in a test's temporary directory.
type Repo struct {
	Dir string
	tb  testing.TB
}

// New initialises an empty repository in a fresh temporary directory.
func New(tb testing.TB) *Repo {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := git.PlainInit(dir, false); err != nil {
		tb.Fatalf("gittest: init: %v", err)
	}
	return &Repo{Dir: dir, tb: tb}
}

// URL is the repository's file:// address.
func (r *Repo) URL() string { return "file://" + filepath.ToSlash(r.Dir) }

// Commit writes files (path → content; "" removes a file) and commits
// them; it returns the commit's hash.
func (r *Repo) Commit(files map[string]string) string {
	r.tb.Helper()
	repo, err := git.PlainOpen(r.Dir)
	if err != nil {
		r.tb.Fatalf("gittest: open: %v", err)
	}
	w, err := repo.Worktree()
	if err != nil {
		r.tb.Fatalf("gittest: worktree: %v", err)
	}
	for name, content := range files {
		path := filepath.Join(r.Dir, filepath.FromSlash(name))
		if content == "" {
			if _, err := w.Remove(name); err != nil {
				r.tb.Fatalf("gittest: remove %s: %v", name, err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			r.tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			r.tb.Fatal(err)
		}
		if _, err := w.Add(name); err != nil {
			r.tb.Fatalf("gittest: add %s: %v", name, err)
		}
	}
	h, err := w.Commit("test commit", &git.CommitOptions{AllowEmptyCommits: true,
		Author: &object.Signature{Name: "Test", Email: "test@example.org", When: time.Now()}})
	if err != nil {
		r.tb.Fatalf("gittest: commit: %v", err)
	}
	return h.String()
}
