package knowledge

import (
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/jobs/sweep"
)

// SweepArgs is the daily job that mails the owners of articles that
// became possibly outdated.
type SweepArgs struct{}

// Kind names the job for River.
func (SweepArgs) Kind() string { return "knowledge.sweep" }

// InsertOpts makes the sweep unique per hour.
func (SweepArgs) InsertOpts() river.InsertOpts { return sweep.UniquePerHour() }

// NewSweepWorker returns the worker that sends the reminders. The sweep
// records every mail with the article, so a retried or doubled job sends
// nothing twice; log may be nil.
func NewSweepWorker(s *Service, log *slog.Logger) *sweep.Worker[SweepArgs] {
	return sweep.New[SweepArgs](s.Sweep, log, "knowledge reminders sent")
}
