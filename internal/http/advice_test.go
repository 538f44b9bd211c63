package http

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/org"
)

// adviceOrg creates a municipality in the state stateKey whose admin is
// the account u. Its register key and name are made unique, since other
// tests of the shared database take real ones.
func adviceOrg(t *testing.T, s *Server, u account.User, stateKey, name string) org.Organisation {
	t.Helper()
	n := uuid.New()
	ags := fmt.Sprintf("%s%06d", stateKey, (int(n[0])<<16|int(n[1])<<8|int(n[2]))%1000000)
	name += " " + ags[2:]
	o, err := s.DB.CreateOrg(context.Background(), org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: org.Slug(name),
		Kind: org.Municipality, Name: name, RegionKey: ags}, u.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// postAdvice posts a multipart form with attachments (name → content).
func (b *browser) postAdvice(page, action string, form url.Values, files map[string][]byte) (int, string, http.Header) {
	b.t.Helper()
	_, body, _ := b.get(page)
	m := reToken.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("%s has no form token", page)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	form.Set("csrf_token", m[1])
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for name, content := range files {
		fw, _ := w.CreateFormFile("files", name)
		fw.Write(content)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+action, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept-Language", "de")
	req.Header.Set("Origin", b.base)
	return b.do(req)
}

var reAdviceID = regexp.MustCompile(`^/beratung/([0-9a-f-]{36})\?erledigt=gesendet$`)

func TestAdviceJourney(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		ctx := context.Background()
		opAcc := mustAccount(t, s, unique("betrieb"), "Olaf Betrieb", account.Operator)
		advAcc := mustAccount(t, s, unique("beraterin"), "Bea Beraterin", account.Advisor)
		evaAcc := mustAccount(t, s, unique("eva"), "Eva Muster")
		otherAcc := mustAccount(t, s, unique("otto"), "Otto Anders")
		muc := adviceOrg(t, s, evaAcc, "09", "München")
		adviceOrg(t, s, otherAcc, "05", "Köln")
		op, adv, eva, other := loggedIn(t, s, opAcc.Email), loggedIn(t, s, advAcc.Email), loggedIn(t, s, evaAcc.Email), loggedIn(t, s, otherAcc.Email)

		// The operator routes Bavaria to the advisor.
		code, body, _ := op.post("/betrieb/beratung/regeln", "/betrieb/beratung/regeln", url.Values{"state": {"09"}, "advisor": {advAcc.ID}})
		if code != http.StatusSeeOther {
			t.Fatalf("save rule: %d\n%.1500s", code, body)
		}
		if _, body, _ = op.get("/betrieb/beratung/regeln"); !strings.Contains(body, "Bayern") || !strings.Contains(body, "Bea Beraterin") {
			t.Errorf("rules page:\n%.3000s", body)
		}

		// A wrong attachment is refused with a clear message; the input stays.
		form := url.Values{"org": {muc.Slug}, "topic": {"Parkraum digital verwalten"}, "urgency": {"high"}, "body": {"Wie schreiben wir das **aus**?"}}
		code, body, _ = eva.postAdvice("/beratung/neu", "/beratung/neu", form, map[string][]byte{"tool.exe": []byte("MZ\x90\x00binary")})
		if code != http.StatusBadRequest || !strings.Contains(body, "Die Datei „tool.exe“ hat ein Format, das wir nicht annehmen") ||
			!strings.Contains(body, "Parkraum digital verwalten") {
			t.Fatalf("bad attachment: %d\n%.3000s", code, body)
		}

		// Eva asks with a PDF; the request goes to the advisor, who gets a mail.
		code, body, h := eva.postAdvice("/beratung/neu", "/beratung/neu", form, map[string][]byte{"Plan.pdf": []byte("%PDF-1.7\nplan")})
		m := reAdviceID.FindStringSubmatch(h.Get("Location"))
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("ask: %d %q\n%s", code, h.Get("Location"), body)
		}
		id := m[1]
		req, err := s.DB.Advice(ctx, id)
		if err != nil || req.State != advice.Assigned || req.Agent.ID != advAcc.ID || req.Org.ID != muc.ID {
			t.Fatalf("routed request %+v %v", req, err)
		}
		if subj := outboxTo(t, s, advAcc.Email); len(subj) != 1 || !strings.Contains(subj[0], "Parkraum digital verwalten") {
			t.Errorf("mail to the advisor: %v", subj)
		}
		_, body, _ = eva.get("/beratung/" + id + "?erledigt=gesendet")
		if !strings.Contains(body, "Zugewiesen") || !strings.Contains(body, "<strong>aus</strong>") || !strings.Contains(body, "Plan.pdf") {
			t.Errorf("request page for the municipality:\n%.4000s", body)
		}
		thread, _ := s.DB.AdviceThread(ctx, id, false)
		file := thread[0].Attachments[0].ID

		// Nobody outside Munich and the centre sees it: page, attachment, API.
		for _, path := range []string{"/beratung/" + id, "/beratung/" + id + "/anhang/" + file} {
			if code, _, _ := other.get(path); code != http.StatusNotFound {
				t.Errorf("other municipality GET %s: %d", path, code)
			}
		}
		if code, _, _ := other.post("/beratung/neu", "/beratung/"+id+"/nachricht", url.Values{"body": {"Hallo"}}); code != http.StatusNotFound {
			t.Errorf("other municipality reply: %d", code)
		}
		if _, body, _ = other.get("/beratung"); strings.Contains(body, "Parkraum") {
			t.Errorf("other municipality's list shows the request")
		}
		// Members cannot reach the centre's actions.
		if code, _, _ := eva.get("/beratung/eingang"); code != http.StatusForbidden {
			t.Errorf("queue as member: %d", code)
		}
		code, _, h = eva.get("/beratung/" + id + "/anhang/" + file)
		if code != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") ||
			h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("attachment: %d %v", code, h)
		}

		// The advisor notes internally and answers.
		code, body, _ = adv.postAdvice("/beratung/"+id, "/beratung/"+id+"/notiz", url.Values{"note": {"Geheime Einschätzung"}},
			map[string][]byte{"intern.txt": []byte("nur intern")})
		if code != http.StatusSeeOther {
			t.Fatalf("note: %d\n%.2000s", code, body)
		}
		all, _ := s.DB.AdviceThread(ctx, id, true)
		noteFile := all[len(all)-1].Attachments[0].ID
		if code, _, _ := eva.get("/beratung/" + id + "/anhang/" + noteFile); code != http.StatusNotFound {
			t.Errorf("municipality reads the file of an internal note: %d", code)
		}
		if code, body, _ := adv.get("/beratung/" + id + "/anhang/" + noteFile); code != 200 || body != "nur intern" {
			t.Errorf("advisor reads the file of the note: %d %q", code, body)
		}
		code, body, _ = adv.post("/beratung/"+id, "/beratung/"+id+"/antwort", url.Values{"body": {"Nutzen Sie die Vorlage der KGSt."}, "next": {"answered"}})
		if code != http.StatusSeeOther {
			t.Fatalf("answer: %d\n%.2000s", code, body)
		}
		if _, body, _ = adv.get("/beratung/" + id); !strings.Contains(body, "Geheime Einschätzung") || !strings.Contains(body, "Interne Notiz") {
			t.Errorf("advisor does not see the note:\n%.4000s", body)
		}
		if subj := outboxTo(t, s, evaAcc.Email); len(subj) != 1 || !strings.Contains(subj[0], "Antwort des Kompetenzzentrums") {
			t.Errorf("mail to the asker: %v", subj)
		}

		// Eva reads the answer, never the note (page and API).
		_, body, _ = eva.get("/beratung/" + id)
		if !strings.Contains(body, "Nutzen Sie die Vorlage der KGSt.") || !strings.Contains(body, "Beantwortet") || strings.Contains(body, "Geheime") {
			t.Errorf("municipality's view:\n%.4000s", body)
		}
		_, secret, err := s.Accounts.CreateAPIToken(ctx, evaAcc, "test", []string{"read", "write"}, 30, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		auth := "Authorization: Bearer " + secret
		var got apiAdvice
		call(t, s, "GET", "/api/v1/advice-requests/"+id, auth, "", 200, &got)
		if got.State != advice.Answered || len(got.Messages) != 2 || strings.Contains(got.Messages[0].Body+got.Messages[1].Body, "Geheime") {
			t.Errorf("API view: %+v", got)
		}
		// Eva follows up by API: back to the centre.
		call(t, s, "POST", "/api/v1/advice-requests/"+id+"/messages", auth, `{"body": "Danke, noch eine Frage."}`, 201, &got)
		if got.State != advice.InProgress || len(got.Messages) != 3 {
			t.Errorf("API reply: %+v", got)
		}
		// Advisors see the note by API; others get 404.
		_, advSecret, _ := s.Accounts.CreateAPIToken(ctx, advAcc, "test", []string{"read"}, 30, account.Meta{})
		call(t, s, "GET", "/api/v1/advice-requests/"+id, "Authorization: Bearer "+advSecret, "", 200, &got)
		if len(got.Messages) != 4 || !got.Messages[1].Internal {
			t.Errorf("advisor's API view: %+v", got.Messages)
		}
		_, otherSecret, _ := s.Accounts.CreateAPIToken(ctx, otherAcc, "test", []string{"read", "write"}, 30, account.Meta{})
		call(t, s, "GET", "/api/v1/advice-requests/"+id, "Authorization: Bearer "+otherSecret, "", 404, nil)
		call(t, s, "POST", "/api/v1/advice-requests/"+id+"/messages", "Authorization: Bearer "+otherSecret, `{"body": "x"}`, 404, nil)
		var lst struct {
			Items []apiAdvice `json:"items"`
			Total int         `json:"total"`
		}
		call(t, s, "GET", "/api/v1/advice-requests", "Authorization: Bearer "+otherSecret, "", 200, &lst)
		if lst.Total != 0 || len(lst.Items) != 0 {
			t.Errorf("other municipality's API list: %+v", lst)
		}

		// The template export leaves out names and the note.
		code, body, h = adv.get("/beratung/" + id + "/vorlage?anonym=1")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || strings.Contains(body, muc.Name) ||
			strings.Contains(body, "Geheime") || !strings.Contains(body, "Nutzen Sie die Vorlage der KGSt.") {
			t.Errorf("template: %d\n%s", code, body)
		}

		// In one step into a draft of the knowledge base, anonymised.
		code, _, h = adv.post("/beratung/"+id, "/beratung/"+id+"/wissensartikel", url.Values{"anonym": {"1"}})
		slug := strings.TrimPrefix(h.Get("Location"), "/beratung/"+id+"?erledigt=artikel&artikel=")
		if code != http.StatusSeeOther || slug == h.Get("Location") {
			t.Fatalf("to the knowledge base: %d %q", code, h.Get("Location"))
		}
		art, err := s.DB.Article(ctx, slug)
		if err != nil || art.Working.Title != "Parkraum digital verwalten" || strings.Contains(art.Working.Body, muc.Name) ||
			strings.Contains(art.Working.Body, "Geheime") || !strings.Contains(art.Working.Body, "KGSt") || art.State != "draft" {
			t.Errorf("draft article %+v %v", art, err)
		}
		if code, _, _ := eva.post("/beratung/"+id, "/beratung/"+id+"/wissensartikel", url.Values{}); code != http.StatusForbidden {
			t.Errorf("member takes the answer into the knowledge base: %d", code)
		}

		// Eva's messages are in her data export.
		call(t, s, "GET", "/api/v1/me/export", auth, "", 200, nil)
		rec := do(t, s, "GET", "/api/v1/me/export", nil, auth)
		if !strings.Contains(rec.Body.String(), "advice_messages") || !strings.Contains(rec.Body.String(), "Danke, noch eine Frage.") {
			t.Errorf("export: %.2000s", rec.Body.String())
		}

		// Eva closes the request.
		if code, _, _ := eva.post("/beratung/"+id, "/beratung/"+id+"/schliessen", url.Values{}); code != http.StatusSeeOther {
			t.Errorf("close: %d", code)
		}
		if r, _ := s.DB.Advice(ctx, id); r.State != advice.Closed {
			t.Errorf("state after closing: %s", r.State)
		}
	})
}

func TestAdviceQueueOverdueFirst(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		ctx := context.Background()
		advAcc := mustAccount(t, s, unique("berater"), "Ben", account.Advisor)
		evaAcc := mustAccount(t, s, unique("eva"), "Eva")
		fue := adviceOrg(t, s, evaAcc, "11", "Berlin")
		// Two requests without rules (shared queue): the low one asked
		// three weeks ago is overdue and comes first although the high
		// one was asked later.
		s.Advice.Now = func() time.Time { return time.Now().AddDate(0, 0, -21) }
		old, err := s.Advice.Create(ctx, evaAcc, advice.Input{Org: fue.Slug, Topic: "Alte Frage", Urgency: advice.Low, Body: "?"}, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		s.Advice.Now = time.Now
		fresh, err := s.Advice.Create(ctx, evaAcc, advice.Input{Org: fue.Slug, Topic: "Neue Frage", Urgency: advice.High, Body: "?"}, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if old.State != advice.New || old.Agent.ID != "" {
			t.Errorf("without rules: %+v", old)
		}
		adv := loggedIn(t, s, advAcc.Email)
		code, body, _ := adv.get("/beratung/eingang?ansicht=offen")
		i, j := strings.Index(body, "Alte Frage"), strings.Index(body, "Neue Frage")
		if code != 200 || i < 0 || j < 0 || i > j || !strings.Contains(body, "überfällig") {
			t.Errorf("queue order (%d, %d): %d\n%.4000s", i, j, code, body)
		}
		if _, body, _ = adv.get("/beratung/eingang?ansicht=meine"); strings.Contains(body, "Frage</a>") {
			t.Errorf("mine shows unassigned requests")
		}
		// Assign to me.
		if code, body, _ := adv.post("/beratung/"+fresh.ID, "/beratung/"+fresh.ID+"/zuweisung", url.Values{"advisor": {advAcc.ID}}); code != http.StatusSeeOther {
			t.Fatalf("assign: %d\n%.2000s", code, body)
		}
		if _, body, _ = adv.get("/beratung/eingang?ansicht=meine"); !strings.Contains(body, "Neue Frage") {
			t.Errorf("mine after assigning:\n%.3000s", body)
		}
		if code, _, _ := adv.get("/beratung/eingang?ansicht=quatsch"); code != http.StatusBadRequest {
			t.Errorf("unknown view: %d", code)
		}
	})
}
