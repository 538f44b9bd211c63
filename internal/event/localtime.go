package event

import (
	"strings"
	"time"
)

// Berlin is the time zone in which events are entered and shown; the
// database stores UTC.
var Berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("event: " + err.Error()) // cannot happen: time/tzdata is embedded
	}
	return loc
}

// Message keys of ParseLocal's errors.
const (
	errDate    = "event.error.date"
	errTime    = "event.error.time"
	errTimeGap = "event.error.time_gap"
)

// ParseLocal reads a wall-clock date (2026-03-29, as a date input sends
// it, or 29.03.2026) and time (14:30) in Europe/Berlin and returns the
// instant. It returns the message key of what is wrong, "" when nothing:
//
//   - A time that does not exist because the clocks go forward (last
//     Sunday of March, 02:00–02:59) is refused with event.error.time_gap:
//     guessing could put the event an hour off without anyone noticing.
//   - A time that exists twice because the clocks go back (last Sunday of
//     October, 02:00–02:59) is taken as the first of the two, in summer
//     time (CEST, UTC+2): it is when the hour is reached first, and an
//     event there is rare enough that a documented rule beats a question.
func ParseLocal(date, clock string) (time.Time, string) {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		if d, err = time.Parse("2.1.2006", date); err != nil {
			return time.Time{}, errDate
		}
	}
	c, err := time.Parse("15:04", clock)
	if err != nil {
		if c, err = time.Parse("15.04", clock); err != nil {
			return time.Time{}, errTime
		}
	}
	return atLocal(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute())
}

// atLocal returns the instant of the wall-clock time in Berlin; see
// ParseLocal for the rules at the changes of daylight-saving time.
func atLocal(y int, mo time.Month, d, h, mi int) (time.Time, string) {
	t := time.Date(y, mo, d, h, mi, 0, 0, Berlin)
	var found []time.Time
	for _, c := range []time.Time{t.Add(-time.Hour), t, t.Add(time.Hour)} {
		l := c.In(Berlin)
		if l.Year() == y && l.Month() == mo && l.Day() == d && l.Hour() == h && l.Minute() == mi {
			found = append(found, c)
		}
	}
	if len(found) == 0 {
		return time.Time{}, errTimeGap
	}
	first := found[0]
	for _, c := range found[1:] {
		if c.Before(first) {
			first = c
		}
	}
	return first.UTC(), ""
}

// LocalDate and LocalClock format an instant for the form's date and time
// inputs, in Berlin.
func LocalDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Berlin).Format("2006-01-02")
}

// LocalClock formats the time of day of t in Berlin: 14:30.
func LocalClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Berlin).Format("15:04")
}
