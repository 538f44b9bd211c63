package sso

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Finish completes the login on the callback of providerID: it checks the
// state against the cookie that Start set, exchanges the code with the
// PKCE verifier, verifies the ID token (signature, issuer, audience,
// expiry, nonce) and reads e-mail, email_verified and name from the ID
// token, asking the userinfo endpoint for what the token lacks. It always
// clears the cookie, so a callback works once. It returns the identity and
// the local return path given to Start.
//
// Errors: NotFound "sso.error.provider_unknown"; Invalid "sso.error.state"
// (cookie missing, expired, changed, for another provider, or state
// mismatch); Forbidden "sso.error.denied" (the user refused at the
// provider); Unauthenticated "sso.error.provider" (any other error answer),
// "sso.error.exchange", "sso.error.token", "sso.error.userinfo"; Forbidden
// "sso.error.email_missing", "sso.error.email_invalid"; Internal
// "sso.error.unavailable". Causes never contain tokens or codes.
func (c *Client) Finish(w http.ResponseWriter, r *http.Request, providerID string) (Identity, string, error) {
	var none Identity
	clearCookie(w)
	p, err := c.provider(providerID)
	if err != nil {
		return none, "", err
	}
	st, err := c.loginState(r, providerID)
	if err != nil {
		return none, "", err
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		cause := fmt.Errorf("sso: %s answered error %.64q: %.200q", providerID, e, q.Get("error_description"))
		if e == "access_denied" {
			return none, "", apperr.Wrap(cause, apperr.Forbidden, "sso.error.denied")
		}
		return none, "", apperr.Wrap(cause, apperr.Unauthenticated, "sso.error.provider")
	}
	// RFC 9207: a provider that names itself must name the right issuer.
	if iss := q.Get("iss"); q.Has("iss") && iss != p.cfg.Issuer {
		return none, "", apperr.Wrap(fmt.Errorf("sso: %s: callback from issuer %.200q", providerID, iss), apperr.Unauthenticated, "sso.error.provider")
	}
	code := q.Get("code")
	if code == "" {
		return none, "", apperr.Wrap(fmt.Errorf("sso: %s: callback without code", providerID), apperr.Unauthenticated, "sso.error.provider")
	}
	ep, err := c.discover(r.Context(), p)
	if err != nil {
		return none, "", err
	}

	ctx := oidc.ClientContext(r.Context(), c.http)
	tok, err := ep.oauth.Exchange(ctx, code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return none, "", apperr.Wrap(fmt.Errorf("sso: %s: exchange code: %w", providerID, err), apperr.Unauthenticated, "sso.error.exchange")
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return none, "", tokenError(providerID, errors.New("token response without id_token"))
	}
	idt, err := ep.verifier.Verify(ctx, rawID)
	if err != nil {
		return none, "", tokenError(providerID, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return none, "", tokenError(providerID, errors.New("nonce does not match"))
	}
	var cl profileClaims
	if err := idt.Claims(&cl); err != nil {
		return none, "", tokenError(providerID, err)
	}
	if cl.incomplete() && ep.oidc.UserInfoEndpoint() != "" {
		ui, err := ep.oidc.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return none, "", apperr.Wrap(fmt.Errorf("sso: %s: userinfo: %w", providerID, err), apperr.Unauthenticated, "sso.error.userinfo")
		}
		// OpenID Connect Core 5.3.2: userinfo of another subject must be ignored.
		if ui.Subject != idt.Subject {
			return none, "", tokenError(providerID, fmt.Errorf("userinfo subject differs from ID token subject"))
		}
		var more profileClaims
		if err := ui.Claims(&more); err != nil {
			return none, "", apperr.Wrap(fmt.Errorf("sso: %s: userinfo: %w", providerID, err), apperr.Unauthenticated, "sso.error.userinfo")
		}
		cl.fill(more)
	}
	id := Identity{
		Provider:      providerID,
		Subject:       idt.Subject,
		Email:         strings.TrimSpace(cl.Email),
		EmailVerified: cl.EmailVerified != nil && bool(*cl.EmailVerified),
		Name:          cl.name(),
	}
	if id.Email == "" {
		return none, "", apperr.Wrap(fmt.Errorf("sso: %s: no e-mail for subject %q", providerID, id.Subject), apperr.Forbidden, "sso.error.email_missing")
	}
	if a, err := mail.ParseAddress(id.Email); err != nil || a.Address != id.Email || len(id.Email) > 254 {
		return none, "", apperr.Wrap(fmt.Errorf("sso: %s: invalid e-mail for subject %q", providerID, id.Subject), apperr.Forbidden, "sso.error.email_invalid")
	}
	return id, st.ReturnTo, nil
}

// loginState opens the cookie and checks it belongs to this callback.
func (c *Client) loginState(r *http.Request, providerID string) (loginState, error) {
	fail := func(cause error) (loginState, error) {
		return loginState{}, apperr.Wrap(fmt.Errorf("sso: %s: %w", providerID, cause), apperr.Invalid, "sso.error.state")
	}
	ck, err := r.Cookie(CookieName)
	if err != nil {
		return fail(errors.New("no state cookie"))
	}
	st, err := c.seal.open(ck.Value, c.now())
	if err != nil {
		return fail(err)
	}
	if st.Provider != providerID {
		return fail(fmt.Errorf("state cookie is for provider %q", st.Provider))
	}
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("state")), []byte(st.State)) != 1 {
		return fail(errors.New("state parameter does not match"))
	}
	return st, nil
}

func tokenError(providerID string, err error) error {
	return apperr.Wrap(fmt.Errorf("sso: %s: id token: %w", providerID, err), apperr.Unauthenticated, "sso.error.token")
}

// profileClaims are the claims Finish reads, from the ID token or userinfo.
type profileClaims struct {
	Email             string    `json:"email"`
	EmailVerified     *flexBool `json:"email_verified"`
	Name              string    `json:"name"`
	GivenName         string    `json:"given_name"`
	FamilyName        string    `json:"family_name"`
	PreferredUsername string    `json:"preferred_username"`
}

func (c profileClaims) incomplete() bool {
	return c.Email == "" || c.EmailVerified == nil || c.name() == ""
}

// fill takes from o what c lacks; the ID token wins where both have a value.
func (c *profileClaims) fill(o profileClaims) {
	if c.Email == "" {
		c.Email, c.EmailVerified = o.Email, o.EmailVerified
	}
	if c.EmailVerified == nil && strings.EqualFold(strings.TrimSpace(c.Email), strings.TrimSpace(o.Email)) {
		c.EmailVerified = o.EmailVerified
	}
	if c.name() == "" {
		c.Name, c.GivenName, c.FamilyName, c.PreferredUsername = o.Name, o.GivenName, o.FamilyName, o.PreferredUsername
	}
}

func (c profileClaims) name() string {
	if n := strings.TrimSpace(c.Name); n != "" {
		return n
	}
	if n := strings.TrimSpace(c.GivenName + " " + c.FamilyName); n != "" {
		return n
	}
	return strings.TrimSpace(c.PreferredUsername)
}

// flexBool reads email_verified as true/false or "true"/"false", as some
// providers send a string. Anything else counts as not verified.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*b = v == true || v == "true"
	return nil
}
