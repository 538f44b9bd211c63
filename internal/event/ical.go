package event

import (
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// uidDomain makes event UIDs globally unique; the event's id keeps them
// stable across changes, so calendars update the entry instead of adding
// one.
const uidDomain = "@smartregions"

// ICal writes events as an iCalendar (RFC 5545) document. Times are
// written in UTC (…Z), which every client converts correctly, also across
// daylight-saving changes. name names the calendar (a feed); link returns
// an event's page. The online address is not included: it is for
// confirmed attendees only.
func ICal(w io.Writer, events []Event, name string, link func(Event) string, now time.Time) error {
	cal := ics.NewCalendarFor("smartregions")
	cal.SetMethod(ics.MethodPublish)
	if name != "" {
		cal.SetName(name)
		cal.SetXWRCalName(name)
	}
	cal.SetXWRTimezone("Europe/Berlin")
	for _, e := range events {
		ve := cal.AddEvent(e.ID + uidDomain)
		ve.SetDtStampTime(now.UTC())
		ve.SetCreatedTime(e.Created.UTC())
		ve.SetModifiedAt(e.Updated.UTC())
		ve.SetSequence(e.Lock)
		ve.SetStartAt(e.Start.UTC())
		ve.SetEndAt(e.End.UTC())
		ve.SetSummary(e.Title)
		desc := e.Summary
		if l := link(e); l != "" {
			ve.SetURL(l)
			desc = strings.TrimSpace(desc + "\n\n" + l)
		}
		if desc != "" {
			ve.SetDescription(desc)
		}
		switch {
		case e.OnSite():
			ve.SetLocation(strings.ReplaceAll(e.Address, "\n", ", "))
		case e.IsOnline():
			ve.SetLocation("Online")
		}
		if e.State == Cancelled {
			ve.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ve.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return cal.SerializeTo(w, ics.WithNewLine("\r\n")) // RFC 5545 lines end in CRLF
}
