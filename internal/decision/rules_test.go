package decision

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

func keys(rs []Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Key)
	}
	return out
}

func cents(v int64) *int64 { return &v }

func TestEvaluateRules(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	recent := now.Add(-24 * time.Hour)
	open := &Facts{Name: "Offen", OpenSource: true, Delivery: []string{catalog.OnPremises, catalog.Managed}, Users: 5, Maintenance: "5 Jahre",
		Harvested: &recent, HarvestOK: true}
	saas := &Facts{Name: "Dienst", Delivery: []string{catalog.SaaS}, Hosting: []string{"other"}, FlatPrice: cents(120000)}
	for _, tc := range []struct {
		name     string
		answers  map[string]string
		opts     []Option
		facts    []*Facts
		pros     [][]string // per option: keys that must be among the pros
		cons     [][]string
		notPros  [][]string
		lowest   int
		licences []int64 // cents of the licence line per option
		sources  []string
	}{
		{name: "SaaSWithoutSkills", answers: map[string]string{QSkills: "none", QOperation: "saas"},
			opts: []Option{{Solution: "offen"}, {Solution: "dienst"}}, facts: []*Facts{open, saas},
			pros:     [][]string{{"decision.reason.users_many", "decision.reason.maintenance", "decision.reason.repository_active", "decision.reason.tco_lowest"}, {"decision.reason.saas_offered", "decision.reason.skills_saas"}},
			cons:     [][]string{{"decision.reason.saas_missing"}, {"decision.reason.users_none", "decision.reason.maintenance_missing", "decision.reason.tco_above_free"}},
			lowest:   0,
			licences: []int64{0, 120000}, sources: []string{SourceCatalog, SourceCatalog}},
		{name: "AdaptationAndExit", answers: map[string]string{QSkills: "strong", QOperation: "municipal_it", QAdaptation: "high", QExit: "high"},
			opts: []Option{{Solution: "offen"}, {Solution: "dienst"}}, facts: []*Facts{open, saas},
			pros:   [][]string{{"decision.reason.provider_possible", "decision.reason.skills_open", "decision.reason.adapt_open", "decision.reason.exit_open"}, {}},
			cons:   [][]string{{}, {"decision.reason.provider_impossible", "decision.reason.adapt_vendor", "decision.reason.exit_vendor", "decision.reason.hosting_outside_eu"}},
			lowest: 0, licences: []int64{0, 120000}, sources: []string{SourceCatalog, SourceCatalog}},
		{name: "FreeTextOptions", answers: map[string]string{QAdaptation: "medium"},
			opts: []Option{{Name: "Eigenentwicklung", OpenSource: OpenYes, Costs: map[string]*int64{LineLicence: cents(0), LineImplementation: cents(5000000)}},
				{Name: "Unbekannt"}},
			facts:   []*Facts{nil, nil},
			pros:    [][]string{{"decision.reason.adapt_open"}, {"decision.reason.tco_lowest"}},
			cons:    [][]string{{"decision.reason.no_catalogue_data", "decision.reason.delivery_unknown", "decision.reason.tco_gaps"}, {"decision.reason.open_unknown", "decision.reason.tco_gaps"}},
			notPros: [][]string{{"decision.reason.tco_lowest"}, {}},
			lowest:  1, licences: []int64{0, 0}, sources: []string{SourceUser, SourceNone}},
		{name: "UserOverridesCatalogue", answers: map[string]string{},
			opts: []Option{{Solution: "dienst", Costs: map[string]*int64{LineLicence: cents(99)}}, {Solution: "dienst"}}, facts: []*Facts{saas, saas},
			pros: [][]string{{"decision.reason.tco_lowest"}, {}}, cons: [][]string{{}, {"decision.reason.tco_higher"}}, lowest: 0, licences: []int64{99, 120000}, sources: []string{SourceUser, SourceCatalog}},
		{name: "EqualTotalsNoLowest", answers: map[string]string{},
			opts: []Option{{Name: "A"}, {Name: "B"}}, facts: []*Facts{nil, nil},
			notPros: [][]string{{"decision.reason.tco_lowest"}, {"decision.reason.tco_lowest"}}, lowest: -1,
			licences: []int64{0, 0}, sources: []string{SourceNone, SourceNone}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Evaluate(Aid{Answers: tc.answers, Options: tc.opts}, tc.facts, now)
			if res.Lowest != tc.lowest {
				t.Errorf("lowest = %d, want %d", res.Lowest, tc.lowest)
			}
			for i, o := range res.Options {
				pros, cons := keys(o.Pros), keys(o.Cons)
				if i < len(tc.pros) {
					for _, k := range tc.pros[i] {
						if !slices.Contains(pros, k) {
							t.Errorf("option %d: no pro %s in %v", i, k, pros)
						}
					}
				}
				if i < len(tc.cons) {
					for _, k := range tc.cons[i] {
						if !slices.Contains(cons, k) {
							t.Errorf("option %d: no con %s in %v", i, k, cons)
						}
					}
				}
				if i < len(tc.notPros) {
					for _, k := range tc.notPros[i] {
						if slices.Contains(pros, k) {
							t.Errorf("option %d: unexpected pro %s", i, k)
						}
					}
				}
				if o.Costs[0].Cents != tc.licences[i] || o.Costs[0].Source != tc.sources[i] {
					t.Errorf("option %d: licence %d %s, want %d %s", i, o.Costs[0].Cents, o.Costs[0].Source, tc.licences[i], tc.sources[i])
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		aid    Aid
		fields []string
	}{
		{"OK", Aid{Options: []Option{{Name: "A"}}}, nil},
		{"NoOption", Aid{Options: []Option{{}, {}}}, []string{"options"}},
		{"TooMany", Aid{Options: []Option{{Name: "A"}, {Name: "B"}, {Name: "C"}, {Name: "D"}, {Name: "E"}}}, []string{"options"}},
		{"BadAnswer", Aid{Answers: map[string]string{QSkills: "viele"}, Options: []Option{{Name: "A"}}}, []string{"q-skills"}},
		{"BadCost", Aid{Options: []Option{{Name: "A", Costs: map[string]*int64{LineHosting: cents(-1)}}}}, []string{"cost-0-hosting"}},
		{"BadIncrease", Aid{Increase: MaxIncreaseBP + 1, Options: []Option{{Name: "A"}}}, []string{"increase"}},
		{"CostsWithoutName", Aid{Options: []Option{{Costs: map[string]*int64{LineHosting: cents(5)}}}}, []string{"option-0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.aid.Validate()
			if (err == nil) != (tc.fields == nil) {
				t.Fatalf("Validate = %v", err)
			}
			for _, f := range tc.fields {
				if !containsField(err, f) {
					t.Errorf("no error for %s in %v", f, err)
				}
			}
		})
	}
}

func containsField(err error, field string) bool {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return false
	}
	return slices.ContainsFunc(e.Fields, func(f apperr.FieldError) bool { return f.Field == field })
}
