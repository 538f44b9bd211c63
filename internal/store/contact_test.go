package store_test

import (
	"slices"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/contact"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func contactNames(l []contact.Contact) []string {
	var out []string
	for _, c := range l {
		out = append(out, c.Name)
	}
	return out
}

func TestContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		op := mustUser(t, db, "op@example.org", "Olga", account.Operator)
		anna := mustUser(t, db, "anna@example.org", "Anna", account.Advisor)
		bert := mustUser(t, db, "bert@example.org", "Bert", account.Advisor)
		v0, err := db.ContactsVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}

		// Anna covers all of Bavaria, Bert only the district of Munich and Saxony.
		a, err := db.CreateContact(ctx, contact.Contact{UserID: anna.ID, Name: "Anna Amsel", RoleTitle: "Beraterin",
			Fields: []string{"mobility.parking"}, Availability: "Mo–Do 9–15 Uhr", States: []string{"09"}}, audit(op, "contact.create", "contact", anna.ID, nil))
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "Anna Amsel" || !slices.Equal(a.States, []string{"09"}) || len(a.Districts) != 0 || !slices.Equal(a.Fields, []string{"mobility.parking"}) {
			t.Fatalf("created: %+v", a)
		}
		if _, err := db.CreateContact(ctx, contact.Contact{UserID: bert.ID, Name: "Bert Buntspecht", RoleTitle: "Berater",
			States: []string{"09", "14"}, Districts: []string{"09162"}}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		v1, err := db.ContactsVersion(ctx)
		if err != nil || v1 == v0 {
			t.Fatalf("version after create: %q %q %v", v0, v1, err)
		}

		t.Run("ErrConflict", func(t *testing.T) {
			_, err := db.CreateContact(ctx, contact.Contact{UserID: anna.ID, Name: "X", RoleTitle: "Y", States: []string{"01"}}, account.AuditEntry{})
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("For", func(t *testing.T) {
			for _, tc := range []struct {
				state, district string
				want            []string
			}{
				{"09", "09162", []string{"Bert Buntspecht", "Anna Amsel"}}, // district first
				{"09", "09184", []string{"Anna Amsel"}},
				{"14", "14612", []string{"Bert Buntspecht"}},
				{"11", "", nil},
			} {
				got, err := db.ContactsFor(ctx, tc.state, tc.district)
				if err != nil || !slices.Equal(contactNames(got), tc.want) {
					t.Errorf("%s/%s: %v %v, want %v", tc.state, tc.district, contactNames(got), err, tc.want)
				}
			}
			all, err := db.Contacts(ctx)
			if err != nil || !slices.Equal(contactNames(all), []string{"Anna Amsel", "Bert Buntspecht"}) {
				t.Fatalf("all: %v %v", contactNames(all), err)
			}
			if b := all[1]; !slices.Equal(b.States, []string{"09", "14"}) || !slices.Equal(b.Districts, []string{"09162"}) ||
				!slices.Equal(b.StatesCovered(), []string{"14"}) {
				t.Fatalf("regions: %+v", b)
			}
		})
		t.Run("Update", func(t *testing.T) {
			a.Availability, a.States, a.Districts = "Fr 9–12 Uhr", []string{"14"}, nil
			got, err := db.UpdateContact(ctx, a, account.AuditEntry{})
			if err != nil || got.Availability != "Fr 9–12 Uhr" || !slices.Equal(got.States, []string{"14"}) {
				t.Fatalf("update: %+v %v", got, err)
			}
			v2, _ := db.ContactsVersion(ctx)
			if v2 == v1 {
				t.Fatal("version unchanged by update")
			}
			if l, _ := db.ContactsFor(ctx, "09", "09184"); len(l) != 0 {
				t.Fatalf("Anna still in Bavaria: %v", contactNames(l))
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := db.Contact(ctx, op.ID); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("get: %v", err)
			}
			if _, err := db.UpdateContact(ctx, contact.Contact{UserID: op.ID, States: []string{"01"}}, account.AuditEntry{}); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("update: %v", err)
			}
			if err := db.DeleteContact(ctx, op.ID, account.AuditEntry{}); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("delete: %v", err)
			}
		})
		t.Run("AccountDeleted", func(t *testing.T) {
			carl := mustUser(t, db, "carl@example.org", "Carl", account.Advisor)
			if _, err := db.CreateContact(ctx, contact.Contact{UserID: carl.ID, Name: "Carl", RoleTitle: "Berater", States: []string{"01"}}, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			before, _ := db.ContactsVersion(ctx)
			if err := db.DeleteUser(ctx, carl.ID, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			after, _ := db.ContactsVersion(ctx)
			if _, err := db.Contact(ctx, carl.ID); !apperr.Is(err, apperr.NotFound) || after == before {
				t.Fatalf("contact of a deleted account: %v, version %q → %q", err, before, after)
			}
		})
		t.Run("Delete", func(t *testing.T) {
			before, _ := db.ContactsVersion(ctx)
			if err := db.DeleteContact(ctx, bert.ID, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			after, _ := db.ContactsVersion(ctx)
			if l, _ := db.Contacts(ctx); !slices.Equal(contactNames(l), []string{"Anna Amsel"}) || after == before {
				t.Fatalf("after delete: %v, version %q → %q", contactNames(l), before, after)
			}
		})
	})
}
