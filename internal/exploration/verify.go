package exploration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// Verification is the result of checking a report file.
type Verification struct {
	SHA256 string
	// Reports are the issues of exactly this file on record (none: the
	// file is not a report issued here, or it was changed).
	Reports     []Report
	Exploration *Exploration // the exploration of the report on record
	// For JSON reports: whether the embedded content still hashes to its
	// content_sha256, and the embedded snapshot to its hash.
	JSON       bool
	ContentOK  bool
	SnapshotOK bool // the stored snapshot (and the embedded one) match the recorded hash
	// Problems are message keys of what failed.
	Problems []string
}

// Issuer names who issued rec for a: the person to members of the buyer
// organisation, the organisation to everyone else (anyone who holds a
// file may check it, an auditor without an account too).
func (v Verification) Issuer(a Actor, rec Report) string {
	if v.Exploration == nil {
		return ""
	}
	if a.Member(v.Exploration.Org.ID) {
		return rec.ByLabel
	}
	return v.Exploration.Org.Name
}

// Genuine reports whether the file is an unchanged report issued here.
func (v Verification) Genuine() bool {
	return len(v.Reports) > 0 && len(v.Problems) == 0
}

// jsonReport is the envelope of a JSON report.
type jsonReport struct {
	Format        string          `json:"format"`
	ContentSHA256 string          `json:"content_sha256"`
	Content       json.RawMessage `json:"content"`
}

// Verify checks a report file: its exact SHA-256 must be on record; for
// a JSON report the embedded content hash and the snapshot hash are
// checked again, the latter also against the stored snapshot, which must
// still hash to the hash recorded when it was frozen.
func (s *Service) Verify(ctx context.Context, body []byte) (Verification, error) {
	v := Verification{SHA256: Hash(body), SnapshotOK: true}
	var err error
	if v.Reports, err = s.store.ReportsByHash(ctx, v.SHA256); err != nil {
		return v, fmt.Errorf("exploration: verify: %w", err)
	}
	if len(v.Reports) == 0 {
		v.Problems = append(v.Problems, "exploration.verify.unknown")
	}
	explorationID := ""
	if len(v.Reports) > 0 {
		explorationID = v.Reports[0].ExplorationID
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var r jsonReport
		if json.Unmarshal(trimmed, &r) == nil && r.Format == ReportFormat {
			v.JSON = true
			v.ContentOK, v.SnapshotOK = s.checkJSON(ctx, r, &explorationID)
			if !v.ContentOK {
				v.Problems = append(v.Problems, "exploration.verify.content")
			}
		}
	}
	if explorationID != "" {
		e, err := s.store.Exploration(ctx, explorationID)
		if err == nil {
			v.Exploration = &e
			if !e.VerifySnapshot() {
				v.SnapshotOK = false
			}
		}
	}
	if !v.SnapshotOK {
		v.Problems = append(v.Problems, "exploration.verify.snapshot")
	}
	return v, nil
}

// checkJSON re-checks the content hash over the compact content and the
// snapshot embedded against its hash and the stored exploration's.
func (s *Service) checkJSON(ctx context.Context, r jsonReport, explorationID *string) (contentOK, snapshotOK bool) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, r.Content); err != nil {
		return false, false
	}
	contentOK = Hash(compact.Bytes()) == r.ContentSHA256
	var c Content
	if err := json.Unmarshal(r.Content, &c); err != nil {
		return false, false
	}
	var snap bytes.Buffer
	if err := json.Compact(&snap, c.Snapshot); err != nil {
		return contentOK, false
	}
	snapshotOK = Hash(snap.Bytes()) == c.SnapshotSHA256
	if *explorationID == "" {
		*explorationID = c.Exploration
	}
	if e, err := s.store.Exploration(ctx, c.Exploration); err == nil {
		snapshotOK = snapshotOK && e.SnapshotHash == c.SnapshotSHA256
	} else {
		snapshotOK = false
	}
	return contentOK, snapshotOK
}
