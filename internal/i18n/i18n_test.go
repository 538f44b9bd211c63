package i18n

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// flatten returns the message keys of a locale file and fails on empty
// texts; plural objects count as one key whose forms must all be filled.
func flatten(t *testing.T, lang string) map[string]bool {
	t.Helper()
	files, err := localeFiles(lang)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, name := range files {
		flattenFile(t, name, lang, keys)
	}
	return keys
}

// flattenFile adds the keys of one message file to keys, failing on a key
// that another file of the language defines already.
func flattenFile(t *testing.T, name, lang string, keys map[string]bool) {
	t.Helper()
	raw, err := locales.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for k, v := range m {
		if keys[k] {
			t.Errorf("%s: %q is defined in another file too", name, k)
		}
		keys[k] = true
		switch v := v.(type) {
		case string:
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s.json: %q is empty", lang, k)
			}
		case map[string]any:
			if _, ok := v["other"]; !ok {
				t.Errorf("%s.json: %q has no plural form \"other\"", lang, k)
			}
			for form, s := range v {
				if str, ok := s.(string); !ok || strings.TrimSpace(str) == "" {
					t.Errorf("%s.json: %q form %q is empty", lang, k, form)
				}
			}
		default:
			t.Errorf("%s.json: %q has type %T; want string or plural object", lang, k, v)
		}
	}
}

func TestLocalesHaveSameKeys(t *testing.T) {
	ref := flatten(t, Supported[0])
	for _, lang := range Supported[1:] {
		keys := flatten(t, lang)
		var onlyRef, onlyLang []string
		for k := range ref {
			if !keys[k] {
				onlyRef = append(onlyRef, k)
			}
		}
		for k := range keys {
			if !ref[k] {
				onlyLang = append(onlyLang, k)
			}
		}
		sort.Strings(onlyRef)
		sort.Strings(onlyLang)
		if len(onlyRef) > 0 {
			t.Errorf("missing in %s.json: %v", lang, onlyRef)
		}
		if len(onlyLang) > 0 {
			t.Errorf("missing in %s.json: %v", Supported[0], onlyLang)
		}
	}
}

func TestT(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, key string
		kv        []any
		want      string
	}{
		{"de", "nav.municipalities", nil, "Kommunen"},
		{"en", "nav.municipalities", nil, "Municipalities"},
		{"fr", "nav.municipalities", nil, "Kommunen"},
		{"de", "list.total", []any{"Count", 1}, "1 Eintrag"},
		{"de", "list.total", []any{"Count", 3}, "3 Einträge"},
		{"en", "list.total", []any{"Count", 1}, "1 entry"},
		{"en", "list.total", []any{"Count", int64(0)}, "0 entries"},
		{"de", "error.status", []any{"Status", 404}, "Fehlercode: 404"},
		{"de", "form.error.too_long", []any{"Max", "5.000"}, "Bitte kürzen Sie Ihre Eingabe auf höchstens 5.000 Zeichen."},
		{"de", "no.such.key", nil, "no.such.key"},
		{"en", "no.such.key", nil, "no.such.key"},
	}
	for _, tt := range tests {
		if got := b.T(tt.lang, tt.key, tt.kv...); got != tt.want {
			t.Errorf("T(%q, %q, %v) = %q; want %q", tt.lang, tt.key, tt.kv, got, tt.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		cookie string
		accept string
		want   string
	}{
		{name: "nothing", want: "de"},
		{name: "query en", query: "?lang=en", want: "en"},
		{name: "query beats cookie and header", query: "?lang=de", cookie: "en", accept: "en", want: "de"},
		{name: "unsupported query ignored", query: "?lang=fr", cookie: "en", want: "en"},
		{name: "cookie", cookie: "en", want: "en"},
		{name: "cookie beats header", cookie: "de", accept: "en-GB,en;q=0.9", want: "de"},
		{name: "unsupported cookie ignored", cookie: "xx", accept: "en", want: "en"},
		{name: "header en-US", accept: "en-US,en;q=0.9", want: "en"},
		{name: "header de-AT", accept: "de-AT", want: "de"},
		{name: "header weights", accept: "fr-FR, en;q=0.8, de;q=0.5", want: "en"},
		{name: "header unsupported", accept: "fr-FR,fr;q=0.9", want: "de"},
		{name: "header wildcard", accept: "*", want: "de"},
		{name: "header garbage", accept: ";;;q=x", want: "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/kommunen"+tt.query, nil)
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: CookieName, Value: tt.cookie})
			}
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if got := Negotiate(r); got != tt.want {
				t.Errorf("Negotiate = %q; want %q", got, tt.want)
			}
		})
	}
}
