package event_test

import (
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/event"
)

// FuzzParseLocal: any form input gives an instant or a message key, never
// a panic; an accepted instant shows again as a wall-clock time in Berlin
// that parses to the same instant.
func FuzzParseLocal(f *testing.F) {
	for _, s := range [][2]string{{"2026-03-29", "02:30"}, {"2026-10-25", "02:30"}, {"29.3.2026", "2.30"}, {"", ""}, {"2026-02-30", "25:61"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, date, clock string) {
		got, key := event.ParseLocal(date, clock)
		if key != "" {
			if !got.IsZero() {
				t.Errorf("refused with %s but returned %v", key, got)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Errorf("%v is not UTC", got)
		}
		again, key := event.ParseLocal(event.LocalDate(got), event.LocalClock(got))
		if key != "" || !again.Equal(got) {
			t.Errorf("%q %q → %v → %s %s → %v (%s)", date, clock, got, event.LocalDate(got), event.LocalClock(got), again, key)
		}
	})
}

// FuzzParseCursor: any cursor parameter is refused or read, never a
// panic; a read cursor encodes to one that reads the same.
func FuzzParseCursor(f *testing.F) {
	f.Add(event.Cursor{Start: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), ID: "0195f2a4-7c1e-7d3a-9b51-6c2f0e8a4b11"}.String())
	f.Add("x")
	f.Add("bm90LWpzb24")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := event.ParseCursor(s)
		if !ok {
			return
		}
		again, ok := event.ParseCursor(c.String())
		if !ok || !again.Start.Equal(c.Start) || again.ID != c.ID {
			t.Errorf("%q → %+v → %q → %+v %v", s, c, c.String(), again, ok)
		}
	})
}
