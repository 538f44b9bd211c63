package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/config"
	"github.com/smartregions/smartregions/internal/jobs"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/sso"
	"github.com/smartregions/smartregions/internal/store"
)

// startMail returns the mail service and, when an SMTP host is
// configured, the started job runner that delivers the mail. Without SMTP
// mail stays in the outbox and no job runs (the mail worker is the only
// job so far), so the runner is nil.
func startMail(ctx context.Context, c *config.Config, db *store.DB, log *slog.Logger) (*mail.Service, *jobs.Runner, error) {
	smtp := mail.SMTPConfig{Host: c.SMTP.Host, Port: c.SMTP.Port, Username: c.SMTP.Username, Password: c.SMTP.Password,
		From: c.SMTP.From, TLS: c.SMTP.TLS}
	if !smtp.Enabled() {
		if err := jobs.Migrate(ctx, db, log); err != nil {
			return nil, nil, fmt.Errorf("serve: jobs: %w", err)
		}
		svc, err := mail.NewService(db, smtp, nil)
		return svc, nil, err
	}
	workers := river.NewWorkers()
	w, err := mail.NewWorker(db, smtp)
	if err != nil {
		return nil, nil, fmt.Errorf("serve: mail: %w", err)
	}
	river.AddWorker(workers, w)
	runner, err := jobs.New(ctx, db, workers, jobs.Config{Logger: log})
	if err != nil {
		return nil, nil, fmt.Errorf("serve: jobs: %w", err)
	}
	svc, err := mail.NewService(db, smtp, runner.Client())
	if err != nil {
		return nil, nil, fmt.Errorf("serve: mail: %w", err)
	}
	if err := runner.Start(ctx); err != nil {
		return nil, nil, fmt.Errorf("serve: jobs: %w", err)
	}
	return svc, runner, nil
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
