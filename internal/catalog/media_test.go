package catalog_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/jobs"
	"github.com/smartregions/smartregions/internal/media"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// picture is a real, opaque w×h PNG.
func picture(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 200, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMedia: a logo added to a draft is seen by the provider and the
// curators only; once published, by everyone. A new logo on the
// published entry goes into the next version and shows publicly only
// when that is published. Screenshots uploaded first (as through the
// API) join the entry when it is saved, with their size.
func TestMedia(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		if _, err := catalog.NewFields(db).Ensure(ctx); err != nil {
			t.Fatal(err)
		}
		svc := catalog.NewSolutions(db, db, db)
		m := account.Meta{IP: "192.0.2.3"}
		admin := user(t, db, "it@bild.example")
		outsider := user(t, db, "fremd@example.org")
		curator := user(t, db, "kuration@kompetenz.example", account.Curator)
		o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "bild", Kind: org.Company, Name: "Bild GmbH"},
			admin.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: admin.ID, Email: admin.Email,
			Status: org.Approved}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		withLogo := entry()
		withLogo.Logo = uuid.NewString()
		if _, err := svc.Create(ctx, admin, "bild", withLogo, m); code(err) != "invalid:error.invalid logo=media.error.unknown" {
			t.Fatalf("create with a logo from elsewhere: %s", code(err))
		}
		sol, err := svc.Create(ctx, admin, "bild", entry(), m)
		if err != nil {
			t.Fatal(err)
		}
		lock := func() int {
			t.Helper()
			s, _, err := svc.Get(ctx, &admin, sol.Slug)
			if err != nil {
				t.Fatal(err)
			}
			return s.Lock
		}
		sees := func(u *account.User, id string) string {
			t.Helper()
			med, public, err := svc.Medium(ctx, u, sol.Slug, id)
			switch {
			case err != nil:
				return code(err)
			case public:
				return "public"
			case len(med.Data) == 0:
				return "empty"
			}
			return "private"
		}

		// Refusals leave nothing behind.
		if _, err := svc.AddImage(ctx, admin, sol.Slug, lock(), media.Logo, "", []byte(`<svg onload="alert(1)"/>`), m); code(err) != "invalid:error.invalid file=media.error.svg" {
			t.Fatalf("svg: %s", code(err))
		}
		if _, err := svc.AddImage(ctx, admin, sol.Slug, lock(), media.Screenshot, " ", picture(t, 20, 10), m); code(err) != "invalid:error.invalid alt=form.error.required" {
			t.Fatalf("screenshot without alt: %s", code(err))
		}
		if _, err := svc.AddImage(ctx, admin, sol.Slug, lock(), "banner", "", picture(t, 20, 10), m); code(err) != "invalid:error.invalid kind=media.error.kind" {
			t.Fatalf("unknown kind: %s", code(err))
		}
		if _, err := svc.AddImage(ctx, admin, sol.Slug, lock()-1, media.Logo, "", picture(t, 20, 10), m); code(err) != "conflict:catalog.error.stale" {
			t.Fatalf("stale lock: %s", code(err))
		}
		if _, err := svc.AddImage(ctx, outsider, sol.Slug, lock(), media.Logo, "", picture(t, 20, 10), m); code(err) != "not_found:catalog.error.solution_not_found" {
			t.Fatalf("outsider: %s", code(err))
		}
		if list, err := db.MediaOf(ctx, sol.ID); err != nil || len(list) != 0 {
			t.Fatalf("refused uploads were stored: %d %v", len(list), err)
		}

		logo1, err := svc.AddImage(ctx, admin, sol.Slug, lock(), media.Logo, "", picture(t, 2000, 500), m)
		if err != nil {
			t.Fatal(err)
		}
		if logo1.ContentType != media.PNG || logo1.Width != 1024 || logo1.Height != 256 {
			t.Fatalf("logo %s %d×%d", logo1.ContentType, logo1.Width, logo1.Height)
		}
		for _, c := range []struct {
			who  *account.User
			want string
		}{{nil, "not_found:catalog.error.solution_not_found"}, {&outsider, "not_found:catalog.error.solution_not_found"},
			{&admin, "private"}, {&curator, "private"}} {
			if got := sees(c.who, logo1.ID); got != c.want {
				t.Errorf("draft logo as %v: %s, want %s", c.who, got, c.want)
			}
		}

		// Published: everyone sees the logo.
		if err := svc.Submit(ctx, admin, sol.Slug, lock(), m); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddImage(ctx, admin, sol.Slug, lock(), media.Logo, "", picture(t, 20, 10), m); code(err) != "conflict:catalog.error.in_review" {
			t.Fatalf("image while in review: %s", code(err))
		}
		if err := svc.Review(ctx, curator, sol.Slug, lock(), true, "", m); err != nil {
			t.Fatal(err)
		}
		if got := sees(nil, logo1.ID); got != "public" {
			t.Fatalf("published logo for a visitor: %s", got)
		}

		// A new logo goes into version 2; the public still sees the first.
		logo2, err := svc.AddImage(ctx, admin, sol.Slug, lock(), media.Logo, "", picture(t, 64, 64), m)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := svc.Public(ctx, sol.Slug)
		if err != nil || pub.Published.Entry.Logo != logo1.ID || pub.Published.Entry.LogoWidth != 1024 || pub.Working == nil ||
			pub.Working.Entry.Logo != logo2.ID || pub.Working.Entry.LogoHeight != 64 {
			t.Fatalf("after a new logo: %+v %v", pub, err)
		}
		if got := sees(nil, logo2.ID); got != "not_found:media.error.not_found" {
			t.Errorf("draft logo of a published solution for a visitor: %s", got)
		}
		if got := sees(&admin, logo2.ID); got != "private" {
			t.Errorf("draft logo for its provider: %s", got)
		}
		if got := sees(nil, uuid.NewString()); got != "not_found:media.error.not_found" {
			t.Errorf("unknown medium: %s", got)
		}
		if got := sees(nil, "../x"); got != "not_found:media.error.not_found" {
			t.Errorf("malformed id: %s", got)
		}

		// Screenshots uploaded first join the entry when it is saved.
		shot, err := svc.Upload(ctx, admin, sol.Slug, media.Screenshot, "", picture(t, 400, 300), m)
		if err != nil || shot.ContentType != media.JPEG || shot.Width != 400 {
			t.Fatalf("upload %s %d×%d %v", shot.ContentType, shot.Width, shot.Height, err)
		}
		if _, err := svc.Upload(ctx, outsider, sol.Slug, media.Screenshot, "", picture(t, 4, 3), m); code(err) != "forbidden:error.forbidden" {
			t.Fatalf("outsider uploads: %s", code(err))
		}
		if _, err := svc.Upload(ctx, admin, sol.Slug, "icon", "", picture(t, 4, 3), m); code(err) != "invalid:error.invalid kind=media.error.kind" {
			t.Fatalf("unknown kind: %s", code(err))
		}
		if _, err := svc.Upload(ctx, admin, sol.Slug, media.Logo, "Logo", picture(t, 4, 3), m); code(err) != "invalid:error.invalid alt=media.error.alt_logo" {
			t.Fatalf("logo with alt: %s", code(err))
		}
		described, err := svc.Upload(ctx, admin, sol.Slug, media.Screenshot, "  Liste der   Meldungen ", picture(t, 300, 200), m)
		if err != nil {
			t.Fatal(err)
		}
		e := pub.Working.Entry
		e.Screenshots = []catalog.Screenshot{{ID: shot.ID, Alt: "Meldung auf der Karte", Width: 1, ContentType: "text/html"},
			{ID: " " + described.ID + " "}}
		e.Logo = shot.ID // a screenshot is no logo
		if err := svc.Update(ctx, admin, sol.Slug, lock(), e, m); code(err) != "invalid:error.invalid logo=media.error.unknown" {
			t.Fatalf("screenshot as logo: %s", code(err))
		}
		e.Logo = logo2.ID
		if err := svc.Update(ctx, admin, sol.Slug, lock(), e, m); err != nil {
			t.Fatal(err)
		}
		got, _, _ := svc.Get(ctx, &admin, sol.Slug)
		sc := got.Working.Entry.Screenshots
		if len(sc) != 2 || sc[0].Width != 400 || sc[0].Height != 300 || sc[0].ContentType != media.JPEG || sc[0].File() != shot.File() ||
			sc[0].Alt != "Meldung auf der Karte" || sc[1].ID != described.ID || sc[1].Alt != "Liste der Meldungen" {
			t.Fatalf("screenshots in the entry: %+v", sc)
		}

		// A medium of another solution cannot be borrowed.
		other, err := svc.Create(ctx, admin, "bild", entry(), m)
		if err != nil {
			t.Fatal(err)
		}
		borrowed := other.Working.Entry
		borrowed.Screenshots = []catalog.Screenshot{{ID: shot.ID, Alt: "fremd"}}
		if err := svc.Update(ctx, admin, other.Slug, other.Lock, borrowed, m); code(err) != "invalid:error.invalid screenshots.0.id=media.error.unknown" {
			t.Fatalf("borrowed screenshot: %s", code(err))
		}
		if _, _, err := svc.Medium(ctx, &admin, other.Slug, shot.ID); code(err) != "not_found:media.error.not_found" {
			t.Fatalf("medium under another solution's address: %s", code(err))
		}

		// The sweep deletes what no version refers to, a day later.
		stray, err := svc.Upload(ctx, admin, sol.Slug, media.Logo, "", picture(t, 8, 8), m)
		if err != nil {
			t.Fatal(err)
		}
		sweeper := catalog.NewMediaSweeper(db, nil)
		if err := sweeper.Work(ctx, &river.Job[catalog.SweepMediaArgs]{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Medium(ctx, stray.ID); err != nil {
			t.Fatalf("a fresh upload was swept: %v", err)
		}
		sweeper.Now = func() time.Time { return time.Now().Add(catalog.OrphanAge + time.Minute) }
		if err := sweeper.Work(ctx, &river.Job[catalog.SweepMediaArgs]{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Medium(ctx, stray.ID); code(err) != "not_found:media.error.not_found" {
			t.Fatalf("the stray upload was kept: %s", code(err))
		}
		for _, id := range []string{logo1.ID, logo2.ID, shot.ID, described.ID} {
			if _, err := db.Medium(ctx, id); err != nil {
				t.Errorf("referenced medium %s swept: %v", id, err)
			}
		}
		log, err := db.AuditLog(ctx, account.AuditFilter{Action: "catalog.medium_uploaded", Limit: 50})
		if err != nil || len(log.Items) != 5 {
			t.Errorf("audit of uploads: %d %v", len(log.Items), err)
		}
	})
}

// TestMediaSweeperJob runs the sweep as River runs it, on both
// databases: a second insert within the hour is the same job, and the
// job deletes the day-old orphan but not the fresh upload.
func TestMediaSweeperJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		admin := user(t, db, "it@sweep.example")
		o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "sweep", Kind: org.Company, Name: "Sweep"},
			admin.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		sol, err := db.CreateSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "sweep", OrgID: o.ID}, entry(), account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		add := func(age time.Duration) string {
			t.Helper()
			db.Now = func() time.Time { return time.Now().Add(-age) }
			defer func() { db.Now = time.Now }()
			m := catalog.Medium{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, Kind: media.Logo, ContentType: media.PNG,
				Width: 1, Height: 1, SHA256: "x", Data: []byte("x")}
			if err := db.AddMedium(ctx, m, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			return m.ID
		}
		orphan, fresh := add(48*time.Hour), add(time.Minute)

		workers := river.NewWorkers()
		river.AddWorker(workers, catalog.NewMediaSweeper(db, slog.New(slog.DiscardHandler)))
		r, err := jobs.New(ctx, db, workers, jobs.Config{PollInterval: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		events, cancelSub := r.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancelSub()
		runCtx, cancel := context.WithCancel(context.Background())
		if err := r.Start(runCtx); err != nil {
			t.Fatal(err)
		}
		defer func() { cancel(); <-r.Stopped() }()
		first, err := r.Client().Insert(ctx, catalog.SweepMediaArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		second, err := r.Client().Insert(ctx, catalog.SweepMediaArgs{}, nil)
		if err != nil || !second.UniqueSkippedAsDuplicate {
			t.Fatalf("second sweep in the hour: %+v %v", second, err)
		}
		select {
		case e := <-events:
			if e.Kind != river.EventKindJobCompleted || e.Job.ID != first.Job.ID {
				t.Fatalf("event %s of job %d", e.Kind, e.Job.ID)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the sweep did not run before the deadline")
		}
		if _, err := db.Medium(ctx, orphan); code(err) != "not_found:media.error.not_found" {
			t.Errorf("orphan kept: %s", code(err))
		}
		if _, err := db.Medium(ctx, fresh); err != nil {
			t.Errorf("fresh upload swept: %v", err)
		}
	})
}
