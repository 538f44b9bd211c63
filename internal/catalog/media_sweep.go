package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// SweepMediaArgs is the periodic job that deletes uploads no version
// refers to (an API client that uploaded and never saved, a save that
// failed after the upload).
type SweepMediaArgs struct{}

// Kind names the job for River.
func (SweepMediaArgs) Kind() string { return "catalog.sweep_media" }

// InsertOpts keeps one sweep per hour however many instances schedule it.
func (SweepMediaArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// MediaSweeper deletes media that have stayed unreferenced for
// OrphanAge. Register it with river.AddWorker and schedule SweepMediaArgs
// as a periodic job. It is idempotent: a second run finds nothing left.
type MediaSweeper struct {
	river.WorkerDefaults[SweepMediaArgs]
	store MediaStore
	log   *slog.Logger
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewMediaSweeper returns the sweep worker over the store of media.
func NewMediaSweeper(store MediaStore, log *slog.Logger) *MediaSweeper {
	if log == nil {
		log = slog.Default()
	}
	return &MediaSweeper{store: store, log: log, Now: time.Now}
}

// Timeout bounds one sweep; a large backlog is finished by the next.
func (w *MediaSweeper) Timeout(*river.Job[SweepMediaArgs]) time.Duration { return 5 * time.Minute }

// Work deletes the orphaned media; a failure is retried by River.
func (w *MediaSweeper) Work(ctx context.Context, _ *river.Job[SweepMediaArgs]) error {
	n, err := w.store.DeleteOrphanMedia(ctx, w.Now().UTC().Add(-OrphanAge))
	if err != nil {
		return fmt.Errorf("catalog: sweep media: %w", err)
	}
	if n > 0 {
		w.log.Info("deleted unreferenced uploads", "count", n)
	}
	return nil
}
