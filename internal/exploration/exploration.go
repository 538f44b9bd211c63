// Package exploration holds market explorations ("Markterkundungen")
// before a procurement: a public body freezes a candidate list from a
// need's matches or a search (a snapshot with a SHA-256 over its
// canonical JSON), asks the providers the same questions (RFI) with a
// deadline the server enforces, scores the candidates against weighted
// criteria, records exclusions and the outcome, and issues reports (JSON,
// PDF, XLSX) whose file hashes are recorded so that verify-report can
// tell a genuine, unchanged report from any other file.
package exploration

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
)

// State is where an exploration stands.
type State string

// The states: the candidates are frozen on creation (draft: criteria and
// questionnaire being prepared); sent: the providers were asked and may
// answer until the deadline, then the buyer scores; closed: the outcome
// is recorded and nothing changes any more.
const (
	Draft  State = "draft"
	Sent   State = "sent"
	Closed State = "closed"
)

// Sources of the candidate list.
const (
	FromNeed   = "need"
	FromSearch = "search"
)

// Answer types of questions.
const (
	TypeText   = "text"
	TypeYesNo  = "yesno"
	TypeNumber = "number"
)

// AnswerTypes lists them in form order.
var AnswerTypes = []string{TypeText, TypeYesNo, TypeNumber}

// Outcomes of a closed exploration.
const (
	Awarded   = "awarded"   // a contract was awarded to a candidate
	Cancelled = "cancelled" // the procedure was cancelled
	NoOffer   = "no_offer"  // no suitable offer
)

// Outcomes lists them in form order.
var Outcomes = []string{Awarded, Cancelled, NoOffer}

// Limits.
const (
	MaxTitle       = 200
	MaxCandidates  = 50 // from a search: the first 50 results
	MaxCriteria    = 20
	MaxCriterion   = 200
	WeightSum      = 100 // criteria weights must sum to this
	MaxQuestions   = 30
	MaxQuestion    = 1000
	MaxAnswer      = 5000
	MaxComment     = 2000
	MaxReason      = 5000
	MaxScore       = 10 // scores run from 0 to MaxScore per criterion
	MinProviders   = 3  // the platform advises asking at least three
	MaxQueryLength = 2000
)

// OrgRef names an organisation.
type OrgRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Criterion is one weighted criterion of the scoring. An exclusion
// criterion ("K.-o.-Kriterium") must be met: a candidate scored 0 on it
// must be excluded with a reason.
type Criterion struct {
	Name      string `json:"name"`
	Weight    int    `json:"weight"`
	Exclusion bool   `json:"exclusion"`
}

// Question is one question of the questionnaire (RFI).
type Question struct {
	Text string `json:"text"`
	Type string `json:"type"` // one of AnswerTypes
}

// Score is the buyer's assessment of one candidate: one value 0–MaxScore
// per criterion (in criteria order), a comment, and an exclusion with
// its mandatory reason.
type Score struct {
	Solution string `json:"solution"` // the candidate's solution id
	Values   []int  `json:"values"`
	Comment  string `json:"comment"`
	Excluded bool   `json:"excluded"`
	Reason   string `json:"reason"`
}

// Exploration is one market exploration of a public body.
type Exploration struct {
	ID        string
	Org       OrgRef
	Title     string
	Source    string // FromNeed or FromSearch
	NeedID    string // "" when from a search or the need was deleted
	NeedSlug  string
	NeedTitle string
	Query     string // the search as /loesungen query ("" from a need)
	// Snapshot is the frozen candidate list exactly as stored (canonical
	// JSON) and SnapshotHash its hex SHA-256 recorded at freezing.
	Snapshot     []byte
	SnapshotHash string
	SnapshotAt   time.Time
	Criteria     []Criterion
	Questions    []Question
	Providers    []string // organisation ids asked
	Deadline     *time.Time
	SentAt       *time.Time
	Scores       []Score
	State        State
	Outcome      string
	AwardedTo    string // solution id
	Reason       string // reason of the outcome
	ClosedAt     *time.Time
	ClosedBy     string
	Lock         int
	CreatedBy    string
	CreatedLabel string // the creator's e-mail address at creation
	Created      time.Time
	Updated      time.Time
}

// Asked reports whether the organisation orgID was asked.
func (e Exploration) Asked(orgID string) bool { return slices.Contains(e.Providers, orgID) }

// Answer is a provider organisation's answer to the questionnaire.
type Answer struct {
	ExplorationID string
	Org           OrgRef
	Values        []string // one per question
	By            string   // user id
	Submitted     time.Time
	Updated       time.Time
}

// Report is the record of an issued report file.
type Report struct {
	ID            string
	SHA256        string
	ExplorationID string
	Format        string // json, pdf or xlsx
	Issued        time.Time
	By            string // user id
	ByLabel       string // e-mail address
}

// Formats lists the report formats.
var Formats = []string{"json", "pdf", "xlsx"}

// ValidateCriteria checks criteria: 1–MaxCriteria, each named, weights
// whole numbers 1–100 summing to exactly 100. Field names: criteria.
// Empty rows (no name, no weight) are dropped first.
func ValidateCriteria(cs []Criterion) ([]Criterion, error) {
	var v apperr.Validation
	out := []Criterion{}
	for _, c := range cs {
		c.Name = strings.TrimSpace(c.Name)
		if c.Name == "" && c.Weight == 0 && !c.Exclusion {
			continue
		}
		out = append(out, c)
	}
	switch {
	case len(out) == 0:
		v.Add("criteria", "exploration.error.criteria_min")
	case len(out) > MaxCriteria:
		v.Add("criteria", "exploration.error.criteria_max", "Max", MaxCriteria)
	}
	sum := 0
	for _, c := range out {
		switch {
		case c.Name == "":
			v.Add("criteria", "exploration.error.criterion_name")
		case utf8.RuneCountInString(c.Name) > MaxCriterion:
			v.Add("criteria", "form.error.too_long", "Max", MaxCriterion)
		case c.Weight < 1 || c.Weight > WeightSum:
			v.Add("criteria", "exploration.error.weight_range", "Max", WeightSum)
		}
		sum += c.Weight
	}
	if len(out) > 0 && sum != WeightSum {
		v.Add("weights", "exploration.error.weight_sum", "Sum", sum, "Want", WeightSum)
	}
	return out, v.Err()
}

// RFI is the questionnaire as the buyer enters it.
type RFI struct {
	Questions []Question
	Deadline  *time.Time // nil when not readable or not given
	Providers []string   // organisation ids
	// Unreadable names fields whose value could not be read.
	Unreadable []string
}

// Validate checks the questionnaire at now against the candidates'
// providers: 1–MaxQuestions questions with a known type, a deadline in
// the future, at least one provider, each among the candidates'. Field
// names: questions, deadline, providers.
func (in *RFI) Validate(now time.Time, candidates []string) error {
	var v apperr.Validation
	qs := []Question{}
	for _, q := range in.Questions {
		q.Text = strings.TrimSpace(strings.ReplaceAll(q.Text, "\r\n", "\n"))
		if q.Text == "" {
			continue
		}
		if q.Type == "" {
			q.Type = TypeText
		}
		qs = append(qs, q)
	}
	in.Questions = qs
	switch {
	case len(qs) == 0:
		v.Add("questions", "exploration.error.questions_min")
	case len(qs) > MaxQuestions:
		v.Add("questions", "exploration.error.questions_max", "Max", MaxQuestions)
	}
	for _, q := range qs {
		if utf8.RuneCountInString(q.Text) > MaxQuestion {
			v.Add("questions", "form.error.too_long", "Max", MaxQuestion)
		} else if !slices.Contains(AnswerTypes, q.Type) {
			v.Add("questions", "exploration.error.answer_type")
		}
	}
	switch {
	case slices.Contains(in.Unreadable, "deadline"):
		v.Add("deadline", "exploration.error.deadline_unreadable")
	case in.Deadline == nil:
		v.Add("deadline", "form.error.required")
	case !in.Deadline.After(now):
		v.Add("deadline", "exploration.error.deadline_past")
	}
	ps := []string{}
	for _, p := range in.Providers {
		if p == "" || slices.Contains(ps, p) {
			continue
		}
		if !slices.Contains(candidates, p) {
			v.Add("providers", "exploration.error.provider_unknown")
			break
		}
		ps = append(ps, p)
	}
	in.Providers = ps
	if len(ps) == 0 {
		v.Add("providers", "exploration.error.providers_min")
	}
	return v.Err()
}

// Total returns the weighted total of a score, 0–100: the sum of weight ×
// value over the criteria, divided by MaxScore.
func Total(cs []Criterion, s Score) float64 {
	t := 0
	for i, c := range cs {
		if i < len(s.Values) {
			t += c.Weight * s.Values[i]
		}
	}
	return float64(t) / MaxScore
}
