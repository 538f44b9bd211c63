package http

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
)

// The query parameters that the account administration's pages and API
// share.
var (
	userFilterParams  = []string{"q", "role", "cursor"}
	auditFilterParams = []string{"actor", "action", "object_type", "object_id", "from", "to", "cursor"}
)

// berlin is the time zone of the dates that operators type; the database
// keeps UTC. (time/tzdata is linked in by package web.)
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic("http: " + err.Error())
	}
	return loc
}()

// Cursors of the keyset-paged lists: opaque to clients, base64url JSON.
type userCursor struct {
	Email string `json:"e"`
}

type auditCursor struct {
	At time.Time `json:"t"`
	ID string    `json:"i"`
}

func encodeOpaque(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeOpaque reads a cursor into v; a malformed one is an error in p.
func decodeOpaque(p *params, s string, v any, ok func() bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 512 || json.Unmarshal(b, v) != nil || !ok() {
		p.Add("cursor", "error.param.cursor")
	}
}

// userFilter reads the user list's filters; errors collect in p.
func userFilter(p *params) account.UserFilter {
	f := account.UserFilter{Query: p.str("q"), Role: account.Role(p.str("role"))}
	if s := p.str("cursor"); s != "" {
		var c userCursor
		decodeOpaque(p, s, &c, func() bool { return c.Email != "" })
		f.Cursor = c.Email
	}
	return f
}

// auditFilter reads the audit log's filters; errors collect in p. Dates
// are calendar days in Europe/Berlin, "to" included.
func auditFilter(p *params) account.AuditFilter {
	f := account.AuditFilter{Actor: p.str("actor"), Action: p.str("action"), ObjectType: p.str("object_type"), ObjectID: p.str("object_id")}
	if d, ok := parseDay(p, "from"); ok {
		f.Since = d
	}
	if d, ok := parseDay(p, "to"); ok {
		f.Before = d.AddDate(0, 0, 1)
	}
	if s := p.str("cursor"); s != "" {
		var c auditCursor
		decodeOpaque(p, s, &c, func() bool { return c.ID != "" && !c.At.IsZero() })
		if c.ID != "" {
			f.Cursor = &account.AuditCursor{At: c.At, ID: c.ID}
		}
	}
	return f
}

// parseDay reads a date as browsers send it from a date field
// (2026-03-31) or as people type it in German (31.3.2026).
func parseDay(p *params, name string) (time.Time, bool) {
	s := p.str(name)
	if s == "" {
		return time.Time{}, false
	}
	if d, ok := parseDate(s, berlin); ok && d.Year() >= 2000 {
		return d, true
	}
	p.Add(name, "audit.error.date")
	return time.Time{}, false
}

// parseDate reads a date as a date field sends it (2026-03-31) or as
// people type it in German (31.3.2026), at midnight in loc.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "2.1.2006"} {
		if d, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil && d.Year() < 10000 {
			return d, true
		}
	}
	return time.Time{}, false
}

// withCursor returns u with its cursor parameter set to c, or removed for "".
func withCursor(u *url.URL, c string) string {
	q := u.Query()
	if c == "" {
		q.Del("cursor")
	} else {
		q.Set("cursor", c)
	}
	v := *u
	v.RawQuery = q.Encode()
	return v.RequestURI()
}
