package alert

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/search"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name, raw string
		want      search.Query
		canonical string
		fields    []string // fields with errors; none when valid
	}{
		{"empty", "", search.Query{Filters: search.Filters{}}, "", nil},
		{"text", "q=Parken", search.Query{Text: "Parken", Filters: search.Filters{}}, "q=Parken", nil},
		{"leading ? and blanks", "?q=+Parken+", search.Query{Text: "Parken", Filters: search.Filters{}}, "q=Parken", nil},
		{"facets sorted, repeated values once", "reife=pilot&feld=mobility&reife=concept&reife=pilot",
			search.Query{Filters: search.Filters{search.FacetField: {"mobility"}, search.FacetMaturity: {"concept", "pilot"}}},
			"feld=mobility&reife=concept&reife=pilot", nil},
		{"open source in the page's words", "offen=ja", search.Query{Filters: search.Filters{search.FacetOpen: {"yes"}}}, "offen=ja", nil},
		{"sort", "q=Daten&sort=neu", search.Query{Text: "Daten", Sort: search.SortNewest, Filters: search.Filters{}}, "q=Daten&sort=neu", nil},
		{"cursor and language dropped", "q=Daten&nach=0195f2a4-7c1e-7d3a-9b51-6c2f0e8a4b11&lang=en",
			search.Query{Text: "Daten", Filters: search.Filters{}}, "q=Daten", nil},
		{"empty values dropped", "q=&feld=", search.Query{Filters: search.Filters{}}, "", nil},
		{"umlauts kept", "q=M%C3%BCnchen", search.Query{Text: "München", Filters: search.Filters{}}, "q=M%C3%BCnchen", nil},
		{"unknown parameter", "q=x&farbe=rot", search.Query{}, "", []string{"farbe"}},
		{"repeated q", "q=a&q=b", search.Query{}, "", []string{"q"}},
		{"unknown open value", "offen=vielleicht", search.Query{}, "", []string{"offen"}},
		{"unknown sort", "sort=zufall", search.Query{}, "", []string{"sort"}},
		{"malformed", "q=%zz", search.Query{}, "", []string{"query"}},
		{"too long", "q=" + strings.Repeat("a", MaxQuery), search.Query{}, "", []string{"query"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQuery(tt.raw)
			if tt.fields != nil {
				if fields := fieldsOf(err); !reflect.DeepEqual(fields, tt.fields) {
					t.Fatalf("ParseQuery(%q) error fields %v (%v), want %v", tt.raw, fields, err, tt.fields)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tt.raw, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseQuery(%q) = %#v, want %#v", tt.raw, got, tt.want)
			}
			if c := Canonical(got); c != tt.canonical {
				t.Errorf("Canonical = %q, want %q", c, tt.canonical)
			}
			// The canonical form reads back to the same search.
			again, err := ParseQuery(Canonical(got))
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("round trip of %q: %#v, %v", Canonical(got), again, err)
			}
		})
	}
}

func fieldsOf(err error) []string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestSince(t *testing.T) {
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	run := created.Add(48 * time.Hour)
	for _, tt := range []struct {
		name string
		s    SavedSearch
		want time.Time
	}{
		{"never run", SavedSearch{Created: created}, created},
		{"run", SavedSearch{Created: created, LastRun: &run}, run},
	} {
		if got := tt.s.Since(); !got.Equal(tt.want) {
			t.Errorf("%s: Since = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCan(t *testing.T) {
	s := SavedSearch{UserID: "eva"}
	for _, tt := range []struct {
		user string
		want bool
	}{{"eva", true}, {"bob", false}, {"", false}} {
		if got := Can(tt.user, s); got != tt.want {
			t.Errorf("Can(%q) = %v, want %v", tt.user, got, tt.want)
		}
	}
}

// memStore keeps saved searches for the validation tests.
type memStore struct {
	Store
	saved []SavedSearch
}

func (m *memStore) CreateSavedSearch(_ context.Context, s SavedSearch, max int) error {
	n := 0
	for _, x := range m.saved {
		if x.UserID == s.UserID {
			n++
		}
	}
	if n >= max {
		return apperr.New(apperr.Conflict, "saved.error.limit", "Max", max)
	}
	m.saved = append(m.saved, s)
	return nil
}

// checkSearcher refuses what the search refuses: here an unknown field
// of action.
type checkSearcher struct{}

func (checkSearcher) Search(_ context.Context, q search.Query) (search.Result, error) {
	var v apperr.Validation
	for _, f := range q.Filters[search.FacetField] {
		if f != "mobility" {
			v.Add(search.FacetField, "catalog.error.field_unknown", "Key", f)
		}
	}
	if q.Limit != 1 {
		v.Add("limit", "error.param.limit")
	}
	return search.Result{}, v.Err()
}

func TestCreate(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	eva := account.User{ID: "eva"}
	tests := []struct {
		name, saveName, query, lang string
		wantName, wantQuery         string
		code                        apperr.Code
		fields                      []string
	}{
		{"named", "Parken in der Stadt", "q=Parken&feld=mobility", "de", "Parken in der Stadt", "feld=mobility&q=Parken", "", nil},
		{"name from the text", "", "q=Parken++Innenstadt", "de", "Parken Innenstadt", "q=Parken++Innenstadt", "", nil},
		{"general name in German", " ", "feld=mobility", "de", "Gespeicherte Suche", "feld=mobility", "", nil},
		{"general name in English", "", "", "en", "Saved search", "", "", nil},
		{"blanks in the name folded", "  Parken \n Stadt ", "q=Parken", "de", "Parken Stadt", "q=Parken", "", nil},
		{"name too long", strings.Repeat("x", MaxName+1), "q=Parken", "de", "", "", apperr.Invalid, []string{"name"}},
		{"long name at the limit", strings.Repeat("ä", MaxName), "q=Parken", "de", strings.Repeat("ä", MaxName), "q=Parken", "", nil},
		{"unknown parameter", "x", "q=Parken&farbe=rot", "de", "", "", apperr.Invalid, []string{"farbe"}},
		{"unknown field of action, as the search says", "x", "feld=raumfahrt", "de", "", "", apperr.Invalid, []string{search.FacetField}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := NewService(&memStore{}, checkSearcher{}, nil, bundle, "http://platform.test", nil)
			got, err := svc.Create(t.Context(), eva, tt.saveName, tt.query, tt.lang)
			if tt.code != "" {
				if apperr.CodeOf(err) != tt.code || !reflect.DeepEqual(fieldsOf(err), tt.fields) {
					t.Fatalf("error %v (fields %v), want %s %v", err, fieldsOf(err), tt.code, tt.fields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.wantName || got.Query != tt.wantQuery || got.UserID != eva.ID || got.ID == "" {
				t.Errorf("saved %+v, want name %q query %q", got, tt.wantName, tt.wantQuery)
			}
		})
	}
	t.Run("limit", func(t *testing.T) {
		svc := NewService(&memStore{}, checkSearcher{}, nil, bundle, "", nil)
		for i := range MaxPerUser {
			if _, err := svc.Create(t.Context(), eva, "", "q=Suche"+strings.Repeat("x", i), "de"); err != nil {
				t.Fatal(err)
			}
		}
		_, err := svc.Create(t.Context(), eva, "", "q=eine+zu+viel", "de")
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("search %d: %v, want a conflict", MaxPerUser+1, err)
		}
		var e *apperr.Error
		if !errors.As(err, &e) {
			t.Fatalf("%v is no apperr.Error", err)
		}
		if msg := bundle.T("de", e.Msg.Key, e.Msg.Args...); !strings.Contains(msg, "20") {
			t.Errorf("message %q does not name the limit", msg)
		}
		if _, err := svc.Create(t.Context(), account.User{ID: "bob"}, "", "q=Parken", "de"); err != nil {
			t.Errorf("another user: %v", err)
		}
	})
}

func (m *memStore) SavedSearches(_ context.Context, userID string) ([]SavedSearch, error) {
	var out []SavedSearch
	for _, s := range m.saved {
		if s.UserID == userID {
			out = append(out, s)
		}
	}
	return out, nil
}

func TestExport(t *testing.T) {
	st := &memStore{saved: []SavedSearch{{ID: "s1", UserID: "eva", Name: "Parken", Query: "q=Parken", Lang: "de"},
		{ID: "s2", UserID: "bob", Name: "Daten", Query: "q=Daten", Lang: "de"}}}
	svc := NewService(st, checkSearcher{}, nil, nil, "", nil)
	e := account.Export{Mails: []account.ExportMail{{Text: "Abbestellen: http://platform.test/suchen/abbestellen/Ab-c_9xyz\nVerwalten: http://platform.test/konto/suchen"}}}
	if err := svc.Export(t.Context(), "eva", &e); err != nil {
		t.Fatal(err)
	}
	got, _ := e.Extra["saved_searches"].([]ExportSearch)
	if len(got) != 1 || got[0].ID != "s1" || got[0].Query != "q=Parken" {
		t.Errorf("exported %+v", e.Extra["saved_searches"])
	}
	if text := e.Mails[0].Text; strings.Contains(text, "Ab-c_9xyz") || !strings.Contains(text, "/suchen/abbestellen/…") ||
		!strings.Contains(text, "/konto/suchen") {
		t.Errorf("mail text in the export: %q", text)
	}
}
