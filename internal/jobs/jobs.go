// Package jobs runs the platform's background jobs with River, in the
// platform's own database: SQLite or PostgreSQL. Jobs live in River's
// tables next to the data, so a job can be inserted in the transaction
// that stores what it works on, and any number of instances on one
// PostgreSQL share the work as if they were one.
//
// Wiring, in order: register the workers, build the Runner (which migrates
// River's tables), hand Client() to the services that enqueue jobs, Run:
//
//	workers := river.NewWorkers()
//	river.AddWorker(workers, mailWorker)
//	runner, err := jobs.New(ctx, db, workers, jobs.Config{Logger: log})
//	mails, err := mail.NewService(db, smtp, runner.Client())
//	go runner.Run(ctx) // stops gracefully when ctx is cancelled
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/store"
)

// Config tunes the runner; the zero value suits production.
type Config struct {
	// MaxWorkers is the number of jobs one instance works at once; zero
	// means 10.
	MaxWorkers int
	// PollInterval is how often an instance looks for new or due jobs; zero
	// means one second. Jobs are fetched by polling on both databases.
	PollInterval time.Duration
	// RetryPolicy decides when a failed job runs again; nil means River's
	// default backoff (attempt⁴ seconds plus jitter: 1 s, 16 s, 81 s, …,
	// up to 25 attempts over about three weeks).
	RetryPolicy river.ClientRetryPolicy
	// StopTimeout is how long running jobs may take to finish after the
	// context of Run or Start is cancelled before their contexts are
	// cancelled too; zero means 20 seconds.
	StopTimeout time.Duration
	// Logger receives River's logs; nil means slog.Default().
	Logger *slog.Logger
	// Periodic are the jobs inserted on a schedule (sweeps and warnings).
	// Among several instances only River's elected leader inserts them, so
	// each runs once per interval for the whole platform.
	Periodic []*river.PeriodicJob
}

// Runner owns the River client of one instance.
type Runner struct {
	client      *river.Client[*sql.Tx]
	stopTimeout time.Duration
	logger      *slog.Logger
}

// New migrates River's tables in db and returns a runner that works the
// jobs registered in workers. workers may be empty but not nil.
func New(ctx context.Context, db *store.DB, workers *river.Workers, cfg Config) (*Runner, error) {
	if workers == nil {
		return nil, errors.New("jobs: no workers")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if err := Migrate(ctx, db, logger); err != nil {
		return nil, err
	}
	drv, err := driver(db)
	if err != nil {
		return nil, err
	}
	poll := cfg.PollInterval
	if poll <= 0 {
		poll = time.Second
	}
	client, err := river.NewClient(drv, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmp.Or(cfg.MaxWorkers, 10)}},
		Workers:           workers,
		FetchPollInterval: poll,
		FetchCooldown:     min(poll, river.FetchCooldownDefault),
		// SQLite has no LISTEN/NOTIFY: riversqlite would emulate it by
		// reading a notification table every 50 ms through the single
		// writer connection. Polling for jobs costs less. (riverdatabasesql
		// without a pgx listener pool polls on PostgreSQL anyway.)
		PollOnly:     true,
		RetryPolicy:  cfg.RetryPolicy,
		Logger:       logger,
		PeriodicJobs: cfg.Periodic,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: client: %w", err)
	}
	return &Runner{client: client, stopTimeout: cmp.Or(cfg.StopTimeout, 20*time.Second), logger: logger}, nil
}

// Client returns the River client, to insert jobs: InsertTx with a store
// transaction, or Insert on its own.
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// Start starts working jobs in the background and returns. When ctx is
// cancelled the runner stops as Stop does; Stopped tells when it is done.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.start(ctx); err != nil {
		return err
	}
	go func() {
		select {
		case <-ctx.Done():
			if err := r.Stop(context.Background()); err != nil {
				r.logger.Error("jobs: stop", "err", err)
			}
		case <-r.client.Stopped():
		}
	}()
	return nil
}

// start starts River. River hard-stops (cancels running jobs) when its
// start context ends; the context is detached so that the runner can stop
// gracefully instead.
func (r *Runner) start(ctx context.Context) error {
	if err := r.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits up to the configured StopTimeout for
// running jobs, then cancels their contexts and waits for them to return
// (or for ctx to end); River makes jobs cancelled this way available again
// without counting a failure. Stop the runner before closing the database.
func (r *Runner) Stop(ctx context.Context) error {
	soft, cancel := context.WithTimeout(ctx, r.stopTimeout)
	defer cancel()
	err := r.client.Stop(soft)
	if err == nil {
		return nil
	}
	if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		r.logger.Warn("jobs: running jobs did not finish in time; cancelling them", "timeout", r.stopTimeout)
		err = r.client.StopAndCancel(ctx)
	}
	if err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// Stopped returns a channel that is closed when the runner has stopped;
// only valid after Start.
func (r *Runner) Stopped() <-chan struct{} { return r.client.Stopped() }

// Run works jobs until ctx is cancelled and then stops as Stop does; it
// returns when the runner has stopped, so the database may be closed then.
func (r *Runner) Run(ctx context.Context) error {
	if err := r.start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	return r.Stop(context.Background())
}
