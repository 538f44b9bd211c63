package mail

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Limits of a message, in characters.
const (
	MaxTo      = 254 // RFC 5321's limit for a forward path
	MaxSubject = 200
	MaxText    = 100_000
	MaxKind    = 64
)

// validate normalises m and returns apperr.Invalid naming each faulty
// field ("to", "subject", "text", "lang", "kind"). Control characters are
// refused in the header fields, so a line break can never smuggle in a
// header of its own.
func validate(m Message) (Message, error) {
	var v apperr.Validation
	badChars := func(s string) bool {
		return !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl)
	}

	switch to := strings.TrimSpace(m.To); {
	case badChars(m.To):
		v.Add("to", "form.error.encoding")
	case to == "":
		v.Add("to", "form.error.required")
	case utf8.RuneCountInString(to) > MaxTo:
		v.Add("to", "form.error.too_long", "Max", MaxTo)
	default:
		// A display name or comment would be a second thing to check for
		// injection; callers pass the bare address.
		if a, err := mail.ParseAddress(to); err != nil || a.Address != to {
			v.Add("to", "form.error.email")
		}
		m.To = to
	}

	switch subject := strings.TrimSpace(m.Subject); {
	case badChars(m.Subject):
		v.Add("subject", "form.error.encoding")
	case subject == "":
		v.Add("subject", "form.error.required")
	case utf8.RuneCountInString(subject) > MaxSubject:
		v.Add("subject", "form.error.too_long", "Max", MaxSubject)
	default:
		m.Subject = subject
	}

	switch {
	case !utf8.ValidString(m.Text) || strings.ContainsRune(m.Text, 0):
		v.Add("text", "form.error.encoding")
	case strings.TrimSpace(m.Text) == "":
		v.Add("text", "form.error.required")
	case utf8.RuneCountInString(m.Text) > MaxText:
		v.Add("text", "form.error.too_long", "Max", MaxText)
	}

	switch m.Lang {
	case "":
		m.Lang = "de"
	case "de", "en":
	default:
		v.Add("lang", "error.param.lang")
	}

	if len(m.Kind) > MaxKind {
		v.Add("kind", "form.error.too_long", "Max", MaxKind)
	} else if strings.ContainsFunc(m.Kind, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) {
		v.Add("kind", "form.error.encoding")
	}
	return m, v.Err()
}
