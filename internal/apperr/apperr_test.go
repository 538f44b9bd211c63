package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeOf(t *testing.T) {
	nf := New(NotFound, "error.not_found")
	tests := []struct {
		name string
		err  error
		want Code
	}{
		{"nil", nil, ""},
		{"plain", errors.New("boom"), Internal},
		{"direct", nf, NotFound},
		{"wrapped", fmt.Errorf("store: municipality 123: %w", nf), NotFound},
		{"cause kept", Wrap(errors.New("x"), Conflict, "k"), Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.want {
				t.Fatalf("CodeOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidation(t *testing.T) {
	var v Validation
	if v.Err() != nil {
		t.Fatal("empty validation must be nil")
	}
	v.Add("page", "error.page_range", "Max", 3)
	err := v.Err()
	var e *Error
	if !errors.As(err, &e) || e.Code != Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "page" {
		t.Fatalf("unexpected %#v", err)
	}
}

func TestValidationText(t *testing.T) {
	for _, tc := range []struct {
		s        string
		required bool
		want     string
	}{
		{"", true, "form.error.required"},
		{"", false, ""},
		{"äöü", true, ""}, // three characters, six bytes
		{"äöüß", true, "form.error.too_long"},
	} {
		var v Validation
		v.Text("f", tc.s, 3, tc.required)
		got := ""
		if e, ok := v.Err().(*Error); ok {
			got = e.Fields[0].Key
		}
		if got != tc.want {
			t.Errorf("Text(%q, required %v) = %q, want %q", tc.s, tc.required, got, tc.want)
		}
	}
}
