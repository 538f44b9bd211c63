package http

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestFieldsOfAction: the public taxonomy and the operators' editing, with
// bad input kept and explained.
func TestFieldsOfAction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		anon := newBrowser(t, s)
		code, body, _ := anon.get("/handlungsfelder")
		wantPage(t, "public list", code, body, http.StatusOK, "Mobilität", "Parken", "Ländliche Entwicklung und Landwirtschaft")
		code, body, _ = anon.get("/handlungsfelder?lang=en")
		wantPage(t, "public list in English", code, body, http.StatusOK, "Rural development and agriculture", "On-demand mobility")
		rec := get(t, s, "/api/v1/fields-of-action?lang=en")
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"key":"mobility.parking","label":"Parking","labels":{"de":"Parken","en":"Parking"}`) {
			t.Fatalf("API: %d %.300s", rec.Code, rec.Body)
		}

		op := signedInBrowser(t, s, "betrieb@plattform.example", account.Operator)
		code, body, _ = op.post("/betrieb/handlungsfelder", "/betrieb/handlungsfelder", url.Values{"parent": {"mobility"}, "slug": {"Ride Pooling"},
			"label_de": {"Fahrgemeinschaften"}, "label_en": {""}})
		wantPage(t, "bad field", code, body, http.StatusBadRequest, `value="Ride Pooling"`, `value="Fahrgemeinschaften"`, `<option value="mobility" selected>`,
			"nur Kleinbuchstaben", "Bitte füllen Sie")
		code, _, h := op.post("/betrieb/handlungsfelder", "/betrieb/handlungsfelder", url.Values{"parent": {"mobility"}, "slug": {"ride-pooling"},
			"label_de": {"Fahrgemeinschaften"}, "label_en": {"Ride pooling"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/betrieb/handlungsfelder?erledigt=angelegt" {
			t.Fatalf("add: %d %s", code, h.Get("Location"))
		}
		code, body, _ = op.get("/betrieb/handlungsfelder/mobility.ride-pooling")
		wantPage(t, "edit page", code, body, http.StatusOK, `value="Fahrgemeinschaften"`, "Unterfeld von mobility")
		code, body, _ = op.post("/betrieb/handlungsfelder/mobility.ride-pooling", "/betrieb/handlungsfelder/mobility.ride-pooling",
			url.Values{"label_de": {""}, "label_en": {"Ride pooling"}})
		wantPage(t, "rename without a name", code, body, http.StatusBadRequest, "Bitte füllen Sie", `value="Ride pooling"`)
		if code, _, _ = op.post("/betrieb/handlungsfelder/mobility.ride-pooling", "/betrieb/handlungsfelder/mobility.ride-pooling/verschieben",
			url.Values{"richtung": {"hoch"}}); code != http.StatusSeeOther {
			t.Fatalf("move: %d", code)
		}
		code, body, _ = op.post("/betrieb/handlungsfelder/mobility", "/betrieb/handlungsfelder/mobility/loeschen", url.Values{})
		wantPage(t, "delete a parent", code, body, http.StatusBadRequest, "noch Unterfelder")
		if code, _, _ = op.post("/betrieb/handlungsfelder/mobility.ride-pooling", "/betrieb/handlungsfelder/mobility.ride-pooling/loeschen", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("delete: %d", code)
		}
		if code, _, _ = op.get("/betrieb/handlungsfelder/mobility.ride-pooling"); code != http.StatusNotFound {
			t.Fatalf("deleted field: %d", code)
		}
		user := signedInBrowser(t, s, "nutzer@gemeinde.example")
		if code, _, _ = user.get("/betrieb/handlungsfelder"); code != http.StatusForbidden {
			t.Fatalf("user on the admin page: %d", code)
		}
	})
}
