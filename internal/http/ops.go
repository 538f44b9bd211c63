package http

import (
	"context"
	"net/http"
	"time"
)

// handleHealth says the process is alive; it touches nothing else.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, "application/json", map[string]string{"status": "ok", "version": s.Version})
	return nil
}

// handleReady says whether this instance can serve: the database answers
// and its schema is the one this binary expects.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	body := map[string]any{"status": "ok", "database": s.DB.Dialect()}
	status := http.StatusOK
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.Warn("readiness: database", "err", err)
		body["status"], body["reason"] = "unavailable", "database unreachable"
		status = http.StatusServiceUnavailable
	} else if ok, cur, target, err := s.DB.MigrationsCurrent(ctx); err != nil || !ok {
		s.Log.Warn("readiness: migrations", "current", cur, "target", target, "err", err)
		body["status"], body["reason"] = "unavailable", "migrations pending"
		body["schema_version"], body["schema_target"] = cur, target
		status = http.StatusServiceUnavailable
	} else {
		body["schema_version"] = cur
	}
	writeJSON(w, status, "application/json", body)
	return nil
}
