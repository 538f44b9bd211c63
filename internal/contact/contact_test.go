package contact_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/contact"
)

func fieldsOf(err error) []string {
	var e *apperr.Error
	if err == nil {
		return nil
	}
	e = err.(*apperr.Error)
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Key)
	}
	return out
}

func TestValidate(t *testing.T) {
	ok := func() contact.Input {
		return contact.Input{Name: " Anna Amsel ", RoleTitle: "Beraterin", Phone: "+49 (89) 123-45", Email: "anna@kompetenz.example",
			Availability: "Mo–Do 9–15 Uhr", States: []string{"09", " 09", ""}, Districts: []string{"09162"}}
	}
	for _, tc := range []struct {
		name   string
		change func(*contact.Input)
		want   []string
	}{
		{"OK", func(*contact.Input) {}, nil},
		{"Required", func(in *contact.Input) { in.Name, in.RoleTitle, in.States, in.Districts = " ", "", nil, nil },
			[]string{"name:contacts.error.required", "role_title:contacts.error.required", "states:contacts.error.states"}},
		{"TooLong", func(in *contact.Input) { in.Availability = strings.Repeat("ä", contact.MaxAvailability+1) },
			[]string{"availability:contacts.error.too_long"}},
		{"Phone", func(in *contact.Input) { in.Phone = "call me" }, []string{"phone:contacts.error.phone"}},
		{"Email", func(in *contact.Input) { in.Email = "Anna <anna@x.example>" }, []string{"email:contacts.error.email"}},
		{"EmailNoDomain", func(in *contact.Input) { in.Email = "anna@localhost" }, []string{"email:contacts.error.email"}},
		{"StateKey", func(in *contact.Input) { in.States = []string{"17"} }, []string{"states:contacts.error.state_key", "districts:contacts.error.district_state"}},
		{"DistrictKey", func(in *contact.Input) { in.Districts = []string{"0916"} }, []string{"districts:contacts.error.district_key"}},
		{"DistrictOutsideStates", func(in *contact.Input) { in.Districts = []string{"14612"} }, []string{"districts:contacts.error.district_state"}},
		{"OptionalEmpty", func(in *contact.Input) { in.Phone, in.Email, in.Availability, in.Districts = "", "", "", nil }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok()
			tc.change(&in)
			got := fieldsOf(in.Validate())
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	in := ok()
	if err := in.Validate(); err != nil || in.Name != "Anna Amsel" || !slices.Equal(in.States, []string{"09"}) {
		t.Fatalf("tidied: %+v %v", in, err)
	}
}

func TestStatesCovered(t *testing.T) {
	c := contact.Contact{States: []string{"09", "14"}, Districts: []string{"09162"}}
	if got := c.StatesCovered(); !slices.Equal(got, []string{"14"}) {
		t.Fatalf("got %v", got)
	}
}

func TestSplitKeys(t *testing.T) {
	if got := contact.SplitKeys(" 09162, 09184;14612\n"); !slices.Equal(got, []string{"09162", "09184", "14612"}) {
		t.Fatalf("got %v", got)
	}
}

func TestCan(t *testing.T) {
	op := &account.User{ID: "op", Roles: []account.Role{account.Operator}}
	anna := &account.User{ID: "anna", Roles: []account.Role{account.Advisor}}
	exAdvisor := &account.User{ID: "anna"}
	other := &account.User{ID: "bert", Roles: []account.Role{account.Advisor, account.Curator}}
	own := &contact.Contact{UserID: "anna"}
	for _, tc := range []struct {
		name string
		u    *account.User
		a    contact.Action
		c    *contact.Contact
		want bool
	}{
		{"anonymous", nil, contact.ActEdit, own, false},
		{"operator manages", op, contact.ActManage, nil, true},
		{"operator edits", op, contact.ActEdit, own, true},
		{"advisor edits own", anna, contact.ActEdit, own, true},
		{"advisor manages own", anna, contact.ActManage, own, false},
		{"advisor without the role", exAdvisor, contact.ActEdit, own, false},
		{"other advisor", other, contact.ActEdit, own, false},
		{"advisor creates", anna, contact.ActManage, nil, false},
	} {
		if got := contact.Can(tc.u, tc.a, tc.c); got != tc.want {
			t.Errorf("%s: got %v", tc.name, got)
		}
	}
}
