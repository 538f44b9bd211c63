package publiccode

import (
	"mime"
	"net/mail"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/github/go-spdx/v2/spdxexp"
	"golang.org/x/text/language"
)

// Checks of single values: URLs, dates, languages, licences and so on.

// url checks an absolute URL; web requires http or https, as the standard
// does for every URL except the repository's.
func (c *checker) url(p, s string, web bool) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	ok := err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
	kind := "absolute"
	if web {
		kind = "http(s)"
		ok = ok && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	}
	if !ok {
		c.add(p, Error, CodeInvalidURL, s, kind)
	}
}

// uri checks a URI such as https://… or urn:…, used to name organisations.
func (c *checker) uri(p, s string) {
	if !c.required(p, s) {
		return
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") {
		c.add(p, Error, CodeInvalidURI, s)
	}
}

func (c *checker) date(p, s string) {
	if s == "" {
		return
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		c.add(p, Error, CodeInvalidDate, s)
	}
}

func (c *checker) email(p, s string) {
	if s == "" {
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		c.add(p, Error, CodeInvalidEmail, s)
	}
}

// fileType checks the extension of a path or URL.
func (c *checker) fileType(p, s string, exts ...string) {
	if s == "" {
		return
	}
	name := s
	if u, err := url.Parse(s); err == nil {
		name = u.Path
	}
	ext := strings.ToLower(path.Ext(name))
	for _, e := range exts {
		if ext == e {
			return
		}
	}
	c.add(p, Error, CodeFileType, s, strings.Join(exts, ", "))
}

func (c *checker) mediaType(p, s string) {
	if _, _, err := mime.ParseMediaType(s); err != nil || !strings.Contains(s, "/") {
		c.add(p, Error, CodeNotAllowed, s, "a media type such as application/json")
	}
}

// language checks a BCP 47 tag. Version 0.1 used ISO 639-2 codes (eng,
// ita); later versions want the shortest form, so "eng" draws a warning.
func (c *checker) language(p, tag string) {
	t, err := language.Parse(tag)
	if err != nil {
		c.add(p, Error, CodeInvalidLanguage, tag)
		return
	}
	if short := t.String(); c.v.minor >= 2 && !strings.EqualFold(short, tag) {
		c.add(p, Warning, CodeLanguageNotShortest, tag, short)
	}
}

func (c *checker) license(p, expr string) {
	if ok, _ := spdxexp.ValidateLicenses([]string{expr}); !ok {
		c.add(p, Error, CodeInvalidLicense, expr)
		return
	}
	opts := spdxexp.ValidateLicensesOptions{FailDeprecatedLicenses: true}
	if ok, _ := spdxexp.ValidateLicensesWithOptions([]string{expr}, opts); !ok {
		c.add(p, Warning, CodeDeprecatedLicense, expr)
	}
}
