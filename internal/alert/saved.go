// Package alert holds saved searches of the solution catalogue: a
// signed-in user keeps a search of /loesungen under a name and gets, at
// most once a day, one mail about the solutions that newly match any of
// their searches, with a link per search to stop those mails without
// signing in.
package alert

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/search"
)

// Limits of saved searches.
const (
	MaxPerUser = 20   // saved searches of one user
	MaxName    = 100  // characters of a name
	MaxQuery   = 2000 // bytes of the canonical query
)

// SavedSearch is a search of the catalogue a user keeps.
type SavedSearch struct {
	ID     string
	UserID string
	Name   string
	// Query is the canonical URL query of the search as /loesungen reads
	// it (Canonical), without a leading "?".
	Query string
	Lang  string // the language the user saved it in
	// Paused stops the mails about new matches (on the account page or
	// by the unsubscribe link in a mail); the search stays.
	Paused   bool
	Created  time.Time
	LastRun  *time.Time // the last sweep that looked for new matches
	LastSent *time.Time // the last mail that reported new matches
	// Runs counts the sweeps that ran the search; a sweep records its run
	// only if no other did in between.
	Runs int
}

// Since returns the time after which a solution counts as new for the
// search: its last run, or its creation before the first.
func (s SavedSearch) Since() time.Time {
	if s.LastRun != nil {
		return *s.LastRun
	}
	return s.Created
}

// ParseQuery reads a URL query of /loesungen into a search (see
// search.ReadPageQuery); the page cursor (nach) and the language (lang)
// are not part of a search and are dropped.
func ParseQuery(raw string) (search.Query, error) {
	var v apperr.Validation
	raw = strings.TrimPrefix(strings.TrimSpace(raw), "?")
	if len(raw) > MaxQuery {
		v.Add("query", "form.error.too_long", "Max", MaxQuery)
		return search.Query{}, v.Err()
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		v.Add("query", "error.param.malformed")
		return search.Query{}, v.Err()
	}
	q := search.ReadPageQuery(values, &v)
	return q, v.Err()
}

// Canonical writes a search as the page's URL query (search.PageQuery),
// so that two searches that find the same are written the same and the
// text can be appended to "/loesungen?" as it is.
func Canonical(q search.Query) string { return search.PageQuery(q).Encode() }

// DefaultName returns the name of a search the user did not name: its
// text, cut to MaxName; "" for a search without text.
func DefaultName(q search.Query) string {
	name := strings.Join(strings.Fields(q.Text), " ")
	if utf8.RuneCountInString(name) > MaxName {
		name = string([]rune(name)[:MaxName])
	}
	return name
}

// Can reports whether the user userID may see or change s: only its
// owner. Everyone else gets "not found", so that ids reveal nothing.
func Can(userID string, s SavedSearch) bool { return userID != "" && s.UserID == userID }
