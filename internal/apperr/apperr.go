// Package apperr defines the small set of error codes that the domain
// packages return and that the HTTP layer maps to status codes in one place.
//
// Messages are translation keys with arguments, not finished sentences, so
// that every user sees them in the language of the page or API request.
package apperr

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Code classifies an error for the user and for HTTP.
type Code string

// The codes. Internal is the default for any error that is not an *Error.
const (
	Invalid         Code = "invalid"
	NotFound        Code = "not_found"
	Conflict        Code = "conflict"
	Forbidden       Code = "forbidden"
	Unauthenticated Code = "unauthenticated"
	TooMany         Code = "too_many_requests"
	Internal        Code = "internal"
)

// Message is a translation key with its template data, as key/value pairs.
type Message struct {
	Key  string
	Args []any
}

// FieldError is a validation message for one named input field or query
// parameter.
type FieldError struct {
	Field string
	Message
}

// Error is a domain error. The message is safe to show; Err, the cause, is
// only logged.
type Error struct {
	Code   Code
	Msg    Message
	Fields []FieldError
	Err    error
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Msg.Key
	for _, f := range e.Fields {
		s += fmt.Sprintf(" [%s: %s %v]", f.Field, f.Key, f.Args)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with code, message key and its arguments.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Msg: Message{Key: key, Args: args}}
}

// Wrap returns an error with code and message key that keeps err as cause.
func Wrap(err error, code Code, key string, args ...any) *Error {
	return &Error{Code: code, Msg: Message{Key: key, Args: args}, Err: err}
}

// Validation collects field errors. Add records one; Err returns nil when
// none was added.
type Validation struct{ fields []FieldError }

// Add records a message for field.
func (v *Validation) Add(field, key string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: Message{Key: key, Args: args}})
}

// Text checks a free-text field: present when required, at most max
// characters (runes). Its messages are form.error.required and
// form.error.too_long.
func (v *Validation) Text(field, s string, max int, required bool) {
	switch n := utf8.RuneCountInString(s); {
	case required && n == 0:
		v.Add(field, "form.error.required")
	case n > max:
		v.Add(field, "form.error.too_long", "Max", max)
	}
}

// Err returns an Invalid error with the collected fields, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Msg: Message{Key: "error.invalid"}, Fields: v.fields}
}

// CodeOf returns the code of the first *Error in err's chain, Internal for
// any other non-nil error, and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }
