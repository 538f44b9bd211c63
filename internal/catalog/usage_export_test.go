package catalog_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func usageExport(t *testing.T, w *usageWorld, u account.User) (account.Export, string) {
	t.Helper()
	var e account.Export
	if err := w.svc.Export(t.Context(), u.ID, &e); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(e.Extra)
	if err != nil {
		t.Fatal(err)
	}
	return e, string(b)
}

// TestUsageExportAndDeletion: a member of München declares, reports,
// flags and asks Ulm; her data export lists exactly that, and deleting
// her account removes the contact request with its mail and her open
// flag, detaches her resolved flag and leaves the declaration and report
// to München.
func TestUsageExportAndDeletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUsageWorld(t, db)
		ctx := t.Context()
		dora := user(t, db, "dora@muenchen.de")
		w.approve(w.muenchen.ID, dora) // verifies München; Dora is a member
		w.declare(t, w.eva, inUse("ulm"))
		f := inUse("muenchen")
		f.Status, f.Reason = catalog.Piloting, ""
		muc := w.declare(t, dora, f)
		ulmReport, err := w.svc.SaveReport(ctx, w.eva, w.sol.Slug, report("ulm", "Läuft."), w.meta)
		if err != nil {
			t.Fatal(err)
		}
		mucReport, err := w.svc.SaveReport(ctx, dora, w.sol.Slug, report("muenchen", "Gute Einführung.", 5, 4, 3, 2), w.meta)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Answer(ctx, w.provider, w.sol.Slug, mucReport.ID, "Danke, München!", w.meta); err != nil {
			t.Fatal(err)
		}
		// Dora's first flag is dismissed, her second stays open.
		if err := w.svc.Flag(ctx, dora, w.sol.Slug, ulmReport.ID, "Werbung", w.meta); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Moderate(ctx, w.curator, ulmReport.ID, false, "", w.meta); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Flag(ctx, dora, w.sol.Slug, ulmReport.ID, "Immer noch Werbung", w.meta); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Flag(ctx, w.outsider, w.sol.Slug, ulmReport.ID, "Fremde Meldung", w.meta); err != nil {
			t.Fatal(err)
		}
		ulmUse, err := db.UseOf(ctx, w.sol.ID, w.ulm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Contact(ctx, dora, w.sol.Slug, ulmUse.ID, "muenchen", "Wie lief die Schulung?", w.meta); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Contact(ctx, w.carl, w.sol.Slug, ulmUse.ID, "muenchen", "Carls Frage", w.meta); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMedium(ctx, catalog.Medium{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: w.sol.ID, Kind: "logo",
			ContentType: "image/png", Width: 1, Height: 1, SHA256: "00", Data: []byte{1}, CreatedBy: w.provider.ID}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddRepository(ctx, catalog.Repository{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: w.sol.ID,
			URL: "https://example.org/mm.git", AddedBy: w.provider.ID, Added: time.Now(), NextAttempt: time.Now()}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}

		e, raw := usageExport(t, w, dora)
		decls := e.Extra["usage_declarations"].([]catalog.ExportDeclaration)
		if len(decls) != 1 || decls[0].ID != muc.ID || decls[0].Solution != "Mängelmelder" || decls[0].SolutionSlug != w.sol.Slug ||
			decls[0].Organisation != "München" || decls[0].Since != "2024-03" || decls[0].Status != catalog.Piloting || decls[0].Created.IsZero() {
			t.Errorf("declarations %+v", decls)
		}
		reps := e.Extra["experience_reports"].([]catalog.ExportReport)
		if len(reps) != 1 || reps[0].ID != mucReport.ID || reps[0].Role != catalog.ReportAuthor || reps[0].Text != "Gute Einführung." ||
			reps[0].Usability != 5 || reps[0].Value != 2 || reps[0].Again == nil || !*reps[0].Again || reps[0].Answer != "" || reps[0].Created == nil {
			t.Errorf("reports %+v", reps)
		}
		flags := e.Extra["report_flags"].([]catalog.ExportFlag)
		if len(flags) != 2 || flags[0].Reason != "Werbung" || flags[0].Resolution != "dismissed" || flags[0].Resolved == nil ||
			flags[1].Reason != "Immer noch Werbung" || flags[1].Resolved != nil || flags[1].ReportID != ulmReport.ID || flags[1].Organisation != "Ulm" ||
			flags[1].Solution != "Mängelmelder" {
			t.Errorf("flags %+v", flags)
		}
		contacts := e.Extra["contact_requests"].([]catalog.ExportContact)
		if len(contacts) != 1 || contacts[0].Organisation != "Ulm" || contacts[0].From != "München" || contacts[0].Message != "Wie lief die Schulung?" ||
			contacts[0].Created.IsZero() {
			t.Errorf("contact requests %+v", contacts)
		}
		for _, absent := range []string{"Läuft.", "Fremde Meldung", "Carls Frage", "Danke, München!", "mm.git"} {
			if strings.Contains(raw, absent) {
				t.Errorf("Dora's export holds %q of others: %s", absent, raw)
			}
		}
		if !strings.Contains(raw, `"uploaded_media":[]`) || !strings.Contains(raw, `"registered_repositories":[]`) {
			t.Errorf("empty parts are not empty lists: %s", raw)
		}
		// The provider's export: the answer, the logo and the repository.
		e, _ = usageExport(t, w, w.provider)
		reps = e.Extra["experience_reports"].([]catalog.ExportReport)
		if len(reps) != 1 || reps[0].Role != catalog.ReportProvider || reps[0].Answer != "Danke, München!" || reps[0].Answered == nil ||
			reps[0].Text != "" || reps[0].Organisation != "München" {
			t.Errorf("provider's reports %+v", reps)
		}
		if m := e.Extra["uploaded_media"].([]catalog.ExportMedium); len(m) != 1 || m[0].Kind != "logo" || m[0].SolutionSlug != w.sol.Slug {
			t.Errorf("media %+v", m)
		}
		if r := e.Extra["registered_repositories"].([]catalog.ExportRepository); len(r) != 1 || r[0].URL != "https://example.org/mm.git" {
			t.Errorf("repositories %+v", r)
		}
		if len(e.Extra["usage_declarations"].([]catalog.ExportDeclaration)) != 0 || len(e.Extra["report_flags"].([]catalog.ExportFlag)) != 0 {
			t.Errorf("provider's export: %+v", e.Extra)
		}
		if len(w.mails(t, "catalog.usage_contact")) != 2 {
			t.Fatal("contact mails missing")
		}

		// Deleting Dora's account.
		if err := db.DeleteUser(ctx, dora.ID, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "account.deleted",
			ObjectType: "user", ObjectID: dora.ID}); err != nil {
			t.Fatal(err)
		}
		// Her flags and contact requests are gone; declaration and report
		// stay with München, under an id that names nobody.
		if _, raw = usageExport(t, w, dora); !strings.Contains(raw, `"contact_requests":[]`) || !strings.Contains(raw, `"report_flags":[]`) ||
			!strings.Contains(raw, `"usage_declarations":[{`) || !strings.Contains(raw, `"experience_reports":[{`) {
			t.Errorf("after deletion: %s", raw)
		}
		for _, m := range w.mails(t, "catalog.usage_contact") {
			if strings.Contains(m.Text, "dora@muenchen.de") || strings.Contains(m.Text, "Schulung") {
				t.Errorf("the relayed contact request survived: %s", m.Text)
			}
		}
		if len(w.mails(t, "catalog.usage_contact")) != 1 {
			t.Error("Carl's contact mail went too")
		}
		fr, err := db.FlaggedReport(ctx, ulmReport.ID)
		if err != nil || len(fr.Flags) != 1 || fr.Flags[0].Reason != "Fremde Meldung" {
			t.Errorf("open flags after deletion: %+v %v", fr.Flags, err)
		}
		var resolvedBy string
		if err := db.Pool().QueryRowContext(ctx, `SELECT user_id FROM usage_report_flags WHERE reason = 'Werbung'`).Scan(&resolvedBy); err != nil || resolvedBy != "" {
			t.Errorf("resolved flag after deletion: user %q %v", resolvedBy, err)
		}
		var contacts2 int
		if err := db.Pool().QueryRowContext(ctx, `SELECT COUNT(*) FROM usage_contacts WHERE message = 'Wie lief die Schulung?'`).Scan(&contacts2); err != nil || contacts2 != 0 {
			t.Errorf("contact request after deletion: %d %v", contacts2, err)
		}
		// München's declaration and report stay; without their author's
		// membership they no longer count, and its members still see them.
		d, err := db.UseOf(ctx, w.sol.ID, w.muenchen.ID)
		if err != nil || d.DeclaredBy != dora.ID || d.Verified {
			t.Errorf("declaration after deletion %+v %v", d, err)
		}
		if r, err := db.ReportByID(ctx, mucReport.ID); err != nil || r.Text != "Gute Einführung." || r.Answer != "Danke, München!" {
			t.Errorf("report after deletion %+v %v", r, err)
		}
		ov := w.overview(t, nil)
		if got := names(ov.Declarations); len(got) != 1 || got[0] != "Ulm" || len(ov.Reports) != 1 || ov.Reports[0].ID != ulmReport.ID {
			t.Errorf("public overview after deletion: %v %+v", got, ov.Reports)
		}
		ov = w.overview(t, &w.carl)
		if len(ov.Own) != 1 || ov.Own[0].ID != muc.ID || ov.OwnReport(w.muenchen.ID) == nil {
			t.Errorf("München's members lost their declaration: %+v", ov.Own)
		}
		// Another member takes the declaration up again, and it counts.
		w.declare(t, w.carl, inUse("muenchen"))
		if got := names(w.overview(t, nil).Declarations); len(got) != 2 {
			t.Errorf("declared again: %v", got)
		}
	})
}
