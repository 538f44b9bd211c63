package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/smartregions/smartregions/internal/config"
	"github.com/smartregions/smartregions/internal/jobs"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/sso"
	"github.com/smartregions/smartregions/internal/store"
)

// background collects the workers and periodic jobs of serve; start
// builds and starts the job runner once every service exists.
type background struct {
	workers  *river.Workers
	periodic []*river.PeriodicJob
	queue    lateQueue
}

// lateQueue hands jobs to the runner that is built after the services
// that enqueue them (the runner needs their workers first). Nothing is
// enqueued before the runner starts: the server is not listening yet.
type lateQueue struct{ runner *jobs.Runner }

func (q *lateQueue) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	if q.runner == nil {
		return nil, errors.New("jobs: the runner has not started")
	}
	return q.runner.Client().InsertTx(ctx, tx, args, opts)
}

// every registers worker and runs a job with args once per interval, and
// once at start; the jobs are sweeps that find their own work, so a run
// more or less does no harm.
func every[T river.JobArgs](b *background, worker river.Worker[T], args T, interval time.Duration) {
	river.AddWorker(b.workers, worker)
	b.periodic = append(b.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
}

// start builds the runner with the registered workers and starts it.
func (b *background) start(ctx context.Context, db *store.DB, log *slog.Logger) (*jobs.Runner, error) {
	runner, err := jobs.New(ctx, db, b.workers, jobs.Config{Logger: log, Periodic: b.periodic})
	if err != nil {
		return nil, fmt.Errorf("serve: jobs: %w", err)
	}
	b.queue.runner = runner
	if err := runner.Start(ctx); err != nil {
		return nil, fmt.Errorf("serve: jobs: %w", err)
	}
	return runner, nil
}

// startMail returns the mail service and the background jobs with the
// mail worker when an SMTP host is configured. Without SMTP mail stays in
// the outbox for the operators to read.
func startMail(c *config.Config, db *store.DB) (*mail.Service, *background, error) {
	smtp := mail.SMTPConfig{Host: c.SMTP.Host, Port: c.SMTP.Port, Username: c.SMTP.Username, Password: c.SMTP.Password,
		From: c.SMTP.From, TLS: c.SMTP.TLS}
	b := &background{workers: river.NewWorkers()}
	if !smtp.Enabled() {
		svc, err := mail.NewService(db, smtp, nil)
		return svc, b, err
	}
	w, err := mail.NewWorker(db, smtp)
	if err != nil {
		return nil, nil, fmt.Errorf("serve: mail: %w", err)
	}
	river.AddWorker(b.workers, w)
	svc, err := mail.NewService(db, smtp, &b.queue)
	if err != nil {
		return nil, nil, fmt.Errorf("serve: mail: %w", err)
	}
	return svc, b, nil
}

// startSSO returns the OpenID client, nil when no provider is configured.
// Its state cookies are sealed with a key kept in the database, so every
// instance can finish a login that another began.
func startSSO(ctx context.Context, c *config.Config, db *store.DB) (*sso.Client, error) {
	providers, err := sso.ParseProviders(c.SSOProviders)
	if err != nil || len(providers) == 0 {
		return nil, err
	}
	key, err := db.Setting(ctx, "sso_key", func() (string, error) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		return hex.EncodeToString(b), nil
	})
	if err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(key)
	if err != nil {
		return nil, fmt.Errorf("serve: sso key in settings is malformed")
	}
	return sso.New(ctx, providers, c.BaseURL, k, &http.Client{Timeout: sso.DefaultTimeout})
}
