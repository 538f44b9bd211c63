package exploration

// This file: the providers' answers, the scoring, the closing and the
// ranking.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// Answers returns what a may see of the answers: all of them for the
// buyer, the own organisation's for a provider asked.
func (s *Service) Answers(ctx context.Context, a Actor, e Exploration) ([]Answer, error) {
	all, err := s.store.Answers(ctx, e.ID)
	if err != nil {
		return nil, fmt.Errorf("exploration: answers %s: %w", e.ID, err)
	}
	if Can(a, ActView, e) {
		return all, nil
	}
	own := Respondent(a, e)
	return slices.DeleteFunc(all, func(an Answer) bool { return an.Org.ID != own }), nil
}

// Open reports whether answers are still taken at now.
func (e Exploration) Open(now time.Time) bool {
	return e.State == Sent && e.Deadline != nil && now.Before(*e.Deadline)
}

// Answer saves the answer of a's organisation asked in e, until the
// deadline; later answers are refused (apperr.Conflict
// "exploration.error.deadline_passed"). Values are one per question;
// yes/no answers are "yes", "no" or "", numbers decimal or "". Field
// names: answer_<i>.
func (s *Service) Answer(ctx context.Context, a Actor, id string, values []string, m account.Meta) (Answer, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return Answer{}, err
	}
	orgID := Respondent(a, e)
	if orgID == "" {
		if Can(a, ActView, e) {
			return Answer{}, errForbidden
		}
		return Answer{}, errNotFound()
	}
	now := s.Now().UTC()
	if !e.Open(now) {
		if e.State == Closed {
			return Answer{}, errClosed()
		}
		return Answer{}, apperr.New(apperr.Conflict, "exploration.error.deadline_passed")
	}
	vals, err := validateAnswers(e.Questions, values)
	if err != nil {
		return Answer{}, err
	}
	an := Answer{ExplorationID: e.ID, Org: OrgRef{ID: orgID}, Values: vals, By: a.User.ID, Submitted: now, Updated: now}
	out, err := s.store.SaveAnswer(ctx, an, audit(a, "exploration.answered", e.ID, m, map[string]any{"org": orgID}))
	if err != nil {
		return out, fmt.Errorf("exploration: answer %s: %w", e.ID, err)
	}
	return out, nil
}

func validateAnswers(qs []Question, values []string) ([]string, error) {
	var v apperr.Validation
	out := make([]string, len(qs))
	if len(values) > len(qs) {
		v.Add("answers", "exploration.error.answers_count", "Num", len(qs))
	}
	filled := 0
	for i, q := range qs {
		if i >= len(values) {
			break
		}
		val := strings.TrimSpace(strings.ReplaceAll(values[i], "\r\n", "\n"))
		field := fmt.Sprintf("answer_%d", i)
		switch {
		case utf8.RuneCountInString(val) > MaxAnswer:
			v.Add(field, "form.error.too_long", "Max", MaxAnswer)
		case val == "":
		case q.Type == TypeYesNo && val != "yes" && val != "no":
			v.Add(field, "exploration.error.yesno")
		case q.Type == TypeNumber && !isNumber(val):
			v.Add(field, "exploration.error.number")
		}
		if val != "" {
			filled++
		}
		out[i] = val
	}
	if filled == 0 && len(values) <= len(qs) {
		v.Add("answer_0", "exploration.error.answers_empty")
	}
	return out, v.Err()
}

// isNumber accepts decimals with a point or a German comma.
func isNumber(s string) bool {
	s = strings.Replace(s, ",", ".", 1)
	dot := false
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' && !dot:
			dot = true
		case r == '-' && i == 0:
		default:
			return false
		}
	}
	return digits > 0
}

// Scorable reports whether scoring may begin at now: the questionnaire
// was sent and its deadline passed, or every provider asked answered.
func (e Exploration) Scorable(now time.Time, answers int) bool {
	return e.State == Sent && (e.Deadline != nil && !now.Before(*e.Deadline) || answers >= len(e.Providers))
}

// SetScores saves the scores of the candidates (one Score per candidate
// solution; candidates left out keep no score). Each value runs 0–10 per
// criterion; an exclusion needs a reason; a 0 on an exclusion criterion
// needs the candidate excluded. Field names: score_<solution id>.
func (s *Service) SetScores(ctx context.Context, a Actor, id string, lock int, scores []Score, m account.Meta) (Exploration, error) {
	e, err := s.editable(ctx, a, id)
	if err != nil {
		return e, err
	}
	answers, err := s.store.Answers(ctx, e.ID)
	if err != nil {
		return e, fmt.Errorf("exploration: answers %s: %w", e.ID, err)
	}
	if !e.Scorable(s.Now(), len(answers)) {
		return e, apperr.New(apperr.Conflict, "exploration.error.scoring_early")
	}
	snap, err := e.Frozen()
	if err != nil {
		return e, err
	}
	if e.Scores, err = validateScores(e.Criteria, snap, scores); err != nil {
		return e, err
	}
	excluded := 0
	for _, sc := range e.Scores {
		if sc.Excluded {
			excluded++
		}
	}
	return s.save(ctx, a, e, lock, "exploration.scored", m, map[string]any{"scored": len(e.Scores), "excluded": excluded})
}

func validateScores(cs []Criterion, snap Snapshot, scores []Score) ([]Score, error) {
	var v apperr.Validation
	out := []Score{}
	seen := map[string]bool{}
	for _, sc := range scores {
		field := "score_" + sc.Solution
		if !slices.ContainsFunc(snap.Candidates, func(c Candidate) bool { return c.Solution == sc.Solution }) || seen[sc.Solution] {
			v.Add("scores", "exploration.error.candidate")
			continue
		}
		seen[sc.Solution] = true
		sc.Comment, sc.Reason = strings.TrimSpace(sc.Comment), strings.TrimSpace(sc.Reason)
		if utf8.RuneCountInString(sc.Comment) > MaxComment {
			v.Add(field, "form.error.too_long", "Max", MaxComment)
		}
		if utf8.RuneCountInString(sc.Reason) > MaxReason {
			v.Add(field, "form.error.too_long", "Max", MaxReason)
		}
		if sc.Excluded && sc.Reason == "" {
			v.Add(field, "exploration.error.reason_required")
		}
		if !sc.Excluded {
			sc.Reason = ""
		}
		switch {
		case len(sc.Values) == 0 && sc.Excluded:
			sc.Values = []int{}
		case len(sc.Values) != len(cs):
			v.Add(field, "exploration.error.score_count", "Num", len(cs))
		default:
			for i, val := range sc.Values {
				if val < 0 || val > MaxScore {
					v.Add(field, "exploration.error.score_range", "Max", MaxScore)
					break
				}
				if cs[i].Exclusion && val == 0 && !sc.Excluded {
					v.Add(field, "exploration.error.exclusion_failed", "Name", cs[i].Name)
				}
			}
		}
		out = append(out, sc)
	}
	return out, v.Err()
}

// Closing is the outcome the buyer records.
type Closing struct {
	Outcome   string // one of Outcomes
	AwardedTo string // solution id of the candidate, for Awarded
	Reason    string
}

// Close records the outcome and makes the exploration read-only. An
// award goes to a scored candidate that is not excluded. Field names:
// outcome, awarded_to, reason.
func (s *Service) Close(ctx context.Context, a Actor, id string, lock int, c Closing, m account.Meta) (Exploration, error) {
	e, err := s.editable(ctx, a, id)
	if err != nil {
		return e, err
	}
	var v apperr.Validation
	c.Reason = strings.TrimSpace(strings.ReplaceAll(c.Reason, "\r\n", "\n"))
	v.Text("reason", c.Reason, MaxReason, true)
	switch c.Outcome {
	case Awarded:
		i := slices.IndexFunc(e.Scores, func(sc Score) bool { return sc.Solution == c.AwardedTo })
		switch {
		case c.AwardedTo == "":
			v.Add("awarded_to", "form.error.required")
		case i < 0:
			v.Add("awarded_to", "exploration.error.award_unscored")
		case e.Scores[i].Excluded:
			v.Add("awarded_to", "exploration.error.award_excluded")
		}
	case Cancelled, NoOffer:
		c.AwardedTo = ""
	default:
		v.Add("outcome", "exploration.error.outcome")
	}
	if err := v.Err(); err != nil {
		return e, err
	}
	now := s.Now().UTC()
	from := e.State
	e.State, e.Outcome, e.AwardedTo, e.Reason, e.ClosedAt, e.ClosedBy = Closed, c.Outcome, c.AwardedTo, c.Reason, &now, a.User.Email
	return s.save(ctx, a, e, lock, "exploration.closed", m, map[string]any{"from": string(from), "outcome": c.Outcome, "awarded_to": c.AwardedTo})
}

// Ranked is a candidate with its score, total and rank (0 when not
// ranked: unscored or excluded).
type Ranked struct {
	Candidate Candidate
	Score     *Score
	Total     float64
	Rank      int
}

// Ranking returns the candidates in snapshot order with their scores and
// ranks: the scored, not excluded ones by total, highest first.
func (e Exploration) Ranking(snap Snapshot) []Ranked {
	out := make([]Ranked, len(snap.Candidates))
	var ranked []int
	for i, c := range snap.Candidates {
		out[i].Candidate = c
		for j := range e.Scores {
			if e.Scores[j].Solution == c.Solution {
				sc := e.Scores[j]
				out[i].Score = &sc
				if !sc.Excluded {
					out[i].Total = Total(e.Criteria, sc)
					ranked = append(ranked, i)
				}
			}
		}
	}
	slices.SortStableFunc(ranked, func(a, b int) int {
		switch {
		case out[a].Total > out[b].Total:
			return -1
		case out[a].Total < out[b].Total:
			return 1
		}
		return 0
	})
	for r, i := range ranked {
		out[i].Rank = r + 1
		if r > 0 && out[ranked[r-1]].Total == out[i].Total {
			out[i].Rank = out[ranked[r-1]].Rank
		}
	}
	return out
}
