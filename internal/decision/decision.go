// Package decision is the decision aid "open source or licence?": for a
// concrete choice between up to four options (catalogue solutions or
// free-text ones) it asks about in-house skills, operation, adaptation
// and exit, shows community and vendor health from the catalogue's data,
// computes a five-year total cost of ownership from editable assumptions
// (integer cents) and explains with listed rules which factor favours
// which option. There is no hidden score.
package decision

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

// The questions and their answers, in form order.
const (
	QSkills     = "skills"     // in-house IT skills
	QOperation  = "operation"  // preferred operation
	QAdaptation = "adaptation" // need for adaptation
	QExit       = "exit"       // importance of exit and data sovereignty
)

// Questions lists the questions with their answers in form order.
var Questions = []Question{
	{Key: QSkills, Answers: []string{"none", "some", "strong"}},
	{Key: QOperation, Answers: []string{"self", "municipal_it", "saas"}},
	{Key: QAdaptation, Answers: []string{"low", "medium", "high"}},
	{Key: QExit, Answers: []string{"low", "medium", "high"}},
}

// Question is one question of the aid.
type Question struct {
	Key     string
	Answers []string
}

// Open-source state of a free-text option.
const (
	OpenYes     = "yes"
	OpenNo      = "no"
	OpenUnknown = ""
)

// Sources of a cost line.
const (
	SourceUser    = "user"    // the user's assumption
	SourceCatalog = "catalog" // derived from the catalogue entry
	SourceNone    = "none"    // not given: 0 assumed
)

// Option is one of the choices. Solution names a catalogue solution by
// slug; then OpenSource and Delivery come from the catalogue. Costs hold
// the user's assumptions in cents (nil: not given).
type Option struct {
	Name       string            `json:"name"`
	Solution   string            `json:"solution"`
	OpenSource string            `json:"open_source"`
	Delivery   []string          `json:"delivery"`
	Costs      map[string]*int64 `json:"costs"`
}

// Aid is a saved decision aid: the answers, the options and the yearly
// price increase in basis points.
type Aid struct {
	ID       string            `json:"id"`
	UserID   string            `json:"-"`
	Title    string            `json:"title"`
	Answers  map[string]string `json:"answers"`
	Options  []Option          `json:"options"`
	Increase int               `json:"increase_bp"`
	Lock     int               `json:"-"`
	Created  time.Time         `json:"-"`
	Updated  time.Time         `json:"-"`
}

// Facts are what the catalogue says about a solution.
type Facts struct {
	Slug        string
	Name        string
	Licence     string
	OpenSource  bool
	Delivery    []string           // delivery models offered
	Offers      []catalog.Delivery // delivery models with their price models
	FlatPrice   *int64             // cents per year, from a flat price
	Free        bool               // a delivery is free of charge
	Hosting     []string           // where hosted deliveries run
	Users       int                // verified municipalities using it
	Maintenance string             // support and maintenance commitment
	Maturity    string
	Repository  string
	Harvested   *time.Time // last check of a registered repository
	HarvestOK   bool       // that check found the file in order
}

// Validate trims a and returns apperr.Invalid with a message per field:
// title, answers (one per question: "q-<key>"), options, "option-<i>"
// and "cost-<i>-<line>", increase. Answers may be left open.
func (a *Aid) Validate() error {
	var v apperr.Validation
	a.Title = strings.TrimSpace(a.Title)
	v.Text("title", a.Title, MaxTitle, false)
	if a.Answers == nil {
		a.Answers = map[string]string{}
	}
	for k, ans := range a.Answers {
		i := slices.IndexFunc(Questions, func(q Question) bool { return q.Key == k })
		if i < 0 {
			v.Add("answers", "decision.error.question", "Key", k)
			continue
		}
		if ans != "" && !slices.Contains(Questions[i].Answers, ans) {
			v.Add("q-"+k, "decision.error.answer")
		}
	}
	var opts []Option
	for _, o := range a.Options {
		o.Name, o.Solution = strings.TrimSpace(o.Name), strings.TrimSpace(o.Solution)
		if o.Name == "" && o.Solution == "" && !hasCosts(o) {
			continue // an empty column of the form
		}
		opts = append(opts, o)
	}
	a.Options = opts
	switch {
	case len(opts) < MinOptions:
		v.Add("options", "decision.error.options_min")
	case len(opts) > MaxOptions:
		v.Add("options", "decision.error.options_max", "Max", MaxOptions)
	}
	for i := range a.Options {
		o := &a.Options[i]
		name := "option-" + itoa(i)
		switch {
		case o.Name == "" && o.Solution == "":
			v.Add(name, "decision.error.option_name")
		case len([]rune(o.Name)) > MaxName || len(o.Solution) > MaxSolutionRef:
			v.Add(name, "form.error.too_long", "Max", MaxName)
		case o.OpenSource != OpenYes && o.OpenSource != OpenNo && o.OpenSource != OpenUnknown:
			v.Add(name, "decision.error.open_source")
		}
		for _, d := range o.Delivery {
			if !slices.Contains(catalog.DeliveryModels, d) {
				v.Add(name, "decision.error.delivery")
				break
			}
		}
		for line, c := range o.Costs {
			if !slices.Contains(Lines, line) {
				v.Add(name, "decision.error.line", "Line", line)
				continue
			}
			if c != nil && (*c < 0 || *c > MaxCents) {
				v.Add("cost-"+itoa(i)+"-"+line, "decision.error.cost", "Max", MaxCents/100)
			}
		}
	}
	if a.Increase < 0 || a.Increase > MaxIncreaseBP {
		v.Add("increase", "decision.error.increase", "Max", MaxIncreaseBP/100)
	}
	return v.Err()
}

func hasCosts(o Option) bool {
	for _, c := range o.Costs {
		if c != nil {
			return true
		}
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
