package store

import (
	"database/sql"
	"time"
)

// nullTime scans a nullable timestamp and hands it on as a UTC pointer.
type nullTime struct{ sql.NullTime }

func (n nullTime) ptr() *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}
