package offer

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/jobs/sweep"
	"github.com/smartregions/smartregions/internal/need"
)

// The match sweep's rules: which solutions count as a match, and how far
// back it looks for needs.
const (
	// TopMatches is how many of a need's ranked solutions are considered.
	TopMatches = 20
	// MinScore is the share of the should weights (0–100) a qualified
	// solution (no must requirement unmet) must reach.
	MinScore = 50
	// Lookback bounds the sweep to needs changed recently: after an
	// upgrade, needs opened months ago are no news.
	Lookback = 14 * 24 * time.Hour
	// sweepBatch is how many needs or notices a run handles at most.
	sweepBatch = 200
)

// Notice is a provider to notify about a need.
type Notice struct {
	NeedID, NeedSlug, NeedTitle, OrgID string
}

// SweepStore is what the match sweep asks of the database.
type SweepStore interface {
	// UnsweptNeeds returns open, public or providers-only needs changed
	// since that the sweep has not handled yet.
	UnsweptNeeds(ctx context.Context, since time.Time, limit int) ([]need.Need, error)
	// ClaimMatchRun records the sweep of a need with the matching
	// providers (no notice for providers already responding); false when
	// another sweep recorded it first.
	ClaimMatchRun(ctx context.Context, needID string, orgIDs []string) (bool, error)
	// PendingNotices returns matched providers not notified yet.
	PendingNotices(ctx context.Context, limit int) ([]Notice, error)
	// ClaimNotice marks a notice sent; false when another sweep did.
	ClaimNotice(ctx context.Context, needID, orgID string) (bool, error)
}

// Providers returns the organisations (other than the owner) whose
// published solutions are among the top matches of n.
func Providers(n need.Need, matches []need.Match) []string {
	var out []string
	for i, m := range matches {
		if i == TopMatches {
			break
		}
		if !m.Qualified || m.Score < MinScore || m.Solution.OrgID == n.Org.ID || slices.Contains(out, m.Solution.OrgID) {
			continue
		}
		out = append(out, m.Solution.OrgID)
	}
	return out
}

// SweepMatches finds the needs published since the last run, records the
// providers whose solutions match each, and notifies their members
// (kind need.match; mailed at once or in the daily digest as each user
// chose). Each need is claimed once and each notice is claimed before it
// is sent, so concurrent or repeated sweeps notify nobody twice. It
// returns how many providers it notified.
func (s *Service) SweepMatches(ctx context.Context) (int, error) {
	needs, err := s.store.UnsweptNeeds(ctx, s.Now().Add(-Lookback), sweepBatch)
	if err != nil {
		return 0, fmt.Errorf("offer: sweep: %w", err)
	}
	for _, n := range needs {
		matches, err := s.needs.Matches(ctx, n, TopMatches)
		if err != nil {
			return 0, fmt.Errorf("offer: sweep: matches of %s: %w", n.Slug, err)
		}
		if _, err := s.store.ClaimMatchRun(ctx, n.ID, Providers(n, matches)); err != nil {
			return 0, fmt.Errorf("offer: sweep: %s: %w", n.Slug, err)
		}
	}
	notices, err := s.store.PendingNotices(ctx, sweepBatch)
	if err != nil {
		return 0, fmt.Errorf("offer: sweep: %w", err)
	}
	sent := 0
	for _, no := range notices {
		ok, err := s.store.ClaimNotice(ctx, no.NeedID, no.OrgID)
		if err != nil {
			return sent, fmt.Errorf("offer: sweep: notice %s/%s: %w", no.NeedSlug, no.OrgID, err)
		}
		if ok {
			s.notifyOrg(ctx, no.OrgID, KindMatch, "new", no.NeedTitle, "/bedarfe/"+no.NeedSlug)
			sent++
		}
	}
	return sent, nil
}

// SweepArgs is the periodic job of the match sweep.
type SweepArgs struct{}

// Kind names the job for River.
func (SweepArgs) Kind() string { return "offer.match_sweep" }

// InsertOpts makes the sweep unique per hour.
func (SweepArgs) InsertOpts() river.InsertOpts { return sweep.UniquePerHour() }

// NewSweepWorker returns the worker of the match sweep; schedule it
// hourly. The sweep is idempotent.
func NewSweepWorker(s *Service, log *slog.Logger) *sweep.Worker[SweepArgs] {
	return sweep.New[SweepArgs](s.SweepMatches, log, "providers notified of matching needs")
}
