package catalog_test

import (
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// BenchmarkImportDemo measures the first-start import of the whole
// publiccode.yml sample (115 files: parse, validate, map, check and store
// the 44 valid ones) into a fresh database, per backend.
func BenchmarkImportDemo(b *testing.B) {
	for _, d := range storetest.Backends() {
		b.Run(string(d), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := storetest.New(b, store.Dialect(d))
				if _, err := catalog.NewFields(db).Ensure(b.Context()); err != nil {
					b.Fatal(err)
				}
				svc := catalog.NewSolutions(db, db, db)
				b.StartTimer()
				if n, err := svc.ImportDemo(b.Context(), data.PublicCode, data.PublicCodeDir); err != nil || n != 44 {
					b.Fatalf("import: %d %v", n, err)
				}
			}
		})
	}
}
