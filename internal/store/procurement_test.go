package store_test

import (
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/procurement"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestProcurementThresholds: the migration ships the EU values of 2026
// and the federal direct-award limits; operators add state values and end
// them, each change one transaction with its audit entry; a value in
// force keeps its amount.
func TestProcurementThresholds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		svc := procurement.NewService(db)
		svc.SetClock(func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) })
		op := mustUser(t, db, "betrieb@plattform.example", "Betrieb", account.Operator)
		meta := account.Meta{IP: "192.0.2.1"}

		t.Run("Shipped", func(t *testing.T) {
			all, err := svc.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 14 || all[0].Scope != procurement.ScopeEU || all[len(all)-1].Scope != procurement.ScopeNational {
				t.Fatalf("shipped %d values: %+v", len(all), all)
			}
			r, err := svc.Orient(ctx, procurement.Input{ValueNet: 21600000, ContractType: procurement.SuppliesServices,
				AuthorityType: procurement.SubCentral, Date: svc.Today()})
			if err != nil || !r.EUApplies || r.EU.AmountNet != 21600000 || r.EU.ValidUntil == nil || r.EU.ValidUntil.Format(procurement.DateLayout) != "2027-12-31" {
				t.Fatalf("orientation %+v %v", r, err)
			}
			r, err = svc.Orient(ctx, procurement.Input{ValueNet: 100000, ContractType: procurement.SuppliesServices,
				AuthorityType: procurement.SubCentral, Date: svc.Today()})
			if err != nil || r.EUApplies || len(r.Options) != 3 || r.Options[2].Procedure != procurement.DirectAward {
				t.Fatalf("orientation %+v %v", r, err)
			}
		})

		var added procurement.Threshold
		t.Run("Add", func(t *testing.T) {
			var err error
			added, err = svc.Add(ctx, op, procurement.Threshold{Scope: procurement.ScopeNational, Jurisdiction: "09",
				ContractType: procurement.SuppliesServices, Procedure: procurement.DirectAward, AmountNet: 500000,
				ValidFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), SourceText: "Landesrecht", SourceURL: "https://example.org/vv"}, meta)
			if err != nil {
				t.Fatal(err)
			}
			got, err := svc.Get(ctx, added.ID)
			if err != nil || got.AmountNet != 500000 || got.UpdatedBy != op.Email || got.UpdatedAt.IsZero() || got.ValidUntil != nil {
				t.Fatalf("get %+v %v", got, err)
			}
			log, err := db.AuditLog(ctx, account.AuditFilter{Action: "procurement.threshold_added", Limit: 5})
			if err != nil || len(log.Items) != 1 || log.Items[0].ObjectID != added.ID || log.Items[0].ActorID != op.ID {
				t.Fatalf("audit %+v %v", log, err)
			}
		})

		t.Run("InForceKeepsAmount", func(t *testing.T) {
			changed := added
			changed.AmountNet = 600000
			_, err := svc.Update(ctx, op, changed, meta)
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("err %v", err)
			}
			got, _ := svc.Get(ctx, added.ID)
			if got.AmountNet != 500000 {
				t.Fatalf("changed anyway: %+v", got)
			}
		})

		t.Run("End", func(t *testing.T) {
			until := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
			if _, err := svc.End(ctx, op, added.ID, until, meta); err != nil {
				t.Fatal(err)
			}
			got, err := svc.Get(ctx, added.ID)
			if err != nil || got.ValidUntil == nil || !got.ValidUntil.Equal(until) {
				t.Fatalf("get %+v %v", got, err)
			}
			log, err := db.AuditLog(ctx, account.AuditFilter{Action: "procurement.threshold_ended", Limit: 5})
			if err != nil || len(log.Items) != 1 || log.Items[0].Details["before"] == nil {
				t.Fatalf("audit %+v %v", log, err)
			}
			if _, err := svc.End(ctx, op, added.ID, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), meta); !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("end in the past: %v", err)
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := svc.Get(ctx, "019ab000-0000-7000-8000-0000000000ff"); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("err %v", err)
			}
			if _, err := svc.End(ctx, op, "kein", time.Now(), meta); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("err %v", err)
			}
		})

		t.Run("Forbidden", func(t *testing.T) {
			other := mustUser(t, db, "jemand@kommune.example", "Jemand")
			if _, err := svc.Add(ctx, other, added, meta); !apperr.Is(err, apperr.Forbidden) {
				t.Fatalf("err %v", err)
			}
		})
	})
}
