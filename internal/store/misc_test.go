package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/smartregions/smartregions/internal/feedback"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v, err := db.Setting(ctx, "k", func() (string, error) { return "first", nil })
		if err != nil || v != "first" {
			t.Fatalf("Setting = %q, %v", v, err)
		}
		v, err = db.Setting(ctx, "k", func() (string, error) { return "", errors.New("must not be called") })
		if err != nil || v != "first" {
			t.Fatalf("second Setting = %q, %v", v, err)
		}
	})
}

func TestFeedback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := feedback.NewService(db)
		if _, err := svc.Submit(ctx, feedback.Feedback{Lang: "de", Message: "Kontrast zu gering", Email: "a@example.org"}); err != nil {
			t.Fatal(err)
		}
		list, err := svc.List(ctx, 10)
		if err != nil || len(list) != 1 || list[0].Message != "Kontrast zu gering" || list[0].Created.IsZero() {
			t.Fatalf("List = %+v, %v", list, err)
		}
	})
}
