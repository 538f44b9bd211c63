package knowledge_test

import (
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/knowledge"
)

// FuzzCheckFile: any upload gives an allowed type or a message key, never
// a panic; an accepted file's type agrees with its extension.
func FuzzCheckFile(f *testing.F) {
	f.Add("a.pdf", []byte("%PDF-1.7\n"))
	f.Add("a.docx", []byte("PK\x03\x04"))
	f.Add("a.csv", []byte("a;b\n"))
	f.Add("a.txt", []byte("<html>"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		typ, msg := knowledge.CheckFile(knowledge.File{Name: name, Data: data})
		if (typ == "") == (msg == "") {
			t.Fatalf("type %q and message %q", typ, msg)
		}
		if typ != "" && knowledge.Sniff(name, data) != typ {
			t.Errorf("accepted as %s, sniffed as %s", typ, knowledge.Sniff(name, data))
		}
		if clean := knowledge.CleanName(name); clean == "" || strings.ContainsAny(clean, "\"/\r\n") {
			t.Errorf("clean name %q of %q", clean, name)
		}
	})
}

// FuzzLineDiff: the diff's kept and added lines give the new text, its
// kept and removed lines the old one.
func FuzzLineDiff(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		var olds, news []string
		for _, l := range knowledge.LineDiff(a, b) {
			if l.Op != knowledge.Added {
				olds = append(olds, l.Text)
			}
			if l.Op != knowledge.Removed {
				news = append(news, l.Text)
			}
		}
		norm := func(s string) string { return strings.TrimSuffix(s, "\n") }
		if strings.Join(olds, "\n") != norm(a) && a != "" {
			t.Errorf("old text %q from %q", strings.Join(olds, "\n"), a)
		}
		if strings.Join(news, "\n") != norm(b) && b != "" {
			t.Errorf("new text %q from %q", strings.Join(news, "\n"), b)
		}
	})
}
