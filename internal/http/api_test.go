package http

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func decode[T any](t *testing.T, rec *httptestRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", rec.Body.String(), err)
	}
	return v
}

func TestAPIMunicipalities(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		rec := get(t, s, "/api/v1/municipalities/09162000")
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("status %d", rec.Code)
		}
		m := decode[apiMunicipality](t, rec)
		if m.Name != "München, Landeshauptstadt" || m.Population != 1505005 || m.District == nil || m.District.Key != "09162" ||
			m.Urbanisation != "urban" || m.Band != "gt100k" || m.Coordinates == nil || m.RegisterDate != "2025-08-31" || m.DissolvedAt != nil {
			t.Fatalf("München = %+v", m)
		}

		// Keyset paging through Saarland by population gives every municipality once.
		seen := map[string]bool{}
		next := ""
		for i := 0; ; i++ {
			url := "/api/v1/municipalities?state=10&sort=population&limit=20"
			if next != "" {
				url += "&cursor=" + next
			}
			rec := get(t, s, url)
			if rec.Code != 200 {
				t.Fatalf("%s: %d %s", url, rec.Code, rec.Body)
			}
			l := decode[list[apiMunicipality]](t, rec)
			if l.Total != 52 {
				t.Fatalf("total %d", l.Total)
			}
			for _, m := range l.Items {
				if seen[m.AGS] || m.State.Key != "10" {
					t.Fatalf("%s repeated or outside the filter", m.AGS)
				}
				seen[m.AGS] = true
			}
			if next = l.Next; next == "" || i > 10 {
				break
			}
		}
		if len(seen) != 52 {
			t.Fatalf("paged %d of 52", len(seen))
		}

		l := decode[list[apiMunicipality]](t, get(t, s, "/api/v1/municipalities?q=Munchen&limit=50"))
		found := false
		for _, m := range l.Items {
			found = found || m.AGS == "09162000"
		}
		if !found || l.Total != len(l.Items) {
			t.Errorf("search Munchen: München not among %d hits", l.Total)
		}
	})
}

func TestAPIStatesAndDistricts(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		states := decode[list[apiState]](t, get(t, s, "/api/v1/states"))
		var pop int64
		for _, st := range states.Items {
			pop += st.Figures.Population
		}
		if states.Total != 16 || pop != 83577140 {
			t.Errorf("states: %d, population %d", states.Total, pop)
		}
		by := decode[apiState](t, get(t, s, "/api/v1/states/09"))
		if by.Name != "Bayern" || by.Figures.Municipalities != 2056 {
			t.Errorf("Bayern = %+v", by)
		}
		n, next := 0, ""
		for i := 0; i < 10; i++ {
			url := "/api/v1/districts?limit=150"
			if next != "" {
				url += "&cursor=" + next
			}
			l := decode[list[apiDistrict]](t, get(t, s, url))
			n += len(l.Items)
			if next = l.Next; next == "" {
				break
			}
		}
		if n != 400 {
			t.Errorf("districts paged: %d", n)
		}
		d := decode[apiDistrict](t, get(t, s, "/api/v1/districts/01051"))
		if d.Name != "Dithmarschen" || d.State.Key != "01" || d.TypeLabel == "" {
			t.Errorf("Dithmarschen = %+v", d)
		}
	})
}

func TestAPIErrors(t *testing.T) {
	s := newTestServer(t, "sqlite")
	tests := []struct {
		path, lang string
		status     int
		field      string
		detail     string
	}{
		{"/api/v1/municipalities?limit=0", "en", 400, "limit", ""},
		{"/api/v1/municipalities?limit=201", "de", 400, "limit", ""},
		{"/api/v1/municipalities?cursor=%%%", "en", 400, "query", ""},
		{"/api/v1/municipalities?cursor=bm90LWpzb24", "en", 400, "cursor", ""},
		{"/api/v1/municipalities?sort=ags", "en", 400, "sort", ""},
		{"/api/v1/municipalities?lang=fr", "en", 400, "lang", ""},
		{"/api/v1/districts?status=all", "en", 400, "status", ""},
		{"/api/v1/municipalities?page=2", "de", 400, "page", ""},
		{"/api/v1/municipalities/00000000", "de", 404, "", "Eine Kommune mit dem Schlüssel 00000000 gibt es nicht."},
		{"/api/v1/states/1", "en", 404, "", "There is no state with the key 1."},
		{"/api/v1/districts/xx", "en", 404, "", "There is no district with the key xx."},
		{"/api/v1/nothing", "en", 404, "", "This page does not exist. Perhaps its address has changed."},
	}
	for _, tt := range tests {
		rec := get(t, s, tt.path, "Accept-Language: "+tt.lang)
		if rec.Code != tt.status || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: status %d type %q", tt.path, rec.Code, rec.Header().Get("Content-Type"))
			continue
		}
		p := decode[problem](t, rec)
		if p.Status != tt.status || p.Title == "" {
			t.Errorf("%s: problem %+v", tt.path, p)
		}
		if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field || p.Errors[0].Message == "") {
			t.Errorf("%s: errors %+v, want field %s", tt.path, p.Errors, tt.field)
		}
		if tt.detail != "" && p.Detail != tt.detail {
			t.Errorf("%s: detail %q", tt.path, p.Detail)
		}
	}
}

func TestOperations(t *testing.T) {
	s := newTestServer(t, "sqlite")
	if rec := get(t, s, "/healthz"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ok"`) {
		t.Errorf("healthz: %d", rec.Code)
	}
	if rec := get(t, s, "/readyz"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"schema_version"`) {
		t.Errorf("readyz: %d %s", rec.Code, rec.Body)
	}
	get(t, s, "/kommunen/09162000")
	if rec := get(t, s, "/metrics"); rec.Code != http.StatusForbidden {
		t.Errorf("metrics from a foreign address: %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	body := rec.Body.String()
	for _, want := range []string{
		`smartregions_http_requests_total{code="200",method="GET",route="GET /kommunen/{ags}"}`,
		`smartregions_http_request_duration_seconds_bucket{method="GET",route="GET /kommunen/{ags}"`,
		`go_sql_open_connections{db_name="sqlite"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if rec.Code != http.StatusOK {
		t.Errorf("metrics: %d", rec.Code)
	}
}
