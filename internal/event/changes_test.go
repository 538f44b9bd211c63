package event_test

import (
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/event"
)

func TestChangeOf(t *testing.T) {
	start := time.Date(2026, 5, 12, 8, 0, 0, 0, time.UTC)
	base := event.Event{Title: "Schulung", Format: event.Hybrid, Address: "Rathaus", OnlineURL: "https://meet.example/a",
		Start: start, End: start.Add(2 * time.Hour), Materials: []event.Link{{Label: "Folien", URL: "https://example.org/f.pdf"}}}
	for _, tc := range []struct {
		name   string
		change func(e *event.Event)
		want   event.Notice
	}{
		{"Nothing", func(*event.Event) {}, ""},
		{"TitleAndText", func(e *event.Event) { e.Title, e.Description, e.Capacity = "Neu", "Mehr", 99 }, ""},
		{"Start", func(e *event.Event) { e.Start = e.Start.Add(time.Hour) }, event.NoticeChanged},
		{"End", func(e *event.Event) { e.End = e.End.Add(time.Hour) }, event.NoticeChanged},
		{"SameInstantOtherZone", func(e *event.Event) { e.Start = e.Start.In(event.Berlin) }, ""},
		{"Format", func(e *event.Event) { e.Format = event.Online }, event.NoticeChanged},
		{"Address", func(e *event.Event) { e.Address = "Bürgerhaus" }, event.NoticeChanged},
		{"OnlineURL", func(e *event.Event) { e.OnlineURL = "https://meet.example/b" }, event.NoticeChanged},
		{"MaterialAdded", func(e *event.Event) {
			e.Materials = append(e.Materials, event.Link{Label: "Aufzeichnung", URL: "https://example.org/v"})
		}, event.NoticeMaterials},
		{"MaterialRelabelled", func(e *event.Event) { e.Materials = []event.Link{{Label: "Slides", URL: "https://example.org/f.pdf"}} }, ""},
		{"MaterialRemoved", func(e *event.Event) { e.Materials = nil }, ""},
		{"TimeOutweighsMaterials", func(e *event.Event) {
			e.Start = e.Start.Add(time.Hour)
			e.Materials = append(e.Materials, event.Link{Label: "Neu", URL: "https://example.org/n"})
		}, event.NoticeChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := base
			after.Materials = append([]event.Link(nil), base.Materials...)
			tc.change(&after)
			if got := event.ChangeOf(base, after); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
