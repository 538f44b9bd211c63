package fundcheck

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// MinCell is the smallest count the statistics show: smaller counts
// (other than zero) are hidden, so that no single check can be picked
// out of a cell.
const MinCell = 3

// Fact is one final check in one field of action (Field "" when the
// statistics read it without fields).
type Fact struct {
	CheckID   string
	Finalised time.Time
	Reusable  bool
	Programme string
	Field     string
}

// Cell is one row of a statistics table. A count below MinCell (other
// than zero) is hidden: Hidden is true and the count is 0.
type Cell struct {
	Key            string `json:"key"`
	Checks         int64  `json:"checks"`
	Reusable       int64  `json:"reusable"`
	ChecksHidden   bool   `json:"checks_hidden"`
	ReusableHidden bool   `json:"reusable_hidden"`
}

// Stats are the aggregate counts of final checks.
type Stats struct {
	Total      Cell   `json:"total"`
	Months     []Cell `json:"months"`     // key "2026-11"
	Quarters   []Cell `json:"quarters"`   // key "2026-Q4"
	Fields     []Cell `json:"fields"`     // key: field of action
	Programmes []Cell `json:"programmes"` // key: funding programme, "" for none
}

// berlin is the time zone of months and quarters.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return l
}()

// Aggregate counts facts per month, quarter, field of action and
// programme; counts below MinCell are hidden.
func Aggregate(facts []Fact) Stats {
	type counter struct{ checks, reusable map[string]map[string]bool }
	tables := map[string]*counter{}
	add := func(table, key, id string, reusable bool) {
		c := tables[table]
		if c == nil {
			c = &counter{checks: map[string]map[string]bool{}, reusable: map[string]map[string]bool{}}
			tables[table] = c
		}
		if c.checks[key] == nil {
			c.checks[key], c.reusable[key] = map[string]bool{}, map[string]bool{}
		}
		c.checks[key][id] = true
		if reusable {
			c.reusable[key][id] = true
		}
	}
	for _, f := range facts {
		t := f.Finalised.In(berlin)
		add("total", "", f.CheckID, f.Reusable)
		add("months", t.Format("2006-01"), f.CheckID, f.Reusable)
		add("quarters", strconv.Itoa(t.Year())+"-Q"+strconv.Itoa((int(t.Month())+2)/3), f.CheckID, f.Reusable)
		add("programmes", f.Programme, f.CheckID, f.Reusable)
		if f.Field != "" {
			add("fields", f.Field, f.CheckID, f.Reusable)
		}
	}
	cells := func(table string, newest bool) []Cell {
		out := []Cell{}
		c := tables[table]
		if c == nil {
			return out
		}
		for k, ids := range c.checks {
			out = append(out, hide(Cell{Key: k, Checks: int64(len(ids)), Reusable: int64(len(c.reusable[k]))}))
		}
		slices.SortFunc(out, func(a, b Cell) int {
			if newest {
				return cmp.Compare(b.Key, a.Key)
			}
			return cmp.Compare(a.Key, b.Key)
		})
		return out
	}
	st := Stats{Months: cells("months", true), Quarters: cells("quarters", true), Fields: cells("fields", false), Programmes: cells("programmes", false)}
	if t := cells("total", false); len(t) == 1 {
		st.Total = t[0]
	} else {
		st.Total = Cell{}
	}
	return st
}

// hide hides small counts of c.
func hide(c Cell) Cell {
	if c.Checks > 0 && c.Checks < MinCell {
		c.Checks, c.ChecksHidden = 0, true
	}
	if c.Reusable > 0 && c.Reusable < MinCell || c.ChecksHidden {
		c.Reusable, c.ReusableHidden = 0, true
	}
	return c
}

// Statistics returns the aggregate counts of all final checks. They are
// public: no title, author or organisation is part of them.
func (s *Service) Statistics(ctx context.Context) (Stats, error) {
	facts, err := s.store.FundCheckFacts(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("fundcheck: statistics: %w", err)
	}
	return Aggregate(facts), nil
}
