package web

import (
	"strings"
	"testing"
)

func TestUserMarkdown(t *testing.T) {
	m := newUserMarkdown()
	for _, tc := range []struct{ in, want, not string }{
		{"## Funktionen\n\n- Meldung mit **Foto**", "<strong>Foto</strong>", ""},
		{"<script>alert(1)</script>", "", "<script"},
		{"[x](javascript:alert(1))", "", "javascript:"},
		{"<img src=x onerror=alert(1)>", "", "onerror"},
		{"[Quelle](https://example.org)", `rel="nofollow"`, ""},
	} {
		got := string(m.render(tc.in))
		if tc.want != "" && !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("%q → %q", tc.in, got)
		}
	}
}
