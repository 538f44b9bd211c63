package exploration

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
)

// Snapshot is the frozen candidate list: what the catalogue said about
// each candidate's published version when the buyer froze it. Later
// catalogue edits do not change it.
type Snapshot struct {
	Taken      time.Time   `json:"taken"`
	Source     string      `json:"source"`
	Need       string      `json:"need,omitempty"`  // the need's title
	Query      string      `json:"query,omitempty"` // the search
	Candidates []Candidate `json:"candidates"`
}

// Candidate is one solution as published when frozen.
type Candidate struct {
	Solution      string             `json:"solution"` // id
	Slug          string             `json:"slug"`
	Version       int                `json:"version"`
	Name          string             `json:"name"`
	Short         string             `json:"short"`
	Provider      OrgRef             `json:"provider"`
	Delivery      []catalog.Delivery `json:"delivery"`
	Licence       string             `json:"licence"`
	OpenSource    bool               `json:"open_source"`
	Certificates  []string           `json:"certifications"` // kinds of unexpired evidence
	Standards     []string           `json:"standards"`
	Maturity      string             `json:"maturity"`
	Website       string             `json:"website"`
	VerifiedUsers int                `json:"verified_users"`
	MatchScore    *int               `json:"match_score,omitempty"` // from a need: the share of should weights met
	Qualified     *bool              `json:"qualified,omitempty"`   // from a need: no must requirement unmet
}

// candidateOf freezes a published solution.
func candidateOf(s catalog.Solution, users int, now time.Time) Candidate {
	c := Candidate{Solution: s.ID, Slug: s.Slug, Provider: OrgRef{ID: s.OrgID, Slug: s.OrgSlug, Name: s.OrgName}, VerifiedUsers: users,
		Delivery: []catalog.Delivery{}, Certificates: []string{}, Standards: []string{}}
	if v := s.Published; v != nil {
		e := v.Entry
		c.Version, c.Name, c.Short, c.Licence, c.OpenSource, c.Maturity, c.Website = v.Number, e.Name, e.Short, e.Licence, e.OpenSource(), e.Maturity, e.Website
		if e.Delivery != nil {
			c.Delivery = e.Delivery
		}
		if e.Standards != nil {
			c.Standards = e.Standards
		}
		for _, ev := range e.Evidence {
			if !ev.Expired(now) {
				c.Certificates = append(c.Certificates, ev.Kind)
			}
		}
	}
	return c
}

// Encode returns the canonical JSON of the snapshot (encoding/json:
// struct fields in declaration order, no insignificant space, times in
// UTC) and the hex SHA-256 over exactly those bytes.
func (s Snapshot) Encode() ([]byte, string, error) {
	s.Taken = s.Taken.UTC()
	b, err := json.Marshal(s)
	if err != nil {
		return nil, "", fmt.Errorf("exploration: snapshot: %w", err)
	}
	return b, Hash(b), nil
}

// Hash is the hex SHA-256 of b.
func Hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// VerifySnapshot reports whether the stored snapshot still hashes to the
// hash recorded when it was frozen: a changed byte fails.
func (e Exploration) VerifySnapshot() bool {
	return len(e.Snapshot) > 0 && Hash(e.Snapshot) == e.SnapshotHash
}

// Frozen decodes the stored snapshot.
func (e Exploration) Frozen() (Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(e.Snapshot, &s); err != nil {
		return s, fmt.Errorf("exploration %s: snapshot: %w", e.ID, err)
	}
	return s, nil
}

// ProviderIDs returns the distinct provider organisations of the
// candidates, in candidate order.
func (s Snapshot) ProviderIDs() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range s.Candidates {
		if !seen[c.Provider.ID] {
			seen[c.Provider.ID] = true
			out = append(out, c.Provider.ID)
		}
	}
	return out
}

// Providers returns the distinct provider organisations of the
// candidates, in candidate order.
func (s Snapshot) Providers() []OrgRef {
	var out []OrgRef
	seen := map[string]bool{}
	for _, c := range s.Candidates {
		if !seen[c.Provider.ID] {
			seen[c.Provider.ID] = true
			out = append(out, c.Provider)
		}
	}
	return out
}
