package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/exploration"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestExplorations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := mustUser(t, db, "markt@stadt.example", "Markt")
		buyer := mustNeedOrg(t, db, u, "kaufstadt", "09162000")
		provider := mustNeedOrg(t, db, u, "anbieter", "")
		snap := exploration.Snapshot{Taken: time.Now(), Source: exploration.FromSearch, Query: "q=parken",
			Candidates: []exploration.Candidate{{Solution: "s1", Name: "Parkfuchs", Provider: exploration.OrgRef{ID: provider.ID, Name: "Anbieter"}}}}
		raw, hash, err := snap.Encode()
		if err != nil {
			t.Fatal(err)
		}
		e := exploration.Exploration{ID: uuid.Must(uuid.NewV7()).String(), Org: exploration.OrgRef{ID: buyer.ID}, Title: "Parken", Source: exploration.FromSearch,
			Query: "q=parken", Snapshot: raw, SnapshotHash: hash, SnapshotAt: snap.Taken, State: exploration.Draft, CreatedBy: u.ID}
		got, err := db.CreateExploration(ctx, e, auditEntry("exploration.created"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Org.Slug != "kaufstadt" || !got.VerifySnapshot() || got.Lock != 0 || len(got.Criteria) != 0 || got.Deadline != nil {
			t.Fatalf("read back %+v", got)
		}
		deadline := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
		got.Criteria = []exploration.Criterion{{Name: "Preis", Weight: 100}}
		got.Deadline, got.Providers, got.State = &deadline, []string{provider.ID}, exploration.Sent
		up, err := db.UpdateExploration(ctx, got, 0, auditEntry("exploration.sent"))
		if err != nil || up.Lock != 1 || !up.Deadline.Equal(deadline) || up.Criteria[0].Name != "Preis" || up.State != exploration.Sent {
			t.Fatalf("update %+v %v", up, err)
		}
		if _, err := db.UpdateExploration(ctx, got, 0, auditEntry("exploration.sent")); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale: %v", err)
		}
		asked, err := db.AskedExplorations(ctx, []string{provider.ID}, 10)
		if err != nil || len(asked) != 1 {
			t.Errorf("asked %v %v", asked, err)
		}
		if own, err := db.Explorations(ctx, []string{provider.ID}, 10); err != nil || len(own) != 0 {
			t.Errorf("provider owns %v %v", own, err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		a := exploration.Answer{ExplorationID: e.ID, Org: exploration.OrgRef{ID: provider.ID}, Values: []string{"ja"}, By: u.ID, Submitted: now, Updated: now}
		if _, err := db.SaveAnswer(ctx, a, auditEntry("exploration.answered")); err != nil {
			t.Fatal(err)
		}
		a.Values, a.Submitted, a.Updated = []string{"nein"}, now.Add(time.Hour), now.Add(time.Hour)
		back, err := db.SaveAnswer(ctx, a, auditEntry("exploration.answered"))
		if err != nil || back.Values[0] != "nein" || !back.Submitted.Equal(now) || back.Org.Slug != "anbieter" {
			t.Errorf("answer %+v %v", back, err)
		}
		r := exploration.Report{ID: uuid.Must(uuid.NewV7()).String(), SHA256: "abc", ExplorationID: e.ID, Format: "pdf", Issued: now, By: u.ID, ByLabel: u.Email}
		if err := db.AddReport(ctx, r, auditEntry("exploration.report")); err != nil {
			t.Fatal(err)
		}
		if rs, err := db.ReportsByHash(ctx, "abc"); err != nil || len(rs) != 1 || rs[0].Format != "pdf" {
			t.Errorf("reports %v %v", rs, err)
		}
		// A changed byte in the stored snapshot fails verification.
		if err := db.TamperSnapshot(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		if back, err := db.Exploration(ctx, e.ID); err != nil || back.VerifySnapshot() {
			t.Errorf("tampered snapshot verifies: %v", err)
		}
		// Closed explorations take no more writes.
		up.State = exploration.Closed
		if up, err = db.UpdateExploration(ctx, up, up.Lock, auditEntry("exploration.closed")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateExploration(ctx, up, up.Lock, auditEntry("exploration.closed")); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("write after closing: %v", err)
		}
	})
}
