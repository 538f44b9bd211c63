package store_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// usageFixture stores a published solution and the verified municipality
// Ulm with its admin.
func usageFixture(t *testing.T, db *store.DB) (catalog.Solution, org.Organisation, account.User) {
	t.Helper()
	ctx := t.Context()
	regiontest.ImportDistricts(t, db, "08421")
	admin := mustUser(t, db, "eva@ulm.de", "Eva")
	company := mustUser(t, db, "it@anbieter.example", "")
	provider, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "anbieter", Kind: org.Company, Name: "Anbieter"},
		company.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	ulm, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "ulm", Kind: org.Municipality, Name: "Ulm",
		RegionKey: "08421000"}, admin.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	bob := mustUser(t, db, "bob@ulm.de", "Bob")
	if err := db.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: ulm.ID, UserID: bob.ID, Email: bob.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	sol := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "loesung", OrgID: provider.ID, ImportedFrom: "test/loesung"}
	if _, err := db.ImportSolution(ctx, sol, catalog.Entry{Name: "Lösung", Short: "Kurz", Licence: "MIT", Maturity: "pilot",
		Repository: "https://example.org/x", Fields: []string{"mobility.parking"}, Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}},
		account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	return sol, ulm, admin
}

func newUse(sol catalog.Solution, o org.Organisation, by account.User) catalog.Declaration {
	return catalog.Declaration{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, Org: catalog.UsingOrg{ID: o.ID},
		Since: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Delivery: catalog.SaaS, Status: catalog.InUse, Version: 1, Contactable: true, DeclaredBy: by.ID}
}

func TestUses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		sol, ulm, eva := usageFixture(t, db)
		d, err := db.SaveUse(ctx, newUse(sol, ulm, eva), true, audit(eva, "catalog.usage_declared", "solution_usage", "x", nil))
		if err != nil {
			t.Fatal(err)
		}
		if !d.Verified || d.Org.AGS != "08421000" || d.Org.StateKey != "08" || d.Org.StateName != "Baden-Württemberg" || d.Org.Population < 100000 ||
			!d.Contactable || d.Since.Format("2006-01-02") != "2024-03-01" || d.Created.IsZero() || !d.Created.Equal(d.Updated) {
			t.Fatalf("stored %+v", d)
		}
		if _, err := db.SaveUse(ctx, newUse(sol, ulm, eva), true, account.AuditEntry{}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("second declaration of one organisation: %v", err)
		}
		ghost := newUse(sol, ulm, eva)
		if _, err := db.SaveUse(ctx, ghost, false, account.AuditEntry{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("update of an unknown declaration: %v", err)
		}
		// A declaration by someone who is no member does not count.
		stranger := mustUser(t, db, "fremd@example.org", "")
		d.DeclaredBy, d.Status, d.Reason = stranger.ID, catalog.Stopped, "Zu teuer"
		if d, err = db.SaveUse(ctx, d, false, account.AuditEntry{}); err != nil || d.Verified || d.Status != catalog.Stopped {
			t.Fatalf("update %+v %v", d, err)
		}
		d.DeclaredBy, d.Status, d.Reason = eva.ID, catalog.InUse, ""
		if d, err = db.SaveUse(ctx, d, false, account.AuditEntry{}); err != nil || !d.Verified {
			t.Fatalf("update %+v %v", d, err)
		}
		used, err := db.UsedBy(ctx, []string{sol.ID, uuid.NewString()})
		if err != nil || len(used) != 1 || !slices.Equal(used[sol.ID], []string{"Ulm"}) {
			t.Fatalf("used by %v %v", used, err)
		}
		if list, err := db.Uses(ctx, sol.ID); err != nil || len(list) != 1 || list[0].ID != d.ID {
			t.Fatalf("uses %+v %v", list, err)
		}
		if err := db.WithdrawUse(ctx, d.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if err := db.WithdrawUse(ctx, d.ID, account.AuditEntry{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("withdraw twice: %v", err)
		}
		if _, err := db.UseByID(ctx, d.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("withdrawn declaration by id: %v", err)
		}
		if w, err := db.UseOf(ctx, sol.ID, ulm.ID); err != nil || w.Withdrawn == nil {
			t.Errorf("withdrawn declaration of the organisation: %+v %v", w, err)
		}
		if used, _ := db.UsedBy(ctx, []string{sol.ID}); len(used) != 0 {
			t.Errorf("withdrawn declaration is used by: %v", used)
		}
		if d, err = db.SaveUse(ctx, d, false, account.AuditEntry{}); err != nil || d.Withdrawn != nil {
			t.Fatalf("declared again %+v %v", d, err)
		}
	})
}

// TestContactCaps sends more contact requests at once than the cap allows:
// exactly the allowed number is stored, each with its mail.
func TestContactCaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		sol, ulm, eva := usageFixture(t, db)
		d, err := db.SaveUse(ctx, newUse(sol, ulm, eva), true, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		asker := mustUser(t, db, "carl@muenchen.de", "Carl")
		asking, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "muenchen", Kind: org.Municipality,
			Name: "München", RegionKey: "09162000"}, asker.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		outbox, err := mail.NewService(db, mail.SMTPConfig{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		lim := catalog.ContactLimit{Since: time.Now().Add(-time.Hour), PerUser: 3, PerUse: 10}
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			ok, capd int
		)
		for range 8 {
			wg.Go(func() {
				out, err := outbox.Prepare(mail.Message{To: "eva@ulm.de", Subject: "Anfrage", Text: "Hallo", Kind: "catalog.usage_contact"})
				if err != nil {
					t.Error(err)
					return
				}
				c := catalog.Contact{ID: uuid.Must(uuid.NewV7()).String(), UsageID: d.ID, RequesterID: asker.ID, OrgID: asking.ID, Message: "Hallo"}
				err = db.AddContact(ctx, c, lim, []mail.Outgoing{out}, account.AuditEntry{})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case apperr.CodeOf(err) == apperr.TooMany:
					capd++
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok != 3 || capd != 5 {
			t.Fatalf("%d stored, %d capped; want 3 and 5", ok, capd)
		}
		if _, total, err := db.Mails(ctx, 10, 0); err != nil || total != 3 {
			t.Fatalf("%d mails %v, want one per stored request", total, err)
		}
		// The declaration's cap counts every requester.
		other := mustUser(t, db, "dora@muenchen.de", "")
		err = db.AddContact(ctx, catalog.Contact{ID: uuid.Must(uuid.NewV7()).String(), UsageID: d.ID, RequesterID: other.ID, OrgID: asking.ID,
			Message: "Hallo"}, catalog.ContactLimit{Since: lim.Since, PerUser: 5, PerUse: 3}, nil, account.AuditEntry{})
		if e, ok := err.(*apperr.Error); !ok || e.Code != apperr.TooMany || e.Msg.Key != "usage.error.cap_use" {
			t.Fatalf("beyond the declaration's cap: %v", err)
		}
		// Requests before Since do not count.
		err = db.AddContact(ctx, catalog.Contact{ID: uuid.Must(uuid.NewV7()).String(), UsageID: d.ID, RequesterID: asker.ID, OrgID: asking.ID,
			Message: "Hallo"}, catalog.ContactLimit{Since: time.Now().Add(time.Minute), PerUser: 3, PerUse: 10}, nil, account.AuditEntry{})
		if err != nil {
			t.Fatalf("in a new month: %v", err)
		}
	})
}

func TestFollowUpMarks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		sol, ulm, eva := usageFixture(t, db)
		t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return t0 }
		d, err := db.SaveUse(ctx, newUse(sol, ulm, eva), true, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		due := func(now time.Time) []string {
			t.Helper()
			list, err := db.DueFollowUps(ctx, now.AddDate(0, -6, 0), now.AddDate(0, -12, 0), 10)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, f := range list {
				out = append(out, f.SolutionName+"/"+f.Declaration.Org.Slug)
			}
			return out
		}
		if got := due(t0.AddDate(0, 5, 0)); len(got) != 0 {
			t.Fatalf("due after five months: %v", got)
		}
		if got := due(t0.AddDate(0, 7, 0)); !slices.Equal(got, []string{"Lösung/ulm"}) {
			t.Fatalf("due after seven months: %v", got)
		}
		for _, c := range []struct {
			stage int
			want  bool
		}{{6, true}, {6, false}, {12, true}, {12, false}, {6, false}} {
			if marked, err := db.MarkFollowUp(ctx, d.ID, c.stage, nil); err != nil || marked != c.want {
				t.Fatalf("mark stage %d: %v %v, want %v", c.stage, marked, err, c.want)
			}
		}
		if got := due(t0.AddDate(0, 13, 0)); len(got) != 0 {
			t.Fatalf("due after both follow-ups: %v", got)
		}
	})
}

func TestReportModeration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		sol, ulm, eva := usageFixture(t, db)
		d, err := db.SaveUse(ctx, newUse(sol, ulm, eva), true, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		r := catalog.Report{ID: uuid.Must(uuid.NewV7()).String(), UsageID: d.ID, Text: "Gut", Usability: 5, Support: 4, Integration: 3, Value: 2, Again: true, WrittenBy: eva.ID}
		first, err := db.SaveReport(ctx, r, account.AuditEntry{})
		if err != nil || !first.Visible() || first.SolutionID != sol.ID || first.Org.Slug != "ulm" || first.Status != catalog.InUse {
			t.Fatalf("report %+v %v", first, err)
		}
		r.ID, r.Text, r.Again = uuid.Must(uuid.NewV7()).String(), "Doch nicht so gut", false
		second, err := db.SaveReport(ctx, r, account.AuditEntry{})
		if err != nil || second.ID != first.ID || second.Text != "Doch nicht so gut" || second.Again {
			t.Fatalf("rewritten report %+v %v", second, err)
		}
		if err := db.AnswerReport(ctx, first.ID, "Danke", eva.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if err := db.Moderate(ctx, first.ID, true, "x", eva.ID, account.AuditEntry{}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("moderate without flags: %v", err)
		}
		flag := catalog.Flag{ID: uuid.Must(uuid.NewV7()).String(), ReportID: first.ID, UserID: eva.ID, Reason: "Werbung"}
		if err := db.FlagReport(ctx, flag, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		flag.ID = uuid.Must(uuid.NewV7()).String()
		if err := db.FlagReport(ctx, flag, account.AuditEntry{}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("second open flag of one user: %v", err)
		}
		queue, err := db.Flagged(ctx, 10)
		if err != nil || len(queue) != 1 || queue[0].SolutionSlug != "loesung" || len(queue[0].Flags) != 1 || queue[0].Flags[0].Reason != "Werbung" {
			t.Fatalf("queue %+v %v", queue, err)
		}
		if err := db.Moderate(ctx, first.ID, true, "Werbung", eva.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FlaggedReport(ctx, first.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("decided report in the queue: %v", err)
		}
		got, err := db.ReportByID(ctx, first.ID)
		if err != nil || got.Hidden == nil || got.Reason != "Werbung" || got.Visible() || got.Answer != "Danke" {
			t.Fatalf("hidden report %+v %v", got, err)
		}
		if err := db.AnswerReport(ctx, first.ID, "Nochmal", eva.ID, account.AuditEntry{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("answer to a hidden report: %v", err)
		}
		// A user may flag again once the earlier flag is decided.
		flag.ID = uuid.Must(uuid.NewV7()).String()
		if err := db.FlagReport(ctx, flag, account.AuditEntry{}); err != nil {
			t.Errorf("flag after the decision: %v", err)
		}
		if err := db.WithdrawUse(ctx, d.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if list, err := db.Reports(ctx, sol.ID); err != nil || len(list) != 0 {
			t.Errorf("reports of a withdrawn declaration: %+v %v", list, err)
		}
	})
}
