package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, _ := newService(t, db)
		m := account.Meta{IP: "192.0.2.5"}
		u, err := svc.CreateOperator(ctx, "api@example.org", goodPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []struct {
			name   string
			scopes []string
			days   int
		}{{"", []string{"read"}, 30}, {"x", nil, 30}, {"x", []string{"admin"}, 30}, {"x", []string{"read"}, 0}, {"x", []string{"read"}, 400}} {
			if _, _, err := svc.CreateAPIToken(ctx, u, bad.name, bad.scopes, bad.days, m); code(err) != "invalid:error.invalid" {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		tok, secret, err := svc.CreateAPIToken(ctx, u, "Ratsinformationssystem", []string{"read", "read"}, 30, m)
		if err != nil || !strings.HasPrefix(secret, "sr_") || len(tok.Scopes) != 1 {
			t.Fatalf("create: %+v %q %v", tok, secret, err)
		}
		got, owner, err := svc.AuthenticateToken(ctx, secret)
		if err != nil || owner.ID != u.ID || got.ID != tok.ID || !got.Has("read") || got.Has("write") {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		list, err := svc.APITokens(ctx, u)
		if err != nil || len(list) != 1 || list[0].LastUsed == nil {
			t.Fatalf("list: %+v %v", list, err)
		}
		if _, _, err := svc.AuthenticateToken(ctx, "sr_falsch"); code(err) != "unauthenticated:account.error.token_invalid" {
			t.Fatalf("wrong secret: %v", err)
		}
		// Expired tokens stop working.
		db.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
		if _, _, err := svc.AuthenticateToken(ctx, secret); err == nil {
			t.Fatal("expired token accepted")
		}
		db.Now = time.Now
		if err := svc.RevokeAPIToken(ctx, u, tok.ID, m); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.AuthenticateToken(ctx, secret); err == nil {
			t.Fatal("revoked token accepted")
		}
		if err := svc.RevokeAPIToken(ctx, u, tok.ID, m); code(err) != "not_found:account.error.token_not_found" {
			t.Fatalf("second revoke: %v", err)
		}
	})
}
