package offer

import (
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/attachment"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/need"
)

func TestParsePrice(t *testing.T) {
	for in, want := range map[string]int64{"1234": 123400, "1.234,50": 123450, "1234,5": 123450, "1234.56": 123456, "0": 0, "12 500 €": 1250000,
		"0,01": 1} {
		if got, ok := ParsePrice(in); !ok || got != want {
			t.Errorf("ParsePrice(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-5", "1,234", "abc", "1e5", "+3", ",5", "1.234.5", "99999999999999999999"} {
		if got, ok := ParsePrice(in); ok {
			t.Errorf("ParsePrice(%q) = %d, accepted", in, got)
		}
	}
}

func TestFormatCents(t *testing.T) {
	for c, want := range map[int64]string{0: "0,00", 5: "0,05", 123450: "1.234,50", 100000000: "1.000.000,00", 99: "0,99"} {
		if got := FormatCents(c); got != want {
			t.Errorf("FormatCents(%d) = %q, want %q", c, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	own := []SolutionRef{{ID: "1", Slug: "ratsinfo", Name: "Ratsinfo"}, {ID: "2", Slug: "buergerapp", Name: "Bürger-App"}}
	ok := func() Input {
		return Input{Text: " Angebot ", Delivery: catalog.SaaS, Price: "1.000,00", Basis: PerYear, ValidUntil: "2026-11-25",
			Solutions: []string{"ratsinfo", "ratsinfo"}}
	}
	for name, tc := range map[string]struct {
		change func(*Input)
		kept   int
		fields []string
	}{
		"OK":         {change: func(*Input) {}},
		"Empty":      {change: func(in *Input) { *in = Input{} }, fields: []string{"text", "delivery", "price", "price_basis", "valid_until", "solutions"}},
		"Past":       {change: func(in *Input) { in.ValidUntil = "2026-11-24" }, fields: []string{"valid_until"}},
		"BadDate":    {change: func(in *Input) { in.ValidUntil = "25.11.2026" }, fields: []string{"valid_until"}},
		"Price":      {change: func(in *Input) { in.Price = "-1" }, fields: []string{"price"}},
		"TooDear":    {change: func(in *Input) { in.Price = "2000000000" }, fields: []string{"price"}},
		"Basis":      {change: func(in *Input) { in.Basis = "week" }, fields: []string{"price_basis"}},
		"Solution":   {change: func(in *Input) { in.Solutions = []string{"fremd"} }, fields: []string{"solutions"}},
		"Files":      {change: func(in *Input) { in.Files = []attachment.File{{Name: "a.txt", Data: []byte("a")}} }, kept: MaxFiles, fields: []string{"files"}},
		"FileType":   {change: func(in *Input) { in.Files = []attachment.File{{Name: "a.exe", Data: []byte("MZ\x90\x00")}} }, fields: []string{"files"}},
		"TextLength": {change: func(in *Input) { in.Text = strings.Repeat("x", MaxText+1) }, fields: []string{"text"}},
	} {
		t.Run(name, func(t *testing.T) {
			in := ok()
			tc.change(&in)
			cents, valid, chosen, err := in.validate(own, today, tc.kept)
			if len(tc.fields) == 0 {
				if err != nil || cents != 100000 || !valid.Equal(today) || len(chosen) != 1 || in.Text != "Angebot" {
					t.Fatalf("valid input: %d %v %v %v", cents, valid, chosen, err)
				}
				return
			}
			e, isApp := err.(*apperr.Error)
			if !isApp {
				t.Fatalf("want field errors, got %v", err)
			}
			got := map[string]bool{}
			for _, f := range e.Fields {
				got[f.Field] = true
			}
			for _, f := range tc.fields {
				if !got[f] {
					t.Errorf("no message for %s: %v", f, e.Fields)
				}
			}
			if len(got) != len(tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}

func TestProviders(t *testing.T) {
	n := need.Need{Org: need.OrgRef{ID: "owner"}}
	m := func(orgID string, qualified bool, score int) need.Match {
		return need.Match{Solution: catalog.Solution{OrgID: orgID}, Qualified: qualified, Score: score}
	}
	matches := []need.Match{m("a", true, 100), m("a", true, 90), m("b", true, MinScore), m("c", true, MinScore-1), m("d", false, 100), m("owner", true, 100)}
	for range TopMatches {
		matches = append(matches, m("x", false, 0))
	}
	matches = append(matches, m("late", true, 100)) // beyond the top matches
	got := Providers(n, matches)
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("providers %v, want a,b", got)
	}
}
