package region_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// rawTotals computes the figures the register file itself states, straight
// from its records, independently of the parser.
func rawTotals(t *testing.T) (political, records, population int64) {
	for _, l := range regiontest.Lines(t) {
		if regiontest.Cols(l, 1, 2) != "60" {
			continue
		}
		records++
		p, err := strconv.ParseInt(regiontest.Cols(l, 140, 150), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		population += p
		if tk := regiontest.Cols(l, 123, 124); tk != "65" && tk != "66" {
			political++
		}
	}
	return
}

func TestImportRealRegister(t *testing.T) {
	wantPolitical, wantRecords, wantPopulation := rawTotals(t)
	if wantPolitical != 10751 || wantPopulation != 83577140 {
		t.Fatalf("raw file figures %d / %d differ from the published ones", wantPolitical, wantPopulation)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := regiontest.Service(db)
		rep, applied, err := svc.EnsureRegister(ctx)
		if err != nil || !applied {
			t.Fatalf("EnsureRegister = %v, %v", applied, err)
		}
		if int64(len(rep.Added)) != wantRecords || len(rep.Changed) != 0 || len(rep.Dissolved) != 0 {
			t.Fatalf("first import added %d changed %d dissolved %d", len(rep.Added), len(rep.Changed), len(rep.Dissolved))
		}
		page, err := svc.Municipalities(ctx, region.MunicipalityQuery{Limit: 1})
		if err != nil || int64(page.Total) != wantPolitical {
			t.Fatalf("list total = %d, %v; want %d", page.Total, err, wantPolitical)
		}
		states, err := svc.States(ctx)
		if err != nil || len(states) != 16 {
			t.Fatalf("States = %d, %v", len(states), err)
		}
		var pop, n int64
		for _, s := range states {
			pop += s.Figures.Population
			n += s.Figures.Municipalities
		}
		if pop != wantPopulation || n != wantPolitical {
			t.Fatalf("states sum population %d municipalities %d; want %d %d", pop, n, wantPopulation, wantPolitical)
		}

		// A second start does not import again; importing the same file
		// again changes nothing.
		if _, applied, err := svc.EnsureRegister(ctx); err != nil || applied {
			t.Fatalf("second EnsureRegister = %v, %v", applied, err)
		}
		rep, err = svc.ImportRegister(ctx, strings.NewReader(regiontest.Join(regiontest.Lines(t))), "again")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Added)+len(rep.Changed)+len(rep.Dissolved) != 0 || int64(rep.Unchanged) != wantRecords {
			t.Fatalf("re-import: added %d changed %v dissolved %d unchanged %d", len(rep.Added), rep.Changed, len(rep.Dissolved), rep.Unchanged)
		}

		m, err := svc.Municipality(ctx, "09162000")
		if err != nil {
			t.Fatal(err)
		}
		if m.Name != "München, Landeshauptstadt" || m.Population != 1505005 || m.StateName != "Bayern" ||
			m.Urbanisation != region.Urban || m.Lat == nil || m.Dissolved != nil {
			t.Fatalf("München = %+v", m)
		}
	})
}

// newerRegister derives a later register from the real one: Averlak is
// merged away, Gröde's population changes, and a new municipality appears.
func newerRegister(t *testing.T) string {
	var out []string
	for _, l := range regiontest.Lines(t) {
		l = regiontest.Set(l, 3, 10, "20251231")
		switch regiontest.Cols(l, 11, 18) {
		case "01051003": // Averlak
			if regiontest.Cols(l, 1, 2) == "60" {
				nl := regiontest.Set(l, 16, 18, "999")
				nl = regiontest.Set(nl, 23, 72, "Neu-Averlak")
				out = append(out, nl)
				continue
			}
		case "01054039": // Gröde
			if regiontest.Cols(l, 1, 2) == "60" {
				l = regiontest.Set(l, 140, 150, "00000000009")
			}
		}
		out = append(out, l)
	}
	return regiontest.Join(out)
}

func TestImportNewerRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := regiontest.Service(db)
		if _, _, err := svc.EnsureRegister(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err := svc.ImportRegister(ctx, strings.NewReader(newerRegister(t)), "newer")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Added) != 1 || rep.Added[0].AGS != "01051999" {
			t.Errorf("added = %+v", rep.Added)
		}
		if len(rep.Changed) != 1 || rep.Changed[0].AGS != "01054039" || strings.Join(rep.Changed[0].Fields, ",") != "population" {
			t.Errorf("changed = %+v", rep.Changed)
		}
		if len(rep.Dissolved) != 1 || rep.Dissolved[0].AGS != "01051003" {
			t.Errorf("dissolved = %+v", rep.Dissolved)
		}
		old, err := svc.Municipality(ctx, "01051003")
		if err != nil || old.Dissolved == nil || old.Dissolved.Format("2006-01-02") != "2025-12-31" {
			t.Fatalf("merged-away municipality = %+v, %v", old, err)
		}
		hist, err := svc.Municipalities(ctx, region.MunicipalityQuery{Filter: region.MunicipalityFilter{Dissolved: true}})
		if err != nil || hist.Total != 1 || hist.Items[0].AGS != "01051003" {
			t.Fatalf("historical list = %+v, %v", hist, err)
		}
		last, err := svc.LastImport(ctx)
		if err != nil || last.ID != rep.ID || len(last.Dissolved) != 1 {
			t.Fatalf("LastImport = %+v, %v", last, err)
		}
		// Importing it again is idempotent.
		rep, err = svc.ImportRegister(ctx, strings.NewReader(newerRegister(t)), "newer again")
		if err != nil || len(rep.Added)+len(rep.Changed)+len(rep.Dissolved) != 0 {
			t.Fatalf("second newer import = %+v, %v", rep, err)
		}
		// The older register cannot overwrite the newer one.
		_, err = svc.ImportRegister(ctx, strings.NewReader(regiontest.Join(regiontest.Lines(t))), "older")
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("older import err = %v, want conflict", err)
		}
	})
}

func TestImportBadRegisterChangesNothing(t *testing.T) {
	lines := regiontest.Lines(t)
	idx := -1 // a municipality record well inside the file
	for i, l := range lines {
		if i > 5000 && regiontest.Cols(l, 1, 2) == "60" {
			idx = i
			break
		}
	}
	modify := func(f func(l string) string) string {
		out := append([]string(nil), lines...)
		out[idx] = f(out[idx])
		// A changed population elsewhere proves that nothing before the bad
		// line was written.
		out[len(out)-1] = regiontest.Set(out[len(out)-1], 140, 150, "00000000001")
		return regiontest.Join(out)
	}
	tests := []struct {
		name string
		file string
		line int
	}{
		{"non-numeric population", modify(func(l string) string { return regiontest.Set(l, 140, 150, "12a45") }), idx + 1},
		{"bad AGS", modify(func(l string) string { return regiontest.Set(l, 16, 18, "x1y") }), idx + 1},
		{"unknown record type", modify(func(l string) string { return regiontest.Set(l, 1, 2, "70") }), idx + 1},
		{"wrong record length", modify(func(l string) string { return l + "    " }), idx + 1},
		{"truncated", strings.Join(lines, "\n")[:len(strings.Join(lines, "\n"))-100], len(lines)},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := regiontest.Service(db)
		if _, _, err := svc.EnsureRegister(ctx); err != nil {
			t.Fatal(err)
		}
		before, err := svc.LastImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		lastAGS := regiontest.Cols(lines[len(lines)-1], 11, 18)
		mBefore, err := svc.Municipality(ctx, lastAGS)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := svc.ImportRegister(ctx, strings.NewReader(tt.file), "bad")
				var e *apperr.Error
				if !asErr(err, &e) || e.Code != apperr.Invalid || e.Msg.Key != "register.error.line" || argOf(e.Msg.Args, "Line") != tt.line {
					t.Fatalf("err = %v, want invalid at line %d", err, tt.line)
				}
				after, err := svc.LastImport(ctx)
				if err != nil || after.ID != before.ID {
					t.Fatalf("an import was recorded: %+v", after)
				}
				m, err := svc.Municipality(ctx, lastAGS)
				if err != nil || m.Population != mBefore.Population {
					t.Fatalf("municipality changed: %+v", m)
				}
			})
		}
	})
}
