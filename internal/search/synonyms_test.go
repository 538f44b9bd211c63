package search

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/apperr"
)

func TestCheckGroup(t *testing.T) {
	others := []SynonymGroup{
		{ID: 1, Members: []string{"Parkraummanagement", "Parken"}},
		{ID: 2, Members: []string{"Bürgerbeteiligung", "Partizipation"}},
	}
	long := strings.Repeat("ä", MaxMemberLen)
	many := make([]string, MaxGroupMembers+1)
	for i := range many {
		many[i] = "wort" + strings.Repeat("x", i)
	}
	tests := []struct {
		name    string
		members []string
		self    int64
		want    []string // the normalised members when valid
		keys    []string // the messages when invalid
	}{
		{"OK", []string{"Ratsinformationssystem", "OParl"}, 0, []string{"Ratsinformationssystem", "OParl"}, nil},
		{"Normalised", []string{"  Offene   Daten ", "", "Open Data", "\t"}, 0, []string{"Offene Daten", "Open Data"}, nil},
		{"LongestMember", []string{long, "Kurz"}, 0, []string{long, "Kurz"}, nil},
		{"MostMembers", many[:MaxGroupMembers], 0, many[:MaxGroupMembers], nil},
		{"OneMember", []string{"Parkhaus"}, 0, nil, []string{"synonyms.error.count"}},
		{"NoMembers", nil, 0, nil, []string{"synonyms.error.count"}},
		{"TooManyMembers", many, 0, nil, []string{"synonyms.error.count"}},
		{"TooShort", []string{"A", "Abc"}, 0, nil, []string{"synonyms.error.length"}},
		{"TooLong", []string{long + "x", "Abc"}, 0, nil, []string{"synonyms.error.length"}},
		{"NoTerms", []string{"--", "Abc"}, 0, nil, []string{"synonyms.error.no_terms"}},
		{"Duplicate", []string{"Mängelmelder", "maengelmelder", "Mangelmelder"}, 0, nil, []string{"synonyms.error.duplicate"}},
		{"DuplicateFolded", []string{"Bürger-Service", "burger service"}, 0, nil, []string{"synonyms.error.duplicate"}},
		{"TakenByOther", []string{"parken", "Abstellen"}, 0, nil, []string{"synonyms.error.taken"}},
		{"OwnMembersAreFine", []string{"Parken", "Parkplatz"}, 1, []string{"Parken", "Parkplatz"}, nil},
		{"SeveralMessages", []string{"X", "Partizipation"}, 1, nil, []string{"synonyms.error.length", "synonyms.error.taken"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CheckGroup(tc.members, others, tc.self)
			if tc.keys == nil {
				if err != nil || !slices.Equal(got, tc.want) {
					t.Fatalf("got %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.Invalid {
				t.Fatalf("got %q, %v; want invalid", got, err)
			}
			var keys []string
			for _, f := range e.Fields {
				if f.Field != "members" {
					t.Errorf("message for field %q", f.Field)
				}
				keys = append(keys, f.Key)
			}
			slices.Sort(keys)
			want := slices.Sorted(slices.Values(tc.keys))
			if !slices.Equal(slices.Compact(keys), want) {
				t.Errorf("messages %v, want %v", keys, want)
			}
		})
	}
	// A member of another group names that group.
	_, err := CheckGroup([]string{"Partizipation", "Mitwirkung"}, others, 0)
	var e *apperr.Error
	if !errors.As(err, &e) || !slices.Contains(e.Fields[0].Args, any(int64(2))) || !slices.Contains(e.Fields[0].Args, any("Bürgerbeteiligung, Partizipation")) {
		t.Errorf("taken does not name the group: %+v", err)
	}
}

// TestShippedSynonymsValid: the shipped groups pass the curators' checks
// one by one, so a curator can save any of them unchanged.
func TestShippedSynonymsValid(t *testing.T) {
	groups := DefaultSynonyms()
	if len(groups) == 0 || len(groups) > MaxSynonymGroups {
		t.Fatalf("%d shipped groups", len(groups))
	}
	for i, g := range groups {
		if _, err := CheckGroup(g, nil, 0); err != nil {
			t.Errorf("group %d %q: %v", i+1, g, err)
		}
	}
}

func TestReaches(t *testing.T) {
	groups := []SynonymGroup{
		{ID: 1, Members: []string{"Parkraummanagement", "Parken", "Parkplatz"}},
		{ID: 2, Members: []string{"Offene Daten", "Open Data", "Datenportal"}},
		{ID: 3, Members: []string{"Parken", "Abstellen"}},
	}
	tests := []struct {
		text   string
		words  []string
		groups [][]int64
		adds   [][]string
	}{
		{"parken", []string{"parken"}, [][]int64{{1, 3}}, [][]string{{"Parkraummanagement", "Parkplatz", "Abstellen"}}},
		{"Parkplätze Datenportal", []string{"parkplatze", "datenportal"}, [][]int64{{1}, {2}}, [][]string{{"Parkraummanagement", "Parken"}, {"Offene Daten", "Open Data"}}},
		// A word of a phrase member reaches nothing: the search expands
		// single words only.
		{"offene", []string{"offene"}, [][]int64{nil}, [][]string{nil}},
		{"Fahrrad", []string{"fahrrad"}, [][]int64{nil}, [][]string{nil}},
		{"", nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := Reaches(groups, tc.text)
			if len(got) != len(tc.words) {
				t.Fatalf("%d words, want %d: %+v", len(got), len(tc.words), got)
			}
			for i, r := range got {
				var ids []int64
				for _, g := range r.Groups {
					ids = append(ids, g.ID)
				}
				if r.Word != tc.words[i] || !slices.Equal(ids, tc.groups[i]) || !slices.Equal(r.Adds, tc.adds[i]) {
					t.Errorf("word %d: %+v (groups %v)", i, r, ids)
				}
			}
		})
	}
}

func TestParseGroupID(t *testing.T) {
	for _, s := range []string{"1", "42", "9223372036854775807"} {
		if _, err := ParseGroupID(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "0", "-1", "01", "x", "1.0", "+1", "unbekannt", "9223372036854775808"} {
		if _, err := ParseGroupID(s); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("%q: %v, want not found", s, err)
		}
	}
}
