package exploration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// ReportFormat names the JSON report's format; verify-report checks it.
const ReportFormat = "smartregions-exploration-report/1"

// Content is what a report says, the same in every format: who, when,
// which search, which criteria, all candidates, all answers, scores,
// decision and the snapshot with its hash.
type Content struct {
	Exploration    string            `json:"exploration"` // id
	Title          string            `json:"title"`
	Buyer          OrgRef            `json:"buyer"`
	CreatedBy      string            `json:"created_by"`
	Created        time.Time         `json:"created"`
	Source         string            `json:"source"`
	Need           string            `json:"need,omitempty"`
	Query          string            `json:"query,omitempty"`
	State          State             `json:"state"`
	Issued         time.Time         `json:"issued"`
	IssuedBy       string            `json:"issued_by"`
	Lang           string            `json:"lang"`
	SnapshotSHA256 string            `json:"snapshot_sha256"`
	SnapshotTaken  time.Time         `json:"snapshot_taken"`
	Snapshot       json.RawMessage   `json:"snapshot"`
	Criteria       []Criterion       `json:"criteria"`
	MaxScore       int               `json:"max_score"`
	Questions      []Question        `json:"questions"`
	Deadline       *time.Time        `json:"deadline"`
	Sent           *time.Time        `json:"sent"`
	Asked          []OrgRef          `json:"providers_asked"`
	FewerThanThree bool              `json:"fewer_than_three_asked"`
	Candidates     []ReportCandidate `json:"candidates"`
	Answers        []ReportAnswer    `json:"answers"`
	Outcome        string            `json:"outcome"`
	AwardedTo      string            `json:"awarded_to"` // candidate name and provider
	Reason         string            `json:"outcome_reason"`
	Closed         *time.Time        `json:"closed"`
	ClosedBy       string            `json:"closed_by"`
	Note           string            `json:"note"` // draft of the procurement file note
}

// ReportCandidate is one candidate with its assessment.
type ReportCandidate struct {
	Solution string   `json:"solution"`
	Name     string   `json:"name"`
	Provider string   `json:"provider"`
	Values   []int    `json:"values"`
	Total    *float64 `json:"total"`
	Rank     int      `json:"rank"`
	Excluded bool     `json:"excluded"`
	Reason   string   `json:"exclusion_reason"`
	Comment  string   `json:"comment"`
}

// ReportAnswer is one provider's answer.
type ReportAnswer struct {
	Provider  OrgRef    `json:"provider"`
	Submitted time.Time `json:"submitted"`
	Updated   time.Time `json:"updated"`
	Answers   []string  `json:"answers"`
}

// File is an issued report.
type File struct {
	Name, ContentType string
	Body              []byte
	SHA256            string
}

// content builds the report's content in lang at now.
func (s *Service) content(e Exploration, answers []Answer, by, lang string, now time.Time) (Content, error) {
	snap, err := e.Frozen()
	if err != nil {
		return Content{}, err
	}
	c := Content{Exploration: e.ID, Title: e.Title, Buyer: e.Org, CreatedBy: e.CreatedLabel, Created: e.Created, Source: e.Source,
		Need: e.NeedTitle, Query: e.Query, State: e.State, Issued: now.UTC(), IssuedBy: by, Lang: lang, SnapshotSHA256: e.SnapshotHash,
		SnapshotTaken: e.SnapshotAt, Snapshot: json.RawMessage(e.Snapshot), Criteria: orEmpty(e.Criteria), MaxScore: MaxScore,
		Questions: orEmpty(e.Questions), Deadline: e.Deadline, Sent: e.SentAt, Asked: []OrgRef{}, Candidates: []ReportCandidate{},
		Answers: []ReportAnswer{}, Outcome: e.Outcome, Reason: e.Reason, Closed: e.ClosedAt, ClosedBy: e.ClosedBy}
	for _, p := range snap.Providers() {
		if e.Asked(p.ID) {
			c.Asked = append(c.Asked, p)
		}
	}
	c.FewerThanThree = len(c.Asked) < MinProviders
	for _, r := range e.Ranking(snap) {
		rc := ReportCandidate{Solution: r.Candidate.Solution, Name: r.Candidate.Name, Provider: r.Candidate.Provider.Name, Values: []int{}, Rank: r.Rank}
		if r.Score != nil {
			rc.Values, rc.Excluded, rc.Reason, rc.Comment = orEmpty(r.Score.Values), r.Score.Excluded, r.Score.Reason, r.Score.Comment
			if !r.Score.Excluded {
				t := r.Total
				rc.Total = &t
			}
		}
		if r.Candidate.Solution == e.AwardedTo {
			c.AwardedTo = r.Candidate.Name + " (" + r.Candidate.Provider.Name + ")"
		}
		c.Candidates = append(c.Candidates, rc)
	}
	for _, a := range answers {
		c.Answers = append(c.Answers, ReportAnswer{Provider: a.Org, Submitted: a.Submitted, Updated: a.Updated, Answers: orEmpty(a.Values)})
	}
	c.Note = s.Note(c)
	return c, nil
}

func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// Berlin is the time zone of dates shown.
var Berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()

// FormatTime writes t in Europe/Berlin: German or ISO style.
func FormatTime(lang string, t time.Time) string {
	if lang == "de" {
		return t.In(Berlin).Format("02.01.2006 15:04") + " Uhr"
	}
	return t.In(Berlin).Format("2006-01-02 15:04 MST")
}

// FormatTotal writes a total with one decimal (German decimal comma).
func FormatTotal(lang string, t float64) string {
	s := strconv.FormatFloat(t, 'f', 1, 64)
	if lang == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Note writes the draft of the procurement file note (Vergabevermerk)
// in c.Lang: who, when, which source, which providers were asked (and
// the advice when fewer than three), the criteria, the ranking, the
// exclusions and the decision, with the snapshot hash.
func (s *Service) Note(c Content) string {
	t := func(key string, kv ...any) string { return s.texts.T(c.Lang, "exploration.note."+key, kv...) }
	var b strings.Builder
	line := func(str string) {
		b.WriteString(str)
		b.WriteString("\n\n")
	}
	line(t("heading", "Title", c.Title))
	line(t("who", "Buyer", c.Buyer.Name, "By", c.CreatedBy, "Date", FormatTime(c.Lang, c.Created)))
	var snap Snapshot
	_ = json.Unmarshal(c.Snapshot, &snap)
	if c.Source == FromNeed {
		line(t("from_need", "Need", c.Need, "Num", len(snap.Candidates), "Date", FormatTime(c.Lang, c.SnapshotTaken), "Hash", c.SnapshotSHA256))
	} else {
		line(t("from_search", "Query", c.Query, "Num", len(snap.Candidates), "Date", FormatTime(c.Lang, c.SnapshotTaken), "Hash", c.SnapshotSHA256))
	}
	if c.Sent != nil && c.Deadline != nil {
		names := make([]string, 0, len(c.Asked))
		for _, p := range c.Asked {
			names = append(names, p.Name)
		}
		line(t("rfi", "Date", FormatTime(c.Lang, *c.Sent), "Questions", len(c.Questions), "Num", len(c.Asked),
			"Providers", strings.Join(names, ", "), "Deadline", FormatTime(c.Lang, *c.Deadline), "Answers", len(c.Answers)))
	} else {
		line(t("no_rfi"))
	}
	if c.FewerThanThree {
		line(t("fewer", "Num", len(c.Asked), "Min", MinProviders))
	}
	if len(c.Criteria) > 0 {
		cs := make([]string, 0, len(c.Criteria))
		for _, cr := range c.Criteria {
			x := cr.Name + " (" + strconv.Itoa(cr.Weight) + " %)"
			if cr.Exclusion {
				x += " " + t("exclusion_mark")
			}
			cs = append(cs, x)
		}
		line(t("criteria", "Criteria", strings.Join(cs, "; "), "Max", MaxScore))
	}
	ranked := slices.Clone(c.Candidates)
	ranked = slices.DeleteFunc(ranked, func(rc ReportCandidate) bool { return rc.Rank == 0 })
	slices.SortStableFunc(ranked, func(a, b ReportCandidate) int { return a.Rank - b.Rank })
	if len(ranked) > 0 {
		rs := make([]string, 0, len(ranked))
		for _, rc := range ranked {
			rs = append(rs, fmt.Sprintf("%d. %s (%s): %s", rc.Rank, rc.Name, rc.Provider, FormatTotal(c.Lang, *rc.Total)))
		}
		line(t("ranking", "Ranking", strings.Join(rs, "; ")))
	}
	for _, rc := range c.Candidates {
		if rc.Excluded {
			line(t("excluded", "Name", rc.Name, "Provider", rc.Provider, "Reason", rc.Reason))
		}
	}
	switch c.Outcome {
	case Awarded:
		line(t("awarded", "Name", c.AwardedTo, "Reason", c.Reason))
	case Cancelled:
		line(t("cancelled", "Reason", c.Reason))
	case NoOffer:
		line(t("no_offer", "Reason", c.Reason))
	default:
		line(t("open"))
	}
	if c.Closed != nil {
		line(t("closed", "Date", FormatTime(c.Lang, *c.Closed), "By", c.ClosedBy))
	}
	return strings.TrimSpace(b.String())
}

// Draft returns the draft note of e in lang, as shown on its page.
func (s *Service) Draft(ctx context.Context, a Actor, e Exploration, lang string) (string, error) {
	answers, err := s.Answers(ctx, a, e)
	if err != nil {
		return "", err
	}
	c, err := s.content(e, answers, "", lang, s.Now())
	if err != nil {
		return "", err
	}
	return c.Note, nil
}

// EncodeJSON writes the JSON report: the content and the SHA-256 of its
// canonical (compact) JSON.
func EncodeJSON(c Content) ([]byte, error) {
	body, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("exploration: report: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"format":%q,"content_sha256":%q,"content":`, ReportFormat, Hash(body))
	b.Write(body)
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// Report issues the report of e in format (json, pdf or xlsx) and lang
// and records the SHA-256 of the file with who issued it when.
func (s *Service) Report(ctx context.Context, a Actor, id, format, lang string, m account.Meta) (File, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return File{}, err
	}
	if !Can(a, ActView, e) {
		return File{}, errNotFound()
	}
	if !slices.Contains(Formats, format) {
		var v apperr.Validation
		v.Add("format", "exploration.error.format")
		return File{}, v.Err()
	}
	answers, err := s.store.Answers(ctx, e.ID)
	if err != nil {
		return File{}, fmt.Errorf("exploration: answers %s: %w", e.ID, err)
	}
	now := s.Now().UTC()
	c, err := s.content(e, answers, a.User.Email, lang, now)
	if err != nil {
		return File{}, err
	}
	f := File{Name: "markterkundung-" + now.In(Berlin).Format("2006-01-02") + "-" + e.ID[len(e.ID)-8:] + "." + format}
	switch format {
	case "json":
		f.ContentType = "application/json"
		f.Body, err = EncodeJSON(c)
	case "pdf":
		f.ContentType = "application/pdf"
		f.Body, err = s.PDF(c)
	case "xlsx":
		f.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		f.Body, err = s.XLSX(c)
	}
	if err != nil {
		return File{}, fmt.Errorf("exploration: report %s of %s: %w", format, e.ID, err)
	}
	f.SHA256 = Hash(f.Body)
	r := Report{ID: uuid.Must(uuid.NewV7()).String(), SHA256: f.SHA256, ExplorationID: e.ID, Format: format, Issued: now, By: a.User.ID, ByLabel: a.User.Email}
	if err := s.store.AddReport(ctx, r, audit(a, "exploration.report", e.ID, m, map[string]any{"format": format, "sha256": f.SHA256})); err != nil {
		return File{}, fmt.Errorf("exploration: record report of %s: %w", e.ID, err)
	}
	return f, nil
}
