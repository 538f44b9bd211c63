package notify

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/jobs/sweep"
)

// DigestArgs is the daily job that mails the digests.
type DigestArgs struct{}

// Kind names the job for River.
func (DigestArgs) Kind() string { return "notify.digest" }

// InsertOpts makes the sweep unique per hour.
func (DigestArgs) InsertOpts() river.InsertOpts { return sweep.UniquePerHour() }

// NewDigestWorker returns the worker that mails the digests; it is
// idempotent, so a retried or doubled job mails nothing twice.
func NewDigestWorker(s *Service, log *slog.Logger) *sweep.Worker[DigestArgs] {
	return sweep.New[DigestArgs](func(ctx context.Context) (int, error) { return s.SendDigests(ctx) }, log, "notification digests sent")
}
