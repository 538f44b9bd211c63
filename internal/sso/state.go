package sso

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// CookieName is the cookie that carries the sealed login state from Start
// to Finish. It is sent only to paths under CookiePath.
const CookieName = "smartregions_sso"

// CookiePath limits the login state cookie to the SSO routes.
const CookiePath = "/anmelden/sso/"

// stateLifetime bounds how long a user may spend at the provider.
const stateLifetime = 10 * time.Minute

// MinKeyLen is the shortest key New accepts.
const MinKeyLen = 32

// maxCookieLen keeps Open from decoding arbitrarily large input; a real
// state is a few hundred bytes.
const maxCookieLen = 3000

// maxReturnLen keeps the cookie well below the 4 KB browsers allow.
const maxReturnLen = 1024

// loginState is what Start remembers for Finish. It travels in the cookie,
// so any instance can finish the login without shared storage.
type loginState struct {
	Provider string `json:"p"`
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	ReturnTo string `json:"r"`
	Expires  int64  `json:"e"` // Unix seconds
}

// sealer encrypts and authenticates the login state with AES-256-GCM.
type sealer struct{ aead cipher.AEAD }

// newSealer derives the cookie key from key, so that the same secret can
// serve other purposes without the uses ever sharing a key.
func newSealer(key []byte) (*sealer, error) {
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("sso: key has %d bytes, want at least %d", len(key), MinKeyLen)
	}
	k, err := hkdf.Key(sha256.New, key, nil, "smartregions sso login state v1", 32)
	if err != nil {
		return nil, fmt.Errorf("sso: derive key: %w", err)
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, fmt.Errorf("sso: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sso: cipher: %w", err)
	}
	return &sealer{aead: aead}, nil
}

// seal returns base64url(nonce | ciphertext). The cookie name is the
// additional data, so a value sealed for another purpose cannot be
// replayed here.
func (s *sealer) seal(st loginState) (string, error) {
	plain, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(CookieName))), nil
}

// open reverses seal and refuses any value that was changed, sealed with
// another key or has expired at now.
func (s *sealer) open(value string, now time.Time) (loginState, error) {
	var st loginState
	if len(value) > maxCookieLen {
		return st, errors.New("state cookie too long")
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(value)
	if err != nil {
		return st, errors.New("state cookie is not base64url")
	}
	ns := s.aead.NonceSize()
	if len(raw) < ns+s.aead.Overhead() {
		return st, errors.New("state cookie too short")
	}
	plain, err := s.aead.Open(nil, raw[:ns], raw[ns:], []byte(CookieName))
	if err != nil {
		return st, errors.New("state cookie does not authenticate")
	}
	if err := json.Unmarshal(plain, &st); err != nil {
		return st, fmt.Errorf("state cookie: %w", err)
	}
	if st.Provider == "" || st.State == "" || st.Nonce == "" || st.Verifier == "" {
		return st, errors.New("state cookie is incomplete")
	}
	if now.Unix() > st.Expires {
		return st, fmt.Errorf("state cookie expired at %s", time.Unix(st.Expires, 0).UTC().Format(time.RFC3339))
	}
	return st, nil
}

func stateCookie(value string, secure bool) *http.Cookie {
	return &http.Cookie{
		Name:     CookieName,
		Value:    value,
		Path:     CookiePath,
		MaxAge:   int(stateLifetime / time.Second),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
}

func clearCookie(w http.ResponseWriter) {
	c := stateCookie("", false)
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// localPath returns p when it is a path on this site, and "/" otherwise,
// so that the return path cannot send the user to another site: no scheme,
// no host, no "//" or "/\" (which browsers read as a host), no control
// characters.
func localPath(p string) string {
	if p == "" || len(p) > maxReturnLen || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return p
}
