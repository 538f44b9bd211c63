package event_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/event"
)

// fieldsOf returns the fields of a validation error with their keys.
func fieldsOf(err error) map[string]string {
	out := map[string]string{}
	var e *apperr.Error
	if err != nil {
		e, _ = err.(*apperr.Error)
	}
	if e == nil {
		return out
	}
	for _, f := range e.Fields {
		out[f.Field] = f.Key
	}
	return out
}

func validInput() event.Input {
	start := time.Date(2026, 5, 12, 8, 0, 0, 0, time.UTC)
	return event.Input{Title: "Einführung in Open Data", Kind: event.Training, Format: event.Onsite, Address: "Rathaus, Markt 1, 89073 Ulm",
		Start: start, End: start.Add(2 * time.Hour), Capacity: 20}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(in *event.Input)
		want   map[string]string // field → message key; empty: valid
	}{
		{"OK", func(in *event.Input) {}, nil},
		{"OK online", func(in *event.Input) {
			in.Format, in.Address, in.OnlineURL = event.Online, "", "https://meet.example/abc"
		}, nil},
		{"OK hybrid with deadline and materials", func(in *event.Input) {
			in.Format, in.OnlineURL, in.Deadline = event.Hybrid, "https://meet.example/abc", in.Start.Add(-time.Hour)
			in.Materials = []event.Link{{Label: "Folien", URL: "https://example.org/f.pdf"}}
		}, nil},
		{"title missing", func(in *event.Input) { in.Title = "  " }, map[string]string{"title": "form.error.required"}},
		{"title too long", func(in *event.Input) { in.Title = strings.Repeat("x", event.MaxTitle+1) }, map[string]string{"title": "form.error.too_long"}},
		{"summary too long", func(in *event.Input) { in.Summary = strings.Repeat("ü", event.MaxSummary+1) }, map[string]string{"summary": "form.error.too_long"}},
		{"unknown kind", func(in *event.Input) { in.Kind = "party" }, map[string]string{"kind": "event.error.kind"}},
		{"unknown format", func(in *event.Input) { in.Format = "radio" }, map[string]string{"format": "event.error.format"}},
		{"on site without address", func(in *event.Input) { in.Address = "" }, map[string]string{"address": "form.error.required"}},
		{"online without link", func(in *event.Input) { in.Format = event.Online }, map[string]string{"online_url": "form.error.required"}},
		{"http link", func(in *event.Input) { in.Format, in.OnlineURL = event.Online, "http://meet.example/abc" }, map[string]string{"online_url": "event.error.https"}},
		{"link without host", func(in *event.Input) { in.Format, in.OnlineURL = event.Online, "https:///abc" }, map[string]string{"online_url": "event.error.https"}},
		{"javascript link", func(in *event.Input) { in.Format, in.OnlineURL = event.Online, "javascript:alert(1)" }, map[string]string{"online_url": "event.error.https"}},
		{"no start", func(in *event.Input) { in.Start = time.Time{} }, map[string]string{"start": "form.error.required"}},
		{"end before start", func(in *event.Input) { in.End = in.Start.Add(-time.Minute) }, map[string]string{"end": "event.error.end_before_start"}},
		{"end at start", func(in *event.Input) { in.End = in.Start }, map[string]string{"end": "event.error.end_before_start"}},
		{"deadline after start", func(in *event.Input) { in.Deadline = in.Start.Add(time.Minute) }, map[string]string{"deadline": "event.error.deadline_after_start"}},
		{"capacity zero", func(in *event.Input) { in.Capacity = 0 }, map[string]string{"capacity": "event.error.capacity"}},
		{"capacity too large", func(in *event.Input) { in.Capacity = event.MaxCapacity + 1 }, map[string]string{"capacity": "event.error.capacity"}},
		{"capacity at bounds", func(in *event.Input) { in.Capacity = event.MaxCapacity }, nil},
		{"material without label", func(in *event.Input) { in.Materials = []event.Link{{URL: "https://example.org"}} }, map[string]string{"materials": "event.error.material_incomplete"}},
		{"material over http", func(in *event.Input) { in.Materials = []event.Link{{Label: "x", URL: "http://example.org"}} }, map[string]string{"materials": "event.error.https"}},
		{"too many fields", func(in *event.Input) { in.Fields = make([]string, event.MaxFields+1) }, map[string]string{"fields": "event.error.fields"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.change(&in)
			err := in.Validate()
			got := fieldsOf(err)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if in.Deadline.IsZero() || in.Deadline.After(in.Start) {
					t.Errorf("deadline %v not defaulted to the start %v", in.Deadline, in.Start)
				}
				return
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("want invalid, got %v", err)
			}
			for f, key := range tc.want {
				if _, ok := got[f]; !ok || key != "" && got[f] != key {
					t.Errorf("field %s: got %q, want %q (all: %v)", f, got[f], key, got)
				}
			}
		})
	}
}

func TestParseLocal(t *testing.T) {
	for _, tc := range []struct {
		name, date, clock string
		want              string // UTC, RFC 3339; "" when refused
		err               string
	}{
		{"winter", "2026-01-15", "10:00", "2026-01-15T09:00:00Z", ""},
		{"summer", "2026-07-15", "10:00", "2026-07-15T08:00:00Z", ""},
		{"German date", "15.7.2026", "10.30", "2026-07-15T08:30:00Z", ""},
		{"before the spring change", "2026-03-29", "01:59", "2026-03-29T00:59:00Z", ""},
		// The clocks jump from 02:00 to 03:00: 02:30 does not exist.
		{"spring gap", "2026-03-29", "02:30", "", "event.error.time_gap"},
		{"after the spring change", "2026-03-29", "03:00", "2026-03-29T01:00:00Z", ""},
		// 02:30 happens twice; the first (summer time, UTC+2) is taken.
		{"autumn overlap", "2026-10-25", "02:30", "2026-10-25T00:30:00Z", ""},
		{"after the autumn change", "2026-10-25", "03:00", "2026-10-25T02:00:00Z", ""},
		{"bad date", "2026-02-30", "10:00", "", "event.error.date"},
		{"no date", "", "10:00", "", "event.error.date"},
		{"bad time", "2026-02-03", "25:00", "", "event.error.time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, key := event.ParseLocal(tc.date, tc.clock)
			if key != tc.err {
				t.Fatalf("error %q, want %q", key, tc.err)
			}
			if tc.want != "" && got.Format(time.RFC3339) != tc.want {
				t.Errorf("got %s, want %s", got.Format(time.RFC3339), tc.want)
			}
			if tc.want != "" && (event.LocalDate(got) != strings.TrimSpace(normalDate(tc.date)) || event.LocalClock(got) != strings.ReplaceAll(tc.clock, ".", ":")) {
				t.Errorf("round trip: %s %s", event.LocalDate(got), event.LocalClock(got))
			}
		})
	}
}

// normalDate turns 15.7.2026 into 2026-07-15.
func normalDate(s string) string {
	if d, err := time.Parse("2.1.2006", s); err == nil {
		return d.Format("2006-01-02")
	}
	return s
}

// TestICalAcrossDST: an event at 10:00 Berlin time in winter and one in
// summer carry the right UTC times in the calendar file, which parses.
func TestICalAcrossDST(t *testing.T) {
	winter, _ := event.ParseLocal("2026-02-10", "10:00")
	summer, _ := event.ParseLocal("2026-06-10", "10:00")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	events := []event.Event{
		{ID: "w", Slug: "winter", Title: "Winter, mit Komma; und Semikolon", Format: event.Onsite, Address: "Rathaus\nMarkt 1",
			Start: winter, End: winter.Add(time.Hour), State: event.Published, Created: now, Updated: now},
		{ID: "s", Slug: "sommer", Title: "Sommer", Format: event.Online, OnlineURL: "https://secret.example/x",
			Start: summer, End: summer.Add(90 * time.Minute), State: event.Cancelled, Created: now, Updated: now, Lock: 3},
	}
	var buf bytes.Buffer
	if err := event.ICal(&buf, events, "Veranstaltungen", func(e event.Event) string { return "https://platform.test/veranstaltungen/" + e.Slug }, now); err != nil {
		t.Fatal(err)
	}
	body := buf.String()
	for _, want := range []string{"DTSTART:20260210T090000Z", "DTEND:20260210T100000Z", "DTSTART:20260610T080000Z", "DTEND:20260610T093000Z",
		"UID:w@smartregions", "STATUS:CANCELLED", "STATUS:CONFIRMED", "LOCATION:Rathaus\\, Markt 1", "URL:https://platform.test/veranstaltungen/sommer", "\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("calendar lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "secret.example") {
		t.Error("the online address is for confirmed attendees only")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events parsed", len(evs))
	}
	for i, ve := range evs {
		start, err := ve.GetStartAt()
		if err != nil || !start.Equal(events[i].Start) {
			t.Errorf("event %d starts %v (%v), want %v", i, start, err, events[i].Start)
		}
		if got := start.In(event.Berlin).Format("15:04"); got != "10:00" {
			t.Errorf("event %d at %s Berlin time, want 10:00", i, got)
		}
	}
}

func TestCan(t *testing.T) {
	curator := &account.User{ID: "c", Roles: []account.Role{account.Curator}}
	operator := &account.User{ID: "o", Roles: []account.Role{account.Operator}}
	advisor := &account.User{ID: "a", Roles: []account.Role{account.Advisor}}
	user := &account.User{ID: "u"}
	draft, pub, cancelled := &event.Event{State: event.Draft}, &event.Event{State: event.Published}, &event.Event{State: event.Cancelled}
	for _, tc := range []struct {
		name string
		u    *account.User
		act  event.Action
		e    *event.Event
		want bool
	}{
		{"visitor sees published", nil, event.ActView, pub, true},
		{"visitor sees cancelled", nil, event.ActView, cancelled, true},
		{"visitor does not see draft", nil, event.ActView, draft, false},
		{"user does not see draft", user, event.ActView, draft, false},
		{"curator sees draft", curator, event.ActView, draft, true},
		{"operator sees draft", operator, event.ActView, draft, true},
		{"curator edits", curator, event.ActEdit, nil, true},
		{"operator edits", operator, event.ActEdit, pub, true},
		{"advisor does not edit (yet)", advisor, event.ActEdit, pub, false},
		{"user does not edit", user, event.ActEdit, pub, false},
		{"visitor does not edit", nil, event.ActEdit, pub, false},
		{"user registers", user, event.ActRegister, pub, true},
		{"visitor does not register", nil, event.ActRegister, pub, false},
		{"no registration for drafts", curator, event.ActRegister, draft, false},
		{"no registration when cancelled", user, event.ActRegister, cancelled, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := event.Can(tc.u, tc.act, tc.e); got != tc.want {
				t.Errorf("Can = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWhen(t *testing.T) {
	start, _ := event.ParseLocal("2026-05-12", "10:00")
	e := event.Event{Start: start, End: start.Add(2 * time.Hour)}
	if got := event.When(e, "de"); got != "12.05.2026, 10:00–12:00 Uhr" {
		t.Errorf("de: %q", got)
	}
	if got := event.When(e, "en"); got != "12 May 2026, 10:00–12:00 (Berlin time)" {
		t.Errorf("en: %q", got)
	}
	e.End = start.Add(26 * time.Hour)
	if got := event.When(e, "de"); got != "12.05.2026, 10:00 Uhr bis 13.05.2026, 12:00 Uhr" {
		t.Errorf("de, two days: %q", got)
	}
}
