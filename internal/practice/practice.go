// Package practice holds practice examples ("Praxisbeispiele"): a verified
// municipality, district or state documents a project — goal, solutions
// of the catalogue it used, costs, funding, timeline, team, results with
// indicators and lessons learned — and a curator who did not write it
// reviews it before it is published. Examples of municipalities of the
// same size band and degree of urbanisation point to each other.
package practice

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/region"
)

// State is where the working version of an example stands.
type State string

// The states. Published means the working version is the published one;
// Archived means nothing is public any more (an edit starts a new draft).
const (
	Draft            State = "draft"
	Submitted        State = "submitted"
	ChangesRequested State = "changes_requested"
	Published        State = "published"
	Archived         State = "archived"
)

// States lists the states in display order.
var States = []State{Draft, Submitted, ChangesRequested, Published, Archived}

// Valid reports whether s is a state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// CostBands are the rough cost ranges an example may give instead of
// exact amounts (whole euros).
var CostBands = []string{"lt10k", "10k-50k", "50k-250k", "250k-1m", "gt1m"}

// Limits of what users write.
const (
	MaxTitle      = 200
	MaxText       = 20_000 // Markdown fields
	MaxShort      = 500    // funding, programme, team, contact fields
	MaxKeys       = 20     // fields of action, solutions
	MaxIndicators = 20
	MaxNote       = 2000
	MaxAmount     = 1_000_000_000 // euros
	MaxTeamSize   = 10_000
)

// Indicator is one measured result: a value before and after the project.
type Indicator struct {
	Name   string   `json:"name"`
	Before *float64 `json:"before"`
	After  *float64 `json:"after"`
	Unit   string   `json:"unit"`
	Note   string   `json:"note"`
}

// Contact is the person to ask about an example. It is shown publicly
// only when Consent is true; otherwise it is stored for the curators and
// the organisation but never shown to anyone else.
type Contact struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	Email   string `json:"email"`
	Consent bool   `json:"consent"`
}

// Empty reports whether no contact was given.
func (c Contact) Empty() bool { return c.Name == "" && c.Role == "" && c.Email == "" }

// Content is what a version of an example says.
type Content struct {
	Title       string      `json:"title"`
	Goal        string      `json:"goal"` // Markdown, rendered sanitised
	Fields      []string    `json:"fields"`
	Solutions   []string    `json:"solutions"` // slugs of published catalogue entries
	CostFrom    *int64      `json:"cost_from"` // whole euros
	CostTo      *int64      `json:"cost_to"`
	CostBand    string      `json:"cost_band"` // one of CostBands, instead of amounts
	Funding     string      `json:"funding"`
	Programme   string      `json:"programme"`
	Start       string      `json:"start"` // YYYY-MM
	End         string      `json:"end"`   // YYYY-MM; "" while running
	Team        string      `json:"team"`
	TeamSize    int         `json:"team_size"`
	Results     []Indicator `json:"results"`
	ResultsText string      `json:"results_text"` // Markdown
	Lessons     string      `json:"lessons"`      // Markdown
	Differently string      `json:"differently"`  // Markdown: what we would do differently
	Contact     Contact     `json:"contact"`
}

// Public returns c as a visitor may see it: without the contact person
// unless they consented.
func (c Content) Public() Content {
	if !c.Contact.Consent {
		c.Contact = Contact{}
	}
	return c
}

// OrgRef names the organisation an example belongs to.
type OrgRef struct {
	ID, Slug, Name, Kind, RegionKey string
}

// Example is a practice example: its working version and the published
// one (nil while nothing is public).
type Example struct {
	ID           string
	Slug         string
	Org          OrgRef
	Band         region.Band // size band from the register; "" when unknown
	Urbanisation region.Urbanisation
	Working      Content
	State        State
	Editor       string   // user id of who last wrote the working version
	Authors      []string // who wrote it since it was last published
	ReviewNote   string   // the curator's comment on "changes requested"
	Lock         int
	Version      int // number of the last published version
	Published    *Content
	PublishedAt  *time.Time
	CreatedBy    string
	Created      time.Time
	Updated      time.Time
}

// Shown returns the content a reader sees: the published version, or the
// working one when nothing is published.
func (e Example) Shown() Content {
	if e.Published != nil {
		return *e.Published
	}
	return e.Working
}

// Input is what an author writes in the form or the API.
type Input struct {
	Content
	Lock int // the lock the author edited; 0 on create
	// Unreadable names fields whose entered value could not be read (a
	// malformed number); Validate reports them.
	Unreadable []string
}

var monthRE = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// clean trims the input and drops empty rows and repeated keys.
func (in Input) clean() Input {
	c := &in.Content
	trim := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	c.Title, c.Goal, c.Funding, c.Programme = trim(c.Title), trim(c.Goal), trim(c.Funding), trim(c.Programme)
	c.Start, c.End, c.Team, c.CostBand = trim(c.Start), trim(c.End), trim(c.Team), trim(c.CostBand)
	c.ResultsText, c.Lessons, c.Differently = trim(c.ResultsText), trim(c.Lessons), trim(c.Differently)
	c.Contact.Name, c.Contact.Role, c.Contact.Email = trim(c.Contact.Name), trim(c.Contact.Role), trim(c.Contact.Email)
	c.Fields, c.Solutions = keys(c.Fields), keys(c.Solutions)
	var res []Indicator
	for _, r := range c.Results {
		r.Name, r.Unit, r.Note = trim(r.Name), trim(r.Unit), trim(r.Note)
		if r.Name == "" && r.Unit == "" && r.Note == "" && r.Before == nil && r.After == nil {
			continue // an empty row of the form
		}
		res = append(res, r)
	}
	c.Results = res
	return in
}

func keys(list []string) []string {
	out := []string{}
	for _, k := range list {
		for _, p := range strings.FieldsFunc(k, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// validate checks the content's own rules (not whether the linked keys
// exist, which the service asks). Field names are those of the form and
// the API: title, goal, fields, solutions, cost_from, cost_to, cost_band,
// funding, programme, start, end, team, team_size, results, results_text,
// lessons, differently, contact_name, contact_role, contact_email,
// consent.
func (in Input) validate(v *apperr.Validation) {
	c := in.Content
	v.Text("title", c.Title, MaxTitle, true)
	v.Text("goal", c.Goal, MaxText, true)
	for field, list := range map[string][]string{"fields": c.Fields, "solutions": c.Solutions} {
		if len(list) > MaxKeys {
			v.Add(field, "practice.error.too_many", "Max", MaxKeys)
		}
	}
	if len(c.Fields) == 0 {
		v.Add("fields", "practice.error.fields_required")
	}
	amount := func(field string, p *int64) {
		if p != nil && (*p < 0 || *p > MaxAmount) {
			v.Add(field, "practice.error.amount", "Max", MaxAmount)
		}
	}
	amount("cost_from", c.CostFrom)
	amount("cost_to", c.CostTo)
	if c.CostFrom != nil && c.CostTo != nil && *c.CostFrom > *c.CostTo {
		v.Add("cost_to", "practice.error.cost_order")
	}
	if c.CostBand != "" {
		if !slices.Contains(CostBands, c.CostBand) {
			v.Add("cost_band", "practice.error.cost_band")
		} else if c.CostFrom != nil || c.CostTo != nil {
			v.Add("cost_band", "practice.error.cost_either")
		}
	}
	v.Text("funding", c.Funding, MaxShort, false)
	v.Text("programme", c.Programme, MaxShort, false)
	startOK, endOK := true, true
	if c.Start == "" {
		v.Add("start", "form.error.required")
		startOK = false
	} else if !monthRE.MatchString(c.Start) {
		v.Add("start", "practice.error.month")
		startOK = false
	}
	if c.End != "" && !monthRE.MatchString(c.End) {
		v.Add("end", "practice.error.month")
		endOK = false
	}
	if startOK && endOK && c.End != "" && c.End < c.Start {
		v.Add("end", "practice.error.month_order")
	}
	v.Text("team", c.Team, MaxShort, false)
	if c.TeamSize < 0 || c.TeamSize > MaxTeamSize {
		v.Add("team_size", "practice.error.team_size", "Max", MaxTeamSize)
	}
	if len(c.Results) > MaxIndicators {
		v.Add("results", "practice.error.too_many", "Max", MaxIndicators)
	}
	for i, r := range c.Results {
		row := strconv.Itoa(i + 1)
		switch {
		case r.Name == "":
			v.Add("results", "practice.error.indicator_name", "Row", row)
		case len([]rune(r.Name)) > MaxShort || len([]rune(r.Unit)) > MaxShort || len([]rune(r.Note)) > MaxShort:
			v.Add("results", "practice.error.indicator_long", "Row", row, "Max", MaxShort)
		case r.Before == nil && r.After == nil && r.Note == "":
			v.Add("results", "practice.error.indicator_value", "Row", row)
		}
	}
	v.Text("results_text", c.ResultsText, MaxText, false)
	v.Text("lessons", c.Lessons, MaxText, false)
	v.Text("differently", c.Differently, MaxText, false)
	v.Text("contact_name", c.Contact.Name, MaxShort, false)
	v.Text("contact_role", c.Contact.Role, MaxShort, false)
	if c.Contact.Email != "" && account.NormalizeEmail(c.Contact.Email) == "" {
		v.Add("contact_email", "form.error.email")
	}
	if c.Contact.Consent && (c.Contact.Name == "" || c.Contact.Email == "") {
		v.Add("consent", "practice.error.consent_contact")
	}
	for _, f := range in.Unreadable {
		v.Add(f, "practice.error.unreadable")
	}
}
