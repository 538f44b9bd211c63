package catalog

import (
	"strings"
	"time"
)

// QueueFilter narrows the curators' queue.
type QueueFilter struct {
	Kind    string // "new" (never published), "change" (a new version of a published one) or "" for both
	Field   string // a field of action; a top-level key includes its children
	MinDays int    // only versions waiting at least this many days
}

// QueueKinds are the values of QueueFilter.Kind.
var QueueKinds = []string{"new", "change"}

// WaitingDays is how many whole days a submitted version has waited at now.
func WaitingDays(submitted *time.Time, now time.Time) int {
	if submitted == nil || now.Before(*submitted) {
		return 0
	}
	return int(now.Sub(*submitted) / (24 * time.Hour))
}

// FilterQueue returns the items that match f, in their order.
func FilterQueue(items []QueueItem, f QueueFilter, now time.Time) []QueueItem {
	var out []QueueItem
	for _, it := range items {
		switch {
		case f.Kind == "new" && it.Solution.Published != nil,
			f.Kind == "change" && it.Solution.Published == nil,
			f.MinDays > 0 && WaitingDays(it.Version.Submitted, now) < f.MinDays,
			f.Field != "" && !hasField(it.Version.Entry.Fields, f.Field):
			continue
		}
		out = append(out, it)
	}
	return out
}

// hasField reports whether fields contain key or, for a top-level key, one
// of its children.
func hasField(fields []string, key string) bool {
	for _, f := range fields {
		if f == key || strings.HasPrefix(f, key+".") {
			return true
		}
	}
	return false
}
