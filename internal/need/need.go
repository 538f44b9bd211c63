// Package need holds municipal needs ("Bedarfe"): what a verified
// municipality, district or state needs, with weighted requirements,
// other municipalities joining a public need (pooled demand), and the
// explainable matching of a need against the solution catalogue
// (match.go).
package need

import (
	"slices"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

// Kind says how strictly a requirement applies.
type Kind string

// The kinds of requirements.
const (
	Must   Kind = "must"
	Should Kind = "should"
)

// Visibility says who sees a need.
type Visibility string

// The visibilities.
const (
	Public    Visibility = "public"    // everyone
	Providers Visibility = "providers" // signed-in members of verified providers and public bodies
	Private   Visibility = "draft"     // only the owning organisation (and curators)
)

// Visibilities lists them in form order.
var Visibilities = []Visibility{Public, Providers, Private}

// State is where a need stands.
type State string

// The states of a need.
const (
	Draft  State = "draft"
	Open   State = "open"
	Closed State = "closed"
)

// States lists the states in order.
var States = []State{Draft, Open, Closed}

// Hostings lists where hosted deliveries must run.
var Hostings = []string{"any", "de", "eu"}

// Limits of a need's fields.
const (
	MaxTitle        = 200
	MaxProblem      = 20000
	MaxReqText      = 500
	MinRequirements = 1
	MaxRequirements = 30
	MinWeight       = 1
	MaxWeight       = 10
	MaxBudget       = 1_000_000_000 // euros
	MaxPeople       = 100_000_000
)

// Requirement is one thing the need asks of a solution. Must
// requirements have no weight; should requirements weigh 1–10, and their
// weights are normalised to 100 % when scoring (see Score), so editors
// need not make them add up.
type Requirement struct {
	Text   string `json:"text"`
	Kind   Kind   `json:"kind"`
	Weight int    `json:"weight,omitempty"`
	// Attribute is an optional structured check against the catalogue
	// entry (see Attribute); "" for a free-text requirement.
	Attribute string `json:"attribute,omitempty"`
}

// Need is what a public body needs.
type Need struct {
	ID          string
	Slug        string
	Org         OrgRef
	Title       string
	Problem     string // Markdown; rendered sanitised
	Field       string // key of a field of action
	Reqs        []Requirement
	Delivery    []string // preferred delivery models (catalog.DeliveryModels)
	Hosting     string   // one of Hostings
	Evidence    []string // required evidence kinds (catalog.EvidenceKinds)
	BudgetMin   *int64   // whole euros; nil when not stated
	BudgetMax   *int64
	Start, End  *time.Time // timeline, dates (UTC midnight); nil when open
	Inhabitants int64      // inhabitants concerned; 0 when not stated
	Users       int64      // users concerned; 0 when not stated
	Visibility  Visibility
	State       State
	Lock        int // pass back on writes (optimistic locking)
	CreatedBy   string
	Created     time.Time
	Updated     time.Time
	// Joined are the other organisations that need this too.
	Joined []Joiner
}

// OrgRef names the owning organisation.
type OrgRef struct {
	ID, Slug, Name, Kind, RegionKey string
	Population                      int64 // from the register; 0 when unknown
}

// Joiner is an organisation that joined a need.
type Joiner struct {
	Org    OrgRef
	Joined time.Time
}

// Pooled returns the inhabitants of the owner and every joined
// organisation together: the demand behind the need.
func (n Need) Pooled() int64 {
	t := n.Org.Population
	for _, j := range n.Joined {
		t += j.Org.Population
	}
	return t
}

// HasJoined reports whether the organisation orgID joined the need.
func (n Need) HasJoined(orgID string) bool {
	return slices.ContainsFunc(n.Joined, func(j Joiner) bool { return j.Org.ID == orgID })
}

// Input is what an editor enters for a need.
type Input struct {
	Title, Problem, Field string
	Reqs                  []Requirement
	Delivery              []string
	Hosting               string
	Evidence              []string
	BudgetMin, BudgetMax  *int64
	Start, End            *time.Time
	Inhabitants, Users    int64
	Visibility            Visibility
	Publish               bool // open the need (else it stays a draft)
	// Unreadable names fields whose entered value could not be read
	// (a malformed date); Validate reports them.
	Unreadable []string
}

// Validate checks in and returns apperr.Invalid with a message per field.
// Field names: title, problem, field, requirements, delivery, hosting,
// evidence, budget_min, budget_max, start, end, inhabitants, users,
// visibility. Nothing is normalised beyond trimming.
func (in *Input) Validate() error {
	in.Title = strings.TrimSpace(in.Title)
	in.Problem = strings.TrimSpace(strings.ReplaceAll(in.Problem, "\r\n", "\n"))
	in.Field = strings.TrimSpace(in.Field)
	var v apperr.Validation
	v.Text("title", in.Title, MaxTitle, true)
	v.Text("problem", in.Problem, MaxProblem, true)
	if in.Field == "" {
		v.Add("field", "form.error.required")
	}
	reqs := in.Reqs[:0:0]
	for _, r := range in.Reqs {
		r.Text, r.Attribute = strings.TrimSpace(r.Text), strings.TrimSpace(r.Attribute)
		if r.Text == "" && r.Attribute == "" {
			continue // an empty row of the form
		}
		reqs = append(reqs, r)
	}
	in.Reqs = reqs
	switch {
	case len(in.Reqs) < MinRequirements:
		v.Add("requirements", "need.error.requirements_min")
	case len(in.Reqs) > MaxRequirements:
		v.Add("requirements", "need.error.requirements_max", "Max", MaxRequirements)
	}
	for i := range in.Reqs {
		r := &in.Reqs[i]
		switch {
		case len([]rune(r.Text)) > MaxReqText:
			v.Add("requirements", "form.error.too_long", "Max", MaxReqText)
		case r.Kind != Must && r.Kind != Should:
			v.Add("requirements", "need.error.kind")
		case r.Kind == Should && (r.Weight < MinWeight || r.Weight > MaxWeight):
			v.Add("requirements", "need.error.weight", "Min", MinWeight, "Max", MaxWeight)
		case r.Attribute != "" && !ValidAttribute(r.Attribute):
			v.Add("requirements", "need.error.attribute")
		}
		if r.Kind == Must {
			r.Weight = 0
		}
	}
	for _, d := range in.Delivery {
		if !slices.Contains(catalog.DeliveryModels, d) {
			v.Add("delivery", "need.error.delivery")
			break
		}
	}
	if in.Hosting == "" {
		in.Hosting = "any"
	}
	if !slices.Contains(Hostings, in.Hosting) {
		v.Add("hosting", "need.error.hosting")
	}
	for _, e := range in.Evidence {
		if !slices.Contains(catalog.EvidenceKinds, e) {
			v.Add("evidence", "need.error.evidence")
			break
		}
	}
	checkAmount := func(field string, p *int64) {
		if p != nil && (*p < 0 || *p > MaxBudget) {
			v.Add(field, "need.error.budget_range", "Max", MaxBudget)
		}
	}
	checkAmount("budget_min", in.BudgetMin)
	checkAmount("budget_max", in.BudgetMax)
	if in.BudgetMin != nil && in.BudgetMax != nil && *in.BudgetMin > *in.BudgetMax {
		v.Add("budget_max", "need.error.budget_order")
	}
	if in.Start != nil && in.End != nil && in.End.Before(*in.Start) {
		v.Add("end", "need.error.dates_order")
	}
	if in.Inhabitants < 0 || in.Inhabitants > MaxPeople {
		v.Add("inhabitants", "need.error.people", "Max", MaxPeople)
	}
	if in.Users < 0 || in.Users > MaxPeople {
		v.Add("users", "need.error.people", "Max", MaxPeople)
	}
	for _, f := range in.Unreadable {
		v.Add(f, "need.error.unreadable")
	}
	if !slices.Contains(Visibilities, in.Visibility) {
		v.Add("visibility", "need.error.visibility")
	}
	return v.Err()
}

// Band returns the size band of the organisation ("" when its
// population is unknown).
func (o OrgRef) Band() region.Band {
	if o.Population <= 0 {
		return ""
	}
	return region.BandOf(o.Population)
}
