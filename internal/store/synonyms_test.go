package store_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestSynonymGroups: curators add, change, delete and reset groups; each
// change is one transaction with its audit entry (who, before, after);
// ids are stable and never reused; a failed check changes nothing.
func TestSynonymGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		shipped := search.DefaultSynonyms()
		if ok, err := db.SeedSynonyms(ctx, shipped); err != nil || !ok {
			t.Fatalf("seed: %v %v", ok, err)
		}
		svc := search.NewSynonyms(db, nil)
		groups, err := svc.List(ctx)
		if err != nil || len(groups) != len(shipped) {
			t.Fatalf("list: %d groups, %v", len(groups), err)
		}
		for i, g := range groups {
			if !slices.Equal(g.Members, shipped[i]) || g.Updated != nil || g.UpdatedBy != "" || i > 0 && g.ID <= groups[i-1].ID {
				t.Fatalf("group %d: %+v", i, g)
			}
		}
		u, _ := testProvider(t, ctx, db, "kurator@plattform.example", "kuratoren", "Kuratoren")
		u.Roles = []account.Role{account.Curator}
		meta := account.Meta{IP: "192.0.2.7"}
		audit := func(action string) account.AuditEntry {
			t.Helper()
			log, err := db.AuditLog(ctx, account.AuditFilter{Action: action, Limit: 10})
			if err != nil || len(log.Items) == 0 {
				t.Fatalf("audit %s: %+v %v", action, log, err)
			}
			return log.Items[0]
		}

		t.Run("Add", func(t *testing.T) {
			g, err := svc.Add(ctx, u, []string{" Bürgerhaushalt ", "Beteiligungs  haushalt", ""}, meta)
			if err != nil {
				t.Fatal(err)
			}
			if g.ID <= groups[len(groups)-1].ID || !slices.Equal(g.Members, []string{"Bürgerhaushalt", "Beteiligungs haushalt"}) {
				t.Fatalf("added %+v", g)
			}
			got, err := svc.Get(ctx, g.ID)
			if err != nil || !slices.Equal(got.Members, g.Members) || got.Updated == nil || got.UpdatedBy != u.Email {
				t.Fatalf("get %+v %v", got, err)
			}
			e := audit("search.synonyms_added")
			if e.ActorID != u.ID || e.ObjectID != strconv.FormatInt(g.ID, 10) || e.IP != meta.IP || e.Details["after"] == nil {
				t.Errorf("audit %+v", e)
			}
			all, _ := db.SearchSynonyms(ctx)
			if !slices.ContainsFunc(all, func(m []string) bool { return slices.Equal(m, g.Members) }) {
				t.Error("the search does not read the new group")
			}
		})

		t.Run("Taken", func(t *testing.T) {
			_, err := svc.Add(ctx, u, []string{"parken", "Abstellen"}, meta)
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("a member of another group: %v", err)
			}
			var e *apperr.Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Key != "synonyms.error.taken" {
				t.Fatalf("message %+v", err)
			}
		})

		t.Run("Update", func(t *testing.T) {
			first := groups[0]
			g, err := svc.Update(ctx, u, first.ID, []string{"Parkraummanagement", "Parken", "Anwohnerparken"}, first.Version(), meta)
			if err != nil || g.ID != first.ID {
				t.Fatalf("update %+v %v", g, err)
			}
			got, _ := svc.Get(ctx, first.ID)
			if !slices.Equal(got.Members, []string{"Parkraummanagement", "Parken", "Anwohnerparken"}) {
				t.Fatalf("stored %+v", got)
			}
			e := audit("search.synonyms_changed")
			if e.ObjectID != strconv.FormatInt(first.ID, 10) || e.Details["before"] == nil || e.Details["after"] == nil {
				t.Errorf("audit %+v", e)
			}
			// A form that still shows the old members is refused.
			if _, err := svc.Update(ctx, u, first.ID, []string{"Parken", "Parkplatz"}, first.Version(), meta); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("stale form: %v", err)
			}
			if _, err := svc.Update(ctx, u, 999999, []string{"Aa", "Bb"}, "", meta); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown id: %v", err)
			}
		})

		t.Run("Delete", func(t *testing.T) {
			last, _ := svc.List(ctx)
			victim := last[len(last)-1]
			if err := svc.Delete(ctx, u, victim.ID, meta); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Get(ctx, victim.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("deleted group: %v", err)
			}
			if err := svc.Delete(ctx, u, victim.ID, meta); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("twice: %v", err)
			}
			if e := audit("search.synonyms_deleted"); e.Details["before"] == nil {
				t.Errorf("audit %+v", e)
			}
			// The id is not given again.
			g, err := svc.Add(ctx, u, []string{"Wochenmarkt", "Markttag"}, meta)
			if err != nil || g.ID <= victim.ID {
				t.Errorf("new group %+v after deleting %d: %v", g, victim.ID, err)
			}
		})

		t.Run("Reset", func(t *testing.T) {
			before, _ := svc.List(ctx)
			if err := svc.Reset(ctx, u, meta); err != nil {
				t.Fatal(err)
			}
			after, _ := svc.List(ctx)
			if len(after) != len(shipped) || after[0].ID <= before[len(before)-1].ID {
				t.Fatalf("after reset: %d groups from id %d", len(after), after[0].ID)
			}
			for i, g := range after {
				if !slices.Equal(g.Members, shipped[i]) || g.Updated != nil {
					t.Fatalf("group %d: %+v", i, g)
				}
			}
			if e := audit("search.synonyms_reset"); e.Details["before"] == nil || e.ActorID != u.ID {
				t.Errorf("audit %+v", e)
			}
		})

		t.Run("Forbidden", func(t *testing.T) {
			plain := u
			plain.Roles = nil
			if _, err := svc.Add(ctx, plain, []string{"Aa", "Bb"}, meta); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("add: %v", err)
			}
			if err := svc.Reset(ctx, plain, meta); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("reset: %v", err)
			}
		})
	})
}

// TestSynonymGroupsLimit: at most MaxSynonymGroups groups.
func TestSynonymGroupsLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		many := make([][]string, search.MaxSynonymGroups)
		for i := range many {
			many[i] = []string{"wort" + strconv.Itoa(i) + "a", "wort" + strconv.Itoa(i) + "b"}
		}
		if _, err := db.SeedSynonyms(ctx, many); err != nil {
			t.Fatal(err)
		}
		u, _ := testProvider(t, ctx, db, "kurator@plattform.example", "kuratoren", "Kuratoren")
		u.Roles = []account.Role{account.Curator}
		_, err := search.NewSynonyms(db, nil).Add(ctx, u, []string{"Neu", "Neuer"}, account.Meta{})
		var e *apperr.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Key != "synonyms.error.too_many_groups" {
			t.Fatalf("group %d: %v", search.MaxSynonymGroups+1, err)
		}
	})
}

// TestSynonymGroupsMigrated: groups stored before groups had ids
// (migration 00017) keep their numbers as ids, count as shipped, and new
// groups get higher ids.
func TestSynonymGroupsMigrated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		if err := db.MigrateSynonymsDown(ctx, map[int][]string{3: {"Parken", "Parkplatz"}, 8: {"OParl", "Ratsinfo"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		groups, err := db.SynonymGroups(ctx)
		if err != nil || len(groups) != 2 || groups[0].ID != 3 || groups[1].ID != 8 || groups[0].Updated != nil ||
			!slices.Equal(groups[1].Members, []string{"OParl", "Ratsinfo"}) {
			t.Fatalf("migrated groups %+v %v", groups, err)
		}
		u, _ := testProvider(t, ctx, db, "kurator@plattform.example", "kuratoren", "Kuratoren")
		u.Roles = []account.Role{account.Curator}
		g, err := search.NewSynonyms(db, nil).Add(ctx, u, []string{"Radweg", "Radverkehr"}, account.Meta{})
		if err != nil || g.ID <= 8 {
			t.Fatalf("new group %+v %v", g, err)
		}
		if all, _ := db.SearchSynonyms(ctx); len(all) != 3 {
			t.Errorf("the search reads %d groups", len(all))
		}
	})
}

// TestSynonymGroupsConcurrent: instances that seed or add at the same
// time behave like one: the shipped list is stored once, and of two
// groups with the same member only one is stored.
func TestSynonymGroupsConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u, _ := testProvider(t, ctx, db, "kurator@plattform.example", "kuratoren", "Kuratoren")
		u.Roles = []account.Role{account.Curator}
		const n = 4
		seeded, added := make(chan bool, n), make(chan error, n)
		for range n {
			go func() {
				ok, err := db.SeedSynonyms(ctx, search.DefaultSynonyms())
				if err != nil {
					t.Error(err)
				}
				seeded <- ok
			}()
		}
		count := 0
		for range n {
			if <-seeded {
				count++
			}
		}
		if groups, _ := db.SynonymGroups(ctx); count != 1 || len(groups) != len(search.DefaultSynonyms()) {
			t.Fatalf("%d seeds stored %d groups", count, len(groups))
		}
		svc := search.NewSynonyms(db, nil)
		for i := range n {
			go func() {
				_, err := svc.Add(ctx, u, []string{"Wochenmarkt", "Markt" + strings.Repeat("x", i+1)}, account.Meta{})
				added <- err
			}()
		}
		ok := 0
		for range n {
			switch err := <-added; {
			case err == nil:
				ok++
			case !apperr.Is(err, apperr.Invalid):
				t.Errorf("add: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d groups with the same member stored", ok)
		}
	})
}
