package practice

import (
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

func validInput() Input {
	from, to := int64(1000), int64(5000)
	return Input{Content: Content{Title: "Digitale Parkraumbewirtschaftung", Goal: "Weniger Suchverkehr.", Fields: []string{"mobility"},
		CostFrom: &from, CostTo: &to, Start: "2025-01", End: "2025-12",
		Results: []Indicator{{Name: "Suchzeit", Before: ptr(14.0), After: ptr(3.0), Unit: "min"}},
		Contact: Contact{Name: "Erika Muster", Email: "erika@stadt.example", Consent: true}}}
}

func ptr[T any](v T) *T { return &v }

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(in *Input)
		field string // "" when valid
	}{
		{"OK", func(in *Input) {}, ""},
		{"title missing", func(in *Input) { in.Title = "  " }, "title"},
		{"title too long", func(in *Input) { in.Title = strings.Repeat("x", MaxTitle+1) }, "title"},
		{"goal missing", func(in *Input) { in.Goal = "" }, "goal"},
		{"no field of action", func(in *Input) { in.Fields = []string{" , "} }, "fields"},
		{"cost order", func(in *Input) { in.CostFrom, in.CostTo = ptr(int64(5000)), ptr(int64(100)) }, "cost_to"},
		{"cost equal", func(in *Input) { in.CostFrom, in.CostTo = ptr(int64(5000)), ptr(int64(5000)) }, ""},
		{"cost negative", func(in *Input) { in.CostFrom = ptr(int64(-1)) }, "cost_from"},
		{"cost band alone", func(in *Input) { in.CostFrom, in.CostTo, in.CostBand = nil, nil, "10k-50k" }, ""},
		{"cost band and amounts", func(in *Input) { in.CostBand = "10k-50k" }, "cost_band"},
		{"unknown cost band", func(in *Input) { in.CostFrom, in.CostTo, in.CostBand = nil, nil, "cheap" }, "cost_band"},
		{"start missing", func(in *Input) { in.Start = "" }, "start"},
		{"start malformed", func(in *Input) { in.Start = "2025-13" }, "start"},
		{"end malformed", func(in *Input) { in.End = "12/2025" }, "end"},
		{"end before start", func(in *Input) { in.Start, in.End = "2025-06", "2025-05" }, "end"},
		{"same month", func(in *Input) { in.Start, in.End = "2025-06", "2025-06" }, ""},
		{"running", func(in *Input) { in.End = "" }, ""},
		{"team size", func(in *Input) { in.TeamSize = -1 }, "team_size"},
		{"indicator without name", func(in *Input) { in.Results[0].Name = "" }, "results"},
		{"indicator without value", func(in *Input) { in.Results[0].Before, in.Results[0].After = nil, nil }, "results"},
		{"indicator with note only", func(in *Input) { in.Results[0].Before, in.Results[0].After, in.Results[0].Note = nil, nil, "besser" }, ""},
		{"empty indicator row", func(in *Input) { in.Results = append(in.Results, Indicator{Name: " "}) }, ""},
		{"too many indicators", func(in *Input) { in.Results = slices.Repeat(in.Results, MaxIndicators+1) }, "results"},
		{"contact e-mail", func(in *Input) { in.Contact.Email = "keine" }, "contact_email"},
		{"consent without e-mail", func(in *Input) { in.Contact.Email = "" }, "consent"},
		{"no consent, no contact", func(in *Input) { in.Contact = Contact{} }, ""},
		{"unreadable", func(in *Input) { in.Unreadable = []string{"cost_from"} }, "cost_from"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := validInput()
			c.edit(&in)
			in = in.clean()
			var v apperr.Validation
			in.validate(&v)
			err := v.Err()
			if c.field == "" {
				if err != nil {
					t.Fatalf("valid input refused: %v", err)
				}
				return
			}
			e, ok := err.(*apperr.Error)
			if !ok || !slices.ContainsFunc(e.Fields, func(f apperr.FieldError) bool { return f.Field == c.field }) {
				t.Fatalf("want a message on %s, got %v", c.field, err)
			}
		})
	}
}

func TestPublicHidesContactWithoutConsent(t *testing.T) {
	c := validInput().Content
	if c.Public().Contact.Email == "" {
		t.Error("consented contact hidden")
	}
	c.Contact.Consent = false
	if p := c.Public(); !p.Contact.Empty() {
		t.Errorf("contact shown without consent: %+v", p.Contact)
	}
}

func TestCan(t *testing.T) {
	u := func(id string, roles ...account.Role) *account.User {
		return &account.User{ID: id, Roles: roles}
	}
	body := func(orgID string, verified bool) org.Membership {
		return org.Membership{OrgID: orgID, OrgKind: org.Municipality, Verified: verified}
	}
	writer := Actor{User: u("w"), Orgs: []org.Membership{body("ulm", true)}}
	unverified := Actor{User: u("n"), Orgs: []org.Membership{body("ulm", false)}}
	other := Actor{User: u("o"), Orgs: []org.Membership{body("muc", true)}}
	curator := Actor{User: u("c", account.Curator)}
	authorCurator := Actor{User: u("w2", account.Curator), Orgs: []org.Membership{body("ulm", true)}}
	draft := Example{Org: OrgRef{ID: "ulm"}, State: Draft, Authors: []string{"w"}}
	submitted := Example{Org: OrgRef{ID: "ulm"}, State: Submitted, Authors: []string{"w", "w2"}}
	published := Example{Org: OrgRef{ID: "ulm"}, State: Published, Published: &Content{}}
	for _, c := range []struct {
		name string
		a    Actor
		act  Action
		e    Example
		want bool
	}{
		{"visitor reads published", Actor{}, ActRead, published, true},
		{"visitor reads draft", Actor{}, ActRead, draft, false},
		{"other municipality reads draft", other, ActRead, draft, false},
		{"unverified member sees draft", unverified, ActWork, draft, true},
		{"unverified member edits", unverified, ActEdit, draft, false},
		{"member edits", writer, ActEdit, draft, true},
		{"other municipality edits published", other, ActEdit, published, false},
		{"curator works", curator, ActWork, draft, true},
		{"curator edits", curator, ActEdit, draft, false},
		{"curator reviews", curator, ActReview, submitted, true},
		{"curator reviews a draft", curator, ActReview, draft, false},
		{"author curator reviews own", authorCurator, ActReview, submitted, false},
		{"member reviews", writer, ActReview, submitted, false},
		{"member archives", writer, ActArchive, published, true},
		{"curator archives", curator, ActArchive, published, true},
		{"other municipality archives", other, ActArchive, published, false},
		{"archive archived", writer, ActArchive, Example{Org: OrgRef{ID: "ulm"}, State: Archived}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Can(c.a, c.act, c.e); got != c.want {
				t.Errorf("Can = %v, want %v", got, c.want)
			}
		})
	}
}

func TestCanMove(t *testing.T) {
	for _, c := range []struct {
		from, to State
		want     bool
	}{
		{Draft, Submitted, true}, {Submitted, Published, true}, {Submitted, ChangesRequested, true}, {Published, Draft, true},
		{Draft, Published, false}, {Archived, Published, false}, {ChangesRequested, Published, false},
	} {
		if got := CanMove(c.from, c.to); got != c.want {
			t.Errorf("%s → %s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

// FuzzValidate feeds what users type into the checks: they never panic,
// and a month that passes is a real month.
func FuzzValidate(f *testing.F) {
	f.Add("Titel", "Ziel", "2025-01", "2025-12", "mobility,energy", "Kennzahl", "a@b.de")
	f.Add("", "\r\n", "2025-13", "1999-00", ", ,", "", "kein")
	f.Fuzz(func(t *testing.T, title, goal, start, end, fields, indicator, email string) {
		in := Input{Content: Content{Title: title, Goal: goal, Start: start, End: end, Fields: []string{fields},
			Results: []Indicator{{Name: indicator, Note: indicator}}, Contact: Contact{Email: email, Consent: true}}}
		in = in.clean()
		var v apperr.Validation
		in.validate(&v)
		if v.Err() == nil {
			if !monthRE.MatchString(in.Start) || in.End != "" && in.End < in.Start {
				t.Fatalf("accepted timeline %q–%q", in.Start, in.End)
			}
		}
	})
}
