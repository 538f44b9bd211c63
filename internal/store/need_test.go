package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func mustNeedOrg(t *testing.T, db *store.DB, u account.User, slug, key string) org.Organisation {
	t.Helper()
	o, err := db.CreateOrg(t.Context(), org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Kind: org.Municipality,
		Name: slug, RegionKey: key}, u.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func auditEntry(action string) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: action, ObjectType: "need"}
}

func TestNeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := mustUser(t, db, "bedarf@stadt.example", "Bedarf")
		owner := mustNeedOrg(t, db, u, "musterstadt", "09162000")
		other := mustNeedOrg(t, db, u, "nachbarort", "09184119")
		lo, hi := int64(1000), int64(5000)
		start, end := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
		n := need.Need{ID: uuid.Must(uuid.NewV7()).String(), Slug: "neu", Org: need.OrgRef{ID: owner.ID}, Title: "Parken",
			Problem: "Zu wenig Parkplätze", Field: "mobilitaet", Hosting: "de", Delivery: []string{"saas"}, Evidence: []string{"bsi_c5"},
			Reqs:      []need.Requirement{{Text: "Schnittstelle", Kind: need.Should, Weight: 5, Attribute: "standard:OParl"}, {Text: "DSGVO", Kind: need.Must}},
			BudgetMin: &lo, BudgetMax: &hi, Start: &start, End: &end, Inhabitants: 12000, Visibility: need.Public, State: need.Draft, CreatedBy: u.ID}
		got, err := db.CreateNeed(ctx, n, auditEntry("need.created"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Slug != "neu-2" { // "neu" is reserved for /bedarfe/neu
			t.Errorf("slug %q", got.Slug)
		}
		if got.Org.Slug != "musterstadt" || got.Org.Kind != "municipality" || got.Org.RegionKey != "09162000" || len(got.Reqs) != 2 ||
			got.Reqs[0].Attribute != "standard:OParl" || *got.BudgetMax != 5000 || !got.End.Equal(end) || got.Evidence[0] != "bsi_c5" {
			t.Errorf("read back %+v", got)
		}
		// Optimistic locking.
		got.Title, got.State = "Parken digital", need.Open
		up, err := db.UpdateNeed(ctx, got, 0, auditEntry("need.opened"))
		if err != nil || up.Title != "Parken digital" || up.State != need.Open || up.Lock != 1 {
			t.Fatalf("update: %+v %v", up, err)
		}
		if _, err := db.UpdateNeed(ctx, got, 0, auditEntry("need.updated")); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale update: %v", err)
		}
		// Join once per organisation; leave.
		if err := db.JoinNeed(ctx, up.ID, other.ID, u.ID, auditEntry("need.joined")); err != nil {
			t.Fatal(err)
		}
		if err := db.JoinNeed(ctx, up.ID, other.ID, u.ID, auditEntry("need.joined")); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second join: %v", err)
		}
		read, err := db.NeedBySlug(ctx, up.Slug)
		if err != nil || len(read.Joined) != 1 || read.Joined[0].Org.Slug != "nachbarort" {
			t.Fatalf("joined: %+v %v", read.Joined, err)
		}
		if err := db.LeaveNeed(ctx, up.ID, other.ID, auditEntry("need.left")); err != nil {
			t.Fatal(err)
		}
		if err := db.LeaveNeed(ctx, up.ID, other.ID, auditEntry("need.left")); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("second leave: %v", err)
		}
		if err := db.SetNeedState(ctx, up.ID, need.Closed, up.Lock, auditEntry("need.closed")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NeedBySlug(ctx, "nichts"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown slug: %v", err)
		}
		// Every change is in the audit log.
		log, err := db.AuditLog(ctx, account.AuditFilter{ObjectType: "need", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(log.Items) != 5 {
			t.Errorf("audit entries %d, want 5", len(log.Items))
		}
	})
}

func TestNeedList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := mustUser(t, db, "liste@stadt.example", "Liste")
		owner := mustNeedOrg(t, db, u, "listenstadt", "09162000")
		mk := func(title string, vis need.Visibility, st need.State) {
			t.Helper()
			if _, err := db.CreateNeed(ctx, need.Need{ID: uuid.Must(uuid.NewV7()).String(), Slug: title, Org: need.OrgRef{ID: owner.ID},
				Title: title, Field: "mobilitaet", Hosting: "any", Visibility: vis, State: st, CreatedBy: u.ID}, auditEntry("need.created")); err != nil {
				t.Fatal(err)
			}
		}
		mk("oeffentlich", need.Public, need.Open)
		mk("anbieter", need.Providers, need.Open)
		mk("entwurf", need.Public, need.Draft)
		mk("privat", need.Private, need.Open)
		slugs := func(q need.Query) []string {
			t.Helper()
			q.Limit = 10
			p, err := db.Needs(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range p.Items {
				out = append(out, n.Slug)
			}
			if p.Total != len(out) {
				t.Errorf("total %d, items %d", p.Total, len(out))
			}
			return out
		}
		for name, c := range map[string]struct {
			q    need.Query
			want int
		}{
			"visitor":  {need.Query{}, 1},
			"provider": {need.Query{Providers: true}, 2},
			"owner":    {need.Query{OrgIDs: []string{owner.ID}}, 4},
			"curator":  {need.Query{All: true}, 4},
			"field":    {need.Query{All: true, Field: "bildung"}, 0},
			"state":    {need.Query{All: true, State: need.Draft}, 1},
		} {
			if got := slugs(c.q); len(got) != c.want {
				t.Errorf("%s: %v, want %d", name, got, c.want)
			}
		}
		p, err := db.Needs(ctx, need.Query{All: true, Limit: 3})
		if err != nil || len(p.Items) != 3 || p.Next == "" || p.Items[0].Slug != "privat" {
			t.Fatalf("page 1: %+v %v", p, err)
		}
		p, err = db.Needs(ctx, need.Query{All: true, Limit: 3, After: p.Next})
		if err != nil || len(p.Items) != 1 || p.Next != "" || p.Items[0].Slug != "oeffentlich" {
			t.Fatalf("page 2: %+v %v", p, err)
		}
	})
}
