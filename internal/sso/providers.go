package sso

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// ProviderConfig describes one OpenID provider the platform trusts for
// single sign-on. The JSON names are those of ParseProviders.
type ProviderConfig struct {
	// ID is a URL-safe slug ("zitadel", "keycloak-bw"); it is part of the
	// login and callback URLs, so it must not change once users signed in.
	ID string `json:"id"`
	// Name is shown on the login button, e.g. "Servicekonto Bayern".
	Name string `json:"name"`
	// Issuer is the provider's issuer URL exactly as its discovery document
	// states it; discovery is fetched from Issuer + "/.well-known/openid-configuration".
	Issuer string `json:"issuer"`
	// ClientID and ClientSecret are the credentials of the platform at the
	// provider. ClientSecret may be empty for a public client; PKCE protects
	// the code exchange either way.
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	// Scopes to request; "openid" is always requested. Empty means
	// openid, email and profile.
	Scopes []string `json:"scopes"`
}

// String names the provider without its secret, so that printing a
// configuration by mistake leaks nothing.
func (p ProviderConfig) String() string { return p.ID + " (" + p.Issuer + ")" }

// LogValue keeps the client secret out of structured logs.
func (p ProviderConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", p.ID), slog.String("issuer", p.Issuer), slog.String("client_id", p.ClientID))
}

// defaultScopes are requested when a provider configures none.
var defaultScopes = []string{"openid", "email", "profile"}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

const maxIDLen = 32

// ParseProviders reads the provider list from spec, typically the value of
// an environment variable. spec is a JSON array of objects with the keys of
// ProviderConfig:
//
//	[{"id": "zitadel", "name": "ZITADEL", "issuer": "https://login.example.de",
//	  "client_id": "…", "client_secret": "…", "scopes": ["openid", "email", "profile"]}]
//
// id (lower-case letters, digits and inner hyphens, at most 32 characters),
// name, issuer and client_id are required; client_secret and scopes are
// optional. The issuer must be an https URL (http only for localhost and
// loopback addresses). Unknown keys are refused, so that a typo does not
// silently drop a setting. An empty or blank spec means no providers.
// Errors name the entry (counted from 1) and the field.
func ParseProviders(spec string) ([]ProviderConfig, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(spec))
	dec.DisallowUnknownFields()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("sso providers: %s", jsonError(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, errors.New("sso providers: want a JSON array of provider objects, like [{\"id\": \"zitadel\", …}]")
	}
	var list []ProviderConfig
	seen := map[string]int{}
	for n := 1; dec.More(); n++ {
		var p ProviderConfig
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("sso providers: entry %d: %s", n, jsonError(err))
		}
		p, err = normalize(p)
		if err != nil {
			if p.ID != "" && idPattern.MatchString(p.ID) {
				return nil, fmt.Errorf("sso providers: entry %d (%q): %w", n, p.ID, err)
			}
			return nil, fmt.Errorf("sso providers: entry %d: %w", n, err)
		}
		if first, ok := seen[p.ID]; ok {
			return nil, fmt.Errorf("sso providers: entry %d: id %q is already used by entry %d", n, p.ID, first)
		}
		seen[p.ID] = n
		list = append(list, p)
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return nil, fmt.Errorf("sso providers: %s", jsonError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("sso providers: unexpected data after the closing ] at byte %d", dec.InputOffset())
	}
	return list, nil
}

// jsonError turns decoder errors into messages that say where the problem is.
func jsonError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("want a JSON object, not %s", typ.Value)
		}
		return fmt.Sprintf("field %q: want %s, not %s", typ.Field, jsonType(typ.Type.String()), typ.Value)
	}
	// Unknown fields come as `json: unknown field "x"`.
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonType(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "[]string":
		return "an array of strings"
	}
	return goType
}

// normalize checks one provider and fills in defaults. It is used for the
// parsed list and again by New, for providers built in code.
func normalize(p ProviderConfig) (ProviderConfig, error) {
	switch {
	case p.ID == "":
		return p, errors.New(`"id" is missing`)
	case len(p.ID) > maxIDLen || !idPattern.MatchString(p.ID):
		return p, fmt.Errorf(`"id" %q: want lower-case letters, digits and inner hyphens, at most %d characters`, p.ID, maxIDLen)
	case strings.TrimSpace(p.Name) == "":
		return p, errors.New(`"name" is missing`)
	case p.Issuer == "":
		return p, errors.New(`"issuer" is missing`)
	case p.ClientID == "":
		return p, errors.New(`"client_id" is missing`)
	}
	p.Name = strings.TrimSpace(p.Name)
	if err := checkIssuer(p.Issuer); err != nil {
		return p, fmt.Errorf(`"issuer" %q: %w`, p.Issuer, err)
	}
	scopes := []string{"openid"}
	if len(p.Scopes) == 0 {
		scopes = defaultScopes
	}
	for _, s := range p.Scopes {
		if !validScope(s) {
			return p, fmt.Errorf(`"scopes": %q is not a valid scope (no spaces, quotes or backslashes)`, s)
		}
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	p.Scopes = slices.Clone(scopes)
	return p, nil
}

func checkIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil {
		return errors.New("not a URL")
	}
	switch {
	case u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return errors.New("want an absolute https URL")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return errors.New("want https (http only for localhost)")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(issuer, "?") || strings.HasSuffix(issuer, "#"):
		return errors.New("must not carry user info, a query or a fragment")
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validScope follows RFC 6749, section 3.3: %x21 / %x23-5B / %x5D-7E.
func validScope(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e {
			return false
		}
	}
	return true
}
