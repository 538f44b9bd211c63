package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/region"
)

// cmdSeed fills a separate benchmark database with a synthetic catalogue
// and prints how long it took and how large the database became.
func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "usage: smartregions seed --solutions N [--seed S] [--db DSN]"
	var (
		n    int
		seed int64
	)
	c, fs, err := flags("seed", args, getenv, stderr, false, func(fs *flag.FlagSet) {
		fs.IntVar(&n, "solutions", 0, "number of synthetic solutions to generate (required)")
		fs.Int64Var(&seed, "seed", 1, "random seed; the same seed gives the same catalogue")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 || n == 0 {
		return errors.New(usage)
	}
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	start := time.Now()
	db, _, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(c, stderr)
	if _, err := catalog.NewFields(db).Ensure(ctx); err != nil {
		return fmt.Errorf("seed: fields of action: %w", err)
	}
	if _, _, err := region.NewService(db, log).EnsureRegister(ctx); err != nil {
		return fmt.Errorf("seed: municipality register: %w", err)
	}
	seeder := catalog.NewSeeder(db, db)
	seeder.Log = log
	rep, err := seeder.Seed(ctx, catalog.SeedOptions{Solutions: n, Seed: seed, Progress: func(done int) {
		if done%10000 == 0 && done < n {
			fmt.Fprintf(stdout, "%d of %d solutions stored (%s)\n", done, n, time.Since(start).Round(time.Second))
		}
	}})
	if err != nil {
		var e *apperr.Error
		if errors.As(err, &e) && e.Code != apperr.Internal {
			return fmt.Errorf("seed: %s", bundle.T("en", e.Msg.Key, e.Msg.Args...))
		}
		return err
	}
	// The bulk inserts bypass the search index; it is built once at the
	// end, which is also the benchmark of indexing from scratch.
	indexStart := time.Now()
	indexedN, err := db.ReindexSolutions(ctx)
	if err != nil {
		return fmt.Errorf("seed: search index: %w", err)
	}
	indexed := fmt.Sprintf("search index of %d solutions built in %s", indexedN, time.Since(indexStart).Round(time.Millisecond))
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	size, err := db.Size(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d synthetic solutions with %d verified uses by %d municipalities (seed %d) into %s\n",
		rep.Solutions, rep.Uses, rep.Municipalities, seed, db.Dialect())
	fmt.Fprintf(stdout, "inserts %s, %s, total %s; database size %s\n",
		rep.Duration.Round(time.Millisecond), indexed, time.Since(start).Round(time.Millisecond), megabytes(size))
	return nil
}

// megabytes formats a size in MB (10^6 bytes).
func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
