package fundcheck

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

func fieldsOf(err error) []string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestValidate(t *testing.T) {
	known := func(k string) bool { return k == "mobility" || k == "mobility.parking" }
	big := int64(MaxBudget + 1)
	for _, tc := range []struct {
		name   string
		in     Input
		fields []string
	}{
		{"OK", Input{Title: " Parken ", Description: "Digital", Fields: []string{"mobility", "mobility"}}, nil},
		{"Empty", Input{}, []string{"title", "description", "fields"}},
		{"UnknownField", Input{Title: "a", Description: "b", Fields: []string{"weltraum"}}, []string{"fields"}},
		{"TooMany", Input{Title: "a", Description: "b", Fields: []string{"a", "b", "c", "d", "e", "f"}}, []string{"fields"}},
		{"Delivery", Input{Title: "a", Description: "b", Fields: []string{"mobility"}, Delivery: "gratis"}, []string{"delivery"}},
		{"Budget", Input{Title: "a", Description: "b", Fields: []string{"mobility"}, Budget: &big}, []string{"budget"}},
		{"Unreadable", Input{Title: "a", Description: "b", Fields: []string{"mobility"}, Unreadable: []string{"budget"}}, []string{"budget"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			got := fieldsOf(in.Validate(known))
			for _, f := range tc.fields {
				if !slices.Contains(got, f) {
					t.Errorf("no error for %s in %v", f, got)
				}
			}
			if tc.fields == nil && got != nil {
				t.Errorf("errors %v", got)
			}
			if tc.name == "OK" && (in.Title != "Parken" || len(in.Fields) != 1 || in.Delivery != DeliveryOpen) {
				t.Errorf("not normalised: %+v", in)
			}
		})
	}
}

func TestApply(t *testing.T) {
	base := []Match{{Kind: KindSolution, Ref: "a"}, {Kind: KindNeed, Ref: "b"}}
	for _, tc := range []struct {
		name   string
		sts    []Statement
		final  bool
		fields []string
	}{
		{"DraftWithout", nil, false, nil},
		{"FinalWithout", nil, true, []string{"match-0", "match-1"}},
		{"FinalOK", []Statement{{Key: "solution:a", Verdict: VerdictReusable}, {Key: "need:b", Verdict: VerdictInsufficient, Statement: "zu klein"}}, true, nil},
		{"StatementMissing", []Statement{{Key: "solution:a", Verdict: VerdictReusable}, {Key: "need:b", Verdict: VerdictInsufficient, Statement: " "}}, true, []string{"match-1"}},
		{"BadVerdict", []Statement{{Key: "solution:a", Verdict: "vielleicht"}}, false, []string{"match-0"}},
		{"UnknownKey", []Statement{{Key: "solution:x", Verdict: VerdictReusable}}, false, []string{"statements"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := slices.Clone(base)
			got := fieldsOf(apply(ms, tc.sts, tc.final))
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}

func TestFreezeVerify(t *testing.T) {
	c := Check{ID: "x", Title: "Parken", Matches: []Match{{Kind: KindSolution, Ref: "a", Verdict: VerdictReusable}}}
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	snap, sum, err := Freeze(c, at)
	if err != nil || len(sum) != 64 {
		t.Fatal(sum, err)
	}
	c.State, c.Snapshot, c.SHA256 = Final, snap, sum
	if !c.Verify() {
		t.Error("fresh snapshot does not verify")
	}
	if snap2, sum2, _ := Freeze(Check{ID: "x", Title: "Parken", Matches: c.Matches}, at); snap2 != snap || sum2 != sum {
		t.Error("freezing is not deterministic")
	}
	c.Snapshot += " "
	if c.Verify() {
		t.Error("changed snapshot verifies")
	}
}

func TestAggregate(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	var facts []Fact
	add := func(id string, at time.Time, reusable bool, prog string, fields ...string) {
		for _, f := range fields {
			facts = append(facts, Fact{CheckID: id, Finalised: at, Reusable: reusable, Programme: prog, Field: f})
		}
	}
	add("1", day(1, 5), true, "MPSC", "mobility", "mobility.parking")
	add("2", day(1, 6), true, "MPSC", "mobility")
	add("3", day(2, 1), false, "MPSC", "mobility")
	add("4", day(4, 1), true, "", "energy")
	// Midnight on 31 March UTC is 1 April in Berlin: the second quarter.
	add("5", time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), false, "", "energy")
	st := Aggregate(facts)
	if st.Total != (Cell{Checks: 5, Reusable: 3}) {
		t.Errorf("total %+v", st.Total)
	}
	want := map[string]Cell{
		"2026-Q1": {Key: "2026-Q1", Checks: 3, Reusable: 0, ReusableHidden: true}, // 2 reusable: hidden
		"2026-Q2": {Key: "2026-Q2", Checks: 0, ChecksHidden: true, ReusableHidden: true},
	}
	for _, c := range st.Quarters {
		if w, ok := want[c.Key]; ok && c != w {
			t.Errorf("quarter %+v, want %+v", c, w)
		}
	}
	if len(st.Quarters) != 2 || st.Quarters[0].Key != "2026-Q2" {
		t.Errorf("quarters %+v", st.Quarters)
	}
	for _, c := range st.Fields {
		if c.Key == "mobility" && (c.Checks != 3 || c.Reusable != 0 || !c.ReusableHidden) {
			t.Errorf("field %+v", c)
		}
		if c.Key == "mobility.parking" && !c.ChecksHidden {
			t.Errorf("single check shown: %+v", c)
		}
	}
	for _, c := range st.Programmes {
		if c.Key == "MPSC" && c.Checks != 3 {
			t.Errorf("programme %+v", c)
		}
	}
	if empty := Aggregate(nil); empty.Total.Checks != 0 || empty.Months == nil {
		t.Errorf("empty %+v", empty)
	}
}

func TestMatchedWords(t *testing.T) {
	kws := keywords("Digitale Parkraumbewirtschaftung für Parkplätze, Sitzungen und das Ratsinformationssystem")
	got := matchedWords(kws, "Ratsinfo: Sitzungen vorbereiten. Parkplatz-Sensoren.")
	for _, w := range []string{"sitzungen", "parkplätze"} {
		if !slices.Contains(got, w) {
			t.Errorf("no %s in %v", w, got)
		}
	}
	if slices.Contains(got, "digitale") {
		t.Errorf("stop word matched: %v", got)
	}
}

func TestCanView(t *testing.T) {
	author := &account.User{ID: "a"}
	member := &account.User{ID: "m"}
	c := Check{AuthorID: "a", OrgID: "o1"}
	for _, tc := range []struct {
		name string
		a    Actor
		c    Check
		want bool
	}{
		{"Visitor", Actor{}, c, false},
		{"Author", Actor{User: author}, c, true},
		{"Member", Actor{User: member, Orgs: []org.Membership{{OrgID: "o1"}}}, c, true},
		{"OtherOrganisation", Actor{User: member, Orgs: []org.Membership{{OrgID: "o2"}}}, c, false},
		{"NoOrganisation", Actor{User: member, Orgs: []org.Membership{{OrgID: ""}}}, Check{AuthorID: "a"}, false},
		{"Operator", Actor{User: &account.User{ID: "op", Roles: []account.Role{account.Operator}}}, c, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanView(tc.a, tc.c); got != tc.want {
				t.Errorf("CanView = %v, want %v", got, tc.want)
			}
		})
	}
}
