package catalog_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func code(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		s := string(e.Code) + ":" + e.Msg.Key
		for _, f := range e.Fields {
			s += " " + f.Field + "=" + f.Key
		}
		return s
	}
	return fmt.Sprint(err)
}

func TestDefaultFields(t *testing.T) {
	flat, err := catalog.DefaultFields()
	if err != nil {
		t.Fatal(err)
	}
	tree := catalog.Tree(flat)
	if len(tree) != 12 {
		t.Errorf("%d top-level fields, want the 12 of the issue", len(tree))
	}
	keys := map[string]bool{}
	for _, top := range tree {
		if top.LabelDE == "" || top.LabelEN == "" || len(top.Children) == 0 {
			t.Errorf("field %+v lacks a label or children", top)
		}
		for _, c := range top.Children {
			if keys[c.Key] || c.LabelDE == "" || c.LabelEN == "" || c.Parent != top.Key {
				t.Errorf("child %+v", c)
			}
			keys[c.Key] = true
		}
	}
}

func TestFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		svc := catalog.NewFields(db)
		if seeded, err := svc.Ensure(ctx); err != nil || !seeded {
			t.Fatalf("seed: %v %v", seeded, err)
		}
		if seeded, err := svc.Ensure(ctx); err != nil || seeded {
			t.Fatalf("second seed: %v %v", seeded, err)
		}
		def, _ := catalog.DefaultFields()
		tree, err := svc.All(ctx)
		if err != nil || len(tree) != len(catalog.Tree(def)) || tree[0].Key != "mobility" || tree[0].Children[0].Key != "mobility.parking" {
			t.Fatalf("tree %v %v", tree, err)
		}

		now := time.Now().UTC()
		op := account.User{ID: uuid.NewString(), Email: "betrieb@example.org", EmailConfirmed: &now, Roles: []account.Role{account.Operator}}
		curator := account.User{ID: uuid.NewString(), Email: "k@example.org", EmailConfirmed: &now, Roles: []account.Role{account.Curator}}
		m := account.Meta{IP: "192.0.2.1"}
		for _, tc := range []struct {
			name string
			do   func() error
			want string
		}{
			{"CuratorAdds", func() error { _, err := svc.Add(ctx, curator, "", "x", "X", "X", m); return err }, "forbidden:error.forbidden"},
			{"BadSlug", func() error { _, err := svc.Add(ctx, op, "", "Mit Leerzeichen", "A", "A", m); return err }, "invalid:error.invalid slug=catalog.error.field_slug"},
			{"UnknownParent", func() error { _, err := svc.Add(ctx, op, "nirgends", "x", "A", "A", m); return err }, "invalid:error.invalid parent=catalog.error.field_parent"},
			{"ThirdLevel", func() error { _, err := svc.Add(ctx, op, "mobility.parking", "x", "A", "A", m); return err }, "invalid:error.invalid parent=catalog.error.field_parent"},
			{"NoLabels", func() error { _, err := svc.Add(ctx, op, "", "x", " ", "", m); return err }, "invalid:error.invalid label_de=form.error.required label_en=form.error.required"},
			{"Taken", func() error { _, err := svc.Add(ctx, op, "mobility", "parking", "P", "P", m); return err }, "invalid:error.invalid slug=catalog.error.field_taken"},
			{"DeleteParent", func() error { return svc.Delete(ctx, op, "mobility", m) }, "invalid:catalog.error.field_has_children"},
			{"RenameUnknown", func() error { return svc.Update(ctx, op, "nirgends", "A", "A", m) }, "not_found:catalog.error.field_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := code(tc.do()); got != tc.want {
					t.Errorf("got %s, want %s", got, tc.want)
				}
			})
		}

		f, err := svc.Add(ctx, op, "mobility", "ride-pooling", " Ride  Pooling ", "Ride pooling", m)
		if err != nil || f.Key != "mobility.ride-pooling" || f.LabelDE != "Ride Pooling" {
			t.Fatalf("add %+v %v", f, err)
		}
		if err := svc.Move(ctx, op, "mobility.ride-pooling", true, m); err != nil {
			t.Fatal(err)
		}
		if err := svc.Move(ctx, op, "mobility", true, m); err != nil { // first already: stays
			t.Fatal(err)
		}
		if err := svc.Update(ctx, op, "mobility.ride-pooling", "Fahrgemeinschaften", "Ride pooling", m); err != nil {
			t.Fatal(err)
		}
		tree, _ = svc.All(ctx)
		kids := tree[0].Children
		if n := len(kids); kids[n-2].Key != "mobility.ride-pooling" || kids[n-2].LabelDE != "Fahrgemeinschaften" || tree[0].Key != "mobility" {
			t.Errorf("after move and rename: %+v", kids)
		}
		if err := svc.Delete(ctx, op, "mobility.ride-pooling", m); err != nil {
			t.Fatal(err)
		}
		log, err := db.AuditLog(ctx, account.AuditFilter{Action: "catalog.", Limit: 10})
		if err != nil || len(log.Items) != 4 {
			t.Errorf("audit %d %v", len(log.Items), err)
		}
	})
}
