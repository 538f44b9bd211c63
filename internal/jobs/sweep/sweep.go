// Package sweep holds what the periodic sweeps of the domain packages
// share: a River worker that runs a sweep and logs how much it did, and
// the insert options that make a sweep unique per hour. It imports
// nothing of the platform, so domain packages may use it.
package sweep

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// UniquePerHour makes a sweep unique per hour: instances that schedule it
// at the same time insert one job.
func UniquePerHour() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}
}

// Worker runs a sweep for the job T. Sweeps must be idempotent, so that a
// retried or doubled job does nothing twice.
type Worker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	run  func(ctx context.Context) (int, error)
	log  *slog.Logger
	done string
}

// New returns a worker that runs sweep and, when it did anything, logs
// done (a message such as "reminders sent") with the count; log may be
// nil.
func New[T river.JobArgs](sweep func(ctx context.Context) (int, error), log *slog.Logger, done string) *Worker[T] {
	return &Worker[T]{run: sweep, log: log, done: done}
}

// Work runs the sweep.
func (w *Worker[T]) Work(ctx context.Context, _ *river.Job[T]) error {
	n, err := w.run(ctx)
	if w.log != nil && n > 0 {
		w.log.Info(w.done, "count", n)
	}
	return err
}
