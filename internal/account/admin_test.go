package account_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// fieldOf returns "code:field:key" of the first field error, or code(err).
func fieldOf(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return string(e.Code) + ":" + e.Fields[0].Field + ":" + e.Fields[0].Key
	}
	return code(err)
}

// confirmedUser registers and confirms an account with goodPassword.
func confirmedUser(t *testing.T, svc *account.Service, box *inbox, email string) account.User {
	t.Helper()
	ctx := context.Background()
	if err := svc.Register(ctx, email, goodPassword, "", account.Meta{IP: "192.0.2.10"}); err != nil {
		t.Fatal(err)
	}
	_, secret := box.last(t, email)
	u, err := svc.Confirm(ctx, secret, account.Meta{IP: "192.0.2.10"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSetRolesRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, box := newService(t, db)
		m := account.Meta{IP: "192.0.2.11"}
		op, err := svc.CreateOperator(ctx, "op@example.org", goodPassword, "Betrieb")
		if err != nil {
			t.Fatal(err)
		}
		u := confirmedUser(t, svc, box, "kuratorin@example.org")

		tests := []struct {
			name   string
			actor  account.User
			target string
			roles  []account.Role
			want   string
		}{
			{"NotOperator", u, u.ID, []account.Role{account.Curator}, "forbidden:error.forbidden"},
			{"UnknownRole", op, u.ID, []account.Role{"admin"}, "invalid:roles:account.error.role_invalid"},
			{"UnknownUser", op, "unbekannt", []account.Role{account.Curator}, "not_found:account.error.user_not_found"},
			{"LastOperator", op, op.ID, nil, "invalid:roles:account.error.last_operator"},
			{"OK", op, u.ID, []account.Role{account.Curator, account.Advisor, account.Curator}, "<nil>"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := svc.SetRoles(ctx, tt.actor, tt.target, tt.roles, m)
				if got := fieldOf(err); got != tt.want {
					t.Errorf("SetRoles: %s, want %s", got, tt.want)
				}
			})
		}
		got, err := svc.User(ctx, u.ID)
		if err != nil || !slices.Equal(got.Roles, []account.Role{account.Advisor, account.Curator}) {
			t.Fatalf("roles after change: %v %v", got.Roles, err)
		}
		if _, err := svc.User(ctx, "unbekannt"); code(err) != "not_found:account.error.user_not_found" {
			t.Errorf("User(unknown): %v", err)
		}
		log, err := svc.AuditLog(ctx, account.AuditFilter{Actor: "OP@example.org", Action: "account.role_granted"})
		if err != nil || log.Total != 2 || log.Items[0].IP != "192.0.2.11" || log.Items[0].ObjectID != u.ID {
			t.Fatalf("audit entries of the change: %+v %v", log, err)
		}
	})
}

func TestListUsersRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, _ := newService(t, db)
		if _, err := svc.CreateOperator(ctx, "op@example.org", goodPassword, "Frau Özdemir"); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name string
			f    account.UserFilter
			want string
		}{
			{"QueryTooLong", account.UserFilter{Query: strings.Repeat("x", 101)}, "invalid:q:error.param.query_long"},
			{"UnknownRole", account.UserFilter{Role: "admin"}, "invalid:role:account.error.role_invalid"},
			{"OK", account.UserFilter{Query: " OP@Example ", Role: account.Operator, Limit: 1000}, "<nil>"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				page, err := svc.ListUsers(ctx, tt.f)
				if got := fieldOf(err); got != tt.want {
					t.Errorf("ListUsers: %s, want %s", got, tt.want)
				}
				if err == nil && len(page.Items) != 1 {
					t.Errorf("items %+v", page.Items)
				}
			})
		}
	})
}

func TestAuditLogRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, box := newService(t, db)
		day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		for _, tt := range []struct {
			name string
			f    account.AuditFilter
			want string
		}{
			{"ActorTooLong", account.AuditFilter{Actor: strings.Repeat("x", 255)}, "invalid:actor:form.error.too_long"},
			{"ActionChars", account.AuditFilter{Action: "Konto gelöscht"}, "invalid:action:audit.error.action"},
			{"ObjectTypeChars", account.AuditFilter{ObjectType: "User!"}, "invalid:object_type:audit.error.object_type"},
			{"ObjectIDTooLong", account.AuditFilter{ObjectID: strings.Repeat("x", 101)}, "invalid:object_id:form.error.too_long"},
			{"RangeBackwards", account.AuditFilter{Since: day, Before: day.Add(-time.Hour)}, "invalid:to:audit.error.range"},
			{"RangeEmpty", account.AuditFilter{Since: day, Before: day}, "invalid:to:audit.error.range"},
			{"OK", account.AuditFilter{Actor: "niemand@example.org", Action: "account.", Since: day, Before: day.Add(24 * time.Hour)}, "<nil>"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := svc.AuditLog(ctx, tt.f); fieldOf(err) != tt.want {
					t.Errorf("AuditLog: %s, want %s", fieldOf(err), tt.want)
				}
			})
		}
		// An actor by address is the account with that address, before
		// and after it changes; afterwards the old address finds the
		// entries labelled with it, the new one all of the account's.
		u := confirmedUser(t, svc, box, "alt@example.org")
		if err := svc.RequestEmailChange(ctx, u, "neu@example.org", goodPassword, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		msg, _ := box.last(t, "neu@example.org")
		link := msg.Text
		secret := link[strings.Index(link, "/email-bestaetigen/")+len("/email-bestaetigen/"):]
		secret = strings.Fields(secret)[0]
		if _, err := svc.ConfirmEmailChange(ctx, secret, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		byNew, err := svc.AuditLog(ctx, account.AuditFilter{Actor: "neu@example.org"})
		if err != nil || byNew.Total < 4 {
			t.Fatalf("by new address: %d %v", byNew.Total, err)
		}
		byID, _ := svc.AuditLog(ctx, account.AuditFilter{Actor: u.ID})
		byOld, _ := svc.AuditLog(ctx, account.AuditFilter{Actor: "alt@example.org"})
		if byID.Total != byNew.Total || byOld.Total == 0 || byOld.Total >= byNew.Total {
			t.Errorf("by id %d, by new address %d, by old address %d", byID.Total, byNew.Total, byOld.Total)
		}
	})
}

func TestExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, box := newService(t, db)
		u := confirmedUser(t, svc, box, "eva@example.org")
		if _, _, err := svc.Login(ctx, "eva@example.org", goodPassword, account.Meta{IP: "192.0.2.12", UserAgent: "Firefox"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.CreateAPIToken(ctx, u, "Ratsinfo", []string{"read"}, 30, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMail(ctx, mail.Outgoing{Mail: mail.Mail{ID: "m1", Status: mail.StatusStored, Message: mail.Message{To: "eva@example.org",
			Subject: "Neues Passwort", Lang: "de", Kind: "account.mail.reset",
			Text: "Link: https://plattform.example/konto/passwort-neu/geheimes-token_123 (eine Stunde)"}}}); err != nil {
			t.Fatal(err)
		}
		svc.AddExporter(func(_ context.Context, userID string, e *account.Export) error {
			e.Memberships = append(e.Memberships, map[string]string{"organisation": "Musterstadt", "user": userID})
			return nil
		})
		e, err := svc.Export(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Format != account.ExportFormat || e.Account.Email != "eva@example.org" || !e.Account.Confirmed || len(e.Sessions) != 1 ||
			e.Sessions[0].UserAgent != "Firefox" || len(e.APITokens) != 1 || e.APITokens[0].Name != "Ratsinfo" || len(e.Mails) != 1 ||
			len(e.AuditLog) < 4 || len(e.Memberships) != 1 || len(e.Roles) != 0 || e.Roles == nil {
			t.Fatalf("export: %+v", e)
		}
		if txt := e.Mails[0].Text; strings.Contains(txt, "geheimes-token") || !strings.Contains(txt, "/konto/passwort-neu/… (eine Stunde)") {
			t.Errorf("link secret not removed: %q", txt)
		}
		b, _ := json.Marshal(e)
		for _, secret := range []string{"password", "hash", "sr_"} {
			if strings.Contains(strings.ToLower(string(b)), `"`+secret) {
				t.Errorf("export contains %q: %s", secret, b)
			}
		}
		if _, err := svc.Export(ctx, "unbekannt"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("export of an unknown user: %v", err)
		}
	})
}

func TestDeleteAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, box := newService(t, db)
		m := account.Meta{IP: "192.0.2.13"}
		op, err := svc.CreateOperator(ctx, "op@example.org", goodPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		u := confirmedUser(t, svc, box, "eva@example.org")
		token, _, err := svc.LoginExternal(ctx, account.External{Provider: "kommune", Subject: "s-1", Email: "sso@example.org", EmailVerified: true}, m)
		if err != nil {
			t.Fatal(err)
		}
		_, sso, err := svc.Authenticate(ctx, token)
		if err != nil || sso.HasPassword {
			t.Fatalf("sso user: %+v %v", sso, err)
		}
		for _, tt := range []struct {
			name    string
			u       account.User
			confirm string
			want    string
		}{
			{"PasswordMissing", u, "", "invalid:delete_password:form.error.required"},
			{"PasswordWrong", u, "falsches-passwort", "invalid:delete_password:account.error.password_wrong"},
			{"EmailMissing", sso, "", "invalid:delete_email:form.error.required"},
			{"EmailWrong", sso, "eva@example.org", "invalid:delete_email:account.error.delete_email"},
			{"LastOperator", op, goodPassword, "conflict:account.error.last_operator_delete"},
			{"Password", u, goodPassword, "<nil>"},
			{"Email", sso, " SSO@example.org ", "<nil>"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if err := svc.DeleteAccount(ctx, tt.u, tt.confirm, m); fieldOf(err) != tt.want {
					t.Errorf("DeleteAccount: %s, want %s", fieldOf(err), tt.want)
				}
			})
		}
		if _, _, err := svc.Login(ctx, "eva@example.org", goodPassword, m); code(err) != "unauthenticated:account.error.login_failed" {
			t.Errorf("login after deletion: %v", err)
		}
		if _, _, err := svc.Authenticate(ctx, token); err == nil {
			t.Error("session survived the deletion")
		}
		log, err := svc.AuditLog(ctx, account.AuditFilter{Actor: u.ID, Action: "account.deleted"})
		if err != nil || log.Total != 1 || log.Items[0].ActorLabel != account.DeletedLabel || log.Items[0].IP != "192.0.2.13" {
			t.Errorf("deletion entry: %+v %v", log, err)
		}
		// The address is free again.
		if err := svc.Register(ctx, "eva@example.org", goodPassword, "", m); err != nil {
			t.Fatal(err)
		}
		if mail, _ := box.last(t, "eva@example.org"); mail.Kind != "account.mail.confirm" {
			t.Errorf("new registration got %s", mail.Kind)
		}
	})
}
