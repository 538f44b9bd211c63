package attachment

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func zipOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheck(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	tests := []struct {
		name, file string
		data       []byte
		typ, why   string
	}{
		{"pdf", "a.pdf", []byte("%PDF-1.7\n"), "application/pdf", ""},
		{"png, extension in capitals", "Bild.PNG", png, "image/png", ""},
		{"text", "notiz.txt", []byte("Hallo"), "text/plain", ""},
		{"csv", "liste.csv", []byte("a;b\n1;2\n"), "text/csv", ""},
		{"docx by content types", "a.docx", zipOf(t, map[string]string{"[Content_Types].xml": `<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`}), docx, ""},
		{"docx by its main part", "a.docx", zipOf(t, map[string]string{"word/document.xml": "<x/>"}), docx, ""},
		{"xlsx", "a.xlsx", zipOf(t, map[string]string{"xl/workbook.xml": "<x/>"}), xlsx, ""},
		{"odt", "a.odt", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text"}), "application/vnd.oasis.opendocument.text", ""},
		{"other zip", "a.docx", zipOf(t, map[string]string{"evil.exe": "MZ"}), "", BadType},
		{"png named pdf", "a.pdf", png, "", BadType},
		{"html named txt", "a.txt", []byte("<html><script>alert(1)</script>"), "", BadType},
		{"empty", "a.txt", nil, "", Empty},
		{"too large", "a.txt", []byte(strings.Repeat("a", MaxSize+1)), "", TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, why := Check(File{Name: tt.file, Data: tt.data})
			if typ != tt.typ || why != tt.why {
				t.Errorf("(%q, %q), want (%q, %q)", typ, why, tt.typ, tt.why)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\eva\Bericht.pdf`: "Bericht.pdf",
		"../../etc/passwd":         "passwd",
		"a\"b\r\n.txt":             "ab.txt",
		"":                         "anhang",
		"/":                        "anhang",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
