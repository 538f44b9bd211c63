package http

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/notify"
)

// openAPINotifyCases returns the requests to the notification operations
// that change data; ok is false for other operations. Each run makes its
// own account with one notification.
func openAPINotifyCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	if op.String() != "POST /api/v1/me/notifications/{id}/read" {
		return nil, false
	}
	u := mustAccount(t, s, "openapi-notify-"+uuid.NewString()[:8]+"@test.example", "Leserin")
	other := mustAccount(t, s, "openapi-notify-"+uuid.NewString()[:8]+"@test.example", "Andere")
	n := notify.Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Kind: notify.KindCatalogReview, Action: "published",
		Title: "Parkleitsystem Süd", Link: "/loesungen/parkleitsystem-sued"}
	if err := s.DB.AddNotification(t.Context(), n, notify.Off, nil); err != nil {
		t.Fatal(err)
	}
	writer, reader := testAPIToken(t, s, u, account.ScopeRead, account.ScopeWrite), testAPIToken(t, s, u, account.ScopeRead)
	stranger := testAPIToken(t, s, other, account.ScopeRead, account.ScopeWrite)
	target := "/api/v1/me/notifications/" + n.ID + "/read"
	var cases []apiCase
	add := func(target string, status int, key string) {
		var h []string
		if key != "" {
			h = []string{"Authorization: Bearer " + key}
		}
		cases = append(cases, apiCase{op: op, method: http.MethodPost, target: target, body: `{}`, status: status, headers: h})
	}
	add(target, 200, writer)
	add(target, 200, writer) // again: nothing changes
	add(target, 401, "")
	add(target, 403, reader)
	add(target, 404, stranger)
	add("/api/v1/me/notifications/"+uuid.NewString()+"/read", 404, writer)
	return cases, true
}
