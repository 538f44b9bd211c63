package search

import (
	"cmp"
	"context"
	"slices"

	"github.com/smartregions/smartregions/internal/region"
)

// PeerCounts counts from the in-memory index (memory.go) which published
// solutions the municipalities of q's band (and state) use, most
// municipalities first, then by name — the same as the database's
// PeerStore.PeerCounts, without reading hundreds of thousands of
// declarations.
func (s *Service) PeerCounts(ctx context.Context, q PeerQuery) ([]PeerCount, error) {
	if err := s.mem.sync(ctx); err != nil {
		return nil, err
	}
	ix := s.mem.read()
	defer s.mem.release()
	out := []PeerCount{}
	band := string(q.Band)
	ix.live.each(func(o int32) {
		d := &ix.docs[o]
		n := 0
		for _, g := range d.groups {
			if g.Band == band && (q.StateKey == "" || g.State == q.StateKey) {
				n += g.N
			}
		}
		if n > 0 {
			out = append(out, PeerCount{SolutionID: d.id, NameKey: d.nameKey, Municipalities: n})
		}
	})
	slices.SortFunc(out, func(a, b PeerCount) int {
		return cmp.Or(cmp.Compare(b.Municipalities, a.Municipalities), cmp.Compare(a.NameKey, b.NameKey), cmp.Compare(a.SolutionID, b.SolutionID))
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// memoryPeers is a SimilarityStore that counts peer groups in memory.
type memoryPeers struct {
	SimilarityStore
	search *Service
}

func (m memoryPeers) PeerCounts(ctx context.Context, q PeerQuery) ([]PeerCount, error) {
	return m.search.PeerCounts(ctx, q)
}

// WithMemoryPeers returns store with the counts of peer groups taken
// from the in-memory index of svc.
func WithMemoryPeers(store SimilarityStore, svc *Service) SimilarityStore {
	return memoryPeers{SimilarityStore: store, search: svc}
}

// UsesByBand returns, for the published solutions among ids, how many
// municipalities of each size band use them (verified, current), from
// the in-memory index: a lookup per solution, no pass over the catalogue.
func (s *Service) UsesByBand(ctx context.Context, ids []string) (map[string]map[region.Band]int, error) {
	if err := s.mem.sync(ctx); err != nil {
		return nil, err
	}
	ix := s.mem.read()
	defer s.mem.release()
	out := make(map[string]map[region.Band]int, len(ids))
	for _, id := range ids {
		ord, ok := ix.byID[id]
		if !ok {
			continue
		}
		for _, g := range ix.docs[ord].groups {
			if out[id] == nil {
				out[id] = map[region.Band]int{}
			}
			out[id][region.Band(g.Band)] += g.N
		}
	}
	return out, nil
}
