package http

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// concrete turns a route pattern into a request target with real keys.
func concrete(t *testing.T, s *Server, pattern string) (method, target string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	switch {
	case path == "/{$}":
		return method, "/"
	case path == "/":
		return method, "/gibt-es-nicht"
	case path == "/static/":
		return method, s.Renderer.StaticURL("/static/css/app.css")
	}
	r := strings.NewReplacer("{ags}", "09162000", "/laender/{key}", "/laender/09", "/kreise/{key}", "/kreise/09162",
		"/districts/{key}", "/districts/09162", "/states/{key}", "/states/09")
	target = r.Replace(path)
	if strings.Contains(target, "{") {
		t.Fatalf("no concrete value for %s: add it to concrete()", pattern)
	}
	return method, target
}

// TestRouteAuthorization walks every route of the table with each kind of
// caller there is so far and checks that the route's rule holds.
func TestRouteAuthorization(t *testing.T) {
	s := newTestServer(t, "sqlite")
	withToken := newTestServer(t, "sqlite")
	withToken.Config.MetricsToken = "s3cret"
	token, cookie := formSession(t, s)

	callers := []struct {
		name   string
		srv    *Server
		remote string
		header []string
		ops    bool // may read operations data
	}{
		{"anonymous", s, "192.0.2.1:1234", nil, false},
		{"anonymous via proxy on loopback", s, "127.0.0.1:1234", []string{"X-Forwarded-For: 198.51.100.7"}, false},
		{"operator on loopback", s, "127.0.0.1:1234", nil, true},
		{"loopback without the configured token", withToken, "127.0.0.1:1234", nil, false},
		{"wrong token", withToken, "192.0.2.1:1234", []string{"Authorization: Bearer nope"}, false},
		{"operator with token", withToken, "192.0.2.1:1234", []string{"Authorization: Bearer s3cret"}, true},
	}
	for _, rt := range s.routeTable() {
		method, target := concrete(t, s, rt.pattern)
		for _, c := range callers {
			t.Run(rt.pattern+"/"+c.name, func(t *testing.T) {
				var body *strings.Reader
				headers := append([]string(nil), c.header...)
				if method == http.MethodPost {
					body = strings.NewReader(url.Values{"message": {"Test"}, "csrf_token": {token}}.Encode())
					headers = append(headers, "Content-Type: application/x-www-form-urlencoded", "Cookie: "+cookie)
				} else {
					body = strings.NewReader("")
				}
				req := httptest.NewRequest(method, target, body)
				req.RemoteAddr = c.remote
				for _, hv := range headers {
					k, v, _ := strings.Cut(hv, ": ")
					req.Header.Add(k, v)
				}
				rec := httptest.NewRecorder()
				c.srv.ServeHTTP(rec, req)
				refused := rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized
				want := rt.access == accessOperations && !c.ops
				if refused != want {
					t.Errorf("%s %s as %s: status %d, refused %v, want refused %v", method, target, c.name, rec.Code, refused, want)
				}
				if rec.Code >= 500 {
					t.Errorf("%s %s: status %d", method, target, rec.Code)
				}
			})
		}
	}
}
