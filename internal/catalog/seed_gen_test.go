package catalog

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestSeedDistributions generates entries without a database and checks
// the shares the benchmark relies on.
func TestSeedDistributions(t *testing.T) {
	flat, err := DefaultFields()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	var leaves []string
	for _, f := range flat {
		known[f.Key] = true
		if f.Parent != "" {
			leaves = append(leaves, f.Key)
			if _, ok := seedTerms[f.Key]; !ok {
				t.Errorf("no vocabulary for field %s", f.Key)
			}
		}
	}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	munis := make([]SeedMunicipality, 5000)
	for i := range munis {
		munis[i] = SeedMunicipality{AGS: fmt.Sprintf("%08d", i), Name: fmt.Sprintf("Gemeinde %d", i), Population: int64(500 + i*i%300000)}
	}
	g := newSeedGen(3, leaves, map[string]bool{}, now)
	users := g.pool(munis, poolSize(100000, len(munis)))
	if len(users) != 3000 {
		t.Fatalf("pool of %d municipalities", len(users))
	}
	const n = 20000
	var (
		open, saas, expired, unused, many, maxUses int
		slugs                                      = map[string]bool{}
	)
	for i := range n {
		s := g.solution(i)
		if slugs[s.Slug] {
			t.Fatalf("slug %s twice", s.Slug)
		}
		slugs[s.Slug] = true
		if _, err := uuid.Parse(s.ID); err != nil || s.ID[14] != '7' {
			t.Fatalf("id %q is no UUIDv7", s.ID)
		}
		e := s.Entry
		if i%50 == 0 {
			c := e
			if err := c.Check(known, s.Created); err != nil {
				t.Fatalf("entry %d (%s): %v", i, e.Name, err)
			}
		}
		if strings.Contains(e.Description, "%!") || strings.Contains(e.Short, "%!") {
			t.Fatalf("formatting error in %q", e.Description)
		}
		if e.OpenSource() {
			open++
		}
		if slices.ContainsFunc(e.Delivery, func(d Delivery) bool { return d.Model == SaaS }) {
			saas++
		}
		if slices.ContainsFunc(e.Evidence, func(ev Evidence) bool { return ev.Expired(now) }) {
			expired++
		}
		uses := g.uses(s, users)
		switch k := len(uses); {
		case k == 0:
			unused++
		case k >= 100:
			many++
		}
		maxUses = max(maxUses, len(uses))
		seen := map[string]bool{}
		for _, u := range uses {
			if seen[u.OrgID] || u.Since.After(now) || u.Created.Before(s.Created) || u.Created.After(now) || u.Since.Before(s.Created.AddDate(0, 0, -31)) || !slices.ContainsFunc(e.Delivery, func(d Delivery) bool { return d.Model == u.Delivery }) {
				t.Fatalf("use %+v of %+v", u, s)
			}
			seen[u.OrgID] = true
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	for _, c := range []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"open source", share(open), 0.50, 0.60},
		{"SaaS", share(saas), 0.55, 0.85},
		{"expired evidence", share(expired), 0.05, 0.6},
		{"unused", share(unused), 0.40, 0.50},
		{"used by 100 or more", share(many), 0.001, 0.01},
	} {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s: share %.3f, want %.3f–%.3f", c.name, c.got, c.min, c.max)
		}
	}
	if maxUses < 200 {
		t.Errorf("the most used solution has %d users, want hundreds", maxUses)
	}
}
