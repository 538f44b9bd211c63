package http

// This file: the optional hook of "check before you fund" for practice
// examples: the published examples of package practice take part in the
// matching as "Praxisbeispiel".

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/fundcheck"
	"github.com/smartregions/smartregions/internal/practice"
)

// fundCheckPractices lists published practice examples for fundcheck.
type fundCheckPractices struct{ svc *practice.Service }

// PublishedPractices returns the newest published examples as a visitor
// sees them (at most practice.MaxLimit).
func (p fundCheckPractices) PublishedPractices(ctx context.Context) ([]fundcheck.Practice, error) {
	page, err := p.svc.List(ctx, practice.Actor{}, practice.Query{State: practice.Published, Limit: practice.MaxLimit})
	if err != nil {
		return nil, fmt.Errorf("fund check: practice examples: %w", err)
	}
	var out []fundcheck.Practice
	for _, e := range page.Items {
		if e.Published == nil {
			continue
		}
		c := *e.Published
		out = append(out, fundcheck.Practice{Slug: e.Slug, Title: c.Title, Summary: c.Goal, Org: e.Org.Name, Fields: c.Fields})
	}
	return out, nil
}
