package sso

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// This file runs a real OpenID provider (zitadel's pkg/op) over an
// in-memory storage, modelled on zitadel's example/server/storage. Its
// login step is a stand-in for a login UI: GET /login?authRequestID=…
// &user=<id> signs that user in, &deny=1 refuses. Everything else —
// authorize, token, userinfo, keys, discovery — is op's real code.

type testUser struct {
	ID, Email, Name string
	EmailVerified   bool
}

type testClient struct {
	id, secret      string
	redirectURIs    []string
	authMethod      oidc.AuthMethod
	claimsInIDToken bool // IDTokenUserinfoClaimsAssertion
}

func (c *testClient) GetID() string                       { return c.id }
func (c *testClient) RedirectURIs() []string              { return c.redirectURIs }
func (c *testClient) PostLogoutRedirectURIs() []string    { return nil }
func (c *testClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *testClient) AuthMethod() oidc.AuthMethod         { return c.authMethod }
func (c *testClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *testClient) GrantTypes() []oidc.GrantType         { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *testClient) LoginURL(id string) string            { return "/login?authRequestID=" + id }
func (c *testClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *testClient) IDTokenLifetime() time.Duration       { return time.Hour }
func (c *testClient) DevMode() bool                        { return true } // http redirect URIs on 127.0.0.1
func (c *testClient) IsScopeAllowed(string) bool           { return false }
func (c *testClient) IDTokenUserinfoClaimsAssertion() bool { return c.claimsInIDToken }
func (c *testClient) ClockSkew() time.Duration             { return 0 }
func (c *testClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *testClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

type testAuthRequest struct {
	oidc.AuthRequest
	id       string
	userID   string
	done     bool
	authTime time.Time
}

func (a *testAuthRequest) GetID() string          { return a.id }
func (a *testAuthRequest) GetACR() string         { return "" }
func (a *testAuthRequest) GetAMR() []string       { return []string{"pwd"} }
func (a *testAuthRequest) GetAudience() []string  { return []string{a.ClientID} }
func (a *testAuthRequest) GetAuthTime() time.Time { return a.authTime }
func (a *testAuthRequest) GetClientID() string    { return a.ClientID }
func (a *testAuthRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.CodeChallenge, Method: a.CodeChallengeMethod}
}
func (a *testAuthRequest) GetNonce() string                   { return a.Nonce }
func (a *testAuthRequest) GetRedirectURI() string             { return a.RedirectURI }
func (a *testAuthRequest) GetResponseType() oidc.ResponseType { return a.ResponseType }
func (a *testAuthRequest) GetResponseMode() oidc.ResponseMode { return a.ResponseMode }
func (a *testAuthRequest) GetScopes() []string                { return a.Scopes }
func (a *testAuthRequest) GetState() string                   { return a.State }
func (a *testAuthRequest) GetSubject() string                 { return a.userID }
func (a *testAuthRequest) Done() bool                         { return a.done }

type testToken struct {
	subject, clientID string
	scopes            []string
	expires           time.Time
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

type publicKey struct{ *signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

// opStorage implements op.Storage in memory.
type opStorage struct {
	mu       sync.Mutex
	users    map[string]testUser
	clients  map[string]*testClient
	requests map[string]*testAuthRequest
	codes    map[string]string // code → request id
	tokens   map[string]testToken
	key      signingKey
	seen     []oidc.AuthRequest // every authorize request, for assertions
	userinfo atomic.Int32       // calls of the userinfo endpoint
	nextID   int
}

var errNotFound = errors.New("not found")

func (s *opStorage) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, *r)
	// This provider demands PKCE with S256 of every client, as the
	// platform's real providers should.
	if r.CodeChallenge == "" || r.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with S256 is required")
	}
	s.nextID++
	req := &testAuthRequest{AuthRequest: *r, id: fmt.Sprintf("req%d", s.nextID), userID: userID}
	s.requests[req.id] = req
	return req, nil
}

func (s *opStorage) lastAuthRequest() oidc.AuthRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[len(s.seen)-1]
}

// login marks an auth request as signed in by user.
func (s *opStorage) login(id, user string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.requests[id]
	if _, known := s.users[user]; !ok || !known {
		return errNotFound
	}
	req.userID, req.done, req.authTime = user, true, time.Now()
	return nil
}

func (s *opStorage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req, ok := s.requests[id]; ok {
		return req, nil
	}
	return nil, errNotFound
}

func (s *opStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("code invalid or used")
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *opStorage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest runs after the code was exchanged; with it the code
// goes, so a second exchange fails.
func (s *opStorage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

func (s *opStorage) CreateAccessToken(_ context.Context, r op.TokenRequest) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := r.(*testAuthRequest)
	if !ok {
		return "", time.Time{}, errors.New("unsupported token request")
	}
	s.nextID++
	id := fmt.Sprintf("at%d", s.nextID)
	t := testToken{subject: req.userID, clientID: req.ClientID, scopes: req.Scopes, expires: time.Now().Add(5 * time.Minute)}
	s.tokens[id] = t
	return id, t.expires, nil
}

func (s *opStorage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("refresh tokens not supported")
}

func (s *opStorage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, errors.New("refresh tokens not supported")
}

func (s *opStorage) TerminateSession(context.Context, string, string) error { return nil }

func (s *opStorage) RevokeToken(context.Context, string, string, string) *oidc.Error { return nil }

func (s *opStorage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *opStorage) SigningKey(context.Context) (op.SigningKey, error) { return &s.key, nil }

func (s *opStorage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *opStorage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{&s.key}}, nil
}

func (s *opStorage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[id]; ok {
		return c, nil
	}
	return nil, errNotFound
}

func (s *opStorage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[id]; ok && c.secret != "" && c.secret == secret {
		return nil
	}
	return errors.New("wrong client credentials")
}

func (s *opStorage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's claims.
func (s *opStorage) SetUserinfoFromRequest(_ context.Context, ui *oidc.UserInfo, r op.IDTokenRequest, scopes []string) error {
	return s.setUserinfo(ui, r.GetSubject(), scopes)
}

// SetUserinfoFromToken answers the userinfo endpoint.
func (s *opStorage) SetUserinfoFromToken(_ context.Context, ui *oidc.UserInfo, tokenID, _, _ string) error {
	s.userinfo.Add(1)
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || time.Now().After(t.expires) {
		return errors.New("token invalid or expired")
	}
	return s.setUserinfo(ui, t.subject, t.scopes)
}

func (s *opStorage) setUserinfo(ui *oidc.UserInfo, userID string, scopes []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[userID]
	if !ok {
		return errNotFound
	}
	for _, sc := range scopes {
		switch sc {
		case oidc.ScopeOpenID:
			ui.Subject = u.ID
		case oidc.ScopeEmail:
			ui.Email, ui.EmailVerified = u.Email, oidc.Bool(u.EmailVerified)
		case oidc.ScopeProfile:
			ui.Name = u.Name
		}
	}
	return nil
}

func (s *opStorage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("introspection not supported")
}

func (s *opStorage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *opStorage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound
}

func (s *opStorage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("JWT profile not supported")
}

func (s *opStorage) Health(context.Context) error { return nil }

// testOP is a running OpenID provider on 127.0.0.1.
type testOP struct {
	*httptest.Server
	storage *opStorage
	down    atomic.Bool // answer 503 to everything
}

func startTestOP(t *testing.T, users []testUser, clients ...*testClient) *testOP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s := &opStorage{
		users: map[string]testUser{}, clients: map[string]*testClient{},
		requests: map[string]*testAuthRequest{}, codes: map[string]string{}, tokens: map[string]testToken{},
		key: signingKey{id: "k1", key: key},
	}
	for _, u := range users {
		s.users[u.ID] = u
	}
	for _, c := range clients {
		s.clients[c.id] = c
	}
	top := &testOP{storage: s}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if top.down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	top.Server = srv

	config := &op.Config{CryptoKey: sha256.Sum256([]byte("test op")), CodeMethodS256: true}
	provider, err := op.NewProvider(config, s, op.StaticIssuer(srv.URL), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	callback := op.AuthCallbackURL(provider)
	login := op.NewIssuerInterceptor(provider.IssuerFromRequest).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.FormValue("authRequestID")
		if r.FormValue("deny") != "" {
			req, err := s.AuthRequestByID(r.Context(), id)
			if err != nil {
				http.Error(w, "unknown auth request", http.StatusBadRequest)
				return
			}
			op.AuthRequestError(w, r, req, oidc.ErrAccessDenied().WithDescription("the user said no"), provider)
			return
		}
		if err := s.login(id, r.FormValue("user")); err != nil {
			http.Error(w, "unknown auth request or user", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	})
	mux := http.NewServeMux()
	mux.Handle("/login", login)
	mux.Handle("/", provider)
	handler = mux
	return top
}
