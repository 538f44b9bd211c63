// Package contact holds the regional contacts ("Ihre Ansprechperson"):
// advisors of the competence centre who are named on the pages of the
// municipalities of their states and districts, with their topics and
// availability. It holds the type, its validation, the authorisation rule
// and the service; the store implements Store.
package contact

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// Limits of a contact's fields.
const (
	MaxName         = 200
	MaxRoleTitle    = 200
	MaxPhone        = 40
	MaxEmail        = 254
	MaxTopics       = 1000
	MaxAvailability = 200
	MaxFields       = 20
	MaxDistricts    = 100
)

// Contact is an advisor named as contact for one or more states, or for
// some districts of them. UserID is the advisor's account; it is the key.
type Contact struct {
	UserID    string
	Name      string
	RoleTitle string
	Phone     string // optional
	Email     string // optional public address; may differ from the login
	Fields    []string
	Topics    string // free text beside the fields of action
	// Availability says when the person is reachable, e.g. "Mo–Do 9–15 Uhr".
	Availability string
	// States are the 2-digit keys of the states the contact covers.
	States []string
	// Districts restrict a state to some of its districts (5-digit keys):
	// a state with districts listed here is covered only in them.
	Districts []string
	Created   time.Time
	Updated   time.Time
}

// StatesCovered returns the states that are covered as a whole, that is
// without a district restriction.
func (c Contact) StatesCovered() []string {
	var out []string
	for _, st := range c.States {
		if !slices.ContainsFunc(c.Districts, func(d string) bool { return strings.HasPrefix(d, st) }) {
			out = append(out, st)
		}
	}
	return out
}

// Input is what an operator enters for a contact. Fields, States and
// Districts are keys.
type Input struct {
	Name, RoleTitle, Phone, Email string
	Fields                        []string
	Topics, Availability          string
	States, Districts             []string
}

// InputOf returns the input that shows c in a form.
func InputOf(c Contact) Input {
	return Input{Name: c.Name, RoleTitle: c.RoleTitle, Phone: c.Phone, Email: c.Email, Fields: c.Fields,
		Topics: c.Topics, Availability: c.Availability, States: c.States, Districts: c.Districts}
}

// SplitKeys splits a list of keys typed by a person at commas, semicolons
// and white space.
func SplitKeys(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +()/-", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// Validate tidies in and checks the format of every field; it returns
// apperr.Invalid with a message per field. Field names: name, role_title,
// phone, email, fields, topics, availability, states, districts. Whether
// the keys exist is the service's question.
func (in *Input) Validate() error {
	trim := func(s *string) { *s = strings.TrimSpace(strings.ReplaceAll(*s, "\r\n", "\n")) }
	for _, p := range []*string{&in.Name, &in.RoleTitle, &in.Phone, &in.Email, &in.Topics, &in.Availability} {
		trim(p)
	}
	in.Fields = tidy(in.Fields)
	in.States = tidy(in.States)
	in.Districts = tidy(in.Districts)
	var v apperr.Validation
	text := func(field, value string, max int, required bool) {
		switch n := utf8.RuneCountInString(value); {
		case required && n == 0:
			v.Add(field, "contacts.error.required")
		case n > max:
			v.Add(field, "contacts.error.too_long", "Max", max)
		}
	}
	text("name", in.Name, MaxName, true)
	text("role_title", in.RoleTitle, MaxRoleTitle, true)
	text("topics", in.Topics, MaxTopics, false)
	text("availability", in.Availability, MaxAvailability, false)
	switch {
	case len(in.Phone) > MaxPhone:
		v.Add("phone", "contacts.error.too_long", "Max", MaxPhone)
	case in.Phone != "" && !validPhone(in.Phone):
		v.Add("phone", "contacts.error.phone")
	}
	if in.Email != "" {
		a, err := mail.ParseAddress(in.Email)
		if err != nil || a.Address != in.Email || len(in.Email) > MaxEmail || !strings.Contains(in.Email[strings.LastIndex(in.Email, "@")+1:], ".") {
			v.Add("email", "contacts.error.email")
		}
	}
	if len(in.Fields) > MaxFields {
		v.Add("fields", "contacts.error.too_many", "Max", MaxFields)
	}
	if len(in.States) == 0 {
		v.Add("states", "contacts.error.states")
	}
	for _, st := range in.States {
		if len(st) != 2 || !allDigits(st) || st < "01" || st > "16" {
			v.Add("states", "contacts.error.state_key", "Key", st)
			break
		}
	}
	if len(in.Districts) > MaxDistricts {
		v.Add("districts", "contacts.error.too_many", "Max", MaxDistricts)
	}
	for _, d := range in.Districts {
		if len(d) != 5 || !allDigits(d) {
			v.Add("districts", "contacts.error.district_key", "Key", d)
			break
		}
		if !slices.Contains(in.States, d[:2]) {
			v.Add("districts", "contacts.error.district_state", "Key", d)
			break
		}
	}
	return v.Err()
}

// tidy trims, drops empty and repeated entries and sorts.
func tidy(l []string) []string {
	out := []string{}
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// Action is what a user wants to do with contacts.
type Action int

// The actions of the rule.
const (
	// ActManage: create and delete contacts and edit all of their fields.
	ActManage Action = iota
	// ActEdit: open a contact's form and change its availability and
	// topics text (the advisor themself) or everything (operators).
	ActEdit
)

// Can is the rule: operators manage every contact; an advisor edits the
// availability and topics text of their own contact.
func Can(u *account.User, a Action, c *Contact) bool {
	if u == nil {
		return false
	}
	if slices.Contains(u.Roles, account.Operator) {
		return true
	}
	return a == ActEdit && c != nil && c.UserID == u.ID && u.Has(account.Advisor)
}
