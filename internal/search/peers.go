package search

// This file: "Kommunen wie Ihre nutzen …" — what municipalities of the
// same size band use, in the same state first, from verified current use
// only (the rule of store/usage.go).
//
// Counting the use of a whole band means reading the use of every
// municipality in it; in SQL, with 100,000 solutions and hundreds of
// thousands of declarations, that took seconds. The server therefore
// counts the groups in the search's memory (memory_peers.go,
// WithMemoryPeers), where the verified use by size band and state is kept
// current through the change log: the most used solutions of the group,
// counted over all its municipalities. The municipality asking is then
// taken out by subtracting its own uses, which are read fresh on every
// request.

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

// MaxPeers is the most solutions listed per group; MinStatePeers is how
// many the same state should give before the band is also looked at
// nationwide.
const (
	MaxPeers      = 20
	MinStatePeers = 3
	// MaxOwnUses bounds the list of a municipality's own uses.
	MaxOwnUses = 50
)

// peerDepth is how many of the most used solutions of a group are
// read: enough for MaxPeers after the municipality's own and the
// state's are taken out.
const peerDepth = 100

// Municipalities looks municipalities up in the register (region.Service).
type Municipalities interface {
	// Municipality returns a municipality; apperr.NotFound for an
	// unknown or malformed AGS.
	Municipality(ctx context.Context, ags string) (region.Municipality, error)
}

// PeerQuery asks for the solutions that the municipalities of a
// population band (in a state) use.
type PeerQuery struct {
	StateKey string // "" for all states
	Band     region.Band
	Limit    int
}

// PeerCount is a published solution with the number of municipalities
// of a group that use it.
type PeerCount struct {
	SolutionID     string
	NameKey        string // folded name, for the order of ties
	Municipalities int
}

// PeerUse is a solution with the number of other municipalities (of the
// group asked for) that use it; Own says that the municipality asking
// uses it too.
type PeerUse struct {
	Solution       catalog.Solution
	Municipalities int
	Own            bool
}

// Peers is what municipalities like one municipality use.
type Peers struct {
	Municipality region.Municipality
	Band         region.Band
	// Uses are the published solutions the municipality itself uses
	// (verified, current), by name, the first MaxOwnUses of UsesTotal.
	Uses      []catalog.Solution
	UsesTotal int
	// State: used by other municipalities of the band in the same state,
	// most used first.
	State []PeerUse
	// Nationwide: used by other municipalities of the band in any state,
	// only when the state gives fewer than MinStatePeers (nil otherwise);
	// without those of State.
	Nationwide []PeerUse
}

// PeerStore is what PeersUse needs from the database (store.DB).
type PeerStore interface {
	// MunicipalityUseIDs returns the ids of the published, not archived
	// solutions that the municipality's organisation uses (verified,
	// current), by name; none when it has no organisation.
	MunicipalityUseIDs(ctx context.Context, ags string) ([]string, error)
	// PeerCounts returns the published, not archived solutions used
	// (verified, current) by the municipalities of q's band (and state),
	// most municipalities first, then by name.
	PeerCounts(ctx context.Context, q PeerQuery) ([]PeerCount, error)
}

// peerCounts returns the counts of q's group (q.Limit is ignored). The
// server's store answers them from the search's memory
// (WithMemoryPeers), so they are current and cheap and kept nowhere.
func (s *Similarity) peerCounts(ctx context.Context, q PeerQuery) ([]PeerCount, error) {
	q.Limit = peerDepth
	return s.store.PeerCounts(ctx, q)
}

// othersUse takes the municipality's own uses out of a group's counts,
// leaves out the solutions of skip and returns the first limit, most
// used first (ties by name).
func othersUse(counts []PeerCount, own, skip map[string]bool, limit int) []PeerCount {
	out := make([]PeerCount, 0, len(counts))
	for _, c := range counts {
		if skip[c.SolutionID] {
			continue
		}
		if own[c.SolutionID] {
			c.Municipalities--
		}
		if c.Municipalities > 0 {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b PeerCount) int {
		return cmp.Or(cmp.Compare(b.Municipalities, a.Municipalities), cmp.Compare(a.NameKey, b.NameKey), cmp.Compare(a.SolutionID, b.SolutionID))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// PeersUse returns what other municipalities of the same size band use:
// in the same state, and when that gives fewer than MinStatePeers,
// nationwide too; limit bounds each list (1…MaxPeers, 0 means 10). An
// unknown AGS is apperr.NotFound.
func (s *Similarity) PeersUse(ctx context.Context, ags string, limit int) (Peers, error) {
	if limit <= 0 || limit > MaxPeers {
		limit = 10
	}
	m, err := s.munis.Municipality(ctx, ags)
	if err != nil {
		return Peers{}, err
	}
	p := Peers{Municipality: m, Band: m.Band()}
	ownIDs, err := s.store.MunicipalityUseIDs(ctx, m.AGS)
	if err != nil {
		return p, fmt.Errorf("search: uses of %s: %w", ags, err)
	}
	own := map[string]bool{}
	for _, id := range ownIDs {
		own[id] = true
	}
	p.UsesTotal = len(ownIDs)
	if p.Uses, err = s.store.SimilarSolutions(ctx, ownIDs[:min(len(ownIDs), MaxOwnUses)]); err != nil {
		return p, fmt.Errorf("search: uses of %s: %w", ags, err)
	}
	counts, err := s.peerCounts(ctx, PeerQuery{StateKey: m.StateKey, Band: p.Band})
	if err != nil {
		return p, fmt.Errorf("search: peers of %s: %w", ags, err)
	}
	if p.State, err = s.peerUses(ctx, othersUse(counts, own, nil, limit), own); err != nil {
		return p, fmt.Errorf("search: peers of %s: %w", ags, err)
	}
	if len(p.State) < MinStatePeers {
		skip := map[string]bool{}
		for _, u := range p.State {
			skip[u.Solution.ID] = true
		}
		counts, err := s.peerCounts(ctx, PeerQuery{Band: p.Band})
		if err != nil {
			return p, fmt.Errorf("search: peers of %s nationwide: %w", ags, err)
		}
		if p.Nationwide, err = s.peerUses(ctx, othersUse(counts, own, skip, limit), own); err != nil {
			return p, fmt.Errorf("search: peers of %s nationwide: %w", ags, err)
		}
	}
	return p, nil
}

// peerUses loads the solutions of counts; one archived since the counts
// were taken is left out.
func (s *Similarity) peerUses(ctx context.Context, counts []PeerCount, own map[string]bool) ([]PeerUse, error) {
	ids := make([]string, len(counts))
	for i, c := range counts {
		ids[i] = c.SolutionID
	}
	sols, err := s.store.SimilarSolutions(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]catalog.Solution{}
	for _, sol := range sols {
		byID[sol.ID] = sol
	}
	out := make([]PeerUse, 0, len(counts))
	for _, c := range counts {
		if sol, ok := byID[c.SolutionID]; ok {
			out = append(out, PeerUse{Solution: sol, Municipalities: c.Municipalities, Own: own[c.SolutionID]})
		}
	}
	return out, nil
}
