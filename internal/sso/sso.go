// Package sso signs users in with OpenID Connect providers (Keycloak,
// ZITADEL, a federal state's identity service): authorisation code flow
// with PKCE (S256), state and nonce. It is the client side only: it
// returns the verified Identity, and the account package decides whether
// to link or create an account.
//
// The login state lives in a sealed cookie rather than in a session, so
// that any app instance can finish a login another one started. Providers
// are discovered at first use, so that the platform starts even while a
// provider is down.
package sso

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Identity is a person as a provider vouched for them.
type Identity struct {
	// Provider is the ProviderConfig.ID; Subject the provider's stable id of
	// the person ("sub"). Together they identify an external account.
	Provider string
	Subject  string
	// Email as the provider states it. Link existing accounts only when
	// EmailVerified is true.
	Email         string
	EmailVerified bool
	// Name is the display name; it may be empty.
	Name string
}

// DefaultTimeout applies to provider calls when New gets an http.Client
// without a timeout.
const DefaultTimeout = 10 * time.Second

// Client runs logins against the configured providers. It is safe for
// concurrent use.
type Client struct {
	providers []*provider
	byID      map[string]*provider
	seal      *sealer
	http      *http.Client
	now       func() time.Time // tests move the clock
}

// provider is one configured provider and, once discovered, its endpoints.
type provider struct {
	cfg      ProviderConfig
	redirect string

	mu       sync.Mutex
	found    *endpoints // nil until discovery succeeds
	failedAt time.Time  // last failed discovery
	failure  error
}

// endpoints is what discovery yields; it does not change afterwards.
type endpoints struct {
	oidc     *oidc.Provider
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// retryDiscovery is how long a failed discovery is remembered, so that a
// provider that hangs does not hold every login for the client's timeout.
const retryDiscovery = 10 * time.Second

// New returns a client for providers. Callbacks go to
// redirectBase + "/anmelden/sso/{id}/callback", which must be registered
// as redirect URI at each provider. key (at least MinKeyLen bytes, the same
// on every instance) seals the login state cookie. httpClient is used for
// discovery, token and userinfo calls; nil, or a client without a timeout,
// gets DefaultTimeout.
//
// New checks the configuration but does not contact the providers (so ctx
// is not used for network calls): each is discovered at its first login.
func New(ctx context.Context, providers []ProviderConfig, redirectBase string, key []byte, httpClient *http.Client) (*Client, error) {
	base, err := url.Parse(redirectBase)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil ||
		(base.Path != "" && base.Path != "/") || base.RawQuery != "" || base.Fragment != "" {
		return nil, fmt.Errorf("sso: redirect base %q: want scheme and host only, like https://smartregions.example", redirectBase)
	}
	s, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: DefaultTimeout}
	} else if httpClient.Timeout == 0 {
		c := *httpClient
		c.Timeout = DefaultTimeout
		httpClient = &c
	}
	c := &Client{byID: map[string]*provider{}, seal: s, http: httpClient, now: time.Now}
	for _, pc := range providers {
		pc, err := normalize(pc)
		if err != nil {
			return nil, fmt.Errorf("sso: provider %q: %w", pc.ID, err)
		}
		if _, dup := c.byID[pc.ID]; dup {
			return nil, fmt.Errorf("sso: provider id %q is configured twice", pc.ID)
		}
		p := &provider{cfg: pc, redirect: base.Scheme + "://" + base.Host + CookiePath + pc.ID + "/callback"}
		c.providers = append(c.providers, p)
		c.byID[pc.ID] = p
	}
	return c, nil
}

// Providers returns the configured providers in their configured order,
// for the login page. ClientSecret is left empty, so the result is safe to
// hand to templates.
func (c *Client) Providers() []ProviderConfig {
	out := make([]ProviderConfig, len(c.providers))
	for i, p := range c.providers {
		out[i] = p.cfg
		out[i].Scopes = append([]string(nil), p.cfg.Scopes...)
		out[i].ClientSecret = ""
	}
	return out
}

// discover fetches the provider's discovery document when it is first
// needed and keeps it. A failure is kept for retryDiscovery only, so that
// logins work again soon after the provider is back.
func (c *Client) discover(ctx context.Context, p *provider) (*endpoints, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.found != nil {
		return p.found, nil
	}
	if p.failure != nil && c.now().Sub(p.failedAt) < retryDiscovery {
		return nil, p.failure
	}
	// The discovery document serves every later login, so the request
	// must not be cancelled with this user's request; the client's timeout
	// bounds it.
	op, err := oidc.NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), c.http), p.cfg.Issuer)
	if err != nil {
		p.failedAt = c.now()
		p.failure = apperr.Wrap(fmt.Errorf("sso: discover %s: %w", p.cfg.Issuer, err), apperr.Internal, "sso.error.unavailable")
		return nil, p.failure
	}
	p.found = &endpoints{
		oidc: op,
		oauth: &oauth2.Config{
			ClientID:     p.cfg.ClientID,
			ClientSecret: p.cfg.ClientSecret,
			Endpoint:     op.Endpoint(),
			RedirectURL:  p.redirect,
			Scopes:       p.cfg.Scopes,
		},
		verifier: op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: func() time.Time { return c.now() }}),
	}
	p.failure = nil
	return p.found, nil
}

func (c *Client) provider(id string) (*provider, error) {
	p, ok := c.byID[id]
	if !ok {
		return nil, apperr.New(apperr.NotFound, "sso.error.provider_unknown")
	}
	return p, nil
}

// Start sends the browser to the provider's login. It keeps the PKCE
// verifier, state, nonce, provider and return path in a sealed cookie that
// lives ten minutes; secure sets its Secure flag and should be true when
// the site is served over TLS. returnTo must be a local path ("/…");
// anything else becomes "/". On success Start has written a 302 response;
// on error it has written nothing. A browser has one login in progress: a
// second Start replaces the first one's cookie.
//
// Errors: NotFound "sso.error.provider_unknown", Internal
// "sso.error.unavailable" when discovery fails.
func (c *Client) Start(w http.ResponseWriter, r *http.Request, providerID, returnTo string, secure bool) error {
	p, err := c.provider(providerID)
	if err != nil {
		return err
	}
	ep, err := c.discover(r.Context(), p)
	if err != nil {
		return err
	}
	st := loginState{
		Provider: p.cfg.ID,
		State:    rand.Text(),
		Nonce:    rand.Text(),
		Verifier: oauth2.GenerateVerifier(),
		ReturnTo: localPath(returnTo),
		Expires:  c.now().Add(stateLifetime).Unix(),
	}
	sealed, err := c.seal.seal(st)
	if err != nil {
		return apperr.Wrap(fmt.Errorf("sso: seal state: %w", err), apperr.Internal, "error.internal")
	}
	http.SetCookie(w, stateCookie(sealed, secure))
	w.Header().Set("Cache-Control", "no-store")
	target := ep.oauth.AuthCodeURL(st.State, oauth2.S256ChallengeOption(st.Verifier), oidc.Nonce(st.Nonce))
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}
