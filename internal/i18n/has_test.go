package i18n

import "testing"

func TestHas(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if !b.Has("nav.home") || b.Has("audit.action.gibt.es.nicht") {
		t.Error("Has does not tell existing keys from missing ones")
	}
}
