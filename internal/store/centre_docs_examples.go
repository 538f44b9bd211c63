package store

// This file: the hook of practice examples (package practice) into the
// competence centre's search. The practice store puts an example into the
// index when it publishes it and takes it out when it is withdrawn;
// IndexCentre uses indexExample below to add published examples that are
// not yet indexed (examples published before the index existed).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/smartregions/smartregions/internal/centre"
	"github.com/smartregions/smartregions/internal/practice"
)

// centreExamplesQuery selects the ids of the public practice examples.
const centreExamplesQuery = `SELECT id FROM practice_examples WHERE published IS NOT NULL AND state <> 'archived'`

// maxCentreSummary is the length in characters of a summary made from a
// longer text.
const maxCentreSummary = 300

// ExampleCentreDoc returns the document of the centre's search for the
// published content of a practice example: the goal is its summary, the
// rest of the public text (never the contact person) its body.
func ExampleCentreDoc(id, slug string, c practice.Content) CentreDoc {
	c = c.Public()
	body := []string{c.Goal, c.Funding, c.Programme, c.Team, c.ResultsText, c.Lessons, c.Differently}
	for _, in := range c.Results {
		body = append(body, in.Name, in.Unit, in.Note)
	}
	return CentreDoc{Kind: centre.KindExample, ID: id, Slug: slug, Title: c.Title, Summary: shortText(c.Goal, maxCentreSummary),
		Body: strings.Join(body, "\n"), Link: "/praxisbeispiele/" + slug, Fields: c.Fields}
}

// shortText returns the first paragraph of a text, cut at n characters.
func shortText(s string, n int) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}

// indexExample puts the published version of a practice example into the
// centre's index, or takes it out when nothing of it is public.
func (tx *Tx) indexExample(ctx context.Context, id string) error {
	var (
		slug, content string
		at            sql.NullTime
	)
	err := tx.queryRow(ctx, `SELECT slug, published, published_at FROM practice_examples
		WHERE id = ? AND published IS NOT NULL AND state <> 'archived'`, id).Scan(&slug, &content, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return tx.deleteCentreDoc(ctx, centre.KindExample, id)
	}
	if err != nil {
		return fmt.Errorf("store: index example %s: %w", id, mapError(err))
	}
	var c practice.Content
	if err := json.Unmarshal([]byte(content), &c); err != nil {
		return fmt.Errorf("store: index example %s: %w", id, err)
	}
	d := ExampleCentreDoc(id, slug, c)
	if at.Valid {
		d.Date = at.Time
	}
	return tx.putCentreDoc(ctx, d)
}
