package jobs_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/smartregions/smartregions/internal/jobs"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// quickRetry retries a failed job at once, so tests need not wait for
// River's backoff.
type quickRetry struct{}

func (quickRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(5 * time.Millisecond) }

func testConfig() jobs.Config {
	return jobs.Config{
		PollInterval: 20 * time.Millisecond,
		RetryPolicy:  quickRetry{},
		StopTimeout:  5 * time.Second,
		Logger:       slog.New(slog.DiscardHandler),
	}
}

// countArgs is a job that a countWorker counts; Fail makes its first
// attempts fail.
type countArgs struct {
	N    int `json:"n"`
	Fail int `json:"fail"`
}

func (countArgs) Kind() string { return "test.count" }

type countWorker struct {
	river.WorkerDefaults[countArgs]
	mu      sync.Mutex
	runs    map[int]int
	block   chan struct{} // when set, Work signals running and waits for block to close
	running chan struct{}
}

func (w *countWorker) Work(ctx context.Context, job *river.Job[countArgs]) error {
	if w.block != nil {
		w.running <- struct{}{}
		select {
		case <-w.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	w.mu.Lock()
	w.runs[job.Args.N]++
	w.mu.Unlock()
	if job.Attempt <= job.Args.Fail {
		return errors.New("planned failure")
	}
	return nil
}

func (w *countWorker) count(n int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.runs[n]
}

func newRunner(t *testing.T, db *store.DB, w *countWorker) *jobs.Runner {
	t.Helper()
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	r, err := jobs.New(context.Background(), db, workers, testConfig())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

// start works jobs until the test ends; the runner stops before the
// database closes.
func start(t *testing.T, r *jobs.Runner) context.CancelFunc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		<-r.Stopped()
	})
	return cancel
}

// waitEvents returns the next n events of the given kinds, or fails the
// test after a deadline.
func waitEvents(t *testing.T, events <-chan *river.Event, n int) []*river.Event {
	t.Helper()
	deadline := time.After(15 * time.Second)
	var got []*river.Event
	for len(got) < n {
		select {
		case e := <-events:
			got = append(got, e)
		case <-deadline:
			t.Fatalf("got %d of %d job events before the deadline", len(got), n)
		}
	}
	return got
}

func insertTx(t *testing.T, db *store.DB, r *jobs.Runner, args river.JobArgs, commit bool) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.WriterPool().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Client().InsertTx(ctx, tx, args, nil); err != nil {
		tx.Rollback()
		t.Fatalf("InsertTx: %v", err)
	}
	end := tx.Rollback
	if commit {
		end = tx.Commit
	}
	if err := end(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		t.Fatal(err)
	}
}

func TestMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		log := slog.New(slog.DiscardHandler)
		// Instances starting at once: on PostgreSQL the advisory lock lets
		// one migrate while the other waits; SQLite has one writer anyway.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { errs[i] = jobs.Migrate(ctx, db, log) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("concurrent Migrate: %v", err)
		}
		if err := jobs.Migrate(ctx, db, log); err != nil {
			t.Fatalf("Migrate again: %v", err)
		}
	})
}

func TestJobInTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := &countWorker{runs: map[int]int{}}
		r := newRunner(t, db, w)
		events, cancelSub := r.Client().Subscribe(river.EventKindJobCompleted)
		defer cancelSub()
		cancel := start(t, r)

		insertTx(t, db, r, countArgs{N: 1}, false) // rolled back: never runs
		insertTx(t, db, r, countArgs{N: 2}, true)
		e := waitEvents(t, events, 1)[0]
		if e.Job.Kind != "test.count" || w.count(2) != 1 || w.count(1) != 0 {
			t.Fatalf("event %s, runs %v", e.Job.Kind, w.runs)
		}
		res, err := r.Client().JobList(context.Background(), river.NewJobListParams())
		if err != nil || len(res.Jobs) != 1 {
			t.Fatalf("JobList = %d jobs, %v; want only the committed one", len(res.Jobs), err)
		}
		cancel()
		select {
		case <-r.Stopped():
		case <-time.After(10 * time.Second):
			t.Fatal("runner did not stop after its context was cancelled")
		}
	})
}

func TestRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := &countWorker{runs: map[int]int{}}
		r := newRunner(t, db, w)
		events, cancelSub := r.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancelSub()
		start(t, r)
		ctx := context.Background()
		if _, err := r.Client().Insert(ctx, countArgs{N: 7, Fail: 2}, nil); err != nil {
			t.Fatal(err)
		}
		got := waitEvents(t, events, 3)
		kinds := []river.EventKind{got[0].Kind, got[1].Kind, got[2].Kind}
		want := []river.EventKind{river.EventKindJobFailed, river.EventKindJobFailed, river.EventKindJobCompleted}
		for i := range want {
			if kinds[i] != want[i] {
				t.Fatalf("events = %v, want %v", kinds, want)
			}
		}
		if job := got[2].Job; job.Attempt != 3 || len(job.Errors) != 2 || w.count(7) != 3 {
			t.Fatalf("attempt %d, %d errors, %d runs", job.Attempt, len(job.Errors), w.count(7))
		}
	})
}

// TestTwoInstances runs two runners on one database, as two app instances
// on one PostgreSQL would: every job runs exactly once.
func TestTwoInstances(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			w := &countWorker{runs: map[int]int{}}
			var runners []*jobs.Runner
			for range 2 {
				db, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
				runners = append(runners, newRunner(t, db, w))
			}
			var subs []<-chan *river.Event
			ctx := context.Background()
			for _, r := range runners {
				ev, cancelSub := r.Client().Subscribe(river.EventKindJobCompleted)
				defer cancelSub()
				subs = append(subs, ev)
				start(t, r)
			}
			const n = 20
			for i := range n {
				if _, err := runners[i%2].Client().Insert(ctx, countArgs{N: i}, nil); err != nil {
					t.Fatal(err)
				}
			}
			merged := make(chan *river.Event, n)
			for _, ev := range subs {
				go func() {
					for e := range ev {
						merged <- e
					}
				}()
			}
			waitEvents(t, merged, n)
			for i := range n {
				if c := w.count(i); c != 1 {
					t.Fatalf("job %d ran %d times", i, c)
				}
			}
		})
	}
}

// TestPeriodic runs a periodic job when the runner starts (and then once
// per interval), on both databases.
func TestPeriodic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := &countWorker{runs: map[int]int{}}
		workers := river.NewWorkers()
		river.AddWorker(workers, w)
		cfg := testConfig()
		cfg.Periodic = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return countArgs{N: 11}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
		r, err := jobs.New(context.Background(), db, workers, cfg)
		if err != nil {
			t.Fatal(err)
		}
		events, cancelSub := r.Client().Subscribe(river.EventKindJobCompleted)
		defer cancelSub()
		start(t, r)
		waitEvents(t, events, 1)
		if w.count(11) != 1 {
			t.Fatalf("periodic job ran %d times", w.count(11))
		}
	})
}
