package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/publiccode"
)

// cmdImportPublicCode imports a directory of publiccode.yml files as
// published entries of an organisation (by default the demo
// organisation) and prints what became of each file.
func cmdImportPublicCode(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "usage: smartregions import publiccode DIR [--org SLUG] [flags]"
	orgSlug := catalog.DemoOrg.Slug
	c, fs, err := flags("import publiccode", args, getenv, stderr, false, func(fs *flag.FlagSet) {
		fs.StringVar(&orgSlug, "org", orgSlug, "slug of the organisation that gets the entries (default: the demo organisation)")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(usage)
	}
	dir := fs.Arg(0)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("import publiccode: %s is not a directory", dir)
	}
	db, _, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	fields := catalog.NewFields(db)
	if _, err := fields.Ensure(ctx); err != nil {
		return err
	}
	svc := catalog.NewSolutions(db, db, db)
	if orgSlug == catalog.DemoOrg.Slug {
		if err := svc.EnsureDemoOrg(ctx); err != nil {
			return err
		}
	}
	results, err := svc.ImportPublicCode(ctx, os.DirFS(dir), ".", dir, orgSlug)
	if err != nil {
		return err
	}
	stored, skipped, refused := 0, 0, 0
	for _, r := range results {
		switch {
		case r.Stored:
			stored++
			fmt.Fprintf(stdout, "imported  %s → /loesungen/%s\n", r.File, r.Slug)
		case len(r.Problems) > 0:
			refused++
			for _, p := range r.Problems {
				if p.Severity == publiccode.Error {
					fmt.Fprintf(stdout, "refused   %s:%d:%d: %s\n", r.File, p.Line, p.Column, p.Text("en"))
				}
			}
		case r.Err != nil:
			refused++
			fmt.Fprintf(stdout, "refused   %s: %v\n", r.File, r.Err)
		default:
			skipped++
			fmt.Fprintf(stdout, "unchanged %s (imported before)\n", r.File)
		}
	}
	fmt.Fprintf(stdout, "%d imported, %d imported before, %d refused\n", stored, skipped, refused)
	return nil
}
