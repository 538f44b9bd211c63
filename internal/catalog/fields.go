// Package catalog holds the solution catalogue of the digital marketplace.
// This file: the fields of action (Handlungsfelder), a curated two-level
// taxonomy that solutions, needs and knowledge are filed under. The
// platform ships a default (fields.json); operators edit it.
package catalog

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// Field is a field of action; top-level fields have children, children
// have none (two levels).
type Field struct {
	Key      string // "mobility" or "mobility.parking"
	Parent   string // "" for a top-level field
	LabelDE  string
	LabelEN  string
	Position int
	Children []Field
}

// Label returns the label in lang (German unless "en").
func (f Field) Label(lang string) string {
	if lang == "en" {
		return f.LabelEN
	}
	return f.LabelDE
}

//go:embed fields.json
var defaultFieldsJSON []byte

type jsonField struct {
	Key      string      `json:"key"`
	DE       string      `json:"de"`
	EN       string      `json:"en"`
	Children []jsonField `json:"children"`
}

// DefaultFields returns the shipped taxonomy, flat, parents before their
// children, with positions.
func DefaultFields() ([]Field, error) {
	var top []jsonField
	if err := json.Unmarshal(defaultFieldsJSON, &top); err != nil {
		return nil, fmt.Errorf("catalog: fields.json: %w", err)
	}
	var out []Field
	for i, t := range top {
		out = append(out, Field{Key: t.Key, LabelDE: t.DE, LabelEN: t.EN, Position: i + 1})
		for j, c := range t.Children {
			out = append(out, Field{Key: c.Key, Parent: t.Key, LabelDE: c.DE, LabelEN: c.EN, Position: j + 1})
		}
	}
	return out, nil
}

// Tree arranges flat fields (ordered by position) into the two levels.
func Tree(flat []Field) []Field {
	var top []Field
	index := map[string]int{}
	for _, f := range flat {
		if f.Parent == "" {
			index[f.Key] = len(top)
			top = append(top, f)
		}
	}
	for _, f := range flat {
		if i, ok := index[f.Parent]; ok && f.Parent != "" {
			top[i].Children = append(top[i].Children, f)
		}
	}
	return top
}

// FieldStore is what the fields of action need from the database. Writes
// return apperr.NotFound for unknown keys and apperr.Conflict for a key in
// use; each runs in one transaction with its audit entry.
type FieldStore interface {
	// Fields returns all fields, parents before children, by position.
	Fields(ctx context.Context) ([]Field, error)
	// SeedFields stores fields when there are none yet and reports
	// whether it did.
	SeedFields(ctx context.Context, fields []Field) (bool, error)
	// AddField appends a field after its siblings.
	AddField(ctx context.Context, f Field, audit account.AuditEntry) error
	UpdateField(ctx context.Context, key, labelDE, labelEN string, audit account.AuditEntry) error
	// MoveField swaps a field with its previous (up) or next sibling.
	MoveField(ctx context.Context, key string, up bool, audit account.AuditEntry) error
	// DeleteField removes a field; apperr.Invalid
	// ("catalog.error.field_has_children") while it has children.
	DeleteField(ctx context.Context, key string, audit account.AuditEntry) error
}

// Fields is the service of the fields of action.
type Fields struct{ store FieldStore }

// NewFields returns the service.
func NewFields(store FieldStore) *Fields { return &Fields{store: store} }

// All returns the taxonomy as a tree.
func (s *Fields) All(ctx context.Context) ([]Field, error) {
	flat, err := s.store.Fields(ctx)
	if err != nil {
		return nil, err
	}
	return Tree(flat), nil
}

// Ensure stores the shipped taxonomy on a database that has none.
func (s *Fields) Ensure(ctx context.Context) (bool, error) {
	def, err := DefaultFields()
	if err != nil {
		return false, err
	}
	return s.store.SeedFields(ctx, def)
}

// CanEditFields is the rule of the taxonomy: operators edit it.
func CanEditFields(u *account.User) bool { return u != nil && u.Has(account.Operator) }

var reFieldSlug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func checkLabels(v *apperr.Validation, de, en string) (string, string) {
	de, en = strings.Join(strings.Fields(de), " "), strings.Join(strings.Fields(en), " ")
	v.Text("label_de", de, 100, true)
	v.Text("label_en", en, 100, true)
	return de, en
}

func fieldAudit(u account.User, action, key string, m account.Meta, details map[string]any) account.AuditEntry {
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: u.ID, ActorLabel: u.Email, Action: action,
		ObjectType: "field_of_action", ObjectID: key, Details: details, IP: m.IP}
}

// Add creates a field: top-level when parent is "", else a child of the
// top-level field parent. slug becomes the last part of its key.
func (s *Fields) Add(ctx context.Context, u account.User, parent, slug, labelDE, labelEN string, m account.Meta) (Field, error) {
	if !CanEditFields(&u) {
		return Field{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var v apperr.Validation
	slug = strings.ToLower(strings.TrimSpace(slug))
	if !reFieldSlug.MatchString(slug) || len(slug) > 60 {
		v.Add("slug", "catalog.error.field_slug")
	}
	if parent != "" {
		flat, err := s.store.Fields(ctx)
		if err != nil {
			return Field{}, err
		}
		ok := false
		for _, f := range flat {
			ok = ok || f.Key == parent && f.Parent == ""
		}
		if !ok {
			v.Add("parent", "catalog.error.field_parent")
		}
	}
	labelDE, labelEN = checkLabels(&v, labelDE, labelEN)
	if err := v.Err(); err != nil {
		return Field{}, err
	}
	f := Field{Key: slug, Parent: parent, LabelDE: labelDE, LabelEN: labelEN}
	if parent != "" {
		f.Key = parent + "." + slug
	}
	err := s.store.AddField(ctx, f, fieldAudit(u, "catalog.field_added", f.Key, m, map[string]any{"de": labelDE, "en": labelEN}))
	if apperr.Is(err, apperr.Conflict) {
		return Field{}, &apperr.Error{Code: apperr.Invalid, Msg: apperr.Message{Key: "error.invalid"},
			Fields: []apperr.FieldError{{Field: "slug", Message: apperr.Message{Key: "catalog.error.field_taken", Args: []any{"Key", f.Key}}}}}
	}
	return f, err
}

// Update renames a field.
func (s *Fields) Update(ctx context.Context, u account.User, key, labelDE, labelEN string, m account.Meta) error {
	if !CanEditFields(&u) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var v apperr.Validation
	labelDE, labelEN = checkLabels(&v, labelDE, labelEN)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.UpdateField(ctx, key, labelDE, labelEN, fieldAudit(u, "catalog.field_renamed", key, m, map[string]any{"de": labelDE, "en": labelEN}))
}

// Move moves a field one place up or down among its siblings.
func (s *Fields) Move(ctx context.Context, u account.User, key string, up bool, m account.Meta) error {
	if !CanEditFields(&u) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.store.MoveField(ctx, key, up, fieldAudit(u, "catalog.field_moved", key, m, map[string]any{"up": up}))
}

// Delete removes a field without children.
func (s *Fields) Delete(ctx context.Context, u account.User, key string, m account.Meta) error {
	if !CanEditFields(&u) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.store.DeleteField(ctx, key, fieldAudit(u, "catalog.field_deleted", key, m, nil))
}
