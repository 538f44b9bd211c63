package sso

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func testState(now time.Time) loginState {
	return loginState{Provider: "alpha", State: "st", Nonce: "no", Verifier: "ve", ReturnTo: "/x", Expires: now.Add(stateLifetime).Unix()}
}

func TestSeal(t *testing.T) {
	s, err := newSealer(testKey)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sealed, err := s.seal(testState(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := s.open(sealed, now)
		if err != nil || got != testState(now) {
			t.Fatalf("open: %+v, %v", got, err)
		}
		if strings.Contains(sealed, "alpha") || strings.Contains(sealed, base64.RawURLEncoding.EncodeToString([]byte(`"p":"alpha"`))) {
			t.Fatal("sealed value shows the plain text")
		}
		again, _ := s.seal(testState(now))
		if again == sealed {
			t.Fatal("two seals of the same state are equal: nonce reused")
		}
	})
	t.Run("Modified", func(t *testing.T) {
		raw, _ := base64.RawURLEncoding.DecodeString(sealed)
		for i := range raw {
			for _, bit := range []byte{0x01, 0x80} {
				changed := append([]byte(nil), raw...)
				changed[i] ^= bit
				if _, err := s.open(base64.RawURLEncoding.EncodeToString(changed), now); err == nil {
					t.Fatalf("byte %d with bit %#x flipped opened", i, bit)
				}
			}
		}
	})
	t.Run("Truncated", func(t *testing.T) {
		raw, _ := base64.RawURLEncoding.DecodeString(sealed)
		for _, n := range []int{0, 5, 12, 27, len(raw) - 1} {
			if _, err := s.open(base64.RawURLEncoding.EncodeToString(raw[:n]), now); err == nil {
				t.Fatalf("first %d bytes opened", n)
			}
		}
	})
	t.Run("Garbage", func(t *testing.T) {
		for _, v := range []string{"", "!!!", sealed + "=", strings.Repeat("A", maxCookieLen+1)} {
			if _, err := s.open(v, now); err == nil {
				t.Fatalf("%.20q opened", v)
			}
		}
	})
	t.Run("OtherKey", func(t *testing.T) {
		other, _ := newSealer([]byte(strings.Repeat("k", 32)))
		if _, err := other.open(sealed, now); err == nil {
			t.Fatal("opened with another key")
		}
	})
	t.Run("Expired", func(t *testing.T) {
		if _, err := s.open(sealed, now.Add(stateLifetime+time.Second)); err == nil || !strings.Contains(err.Error(), "expired") {
			t.Fatalf("open after expiry: %v", err)
		}
	})
	t.Run("Incomplete", func(t *testing.T) {
		st := testState(now)
		st.Verifier = ""
		v, _ := s.seal(st)
		if _, err := s.open(v, now); err == nil {
			t.Fatal("state without verifier opened")
		}
	})
}

func FuzzOpen(f *testing.F) {
	s, err := newSealer(testKey)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Now()
	sealed, _ := s.seal(testState(now))
	f.Add(sealed)
	f.Add("")
	want := testState(now)
	f.Fuzz(func(t *testing.T, v string) {
		// Fuzz workers are separate processes with their own sealed seed,
		// so compare the content: only what this key sealed may open.
		st, err := s.open(v, now)
		if err == nil && (st.Provider != want.Provider || st.State != want.State || st.Nonce != want.Nonce || st.Verifier != want.Verifier) {
			t.Fatalf("forged value opened: %+v", st)
		}
	})
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                                     "/",
		"/kommunen?land=09#top":                 "/kommunen?land=09#top",
		"/loesungen/a%2Fb":                      "/loesungen/a%2Fb",
		"":                                      "/",
		"kommunen":                              "/",
		"//evil.example":                        "/",
		"///evil.example":                       "/",
		"/\\evil.example":                       "/",
		"/a\\b":                                 "/",
		"https://evil.example/":                 "/",
		"javascript:alert(1)":                   "/",
		"/\t/evil.example":                      "/",
		"/a\nSet-Cookie: x=1":                   "/",
		"/" + strings.Repeat("a", maxReturnLen): "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProfileClaims(t *testing.T) {
	var c profileClaims
	if err := json.Unmarshal([]byte(`{"email": "a@example.de", "email_verified": "true", "given_name": "Ada", "family_name": "Lovelace"}`), &c); err != nil {
		t.Fatal(err)
	}
	if c.EmailVerified == nil || !bool(*c.EmailVerified) || c.name() != "Ada Lovelace" || c.incomplete() {
		t.Fatalf("%+v", c)
	}
	for _, v := range []string{`false`, `"false"`, `"yes"`, `1`, `null`} {
		var c profileClaims
		if err := json.Unmarshal([]byte(`{"email_verified": `+v+`}`), &c); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if c.EmailVerified != nil && bool(*c.EmailVerified) {
			t.Errorf("email_verified %s read as true", v)
		}
	}
	yes := flexBool(true)
	// The ID token's address wins; userinfo's verification of another
	// address must not carry over.
	id := profileClaims{Email: "a@example.de"}
	id.fill(profileClaims{Email: "b@example.de", EmailVerified: &yes, PreferredUsername: "b"})
	if id.Email != "a@example.de" || id.EmailVerified != nil || id.name() != "b" {
		t.Fatalf("%+v", id)
	}
	id.fill(profileClaims{Email: "A@example.de", EmailVerified: &yes})
	if id.EmailVerified == nil || !bool(*id.EmailVerified) {
		t.Fatalf("%+v", id)
	}
}
