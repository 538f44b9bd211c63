package advice

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/org"
)

func TestCanMove(t *testing.T) {
	tests := []struct {
		role     Role
		from, to State
		want     bool
	}{
		{Centre, New, Assigned, true},
		{Centre, New, Answered, true},
		{Centre, Assigned, InProgress, true},
		{Centre, InProgress, Waiting, true},
		{Centre, Waiting, Answered, true},
		{Centre, Answered, InProgress, true},
		{Centre, Answered, Closed, true},
		{Centre, Closed, InProgress, true},
		{Centre, Closed, Answered, false},
		{Centre, Assigned, New, false},
		{Centre, InProgress, InProgress, false},
		{Asker, Waiting, InProgress, true},
		{Asker, Answered, InProgress, true},
		{Asker, Answered, Closed, true},
		{Asker, New, Closed, true},
		{Asker, New, Assigned, false},
		{Asker, InProgress, Answered, false},
		{Asker, Closed, InProgress, false},
		{Asker, Assigned, Waiting, false},
		{None, New, Closed, false},
		{None, Answered, Closed, false},
	}
	for _, tt := range tests {
		if got := CanMove(tt.role, tt.from, tt.to); got != tt.want {
			t.Errorf("CanMove(%d, %s, %s) = %v, want %v", tt.role, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestCan(t *testing.T) {
	tests := []struct {
		role Role
		act  Action
		st   State
		want bool
	}{
		{Asker, ActView, New, true},
		{Asker, ActNotes, New, false},
		{Asker, ActWork, InProgress, false},
		{Asker, ActReply, Waiting, true},
		{Asker, ActReply, Answered, true},
		{Asker, ActReply, InProgress, false},
		{Asker, ActReply, Closed, false},
		{Centre, ActView, Closed, true},
		{Centre, ActNotes, New, true},
		{Centre, ActWork, Closed, true},
		{Centre, ActReply, Waiting, false},
		{None, ActView, New, false},
	}
	for _, tt := range tests {
		if got := Can(tt.role, tt.act, tt.st); got != tt.want {
			t.Errorf("Can(%d, %d, %s) = %v, want %v", tt.role, tt.act, tt.st, got, tt.want)
		}
	}
}

func TestRoleOf(t *testing.T) {
	advisor := &account.User{ID: "a", Roles: []account.Role{account.Advisor}}
	operator := &account.User{ID: "o", Roles: []account.Role{account.Operator}}
	curator := &account.User{ID: "c", Roles: []account.Role{account.Curator}}
	member := &account.User{ID: "m"}
	tests := []struct {
		name string
		u    *account.User
		orgs []string
		want Role
	}{
		{"visitor", nil, nil, None},
		{"advisor", advisor, nil, Centre},
		{"operator", operator, nil, Centre},
		{"curator elsewhere", curator, []string{"x"}, None},
		{"member", member, []string{"x", "org"}, Asker},
		{"member of another", member, []string{"x"}, None},
	}
	for _, tt := range tests {
		if got := RoleOf(tt.u, tt.orgs, "org"); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestDue(t *testing.T) {
	// Wednesday 10:00 Berlin.
	wed := time.Date(2026, 11, 25, 10, 0, 0, 0, Berlin)
	sat := time.Date(2026, 11, 28, 10, 0, 0, 0, Berlin)
	tests := []struct {
		from time.Time
		u    Urgency
		want time.Time
	}{
		{wed, High, time.Date(2026, 11, 27, 10, 0, 0, 0, Berlin)},                      // Friday
		{wed, Normal, time.Date(2026, 12, 2, 10, 0, 0, 0, Berlin)},                     // next Wednesday
		{wed, Low, time.Date(2026, 12, 9, 10, 0, 0, 0, Berlin)},                        // two weeks
		{sat, High, time.Date(2026, 12, 1, 10, 0, 0, 0, Berlin)},                       // Tuesday
		{sat.Add(24 * time.Hour), Normal, time.Date(2026, 12, 4, 10, 0, 0, 0, Berlin)}, // Sunday → Friday
	}
	for _, tt := range tests {
		if got := Due(tt.from, tt.u); !got.Equal(tt.want) {
			t.Errorf("Due(%s, %s) = %s, want %s", tt.from, tt.u, got.In(Berlin), tt.want)
		}
	}
}

func TestRoute(t *testing.T) {
	rules := []Rule{
		{ID: "default", Advisor: Person{ID: "d"}},
		{ID: "by", StateKey: "09", Advisor: Person{ID: "b"}},
		{ID: "mob", FieldKey: "mobility", Advisor: Person{ID: "m"}},
		{ID: "by-mob", StateKey: "09", FieldKey: "mobility", Advisor: Person{ID: "bm"}},
	}
	tests := []struct {
		name, state, field, want string
		rules                    []Rule
	}{
		{"state and field", "09", "mobility.parking", "by-mob", rules},
		{"field", "05", "mobility", "mob", rules},
		{"state", "09", "health", "by", rules},
		{"default", "05", "", "default", rules},
		{"federal body", "", "health", "default", rules},
		{"field before state", "09", "mobility", "mob", rules[:3]},
		{"none", "05", "health", "", rules[1:3]},
	}
	for _, tt := range tests {
		got := Route(tt.rules, tt.state, tt.field)
		id := ""
		if got != nil {
			id = got.ID
		}
		if id != tt.want {
			t.Errorf("%s: rule %q, want %q", tt.name, id, tt.want)
		}
	}
}

func TestStateKey(t *testing.T) {
	tests := []struct {
		o    OrgRef
		want string
	}{
		{OrgRef{Kind: org.Municipality, RegionKey: "09162000"}, "09"},
		{OrgRef{Kind: org.District, RegionKey: "05315"}, "05"},
		{OrgRef{Kind: org.State, RegionKey: "11"}, "11"},
		{OrgRef{Kind: org.Federal}, ""},
	}
	for _, tt := range tests {
		if got := StateKey(tt.o); got != tt.want {
			t.Errorf("StateKey(%+v) = %q, want %q", tt.o, got, tt.want)
		}
	}
}

func office(t *testing.T, part string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(part)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<x/>"))
	zw.Close()
	return buf.Bytes()
}

func TestCheckFile(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	tests := []struct {
		name    string
		f       File
		typ     string
		message string
	}{
		{"pdf", File{Name: "a.pdf", Data: []byte("%PDF-1.7\n")}, "application/pdf", ""},
		{"png", File{Name: "Bild.PNG", Data: png}, "image/png", ""},
		{"text", File{Name: "notiz.txt", Data: []byte("Hallo")}, "text/plain", ""},
		{"docx", File{Name: "a.docx", Data: office(t, "word/document.xml")}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"xlsx", File{Name: "a.xlsx", Data: office(t, "xl/workbook.xml")}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"other zip", File{Name: "a.docx", Data: office(t, "evil.exe")}, "", "advice.error.file_type"},
		{"png named pdf", File{Name: "a.pdf", Data: png}, "", "advice.error.file_type"},
		{"html", File{Name: "a.txt", Data: []byte("<html><script>alert(1)</script>")}, "", "advice.error.file_type"},
		{"empty", File{Name: "a.txt", Data: nil}, "", "advice.error.file_empty"},
		{"too big", File{Name: "a.txt", Data: []byte(strings.Repeat("a", MaxFileSize+1))}, "", "advice.error.file_size"},
	}
	for _, tt := range tests {
		typ, msg := CheckFile(tt.f)
		if typ != tt.typ || msg != tt.message {
			t.Errorf("%s: (%q, %q), want (%q, %q)", tt.name, typ, msg, tt.typ, tt.message)
		}
	}
}

func TestAnonymise(t *testing.T) {
	r := Request{Org: OrgRef{Name: "Musterstadt"}, Asker: Person{Name: "Eva Muster"}, Agent: Person{Name: "Ali Rat"}}
	got := Anonymise("Liebe Eva Muster, die Stadt Musterstadt (eva@musterstadt.de) fragt. Gruß Ali Rat", r)
	for _, bad := range []string{"Eva", "Musterstadt", "@", "Ali"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q left in %q", bad, got)
		}
	}
}

func TestInputValidate(t *testing.T) {
	in := Input{Org: "", Topic: " ", Urgency: "sofort", Body: "", Files: make([]File, MaxFiles+1)}
	err := in.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, f := range []string{"org", "topic", "urgency", "body", "files"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("no message for %s in %v", f, err)
		}
	}
	ok := Input{Org: "musterstadt", Topic: "Frage", Urgency: Normal, Body: "Text\r\n"}
	if err := ok.Validate(); err != nil || ok.Body != "Text" {
		t.Errorf("valid input: %v, body %q", err, ok.Body)
	}
}
