package procurement

import (
	"slices"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Input is what the orientation asks for.
type Input struct {
	ValueNet      int64 // estimated value in cents without VAT, over the contract's whole term
	ContractType  ContractType
	AuthorityType AuthorityType
	State         string    // "01"–"16", "" for the federal values only
	Date          time.Time // the day the procedure starts; its values apply
}

// Validate checks the input; the field names are the query parameters.
func (in Input) Validate() error {
	var v apperr.Validation
	if in.ValueNet <= 0 || in.ValueNet > MaxAmount {
		v.Add("value", "procurement.error.amount_range")
	}
	if !contains(ContractTypes, in.ContractType) {
		v.Add("contract_type", "procurement.error.contract_type")
	}
	if !contains(AuthorityTypes, in.AuthorityType) {
		v.Add("authority_type", "procurement.error.authority_type")
	}
	if in.State != "" && (in.State == "EU" || in.State == "DE" || !contains(Jurisdictions, in.State)) {
		v.Add("state", "procurement.error.state")
	}
	if in.Date.IsZero() {
		v.Add("date", "procurement.error.date")
	}
	return v.Err()
}

// Option is a procedure that is usually available, with what it needs
// documented (translation keys procurement.doc.<key>).
type Option struct {
	Procedure Procedure
	// Limit is the national value limit that makes the procedure
	// available; nil when it is available at any value of its regime.
	Limit *Threshold
	Docs  []string
}

// Route is a way outside procurement law (translation keys
// procurement.route.<key>.title and .conditions).
type Route string

// The routes outside procurement law.
const (
	RouteInHouse        Route = "in_house"       // § 108(1)-(5) GWB
	RouteIntermunicipal Route = "intermunicipal" // § 108(6) GWB
	RouteReuse          Route = "reuse"          // a service of another public body, e.g. EfA
)

// Routes lists them in the order shown.
var Routes = []Route{RouteInHouse, RouteIntermunicipal, RouteReuse}

// Result is the orientation. It is orientation, not legal advice: the
// page and the API say so.
type Result struct {
	Input Input
	// EU is the EU threshold for the contract on the date; nil when none
	// is stored (then EUApplies is false and Missing says so).
	EU        *Threshold
	EUApplies bool
	// Regime names the rules that apply (translation key
	// procurement.regime.<Regime>): vgv, vob_a_eu, sektvo, konzvgv,
	// uvgo, vob_a, budget.
	Regime string
	// National are the value limits that were looked at (of the state
	// when it has any valid on the date, else the federal ones).
	National []Threshold
	// NationalFrom is the jurisdiction of National ("DE" or a state key).
	NationalFrom string
	Options      []Option
	Routes       []Route
	// Notes are translation keys of remarks on this result.
	Notes []string
}

// Docs needed for every procedure, and the extra ones.
var (
	docsEU       = []string{"value_estimate_vgv", "vergabevermerk", "market_exploration", "tender_documents", "eu_notice", "award_notice"}
	docsNational = map[Procedure][]string{
		Open:                         {"value_estimate", "vergabevermerk", "tender_documents", "national_notice"},
		Restricted:                   {"value_estimate", "vergabevermerk", "tender_documents", "national_notice"},
		RestrictedWithoutCompetition: {"value_estimate", "vergabevermerk", "reason_procedure", "several_bidders"},
		NegotiatedWithoutCompetition: {"value_estimate", "vergabevermerk", "reason_procedure", "several_bidders"},
		DirectAward:                  {"value_estimate", "economy_note", "change_suppliers"},
	}
	docsExtra = map[Procedure][]string{
		NegotiatedWithCompetition: {"reason_procedure"},
		CompetitiveDialogue:       {"reason_procedure"},
		InnovationPartnership:     {"reason_procedure"},
	}
)

// Orient computes the orientation for in from the stored values. It is a
// pure function: everything it knows comes from in and thresholds.
func Orient(in Input, thresholds []Threshold) (Result, error) {
	if err := in.Validate(); err != nil {
		return Result{}, err
	}
	res := Result{Input: in, Routes: Routes}
	day := Day(in.Date)
	if eu := euThreshold(in, thresholds, day); eu != nil {
		res.EU = eu
		res.EUApplies = in.ValueNet >= eu.AmountNet // "erreicht oder überschreitet", § 106 GWB
	} else {
		res.Notes = append(res.Notes, "procurement.note.no_eu_value")
	}
	if res.EUApplies {
		res.Regime = euRegime(in)
		procs := []Procedure{Open, Restricted, NegotiatedWithCompetition, CompetitiveDialogue, InnovationPartnership}
		if in.ContractType == Concessions {
			// KonzVgV: the authority designs the procedure freely
			// within its principles (§ 151 GWB, § 12 KonzVgV).
			procs = []Procedure{NegotiatedWithCompetition}
			res.Notes = append(res.Notes, "procurement.note.concession_free_design")
		}
		if in.ContractType == SocialServices {
			res.Notes = append(res.Notes, "procurement.note.social_services")
		}
		for _, p := range procs {
			res.Options = append(res.Options, Option{Procedure: p, Docs: append(slices.Clone(docsEU), docsExtra[p]...)})
		}
		res.Notes = append(res.Notes, "procurement.note.eu_open_restricted")
		return res, nil
	}
	if in.ContractType == Concessions {
		res.Regime = "budget"
		res.Notes = append(res.Notes, "procurement.note.concession_below")
		return res, nil
	}
	res.Regime = "uvgo"
	if in.ContractType == Works {
		res.Regime = "vob_a"
	}
	res.National, res.NationalFrom = nationalThresholds(in, thresholds, day)
	for _, p := range []Procedure{Open, Restricted} {
		res.Options = append(res.Options, Option{Procedure: p, Docs: docsNational[p]})
	}
	for _, p := range NationalProcedures {
		// The highest limit wins when several are stored for the
		// procedure (one for all authorities, one for this type).
		var best *Threshold
		for i, t := range res.National {
			if t.Procedure == p && in.ValueNet <= t.AmountNet && (best == nil || t.AmountNet > best.AmountNet) {
				best = &res.National[i]
			}
		}
		if best != nil {
			res.Options = append(res.Options, Option{Procedure: p, Limit: best, Docs: docsNational[p]})
		}
	}
	if in.State != "" && res.NationalFrom == "DE" {
		res.Notes = append(res.Notes, "procurement.note.no_state_values")
	}
	if in.ContractType == SocialServices {
		res.Notes = append(res.Notes, "procurement.note.social_services_below")
	}
	res.Notes = append(res.Notes, "procurement.note.below_threshold")
	return res, nil
}

// euThreshold is the EU value for the contract type and authority type
// valid on day; when validity periods overlap, the one that began last.
func euThreshold(in Input, thresholds []Threshold, day time.Time) *Threshold {
	var found *Threshold
	for i, t := range thresholds {
		if t.Scope == ScopeEU && t.ContractType == in.ContractType && t.AuthorityType == in.AuthorityType && t.ValidOn(day) &&
			(found == nil || t.ValidFrom.After(found.ValidFrom)) {
			found = &thresholds[i]
		}
	}
	return found
}

func euRegime(in Input) string {
	switch {
	case in.ContractType == Concessions:
		return "konzvgv"
	case in.AuthorityType == Sector:
		return "sektvo"
	case in.ContractType == Works:
		return "vob_a_eu"
	}
	return "vgv"
}

// nationalThresholds are the national values for the contract valid on
// day: the state's when it has any for the contract type, else the
// federal ones. Social services below the threshold follow the rules of
// supplies and services.
func nationalThresholds(in Input, thresholds []Threshold, day time.Time) ([]Threshold, string) {
	ct := in.ContractType
	if ct == SocialServices {
		ct = SuppliesServices
	}
	pick := func(jur string) []Threshold {
		var out []Threshold
		for _, t := range thresholds {
			if t.Scope == ScopeNational && t.Jurisdiction == jur && t.ContractType == ct && t.ValidOn(day) &&
				(t.AuthorityType == "" || t.AuthorityType == in.AuthorityType) {
				out = append(out, t)
			}
		}
		return out
	}
	if in.State != "" {
		if out := pick(in.State); len(out) > 0 {
			return out, in.State
		}
	}
	return pick("DE"), "DE"
}
