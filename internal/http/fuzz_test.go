package http

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzMunicipalityList sends arbitrary query strings to the list page and
// the API: every answer is a page or a problem document, never a 500.
func FuzzMunicipalityList(f *testing.F) {
	for _, seed := range []string{"q=München", "q=%22unbalanced", "q='; DROP TABLE x; --", "q=" + strings.Repeat("ä", 200),
		"q=\x00\x01", "q=*", "q=a%20OR%201=1", "state=09&band=gt100k&page=2", "page=-1", "limit=99999999999999999999",
		"cursor=eyJrIjoiMSJ9", "q=%E2%80%AE", "q=漢字", "sort=relevance&cursor=x"} {
		f.Add(seed)
	}
	s := newTestServer(f, "sqlite")
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/kommunen", "/api/v1/municipalities"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = query // as a client could send it, unescaped
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s?%s: status %d: %s", path, query, rec.Code, rec.Body)
			}
		}
	})
}
