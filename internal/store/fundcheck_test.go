package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/decision"
	"github.com/smartregions/smartregions/internal/fundcheck"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestFundChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := mustUser(t, db, "planung@stadt.example", "Planung")
		o := mustNeedOrg(t, db, u, "foerderstadt", "09162000")
		budget := int64(250000)
		c := fundcheck.Check{ID: uuid.Must(uuid.NewV7()).String(), AuthorID: u.ID, AuthorLabel: "Planung", OrgID: o.ID, OrgName: o.Name,
			Title: "Parken", Description: "Digital", Fields: []string{"mobility", "mobility.parking"}, Delivery: fundcheck.DeliveryOpenSource,
			Budget: &budget, Programme: "MPSC", State: fundcheck.Draft,
			Matches: []fundcheck.Match{{Kind: fundcheck.KindSolution, Ref: "parkraum", Title: "Parkraum", Fields: []string{"mobility.parking"}, Score: 3}}}
		got, err := db.CreateFundCheck(ctx, c, auditEntry("fund_check.create"))
		if err != nil {
			t.Fatal(err)
		}
		if got.OrgID != o.ID || *got.Budget != budget || len(got.Matches) != 1 || got.Matches[0].Ref != "parkraum" || got.Lock != 0 || got.Finalised != nil {
			t.Errorf("read back %+v", got)
		}
		t.Run("Lock", func(t *testing.T) {
			got.Matches[0].Verdict = fundcheck.VerdictReusable
			up, err := db.UpdateFundCheck(ctx, got, 0, auditEntry("fund_check.statements"))
			if err != nil || up.Lock != 1 || up.Matches[0].Verdict != fundcheck.VerdictReusable {
				t.Fatalf("update: %+v %v", up, err)
			}
			if _, err := db.UpdateFundCheck(ctx, got, 0, auditEntry("fund_check.statements")); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("stale lock: %v", err)
			}
			got = up
		})
		t.Run("Finalise", func(t *testing.T) {
			at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
			got.Snapshot, got.SHA256, err = fundcheck.Freeze(got, at)
			if err != nil {
				t.Fatal(err)
			}
			got.State, got.Finalised = fundcheck.Final, &at
			fin, err := db.FinaliseFundCheck(ctx, got, got.Lock, auditEntry("fund_check.finalise"))
			if err != nil || fin.State != fundcheck.Final || !fin.Finalised.Equal(at) || !fin.Verify() {
				t.Fatalf("finalise: %+v %v", fin, err)
			}
			if _, err := db.UpdateFundCheck(ctx, fin, fin.Lock, auditEntry("fund_check.update")); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("change a final check: %v", err)
			}
			facts, err := db.FundCheckFacts(ctx)
			if err != nil || len(facts) != 2 || !facts[0].Reusable || facts[0].Programme != "MPSC" || !facts[0].Finalised.Equal(at) {
				t.Errorf("facts: %+v %v", facts, err)
			}
		})
		t.Run("List", func(t *testing.T) {
			other := mustUser(t, db, "andere@stadt.example", "Andere")
			if p, err := db.FundChecks(ctx, other.ID, nil, 10, ""); err != nil || p.Total != 0 {
				t.Errorf("another user: %+v %v", p, err)
			}
			if p, err := db.FundChecks(ctx, other.ID, []string{o.ID}, 10, ""); err != nil || p.Total != 1 {
				t.Errorf("a member of the organisation: %+v %v", p, err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := db.FundCheck(ctx, uuid.Must(uuid.NewV7()).String()); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown: %v", err)
			}
		})
	})
}

func TestDecisionAids(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := mustUser(t, db, "wahl@stadt.example", "Wahl")
		cost := int64(120000)
		a := decision.Aid{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Title: "Wahl", Answers: map[string]string{decision.QSkills: "some"},
			Options: []decision.Option{{Name: "A", Costs: map[string]*int64{decision.LineLicence: &cost}}}, Increase: 250}
		got, err := db.CreateDecisionAid(ctx, a, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "decision_aid.create"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Increase != 250 || *got.Options[0].Costs[decision.LineLicence] != cost || got.Answers[decision.QSkills] != "some" {
			t.Errorf("read back %+v", got)
		}
		got.Title = "Neu"
		if up, err := db.UpdateDecisionAid(ctx, got, 0, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String()}); err != nil || up.Lock != 1 || up.Title != "Neu" {
			t.Errorf("update: %+v %v", up, err)
		}
		if _, err := db.UpdateDecisionAid(ctx, got, 0, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String()}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale: %v", err)
		}
		if p, err := db.DecisionAids(ctx, u.ID, 10, ""); err != nil || p.Total != 1 || len(p.Items) != 1 {
			t.Errorf("list: %+v %v", p, err)
		}
		if err := db.DeleteDecisionAid(ctx, got.ID, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String()}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DecisionAid(ctx, got.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("deleted: %v", err)
		}
	})
}

// TestFundCheckOutlivesAccount: a check stays when its author's account
// is deleted, without the author's name.
func TestFundCheckOutlivesAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := mustUser(t, db, "weg@stadt.example", "Wera Weg")
		c := fundcheck.Check{ID: uuid.Must(uuid.NewV7()).String(), AuthorID: u.ID, AuthorLabel: "Wera Weg", Title: "Parken", Description: "Digital",
			Fields: []string{"mobility.parking"}, Delivery: fundcheck.DeliveryOpenSource, State: fundcheck.Draft}
		if _, err := db.CreateFundCheck(ctx, c, auditEntry("fund_check.create")); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteUser(ctx, u.ID, auditEntry("account.deleted")); err != nil {
			t.Fatal(err)
		}
		got, err := db.FundCheck(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AuthorLabel != account.DeletedLabel || got.Title != "Parken" {
			t.Errorf("after deleting the account: author %q, title %q", got.AuthorLabel, got.Title)
		}
	})
}
