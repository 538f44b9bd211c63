package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/web"
)

// AuditView is the Data of the "audit" page.
type AuditView struct {
	Rows  []AuditRow
	Total int
	// Shown is false when the filter was invalid and no list was made.
	Shown             bool
	NextURL, FirstURL string
}

// AuditRow is one audit entry as the page shows it.
type AuditRow struct {
	account.AuditEntry
	Actor   string // the actor's label, translated for deleted accounts
	What    string // the action's translated label, or the action itself
	Details []AuditDetail
	// ActorURL and ObjectURL filter the log by the entry's actor or object.
	ActorURL, ObjectURL string
}

// AuditDetail is one of an entry's details.
type AuditDetail struct{ Key, Value string }

const auditPerPage = 50

// handleAuditLog shows the audit log to operators, newest first, with
// filters by actor, action, object and date.
func (s *Server) handleAuditLog(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, auditFilterParams...)
	f := auditFilter(p)
	f.Limit = auditPerPage
	var v AuditView
	err := p.Err()
	if err == nil {
		var res account.AuditPage
		if res, err = s.Accounts.AuditLog(r.Context(), f); err == nil {
			v.Total, v.Shown = res.Total, true
			for _, e := range res.Items {
				v.Rows = append(v.Rows, s.auditRow(r, e))
			}
			if c := res.Next; c != nil {
				v.NextURL = withCursor(r.URL, encodeOpaque(auditCursor{At: c.At, ID: c.ID}))
			}
			if f.Cursor != nil {
				v.FirstURL = withCursor(r.URL, "")
			}
		}
	}
	page := s.page(r, s.t(r, "audit.title"))
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "audit.title")}}
	page.Data = v
	return s.renderFilterPage(w, r, "audit", page, err)
}

func (s *Server) auditRow(r *http.Request, e account.AuditEntry) AuditRow {
	row := AuditRow{AuditEntry: e, Actor: e.ActorLabel, What: e.Action}
	if key := "audit.action." + e.Action; s.Bundle.Has(key) {
		row.What = s.t(r, key)
	}
	switch {
	case e.ActorLabel == account.DeletedLabel:
		row.Actor = s.t(r, "audit.actor.deleted")
	case e.ActorLabel == "":
		row.Actor = e.ActorID
	}
	if e.ActorID != "" {
		row.ActorURL = "/betrieb/protokoll?" + url.Values{"actor": {e.ActorID}}.Encode()
	}
	if e.ObjectID != "" {
		row.ObjectURL = "/betrieb/protokoll?" + url.Values{"object_type": {e.ObjectType}, "object_id": {e.ObjectID}}.Encode()
	}
	keys := make([]string, 0, len(e.Details))
	for k := range e.Details {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		row.Details = append(row.Details, AuditDetail{Key: k, Value: detailValue(e.Details[k])})
	}
	return row
}

// detailValue writes a detail's JSON value for people: strings as they
// are, lists joined by commas.
func detailValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = detailValue(x)
		}
		return strings.Join(parts, ", ")
	case nil:
		return "–"
	case float64, bool:
		return fmt.Sprint(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
