package http

// This file: the JSON API of the regional contacts. The municipality's own
// answer (/api/v1/municipalities/{ags}) comes from the page cache, so its
// contacts have an uncached endpoint of their own.

import (
	"net/http"

	"github.com/smartregions/smartregions/internal/contact"
)

type apiContact struct {
	Name         string   `json:"name"`
	RoleTitle    string   `json:"role_title"`
	Phone        string   `json:"phone"`
	Email        string   `json:"email"`
	Fields       []string `json:"fields"`
	Topics       string   `json:"topics"`
	Availability string   `json:"availability"`
	States       []string `json:"states"`
	Districts    []string `json:"districts"`
}

func apiContactOf(c contact.Contact) apiContact {
	a := apiContact{Name: c.Name, RoleTitle: c.RoleTitle, Phone: c.Phone, Email: c.Email, Fields: c.Fields, Topics: c.Topics,
		Availability: c.Availability, States: c.States, Districts: c.Districts}
	for _, l := range []*[]string{&a.Fields, &a.States, &a.Districts} {
		if *l == nil {
			*l = []string{}
		}
	}
	return a
}

func writeContacts(w http.ResponseWriter, l []contact.Contact) {
	out := list[apiContact]{Items: []apiContact{}, Total: len(l)}
	for _, c := range l {
		out.Items = append(out.Items, apiContactOf(c))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
}

// handleAPIContactList answers every contact; the list is short (a few
// advisors per state), so it has no pages.
func (s *Server) handleAPIContactList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	l, err := s.Contacts.List(r.Context())
	if err != nil {
		return err
	}
	writeContacts(w, l)
	return nil
}

func (s *Server) handleAPIMunicipalityContacts(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	m, err := s.Regions.Municipality(r.Context(), r.PathValue("ags"))
	if err != nil {
		return err
	}
	l, err := s.contactsOf(r.Context(), m)
	if err != nil {
		return err
	}
	writeContacts(w, l)
	return nil
}
