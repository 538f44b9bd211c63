package catalog

import (
	"testing"
	"time"
)

func TestFilterQueue(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ago := func(days int) *time.Time { t := now.Add(-time.Duration(days)*24*time.Hour - time.Hour); return &t }
	item := func(name string, published bool, days int, fields ...string) QueueItem {
		it := QueueItem{Solution: Solution{Slug: name}, Version: Version{Entry: Entry{Name: name, Fields: fields}, Submitted: ago(days)}}
		if published {
			it.Solution.Published = &Version{Number: 1}
		}
		return it
	}
	items := []QueueItem{
		item("a", false, 20, "mobility.parking"),
		item("b", true, 3, "participation"),
		item("c", false, 8, "participation.issue-reporting", "mobility"),
	}
	for _, tc := range []struct {
		f    QueueFilter
		want string
	}{
		{QueueFilter{}, "abc"},
		{QueueFilter{Kind: "new"}, "ac"},
		{QueueFilter{Kind: "change"}, "b"},
		{QueueFilter{MinDays: 7}, "ac"},
		{QueueFilter{MinDays: 14}, "a"},
		{QueueFilter{Field: "mobility"}, "ac"},
		{QueueFilter{Field: "participation"}, "bc"},
		{QueueFilter{Field: "participation.issue-reporting"}, "c"},
		{QueueFilter{Field: "mobil"}, ""},
		{QueueFilter{Kind: "new", Field: "participation", MinDays: 7}, "c"},
	} {
		got := ""
		for _, it := range FilterQueue(items, tc.f, now) {
			got += it.Solution.Slug
		}
		if got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.f, got, tc.want)
		}
	}
	if d := WaitingDays(ago(8), now); d != 8 {
		t.Errorf("WaitingDays = %d, want 8", d)
	}
	if d := WaitingDays(nil, now); d != 0 {
		t.Errorf("WaitingDays(nil) = %d", d)
	}
}
