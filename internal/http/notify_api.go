package http

// This file: the JSON API of the caller's notifications.

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/notify"
)

type apiNotification struct {
	ID      string     `json:"id"`
	Kind    string     `json:"kind"`
	Action  string     `json:"action"`
	Title   string     `json:"title"`
	Message string     `json:"message"`
	Link    string     `json:"link"`
	Created time.Time  `json:"created_at"`
	ReadAt  *time.Time `json:"read_at"`
}

type apiNotificationList struct {
	Items  []apiNotification `json:"items"`
	Total  int               `json:"total"`
	Unread int               `json:"unread"`
}

func (s *Server) handleAPINotificationList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	page, err := s.Notify.List(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	out := apiNotificationList{Items: []apiNotification{}, Total: len(page.Items), Unread: page.Unread}
	for _, n := range page.Items {
		out.Items = append(out.Items, apiNotificationOf(s, r, n))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func apiNotificationOf(s *Server, r *http.Request, n notify.Notification) apiNotification {
	return apiNotification{ID: n.ID, Kind: n.Kind, Action: n.Action, Title: n.Title, Message: s.t(r, n.Key(), "Name", n.Title),
		Link: n.Link, Created: n.Created, ReadAt: n.ReadAt}
}

// handleAPINotificationRead marks one of the caller's notifications
// read and answers it; another user's is 404. The body is ignored.
func (s *Server) handleAPINotificationRead(w http.ResponseWriter, r *http.Request) error {
	n, err := s.Notify.MarkRead(r.Context(), userOf(r).user, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiNotificationOf(s, r, n))
	return nil
}
