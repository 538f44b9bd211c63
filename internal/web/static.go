package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// staticPrefix is where the static files are mounted.
const staticPrefix = "/static/"

// Cache lifetimes: a URL carrying the file's current checksum never changes
// its content; files fetched without it (fonts referenced from CSS) may change
// with the next release.
const (
	cacheVersioned   = "public, max-age=31536000, immutable"
	cacheUnversioned = "public, max-age=86400"
)

// contentTypes fixes the types of the files we ship, because the mime
// package only knows some of them unless the machine has a mime.types file.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
}

// assets knows the static files and a short content checksum of each.
type assets struct {
	fsys fs.FS
	sums map[string]string // path relative to static/ → 8 hex digits of SHA-256
}

func newAssets(fsys fs.FS) (*assets, error) {
	a := &assets{fsys: fsys, sums: make(map[string]string)}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		a.sums[p] = hex.EncodeToString(h.Sum(nil))[:8]
		return nil
	})
	return a, err
}

// StaticURL returns the URL of a static file with its content checksum, e.g.
// "/static/vendor/kern/kern.min.css?v=1a2b3c4d", so browsers may cache it
// for a year and still fetch a new release at once. A path that names no
// static file is returned unchanged. Templates call it as {{static "/static/…"}}.
func (r *Renderer) StaticURL(p string) string { return r.assets.url(p) }

func (a *assets) url(p string) string {
	rel, ok := strings.CutPrefix(p, staticPrefix)
	if !ok {
		return p
	}
	sum, ok := a.sums[rel]
	if !ok {
		return p
	}
	return p + "?v=" + sum
}

// Static serves the static files under /static/. Requests carrying the
// current checksum (as StaticURL builds them) are cached for a year as
// immutable, others for a day. It answers 404 for directories and unknown
// files.
func (r *Renderer) Static() http.Handler {
	return http.StripPrefix(staticPrefix, http.HandlerFunc(r.assets.serve))
}

func (a *assets) serve(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	p := strings.TrimPrefix(path.Clean("/"+req.URL.Path), "/")
	sum, ok := a.sums[p]
	if !ok {
		http.NotFound(w, req)
		return
	}
	f, err := a.fsys.Open(p)
	if err != nil {
		http.NotFound(w, req)
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		http.Error(w, "static file not seekable", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	ext := path.Ext(p)
	ct := contentTypes[ext]
	if ct == "" {
		ct = mime.TypeByExtension(ext)
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+sum+`"`)
	if req.URL.Query().Get("v") == sum {
		h.Set("Cache-Control", cacheVersioned)
	} else {
		h.Set("Cache-Control", cacheUnversioned)
	}
	// Embedded files have no modification time; the ETag answers
	// conditional requests instead.
	http.ServeContent(w, req, p, time.Time{}, rs)
}
