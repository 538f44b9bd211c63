package store_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestPracticeExamples(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := mustUser(t, db, "praxis@stadt.example", "Praxis")
		owner := mustNeedOrg(t, db, u, "praxisstadt", "09162000")
		other := mustNeedOrg(t, db, u, "praxisdorf", "09184119")
		ref, err := db.PracticeOrg(ctx, owner.ID)
		if err != nil || ref.RegionKey != "09162000" || ref.Slug != "praxisstadt" {
			t.Fatalf("org: %+v %v", ref, err)
		}
		if _, err := db.PracticeOrg(ctx, uuid.NewString()); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown org: %v", err)
		}
		before, after := 14.0, 3.0
		from, to := int64(10000), int64(20000)
		c := practice.Content{Title: "Digitale Parkraumbewirtschaftung", Goal: "Weniger Suchverkehr", Fields: []string{"mobility.parking"},
			Solutions: []string{"parken-app"}, CostFrom: &from, CostTo: &to, Start: "2025-01", End: "2025-12",
			Results: []practice.Indicator{{Name: "Suchzeit", Before: &before, After: &after, Unit: "min"}},
			Contact: practice.Contact{Name: "Erika Muster", Email: "erika@stadt.example"}}
		e := practice.Example{ID: uuid.Must(uuid.NewV7()).String(), Slug: "neu", Org: ref, Band: region.BandOver100k, Urbanisation: region.Urban,
			Working: c, State: practice.Draft, Editor: u.ID, Authors: []string{u.ID}, CreatedBy: u.ID}
		got, err := db.CreateExample(ctx, e, auditEntry("practice.created"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Slug != "neu-2" || got.Org.Name != "praxisstadt" || got.Band != region.BandOver100k || got.Urbanisation != region.Urban ||
			*got.Working.CostTo != 20000 || *got.Working.Results[0].After != 3 || got.Published != nil || got.Lock != 1 {
			t.Errorf("read back %+v", got)
		}
		v0, err := db.PracticeVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}

		// A draft is listed only for its organisation and curators.
		visitor, err := db.Examples(ctx, practice.Query{Limit: 10})
		if err != nil || visitor.Total != 0 {
			t.Errorf("visitor sees a draft: %+v %v", visitor, err)
		}
		mine, err := db.Examples(ctx, practice.Query{Limit: 10, OrgIDs: []string{owner.ID}, Field: "mobility"})
		if err != nil || mine.Total != 1 {
			t.Errorf("owner's list: %+v %v", mine, err)
		}
		strangers, err := db.Examples(ctx, practice.Query{Limit: 10, OrgIDs: []string{other.ID}})
		if err != nil || strangers.Total != 0 {
			t.Errorf("other organisation sees a draft: %+v %v", strangers, err)
		}

		// Saving with a stale lock or state is a conflict.
		got.State = practice.Submitted
		sub, err := db.SaveExample(ctx, got, practice.Draft, auditEntry("practice.submitted"))
		if err != nil || sub.State != practice.Submitted || sub.Lock != 2 {
			t.Fatalf("submit: %+v %v", sub, err)
		}
		if _, err := db.SaveExample(ctx, got, practice.Draft, auditEntry("practice.submitted")); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale save: %v", err)
		}
		if err := db.PublishExample(ctx, got, u.ID, auditEntry("practice.published")); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale publish: %v", err)
		}
		if err := db.PublishExample(ctx, sub, u.ID, auditEntry("practice.published")); err != nil {
			t.Fatal(err)
		}
		pub, err := db.Example(ctx, sub.Slug)
		if err != nil || pub.Published == nil || pub.Version != 1 || pub.State != practice.Published || pub.PublishedAt == nil ||
			len(pub.Authors) != 0 || pub.Published.Title != c.Title {
			t.Fatalf("published: %+v %v", pub, err)
		}
		if v1, _ := db.PracticeVersion(ctx); v1 == v0 {
			t.Error("publishing left the version")
		}

		// An edit after publication keeps the published version public.
		pub.Working.Title, pub.State = "Parken 2.0", practice.Draft
		edited, err := db.SaveExample(ctx, pub, practice.Published, auditEntry("practice.saved"))
		if err != nil || edited.Published == nil || edited.Published.Title != c.Title || edited.Working.Title != "Parken 2.0" {
			t.Fatalf("edit after publication: %+v %v", edited, err)
		}
		for name, q := range map[string]practice.Query{
			"visitor":  {Limit: 10},
			"field":    {Limit: 10, Field: "mobility"},
			"solution": {Limit: 10, Solution: "parken-app"},
			"region":   {Limit: 10, RegionKey: "09162000", State: practice.Published},
			"peers":    {Limit: 10, Band: region.BandOver100k, Urbanisation: ptr(region.Urban)},
		} {
			p, err := db.Examples(ctx, q)
			if err != nil || p.Total != 1 || p.Items[0].ID != e.ID {
				t.Errorf("%s: %+v %v", name, p, err)
			}
		}
		for name, q := range map[string]practice.Query{
			"other field":    {Limit: 10, Field: "energy"},
			"other solution": {Limit: 10, Solution: "parken"},
			"excluded":       {Limit: 10, ExcludeID: e.ID},
			"own region":     {Limit: 10, ExcludeRegion: "09162000"},
			"rural":          {Limit: 10, Urbanisation: ptr(region.Rural)},
			"draft state":    {Limit: 10, State: practice.Draft},
		} {
			p, err := db.Examples(ctx, q)
			if err != nil || p.Total != 0 {
				t.Errorf("%s: %+v %v", name, p, err)
			}
		}
		work, err := db.ExamplesInWork(ctx, 10)
		if err != nil || len(work) != 1 {
			t.Errorf("in work: %+v %v", work, err)
		}

		// Archiving takes it off the public pages.
		if err := db.ArchiveExample(ctx, pub, auditEntry("practice.archived")); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale archive: %v", err)
		}
		if err := db.ArchiveExample(ctx, edited, auditEntry("practice.archived")); err != nil {
			t.Fatal(err)
		}
		arch, err := db.Example(ctx, "gibt-es-nicht")
		if !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown slug: %+v %v", arch, err)
		}
		arch, err = db.Example(ctx, sub.Slug)
		if err != nil || arch.State != practice.Archived || arch.Published != nil || arch.Version != 1 {
			t.Errorf("archived: %+v %v", arch, err)
		}
		if p, err := db.Examples(ctx, practice.Query{Limit: 10}); err != nil || p.Total != 0 {
			t.Errorf("archived still listed: %+v %v", p, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
