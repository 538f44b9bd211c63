package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// mustSolution stores a draft solution of a new organisation.
func mustSolution(tb testing.TB, db *store.DB, u account.User, slug string) catalog.Solution {
	tb.Helper()
	ctx := context.Background()
	o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Kind: org.Company, Name: slug}, u.ID, account.AuditEntry{})
	if err != nil {
		tb.Fatal(err)
	}
	sol, err := db.CreateSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: o.ID},
		catalog.Entry{Name: slug, Short: "Kurz", Licence: "MIT", Maturity: "pilot"}, account.AuditEntry{})
	if err != nil {
		tb.Fatal(err)
	}
	return sol
}

func newMedium(solutionID, kind string, data []byte) catalog.Medium {
	return catalog.Medium{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: solutionID, Kind: kind, ContentType: "image/png",
		Width: 3, Height: 2, SHA256: "ab", Data: data}
}

func TestMedia(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "media@anbieter.example", "Media")
		sol := mustSolution(t, db, u, "bildlich")
		logo := newMedium(sol.ID, "logo", []byte("\x89PNG logo bytes \x00\xff"))
		shot := newMedium(sol.ID, "screenshot", []byte("screenshot bytes"))
		for _, m := range []catalog.Medium{logo, shot} {
			if err := db.AddMedium(ctx, m, audit(u, "catalog.medium_uploaded", "solution", sol.ID, nil)); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("OK", func(t *testing.T) {
			got, err := db.Medium(ctx, logo.ID)
			if err != nil || !bytes.Equal(got.Data, logo.Data) || got.Kind != "logo" || got.SolutionID != sol.ID || got.Width != 3 ||
				got.ContentType != "image/png" || got.Created.IsZero() || got.Created.Location() != time.UTC {
				t.Fatalf("Medium = %+v, %v", got, err)
			}
			list, err := db.MediaOf(ctx, sol.ID)
			if err != nil || len(list) != 2 || list[0].ID != logo.ID || list[1].ID != shot.ID || list[0].Data != nil {
				t.Fatalf("MediaOf = %+v, %v", list, err)
			}
			if list, err := db.MediaOf(ctx, uuid.NewString()); err != nil || len(list) != 0 {
				t.Fatalf("MediaOf of another solution = %+v, %v", list, err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := db.Medium(ctx, uuid.NewString()); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("ErrDuplicate", func(t *testing.T) {
			if err := db.AddMedium(ctx, logo, account.AuditEntry{}); !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("ErrTooMany", func(t *testing.T) {
			other := mustSolution(t, db, u, "viele-bilder")
			for range catalog.MaxPendingMedia {
				if err := db.AddMedium(ctx, newMedium(other.ID, "screenshot", []byte("x")), account.AuditEntry{}); err != nil {
					t.Fatal(err)
				}
			}
			err := db.AddMedium(ctx, newMedium(other.ID, "screenshot", []byte("x")), account.AuditEntry{})
			if !apperr.Is(err, apperr.TooMany) {
				t.Fatalf("upload beyond the pending limit: %v", err)
			}
		})
	})
}

// TestDeleteOrphanMedia: media older than the cut-off that no version of
// their own solution refers to are deleted; referenced ones, new ones and
// ones only another solution quotes are not. A second sweep finds nothing.
func TestDeleteOrphanMedia(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "sweep@anbieter.example", "Sweep")
		a := mustSolution(t, db, u, "loesung-a")
		b := mustSolution(t, db, u, "loesung-b")
		now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
		add := func(at time.Time, sol catalog.Solution, kind string) catalog.Medium {
			t.Helper()
			db.Now = func() time.Time { return at }
			m := newMedium(sol.ID, kind, []byte("bytes"))
			if err := db.AddMedium(ctx, m, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			return m
		}
		old := now.Add(-48 * time.Hour)
		referenced := add(old, a, "logo")
		superseded := add(old, a, "screenshot")
		orphan := add(old, a, "screenshot")
		quotedElsewhere := add(old, a, "screenshot")
		fresh := add(now.Add(-time.Hour), a, "logo")
		db.Now = func() time.Time { return now }

		// Version 1 shows one screenshot, the working version 2 the logo
		// and another; solution B's text quotes a medium of A.
		e := catalog.Entry{Name: "A", Short: "Kurz", Licence: "MIT", Maturity: "pilot", Screenshots: []catalog.Screenshot{{ID: superseded.ID, Alt: "Alt"}}}
		if err := db.SaveWorking(ctx, a.ID, a.Lock, e, u.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		sa, err := db.SolutionBySlug(ctx, a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetWorkingState(ctx, a.ID, sa.Lock, []string{catalog.Draft}, catalog.Submitted, "", u.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishWorking(ctx, a.ID, sa.Lock+1, u.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		e.Logo, e.Screenshots = referenced.ID, nil
		if err := db.SaveWorking(ctx, a.ID, sa.Lock+2, e, u.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		eb := catalog.Entry{Name: "B", Short: "Kurz", Licence: "MIT", Maturity: "pilot", Screenshots: []catalog.Screenshot{{ID: quotedElsewhere.ID, Alt: "x"}}}
		if err := db.SaveWorking(ctx, b.ID, b.Lock, eb, u.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}

		n, err := db.DeleteOrphanMedia(ctx, now.Add(-catalog.OrphanAge))
		if err != nil || n != 2 {
			t.Fatalf("DeleteOrphanMedia = %d, %v; want 2", n, err)
		}
		for _, m := range []catalog.Medium{orphan, quotedElsewhere} {
			if _, err := db.Medium(ctx, m.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("orphan %s kept: %v", m.ID, err)
			}
		}
		for _, m := range []catalog.Medium{referenced, superseded, fresh} {
			if _, err := db.Medium(ctx, m.ID); err != nil {
				t.Errorf("medium %s deleted: %v", m.ID, err)
			}
		}
		if n, err := db.DeleteOrphanMedia(ctx, now.Add(-catalog.OrphanAge)); err != nil || n != 0 {
			t.Fatalf("second sweep = %d, %v", n, err)
		}
	})
}
