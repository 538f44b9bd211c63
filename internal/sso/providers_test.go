package sso

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestParseProviders(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got, err := ParseProviders(`[
			{"id": "zitadel", "name": " ZITADEL ", "issuer": "https://login.example.de", "client_id": "c1", "client_secret": "s1"},
			{"id": "bayern-id", "name": "BayernID", "issuer": "https://id.bayern.example/realms/x/", "client_id": "c2",
			 "scopes": ["email", "openid", "email", "urn:telekom.com:all"]},
			{"id": "dev", "name": "Dev", "issuer": "http://127.0.0.1:8081", "client_id": "c3"}
		]`)
		if err != nil {
			t.Fatal(err)
		}
		want := []ProviderConfig{
			{ID: "zitadel", Name: "ZITADEL", Issuer: "https://login.example.de", ClientID: "c1", ClientSecret: "s1", Scopes: []string{"openid", "email", "profile"}},
			{ID: "bayern-id", Name: "BayernID", Issuer: "https://id.bayern.example/realms/x/", ClientID: "c2", Scopes: []string{"openid", "email", "urn:telekom.com:all"}},
			{ID: "dev", Name: "Dev", Issuer: "http://127.0.0.1:8081", ClientID: "c3", Scopes: []string{"openid", "email", "profile"}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		for _, spec := range []string{"", "  \n", "[]"} {
			if got, err := ParseProviders(spec); err != nil || len(got) != 0 {
				t.Errorf("%q: %v, %v", spec, got, err)
			}
		}
	})
	ok := `"name": "N", "issuer": "https://idp.example", "client_id": "c"`
	for _, tc := range []struct{ name, spec, want string }{
		{"NotJSON", `zitadel`, "invalid JSON at byte 1"},
		{"Object", `{"id": "a"}`, "want a JSON array"},
		{"Truncated", `[{"id": "a", `, "entry 1: the JSON ends too early"},
		{"Unclosed", `[{"id": "a", ` + ok + `}`, "the JSON ends too early"},
		{"Trailing", `[{"id": "a", ` + ok + `}] x`, "unexpected data after the closing ]"},
		{"NotObject", `["a"]`, "entry 1: want a JSON object, not string"},
		{"UnknownField", `[{"id": "a", "secret": "s", ` + ok + `}]`, `entry 1: unknown field "secret"`},
		{"WrongType", `[{"id": "a", ` + ok + `, "scopes": "openid"}]`, `entry 1: field "scopes": want an array of strings, not string`},
		{"MissingID", `[{` + ok + `}]`, `entry 1: "id" is missing`},
		{"BadID", `[{"id": "Zitadel", ` + ok + `}]`, `entry 1: "id" "Zitadel": want lower-case letters`},
		{"IDWithSlash", `[{"id": "a/b", ` + ok + `}]`, `"id" "a/b"`},
		{"IDTooLong", `[{"id": "` + strings.Repeat("a", 33) + `", ` + ok + `}]`, "at most 32 characters"},
		{"MissingName", `[{"id": "a", "name": " ", "issuer": "https://idp.example", "client_id": "c"}]`, `entry 1 ("a"): "name" is missing`},
		{"MissingIssuer", `[{"id": "a", "name": "N", "client_id": "c"}]`, `entry 1 ("a"): "issuer" is missing`},
		{"MissingClientID", `[{"id": "a", "name": "N", "issuer": "https://idp.example"}]`, `entry 1 ("a"): "client_id" is missing`},
		{"IssuerHTTP", `[{"id": "a", "name": "N", "issuer": "http://idp.example", "client_id": "c"}]`, `"issuer" "http://idp.example": want https (http only for localhost)`},
		{"IssuerRelative", `[{"id": "a", "name": "N", "issuer": "idp.example", "client_id": "c"}]`, `want an absolute https URL`},
		{"IssuerQuery", `[{"id": "a", "name": "N", "issuer": "https://idp.example/?x=1", "client_id": "c"}]`, `must not carry user info, a query or a fragment`},
		{"IssuerUser", `[{"id": "a", "name": "N", "issuer": "https://u:p@idp.example", "client_id": "c"}]`, `must not carry user info`},
		{"BadScope", `[{"id": "a", ` + ok + `, "scopes": ["openid email"]}]`, `"scopes": "openid email" is not a valid scope`},
		{"EmptyScope", `[{"id": "a", ` + ok + `, "scopes": [""]}]`, `"scopes": "" is not a valid scope`},
		{"Duplicate", `[{"id": "a", ` + ok + `}, {"id": "b", ` + ok + `}, {"id": "a", ` + ok + `}]`, `entry 3: id "a" is already used by entry 1`},
		{"SecondBad", `[{"id": "a", ` + ok + `}, {"id": "b", "name": "N", "client_id": "c"}]`, `entry 2 ("b"): "issuer" is missing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseProviders(tc.spec)
			if err == nil {
				t.Fatalf("got %+v, want error containing %q", got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "sso providers: ") {
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseProvidersKeepsSecretOutOfErrors(t *testing.T) {
	_, err := ParseProviders(`[{"id": "a", "name": "N", "issuer": "http://idp.example", "client_id": "c", "client_secret": "TOPSECRET"}]`)
	if err == nil || strings.Contains(err.Error(), "TOPSECRET") {
		t.Fatalf("error %v", err)
	}
	p := ProviderConfig{ID: "a", Issuer: "https://idp.example", ClientSecret: "TOPSECRET"}
	if s := p.String() + p.LogValue().String(); strings.Contains(s, "TOPSECRET") {
		t.Fatalf("printed %q", s)
	}
}

func FuzzParseProviders(f *testing.F) {
	f.Add(`[{"id": "zitadel", "name": "Z", "issuer": "https://login.example.de", "client_id": "c", "scopes": ["openid"]}]`)
	f.Add(`[{"id": "a"}, 1, null]`)
	f.Add(`{"id": "a"}`)
	f.Fuzz(func(t *testing.T, spec string) {
		list, err := ParseProviders(spec)
		if err != nil {
			return
		}
		for _, p := range list {
			if _, err := normalize(p); err != nil {
				t.Fatalf("accepted provider fails validation: %v", err)
			}
			if p.Scopes[0] != "openid" {
				t.Fatalf("scopes %q do not start with openid", p.Scopes)
			}
		}
	})
}

func TestNew(t *testing.T) {
	good := ProviderConfig{ID: "a", Name: "A", Issuer: "https://idp.example", ClientID: "c", ClientSecret: "s"}
	for _, tc := range []struct {
		name      string
		providers []ProviderConfig
		base      string
		key       []byte
		want      string
	}{
		{"ShortKey", []ProviderConfig{good}, "https://host", testKey[:31], "key has 31 bytes, want at least 32"},
		{"RelativeBase", []ProviderConfig{good}, "/anmelden", testKey, "redirect base"},
		{"BaseWithQuery", []ProviderConfig{good}, "https://host/?x", testKey, "redirect base"},
		{"BaseWithPath", []ProviderConfig{good}, "https://host/app", testKey, "want scheme and host only"},
		{"BadProvider", []ProviderConfig{{ID: "a", Name: "A", Issuer: "ftp://idp", ClientID: "c"}}, "https://host", testKey, `provider "a": "issuer"`},
		{"Duplicate", []ProviderConfig{good, good}, "https://host", testKey, `"a" is configured twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(context.Background(), tc.providers, tc.base, tc.key, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		b := good
		b.ID, b.Scopes = "b", []string{"email"}
		c, err := New(context.Background(), []ProviderConfig{b, good}, "https://host/", testKey, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := c.Providers()
		if len(got) != 2 || got[0].ID != "b" || got[1].ID != "a" || got[0].ClientSecret != "" || !reflect.DeepEqual(got[0].Scopes, []string{"openid", "email"}) {
			t.Fatalf("Providers() = %+v", got)
		}
		got[0].Scopes[0] = "changed"
		if c.Providers()[0].Scopes[0] != "openid" {
			t.Fatal("Providers() shares its slices")
		}
		if r := c.byID["a"].redirect; r != "https://host/anmelden/sso/a/callback" {
			t.Fatalf("redirect URL %q", r)
		}
		if c.http.Timeout != DefaultTimeout {
			t.Fatalf("timeout %v", c.http.Timeout)
		}
	})
}
