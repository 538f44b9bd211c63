package http

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// FuzzAccountFilters sends arbitrary query strings to the operators'
// account and audit log pages and their API: every answer is a page or a
// problem document, never a 500 (PostgreSQL, for one, refuses invalid
// UTF-8 and NUL, which must be caught before the query).
func FuzzAccountFilters(f *testing.F) {
	for _, seed := range []string{"q=M%C3%BCller", "q=%FF", "q=%00", "role=admin", "actor=%FF&from=31.02.2026", "from=2026-03-01&to=2026-02-01",
		"from=99.99.9999", "to=0.0.0", "action=account.&object_type=user&object_id=%00", "cursor=eyJlIjoiXHUwMDAwIn0", "cursor=eyJ0IjoiMjAyNi0wMy0wMVQxMDowMDowMFoiLCJpIjoiXHUwMDAwIn0",
		"cursor=x", "limit=0", "limit=201", "q=%25_%5C", "actor=a%40b.c"} {
		f.Add(seed)
	}
	s := newServerOn(f, storetest.New(f, storetest.Backends()[len(storetest.Backends())-1]))
	op := mustAccount(f, s, "betrieb@kreis.example", "", account.Operator)
	key := testAPIToken(f, s, op, account.ScopeRead)
	now := time.Now().UTC()
	if err := s.DB.CreateSession(context.Background(), account.Session{ID: account.HashToken("fuzz-session"), UserID: op.ID, Created: now, LastSeen: now,
		Expires: now.Add(24 * time.Hour)}, account.AuditEntry{}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/betrieb/konten", "/betrieb/protokoll", "/api/v1/users", "/api/v1/audit-log"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = query // as a client could send it, unescaped
			req.Header.Set("Cookie", sessionCookie+"=fuzz-session")
			req.Header.Set("Authorization", "Bearer "+key)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s?%s: status %d: %s", path, query, rec.Code, rec.Body)
			}
		}
	})
}
