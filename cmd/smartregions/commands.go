package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"text/tabwriter"
	"time"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/config"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/feedback"
	httpserver "github.com/smartregions/smartregions/internal/http"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/offer"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/web"
)

// openDB opens and migrates the configured database.
func openDB(ctx context.Context, c *config.Config) (*store.DB, int64, error) {
	db, err := store.Open(ctx, c.DB)
	if err != nil {
		return nil, 0, err
	}
	v, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, 0, err
	}
	return db, v, nil
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	c, fs, err := flags("serve", args, getenv, stderr, true)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected arguments %v", fs.Args())
	}
	log := newLogger(c, stderr)
	db, v, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database ready", "dialect", db.Dialect(), "schema_version", v)
	regions := region.NewService(db, log)
	if c.ImportRegister {
		if _, applied, err := regions.EnsureRegister(ctx); err != nil {
			return fmt.Errorf("serve: first import of the municipality register: %w", err)
		} else if applied {
			log.Info("municipality register imported on first start")
		}
	}
	fields := catalog.NewFields(db)
	if seeded, err := fields.Ensure(ctx); err != nil {
		return fmt.Errorf("serve: fields of action: %w", err)
	} else if seeded {
		log.Info("fields of action stored on first start")
	}
	solutions := catalog.NewSolutions(db, db, db)
	if c.ImportDemo {
		if n, err := solutions.ImportDemo(ctx, data.PublicCode, data.PublicCodeDir); err != nil {
			return fmt.Errorf("serve: demo catalogue: %w", err)
		} else if n > 0 {
			log.Info("demo catalogue imported on first start", "entries", n)
		}
	}
	finder := search.New(db, fields)
	if err := finder.Init(ctx); err != nil { // synonyms on first start; the index after an upgrade
		return fmt.Errorf("serve: search: %w", err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	renderer, err := web.New(bundle, web.Options{ContentDir: c.ContentDir})
	if err != nil {
		return err
	}
	mails, bg, err := startMail(c, db)
	if err != nil {
		return err
	}
	ssoClient, err := startSSO(ctx, c, db)
	if err != nil {
		return err
	}
	accounts := account.NewService(db, mail.Accounts(mails), bundle, c.BaseURL, log)
	// Imports from and harvesting of public git repositories.
	harvester := catalog.NewHarvester(solutions, db, catalog.NewGitFetcher())
	harvester.Log = log
	usage := catalog.NewUsage(db, solutions, db, mails, bundle, c.BaseURL, log)

	// Background jobs: sweeps that find their own work, run by River's
	// leader among the instances.
	every(bg, catalog.NewEvidenceWorker(catalog.NewEvidenceWarner(db, db, db, db, mail.Accounts(mails), bundle, c.BaseURL)),
		catalog.EvidenceArgs{}, 24*time.Hour)
	every(bg, catalog.NewFollowUpWorker(usage), catalog.FollowUpArgs{}, 24*time.Hour)
	every(bg, catalog.NewHarvestWorker(harvester), catalog.HarvestArgs{}, time.Hour)
	every(bg, catalog.NewMediaSweeper(db, log), catalog.SweepMediaArgs{}, time.Hour)
	// Saved searches: one mail a day per user about new matches.
	alerts := alert.NewService(db, finder, mails, bundle, c.BaseURL, log)
	every(bg, alert.NewSweepWorker(alerts), alert.SweepArgs{}, 24*time.Hour)
	// Events: reminders a day before, and move-up mails owed after an
	// account was deleted.
	events := event.NewService(db, db, fields, mails, bundle, c.BaseURL, log)
	every(bg, event.NewSweepWorker(events), event.SweepArgs{}, time.Hour)
	// Notification centre: the daily digest mail of waiting notifications.
	notes := notify.NewService(db, mails, bundle, c.BaseURL, log)
	every(bg, notify.NewDigestWorker(notes, log), notify.DigestArgs{}, 24*time.Hour)
	// Knowledge base: a mail to the owner of an article that became
	// possibly outdated, once per period.
	knowledgeBase := knowledge.NewService(db, db, mails, bundle, c.BaseURL)
	knowledgeBase.OutdatedAfter = time.Duration(c.KnowledgeOutdatedDays) * 24 * time.Hour
	every(bg, knowledge.NewSweepWorker(knowledgeBase, log), knowledge.SweepArgs{}, 24*time.Hour)
	// Needs: providers whose solutions match a newly published need are
	// notified (mailed at once or in the daily digest, as each chose).
	needs := need.NewService(db, regions, fields, finder)
	offers := offer.NewService(db, needs, notes, log)
	every(bg, offer.NewSweepWorker(offers, log), offer.SweepArgs{}, time.Hour)
	runner, err := bg.start(ctx, db, log)
	if err != nil {
		return err
	}
	// The job runner stops after the server and before the database closes.
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownTimeout)
		defer cancel()
		if err := runner.Stop(sctx); err != nil {
			log.Warn("stop jobs", "err", err)
		}
	}()
	srv, err := httpserver.New(ctx, httpserver.Deps{Config: *c, Log: log, DB: db, Regions: regions,
		Feedback: feedback.NewService(db), Accounts: accounts, Mail: mails, SSO: ssoClient,
		Orgs: org.NewService(db, regions, mail.Accounts(mails), bundle, c.BaseURL, log), Fields: fields, Solutions: solutions.WithMail(mail.Accounts(mails), bundle, c.BaseURL), Harvest: harvester,
		Usage:  usage,
		Search: finder,
		Alerts: alerts,
		Events: events,
		Notify: notes,
		Needs:  needs,
		Offers: offers,
		Bundle: bundle, Renderer: renderer, Version: versionString()})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("listening", "url", "http://"+ln.Addr().String(), "version", versionString(), "smtp", c.SMTP.Host != "")
	return srv.ListenAndServe(ctx, ln)
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := flags("migrate", args, getenv, stderr, false)
	if err != nil {
		return err
	}
	db, v, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database %s migrated to schema version %d\n", db.Dialect(), v)
	return nil
}

func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "publiccode" {
		return cmdImportPublicCode(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "register" {
		return errors.New("usage: smartregions import register FILE | publiccode DIR [flags]")
	}
	c, fs, err := flags("import register", args[1:], getenv, stderr, false)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: smartregions import register FILE [flags]")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import register: %w", err)
	}
	defer f.Close()
	db, _, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	rep, err := region.NewService(db, newLogger(c, stderr)).ImportRegister(ctx, f, path)
	if err != nil {
		var e *apperr.Error
		if errors.As(err, &e) && e.Code != apperr.Internal {
			// A refused file: say why in plain words; nothing was stored.
			return fmt.Errorf("%s: %s", path, bundle.T("en", e.Msg.Key, e.Msg.Args...))
		}
		return err
	}
	printReport(stdout, rep)
	return nil
}

func printReport(w io.Writer, rep region.ImportReport) {
	fmt.Fprintf(w, "register %s (Gebietsstand %s) imported\n", rep.Source, rep.RegisterDate.Format("2006-01-02"))
	fmt.Fprintf(w, "added %d, changed %d, dissolved %d, unchanged %d\n", len(rep.Added), len(rep.Changed), len(rep.Dissolved), rep.Unchanged)
	fmt.Fprintf(w, "coordinates and urbanisation: %d by AGS, %d from a predecessor, %d without\n", rep.ExtraByAGS, rep.ExtraByName, rep.ExtraMissing)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	const maxLines = 50
	for _, sec := range []struct {
		label string
		list  []region.Change
	}{{"added", rep.Added}, {"changed", rep.Changed}, {"dissolved", rep.Dissolved}} {
		if len(sec.list) == 0 || len(sec.list) > 2000 {
			continue // the first import lists every municipality; no one reads that
		}
		for i, ch := range sec.list {
			if i == maxLines {
				fmt.Fprintf(tw, "%s\t… %d more\t\n", sec.label, len(sec.list)-maxLines)
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\n", sec.label, ch.AGS, ch.Name, ch.Fields)
		}
	}
	tw.Flush()
}

func cmdFeedback(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := flags("feedback", args, getenv, stderr, false)
	if err != nil {
		return err
	}
	db, _, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := feedback.NewService(db).List(ctx, 100)
	if err != nil {
		return err
	}
	for _, f := range list {
		fmt.Fprintf(stdout, "%s  %s  %s <%s>  page: %s\n%s\n\n", f.Created.Format("2006-01-02 15:04"), f.Lang, f.Name, f.Email, f.Page, f.Message)
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "no feedback")
	}
	return nil
}
