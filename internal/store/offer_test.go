package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/offer"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestOffers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := mustUser(t, db, "angebot@anbieter.example", "Anbieter")
		city := mustNeedOrg(t, db, u, "musterstadt", "09162000")
		prov, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "anbieter", Kind: org.Company, Name: "Anbieter"},
			u.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		sol := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "ratsinfo", OrgID: prov.ID, ImportedFrom: "test/ratsinfo"}
		if _, err := db.ImportSolution(ctx, sol, catalog.Entry{Name: "Ratsinfo", Short: "Kurz", Licence: "MIT", Maturity: "pilot"}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		refs, err := db.ProviderSolutions(ctx, prov.ID)
		if err != nil || len(refs) != 1 || refs[0].Slug != "ratsinfo" || refs[0].Name != "Ratsinfo" {
			t.Fatalf("provider solutions: %+v %v", refs, err)
		}
		n, err := db.CreateNeed(ctx, need.Need{ID: uuid.Must(uuid.NewV7()).String(), Slug: "rat", Org: need.OrgRef{ID: city.ID}, Title: "Rat",
			Problem: "P", Field: "x", Hosting: "any", Reqs: []need.Requirement{{Text: "A", Kind: need.Must}}, Visibility: need.Public, State: need.Open,
			CreatedBy: u.ID}, auditEntry("need.created"))
		if err != nil {
			t.Fatal(err)
		}
		valid := time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC)
		o := offer.Offer{ID: uuid.Must(uuid.NewV7()).String(), NeedID: n.ID, OrgID: prov.ID, Text: "Wir liefern", Delivery: "saas", PriceCents: 123450,
			Basis: offer.PerYear, ValidUntil: valid, Solutions: refs, State: offer.Draft, CreatedBy: u.ID}
		files := []offer.Attachment{{ID: uuid.Must(uuid.NewV7()).String(), Name: "a.txt", Type: "text/plain", Size: 3, Data: []byte("abc")}}

		t.Run("OK", func(t *testing.T) {
			got, err := db.CreateOffer(ctx, o, files, auditEntry("offer.created"))
			if err != nil {
				t.Fatal(err)
			}
			if got.OrgSlug != "anbieter" || got.NeedSlug != "rat" || !got.ValidUntil.Equal(valid) || got.PriceCents != 123450 || len(got.Attachments) != 1 ||
				got.Solutions[0].Name != "Ratsinfo" || got.Submitted != nil {
				t.Errorf("read back %+v", got)
			}
			if list, err := db.NeedOffers(ctx, n.ID); err != nil || len(list) != 0 {
				t.Errorf("drafts listed: %v %v", list, err)
			}
			got.State, got.Text = offer.Submitted, "Wir liefern gern"
			up, err := db.UpdateOffer(ctx, got, 0, nil, []string{files[0].ID}, auditEntry("offer.submitted"))
			if err != nil || up.Submitted == nil || up.Lock != 1 || len(up.Attachments) != 0 || up.Text != "Wir liefern gern" {
				t.Fatalf("update: %+v %v", up, err)
			}
			if _, err := db.UpdateOffer(ctx, got, 0, nil, nil, auditEntry("offer.updated")); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("stale: %v", err)
			}
			if list, err := db.NeedOffers(ctx, n.ID); err != nil || len(list) != 1 {
				t.Errorf("submitted not listed: %v %v", list, err)
			}
			if err := db.SetOfferState(ctx, up.ID, offer.Declined, "zu teuer", 1, auditEntry("offer.declined")); err != nil {
				t.Fatal(err)
			}
			if read, err := db.OfferOf(ctx, n.ID, prov.ID); err != nil || read.State != offer.Declined || read.Reason != "zu teuer" {
				t.Errorf("decided: %+v %v", read, err)
			}
		})
		t.Run("ErrConflict", func(t *testing.T) {
			o2 := o
			o2.ID = uuid.Must(uuid.NewV7()).String()
			if _, err := db.CreateOffer(ctx, o2, nil, auditEntry("offer.created")); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("second offer: %v", err)
			}
			if _, err := db.Offer(ctx, o2.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("half-saved: %v", err)
			}
		})
		t.Run("Questions", func(t *testing.T) {
			q := offer.Question{ID: uuid.Must(uuid.NewV7()).String(), NeedID: n.ID, OrgID: prov.ID, AuthorID: u.ID, Text: "Welche Schnittstelle?"}
			if err := db.AddQuestion(ctx, q, auditEntry("need.question")); err != nil {
				t.Fatal(err)
			}
			st := offer.Question{ID: uuid.Must(uuid.NewV7()).String(), NeedID: n.ID, AuthorID: u.ID, Text: "Hinweis an alle"}
			if err := db.AddQuestion(ctx, st, auditEntry("need.statement")); err != nil {
				t.Fatal(err)
			}
			if _, err := db.AnswerQuestion(ctx, n.ID, st.ID, "x", u.ID, auditEntry("need.answer")); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("answered a statement: %v", err)
			}
			if a, err := db.AnswerQuestion(ctx, n.ID, q.ID, "OParl", u.ID, auditEntry("need.answer")); err != nil || a.AnsweredAt == nil || a.OrgName != "Anbieter" {
				t.Fatalf("answer: %+v %v", a, err)
			}
			if _, err := db.AnswerQuestion(ctx, n.ID, q.ID, "again", u.ID, auditEntry("need.answer")); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("second answer: %v", err)
			}
			list, err := db.Questions(ctx, n.ID)
			if err != nil || len(list) != 2 || list[0].Answer != "OParl" || !list[1].Statement() {
				t.Errorf("questions: %+v %v", list, err)
			}
			if users, err := db.AudienceMembers(ctx, n.ID); err != nil || len(users) != 1 || users[0] != u.ID {
				t.Errorf("audience: %v %v", users, err)
			}
		})
		t.Run("Sweep", func(t *testing.T) {
			needs, err := db.UnsweptNeeds(ctx, time.Now().Add(-time.Hour), 10)
			if err != nil || len(needs) != 1 || needs[0].ID != n.ID {
				t.Fatalf("unswept: %v %v", needs, err)
			}
			other := mustNeedOrg(t, db, u, "nachbarort", "09184119")
			for i, want := range []bool{true, false} {
				ok, err := db.ClaimMatchRun(ctx, n.ID, []string{prov.ID, other.ID})
				if err != nil || ok != want {
					t.Errorf("claim %d: %v %v", i, ok, err)
				}
			}
			if needs, _ := db.UnsweptNeeds(ctx, time.Now().Add(-time.Hour), 10); len(needs) != 0 {
				t.Errorf("swept need again: %v", needs)
			}
			// The provider responded already: only the other one is pending.
			pending, err := db.PendingNotices(ctx, 10)
			if err != nil || len(pending) != 1 || pending[0].OrgID != other.ID || pending[0].NeedSlug != "rat" {
				t.Fatalf("pending: %+v %v", pending, err)
			}
			for i, want := range []bool{true, false} {
				if ok, err := db.ClaimNotice(ctx, n.ID, other.ID); err != nil || ok != want {
					t.Errorf("notice %d: %v %v", i, ok, err)
				}
			}
		})
	})
}
