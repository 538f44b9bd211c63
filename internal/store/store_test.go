package store_test

import (
	"context"
	"testing"

	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ok, cur, target, err := db.MigrationsCurrent(ctx)
		if err != nil || !ok || cur != target || cur < 1 {
			t.Fatalf("MigrationsCurrent = %v %d %d %v", ok, cur, target, err)
		}
		// Migrating again is a no-op.
		v, err := db.Migrate(ctx)
		if err != nil || v != cur {
			t.Fatalf("second Migrate = %d, %v", v, err)
		}
	})
}
