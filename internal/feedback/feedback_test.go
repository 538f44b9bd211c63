package feedback

import (
	"context"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/apperr"
)

type memStore struct{ items []Feedback }

func (m *memStore) AddFeedback(_ context.Context, f Feedback) error {
	m.items = append(m.items, f)
	return nil
}
func (m *memStore) Feedback(context.Context, int) ([]Feedback, error) { return m.items, nil }

func TestSubmitValidation(t *testing.T) {
	tests := []struct {
		name   string
		in     Feedback
		fields []string
	}{
		{"ok", Feedback{Message: "Der Kontrast ist zu gering."}, nil},
		{"ok with all", Feedback{Name: "Eva", Email: "eva@example.org", Page: "/kommunen", Message: "x"}, nil},
		{"empty message", Feedback{Message: "   "}, []string{"message"}},
		{"long message", Feedback{Message: strings.Repeat("ä", MaxMessage+1)}, []string{"message"}},
		{"bad email", Feedback{Message: "x", Email: "not an address"}, []string{"email"}},
		{"email with name", Feedback{Message: "x", Email: "Eva <eva@example.org>"}, []string{"email"}},
		{"long name", Feedback{Message: "x", Name: strings.Repeat("a", MaxName+1)}, []string{"name"}},
		{"nul byte", Feedback{Message: "a\x00b"}, []string{"message"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &memStore{}
			_, err := NewService(st).Submit(context.Background(), tt.in)
			if tt.fields == nil {
				if err != nil || len(st.items) != 1 {
					t.Fatalf("err = %v, stored %d", err, len(st.items))
				}
				return
			}
			var e *apperr.Error
			if !asErr(err, &e) || e.Code != apperr.Invalid {
				t.Fatalf("err = %v", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") || len(st.items) != 0 {
				t.Fatalf("fields = %v, stored %d", got, len(st.items))
			}
		})
	}
}
