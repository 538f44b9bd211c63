package http

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/config"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/feedback"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
	"github.com/smartregions/smartregions/internal/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// newTestServer returns a server over a shared database of dialect d with
// the real register imported.
func newTestServer(tb testing.TB, d store.Dialect) *Server {
	tb.Helper()
	return newServerOn(tb, regiontest.Imported(tb, d))
}

func newServerOn(tb testing.TB, db *store.DB) *Server {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bundle, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	renderer, err := web.New(bundle, web.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	cfg := config.Defaults
	cfg.BaseURL = "http://platform.test"
	box := &testInbox{}
	mails, err := mail.NewService(db, mail.SMTPConfig{}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	regions := region.NewService(db, log)
	fields := catalog.NewFields(db)
	if _, err := fields.Ensure(context.Background()); err != nil {
		tb.Fatal(err)
	}
	solutions := catalog.NewSolutions(db, db, db).WithMail(box, bundle, cfg.BaseURL)
	// The harvester reads local test repositories; tests use no network.
	harvester := catalog.NewHarvester(solutions, db, catalog.NewGitFetcher().AllowLocal())
	s, err := New(context.Background(), Deps{Config: cfg, Log: log, DB: db, Regions: regions,
		Feedback: feedback.NewService(db), Accounts: account.NewService(db, box, bundle, cfg.BaseURL, log), Mail: mails,
		Orgs: org.NewService(db, regions, box, bundle, cfg.BaseURL, log), Fields: fields, Solutions: solutions, Harvest: harvester,
		Usage:  catalog.NewUsage(db, catalog.NewSolutions(db, db, db), db, mails, bundle, cfg.BaseURL, log),
		Search: search.New(db, fields),
		Events: event.NewService(db, db, fields, mails, bundle, cfg.BaseURL, log),
		Bundle: bundle, Renderer: renderer, Version: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// eachServer runs fn once per database backend.
func eachServer(t *testing.T, fn func(t *testing.T, s *Server)) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) { fn(t, newTestServer(t, d)) })
	}
}

// do sends a request through the real router; headers are "Name: value".
func do(tb testing.TB, h http.Handler, method, target string, body io.Reader, headers ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, body)
	for _, hv := range headers {
		k, v, _ := strings.Cut(hv, ": ")
		req.Header.Add(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func get(tb testing.TB, h http.Handler, target string, headers ...string) *httptest.ResponseRecorder {
	tb.Helper()
	return do(tb, h, http.MethodGet, target, nil, headers...)
}

// testInbox keeps the mails the account service sends.
type testInbox struct {
	mu    sync.Mutex
	mails []account.Mail
}

// lastTo returns the newest mail to addr.
func (b *testInbox) lastTo(tb testing.TB, addr string) account.Mail {
	tb.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.mails) - 1; i >= 0; i-- {
		if b.mails[i].To == addr {
			return b.mails[i]
		}
	}
	tb.Fatalf("no mail to %s", addr)
	return account.Mail{}
}

func (b *testInbox) Send(_ context.Context, m account.Mail) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mails = append(b.mails, m)
	return nil
}

func inboxOf(s *Server) *testInbox { return s.Accounts.Mailer().(*testInbox) }

type (
	httptestRecorder = httptest.ResponseRecorder
	storeDB          = store.DB
)
