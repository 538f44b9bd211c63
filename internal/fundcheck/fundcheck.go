// Package fundcheck is "check before you fund" (Bestandsprüfung): someone
// planning a new, often publicly funded, development describes it; the
// platform looks for existing solutions and running cooperation projects,
// the author states per match why it does not suffice (or that it could be
// reused), and the finalised check is a dated, read-only record with a
// SHA-256 hash that can accompany a funding application. Funding bodies
// see only aggregate counts of finalised checks.
package fundcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
)

// State is where a check stands.
type State string

// The states of a check.
const (
	Draft State = "draft" // matches found, statements being written
	Final State = "final" // dated and read-only
)

// Intended delivery of the planned development.
const (
	DeliveryOpenSource = "open_source"
	DeliveryCommercial = "commercial"
	DeliveryOpen       = "undecided"
)

// Deliveries lists the intended deliveries in form order.
var Deliveries = []string{DeliveryOpenSource, DeliveryCommercial, DeliveryOpen}

// Kinds of matches.
const (
	KindSolution = "solution" // a catalogue solution
	KindNeed     = "need"     // a running cooperation: a public need others joined
	KindPractice = "practice" // a published practice example (optional hook)
)

// Verdicts the author gives a match.
const (
	VerdictNone         = ""
	VerdictReusable     = "reusable"     // could be reused
	VerdictInsufficient = "insufficient" // does not suffice, with a statement
)

// Limits of the input.
const (
	MaxTitle       = 200
	MaxDescription = 10000
	MaxFields      = 5
	MaxLicence     = 100
	MaxProgramme   = 200
	MaxStatement   = 4000
	MaxBudget      = 10_000_000_000
	MaxMatches     = 10 // solutions; cooperation projects add up to MaxCooperations
	MaxCooperation = 5
)

// Licence families of solution matches.
const (
	FamilyOpenSource  = "open_source"
	FamilyProprietary = "proprietary"
)

// Match is an existing solution or project similar to the planned
// development, with why it is similar and the author's verdict.
type Match struct {
	Kind    string   `json:"kind"`
	Ref     string   `json:"ref"` // slug of the solution or need
	Title   string   `json:"title"`
	Org     string   `json:"org"`
	Summary string   `json:"summary"`
	Licence string   `json:"licence,omitempty"` // SPDX expression of a solution
	Family  string   `json:"family,omitempty"`  // FamilyOpenSource or FamilyProprietary
	Joined  int      `json:"joined,omitempty"`  // organisations that joined a need
	Fields  []string `json:"fields"`            // fields of action shared with the check
	Related []string `json:"related"`           // fields of the same top-level field
	Words   []string `json:"words"`             // words of the check found in the match
	Score   int      `json:"score"`
	// Verdict and Statement are the author's.
	Verdict   string `json:"verdict"`
	Statement string `json:"statement"`
}

// Key identifies a match within a check.
func (m Match) Key() string { return m.Kind + ":" + m.Ref }

// Path is the page of the match on the platform.
func (m Match) Path() string {
	switch m.Kind {
	case KindNeed:
		return "/bedarfe/" + m.Ref
	case KindPractice:
		return "/praxisbeispiele/" + m.Ref
	}
	return "/loesungen/" + m.Ref
}

// Check is a planned development checked against what exists.
type Check struct {
	ID          string     `json:"id"`
	AuthorID    string     `json:"-"`
	AuthorLabel string     `json:"author"`
	OrgID       string     `json:"-"`
	OrgName     string     `json:"organisation"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Fields      []string   `json:"fields"`
	Delivery    string     `json:"delivery"`
	Licence     string     `json:"licence"`
	Budget      *int64     `json:"budget"`
	Programme   string     `json:"programme"`
	Matches     []Match    `json:"matches"`
	State       State      `json:"state"`
	Created     time.Time  `json:"created"`
	Finalised   *time.Time `json:"finalised"`
	// Snapshot is the frozen JSON record of a final check; SHA256 is the
	// hex hash of Snapshot.
	Snapshot string `json:"-"`
	SHA256   string `json:"-"`
	Lock     int    `json:"-"`
	Updated  time.Time
}

// Reusable reports whether the author marked any match as reusable.
func (c Check) Reusable() bool {
	return slices.ContainsFunc(c.Matches, func(m Match) bool { return m.Verdict == VerdictReusable })
}

// Freeze returns the snapshot of c as it is finalised at t and its
// SHA-256 hash (hex).
func Freeze(c Check, t time.Time) (string, string, error) {
	c.State, c.Finalised = Final, &t
	b, err := json.Marshal(c)
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256(b)
	return string(b), hex.EncodeToString(sum[:]), nil
}

// Verify reports whether the snapshot of a final check still has its hash.
func (c Check) Verify() bool {
	sum := sha256.Sum256([]byte(c.Snapshot))
	return c.State == Final && hex.EncodeToString(sum[:]) == c.SHA256
}

// Input is what the author writes.
type Input struct {
	Title       string
	Description string
	Fields      []string
	Delivery    string
	Licence     string
	Budget      *int64
	Programme   string
	// Unreadable names fields whose value could not be read (a budget
	// that is no number).
	Unreadable []string
}

// Validate trims in and returns apperr.Invalid with a message per field:
// title, description, fields, delivery, licence, budget, programme.
// known reports whether a key is a field of action.
func (in *Input) Validate(known func(string) bool) error {
	var v apperr.Validation
	in.check(known, &v)
	return v.Err()
}

func (in *Input) check(known func(string) bool, v *apperr.Validation) {
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n"))
	in.Licence, in.Programme = strings.TrimSpace(in.Licence), strings.TrimSpace(in.Programme)
	v.Text("title", in.Title, MaxTitle, true)
	v.Text("description", in.Description, MaxDescription, true)
	v.Text("licence", in.Licence, MaxLicence, false)
	v.Text("programme", in.Programme, MaxProgramme, false)
	var fields []string
	for _, f := range in.Fields {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	in.Fields = fields
	switch {
	case len(fields) == 0:
		v.Add("fields", "fundcheck.error.fields_min")
	case len(fields) > MaxFields:
		v.Add("fields", "fundcheck.error.fields_max", "Max", MaxFields)
	default:
		for _, f := range fields {
			if !known(f) {
				v.Add("fields", "fundcheck.error.field_unknown")
				break
			}
		}
	}
	if in.Delivery == "" {
		in.Delivery = DeliveryOpen
	}
	if !slices.Contains(Deliveries, in.Delivery) {
		v.Add("delivery", "fundcheck.error.delivery")
	}
	if in.Budget != nil && (*in.Budget < 0 || *in.Budget > MaxBudget) {
		v.Add("budget", "fundcheck.error.budget", "Max", MaxBudget)
	}
	for _, f := range in.Unreadable {
		v.Add(f, "fundcheck.error.unreadable")
	}
}

// Statement is the author's verdict on one match, by Match.Key.
type Statement struct {
	Key       string
	Verdict   string
	Statement string
}

// apply writes statements into the matches and validates them; with
// final every match needs a verdict and every "insufficient" one a
// statement. Field names: "match-<index>".
func apply(ms []Match, sts []Statement, final bool) error {
	var v apperr.Validation
	byKey := map[string]Statement{}
	for _, s := range sts {
		byKey[s.Key] = s
	}
	for i := range ms {
		s, ok := byKey[ms[i].Key()]
		if ok {
			ms[i].Verdict, ms[i].Statement = s.Verdict, strings.TrimSpace(strings.ReplaceAll(s.Statement, "\r\n", "\n"))
		}
		name := "match-" + strconv.Itoa(i)
		switch {
		case ms[i].Verdict != VerdictNone && ms[i].Verdict != VerdictReusable && ms[i].Verdict != VerdictInsufficient:
			v.Add(name, "fundcheck.error.verdict")
		case len([]rune(ms[i].Statement)) > MaxStatement:
			v.Add(name, "form.error.too_long", "Max", MaxStatement)
		case final && ms[i].Verdict == VerdictNone:
			v.Add(name, "fundcheck.error.verdict_missing")
		case final && ms[i].Verdict == VerdictInsufficient && ms[i].Statement == "":
			v.Add(name, "fundcheck.error.statement_missing")
		}
	}
	for k := range byKey {
		if !slices.ContainsFunc(ms, func(m Match) bool { return m.Key() == k }) {
			v.Add("statements", "fundcheck.error.match_unknown", "Key", k)
			break
		}
	}
	return v.Err()
}
