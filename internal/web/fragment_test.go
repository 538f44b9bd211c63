package web

import (
	"bytes"
	"testing"
)

// TestRenderFragment: only pages that define "fragment" have one; it is
// rendered without the layout, and an unknown page or one without a
// fragment is an error that writes nothing.
func TestRenderFragment(t *testing.T) {
	r := mustRenderer(t, Options{})
	if !r.HasFragment("solutions") || r.HasFragment("home") || r.HasFragment("gibt-es-nicht") {
		t.Fatal("HasFragment: solutions should have a fragment, home and unknown pages none")
	}
	for _, name := range []string{"home", "gibt-es-nicht"} {
		var buf bytes.Buffer
		if err := r.RenderFragment(&buf, name, &Page{Lang: "de"}); err == nil || buf.Len() > 0 {
			t.Errorf("%s: err %v, wrote %d bytes", name, err, buf.Len())
		}
	}
	var buf bytes.Buffer
	if err := r.RenderFragment(&buf, "solutions", nil); err == nil || buf.Len() > 0 {
		t.Errorf("nil page: err %v, wrote %d bytes", err, buf.Len())
	}
}
