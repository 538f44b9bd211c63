package http

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/event"
)

// openAPIEventSlug is the example slug of the document: a published
// event that openAPIEventFixture makes on every test server.
const openAPIEventSlug = "open-api-schulung"

// eventAPIFixture is what the event operations of the document are
// called on.
type eventAPIFixture struct {
	curator, reader string      // a curator's keys: write, read only
	event           event.Event // the example event
	started         event.Event // an event that has begun
}

var eventAPIFixtures perServer[*eventAPIFixture]

// openAPIEventUser makes an account with a key that may write and, when
// on is set, registers it for the event.
func openAPIEventUser(t *testing.T, s *Server, on *event.Event) string {
	t.Helper()
	u := mustAccount(t, s, "openapi-event-"+uuid.NewString()[:8]+"@test.example", "Teilnehmerin")
	if on != nil {
		if _, err := s.Events.Register(context.Background(), u, on.Slug, event.RegisterForm{}); err != nil {
			t.Fatal(err)
		}
	}
	return testAPIToken(t, s, u, account.ScopeRead, account.ScopeWrite)
}

func openAPIEventFixture(t *testing.T, s *Server) *eventAPIFixture {
	t.Helper()
	return eventAPIFixtures.get(s, func() *eventAPIFixture {
		ctx := context.Background()
		cur := mustAccount(t, s, "openapi-kurator-"+uuid.NewString()[:8]+"@test.example", "Kurator", account.Curator)
		f := &eventAPIFixture{curator: testAPIToken(t, s, cur, account.ScopeRead, account.ScopeWrite), reader: testAPIToken(t, s, cur, account.ScopeRead)}
		start := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Minute)
		in := event.Input{Title: "Open API Schulung", Summary: "Das Beispiel des API-Dokuments.", Kind: event.Training, Format: event.Hybrid,
			Address: "Rathaus\nMarkt 1\n89073 Ulm", OnlineURL: "https://meet.example/open-api", Start: start, End: start.Add(2 * time.Hour),
			Capacity: 3, Publish: true, Materials: []event.Link{{Label: "Folien", URL: "https://example.org/folien.pdf"}}}
		e, err := s.DB.EventBySlug(ctx, openAPIEventSlug)
		if apperr.Is(err, apperr.NotFound) {
			e, err = s.Events.Create(ctx, cur, in, account.Meta{})
		}
		if err != nil || e.Slug != openAPIEventSlug {
			t.Fatalf("example event: %q %v", e.Slug, err)
		}
		f.event = e
		// An event that has begun, with a registration made before.
		in.Title, in.Capacity = "Begonnen", 10
		if f.started, err = s.Events.Create(ctx, cur, in, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		return f
	})
}

// openAPIEventCases returns the requests to the event operations that
// change data; ok is false for other operations.
func openAPIEventCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	var cases []apiCase
	add := func(method, target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as, headers: headers})
	}
	bearer := func(key string) string { return "Authorization: Bearer " + key }
	switch op.String() {
	case "POST /api/v1/events":
		f := openAPIEventFixture(t, s)
		n := 0
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(http.MethodPost, op.path, string(ex.Value), 201, "operator")
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: the request body needs examples", op)
		}
		add(http.MethodPost, op.path, `{}`, 400, "operator")
		add(http.MethodPost, op.path, `{"title":"x","kind":"training","format":"online","online_url":"http://x.example","start":"2026-05-12T08:00:00Z","end":"2026-05-12T07:00:00Z","capacity":0}`, 400, "", bearer(f.curator))
		add(http.MethodPost, op.path, `{"title":"x"}`, 401, "")
		add(http.MethodPost, op.path, `{"title":"x"}`, 403, "user")
		add(http.MethodPost, op.path, `{"title":"x"}`, 403, "", bearer(f.reader))
	case "PUT /api/v1/events/{slug}":
		f := openAPIEventFixture(t, s)
		e, err := s.DB.EventBySlug(context.Background(), openAPIEventSlug)
		if err != nil {
			t.Fatal(err)
		}
		body := func(lock, capacity int) string {
			b, _ := json.Marshal(map[string]any{"lock": lock, "title": e.Title, "summary": e.Summary, "kind": e.Kind, "format": e.Format,
				"address": e.Address, "online_url": e.OnlineURL, "start": e.Start, "end": e.End, "capacity": capacity, "publish": true,
				"materials": e.Materials})
			return string(b)
		}
		target := "/api/v1/events/" + openAPIEventSlug
		add(http.MethodPut, target, body(e.Lock, e.Capacity), 200, "", bearer(f.curator))
		add(http.MethodPut, target, body(e.Lock, e.Capacity), 409, "", bearer(f.curator)) // the lock is stale now
		add(http.MethodPut, target, body(e.Lock+1, 0), 400, "", bearer(f.curator))
		add(http.MethodPut, target, `{"title":"x"}`, 400, "", bearer(f.curator))
		add(http.MethodPut, target, body(e.Lock, e.Capacity), 401, "")
		add(http.MethodPut, target, body(e.Lock, e.Capacity), 403, "user")
		add(http.MethodPut, target, body(e.Lock, e.Capacity), 403, "", bearer(f.reader))
		add(http.MethodPut, "/api/v1/events/gibt-es-nicht", body(0, 5), 404, "", bearer(f.curator))
	case "POST /api/v1/events/{slug}/registration":
		f := openAPIEventFixture(t, s)
		target := "/api/v1/events/" + openAPIEventSlug + "/registration"
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(http.MethodPost, target, string(ex.Value), 201, "", bearer(openAPIEventUser(t, s, nil)))
			}
		}
		add(http.MethodPost, target, `{}`, 409, "", bearer(openAPIEventUser(t, s, &f.event))) // registered already
		add(http.MethodPost, target, `{"organisation":5}`, 400, "", bearer(openAPIEventUser(t, s, nil)))
		add(http.MethodPost, target, `{}`, 401, "")
		add(http.MethodPost, target, `{}`, 403, "", bearer(f.reader))
		add(http.MethodPost, "/api/v1/events/gibt-es-nicht/registration", `{}`, 404, "user")
	case "DELETE /api/v1/events/{slug}/registration":
		f := openAPIEventFixture(t, s)
		target := "/api/v1/events/" + openAPIEventSlug + "/registration"
		add(http.MethodDelete, target, "", 200, "", bearer(openAPIEventUser(t, s, &f.event)))
		add(http.MethodDelete, target, "", 404, "", bearer(openAPIEventUser(t, s, nil))) // not registered
		add(http.MethodDelete, target+"?x=1", "", 400, "", bearer(openAPIEventUser(t, s, &f.event)))
		add(http.MethodDelete, target, "", 401, "")
		add(http.MethodDelete, target, "", 403, "", bearer(f.reader))
		// Registered before the event began: too late to cancel now.
		key := openAPIEventUser(t, s, &f.started)
		began := f.started
		began.Start, began.End, began.Deadline = time.Now().Add(-time.Hour).UTC(), time.Now().Add(time.Hour).UTC(), time.Now().Add(-2*time.Hour).UTC()
		if _, err := s.DB.UpdateEvent(context.Background(), began, began.Lock, nil, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		add(http.MethodDelete, "/api/v1/events/"+f.started.Slug+"/registration", "", 409, "", bearer(key))
	default:
		return nil, false
	}
	return cases, true
}
