package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestStaticURL(t *testing.T) {
	r := mustRenderer(t, Options{})
	for _, p := range []string{
		"/static/vendor/kern/kern.min.css",
		"/static/vendor/kern/fonts/fira-sans.css",
		"/static/vendor/htmx/htmx.min.js",
		"/static/css/app.css",
	} {
		b, err := os.ReadFile(strings.TrimPrefix(p, "/"))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		want := p + "?v=" + hex.EncodeToString(sum[:])[:8]
		if got := r.StaticURL(p); got != want {
			t.Errorf("StaticURL(%q) = %q; want %q", p, got, want)
		}
	}
	for _, p := range []string{"/static/nope.css", "/other/app.css", "static/css/app.css"} {
		if got := r.StaticURL(p); got != p {
			t.Errorf("StaticURL(%q) = %q; want it unchanged", p, got)
		}
	}
}

func TestStaticURLChangesWithContent(t *testing.T) {
	css, err := fs.ReadFile(staticFS, "static/vendor/kern/kern.min.css")
	if err != nil {
		t.Fatal(err)
	}
	js, err := fs.ReadFile(staticFS, "static/vendor/htmx/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	before, err := newAssets(fstest.MapFS{
		"vendor/kern/kern.min.css": {Data: css},
		"vendor/htmx/htmx.min.js":  {Data: js},
	})
	if err != nil {
		t.Fatal(err)
	}
	changed := append([]byte(nil), css...)
	changed = append(changed, "\n.x{}"...)
	after, err := newAssets(fstest.MapFS{
		"vendor/kern/kern.min.css": {Data: changed},
		"vendor/htmx/htmx.min.js":  {Data: js},
	})
	if err != nil {
		t.Fatal(err)
	}
	const cssURL, jsURL = "/static/vendor/kern/kern.min.css", "/static/vendor/htmx/htmx.min.js"
	if before.url(cssURL) == after.url(cssURL) {
		t.Errorf("checksum unchanged after the content changed: %s", after.url(cssURL))
	}
	if before.url(jsURL) != after.url(jsURL) {
		t.Errorf("checksum of an unchanged file changed: %s → %s", before.url(jsURL), after.url(jsURL))
	}
}

func TestStaticHandler(t *testing.T) {
	r := mustRenderer(t, Options{})
	h := r.Static()
	cssURL := r.StaticURL("/static/vendor/kern/kern.min.css")
	want, err := os.ReadFile("static/vendor/kern/kern.min.css")
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, method, url string
		status            int
		ctype, cache      string
	}{
		{"versioned css", "GET", cssURL, 200, "text/css; charset=utf-8", cacheVersioned},
		{"stale version", "GET", "/static/vendor/kern/kern.min.css?v=00000000", 200, "text/css; charset=utf-8", cacheUnversioned},
		{"font from css", "GET", "/static/vendor/kern/fonts/fira-sans/FiraSans-Regular.woff2", 200, "font/woff2", cacheUnversioned},
		{"htmx", "GET", r.StaticURL("/static/vendor/htmx/htmx.min.js"), 200, "text/javascript; charset=utf-8", cacheVersioned},
		{"head", "HEAD", cssURL, 200, "text/css; charset=utf-8", cacheVersioned},
		{"missing", "GET", "/static/nope.css", 404, "", ""},
		{"directory", "GET", "/static/vendor/kern/", 404, "", ""},
		{"root", "GET", "/static/", 404, "", ""},
		{"escape", "GET", "/static/../web.go", 404, "", ""},
		{"post", "POST", cssURL, 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.url, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d; want %d", rec.Code, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q; want %q", got, tt.ctype)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q; want %q", got, tt.cache)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no X-Content-Type-Options: nosniff")
			}
			if tt.name == "versioned css" && rec.Body.String() != string(want) {
				t.Error("body differs from the vendored file")
			}
		})
	}

	// A revalidation with the ETag answers 304 without a body.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", cssURL, nil))
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest("GET", cssURL, nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match: status %d, %d bytes; want 304, 0", rec.Code, rec.Body.Len())
	}
}

// TestVendoredFontsPresent guards the copy in scripts/vendor-assets.sh:
// every file a vendored stylesheet loads must be served.
func TestVendoredFontsPresent(t *testing.T) {
	r := mustRenderer(t, Options{})
	css, err := fs.ReadFile(staticFS, "static/vendor/kern/fonts/fira-sans.css")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, part := range strings.Split(string(css), "url(")[1:] {
		ref := strings.Trim(part[:strings.Index(part, ")")], `"'`)
		ref = strings.TrimPrefix(ref, "./")
		rec := httptest.NewRecorder()
		r.Static().ServeHTTP(rec, httptest.NewRequest("GET", "/static/vendor/kern/fonts/"+ref, nil))
		if rec.Code != 200 {
			t.Errorf("fira-sans.css loads %s: status %d", ref, rec.Code)
		}
		n++
	}
	if n == 0 {
		t.Error("fira-sans.css references no font files")
	}
}
