package store

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/smartregions/smartregions/internal/apperr"
)

// mapError turns driver errors that carry a meaning for the user into
// domain errors; the driver error stays as cause for the log.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, "error.not_found")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return apperr.Wrap(err, apperr.Conflict, "error.conflict")
		case "23503":
			return apperr.Wrap(err, apperr.Conflict, "error.reference")
		}
		return err
	}
	// modernc.org/sqlite reports constraint violations in the message;
	// matching it here keeps that knowledge in one place.
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"), strings.Contains(msg, "PRIMARY KEY constraint failed"):
		return apperr.Wrap(err, apperr.Conflict, "error.conflict")
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return apperr.Wrap(err, apperr.Conflict, "error.reference")
	}
	return err
}

func isNotFound(err error) bool { return apperr.Is(err, apperr.NotFound) }
