package gv100ad

import "fmt"

// Error codes used in ParseError.Code.
const (
	codeEncoding     = "encoding"      // invalid UTF-8
	codeRecordLength = "record_length" // record is not 220 characters long (also blank or truncated lines)
	codeRecordType   = "record_type"   // unknown Satzart
	codeDate         = "date"          // bad or inconsistent Gebietsstand
	codeAGS          = "ags"           // malformed key or missing parent record
	codeNumber       = "number"        // malformed number (area, population, coordinates, …)
	codeTypeCode     = "type_code"     // Textkennzeichen or urbanisation code out of range
	codeEmpty        = "empty"         // no municipality records at all
	codeDuplicate    = "duplicate"     // same key twice
	codeHeader       = "header"        // extract: required CSV column missing
	codeCSV          = "csv"           // extract: malformed CSV
)

// ParseError reports the 1-based line and why it was refused.
//
// Code is one of "encoding", "record_length", "record_type", "date", "ags",
// "number", "type_code", "empty" and "duplicate"; ParseExtract may also
// report "header" (a required column is missing) and "csv" (the CSV syntax is
// broken or a row has the wrong number of fields). Field names the offending
// field where one applies (for example "Population"), and Detail says what
// was wrong. Line is 0 for errors that concern the whole input ("empty").
type ParseError struct {
	Line   int
	Code   string
	Field  string
	Detail string
}

// Error formats the error as "line N: detail", or just the detail when the
// error has no line.
func (e *ParseError) Error() string {
	if e.Line <= 0 {
		return e.Detail
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Detail)
}

func errorf(line int, code, field, format string, args ...any) *ParseError {
	return &ParseError{Line: line, Code: code, Field: field, Detail: fmt.Sprintf(format, args...)}
}
