package gv100ad

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// recordLen is the length of a GV100AD record in characters (not bytes).
const recordLen = 220

var bom = []byte{0xEF, 0xBB, 0xBF}

// keyEnd is, per Satzart, the last column (1-based) of the key part in
// columns 11–18 that must be digits; the rest up to column 18 is blank.
var keyEnd = map[string]int{"10": 12, "20": 13, "30": 14, "40": 15, "50": 15, "60": 18}

// typeRange is, per Satzart, the allowed Textkennzeichen (columns 123–124);
// record types without an entry must leave it blank.
var typeRange = map[string][2]int{"40": {41, 45}, "50": {50, 58}, "60": {60, 67}}

// Parse reads a GV100AD register: UTF-8, optionally with a byte-order mark,
// one 220-character record per line, LF or CRLF line endings, the last
// newline optional. It checks every record (encoding, length, Satzart,
// Gebietsstand, keys, Textkennzeichen, numbers, duplicates and that each
// record's parent came before it) and returns a *ParseError for the first
// record it refuses. An error from r itself is returned wrapped, not as a
// *ParseError.
func Parse(r io.Reader) (*Register, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	p := newParser()
	var long []byte // a line longer than br's buffer
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long = append(long[:0], line...)
			for err == bufio.ErrBufferFull {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("gv100ad: read register: %w", err)
		}
		if len(line) == 0 { // end of input after a final newline
			break
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, bom)
			if len(line) == 0 && err == io.EOF { // only a BOM
				break
			}
		}
		line = bytes.TrimSuffix(line, []byte{'\n'})
		if err := p.record(n, bytes.TrimSuffix(line, []byte{'\r'})); err != nil {
			return nil, err
		}
		if err == io.EOF {
			break
		}
	}
	if len(p.reg.Municipalities) == 0 {
		return nil, errorf(0, codeEmpty, "", "no municipality records (Satzart 60)")
	}
	return p.reg, nil
}

// parser holds the state carried from one record to the next.
type parser struct {
	reg  *Register
	date []byte           // raw Gebietsstand of the first record
	seen map[key]struct{} // records seen so far
	rec  record           // the current line, reused
}

func newParser() *parser {
	return &parser{reg: &Register{}, seen: make(map[key]struct{}, 16384)}
}

// key identifies a record without allocating: Satzart, the key digits of
// columns 11–18 and the Verband code, blank-padded.
type key [14]byte

func makeKey(kind string, digits, verband []byte) key {
	k := key{0: kind[0], 1: kind[1]}
	copy(k[2:10], "        ")
	copy(k[10:], "    ")
	copy(k[2:10], digits)
	copy(k[10:], verband)
	return k
}

// String returns the key as Satzart and key digits, for error messages.
func (k key) String() string {
	return string(k[:2]) + " " + strings.TrimSpace(string(k[2:10])+string(k[10:]))
}

// satzart returns the record type as a constant string, "" if unknown.
func satzart(b []byte) string {
	switch string(b) {
	case "10":
		return "10"
	case "20":
		return "20"
	case "30":
		return "30"
	case "40":
		return "40"
	case "50":
		return "50"
	case "60":
		return "60"
	}
	return ""
}

// record checks one line (without line ending) and appends it to the
// register.
func (p *parser) record(n int, line []byte) error {
	if !utf8.Valid(line) {
		return errorf(n, codeEncoding, "", "invalid UTF-8")
	}
	rec := &p.rec
	if err := rec.reset(n, line); err != nil {
		return err
	}
	kind := satzart(rec.raw(1, 2))
	end, ok := keyEnd[kind]
	if !ok {
		return errorf(n, codeRecordType, "Satzart", "unknown Satzart %q", rec.raw(1, 2))
	}
	if err := p.checkDate(rec); err != nil {
		return err
	}
	if err := rec.checkKey(kind, end); err != nil {
		return err
	}
	typ, err := rec.typeCode(kind)
	if err != nil {
		return err
	}
	var verband []byte
	if kind == "50" {
		verband = rec.raw(19, 22)
	}
	k := makeKey(kind, rec.raw(11, end), verband)
	if _, dup := p.seen[k]; dup {
		return errorf(n, codeDuplicate, keyField(kind), "Satzart %s occurs twice", k)
	}
	if err := p.checkParent(rec, kind); err != nil {
		return err
	}
	p.seen[k] = struct{}{}
	return p.add(rec, kind, typ)
}

// checkDate checks the Gebietsstand (columns 3–10) and that it equals the
// first record's.
func (p *parser) checkDate(rec *record) error {
	raw := rec.raw(3, 10)
	if p.date != nil {
		if !bytes.Equal(raw, p.date) {
			return errorf(rec.n, codeDate, "Date", "Gebietsstand %q differs from %q of the first record", raw, p.date)
		}
		return nil
	}
	t, err := time.Parse("20060102", string(raw))
	if !isDigits(raw) || err != nil {
		return errorf(rec.n, codeDate, "Date", "invalid Gebietsstand %q, expected YYYYMMDD", raw)
	}
	p.date = bytes.Clone(raw)
	p.reg.Date = t
	return nil
}

// checkParent checks that the record's Land, Kreis and Gemeindeverband
// records came before it. Gemeindeverbände and Gemeinden with Kreis part
// "000" (Land-level gemeindefreie Gebiete such as coastal waters) belong
// directly to their Land.
func (p *parser) checkParent(rec *record, kind string) error {
	if kind == "10" {
		return nil
	}
	parents := [2]key{makeKey("10", rec.raw(11, 12), nil)}
	n := 1
	if kind == "50" || kind == "60" {
		if string(rec.raw(13, 15)) != "000" {
			parents[0] = makeKey("40", rec.raw(11, 15), nil)
		}
		if kind == "60" {
			parents[1], n = makeKey("50", rec.raw(11, 15), rec.raw(19, 22)), 2
		}
	}
	for _, parent := range parents[:n] {
		if _, ok := p.seen[parent]; !ok {
			return errorf(rec.n, codeAGS, keyField(kind), "no record Satzart %s before this Satzart-%s record", parent, kind)
		}
	}
	return nil
}

// keyField names the key field of a Satzart in a ParseError.
func keyField(kind string) string {
	if kind == "60" {
		return "AGS"
	}
	return "Key"
}

// add converts the checked record and appends it to the register.
func (p *parser) add(rec *record, kind string, typ int) error {
	r := p.reg
	switch kind {
	case "10":
		r.States = append(r.States, State{Key: string(rec.raw(11, 12)),
			Name: rec.text(23, 72), Seat: rec.text(73, 122), Line: rec.n})
	case "40":
		r.Districts = append(r.Districts, District{Key: string(rec.raw(11, 15)),
			Name: rec.text(23, 72), Seat: rec.text(73, 122), Type: typ, Line: rec.n})
	case "50":
		r.Associations = append(r.Associations, Association{DistrictKey: string(rec.raw(11, 15)), Code: string(rec.raw(19, 22)),
			Name: rec.text(23, 72), Seat: rec.text(73, 122), Type: typ, Line: rec.n})
	case "60":
		m, err := rec.municipality(typ)
		if err != nil {
			return err
		}
		r.Municipalities = append(r.Municipalities, m)
	}
	return nil
}
