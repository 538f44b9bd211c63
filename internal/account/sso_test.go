package account_test

import (
	"context"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestLoginExternal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, box := newService(t, db)
		m := account.Meta{IP: "192.0.2.9"}
		op, err := svc.CreateOperator(ctx, "eva@land.example", goodPassword, "Eva")
		if err != nil {
			t.Fatal(err)
		}
		// Not verified by the provider: no link to the existing account.
		_, _, err = svc.LoginExternal(ctx, account.External{Provider: "idp", Subject: "s-1", Email: "eva@land.example"}, m)
		if code(err) != "conflict:sso.error.email_unverified_taken" {
			t.Fatalf("unverified address of an existing account: %v", err)
		}
		// Verified: linked, and from then on found by the link.
		tok, u, err := svc.LoginExternal(ctx, account.External{Provider: "idp", Subject: "s-1", Email: "EVA@land.example", EmailVerified: true}, m)
		if err != nil || u.ID != op.ID || tok == "" {
			t.Fatalf("link by verified address: %+v %v", u, err)
		}
		_, u, err = svc.LoginExternal(ctx, account.External{Provider: "idp", Subject: "s-1", Email: "changed@land.example"}, m)
		if err != nil || u.ID != op.ID {
			t.Fatalf("login by link: %+v %v", u, err)
		}
		// New person, verified: a confirmed account without password.
		_, u, err = svc.LoginExternal(ctx, account.External{Provider: "idp", Subject: "s-2", Email: "neu@kreis.example", Name: "Neu", EmailVerified: true}, m)
		if err != nil || !u.Confirmed() || u.HasPassword || u.Name != "Neu" {
			t.Fatalf("new verified: %+v %v", u, err)
		}
		// New person, not verified: account with a confirmation mail.
		n := box.count()
		_, u, err = svc.LoginExternal(ctx, account.External{Provider: "idp", Subject: "s-3", Email: "offen@kreis.example"}, m)
		if err != nil || u.Confirmed() || box.count() != n+1 {
			t.Fatalf("new unverified: %+v %v", u, err)
		}
		// A password login is impossible for an account without password.
		if _, _, err := svc.Login(ctx, "neu@kreis.example", goodPassword, m); code(err) != "unauthenticated:account.error.login_failed" {
			t.Fatalf("password login without password: %v", err)
		}
		if _, _, err := svc.LoginExternal(ctx, account.External{Provider: "idp", Subject: "s-4", Email: "kaputt"}, m); code(err) != "forbidden:sso.error.email_invalid" {
			t.Fatalf("bad address: %v", err)
		}
	})
}
