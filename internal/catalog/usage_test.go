package catalog_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/publiccode"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// usageWorld is a database with a published solution of a provider and
// municipalities: Ulm (verified), München (verified later in some
// tests) and Aschheim (unverified).
type usageWorld struct {
	db       *store.DB
	svc      *catalog.Usage
	sol      catalog.Solution
	provider account.User // member of the providing company
	eva      account.User // admin of Ulm
	bob      account.User // member of Ulm
	carl     account.User // admin of München
	anna     account.User // admin of Aschheim (unverified)
	outsider account.User
	curator  account.User
	ulm      org.Organisation
	muenchen org.Organisation
	aschheim org.Organisation
	meta     account.Meta
}

func newUsageWorld(t *testing.T, db *store.DB) *usageWorld {
	t.Helper()
	ctx := t.Context()
	regiontest.ImportDistricts(t, db, "08421", "09162", "09184")
	if _, err := catalog.NewFields(db).Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	outbox, err := mail.NewService(db, mail.SMTPConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &usageWorld{db: db, meta: account.Meta{IP: "192.0.2.9"},
		provider: user(t, db, "vertrieb@anbieter.example"), eva: user(t, db, "eva@ulm.de"), bob: user(t, db, "bob@ulm.de"),
		carl: user(t, db, "carl@muenchen.de"), anna: user(t, db, "anna@aschheim.de"), outsider: user(t, db, "fremd@example.org"),
		curator: user(t, db, "kuration@kompetenz.example", account.Curator)}
	w.svc = catalog.NewUsage(db, catalog.NewSolutions(db, db, db), db, outbox, bundle, "https://smartregions.example/",
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	mkOrg := func(slug string, kind org.Kind, name, key string, admin account.User) org.Organisation {
		t.Helper()
		o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Kind: kind, Name: name, RegionKey: key},
			admin.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	company := mkOrg("anbieter", org.Company, "Anbieter GmbH", "", w.provider)
	w.approve(company.ID, user(t, db, "chef@anbieter.example"))
	w.ulm = mkOrg("ulm", org.Municipality, "Ulm", "08421000", w.eva)
	w.approve(w.ulm.ID, w.bob) // verifies Ulm
	w.muenchen = mkOrg("muenchen", org.Municipality, "München", "09162000", w.carl)
	w.aschheim = mkOrg("aschheim", org.Municipality, "Aschheim", "09184112", w.anna)
	if _, err := db.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "maengelmelder", OrgID: company.ID,
		ImportedFrom: "test/maengelmelder"}, entry(), account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if w.sol, err = catalog.NewSolutions(db, db, db).Public(ctx, "maengelmelder"); err != nil {
		t.Fatal(err)
	}
	return w
}

// approve makes u a member of the organisation through an approved claim,
// which verifies it.
func (w *usageWorld) approve(orgID string, u account.User) {
	if err := w.db.CreateRequest(context.Background(), org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: orgID, UserID: u.ID,
		Email: u.Email, Status: org.Approved}, account.AuditEntry{}); err != nil {
		panic(err)
	}
}

func (w *usageWorld) declare(t *testing.T, u account.User, f catalog.UseForm) catalog.Declaration {
	t.Helper()
	d, err := w.svc.Declare(t.Context(), u, w.sol.Slug, f, w.meta)
	if err != nil {
		t.Fatalf("declare %s: %v", f.Org, err)
	}
	return d
}

func (w *usageWorld) overview(t *testing.T, viewer *account.User) catalog.Overview {
	t.Helper()
	ov, err := w.svc.Overview(t.Context(), viewer, w.sol, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ov
}

// mails returns the outbox's mails of kind, with their texts.
func (w *usageWorld) mails(t *testing.T, kind string) []mail.Mail {
	t.Helper()
	list, _, err := w.db.Mails(t.Context(), 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []mail.Mail
	for _, m := range list {
		if m.Kind == kind {
			full, err := w.db.Mail(t.Context(), m.ID)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, full)
		}
	}
	return out
}

func inUse(o string) catalog.UseForm {
	return catalog.UseForm{Org: o, Since: "03/2024", Delivery: catalog.SaaS, Status: catalog.InUse, Contactable: true}
}

func names(decls []catalog.Declaration) []string {
	var out []string
	for _, d := range decls {
		out = append(out, d.Org.Name)
	}
	return out
}

func TestCanUse(t *testing.T) {
	plain, curator := &account.User{ID: "u"}, &account.User{ID: "c", Roles: []account.Role{account.Curator}}
	muni := &org.Membership{OrgKind: org.Municipality, Verified: true}
	unverified := &org.Membership{OrgKind: org.Municipality}
	district := &org.Membership{OrgKind: org.District, Verified: true}
	provider := &org.Membership{OrgKind: org.Company}
	cases := []struct {
		name             string
		u                *account.User
		act              catalog.UseAction
		acting, provider *org.Membership
		want             bool
	}{
		{"visitor declares", nil, catalog.UseDeclare, muni, nil, false},
		{"municipality member declares", plain, catalog.UseDeclare, muni, nil, true},
		{"unverified municipality declares", plain, catalog.UseDeclare, unverified, nil, true},
		{"district declares", plain, catalog.UseDeclare, district, nil, false},
		{"without organisation", plain, catalog.UseDeclare, nil, nil, false},
		{"verified municipality asks", plain, catalog.UseContact, muni, nil, true},
		{"unverified municipality asks", plain, catalog.UseContact, unverified, nil, false},
		{"company asks", plain, catalog.UseContact, provider, nil, false},
		{"provider answers", plain, catalog.UseAnswer, nil, provider, true},
		{"curator answers", curator, catalog.UseAnswer, nil, nil, false},
		{"user flags", plain, catalog.UseFlag, nil, nil, true},
		{"visitor flags", nil, catalog.UseFlag, nil, nil, false},
		{"curator moderates", curator, catalog.UseModerate, nil, nil, true},
		{"provider moderates", plain, catalog.UseModerate, nil, provider, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := catalog.CanUse(c.u, c.act, c.acting, c.provider); got != c.want {
				t.Errorf("CanUse = %v, want %v", got, c.want)
			}
		})
	}
}

func TestParseMonth(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" when refused
	}{
		{"2024-03", "2024-03"}, {"03/2024", "2024-03"}, {"3/2024", "2024-03"}, {"03.2024", "2024-03"}, {" 3.2024 ", "2024-03"},
		{"2024-03-15", "2024-03"}, {"15.03.2024", "2024-03"}, {"13/2024", ""}, {"März 2024", ""}, {"", ""}, {"2024", ""},
	}
	for _, c := range cases {
		got, ok := catalog.ParseMonth(c.in)
		if (c.want == "") == ok || ok && got.Format("2006-01") != c.want || ok && got.Day() != 1 {
			t.Errorf("ParseMonth(%q) = %v %v, want %q", c.in, got, ok, c.want)
		}
	}
}

// TestUsageDeclare: who may declare, what is checked, and what counts:
// only verified declarations of current users, with their states and
// populations from the register.
func TestUsageDeclare(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUsageWorld(t, db)
		ctx := t.Context()
		future := time.Now().AddDate(0, 2, 0).Format("01/2006")
		for _, c := range []struct {
			name string
			u    account.User
			f    func(f *catalog.UseForm)
			want string
		}{
			{"NotMember", w.outsider, func(f *catalog.UseForm) {}, "forbidden:usage.error.not_member"},
			{"Company", w.provider, func(f *catalog.UseForm) { f.Org = "anbieter" }, "invalid:error.invalid organisation=usage.error.org_kind"},
			{"NoOrganisation", w.eva, func(f *catalog.UseForm) { f.Org = "" }, "invalid:error.invalid organisation=usage.error.organisation"},
			{"UnknownOrganisation", w.eva, func(f *catalog.UseForm) { f.Org = "gibt-es-nicht" }, "invalid:error.invalid organisation=usage.error.organisation"},
			{"SinceMissing", w.eva, func(f *catalog.UseForm) { f.Since = " " }, "invalid:error.invalid since=form.error.required"},
			{"SinceMalformed", w.eva, func(f *catalog.UseForm) { f.Since = "13/2024" }, "invalid:error.invalid since=usage.error.since"},
			{"SinceFuture", w.eva, func(f *catalog.UseForm) { f.Since = future }, "invalid:error.invalid since=usage.error.since_future"},
			{"SinceAncient", w.eva, func(f *catalog.UseForm) { f.Since = "1980-01" }, "invalid:error.invalid since=usage.error.since_past"},
			{"Delivery", w.eva, func(f *catalog.UseForm) { f.Delivery = "cloud" }, "invalid:error.invalid delivery=usage.error.delivery"},
			{"Status", w.eva, func(f *catalog.UseForm) { f.Status = "maybe" }, "invalid:error.invalid status=usage.error.status"},
			{"StoppedWithoutReason", w.eva, func(f *catalog.UseForm) { f.Status, f.Reason = catalog.Stopped, "  " }, "invalid:error.invalid reason=usage.error.reason"},
			{"VersionTooNew", w.eva, func(f *catalog.UseForm) { f.Version = 2 }, "invalid:error.invalid version=usage.error.version"},
			{"VersionNegative", w.eva, func(f *catalog.UseForm) { f.Version = -1 }, "invalid:error.invalid version=usage.error.version"},
		} {
			t.Run(c.name, func(t *testing.T) {
				f := inUse("ulm")
				c.f(&f)
				if _, err := w.svc.Declare(ctx, c.u, w.sol.Slug, f, w.meta); code(err) != c.want {
					t.Errorf("got %s, want %s", code(err), c.want)
				}
			})
		}
		if _, err := w.svc.Declare(ctx, w.eva, "gibt-es-nicht", inUse("ulm"), w.meta); code(err) != "not_found:catalog.error.solution_not_found" {
			t.Errorf("unknown solution: %s", code(err))
		}
		if ov := w.overview(t, nil); len(ov.Declarations) != 0 {
			t.Fatalf("refused declarations were stored: %+v", ov.Declarations)
		}

		d := w.declare(t, w.eva, inUse("ulm"))
		if !d.Verified || d.Version != 1 || d.Since.Format("2006-01") != "2024-03" || d.Org.StateName != "Baden-Württemberg" || d.Org.Population < 100000 {
			t.Fatalf("Ulm's declaration %+v", d)
		}
		f := inUse("muenchen")
		f.Status = catalog.Piloting
		if d := w.declare(t, w.carl, f); d.Verified {
			t.Fatal("an unverified municipality's declaration counts")
		}
		ov := w.overview(t, nil)
		if got := names(ov.Declarations); !slices.Equal(got, []string{"Ulm"}) || ov.Summary.Municipalities != 1 || len(ov.Own) != 0 {
			t.Fatalf("visitor sees %v, summary %+v", got, ov.Summary)
		}
		if own := w.overview(t, &w.carl).Own; len(own) != 1 || own[0].Verified || own[0].Org.Slug != "muenchen" {
			t.Fatalf("München's member sees own %+v", own)
		}

		w.approve(w.muenchen.ID, user(t, db, "dora@muenchen.de")) // verifies München
		sum := w.overview(t, nil).Summary
		if sum.Municipalities != 2 || sum.Piloting != 1 || len(sum.States) != 2 || sum.Smallest.Name != "Ulm" || sum.Largest.Name != "München" {
			t.Fatalf("summary %+v", sum)
		}
		used, err := w.svc.UsedBy(ctx, w.sol)
		if err != nil || !slices.Equal(used[w.sol.ID], []string{"München", "Ulm"}) {
			t.Fatalf("used by %v %v", used, err)
		}

		// A change by another member updates the one declaration.
		stop := inUse("ulm")
		stop.Status, stop.Reason, stop.Contactable = catalog.Stopped, "Anbieter hat den Betrieb eingestellt", false
		if d := w.declare(t, w.bob, stop); d.Status != catalog.Stopped || d.DeclaredBy != w.bob.ID || d.Contactable {
			t.Fatalf("update %+v", d)
		}
		ov = w.overview(t, nil)
		if ov.Summary.Municipalities != 1 || ov.Summary.Stopped != 1 || len(ov.Declarations) != 2 || ov.Declarations[1].Org.Name != "Ulm" {
			t.Fatalf("after stopping: %+v %v", ov.Summary, names(ov.Declarations))
		}

		// The declaring user leaves München: its declaration no longer counts.
		dora, _, _ := db.UserByEmail(ctx, "dora@muenchen.de")
		if err := db.SetMemberRole(ctx, w.muenchen.ID, dora.ID, org.Admin, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if err := db.RemoveMember(ctx, w.muenchen.ID, w.carl.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if sum := w.overview(t, nil).Summary; sum.Municipalities != 0 {
			t.Fatalf("a former member's declaration counts: %+v", sum)
		}

		if err := w.svc.Withdraw(ctx, w.outsider, w.sol.Slug, "ulm", w.meta); code(err) != "forbidden:usage.error.not_member" {
			t.Errorf("outsider withdraws: %s", code(err))
		}
		if err := w.svc.Withdraw(ctx, w.anna, w.sol.Slug, "aschheim", w.meta); code(err) != "not_found:usage.error.not_declared" {
			t.Errorf("withdraw without declaration: %s", code(err))
		}
		if err := w.svc.Withdraw(ctx, w.eva, w.sol.Slug, "ulm", w.meta); err != nil {
			t.Fatal(err)
		}
		if ov := w.overview(t, &w.eva); len(ov.Declarations) != 0 || len(ov.Own) != 0 {
			t.Fatalf("withdrawn declaration still shown: %v %v", names(ov.Declarations), names(ov.Own))
		}
		if err := w.svc.Withdraw(ctx, w.eva, w.sol.Slug, "ulm", w.meta); code(err) != "not_found:usage.error.not_declared" {
			t.Errorf("withdraw twice: %s", code(err))
		}
		// Declaring again takes the withdrawn declaration up.
		if d2 := w.declare(t, w.eva, inUse("ulm")); d2.ID != d.ID || d2.Withdrawn != nil || d2.Status != catalog.InUse {
			t.Fatalf("declared again: %+v", d2)
		}
		log, err := db.AuditLog(ctx, account.AuditFilter{Action: "catalog.", Limit: 50})
		var actions []string
		for _, e := range log.Items {
			actions = append(actions, e.Action)
		}
		if want := []string{"catalog.usage_declared", "catalog.usage_withdrawn", "catalog.usage_updated", "catalog.usage_declared",
			"catalog.usage_declared"}; err != nil || !slices.Equal(actions, want) {
			t.Errorf("audit %v %v, want %v", actions, err, want)
		}
	})
}

func report(o string, text string, ratings ...int) catalog.ReportForm {
	yes := true
	f := catalog.ReportForm{Org: o, Text: text, Usability: 4, Support: 4, Integration: 4, Value: 4, Again: &yes}
	if len(ratings) == 4 {
		f.Usability, f.Support, f.Integration, f.Value = ratings[0], ratings[1], ratings[2], ratings[3]
	}
	return f
}

// TestUsageReports: reports of declaring municipalities with averages,
// the provider's answer, flags and the curators' moderation.
func TestUsageReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUsageWorld(t, db)
		ctx := t.Context()
		w.approve(w.muenchen.ID, user(t, db, "dora@muenchen.de"))
		w.declare(t, w.eva, inUse("ulm"))
		w.declare(t, w.carl, inUse("muenchen"))
		w.declare(t, w.anna, inUse("aschheim")) // unverified

		no := false
		for _, c := range []struct {
			name string
			u    account.User
			f    catalog.ReportForm
			want string
		}{
			{"NoDeclaration", w.provider, report("anbieter", "Gut"), "invalid:error.invalid organisation=usage.error.org_kind"},
			{"NotMember", w.outsider, report("ulm", "Gut"), "forbidden:usage.error.not_member"},
			{"RatingsRange", w.eva, report("ulm", "Gut", 0, 6, 3, 5), "invalid:error.invalid usability=usage.error.rating support=usage.error.rating"},
			{"TextMissing", w.eva, report("ulm", " \n "), "invalid:error.invalid text=form.error.required"},
			{"TextTooLong", w.eva, report("ulm", strings.Repeat("x", catalog.MaxReportText+1)), "invalid:error.invalid text=form.error.too_long"},
			{"AgainMissing", w.eva, catalog.ReportForm{Org: "ulm", Text: "Gut", Usability: 1, Support: 1, Integration: 1, Value: 1}, "invalid:error.invalid again=usage.error.again"},
		} {
			t.Run(c.name, func(t *testing.T) {
				if _, err := w.svc.SaveReport(ctx, c.u, w.sol.Slug, c.f, w.meta); code(err) != c.want {
					t.Errorf("got %s, want %s", code(err), c.want)
				}
			})
		}
		outsiderMuni := user(t, db, "ella@aschheim.de")
		w.approve(w.aschheim.ID, outsiderMuni)
		if err := w.svc.Withdraw(ctx, w.anna, w.sol.Slug, "aschheim", w.meta); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SaveReport(ctx, outsiderMuni, w.sol.Slug, report("aschheim", "Gut"), w.meta); code(err) != "invalid:error.invalid organisation=usage.error.declare_first" {
			t.Errorf("report without declaration: %s", code(err))
		}

		ulm, err := w.svc.SaveReport(ctx, w.eva, w.sol.Slug, report("ulm", "Läuft **stabil**.", 5, 4, 3, 4), w.meta)
		if err != nil || !ulm.Visible() || ulm.Org.Name != "Ulm" {
			t.Fatalf("report %+v %v", ulm, err)
		}
		f := report("muenchen", "Support langsam.", 3, 2, 3, 2)
		f.Again = &no
		muc, err := w.svc.SaveReport(ctx, w.carl, w.sol.Slug, f, w.meta)
		if err != nil {
			t.Fatal(err)
		}
		// Rewriting keeps the one report.
		again, err := w.svc.SaveReport(ctx, w.bob, w.sol.Slug, report("ulm", "Läuft stabil, auch im Winter.", 5, 4, 3, 4), w.meta)
		if err != nil || again.ID != ulm.ID || again.WrittenBy != w.bob.ID {
			t.Fatalf("rewrite %+v %v", again, err)
		}
		r := w.overview(t, nil).Summary.Ratings
		if r.Reports != 2 || r.Usability != 4 || r.Support != 3 || r.Integration != 3 || r.Value != 3 || r.Again != 1 {
			t.Fatalf("ratings %+v", r)
		}

		// The provider answers, once, and may change the answer.
		if err := w.svc.Answer(ctx, w.outsider, w.sol.Slug, ulm.ID, "Danke", w.meta); code(err) != "forbidden:usage.error.provider_only" {
			t.Errorf("outsider answers: %s", code(err))
		}
		if err := w.svc.Answer(ctx, w.eva, w.sol.Slug, ulm.ID, "Danke", w.meta); code(err) != "forbidden:usage.error.provider_only" {
			t.Errorf("municipality answers: %s", code(err))
		}
		if err := w.svc.Answer(ctx, w.provider, w.sol.Slug, ulm.ID, " ", w.meta); code(err) != "invalid:error.invalid answer=form.error.required" {
			t.Errorf("empty answer: %s", code(err))
		}
		if err := w.svc.Answer(ctx, w.provider, w.sol.Slug, uuid.NewString(), "Danke", w.meta); code(err) != "not_found:usage.error.report_not_found" {
			t.Errorf("answer to unknown report: %s", code(err))
		}
		for _, text := range []string{"Danke!", "Danke für den Bericht."} {
			if err := w.svc.Answer(ctx, w.provider, w.sol.Slug, ulm.ID, text, w.meta); err != nil {
				t.Fatal(err)
			}
		}
		if got := w.overview(t, nil).Reports; len(got) != 2 || got[0].ID != ulm.ID || got[0].Answer != "Danke für den Bericht." || got[0].Answered == nil {
			t.Fatalf("reports after the answer %+v", got)
		}

		// Flags and moderation.
		if err := w.svc.Flag(ctx, w.outsider, w.sol.Slug, muc.ID, "  ", w.meta); code(err) != "invalid:error.invalid reason=form.error.required" {
			t.Errorf("flag without reason: %s", code(err))
		}
		for _, u := range []account.User{w.outsider, w.provider} {
			if err := w.svc.Flag(ctx, u, w.sol.Slug, muc.ID, "Unsachlich", w.meta); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.svc.Flag(ctx, w.outsider, w.sol.Slug, muc.ID, "Nochmal", w.meta); code(err) != "conflict:usage.error.flagged" {
			t.Errorf("flag twice: %s", code(err))
		}
		if err := w.svc.Flag(ctx, w.outsider, w.sol.Slug, ulm.ID, "Werbung", w.meta); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Flagged(ctx, w.provider); code(err) != "forbidden:error.forbidden" {
			t.Errorf("provider reads the queue: %s", code(err))
		}
		queue, err := w.svc.Flagged(ctx, w.curator)
		if err != nil || len(queue) != 2 || queue[0].Report.ID != muc.ID || len(queue[0].Flags) != 2 || queue[0].SolutionName != "Mängelmelder" {
			t.Fatalf("queue %+v %v", queue, err)
		}
		if err := w.svc.Moderate(ctx, w.provider, muc.ID, true, "x", w.meta); code(err) != "forbidden:error.forbidden" {
			t.Errorf("provider moderates: %s", code(err))
		}
		if err := w.svc.Moderate(ctx, w.curator, muc.ID, true, " ", w.meta); code(err) != "invalid:error.invalid reason=form.error.required" {
			t.Errorf("hide without reason: %s", code(err))
		}
		if err := w.svc.Moderate(ctx, w.curator, muc.ID, true, "Persönliche Angriffe", w.meta); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Moderate(ctx, w.curator, muc.ID, true, "Nochmal", w.meta); code(err) != "conflict:usage.error.no_flags" {
			t.Errorf("second decision: %s", code(err))
		}
		if err := w.svc.Moderate(ctx, w.curator, ulm.ID, false, "", w.meta); err != nil { // dismissed: stays
			t.Fatal(err)
		}
		ov := w.overview(t, &w.carl)
		if len(ov.Reports) != 1 || ov.Reports[0].ID != ulm.ID || ov.Summary.Ratings.Reports != 1 {
			t.Fatalf("a hidden report is public: %+v", ov.Reports)
		}
		if own := ov.OwnReport(w.muenchen.ID); own == nil || own.Hidden == nil || own.Reason != "Persönliche Angriffe" {
			t.Fatalf("München does not learn why its report is hidden: %+v", own)
		}
		if err := w.svc.Answer(ctx, w.provider, w.sol.Slug, muc.ID, "Danke", w.meta); code(err) != "not_found:usage.error.report_not_found" {
			t.Errorf("answer to a hidden report: %s", code(err))
		}
		if err := w.svc.Flag(ctx, w.curator, w.sol.Slug, muc.ID, "x", w.meta); code(err) != "not_found:usage.error.report_not_found" {
			t.Errorf("flag a hidden report: %s", code(err))
		}
		if queue, _ := w.svc.Flagged(ctx, w.curator); len(queue) != 0 {
			t.Errorf("queue after the decisions: %+v", queue)
		}
	})
}

// TestUsageContact: requests are relayed to the declaring municipality's
// admins with the requester's address, within the monthly caps.
func TestUsageContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUsageWorld(t, db)
		ctx := t.Context()
		w.approve(w.muenchen.ID, user(t, db, "dora@muenchen.de"))
		d := w.declare(t, w.eva, inUse("ulm"))
		quiet := inUse("muenchen")
		quiet.Contactable = false
		dm := w.declare(t, w.carl, quiet)

		for _, c := range []struct {
			name, id, org, msg string
			u                  account.User
			want               string
		}{
			{"NotContactable", dm.ID, "ulm", "Hallo", w.eva, "not_found:usage.error.contact_not_found"},
			{"UnknownDeclaration", uuid.NewString(), "muenchen", "Hallo", w.carl, "not_found:usage.error.contact_not_found"},
			{"MalformedID", "x", "muenchen", "Hallo", w.carl, "not_found:usage.error.contact_not_found"},
			{"Self", d.ID, "ulm", "Hallo", w.bob, "invalid:error.invalid organisation=usage.error.contact_self"},
			{"Unverified", d.ID, "aschheim", "Hallo", w.anna, "invalid:error.invalid organisation=usage.error.contact_unverified"},
			{"Company", d.ID, "anbieter", "Hallo", w.provider, "invalid:error.invalid organisation=usage.error.org_kind"},
			{"NotMember", d.ID, "muenchen", "Hallo", w.outsider, "forbidden:usage.error.not_member"},
			{"MessageMissing", d.ID, "muenchen", " ", w.carl, "invalid:error.invalid message=form.error.required"},
		} {
			t.Run(c.name, func(t *testing.T) {
				if err := w.svc.Contact(ctx, c.u, w.sol.Slug, c.id, c.org, c.msg, w.meta); code(err) != c.want {
					t.Errorf("got %s, want %s", code(err), c.want)
				}
			})
		}
		if err := w.svc.Contact(ctx, w.carl, w.sol.Slug, d.ID, "muenchen", "Wie lief die Einführung?", w.meta); err != nil {
			t.Fatal(err)
		}
		sent := w.mails(t, "catalog.usage_contact")
		if len(sent) != 1 || sent[0].To != "eva@ulm.de" || !strings.Contains(sent[0].Text, "carl@muenchen.de") ||
			!strings.Contains(sent[0].Text, "Wie lief die Einführung?") || !strings.Contains(sent[0].Text, "München") {
			t.Fatalf("relayed mail %+v", sent)
		}

		// Five requests a month per user.
		for range catalog.MaxContactsPerUser - 1 {
			if err := w.svc.Contact(ctx, w.carl, w.sol.Slug, d.ID, "muenchen", "Noch eine Frage", w.meta); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.svc.Contact(ctx, w.carl, w.sol.Slug, d.ID, "muenchen", "Zu viel", w.meta); code(err) != "too_many_requests:usage.error.cap_user" {
			t.Fatalf("sixth request: %s", code(err))
		}
		// Ten a month per declaration: a colleague asks the rest, a third
		// person is refused.
		colleague, third := user(t, db, "kollegin@muenchen.de"), user(t, db, "dritte@muenchen.de")
		w.approve(w.muenchen.ID, colleague)
		w.approve(w.muenchen.ID, third)
		for range catalog.MaxContactsPerUse - catalog.MaxContactsPerUser {
			if err := w.svc.Contact(ctx, colleague, w.sol.Slug, d.ID, "muenchen", "Frage", w.meta); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.svc.Contact(ctx, third, w.sol.Slug, d.ID, "muenchen", "Frage", w.meta); code(err) != "too_many_requests:usage.error.cap_use" {
			t.Fatalf("request beyond the declaration's cap: %s", code(err))
		}
		if got := len(w.mails(t, "catalog.usage_contact")); got != catalog.MaxContactsPerUse {
			t.Fatalf("%d mails relayed, want %d (refused requests send none)", got, catalog.MaxContactsPerUse)
		}
		// Next month the caps start again.
		next := time.Now().AddDate(0, 1, 1)
		db.Now, w.svc.Now = func() time.Time { return next }, func() time.Time { return next }
		if err := w.svc.Contact(ctx, w.carl, w.sol.Slug, d.ID, "muenchen", "Neuer Monat", w.meta); err != nil {
			t.Fatalf("next month: %v", err)
		}
		log, err := db.AuditLog(ctx, account.AuditFilter{Action: "catalog.usage_contact_sent", Limit: 50})
		if err != nil || len(log.Items) != catalog.MaxContactsPerUse+1 {
			t.Errorf("audit: %d %v", len(log.Items), err)
		}
	})
}

// TestUsageFollowUps: the sweep asks for a review six and twelve months
// after a declaration, once each, also when run twice at the same time.
func TestUsageFollowUps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUsageWorld(t, db)
		ctx := t.Context()
		t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
		db.Now, w.svc.Now = func() time.Time { return t0 }, func() time.Time { return t0 }
		w.approve(w.muenchen.ID, user(t, db, "dora@muenchen.de"))
		w.declare(t, w.eva, inUse("ulm"))
		w.declare(t, w.anna, inUse("aschheim")) // unverified: not asked
		stopped := inUse("muenchen")
		stopped.Status, stopped.Reason = catalog.Stopped, "Zu teuer"
		w.declare(t, w.carl, stopped) // stopped: not asked

		sweep := func(at time.Time, want int) {
			t.Helper()
			db.Now = func() time.Time { return at }
			if n, err := w.svc.SendDueFollowUps(ctx, at); err != nil || n != want {
				t.Fatalf("sweep at %s: %d %v, want %d", at.Format("2006-01-02"), n, err, want)
			}
		}
		sweep(t0.AddDate(0, 5, 0), 0)
		// Two sweeps at once send one follow-up.
		at6 := t0.AddDate(0, 6, 1)
		db.Now = func() time.Time { return at6 }
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			total int
		)
		for range 2 {
			wg.Go(func() {
				n, err := w.svc.SendDueFollowUps(ctx, at6)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			})
		}
		wg.Wait()
		if total != 1 {
			t.Fatalf("concurrent sweeps sent %d follow-ups, want 1", total)
		}
		sweep(at6, 0)
		mails := w.mails(t, "catalog.usage_followup")
		if len(mails) != 1 || mails[0].To != "eva@ulm.de" || !strings.Contains(mails[0].Subject, "6 Monaten") ||
			!strings.Contains(mails[0].Text, "https://smartregions.example/loesungen/maengelmelder/erfahrungsbericht?organisation=ulm") {
			t.Fatalf("six-month mails %+v", mails)
		}
		sweep(t0.AddDate(0, 11, 0), 0)
		sweep(t0.AddDate(0, 12, 1), 1)
		sweep(t0.AddDate(0, 12, 2), 0)
		if mails := w.mails(t, "catalog.usage_followup"); len(mails) != 2 || !strings.Contains(mails[0].Subject, "12 Monaten") {
			t.Fatalf("twelve-month mails %+v", mails)
		}

		// A declaration that is twelve months old without any follow-up
		// (the sweep did not run) gets only the twelve-month one; the
		// River worker runs the same sweep.
		t1 := t0.AddDate(0, 1, 0)
		db.Now = func() time.Time { return t1 }
		w.declare(t, w.bob, inUse("ulm")) // an update: Ulm's follow-ups stay sent
		f := inUse("aschheim")
		w.approve(w.aschheim.ID, user(t, db, "ella@aschheim.de")) // Aschheim verified now
		w.declare(t, w.anna, f)
		late := t0.AddDate(0, 13, 0)
		db.Now, w.svc.Now = func() time.Time { return late }, func() time.Time { return late }
		if err := catalog.NewFollowUpWorker(w.svc).Work(ctx, &river.Job[catalog.FollowUpArgs]{}); err != nil {
			t.Fatal(err)
		}
		sweep(late, 0)
		mails = w.mails(t, "catalog.usage_followup")
		if len(mails) != 3 || mails[0].To != "anna@aschheim.de" || !strings.Contains(mails[0].Subject, "12 Monaten") {
			t.Fatalf("mails after the late sweep %+v", mails)
		}
	})
}

// TestUsedByExport: the verified users become the publiccode.yml's usedBy.
func TestUsedByExport(t *testing.T) {
	sol := catalog.Solution{Slug: "x", OrgName: "Anbieter", Published: &catalog.Version{Number: 1, Entry: entry()}}
	out, err := publiccode.Write(catalog.ToPublicCode(sol, "https://smartregions.example/loesungen/x", nil, "München", "Ulm"))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, problems := publiccode.Parse(out)
	if f == nil || publiccode.HasErrors(problems) || !slices.Equal(f.Software.UsedBy, []string{"München", "Ulm"}) {
		t.Fatalf("usedBy %v %v\n%s", f, problems, out)
	}
	if sw := catalog.ToPublicCode(sol, "https://smartregions.example/loesungen/x", nil); sw.UsedBy != nil {
		t.Errorf("usedBy without users: %v", sw.UsedBy)
	}
}
