package need

import (
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

func validInput() Input {
	return Input{Title: "Digitale Parkraumbewirtschaftung", Problem: "Zu viel Suchverkehr.", Field: "mobilitaet",
		Reqs:       []Requirement{{Text: "SaaS", Kind: Must, Attribute: "delivery:saas"}, {Text: "Handy-Parken", Kind: Should, Weight: 5}},
		Visibility: Public}
}

func ptr[T any](v T) *T { return &v }

func TestValidate(t *testing.T) {
	day := func(d int) *time.Time { return ptr(time.Date(2027, 1, d, 0, 0, 0, 0, time.UTC)) }
	many := make([]Requirement, MaxRequirements+1)
	for i := range many {
		many[i] = Requirement{Text: "x", Kind: Must}
	}
	for _, c := range []struct {
		name  string
		edit  func(in *Input)
		field string // "" when valid
	}{
		{"OK", func(in *Input) {}, ""},
		{"title missing", func(in *Input) { in.Title = "  " }, "title"},
		{"problem missing", func(in *Input) { in.Problem = "" }, "problem"},
		{"field missing", func(in *Input) { in.Field = "" }, "field"},
		{"no requirements", func(in *Input) { in.Reqs = []Requirement{{Text: " "}} }, "requirements"},
		{"too many requirements", func(in *Input) { in.Reqs = many }, "requirements"},
		{"weight zero", func(in *Input) { in.Reqs[1].Weight = 0 }, "requirements"},
		{"weight eleven", func(in *Input) { in.Reqs[1].Weight = 11 }, "requirements"},
		{"unknown kind", func(in *Input) { in.Reqs[0].Kind = "may" }, "requirements"},
		{"unknown attribute", func(in *Input) { in.Reqs[0].Attribute = "delivery:fax" }, "requirements"},
		{"attribute alone", func(in *Input) { in.Reqs[0].Text = "" }, ""},
		{"budget order", func(in *Input) { in.BudgetMin, in.BudgetMax = ptr(int64(5000)), ptr(int64(100)) }, "budget_max"},
		{"budget negative", func(in *Input) { in.BudgetMin = ptr(int64(-1)) }, "budget_min"},
		{"budget equal", func(in *Input) { in.BudgetMin, in.BudgetMax = ptr(int64(5000)), ptr(int64(5000)) }, ""},
		{"dates order", func(in *Input) { in.Start, in.End = day(5), day(4) }, "end"},
		{"dates same day", func(in *Input) { in.Start, in.End = day(5), day(5) }, ""},
		{"hosting", func(in *Input) { in.Hosting = "us" }, "hosting"},
		{"delivery", func(in *Input) { in.Delivery = []string{"fax"} }, "delivery"},
		{"evidence", func(in *Input) { in.Evidence = []string{"tuev"} }, "evidence"},
		{"visibility", func(in *Input) { in.Visibility = "secret" }, "visibility"},
		{"inhabitants", func(in *Input) { in.Inhabitants = -3 }, "inhabitants"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := validInput()
			c.edit(&in)
			err := in.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			var ae *apperr.Error
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("want invalid %s, got %v", c.field, err)
			}
			ae = err.(*apperr.Error)
			for _, f := range ae.Fields {
				if f.Field == c.field {
					return
				}
			}
			t.Errorf("no message for %s in %+v", c.field, ae.Fields)
		})
	}
	in := validInput()
	in.Reqs = append(in.Reqs, Requirement{}, Requirement{Text: "Muss", Kind: Must, Weight: 7})
	if err := in.Validate(); err != nil || len(in.Reqs) != 3 || in.Reqs[2].Weight != 0 || in.Hosting != "any" {
		t.Errorf("normalised %+v %v", in.Reqs, err)
	}
}

func TestCan(t *testing.T) {
	user := func(id string, roles ...account.Role) *account.User { return &account.User{ID: id, Roles: roles} }
	ms := func(id string, k org.Kind) org.Membership {
		return org.Membership{OrgID: id, OrgSlug: id, OrgKind: k, Verified: true}
	}
	actors := map[string]Actor{
		"visitor":  {},
		"user":     {User: user("u")},
		"provider": {User: user("p"), Orgs: []org.Membership{ms("firma", org.Company)}},
		"other":    {User: user("o"), Orgs: []org.Membership{ms("nachbar", org.Municipality)}},
		"owner":    {User: user("w"), Orgs: []org.Membership{ms("stadt", org.Municipality)}},
		"curator":  {User: user("c", account.Curator)},
	}
	need := func(v Visibility, s State) Need { return Need{Org: OrgRef{ID: "stadt"}, Visibility: v, State: s} }
	for _, c := range []struct {
		n    Need
		act  Action
		want map[string]bool
	}{
		{need(Public, Open), ActView, map[string]bool{"visitor": true, "user": true, "provider": true, "other": true, "owner": true, "curator": true}},
		{need(Public, Closed), ActView, map[string]bool{"visitor": true, "user": true, "provider": true, "other": true, "owner": true, "curator": true}},
		{need(Providers, Open), ActView, map[string]bool{"provider": true, "owner": true, "curator": true}},
		{need(Private, Open), ActView, map[string]bool{"owner": true, "curator": true}},
		{need(Public, Draft), ActView, map[string]bool{"owner": true, "curator": true}},
		{need(Public, Open), ActEdit, map[string]bool{"owner": true}},
		{need(Public, Open), ActJoin, map[string]bool{"other": true}},
		{need(Public, Closed), ActJoin, map[string]bool{}},
		{need(Providers, Open), ActJoin, map[string]bool{}},
	} {
		for name, a := range actors {
			if got := Can(a, c.act, c.n); got != c.want[name] {
				t.Errorf("%s: act %d on %s/%s: %v, want %v", name, c.act, c.n.Visibility, c.n.State, got, !got)
			}
		}
	}
	// An unverified municipality writes no needs.
	unverified := Actor{User: user("x"), Orgs: []org.Membership{{OrgID: "stadt", OrgKind: org.Municipality}}}
	if Can(unverified, ActEdit, need(Public, Open)) || Can(unverified, ActJoin, Need{Org: OrgRef{ID: "anders"}, Visibility: Public, State: Open}) {
		t.Error("unverified organisation may write")
	}
}

func TestPooled(t *testing.T) {
	n := Need{Org: OrgRef{ID: "a", Population: 12000}, Joined: []Joiner{{Org: OrgRef{ID: "b", Population: 3000}}, {Org: OrgRef{ID: "c", Population: 500}}}}
	if n.Pooled() != 15500 || !n.HasJoined("b") || n.HasJoined("a") {
		t.Errorf("pooled %d", n.Pooled())
	}
}
