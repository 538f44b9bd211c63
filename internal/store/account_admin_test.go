package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// mustUser creates a confirmed user with roles.
func mustUser(tb testing.TB, db *store.DB, email, name string, roles ...account.Role) account.User {
	tb.Helper()
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Name: name, Lang: "de", Created: now, EmailConfirmed: &now, Roles: roles}
	if err := db.CreateUser(context.Background(), account.NewUser{User: u, Roles: roles, PasswordHash: "x"}); err != nil {
		tb.Fatal(err)
	}
	return u
}

func audit(actor account.User, action, objectType, objectID string, details map[string]any) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: actor.ID, ActorLabel: actor.Email, Action: action,
		ObjectType: objectType, ObjectID: objectID, Details: details, IP: "192.0.2.9"}
}

func emails(users []account.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Email)
	}
	return out
}

func TestListUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustUser(t, db, "anna@amt.example", "Anna Amsel", account.Operator)
		mustUser(t, db, "bernd@kreis.example", "Bernd Bussard", account.Curator, account.Advisor)
		mustUser(t, db, "carla@amt.example", "Carla Zilpzalp")
		mustUser(t, db, "dora_x@kreis.example", "Dora")

		tests := []struct {
			name  string
			f     account.UserFilter
			want  []string
			total int
			next  string
		}{
			{"All", account.UserFilter{Limit: 10}, []string{"anna@amt.example", "bernd@kreis.example", "carla@amt.example", "dora_x@kreis.example"}, 4, ""},
			{"FirstPage", account.UserFilter{Limit: 2}, []string{"anna@amt.example", "bernd@kreis.example"}, 4, "bernd@kreis.example"},
			{"SecondPage", account.UserFilter{Limit: 2, Cursor: "bernd@kreis.example"}, []string{"carla@amt.example", "dora_x@kreis.example"}, 4, ""},
			{"ByEmail", account.UserFilter{Query: "amt.example", Limit: 10}, []string{"anna@amt.example", "carla@amt.example"}, 2, ""},
			{"ByName", account.UserFilter{Query: "zilpzalp", Limit: 10}, []string{"carla@amt.example"}, 1, ""},
			{"WildcardIsLiteral", account.UserFilter{Query: "a_x", Limit: 10}, []string{"dora_x@kreis.example"}, 1, ""},
			{"PercentIsLiteral", account.UserFilter{Query: "%", Limit: 10}, nil, 0, ""},
			{"ByRole", account.UserFilter{Role: account.Curator, Limit: 10}, []string{"bernd@kreis.example"}, 1, ""},
			{"RoleAndQuery", account.UserFilter{Role: account.Operator, Query: "kreis", Limit: 10}, nil, 0, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := db.ListUsers(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := emails(page.Items); !slices.Equal(got, tt.want) || page.Total != tt.total || page.Next != tt.next {
					t.Errorf("got %v total %d next %q; want %v total %d next %q", got, page.Total, page.Next, tt.want, tt.total, tt.next)
				}
			})
		}
		page, _ := db.ListUsers(ctx, account.UserFilter{Query: "bernd", Limit: 10})
		if len(page.Items) != 1 || !slices.Equal(page.Items[0].Roles, []account.Role{account.Advisor, account.Curator}) {
			t.Errorf("roles: %+v", page.Items)
		}
	})
}

func TestSetRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		op := mustUser(t, db, "op@amt.example", "", account.Operator)
		u := mustUser(t, db, "u@amt.example", "", account.Curator)
		change := func(roles ...account.Role) account.RoleChange {
			return account.RoleChange{Roles: roles, Audit: func(r account.Role, granted bool) account.AuditEntry {
				action := "account.role_revoked"
				if granted {
					action = "account.role_granted"
				}
				return audit(op, action, "user", u.ID, map[string]any{"role": string(r)})
			}}
		}
		got, err := db.SetRoles(ctx, u.ID, change(account.Advisor, account.Operator))
		if err != nil || !slices.Equal(got.Roles, []account.Role{account.Advisor, account.Operator}) {
			t.Fatalf("SetRoles = %v, %v", got.Roles, err)
		}
		log, err := db.AuditLog(ctx, account.AuditFilter{ObjectID: u.ID, Action: "account.", Limit: 10})
		if err != nil || log.Total != 3 {
			t.Fatalf("audit entries: %+v %v", log, err)
		}
		var actions []string
		for _, e := range log.Items {
			actions = append(actions, e.Action+":"+fmt.Sprint(e.Details["role"]))
		}
		slices.Sort(actions)
		if want := []string{"account.role_granted:advisor", "account.role_granted:operator", "account.role_revoked:curator"}; !slices.Equal(actions, want) {
			t.Errorf("actions %v, want %v", actions, want)
		}
		// The same set again changes nothing and writes nothing.
		if _, err := db.SetRoles(ctx, u.ID, change(account.Advisor, account.Operator)); err != nil {
			t.Fatal(err)
		}
		if log, _ := db.AuditLog(ctx, account.AuditFilter{ObjectID: u.ID, Limit: 10}); log.Total != 3 {
			t.Errorf("no-op change wrote %d entries", log.Total-3)
		}

		// Two operators: one may go; the last one may not.
		if _, err := db.SetRoles(ctx, op.ID, change()); err != nil {
			t.Fatalf("revoke one of two operators: %v", err)
		}
		_, err = db.SetRoles(ctx, u.ID, change(account.Advisor))
		var e *apperr.Error
		if apperr.CodeOf(err) != apperr.Invalid || !errors.As(err, &e) || e.Fields[0].Field != "roles" || e.Fields[0].Key != "account.error.last_operator" {
			t.Fatalf("revoke the last operator: %v", err)
		}
		if again, _ := db.UserByID(ctx, u.ID); !slices.Contains(again.Roles, account.Operator) {
			t.Error("the refused change was applied in part")
		}
		if _, err := db.SetRoles(ctx, "unbekannt", change()); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestAuditLogFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := mustUser(t, db, "a@amt.example", "")
		b := mustUser(t, db, "b@amt.example", "")
		start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		defer func() { db.Now = time.Now }()
		add := func(i int, e account.AuditEntry) {
			db.Now = func() time.Time { return start.Add(time.Duration(i) * time.Hour) }
			if err := db.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		add(0, audit(a, "account.login", "session", "s1", nil))
		add(1, audit(a, "account.token_created", "api_token", "t1", map[string]any{"name": "RIS"}))
		add(2, audit(b, "account.login", "session", "s2", nil))
		add(3, audit(b, "org.created", "organisation", "o1", nil))
		add(4, audit(a, "account.role_granted", "user", b.ID, map[string]any{"role": "curator"}))
		db.Now = time.Now

		tests := []struct {
			name string
			f    account.AuditFilter
			want []string // object ids, newest first
		}{
			{"All", account.AuditFilter{}, []string{b.ID, "o1", "s2", "t1", "s1"}},
			{"Actor", account.AuditFilter{ActorID: a.ID}, []string{b.ID, "t1", "s1"}},
			{"ActorLabel", account.AuditFilter{ActorLabel: "b@amt.example"}, []string{"o1", "s2"}},
			{"ActionExact", account.AuditFilter{Action: "account.login"}, []string{"s2", "s1"}},
			{"ActionPrefix", account.AuditFilter{Action: "account."}, []string{b.ID, "s2", "t1", "s1"}},
			{"ActionPrefixIsNotExact", account.AuditFilter{Action: "account"}, nil},
			{"ObjectType", account.AuditFilter{ObjectType: "session"}, []string{"s2", "s1"}},
			{"ObjectID", account.AuditFilter{ObjectID: b.ID}, []string{b.ID}},
			{"Since", account.AuditFilter{Since: start.Add(3 * time.Hour)}, []string{b.ID, "o1"}},
			{"Before", account.AuditFilter{Before: start.Add(time.Hour)}, []string{"s1"}},
			{"Range", account.AuditFilter{Since: start.Add(time.Hour), Before: start.Add(3 * time.Hour)}, []string{"s2", "t1"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.f.Limit = 10
				page, err := db.AuditLog(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range page.Items {
					got = append(got, e.ObjectID)
				}
				if !slices.Equal(got, tt.want) || page.Total != len(tt.want) || page.Next != nil {
					t.Errorf("got %v (total %d, next %v), want %v", got, page.Total, page.Next, tt.want)
				}
			})
		}

		// Keyset pages of two, newest first, meet every entry once.
		var seen []string
		f := account.AuditFilter{Limit: 2}
		for range 5 {
			page, err := db.AuditLog(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.Items {
				seen = append(seen, e.ObjectID)
			}
			if page.Total != 5 {
				t.Errorf("total %d", page.Total)
			}
			if page.Next == nil {
				break
			}
			f.Cursor = page.Next
		}
		if want := []string{b.ID, "o1", "s2", "t1", "s1"}; !slices.Equal(seen, want) {
			t.Errorf("pages %v, want %v", seen, want)
		}
		page, _ := db.AuditLog(ctx, account.AuditFilter{ObjectID: "t1", Limit: 1})
		if e := page.Items[0]; e.Details["name"] != "RIS" || e.IP != "192.0.2.9" || !e.At.Equal(start.Add(time.Hour)) || e.ActorLabel != "a@amt.example" {
			t.Errorf("entry %+v", e)
		}
	})
}

func TestDeleteUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		op := mustUser(t, db, "op@amt.example", "", account.Operator)
		u := mustUser(t, db, "eva@amt.example", "Eva", account.Curator)
		other := mustUser(t, db, "otto@amt.example", "Otto")
		now := time.Now().UTC()
		if err := db.CreateSession(ctx, account.Session{ID: "hash-eva", UserID: u.ID, Created: now, LastSeen: now, Expires: now.Add(time.Hour)},
			audit(u, "account.login", "session", "hash-eva", nil)); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAPIToken(ctx, account.APIToken{ID: "tok-eva", UserID: u.ID, Name: "RIS", Scopes: []string{"read"}, Created: now,
			Expires: now.Add(time.Hour)}, "tokhash-eva", audit(u, "account.token_created", "api_token", "tok-eva", nil)); err != nil {
			t.Fatal(err)
		}
		if err := db.LinkIdentity(ctx, u.ID, account.Identity{Provider: "kommune", Subject: "sub-eva", Email: "eva@amt.example"},
			audit(u, "account.identity_linked", "user", u.ID, nil)); err != nil {
			t.Fatal(err)
		}
		if err := db.AddToken(ctx, u.ID, account.NewToken{Hash: "link-eva", Purpose: account.PurposeEmailChange, Email: "eva.neu@amt.example",
			Expires: now.Add(time.Hour)}, audit(u, "account.email_change_requested", "user", u.ID, map[string]any{"new_email": "eva.neu@amt.example"})); err != nil {
			t.Fatal(err)
		}
		if err := db.AddAudit(ctx, audit(op, "account.role_granted", "user", u.ID, map[string]any{"role": "curator"})); err != nil {
			t.Fatal(err)
		}
		for i, to := range []string{"eva@amt.example", "eva.neu@amt.example", "otto@amt.example"} {
			if err := db.AddMail(ctx, mail.Outgoing{Mail: mail.Mail{ID: fmt.Sprintf("mail-%d", i), Status: mail.StatusStored,
				Message: mail.Message{To: to, Subject: "Betreff", Text: "Text", Lang: "de", Kind: "account.mail.confirm"}}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Hit(ctx, "login:account:eva@amt.example", time.Hour, 10); err != nil {
			t.Fatal(err)
		}

		data, err := db.UserData(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(data.Sessions) != 1 || len(data.Tokens) != 1 || len(data.Identities) != 1 || len(data.Mails) != 2 || len(data.Audit) != 5 ||
			data.User.Email != "eva@amt.example" || data.Identities[0].Created.IsZero() {
			t.Fatalf("UserData: %d sessions, %d tokens, %d identities, %d mails, %d audit entries",
				len(data.Sessions), len(data.Tokens), len(data.Identities), len(data.Mails), len(data.Audit))
		}

		deleted := audit(u, "account.deleted", "user", u.ID, nil)
		deleted.ActorLabel = account.DeletedLabel
		if err := db.DeleteUser(ctx, u.ID, deleted); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByID(ctx, u.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("user still there: %v", err)
		}
		if _, _, err := db.SessionUser(ctx, "hash-eva"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("session still there: %v", err)
		}
		if _, _, err := db.APITokenUser(ctx, "tokhash-eva"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("token still there: %v", err)
		}
		if _, err := db.IdentityUser(ctx, "kommune", "sub-eva"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("identity still there: %v", err)
		}
		if _, err := db.Mail(ctx, "mail-0"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("mail to the account still there: %v", err)
		}
		if _, err := db.Mail(ctx, "mail-1"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("mail to the pending address still there: %v", err)
		}
		if _, err := db.Mail(ctx, "mail-2"); err != nil {
			t.Errorf("another user's mail is gone: %v", err)
		}
		// The audit log keeps the entries under the id, without the address.
		log, err := db.AuditLog(ctx, account.AuditFilter{ActorID: u.ID, Limit: 20})
		if err != nil || log.Total != 5 {
			t.Fatalf("entries of the deleted user: %d %v", log.Total, err)
		}
		for _, e := range log.Items {
			if e.ActorLabel != account.DeletedLabel || fmt.Sprint(e.Details) != "map[]" && e.Details["new_email"] != account.DeletedLabel {
				t.Errorf("entry %s: label %q, details %v", e.Action, e.ActorLabel, e.Details)
			}
		}
		if log.Items[0].Action != "account.deleted" {
			t.Errorf("newest entry %s, want account.deleted", log.Items[0].Action)
		}
		if log, _ := db.AuditLog(ctx, account.AuditFilter{ActorID: op.ID, Limit: 20}); log.Items[0].ActorLabel != "op@amt.example" {
			t.Error("the operator's entry about the user lost its actor")
		}
		if err := db.DeleteUser(ctx, u.ID, deleted); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("deleting twice: %v", err)
		}

		// The last operator cannot delete the account.
		if err := db.DeleteUser(ctx, op.ID, audit(op, "account.deleted", "user", op.ID, nil)); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("delete the last operator: %v", err)
		}
		if err := db.DeleteUser(ctx, other.ID, audit(other, "account.deleted", "user", other.ID, nil)); err != nil {
			t.Errorf("delete a user: %v", err)
		}
	})
}
