package http

// This file: the regional contacts ("Ihre Ansprechperson"): the public
// list, the operators' management and the advisor's own availability, and
// the contacts on municipality pages, which come from the page cache — so
// the contacts' version is part of the cache's data version.

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/contact"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/web"
)

// pageVersion joins the register's data version with the contacts'
// version: the cached municipality pages show both.
func (s *Server) pageVersion(data func(context.Context) (string, error)) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		v, err := data(ctx)
		if err != nil {
			return "", err
		}
		cv, err := s.Contacts.Version(ctx)
		if err != nil {
			return "", err
		}
		return v + "\x00" + cv, nil
	}
}

// forget makes the next request ask the database for the data version,
// so that a change made by this instance shows at once; other instances
// see it within versionMaxAge.
func (c *pageCache) forget() {
	c.mu.Lock()
	c.checked = time.Time{}
	c.mu.Unlock()
}

// municipalityPage is a municipality with its contacts; embedding keeps
// the template's access to the municipality's fields and methods.
type municipalityPage struct {
	region.Municipality
	Contacts []contact.Contact
	FieldOf  map[string]catalog.Field
	// Practice are the municipality's published practice examples and
	// those of similar municipalities (practice_pages.go).
	Practice PracticeSection
}

// fieldMap returns the fields of action by key, for the labels of a
// contact's topics.
func (s *Server) fieldMap(ctx context.Context) (map[string]catalog.Field, error) {
	tree, err := s.Fields.All(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]catalog.Field{}
	for _, f := range tree {
		m[f.Key] = f
		for _, c := range f.Children {
			m[c.Key] = c
		}
	}
	return m, nil
}

// municipalityData returns m with its contacts for its page.
func (s *Server) municipalityData(ctx context.Context, m region.Municipality) (municipalityPage, error) {
	d := municipalityPage{Municipality: m}
	var err error
	if d.Contacts, err = s.contactsOf(ctx, m); err != nil || len(d.Contacts) == 0 {
		return d, err
	}
	d.FieldOf, err = s.fieldMap(ctx)
	return d, err
}

// contactsOf returns the contacts of municipality m, district first.
func (s *Server) contactsOf(ctx context.Context, m region.Municipality) ([]contact.Contact, error) {
	if m.Dissolved != nil {
		return nil, nil
	}
	return s.Contacts.For(ctx, m.StateKey, m.DistrictKey)
}

// ContactsView is the data of the public list and the operators' page.
type ContactsView struct {
	States   []ContactState
	Contacts []contact.Contact
	// CanEdit holds the user ids whose contact the viewer may edit.
	CanEdit   map[string]bool
	Districts map[string]string // names by key
	FieldOf   map[string]catalog.Field
	Fields    []catalog.Field
	AllStates []region.State
	Alert     string
	Done      string
}

// ContactState is a state with its contacts.
type ContactState struct {
	region.State
	Contacts []contact.Contact
}

// contactNames returns the names of the states and of the districts the
// contacts name.
func (s *Server) contactNames(ctx context.Context, l []contact.Contact) ([]region.State, map[string]string, error) {
	states, err := s.Regions.StateNames(ctx)
	if err != nil {
		return nil, nil, err
	}
	districts := map[string]string{}
	for _, c := range l {
		for _, d := range c.Districts {
			if _, ok := districts[d]; ok {
				continue
			}
			dd, err := s.Regions.District(ctx, d)
			switch {
			case apperr.Is(err, apperr.NotFound):
				districts[d] = d
			case err != nil:
				return nil, nil, err
			default:
				districts[d] = dd.Name
			}
		}
	}
	return states, districts, nil
}

func (s *Server) handleContactList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	ctx := r.Context()
	all, err := s.Contacts.List(ctx)
	if err != nil {
		return err
	}
	states, districts, err := s.contactNames(ctx, all)
	if err != nil {
		return err
	}
	fieldOf, err := s.fieldMap(ctx)
	if err != nil {
		return err
	}
	v := ContactsView{Districts: districts, CanEdit: map[string]bool{}, FieldOf: fieldOf}
	u := optionalUser(r)
	for _, st := range states {
		cs := ContactState{State: st}
		for _, c := range all {
			if slices.Contains(c.States, st.Key) {
				cs.Contacts = append(cs.Contacts, c)
			}
		}
		if len(cs.Contacts) > 0 {
			v.States = append(v.States, cs)
		}
	}
	for _, c := range all {
		v.CanEdit[c.UserID] = contact.Can(u, contact.ActEdit, &c)
	}
	pg := s.page(r, s.t(r, "contacts.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "contacts.title")}}
	pg.Data = v
	return s.render(w, r, "contacts", pg)
}

// contactForm returns the form values that show in.
func contactForm(in contact.Input) url.Values {
	f := url.Values{"name": {in.Name}, "role_title": {in.RoleTitle}, "phone": {in.Phone}, "email": {in.Email},
		"topics": {in.Topics}, "availability": {in.Availability}, "fields": in.Fields, "states": in.States}
	if len(in.Districts) > 0 {
		f.Set("districts", joinKeys(in.Districts))
	}
	return f
}

func joinKeys(l []string) string {
	out := ""
	for i, k := range l {
		if i > 0 {
			out += ", "
		}
		out += k
	}
	return out
}

// contactInput reads the contact form.
func contactInput(f url.Values) contact.Input {
	return contact.Input{Name: f.Get("name"), RoleTitle: f.Get("role_title"), Phone: f.Get("phone"), Email: f.Get("email"),
		Fields: f["fields"], Topics: f.Get("topics"), Availability: f.Get("availability"), States: f["states"],
		Districts: contact.SplitKeys(f.Get("districts"))}
}

// renderContactAdmin shows the operators' list with the form for a new
// contact.
func (s *Server) renderContactAdmin(w http.ResponseWriter, r *http.Request, status int, v ContactsView, fields map[string]string) error {
	ctx := r.Context()
	all, err := s.Contacts.List(ctx)
	if err != nil {
		return err
	}
	if v.AllStates, v.Districts, err = s.contactNames(ctx, all); err != nil {
		return err
	}
	if v.Fields, err = s.Fields.All(ctx); err != nil {
		return err
	}
	if v.FieldOf, err = s.fieldMap(ctx); err != nil {
		return err
	}
	v.Contacts = all
	pg := s.page(r, s.t(r, "contacts.admin.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	pg.Form = keptInput(r)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "contacts.admin.title")}}
	pg.Data = v
	s.renderStatus(w, r, status, "contacts_admin", pg)
	return nil
}

func (s *Server) handleContactAdmin(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := p.str("erledigt")
	if err := p.Err(); err != nil {
		return err
	}
	v := ContactsView{}
	switch done {
	case "angelegt", "geloescht":
		v.Done = s.t(r, "contacts.done."+done)
	}
	return s.renderContactAdmin(w, r, http.StatusOK, v, nil)
}

func (s *Server) handleContactCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	_, err := s.Contacts.Create(r.Context(), userOf(r).user, r.PostForm.Get("login"), contactInput(r.PostForm), s.meta(r))
	if err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.Forbidden) {
			return err
		}
		return s.renderContactAdmin(w, r, http.StatusBadRequest, ContactsView{Alert: alert}, fields)
	}
	s.cache.forget()
	http.Redirect(w, r, "/betrieb/ansprechpersonen?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

// ContactEditView is the data of a contact's form.
type ContactEditView struct {
	Contact   contact.Contact
	Full      bool // all fields (operators); else availability and topics only
	Fields    []catalog.Field
	AllStates []region.State
	Districts map[string]string
	Alert     string
	Done      bool
}

func (s *Server) renderContactEdit(w http.ResponseWriter, r *http.Request, status int, c contact.Contact, alert string, fields map[string]string, done bool) error {
	ctx := r.Context()
	u := userOf(r).user
	v := ContactEditView{Contact: c, Full: contact.Can(&u, contact.ActManage, &c), Alert: alert, Done: done}
	var err error
	if v.AllStates, v.Districts, err = s.contactNames(ctx, []contact.Contact{c}); err != nil {
		return err
	}
	if v.Fields, err = s.Fields.All(ctx); err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "contacts.edit.title", "Name", c.Name))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	pg.Form = keptInput(r)
	if pg.Form == nil {
		pg.Form = contactForm(contact.InputOf(c))
	}
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}}
	if v.Full {
		pg.Breadcrumbs = append(pg.Breadcrumbs, web.Crumb{Label: s.t(r, "contacts.admin.title"), Href: "/betrieb/ansprechpersonen"})
	} else {
		pg.Breadcrumbs = append(pg.Breadcrumbs, web.Crumb{Label: s.t(r, "contacts.title"), Href: "/ansprechpersonen"})
	}
	pg.Breadcrumbs = append(pg.Breadcrumbs, web.Crumb{Label: c.Name})
	pg.Data = v
	s.renderStatus(w, r, status, "contact_form", pg)
	return nil
}

func (s *Server) handleContactEdit(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := p.str("erledigt") == "gespeichert"
	if err := p.Err(); err != nil {
		return err
	}
	u := userOf(r).user
	c, err := s.Contacts.Get(r.Context(), &u, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderContactEdit(w, r, http.StatusOK, c, "", nil, done)
}

func (s *Server) handleContactUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r).user
	id := r.PathValue("id")
	_, err := s.Contacts.Update(r.Context(), u, id, contactInput(r.PostForm), s.meta(r))
	if err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
			return err
		}
		c, gerr := s.Contacts.Get(r.Context(), &u, id)
		if gerr != nil {
			return gerr
		}
		return s.renderContactEdit(w, r, http.StatusBadRequest, c, alert, fields, false)
	}
	s.cache.forget()
	http.Redirect(w, r, "/betrieb/ansprechpersonen/"+url.PathEscape(id)+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

func (s *Server) handleContactDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Contacts.Delete(r.Context(), userOf(r).user, r.PathValue("id"), s.meta(r)); err != nil {
		return err
	}
	s.cache.forget()
	http.Redirect(w, r, "/betrieb/ansprechpersonen?erledigt=geloescht", http.StatusSeeOther)
	return nil
}
