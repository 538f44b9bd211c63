package gv100ad

import (
	"bytes"
	"unicode/utf8"
)

// record is one line of the register, sliced by characters (runes).
type record struct {
	n    int                // 1-based line number
	line []byte             // the line without its line ending
	off  [recordLen + 1]int // byte offset of each character; unused if ascii
	// ascii is true if every character is one byte, so columns are bytes.
	ascii bool
}

// reset makes r the record for line n, checking that line (valid UTF-8) is
// exactly recordLen characters. The parser reuses one record for all lines.
func (r *record) reset(n int, line []byte) error {
	r.n, r.line, r.ascii = n, line, len(line) == recordLen
	if c := utf8.RuneCount(line); c != recordLen {
		if c == 0 {
			return errorf(n, codeRecordLength, "", "blank line, expected a record of %d characters", recordLen)
		}
		return errorf(n, codeRecordLength, "", "record length %d, expected %d", c, recordLen)
	}
	if !r.ascii {
		i := 0
		for pos := range string(line) {
			r.off[i] = pos
			i++
		}
		r.off[recordLen] = len(line)
	}
	return nil
}

// raw returns columns from..to (1-based, inclusive) as they are.
func (r *record) raw(from, to int) []byte {
	if r.ascii {
		return r.line[from-1 : to]
	}
	return r.line[r.off[from-1]:r.off[to]]
}

// text returns columns from..to with surrounding blanks removed.
func (r *record) text(from, to int) string {
	return string(bytes.TrimSpace(r.raw(from, to)))
}

// checkKey checks the key columns 11–18: digits up to column end, blanks
// after it, and the Verband code in columns 19–22 (digits for Satzart 50
// and 60, blank otherwise).
func (r *record) checkKey(kind string, end int) error {
	if !isDigits(r.raw(11, end)) || (end < 18 && !isBlank(r.raw(end+1, 18))) {
		return errorf(r.n, codeAGS, keyField(kind), "key %q in columns 11–18 of Satzart %s: want digits in columns 11–%d, blanks after",
			r.raw(11, 18), kind, end)
	}
	code := r.raw(19, 22)
	if kind == "50" || kind == "60" {
		if !isDigits(code) {
			return errorf(r.n, codeAGS, "AssociationCode", "Gemeindeverband code %q is not 4 digits", code)
		}
	} else if !isBlank(code) {
		return errorf(r.n, codeAGS, "AssociationCode", "Gemeindeverband code %q must be blank in Satzart %s", code, kind)
	}
	return nil
}

// typeCode returns the Textkennzeichen (columns 123–124), 0 for record
// types that have none.
func (r *record) typeCode(kind string) (int, error) {
	raw := r.raw(123, 124)
	rng, ok := typeRange[kind]
	if !ok {
		if !isBlank(raw) {
			return 0, errorf(r.n, codeTypeCode, "Type", "Textkennzeichen %q must be blank in Satzart %s", raw, kind)
		}
		return 0, nil
	}
	v, ok := parseDigits(raw)
	if !ok || v < int64(rng[0]) || v > int64(rng[1]) {
		return 0, errorf(r.n, codeTypeCode, "Type", "Textkennzeichen %q is not in %d..%d for Satzart %s", raw, rng[0], rng[1], kind)
	}
	return int(v), nil
}

// municipality converts a checked Satzart-60 record.
func (r *record) municipality(typ int) (Municipality, error) {
	m := Municipality{AGS: string(r.raw(11, 18)), AssociationCode: string(r.raw(19, 22)), Name: r.text(23, 72), Type: typ, Line: r.n}
	var err error
	if m.AreaHa, err = r.number(129, 139, "AreaHa", true); err != nil {
		return m, err
	}
	if m.Population, err = r.number(140, 150, "Population", true); err != nil {
		return m, err
	}
	if m.PopulationMale, err = r.number(151, 161, "PopulationMale", false); err != nil {
		return m, err
	}
	if m.PopulationMale > m.Population {
		return m, errorf(r.n, codeNumber, "PopulationMale", "male population %d exceeds population %d", m.PopulationMale, m.Population)
	}
	plz := r.raw(166, 170)
	if !isBlank(plz) && !isDigits(plz) {
		return m, errorf(r.n, codeNumber, "Postcode", "postcode %q is neither blank nor 5 digits", plz)
	}
	m.Postcode = string(bytes.TrimSpace(plz))
	// "*****" marks several postcodes; anything else non-blank is read the same way.
	m.MultiplePostcodes = !isBlank(r.raw(171, 175))
	return m, nil
}

// number parses a zero-padded number field. A blank field is 0 unless
// required.
func (r *record) number(from, to int, field string, required bool) (int64, error) {
	raw := r.raw(from, to)
	if !required && isBlank(raw) {
		return 0, nil
	}
	v, ok := parseDigits(raw)
	if !ok {
		return 0, errorf(r.n, codeNumber, field, "%s %q in columns %d–%d is not a number", field, raw, from, to)
	}
	return v, nil
}

// parseDigits parses a non-empty run of ASCII digits (at most 18, so it
// cannot overflow).
func parseDigits(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// isBlank reports whether b holds only ASCII blanks (or nothing).
func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}
