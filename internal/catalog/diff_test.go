package catalog

import (
	"testing"
	"time"
)

func TestDiff(t *testing.T) {
	a := validEntry()
	b := validEntry()
	if d := Diff(a, b); len(d) != 0 {
		t.Fatalf("equal entries differ: %+v", d)
	}
	exp := time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC)
	b.Short = "Neu"
	b.Delivery[0].PriceMax = ptr(0.3)
	b.Evidence = []Evidence{{Kind: "bsi_c5", Expires: &exp}}
	d := Diff(a, b)
	if len(d) != 3 || d[0].Field != "short" || d[0].New != "Neu" || d[1].Field != "delivery" || d[2].Field != "evidence" ||
		d[2].New != "bsi_c5 bis 2030-01-31" {
		t.Errorf("diff %+v", d)
	}
}
