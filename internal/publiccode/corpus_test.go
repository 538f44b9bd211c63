package publiccode

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample is one row of data/publiccode/INDEX.tsv with the file's bytes.
type sample struct {
	file    string
	version string
	notes   []string
	data    []byte
}

func loadSamples(tb testing.TB) []sample {
	tb.Helper()
	f, err := os.Open("../../data/publiccode/INDEX.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []sample
	for _, row := range rows[1:] {
		data, err := os.ReadFile(filepath.Join("../../data/publiccode/files", row[0]))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, sample{file: row[0], version: row[4], notes: strings.Split(row[5], "; "), data: data})
	}
	files, _ := filepath.Glob("../../data/publiccode/files/*.yml")
	if len(files) != len(out) || len(out) != 115 {
		tb.Fatalf("INDEX.tsv lists %d files, data/publiccode/files holds %d, want 115", len(out), len(files))
	}
	return out
}

func hasProblem(ps []Problem, code Code, path string) bool {
	for _, p := range ps {
		if p.Code == code && (path == "" || p.Path == path) {
			return true
		}
	}
	return false
}

// TestCorpus parses every real file: each is either valid or has at least
// one error with a line number, and the outcomes noted in INDEX.tsv hold.
func TestCorpus(t *testing.T) {
	valid := 0
	for _, s := range loadSamples(t) {
		t.Run(s.file, func(t *testing.T) {
			f, ps := Parse(s.data)
			for _, p := range ps {
				if p.Text("de") == "" || p.Text("en") == "" || strings.Contains(p.Text("en"), "%!") || strings.Contains(p.Text("de"), "%!") {
					t.Errorf("bad message text for %s", p)
				}
				if p.Line < 1 && p.Code != CodeNotUTF8 && p.Code != CodeEmpty {
					t.Errorf("problem without line: %s", p)
				}
			}
			if !HasErrors(ps) {
				valid++
				if f == nil {
					t.Fatal("no errors but no File")
				}
			}
			if f == nil && !HasErrors(ps) {
				t.Fatal("nil File without error")
			}
			for _, note := range s.notes {
				checkNote(t, note, f, ps)
			}
			if t.Failed() {
				for _, p := range ps {
					t.Log(p)
				}
			}
		})
	}
	t.Logf("%d of 115 sample files are valid", valid)
}

// checkNote turns one note of INDEX.tsv into an assertion.
func checkNote(t *testing.T, note string, f *File, ps []Problem) {
	t.Helper()
	want := func(code Code, path string) {
		t.Helper()
		if !hasProblem(ps, code, path) {
			t.Errorf("note %q: want problem %s at %q", note, code, path)
		}
	}
	switch {
	case note == "no YAML parse":
		want(CodeSyntax, "")
		if f != nil {
			t.Error("unparsable file gave a File")
		}
	case note == "not UTF-8":
		want(CodeNotUTF8, "")
	case note == "version not a string":
		want(CodeVersionNotString, "publiccodeYmlVersion")
	case strings.HasPrefix(note, "missing "):
		for _, key := range strings.Split(strings.TrimPrefix(note, "missing "), ",") {
			want(CodeRequired, key)
		}
	case strings.HasPrefix(note, "shortDescription[") && strings.HasSuffix(note, "]>150"):
		lang := strings.TrimSuffix(strings.TrimPrefix(note, "shortDescription["), "]>150")
		want(CodeTooLong, "description."+lang+".shortDescription")
	case strings.HasPrefix(note, "longDescription[") && strings.HasSuffix(note, "]<150"):
		lang := strings.TrimSuffix(strings.TrimPrefix(note, "longDescription["), "]<150")
		want(CodeTooShort, "description."+lang+".longDescription")
	case strings.HasPrefix(note, "maintenance.type="), strings.HasPrefix(note, "developmentStatus="),
		strings.HasPrefix(note, "softwareType="):
		want(CodeNotAllowed, strings.SplitN(note, "=", 2)[0])
	case strings.HasPrefix(note, "has ") && strings.HasSuffix(note, " section"):
		key := strings.TrimSuffix(strings.TrimPrefix(note, "has "), " section")
		if f == nil && HasErrors(ps) {
			return // not readable at all; other notes say why
		}
		if f == nil || f.Software.Countries[key] == nil {
			t.Errorf("note %q: country section %s not kept", note, key)
		}
	case strings.HasPrefix(note, "description langs "):
		if f == nil {
			return
		}
		for _, lang := range strings.Split(strings.TrimPrefix(note, "description langs "), "/") {
			if _, ok := f.Software.Description[lang]; !ok && !hasProblem(ps, CodeWrongType, "description."+lang) {
				t.Errorf("note %q: language %s neither mapped nor reported", note, lang)
			}
		}
	}
}

// TestRoundTrip writes every valid sample as version 0.7 and reads it back.
func TestRoundTrip(t *testing.T) {
	n := 0
	for _, s := range loadSamples(t) {
		f, ps := Parse(s.data)
		if HasErrors(ps) {
			continue
		}
		n++
		t.Run(s.file, func(t *testing.T) {
			out, err := Write(&f.Software)
			if err != nil {
				t.Fatalf("Write: %v\n%s", err, out)
			}
			g, ps2 := Parse(out)
			if HasErrors(ps2) {
				t.Fatalf("written file has errors: %v", ps2)
			}
			if g.Version != CurrentVersion {
				t.Errorf("written version %q", g.Version)
			}
			if !Equal(&f.Software, &g.Software) {
				t.Errorf("round trip changed the software\nbefore: %+v\nafter:  %+v\n%s", f.Software, g.Software, out)
			}
		})
	}
	if n == 0 {
		t.Fatal("no valid sample")
	}
}

func BenchmarkParseSamples(b *testing.B) {
	samples := loadSamples(b)
	b.ResetTimer()
	for b.Loop() {
		for _, s := range samples {
			Parse(s.data)
		}
	}
}
