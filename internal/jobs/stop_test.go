package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/smartregions/smartregions/internal/jobs"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestGracefulStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := &countWorker{runs: map[int]int{}, block: make(chan struct{}), running: make(chan struct{}, 1)}
		r := newRunner(t, db, w)
		started, cancelSub := r.Client().Subscribe(river.EventKindJobCompleted)
		defer cancelSub()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		if _, err := r.Client().Insert(context.Background(), countArgs{N: 1}, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case <-w.running:
		case <-time.After(10 * time.Second):
			t.Fatal("the job did not start")
		}
		cancel()
		select {
		case err := <-done:
			t.Fatalf("Run returned %v while a job was still running", err)
		default:
		}
		close(w.block)
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return")
		}
		if e := waitEvents(t, started, 1)[0]; e.Kind != river.EventKindJobCompleted || w.count(1) != 1 {
			t.Fatalf("event %s, %d runs: the running job should finish", e.Kind, w.count(1))
		}
	})
}

// TestStopTimeout: a job that outlives StopTimeout has its context
// cancelled; River makes it available again without counting an error.
func TestStopTimeout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := &countWorker{runs: map[int]int{}, block: make(chan struct{}), running: make(chan struct{}, 1)}
		workers := river.NewWorkers()
		river.AddWorker(workers, w)
		cfg := testConfig()
		cfg.StopTimeout = 50 * time.Millisecond
		r, err := jobs.New(context.Background(), db, workers, cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		if _, err := r.Client().Insert(context.Background(), countArgs{N: 1}, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case <-w.running:
		case <-time.After(10 * time.Second):
			t.Fatal("the job did not start")
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after StopTimeout")
		}
		res, err := r.Client().JobList(context.Background(), river.NewJobListParams())
		if err != nil || len(res.Jobs) != 1 {
			t.Fatalf("JobList = %v, %v", res, err)
		}
		if j := res.Jobs[0]; j.State != rivertype.JobStateAvailable || len(j.Errors) != 0 {
			t.Fatalf("job state %s with %d errors; want it available again", j.State, len(j.Errors))
		}
	})
}
