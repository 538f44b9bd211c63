package knowledge

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

func TestInputValidate(t *testing.T) {
	ok := Input{Content: Content{Kind: Guide, Title: "Parken", Body: "Text"}}
	for _, c := range []struct {
		name  string
		edit  func(*Input)
		field string // "" for valid
	}{
		{"OK", func(*Input) {}, ""},
		{"Kind", func(in *Input) { in.Kind = "essay" }, "kind"},
		{"TitleMissing", func(in *Input) { in.Title = "  " }, "title"},
		{"TitleLong", func(in *Input) { in.Title = strings.Repeat("ä", MaxTitle+1) }, "title"},
		{"SummaryLong", func(in *Input) { in.Summary = strings.Repeat("a", MaxSummary+1) }, "summary"},
		{"BodyMissing", func(in *Input) { in.Body = "" }, "body"},
		{"TooManyFields", func(in *Input) { in.Fields = make([]string, MaxLinks+1) }, "fields"},
		{"TooManySolutions", func(in *Input) { in.Solutions = make([]string, MaxLinks+1) }, "solutions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.edit(&in)
			var v apperr.Validation
			in.validate(&v)
			err := v.Err()
			if c.field == "" {
				if err != nil {
					t.Fatalf("valid input refused: %v", err)
				}
				return
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || len(ae.Fields) == 0 || ae.Fields[0].Field != c.field {
				t.Errorf("want a message at %q, got %v", c.field, err)
			}
		})
	}
}

func TestCleanKeys(t *testing.T) {
	in := Input{Content: Content{Fields: []string{"a, b", "a", " "}, Solutions: []string{"x\ny"}}}.clean()
	if strings.Join(in.Fields, "|") != "a|b" || strings.Join(in.Solutions, "|") != "x|y" {
		t.Errorf("keys %v %v", in.Fields, in.Solutions)
	}
}

func TestCan(t *testing.T) {
	author := &account.User{ID: "ada", Roles: []account.Role{account.Curator}}
	other := &account.User{ID: "kurt", Roles: []account.Role{account.Curator}}
	advisor := &account.User{ID: "ali", Roles: []account.Role{account.Advisor}}
	operator := &account.User{ID: "olga", Roles: []account.Role{account.Operator}}
	reader := &account.User{ID: "rita"}
	submitted := Article{State: Submitted, Authors: []string{"ada"}, Owner: Person{ID: "ada"}}
	published := Article{State: Published, Published: &Version{Number: 1}, Owner: Person{ID: "ali"}}
	for _, c := range []struct {
		name string
		u    *account.User
		act  Action
		a    Article
		want bool
	}{
		{"VisitorReadsPublished", nil, ActRead, published, true},
		{"VisitorNotDraft", nil, ActRead, submitted, false},
		{"ReaderNotDraft", reader, ActRead, submitted, false},
		{"AdvisorReadsDraft", advisor, ActRead, submitted, true},
		{"ReaderCannotWrite", reader, ActCreate, Article{}, false},
		{"AdvisorWrites", advisor, ActCreate, Article{}, true},
		{"AuthorCannotPublishOwn", author, ActReview, submitted, false},
		{"OtherCuratorReviews", other, ActReview, submitted, true},
		{"OperatorReviews", operator, ActReview, submitted, true},
		{"AdvisorCannotReview", advisor, ActReview, submitted, false},
		{"NoReviewOfDraft", other, ActReview, Article{State: Draft}, false},
		{"OwnerChecks", advisor, ActCheck, published, true},
		{"CuratorChecks", other, ActCheck, published, true},
		{"ReaderCannotCheck", reader, ActCheck, published, false},
		{"OtherAdvisorCannotCheck", &account.User{ID: "x", Roles: []account.Role{account.Advisor}}, ActCheck, published, false},
		{"ReaderRates", reader, ActRate, published, true},
		{"VisitorCannotRate", nil, ActRate, published, false},
		{"OwnerDecides", advisor, ActDecide, published, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Can(c.u, c.act, c.a); got != c.want {
				t.Errorf("Can = %v, want %v", got, c.want)
			}
		})
	}
}

func TestCanMove(t *testing.T) {
	for _, c := range []struct {
		from, to State
		want     bool
	}{
		{Draft, Submitted, true}, {Draft, Published, false}, {Submitted, Published, true}, {Submitted, ChangesRequested, true},
		{Submitted, Draft, false}, {ChangesRequested, Submitted, true}, {Published, Draft, true}, {Published, Submitted, false},
	} {
		if got := CanMove(c.from, c.to); got != c.want {
			t.Errorf("%s → %s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
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

func TestCheckFile(t *testing.T) {
	docx := zipOf(t, map[string]string{"[Content_Types].xml": `<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`})
	ods := zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})
	for _, c := range []struct {
		name, file string
		data       []byte
		typ, msg   string
	}{
		{"PDF", "a.pdf", []byte("%PDF-1.7\n..."), "application/pdf", ""},
		{"PNG", "a.png", []byte("\x89PNG\r\n\x1a\n0000"), "image/png", ""},
		{"Text", "a.txt", []byte("Hallo"), "text/plain", ""},
		{"CSV", "a.csv", []byte("a;b\n1;2\n"), "text/csv", ""},
		{"DOCX", "a.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"ODS", "a.ods", ods, "application/vnd.oasis.opendocument.spreadsheet", ""},
		{"WrongExtension", "a.pdf", []byte("Hallo"), "", "knowledge.error.file_type"},
		{"HTML", "a.txt", []byte("<html><script>alert(1)</script>"), "", "knowledge.error.file_type"},
		{"PlainZip", "a.docx", zipOf(t, map[string]string{"x": "y"}), "", "knowledge.error.file_type"},
		{"Empty", "a.txt", nil, "", "knowledge.error.file_empty"},
		{"TooBig", "a.txt", bytes.Repeat([]byte("a"), MaxFileSize+1), "", "knowledge.error.file_size"},
	} {
		t.Run(c.name, func(t *testing.T) {
			typ, msg := CheckFile(File{Name: c.file, Data: c.data})
			if typ != c.typ || msg != c.msg {
				t.Errorf("got %q %q, want %q %q", typ, msg, c.typ, c.msg)
			}
		})
	}
}

func TestLineDiff(t *testing.T) {
	got := LineDiff("a\nb\nc\n", "a\nc\nd\n")
	var b strings.Builder
	for _, l := range got {
		b.WriteString([]string{" ", "+", "-"}[l.Op] + l.Text + ";")
	}
	if b.String() != " a;-b; c;+d;" {
		t.Errorf("diff %q", b.String())
	}
}

func TestOutdated(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	a := Article{LastChecked: time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)}
	if !a.Outdated(now, DefaultOutdatedAfter) {
		t.Error("checked a year and a day ago: not outdated")
	}
	a.LastChecked = time.Date(2025, 11, 26, 0, 0, 0, 0, time.UTC)
	if a.Outdated(now, DefaultOutdatedAfter) {
		t.Error("checked 364 days ago: outdated")
	}
}
