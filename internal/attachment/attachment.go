// Package attachment checks uploaded documents (advice requests,
// knowledge articles): the type comes from the content, and the name's
// extension must agree with it; the size is bounded.
package attachment

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
)

// MaxSize is the largest file accepted, in bytes.
const MaxSize = 10 << 20

// File is an uploaded file before it is checked.
type File struct {
	Name string
	Data []byte
}

// allowed maps the content's type to the extensions a name may have.
var allowed = map[string][]string{
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"text/plain":      {".txt"},
	"text/csv":        {".csv"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       {".xlsx"},
	"application/vnd.oasis.opendocument.text":                                 {".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":                          {".ods"},
}

// Sniff returns the type of a file from its content and name, or "" when
// it is none of the allowed types. Text is plain text or CSV by its
// extension (their content cannot tell them apart); office files are zip
// archives told apart by their "mimetype" entry (OpenDocument) or
// [Content_Types].xml (Office Open XML).
func Sniff(name string, data []byte) string {
	ct, _, _ := strings.Cut(http.DetectContentType(data), ";")
	switch ct {
	case "application/pdf", "image/png", "image/jpeg":
		return ct
	case "text/plain":
		if strings.EqualFold(filepath.Ext(name), ".csv") {
			return "text/csv"
		}
		return ct
	case "application/zip":
		return sniffZip(data)
	}
	return ""
}

func sniffZip(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	for _, f := range zr.File {
		switch f.Name {
		case "mimetype":
			s := readEntry(f, 128)
			if s == "application/vnd.oasis.opendocument.text" || s == "application/vnd.oasis.opendocument.spreadsheet" {
				return s
			}
			return ""
		case "[Content_Types].xml":
			s := readEntry(f, 64<<10)
			switch {
			case strings.Contains(s, "wordprocessingml.document.main+xml"):
				return docx
			case strings.Contains(s, "spreadsheetml.sheet.main+xml"):
				return xlsx
			}
		case "word/document.xml": // the main part, when it comes first
			return docx
		case "xl/workbook.xml":
			return xlsx
		}
	}
	return ""
}

// The types of Office Open XML documents.
const (
	docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// readEntry reads at most max bytes of a zip entry, trimmed.
func readEntry(f *zip.File, max int64) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, max))
	return strings.TrimSpace(string(b))
}

// Why a file is refused; callers turn it into their message key
// ("….error.file_" + reason).
const (
	Empty    = "empty"
	TooLarge = "size"
	BadType  = "type"
)

// Check returns the type of f, or why it is refused.
func Check(f File) (typ, reason string) {
	if len(f.Data) == 0 {
		return "", Empty
	}
	if len(f.Data) > MaxSize {
		return "", TooLarge
	}
	typ = Sniff(f.Name, f.Data)
	exts, ok := allowed[typ]
	if !ok || !slices.Contains(exts, strings.ToLower(filepath.Ext(f.Name))) {
		return "", BadType
	}
	return typ, ""
}

// CleanName keeps the base name of an upload, without path, quotes or
// control characters, for storage and the download's file name.
func CleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." {
		return "anhang"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}
