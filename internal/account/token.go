package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// newToken returns a random secret for a cookie or link (256 bits) and the
// hash under which it is stored; the secret itself is never stored.
func newToken() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken returns the stored form of a secret token.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewSecret returns a random secret for a link (256 bits) and the hash
// under which it is stored, for other domains' one-time links.
func NewSecret() (secret, hash string) { return newToken() }
