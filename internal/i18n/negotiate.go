package i18n

import (
	"net/http"

	"golang.org/x/text/language"
)

// CookieName is the cookie that remembers the language a visitor chose.
const CookieName = "lang"

// matcher's tag order follows Supported, so the index of a match is the
// index into Supported, and a request matching nothing gets the default.
var matcher = language.NewMatcher([]language.Tag{language.German, language.English})

// Negotiate chooses the language of a request: an explicit ?lang= wins, then
// the "lang" cookie, then the browser's Accept-Language header, then German.
// Values that are not supported are ignored at every step.
func Negotiate(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); IsSupported(l) {
		return l
	}
	if c, err := r.Cookie(CookieName); err == nil && IsSupported(c.Value) {
		return c.Value
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		tags, _, err := language.ParseAcceptLanguage(h)
		if err == nil && len(tags) > 0 {
			_, i, conf := matcher.Match(tags...)
			if conf != language.No {
				return Supported[i]
			}
		}
	}
	return Default
}
