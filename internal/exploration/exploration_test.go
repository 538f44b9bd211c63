package exploration_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/exploration"
)

func TestValidateCriteria(t *testing.T) {
	for name, c := range map[string]struct {
		in     []exploration.Criterion
		fields []string
	}{
		"OK":          {in: []exploration.Criterion{{Name: "Preis", Weight: 70}, {Name: "", Weight: 0}, {Name: "Hosting", Weight: 30, Exclusion: true}}},
		"None":        {in: []exploration.Criterion{{}}, fields: []string{"criteria"}},
		"SumTooLow":   {in: []exploration.Criterion{{Name: "Preis", Weight: 50}, {Name: "Hosting", Weight: 40}}, fields: []string{"weights"}},
		"SumTooHigh":  {in: []exploration.Criterion{{Name: "Preis", Weight: 100}, {Name: "Hosting", Weight: 1}}, fields: []string{"weights"}},
		"NoName":      {in: []exploration.Criterion{{Weight: 100}}, fields: []string{"criteria"}},
		"ZeroWeight":  {in: []exploration.Criterion{{Name: "Preis", Weight: 100}, {Name: "Hosting", Weight: 0, Exclusion: true}}, fields: []string{"criteria"}},
		"Negative":    {in: []exploration.Criterion{{Name: "Preis", Weight: 101}, {Name: "Hosting", Weight: -1}}, fields: []string{"criteria"}},
		"NameTooLong": {in: []exploration.Criterion{{Name: strings.Repeat("x", 201), Weight: 100}}, fields: []string{"criteria"}},
	} {
		t.Run(name, func(t *testing.T) {
			out, err := exploration.ValidateCriteria(c.in)
			for _, f := range c.fields {
				if !hasField(err, f) {
					t.Errorf("no message at %s: %v", f, err)
				}
			}
			if len(c.fields) == 0 && (err != nil || len(out) != 2) {
				t.Errorf("valid criteria: %v %v", out, err)
			}
		})
	}
}

func TestValidateRFI(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Minute)
	q := []exploration.Question{{Text: "Preis?", Type: "number"}}
	for name, c := range map[string]struct {
		in     exploration.RFI
		fields []string
	}{
		"OK":           {in: exploration.RFI{Questions: q, Deadline: &later, Providers: []string{"p1", "p1", "p2"}}},
		"NoQuestion":   {in: exploration.RFI{Questions: []exploration.Question{{Text: " "}}, Deadline: &later, Providers: []string{"p1"}}, fields: []string{"questions"}},
		"BadType":      {in: exploration.RFI{Questions: []exploration.Question{{Text: "x", Type: "essay"}}, Deadline: &later, Providers: []string{"p1"}}, fields: []string{"questions"}},
		"PastDeadline": {in: exploration.RFI{Questions: q, Deadline: &earlier, Providers: []string{"p1"}}, fields: []string{"deadline"}},
		"NowDeadline":  {in: exploration.RFI{Questions: q, Deadline: &now, Providers: []string{"p1"}}, fields: []string{"deadline"}},
		"NoDeadline":   {in: exploration.RFI{Questions: q, Providers: []string{"p1"}}, fields: []string{"deadline"}},
		"Unreadable":   {in: exploration.RFI{Questions: q, Providers: []string{"p1"}, Unreadable: []string{"deadline"}}, fields: []string{"deadline"}},
		"NoProvider":   {in: exploration.RFI{Questions: q, Deadline: &later}, fields: []string{"providers"}},
		"Stranger":     {in: exploration.RFI{Questions: q, Deadline: &later, Providers: []string{"p9"}}, fields: []string{"providers"}},
	} {
		t.Run(name, func(t *testing.T) {
			err := c.in.Validate(now, []string{"p1", "p2"})
			for _, f := range c.fields {
				if !hasField(err, f) {
					t.Errorf("no message at %s: %v", f, err)
				}
			}
			if len(c.fields) == 0 && (err != nil || len(c.in.Providers) != 2 || c.in.Questions[0].Type != "number") {
				t.Errorf("valid rfi: %+v %v", c.in, err)
			}
		})
	}
}

func TestTotal(t *testing.T) {
	cs := []exploration.Criterion{{Name: "a", Weight: 60}, {Name: "b", Weight: 40}}
	for _, c := range []struct {
		values []int
		want   float64
	}{{[]int{10, 10}, 100}, {[]int{0, 0}, 0}, {[]int{8, 10}, 88}, {[]int{5}, 30}} {
		if got := exploration.Total(cs, exploration.Score{Values: c.values}); got != c.want {
			t.Errorf("Total(%v) = %v, want %v", c.values, got, c.want)
		}
	}
}

// noReports is a store without any report or exploration, for the fuzz
// test of Verify.
type noReports struct{ exploration.Store }

func (noReports) ReportsByHash(context.Context, string) ([]exploration.Report, error) {
	return nil, nil
}

func (noReports) Exploration(context.Context, string) (exploration.Exploration, error) {
	return exploration.Exploration{}, apperr.New(apperr.NotFound, "exploration.error.not_found")
}

// FuzzVerify feeds Verify arbitrary files: it never panics and never
// calls a file genuine that is not on record.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"format":"smartregions-exploration-report/1","content_sha256":"00","content":{"snapshot":{},"exploration":"x"}}`))
	f.Add([]byte("%PDF-1.3"))
	f.Add([]byte(`{"format":"smartregions-exploration-report/1","content":[`))
	svc := exploration.NewService(noReports{}, nil, nil, nil, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := svc.Verify(context.Background(), body)
		if err != nil || v.Genuine() {
			t.Errorf("verify: %+v %v", v, err)
		}
	})
}
