package http

import (
	"net/http"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestPageCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := regiontest.Service(db)
		if _, _, err := svc.EnsureRegister(t.Context()); err != nil {
			t.Fatal(err)
		}
		s := newServerOn(t, db)
		s.cache.versionMaxAge = 0 // see every import at once

		first := get(t, s, "/kommunen/01054039", "Accept-Language: de")
		etag := first.Header().Get("ETag")
		if first.Code != 200 || etag == "" || !strings.Contains(first.Body.String(), ">7 (") {
			t.Fatalf("first: %d etag %q", first.Code, etag)
		}
		again := get(t, s, "/kommunen/01054039", "Accept-Language: de")
		if again.Body.String() != first.Body.String() || again.Header().Get("ETag") != etag {
			t.Fatal("second answer differs")
		}
		if rec := get(t, s, "/kommunen/01054039", "Accept-Language: de", "If-None-Match: "+etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Fatalf("revalidation: %d", rec.Code)
		}
		// Another language is another answer, and ?lang= still sets its cookie.
		en := get(t, s, "/kommunen/01054039?lang=en")
		if !strings.Contains(en.Body.String(), `<html lang="en"`) || en.Header().Get("Set-Cookie") == "" {
			t.Fatal("English page from the German cache entry, or no language cookie")
		}
		en = get(t, s, "/kommunen/01054039?lang=en")
		if en.Header().Get("Set-Cookie") == "" || en.Header().Get("Content-Language") != "en" {
			t.Fatal("cached answer lost the language cookie")
		}
		// Errors are not cached and stay errors.
		for range 2 {
			if rec := get(t, s, "/kommunen?page=9999"); rec.Code != http.StatusBadRequest || rec.Header().Get("ETag") != "" {
				t.Fatalf("bad page: %d etag %q", rec.Code, rec.Header().Get("ETag"))
			}
		}

		// A new register import shows at once: Gröde now has 9 inhabitants.
		var lines []string
		for _, l := range regiontest.Lines(t) {
			l = regiontest.Set(l, 3, 10, "20251231")
			if regiontest.Cols(l, 1, 2) == "60" && regiontest.Cols(l, 11, 18) == "01054039" {
				l = regiontest.Set(l, 140, 150, "00000000009")
			}
			lines = append(lines, l)
		}
		if _, err := svc.ImportRegister(t.Context(), strings.NewReader(regiontest.Join(lines)), "newer"); err != nil {
			t.Fatal(err)
		}
		after := get(t, s, "/kommunen/01054039", "Accept-Language: de")
		if !strings.Contains(after.Body.String(), ">9 (") || after.Header().Get("ETag") == etag {
			t.Fatal("page still shows the data before the import")
		}
		if rec := get(t, s, "/kommunen/01054039", "If-None-Match: "+etag); rec.Code != http.StatusOK {
			t.Fatalf("old ETag still valid: %d", rec.Code)
		}
	})
}

func TestPageCacheBound(t *testing.T) {
	c := newPageCache(100, 0, nil)
	c.current = "v"
	for i := range 10 {
		c.put("v", &cacheEntry{key: string(rune('a' + i)), body: make([]byte, 30)})
	}
	if c.size > 100 || c.lru.Len() != 3 || c.get("j") == nil || c.get("a") != nil {
		t.Fatalf("size %d entries %d", c.size, c.lru.Len())
	}
	c.put("old", &cacheEntry{key: "x", body: []byte("x")})
	if c.get("x") != nil {
		t.Fatal("an answer of a replaced version was kept")
	}
}
