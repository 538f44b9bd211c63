package http

import (
	"strings"
	"testing"
)

func TestPaginationPartial(t *testing.T) {
	s := newTestServer(t, "sqlite")
	b := get(t, s, "/kommunen?page=2", "Accept-Language: de").Body.String()
	if !strings.Contains(b, "Seite 2 von 216") || !strings.Contains(b, `rel="prev"`) || !strings.Contains(b, `rel="next"`) {
		t.Fatal("pagination missing")
	}
}
