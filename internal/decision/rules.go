package decision

import (
	"slices"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
)

// Reason is one finding of a rule about an option: a message key of
// the locale files with its arguments.
type Reason struct {
	Rule string
	Key  string
	Args []any
}

// Cost is one cost line of an option as used: the amount in cents and
// where it comes from.
type Cost struct {
	Line   string
	Cents  int64
	Source string
}

// OptionResult is one evaluated option.
type OptionResult struct {
	Option Option
	Facts  *Facts // nil for a free-text option
	Name   string
	Open   string // OpenYes, OpenNo or OpenUnknown, from the catalogue where known
	Costs  []Cost
	TCO    TCO
	Pros   []Reason
	Cons   []Reason
}

// Result is the evaluated aid.
type Result struct {
	Options []OptionResult
	Lowest  int // index of the option with the lowest five-year total; -1 when none is lower
}

// Rules lists the rules in the order they are applied; the result page
// explains each of them.
var Rules = []string{"operation", "skills", "adaptation", "exit", "health", "tco"}

// RecentHarvest is how recent the last check of a registered repository
// must be to count as activity.
const RecentHarvest = 180 * 24 * time.Hour

// ManyUsers is the number of verified municipal users from which an
// option counts as proven.
const ManyUsers = 3

// Evaluate applies the rules to a with the catalogue facts of its
// options (facts[i] nil for a free-text option) at now.
func Evaluate(a Aid, facts []*Facts, now time.Time) Result {
	res := Result{Lowest: -1}
	for i, o := range a.Options {
		r := OptionResult{Option: o, Name: o.Name, Open: o.OpenSource}
		var f *Facts
		if i < len(facts) {
			f = facts[i]
		}
		r.Facts = f
		delivery := o.Delivery
		if f != nil {
			if r.Name == "" {
				r.Name = f.Name
			}
			r.Open, delivery = OpenNo, f.Delivery
			if f.OpenSource {
				r.Open = OpenYes
			}
		}
		costs := map[string]int64{}
		for _, line := range Lines {
			c := Cost{Line: line, Source: SourceNone}
			switch {
			case o.Costs[line] != nil:
				c.Cents, c.Source = *o.Costs[line], SourceUser
			case line == LineLicence && f != nil && (f.OpenSource || f.Free):
				c.Source = SourceCatalog // an open-source licence or a free offer costs nothing
			case line == LineLicence && f != nil && f.FlatPrice != nil:
				c.Cents, c.Source = *f.FlatPrice, SourceCatalog
			}
			costs[line] = c.Cents
			r.Costs = append(r.Costs, c)
		}
		r.TCO = Compute(costs, a.Increase)
		r.Pros, r.Cons = reasons(a.Answers, r, delivery, now)
		res.Options = append(res.Options, r)
	}
	tcoReasons(&res)
	return res
}

func has(delivery []string, model string) bool { return slices.Contains(delivery, model) }

// reasons applies the rules that concern one option alone.
func reasons(ans map[string]string, r OptionResult, delivery []string, now time.Time) (pros, cons []Reason) {
	pro := func(rule, key string, args ...any) { pros = append(pros, Reason{Rule: rule, Key: key, Args: args}) }
	con := func(rule, key string, args ...any) { cons = append(cons, Reason{Rule: rule, Key: key, Args: args}) }
	// Operation: the preferred way of running it must be offered.
	if len(delivery) == 0 {
		con("operation", "decision.reason.delivery_unknown")
	} else {
		switch ans[QOperation] {
		case "saas":
			if has(delivery, catalog.SaaS) {
				pro("operation", "decision.reason.saas_offered")
			} else {
				con("operation", "decision.reason.saas_missing")
			}
		case "self":
			if has(delivery, catalog.OnPremises) {
				pro("operation", "decision.reason.self_offered")
			} else {
				con("operation", "decision.reason.self_missing")
			}
		case "municipal_it":
			if has(delivery, catalog.OnPremises) || has(delivery, catalog.Managed) {
				pro("operation", "decision.reason.provider_possible")
			} else {
				con("operation", "decision.reason.provider_impossible")
			}
		}
	}
	// Skills: running software oneself needs them.
	selfOnly := len(delivery) > 0 && !has(delivery, catalog.SaaS) && !has(delivery, catalog.Managed)
	switch ans[QSkills] {
	case "none":
		if selfOnly {
			con("skills", "decision.reason.skills_self_only")
		}
		if has(delivery, catalog.SaaS) {
			pro("skills", "decision.reason.skills_saas")
		}
	case "strong":
		if r.Open == OpenYes {
			pro("skills", "decision.reason.skills_open")
		}
	}
	// Adaptation: open source can be changed by anyone commissioned.
	if a := ans[QAdaptation]; a == "medium" || a == "high" {
		switch r.Open {
		case OpenYes:
			pro("adaptation", "decision.reason.adapt_open")
		case OpenNo:
			if a == "high" {
				con("adaptation", "decision.reason.adapt_vendor")
			}
		default:
			con("adaptation", "decision.reason.open_unknown")
		}
	}
	// Exit and data sovereignty.
	if e := ans[QExit]; e == "medium" || e == "high" {
		switch r.Open {
		case OpenYes:
			pro("exit", "decision.reason.exit_open")
		case OpenNo:
			if e == "high" {
				con("exit", "decision.reason.exit_vendor")
			}
		default:
			if ans[QAdaptation] != "medium" && ans[QAdaptation] != "high" {
				con("exit", "decision.reason.open_unknown")
			}
		}
		if r.Facts != nil && slices.Contains(r.Facts.Hosting, "other") {
			con("exit", "decision.reason.hosting_outside_eu")
		}
	}
	// Community and vendor health, from the catalogue's data only.
	if r.Facts == nil {
		con("health", "decision.reason.no_catalogue_data")
		return pros, cons
	}
	switch {
	case r.Facts.Users >= ManyUsers:
		pro("health", "decision.reason.users_many", "N", r.Facts.Users)
	case r.Facts.Users == 0:
		con("health", "decision.reason.users_none")
	default:
		pro("health", "decision.reason.users_some", "N", r.Facts.Users)
	}
	if r.Facts.Maintenance != "" {
		pro("health", "decision.reason.maintenance")
	} else {
		con("health", "decision.reason.maintenance_missing")
	}
	if h := r.Facts.Harvested; h != nil && r.Facts.HarvestOK && now.Sub(*h) <= RecentHarvest {
		pro("health", "decision.reason.repository_active")
	}
	return pros, cons
}

// tcoReasons compares the five-year totals: the lowest is a pro, one more
// than 20 % above it a con; assumptions not given are a con too.
func tcoReasons(res *Result) {
	if len(res.Options) > 1 {
		low, unique := 0, true
		for i, o := range res.Options {
			switch {
			case o.TCO.Total < res.Options[low].TCO.Total:
				low, unique = i, true
			case i != low && o.TCO.Total == res.Options[low].TCO.Total:
				unique = false
			}
		}
		if unique {
			res.Lowest = low
			res.Options[low].Pros = append(res.Options[low].Pros, Reason{Rule: "tco", Key: "decision.reason.tco_lowest"})
		}
		base := res.Options[low].TCO.Total
		for i := range res.Options {
			t := res.Options[i].TCO.Total
			if base == 0 && t > 0 {
				res.Options[i].Cons = append(res.Options[i].Cons, Reason{Rule: "tco", Key: "decision.reason.tco_above_free"})
			}
			if base > 0 && t*100 > base*120 {
				pct := (t - base) * 100 / base
				res.Options[i].Cons = append(res.Options[i].Cons, Reason{Rule: "tco", Key: "decision.reason.tco_higher", Args: []any{"Percent", pct}})
			}
		}
	}
	for i := range res.Options {
		n := 0
		for _, c := range res.Options[i].Costs {
			if c.Source == SourceNone {
				n++
			}
		}
		if n > 0 {
			res.Options[i].Cons = append(res.Options[i].Cons, Reason{Rule: "tco", Key: "decision.reason.tco_gaps", Args: []any{"Count", n}})
		}
	}
}
