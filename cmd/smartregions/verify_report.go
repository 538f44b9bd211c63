package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/smartregions/smartregions/internal/exploration"
	"github.com/smartregions/smartregions/internal/i18n"
)

// cmdVerifyReport checks a market exploration report file (PDF, XLSX or
// JSON): it is genuine when its exact SHA-256 is on record; a JSON
// report's embedded content hash and snapshot hash are checked again, the
// latter against the stored snapshot. Anything else fails (exit status 2).
func cmdVerifyReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, fs, err := flags("verify-report", args, getenv, stderr, false)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("verify-report: give exactly one FILE")
	}
	body, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("verify-report: %w", err)
	}
	db, _, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	texts, err := i18n.Load()
	if err != nil {
		return err
	}
	v, err := exploration.NewService(db, nil, nil, nil, texts).Verify(ctx, body)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "file:      %s\nsha256:    %s\n", fs.Arg(0), v.SHA256)
	for _, r := range v.Reports {
		fmt.Fprintf(stdout, "issued:    %s (UTC) by %s as %s\n", r.Issued.UTC().Format("2006-01-02 15:04:05"), r.ByLabel, r.Format)
	}
	if v.Exploration != nil && len(v.Reports) > 0 {
		fmt.Fprintf(stdout, "exploration: %s (%s), buyer %s\n", v.Exploration.Title, v.Exploration.ID, v.Exploration.Org.Name)
	}
	if v.JSON {
		fmt.Fprintf(stdout, "content hash: %s\n", okText(v.ContentOK))
	}
	fmt.Fprintf(stdout, "snapshot hash: %s\n", okText(v.SnapshotOK))
	if !v.Genuine() {
		for _, p := range v.Problems {
			fmt.Fprintln(stdout, "problem:  ", texts.T("en", p))
		}
		return errors.New("verify-report: the file is NOT a genuine, unchanged report")
	}
	fmt.Fprintln(stdout, "result:    genuine and unchanged")
	return nil
}

func okText(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAILED"
}
