package org

import (
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
)

func TestCan(t *testing.T) {
	now := time.Now()
	verified, unverified := Organisation{VerifiedAt: &now}, Organisation{}
	user := &account.User{ID: "u", EmailConfirmed: &now}
	unconfirmed := &account.User{ID: "n"}
	curator := &account.User{ID: "c", EmailConfirmed: &now, Roles: []account.Role{account.Curator}}
	operator := &account.User{ID: "o", EmailConfirmed: &now, Roles: []account.Role{account.Operator}}
	member, admin := &Membership{Role: Member}, &Membership{Role: Admin}

	type who struct {
		name string
		u    *account.User
		m    *Membership
	}
	visitor, outsider, asMember, asAdmin := who{"visitor", nil, nil}, who{"outsider", user, nil}, who{"member", user, member}, who{"admin", user, admin}
	asCurator, asOperator, asUnconfirmed := who{"curator", curator, nil}, who{"operator", operator, nil}, who{"unconfirmed", unconfirmed, nil}
	all := []who{visitor, outsider, asMember, asAdmin, asCurator, asOperator, asUnconfirmed}

	for _, tc := range []struct {
		name    string
		act     Action
		o       Organisation
		allowed []who
	}{
		{"ViewVerified", ActView, verified, all},
		{"ViewUnverified", ActView, unverified, []who{outsider, asMember, asAdmin, asCurator, asOperator, asUnconfirmed}},
		{"ViewMembers", ActViewMembers, verified, []who{asMember, asAdmin, asCurator, asOperator}},
		{"Edit", ActEdit, verified, []who{asAdmin, asOperator}},
		{"ManageMembers", ActManageMembers, unverified, []who{asAdmin, asOperator}},
		{"Leave", ActLeave, verified, []who{asMember, asAdmin}},
		{"Request", ActRequest, verified, []who{outsider, asMember, asAdmin, asCurator, asOperator}},
		{"Review", ActReview, unverified, []who{asCurator, asOperator}},
	} {
		for _, w := range all {
			want := false
			for _, a := range tc.allowed {
				want = want || a.name == w.name
			}
			if got := Can(w.u, tc.act, tc.o, w.m); got != want {
				t.Errorf("%s as %s: %v, want %v", tc.name, w.name, got, want)
			}
		}
	}
}

func TestSlugAndDomains(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"München, Landeshauptstadt", "muenchen-landeshauptstadt"},
		{"Weißenburg i.Bay., GKSt", "weissenburg-i-bay-gkst"},
		{"  ", "organisation"},
		{"Ελλάδα", "organisation"},
	} {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"Stadt.DE", "stadt.de"}, {"@www.kreis-xy.de", "kreis-xy.de"}, {"localhost", ""}, {"a..de", ""}, {"-x.de", ""},
	} {
		if got := NormalizeDomain(tc.in); got != tc.want {
			t.Errorf("NormalizeDomain(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if !AtDomain("a@rathaus.stadt.de", "stadt.de") || AtDomain("a@evilstadt.de", "stadt.de") {
		t.Error("AtDomain")
	}
}
