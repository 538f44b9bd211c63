package http

import (
	"bytes"
	linked "container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// The region pages and API answers change only when a register import
// changes the data, yet rendering a list costs milliseconds. pageCache
// keeps rendered answers in memory, keyed by the data version, language
// and request URI, and drops them all when the version changes. Each
// instance asks the database for the version at most once per
// versionMaxAge, so an import made by another instance or the command line
// shows everywhere within that time.
type pageCache struct {
	maxBytes      int
	versionMaxAge time.Duration
	version       func(ctx context.Context) (string, error)

	mu      sync.Mutex
	lru     *linked.List // of *cacheEntry, most recent first
	items   map[string]*linked.Element
	size    int
	current string
	checked time.Time
}

type cacheEntry struct {
	key         string
	contentType string
	etag        string
	body        []byte
}

const (
	// defaultCacheBytes bounds the cache's memory: about 600 list pages.
	defaultCacheBytes = 32 << 20
	// maxCachedBody keeps single huge answers out.
	maxCachedBody = 1 << 20
)

func newPageCache(maxBytes int, versionMaxAge time.Duration, version func(context.Context) (string, error)) *pageCache {
	return &pageCache{maxBytes: maxBytes, versionMaxAge: versionMaxAge, version: version,
		lru: linked.New(), items: map[string]*linked.Element{}}
}

// dataVersion returns the current data version, asking the database when
// the known one is older than versionMaxAge; a change empties the cache.
func (c *pageCache) dataVersion(ctx context.Context) (string, error) {
	c.mu.Lock()
	fresh := time.Since(c.checked) < c.versionMaxAge
	v := c.current
	c.mu.Unlock()
	if fresh {
		return v, nil
	}
	v, err := c.version(ctx)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.current {
		c.lru.Init()
		clear(c.items)
		c.size = 0
		c.current = v
	}
	c.checked = time.Now()
	return v, nil
}

func (c *pageCache) get(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.lru.MoveToFront(el)
		return el.Value.(*cacheEntry)
	}
	return nil
}

func (c *pageCache) put(version string, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.current {
		return // rendered from data that has been replaced meanwhile
	}
	if el, ok := c.items[e.key]; ok {
		c.size -= len(el.Value.(*cacheEntry).body)
		c.lru.Remove(el)
	}
	c.items[e.key] = c.lru.PushFront(e)
	c.size += len(e.body)
	for c.size > c.maxBytes && c.lru.Len() > 0 {
		old := c.lru.Remove(c.lru.Back()).(*cacheEntry)
		delete(c.items, old.key)
		c.size -= len(old.body)
	}
}

// captureWriter keeps a handler's answer so that it can be cached.
type captureWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *captureWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.buf.Write(b)
}

// cached serves GET requests from the cache and stores successful answers.
// Answers carry an ETag, so a browser that has the page gets 304.
func (s *Server) cached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Pages of a signed-in user show the user; they are never shared.
		if r.Method != http.MethodGet || userOf(r) != nil {
			next.ServeHTTP(w, r)
			return
		}
		version, err := s.cache.dataVersion(r.Context())
		if err != nil {
			s.Log.Warn("page cache: data version", "request_id", requestID(r), "err", err)
			next.ServeHTTP(w, r)
			return
		}
		key := version + "\x00" + langOf(r) + "\x00" + r.URL.RequestURI()
		if e := s.cache.get(key); e != nil {
			writeCached(w, r, e)
			return
		}
		cw := &captureWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		if cw.status != http.StatusOK || cw.buf.Len() > maxCachedBody {
			w.WriteHeader(cw.status)
			w.Write(cw.buf.Bytes())
			return
		}
		sum := sha256.Sum256(cw.buf.Bytes())
		e := &cacheEntry{key: key, contentType: w.Header().Get("Content-Type"), body: cw.buf.Bytes(),
			etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
		s.cache.put(version, e)
		writeCached(w, r, e)
	})
}

func writeCached(w http.ResponseWriter, r *http.Request, e *cacheEntry) {
	h := w.Header()
	h.Set("Content-Type", e.contentType)
	h.Set("ETag", e.etag)
	h.Set("Cache-Control", "no-cache") // may be kept, but must be revalidated
	if r.Header.Get("If-None-Match") == e.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(e.body)
}
