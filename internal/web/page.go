package web

import (
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/i18n"
)

// Page is the data of every page.
type Page struct {
	Lang  string // "de" or "en"; anything else renders as "de"
	Title string // page title; when empty, the page template's "title" fills it
	// URL is the current request URL, for the language switch and the
	// aria-current marker of the navigation.
	URL *url.URL
	// CSRFToken is rendered as the hidden field "csrf_token" in every POST form.
	CSRFToken string
	// Form keeps what the user typed; FieldErrors holds one already
	// translated message per field name.
	Form        url.Values
	FieldErrors map[string]string
	Breadcrumbs []Crumb
	// Account is the signed-in user, nil for visitors.
	Account *Account
	Data    any

	bundle *i18n.Bundle // set by Render
}

// Account is what the layout shows of the signed-in user.
type Account struct {
	Name, Email string
	Operator    bool
	Curator     bool // reviews organisations (operators too)
	Unread      int  // unread notifications, shown as a badge in the header
}

// Label is the name, or the e-mail address when there is no name.
func (a *Account) Label() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Email
}

// Crumb is one step of the breadcrumb trail. The last crumb is the current
// page; its Href may be empty.
type Crumb struct {
	Label string
	Href  string
}

// LegalData is the Data of the "legal" page.
type LegalData struct {
	Doc  string        // "impressum", "datenschutz" or "barrierefreiheit"
	HTML template.HTML // from Renderer.Legal
	// Sent shows the thank-you note after the accessibility feedback was sent.
	Sent bool
}

// ErrorData is the Data of the "error" page.
type ErrorData struct {
	Status  int
	Message string // already translated, safe for users
}

// FieldError is one entry of a form's error summary.
type FieldError struct {
	Field   string
	Message string
}

// T translates key into the page's language; see i18n.Bundle.T. It works on
// a page passed to Render; before that it returns the key.
func (p *Page) T(key string, kv ...any) string {
	if p.bundle == nil {
		return key
	}
	return p.bundle.T(p.Lang, key, kv...)
}

// LangURL returns the current path and query with lang=<lang> set, so the
// language switch keeps the visitor on the same page.
func (p *Page) LangURL(lang string) string {
	if p.URL == nil {
		return "/?lang=" + url.QueryEscape(lang)
	}
	q := p.URL.Query()
	q.Set("lang", lang)
	u := url.URL{Path: p.URL.Path, RawPath: p.URL.RawPath, RawQuery: q.Encode()}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.RequestURI()
}

// IsCurrent reports whether href is the current page or, except for "/", a
// page below it; the navigation marks such an item with aria-current.
func (p *Page) IsCurrent(href string) bool {
	if p.URL == nil {
		return false
	}
	cur := p.URL.Path
	if cur == "" {
		cur = "/"
	}
	if href == "/" {
		return cur == "/"
	}
	return cur == href || strings.HasPrefix(cur, strings.TrimSuffix(href, "/")+"/")
}

// ErrorList returns the field errors in the order of fields, followed by
// any others in name order, for the error summary at the top of a form.
func (p *Page) ErrorList(fields ...string) []FieldError {
	list := make([]FieldError, 0, len(p.FieldErrors))
	for _, f := range fields {
		if msg, ok := p.FieldErrors[f]; ok {
			list = append(list, FieldError{Field: f, Message: msg})
		}
	}
	var rest []string
	for f := range p.FieldErrors {
		if !slices.Contains(fields, f) {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	for _, f := range rest {
		list = append(list, FieldError{Field: f, Message: p.FieldErrors[f]})
	}
	return list
}

// Num formats an integer with the digit grouping of the page's language:
// 1.505.005 (de), 1,505,005 (en).
func (p *Page) Num(v int64) string { return formatInt(v, p.Lang) }

// Dec formats a number with the given count of decimal places:
// 357.683,88 (de), 357,683.88 (en).
func (p *Page) Dec(v float64, digits int) string { return formatDec(v, digits, p.Lang) }

// Date formats t as a date in Europe/Berlin: 31.08.2025 (de), 31 Aug 2025 (en).
func (p *Page) Date(t time.Time) string { return formatDate(t, p.Lang) }

// DateTime formats t as date and time in Europe/Berlin:
// 31.08.2025, 14:05 Uhr (de), 31 Aug 2025, 14:05 (en).
func (p *Page) DateTime(t time.Time) string { return formatDateTime(t, p.Lang) }
