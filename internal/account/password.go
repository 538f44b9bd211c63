package account

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Password rules after NIST SP 800-63B: a minimum length, a maximum that
// keeps hashing cheap, no composition rules, and no password from a list of
// commonly used ones.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// commonPasswords is the 30,000 most common passwords of the zxcvbn
// project (MIT licence, common-passwords.LICENSE.txt).
//
//go:embed common-passwords.txt
var commonPasswords []byte

var (
	commonOnce sync.Once
	common     map[string]bool
)

func isCommon(pw string) bool {
	commonOnce.Do(func() {
		common = map[string]bool{}
		sc := bufio.NewScanner(bytes.NewReader(commonPasswords))
		for sc.Scan() {
			if p := sc.Text(); utf8.RuneCountInString(p) >= MinPasswordLen {
				common[p] = true
			}
		}
	})
	return common[strings.ToLower(pw)]
}

// CheckPassword applies the password rules; field names the form field.
func CheckPassword(v *apperr.Validation, field, pw, email string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		v.Add(field, "account.error.password_short", "Min", MinPasswordLen)
	case n > MaxPasswordLen:
		v.Add(field, "account.error.password_long", "Max", MaxPasswordLen)
	case isCommon(pw):
		v.Add(field, "account.error.password_common")
	case email != "" && strings.EqualFold(pw, email):
		v.Add(field, "account.error.password_email")
	}
}

// argon2id parameters (OWASP's recommendation: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("account: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64(salt), b64(key)), nil
}

var errBadHash = errors.New("account: malformed password hash")

// VerifyPassword reports whether pw matches the hash, in constant time.
func VerifyPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var (
		version, mem int
		t            uint32
		p            uint8
	)
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, uint32(mem), p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when an account does not exist, so that a
// login takes as long either way and does not reveal which addresses exist.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a real password, only for timing")
	return h
})
