// Package knowledge holds the knowledge base of the competence centre:
// guides, checklists and templates that curators and advisors write in
// Markdown, that another curator reviews before publication, that keep
// every published version, and that readers rate and correct.
package knowledge

import (
	"slices"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Kind is what an article is.
type Kind string

// The kinds of article.
const (
	Guide     Kind = "guide"
	Checklist Kind = "checklist"
	Template  Kind = "template"
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{Guide, Checklist, Template}

// Valid reports whether k is a kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// State is where the working version of an article stands.
type State string

// The states of the working version. Published means the working version
// is the published one (nothing is being edited).
const (
	Draft            State = "draft"
	Submitted        State = "submitted"
	ChangesRequested State = "changes_requested"
	Published        State = "published"
)

// Limits of what users write.
const (
	MaxTitle      = 200
	MaxSummary    = 500
	MaxBody       = 100_000
	MaxLinks      = 20 // per list of fields, solutions or related articles
	MaxSuggestion = 2000
	MaxNote       = 2000
)

// DefaultOutdatedAfter is how long an article counts as current after it
// was last checked, unless configured otherwise.
const DefaultOutdatedAfter = 365 * 24 * time.Hour

// Person is a user as an article shows them; ID "" is a deleted account.
type Person struct {
	ID, Name, Email, Lang string
}

// Deleted reports whether the account was deleted.
func (p Person) Deleted() bool { return p.ID == "" }

// Content is what a version of an article says.
type Content struct {
	Kind      Kind
	Title     string
	Summary   string
	Body      string   // Markdown, rendered sanitised
	Fields    []string // keys of fields of action
	Solutions []string // slugs of published catalogue entries
	Related   []string // slugs of other articles
}

// Version is a published version of an article.
type Version struct {
	Number int
	Content
	Author   Person // who wrote it
	Reviewer Person // the curator who published it
	Comment  string // the reviewer's comment
	At       time.Time
}

// Article is an entry of the knowledge base: its working version and the
// published one (nil until first published).
type Article struct {
	ID          string
	Slug        string
	Owner       Person
	Working     Content
	State       State
	Editor      Person   // who last wrote the working version
	Authors     []string // ids of all who wrote it since it was last published
	ReviewNote  string   // the reviewer's comment when changes were requested
	Lock        int      // optimistic lock of the working version
	Published   *Version
	LastChecked time.Time // a calendar day, UTC midnight
	RemindedAt  *time.Time
	Created     time.Time
	Updated     time.Time
	Helpful     int // "helpful: yes" votes
	NotHelpful  int
}

// Outdated reports whether the article was last checked longer than
// after ago at now.
func (a Article) Outdated(now time.Time, after time.Duration) bool {
	return !a.LastChecked.IsZero() && now.Sub(a.LastChecked) > after
}

// Attachment is a file of an article.
type Attachment struct {
	ID        string
	ArticleID string
	Name      string
	Type      string
	Size      int64
	Data      []byte // only when read for download
	Created   time.Time
}

// SuggestionState is where a correction suggestion stands.
type SuggestionState string

// The states of a suggestion.
const (
	Open     SuggestionState = "open"
	Done     SuggestionState = "done"
	Declined SuggestionState = "declined"
)

// Suggestion is a reader's correction suggestion.
type Suggestion struct {
	ID        string
	ArticleID string
	Slug      string
	Title     string // of the article
	Owner     Person // of the article
	User      Person
	Body      string
	State     SuggestionState
	Note      string
	DecidedBy Person
	Created   time.Time
	Decided   *time.Time
}

// Input is what an author writes in the editor or the API.
type Input struct {
	Content
	Owner string // user id; "" keeps the current owner (or the author on create)
	Lock  int    // the lock the author edited; 0 on create
}

// validate checks the content's own rules (not whether the linked keys
// exist, which the service asks the store).
func (in Input) validate(v *apperr.Validation) {
	if !in.Kind.Valid() {
		v.Add("kind", "knowledge.error.kind")
	}
	v.Text("title", strings.TrimSpace(in.Title), MaxTitle, true)
	v.Text("summary", in.Summary, MaxSummary, false)
	v.Text("body", strings.TrimSpace(in.Body), MaxBody, true)
	for field, list := range map[string][]string{"fields": in.Fields, "solutions": in.Solutions, "related": in.Related} {
		if len(list) > MaxLinks {
			v.Add(field, "knowledge.error.too_many", "Max", MaxLinks)
		}
	}
}

// clean trims the input and drops empty and repeated keys.
func (in Input) clean() Input {
	in.Title, in.Summary, in.Body = strings.TrimSpace(in.Title), strings.TrimSpace(in.Summary), strings.TrimSpace(in.Body)
	in.Body = strings.ReplaceAll(in.Body, "\r\n", "\n")
	in.Fields, in.Solutions, in.Related = keys(in.Fields), keys(in.Solutions), keys(in.Related)
	return in
}

func keys(list []string) []string {
	var out []string
	for _, k := range list {
		for _, p := range strings.FieldsFunc(k, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}
