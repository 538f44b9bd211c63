package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/i18n"
)

// cmdUser handles "user create --operator --email … [--name …]"; the
// password is read from standard input (first line), so it appears neither
// in the process list nor in the shell history.
func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: smartregions user create --operator --email ADDRESS [--name NAME] < password")
	}
	var (
		email, name string
		operator    bool
	)
	c, _, err := flags("user create", args[1:], getenv, stderr, false, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "e-mail address of the new operator")
		fs.StringVar(&name, "name", "", "name shown on the platform")
		fs.BoolVar(&operator, "operator", false, "give the account the operator role (required: this command bootstraps operators)")
	})
	if err != nil {
		return err
	}
	if !operator {
		return errors.New("user create: only operators are created here (--operator); everyone else registers on the platform")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user create: read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	db, _, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	svc := account.NewService(db, nil, bundle, "", newLogger(c, stderr))
	u, err := svc.CreateOperator(ctx, email, password, name)
	if err != nil {
		var e *apperr.Error
		if errors.As(err, &e) && e.Code != apperr.Internal {
			msg := bundle.T("en", e.Msg.Key, e.Msg.Args...)
			for _, f := range e.Fields {
				msg += fmt.Sprintf("; %s: %s", f.Field, bundle.T("en", f.Key, f.Args...))
			}
			return fmt.Errorf("user create: %s", msg)
		}
		return err
	}
	fmt.Fprintf(stdout, "operator %s created (id %s)\n", u.Email, u.ID)
	return nil
}
