// Command smartregions runs the smartregions platform: the web pages and
// JSON API (serve), database migrations (migrate), imports of the official
// municipality register (import register) and its version (version).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/smartregions/smartregions/internal/config"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the VCS revision from the build info is shown.
var version = ""

const usage = `smartregions – Plattform für Smart Cities und Regionen / platform for smart cities and regions

Usage:
  smartregions serve [flags]                 start the web server (default: SQLite file smartregions.db, http://127.0.0.1:8080)
  smartregions migrate [flags]               apply database migrations
  smartregions import register FILE [flags]  import a GV100AD municipality register (Destatis)
  smartregions seed --solutions N [--seed S] [flags]
                                             fill a separate benchmark database with a synthetic catalogue
  smartregions user create --operator --email ADDRESS [--name NAME] [flags] < password
                                             create the first operator (password on standard input)
  smartregions feedback [flags]              list accessibility feedback, newest first
  smartregions verify-report FILE [flags]    check a market exploration report (PDF, XLSX, JSON) against the record
  smartregions version                       print the version

Run "smartregions COMMAND -h" for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "smartregions:", err)
		}
		os.Exit(2)
	}
}

// run executes one command; main and the tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, args, getenv, stderr)
	case "migrate":
		return cmdMigrate(ctx, args, getenv, stdout, stderr)
	case "import":
		return cmdImport(ctx, args, getenv, stdout, stderr)
	case "seed":
		return cmdSeed(ctx, args, getenv, stdout, stderr)
	case "user":
		return cmdUser(ctx, args, getenv, stdin, stdout, stderr)
	case "feedback":
		return cmdFeedback(ctx, args, getenv, stdout, stderr)
	case "verify-report":
		return cmdVerifyReport(ctx, args, getenv, stdout, stderr) // verify_report.go
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "smartregions", versionString())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	switch {
	case rev == "" && info.Main.Version != "":
		return info.Main.Version
	case rev == "":
		return "(devel)"
	case dirty:
		return rev[:min(12, len(rev))] + "-dirty"
	}
	return rev[:min(12, len(rev))]
}

// flags parses a command's flags into a Config.
func flags(name string, args []string, getenv func(string) string, stderr io.Writer, server bool, extra ...func(*flag.FlagSet)) (*config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("smartregions "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c, validate := config.Register(fs, getenv, server)
	for _, add := range extra {
		add(fs)
	}
	// Flags may come before and after positional arguments
	// ("import register FILE --db …"); the flag package stops at the first
	// positional one, so parse the rest again.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return nil, nil, err
	}
	if err := validate(); err != nil {
		return nil, nil, err
	}
	return c, fs, nil
}

func newLogger(c *config.Config, w io.Writer) *slog.Logger {
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
