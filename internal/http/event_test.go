package http

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/event"
)

// eventFormValues is a valid event form: a training online, a week ahead.
func eventFormValues(title string, capacity int) url.Values {
	day := time.Now().In(event.Berlin).AddDate(0, 0, 7).Format("2006-01-02")
	return url.Values{"title": {title}, "summary": {"Kurz erklärt"}, "description": {"**Programm**\n\n- Einführung"},
		"kind": {"training"}, "format": {"online"}, "online_url": {"https://meet.example/geheim"},
		"start_date": {day}, "start_time": {"10:00"}, "end_date": {day}, "end_time": {"12:00"},
		"capacity": {jsonInt(capacity)}, "publish": {"1"},
		"materials": {"Folien | https://example.org/folien.pdf"}}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// unique returns an address no other test uses.
func unique(local string) string { return local + "-" + uuid.NewString()[:8] + "@test.example" }

// createEvent creates an event through the form as curator and returns
// its slug.
func createEvent(t *testing.T, curator *browser, form url.Values) string {
	t.Helper()
	code, body, h := curator.post("/veranstaltungen/neu", "/veranstaltungen", form)
	if code != http.StatusSeeOther {
		t.Fatalf("create event: %d\n%.2000s", code, body)
	}
	loc := h.Get("Location")
	slug := strings.TrimPrefix(strings.Split(loc, "?")[0], "/veranstaltungen/")
	if slug == "" || !strings.Contains(loc, "erledigt=angelegt") {
		t.Fatalf("create event: redirect to %q", loc)
	}
	return slug
}

// outboxTo returns the subjects of the outbox mails to addr, newest first.
func outboxTo(t *testing.T, s *Server, addr string) []string {
	t.Helper()
	list, _, err := s.DB.Mails(context.Background(), 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range list {
		if m.To == addr {
			out = append(out, m.Subject)
		}
	}
	return out
}

func TestEventPagesAndRegistration(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		curatorAcc := mustAccount(t, s, unique("kurator"), "Kim Kurator", account.Curator)
		curator := loggedIn(t, s, curatorAcc.Email)
		eva, bob, carl := mustAccount(t, s, unique("eva"), "Eva"), mustAccount(t, s, unique("bob"), "Bob"), mustAccount(t, s, unique("carl"), "Carl")
		slug := createEvent(t, curator, eventFormValues("Open Data für Einsteiger", 1))
		base := "/veranstaltungen/" + slug

		// Public list and page, German and English; the online link is hidden.
		visitor := newBrowser(t, s)
		code, body, _ := visitor.get("/veranstaltungen")
		if code != 200 || !strings.Contains(body, "Open Data für Einsteiger") || !strings.Contains(body, "noch 1 Platz frei") ||
			!strings.Contains(body, `href="/veranstaltungen" aria-current="page"`) {
			t.Fatalf("list: %d\n%.3000s", code, body)
		}
		code, body, _ = visitor.get(base)
		if code != 200 || !strings.Contains(body, "<strong>Programm</strong>") || !strings.Contains(body, "10:00–12:00 Uhr") ||
			strings.Contains(body, "meet.example/geheim") || !strings.Contains(body, "/anmelden?weiter=") || !strings.Contains(body, "folien.pdf") {
			t.Fatalf("page for visitors: %d\n%.4000s", code, body)
		}
		code, body, _ = visitor.get(base + "?lang=en")
		if code != 200 || !strings.Contains(body, "(Berlin time)") || !strings.Contains(body, "Sign in to register") {
			t.Errorf("English page: %d\n%.3000s", code, body)
		}
		code, body, _ = visitor.get("/veranstaltungen?lang=en&art=training")
		if code != 200 || !strings.Contains(body, "1 place left") {
			t.Errorf("English list: %d", code)
		}
		if code, _, _ := visitor.get("/veranstaltungen?art=party"); code != 400 {
			t.Errorf("unknown kind: %d", code)
		}

		// Eva gets the place, Bob the waiting list; both get a mail.
		be, bb, bc := loggedIn(t, s, eva.Email), loggedIn(t, s, bob.Email), loggedIn(t, s, carl.Email)
		code, _, h := be.post(base, base+"/anmeldung", url.Values{"organisation": {"Stadt Ulm"}, "access_needs": {"Untertitel"}})
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "erledigt=angemeldet") {
			t.Fatalf("eva registers: %d %s", code, h.Get("Location"))
		}
		_, body, _ = be.get(base)
		if !strings.Contains(body, "Ihr Platz ist bestätigt") || !strings.Contains(body, "https://meet.example/geheim") {
			t.Errorf("eva's page lacks the confirmation or the link:\n%.4000s", body)
		}
		if code, _, _ := bb.post(base, base+"/anmeldung", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("bob registers: %d", code)
		}
		_, body, _ = bb.get(base)
		if !strings.Contains(body, "Warteliste, an Position 1") || strings.Contains(body, "meet.example/geheim") {
			t.Errorf("bob's page:\n%.4000s", body)
		}
		if subj := outboxTo(t, s, eva.Email); len(subj) != 1 || !strings.HasPrefix(subj[0], "Anmeldung bestätigt") {
			t.Errorf("mails to eva: %v", subj)
		}
		if subj := outboxTo(t, s, bob.Email); len(subj) != 1 || !strings.HasPrefix(subj[0], "Auf der Warteliste") {
			t.Errorf("mails to bob: %v", subj)
		}
		// Registering twice: refused with a message on the page.
		code, body, _ = be.post(base, base+"/anmeldung", url.Values{})
		if code != http.StatusConflict || !strings.Contains(body, "bereits angemeldet") {
			t.Errorf("second registration: %d", code)
		}
		// A field too long: the message next to the field.
		code, body, _ = bc.post(base, base+"/anmeldung", url.Values{"organisation": {strings.Repeat("x", 201)}})
		if code != http.StatusBadRequest || !strings.Contains(body, `id="f-organisation-error"`) {
			t.Errorf("long organisation: %d", code)
		}

		// Carl cannot cancel Eva's registration: there is no way to name
		// it, and his own cancellation finds none.
		code, body, _ = bc.post(base, base+"/abmeldung", url.Values{})
		if code != http.StatusNotFound {
			t.Errorf("carl cancels without a registration: %d\n%.1000s", code, body)
		}
		if reg, err := s.DB.RegistrationOf(context.Background(), eventID(t, s, slug), eva.ID); err != nil || reg.Status != event.Confirmed {
			t.Errorf("eva after carl's attempt: %+v %v", reg, err)
		}

		// Eva cancels: Bob moves up and is told by mail.
		code, _, h = be.post(base, base+"/abmeldung", url.Values{})
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "erledigt=abgemeldet") {
			t.Fatalf("eva cancels: %d", code)
		}
		if subj := outboxTo(t, s, bob.Email); len(subj) != 2 || !strings.HasPrefix(subj[0], "Ein Platz ist frei geworden") {
			t.Errorf("mails to bob after eva cancelled: %v", subj)
		}
		_, body, _ = bb.get(base)
		if !strings.Contains(body, "Ihr Platz ist bestätigt") {
			t.Errorf("bob is not confirmed:\n%.3000s", body)
		}

		// Calendar files.
		rec := get(t, s, base+".ics")
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") || !strings.Contains(rec.Body.String(), "BEGIN:VEVENT") ||
			!strings.Contains(rec.Body.String(), "STATUS:CONFIRMED") || strings.Contains(rec.Body.String(), "geheim") {
			t.Errorf("event .ics: %d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		rec = get(t, s, "/veranstaltungen.ics")
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") || !strings.Contains(rec.Body.String(), "Open Data für Einsteiger") {
			t.Errorf("feed: %d", rec.Code)
		}
		if rec := get(t, s, "/veranstaltungen/gibt-es-nicht.ics"); rec.Code != 404 {
			t.Errorf("unknown .ics: %d", rec.Code)
		}

		// The attendance list for the curator: page, CSV and XLSX.
		code, body, _ = curator.get(base + "/teilnehmende")
		if code != 200 || !strings.Contains(body, bob.Email) || strings.Contains(body, eva.Email) {
			t.Errorf("attendees: %d", code)
		}
		code, body, h = curator.get(base + "/teilnehmende.csv")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d", code)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil || len(rows) != 2 || rows[0][0] != "Name" || rows[1][1] != bob.Email || rows[1][4] != "Platz bestätigt" {
			t.Errorf("csv rows: %v %v", rows, err)
		}
		code, body, _ = curator.get(base + "/teilnehmende.xlsx")
		if code != 200 {
			t.Fatalf("xlsx: %d", code)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		xrows, err := f.GetRows("Teilnehmende")
		if err != nil || len(xrows) != 4 || xrows[3][1] != bob.Email {
			t.Errorf("xlsx rows: %v %v", xrows, err)
		}
		// Others may not see or export it, nor create or edit.
		for _, path := range []string{base + "/teilnehmende", base + "/teilnehmende.csv", base + "/teilnehmende.xlsx", base + "/bearbeiten", "/veranstaltungen/neu"} {
			if code, _, _ := bb.get(path); code != http.StatusForbidden {
				t.Errorf("GET %s as a user: %d", path, code)
			}
		}
		if code, _, _ := bb.post(base, "/veranstaltungen", eventFormValues("Von Bob", 5)); code != http.StatusForbidden {
			t.Errorf("create as a user: %d", code)
		}

		// The curator cancels: everyone registered is told, the
		// calendar says CANCELLED.
		_, body, _ = curator.get(base)
		if !strings.Contains(body, "Veranstaltung absagen") {
			t.Fatalf("no cancel form for the curator")
		}
		code, _, _ = curator.post(base, base+"/absagen", url.Values{"lock": {eventLock(t, s, slug)}})
		if code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", code)
		}
		if subj := outboxTo(t, s, bob.Email); len(subj) != 3 || !strings.HasPrefix(subj[0], "Abgesagt") {
			t.Errorf("mails to bob after the cancellation: %v", subj)
		}
		if rec := get(t, s, base+".ics"); !strings.Contains(rec.Body.String(), "STATUS:CANCELLED") {
			t.Errorf("cancelled .ics:\n%s", rec.Body)
		}
	})
}

func eventID(t *testing.T, s *Server, slug string) string {
	t.Helper()
	e, err := s.DB.EventBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func eventLock(t *testing.T, s *Server, slug string) string {
	t.Helper()
	e, err := s.DB.EventBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return jsonInt(e.Lock)
}

func TestEventForm(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		curatorAcc := mustAccount(t, s, unique("kurator"), "Kim", account.Curator)
		curator := loggedIn(t, s, curatorAcc.Email)

		// 02:30 on the day the clocks go forward does not exist.
		f := eventFormValues("Zeitumstellung", 10)
		f.Set("start_date", "2026-03-29")
		f.Set("start_time", "02:30")
		f.Set("end_date", "2026-03-29")
		f.Set("end_time", "04:00")
		code, body, _ := curator.post("/veranstaltungen/neu", "/veranstaltungen", f)
		if code != http.StatusBadRequest || !strings.Contains(body, "Diese Uhrzeit gibt es an diesem Tag nicht") ||
			!strings.Contains(body, `href="#f-start"`) || !strings.Contains(body, `value="Zeitumstellung"`) {
			t.Errorf("spring gap: %d\n%.3000s", code, body)
		}
		// Several errors at once, with the input kept.
		f = eventFormValues("", 0)
		f.Set("format", "onsite")
		f.Set("end_time", "09:00")
		f.Set("materials", "nur ein Wort")
		code, body, _ = curator.post("/veranstaltungen/neu", "/veranstaltungen", f)
		for _, want := range []string{`href="#f-title"`, `href="#f-address"`, `href="#f-end"`, `href="#f-capacity"`, `href="#f-materials"`} {
			if !strings.Contains(body, want) {
				t.Errorf("errors lack %s (status %d)", want, code)
			}
		}
		// The ambiguous 02:30 in October is summer time (documented).
		f = eventFormValues("Oktober", 10)
		f.Set("start_date", "2026-10-25")
		f.Set("start_time", "02:30")
		f.Set("end_date", "2026-10-25")
		f.Set("end_time", "04:00")
		f.Del("publish")
		slug := createEvent(t, curator, f)
		e, err := s.DB.EventBySlug(context.Background(), slug)
		if err != nil || !e.Start.Equal(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)) || e.State != event.Draft {
			t.Errorf("october event: %v %v %v", e.Start, e.State, err)
		}
		// A draft is hidden from everyone but editors.
		if rec := get(t, s, "/veranstaltungen/"+slug); rec.Code != 404 {
			t.Errorf("draft for visitors: %d", rec.Code)
		}
		if code, _, _ := curator.get("/veranstaltungen/" + slug); code != 200 {
			t.Errorf("draft for the curator: %d", code)
		}
		// Edit: the form shows Berlin time; a stale lock is refused.
		code, body, _ = curator.get("/veranstaltungen/" + slug + "/bearbeiten")
		if code != 200 || !strings.Contains(body, `value="02:30"`) || !strings.Contains(body, `value="2026-10-25"`) {
			t.Errorf("edit form: %d", code)
		}
		f.Set("title", "Oktober, geändert")
		f.Set("lock", "7")
		code, body, _ = curator.post("/veranstaltungen/"+slug+"/bearbeiten", "/veranstaltungen/"+slug+"/bearbeiten", f)
		if code != http.StatusConflict || !strings.Contains(body, "inzwischen geändert") {
			t.Errorf("stale edit: %d", code)
		}
		f.Set("lock", "0")
		f.Set("publish", "1")
		code, _, _ = curator.post("/veranstaltungen/"+slug+"/bearbeiten", "/veranstaltungen/"+slug+"/bearbeiten", f)
		if code != http.StatusSeeOther {
			t.Fatalf("edit: %d", code)
		}
		if e, _ := s.DB.EventBySlug(context.Background(), slug); e.Title != "Oktober, geändert" || e.State != event.Published {
			t.Errorf("after edit: %q %s", e.Title, e.State)
		}
		// English form.
		code, body, _ = curator.get("/veranstaltungen/neu?lang=en")
		if code != 200 || !strings.Contains(body, "German time (Europe/Berlin)") {
			t.Errorf("English form: %d", code)
		}
	})
}

// TestEventAPI covers the JSON API: editors create and change, users
// register and cancel their own registration, others are refused.
func TestEventAPI(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		cur := mustAccount(t, s, unique("api-kurator"), "Kurt", account.Curator)
		curKey := testAPIToken(t, s, cur, account.ScopeRead, account.ScopeWrite)
		user := mustAccount(t, s, unique("api-user"), "Uta")
		userKey := testAPIToken(t, s, user, account.ScopeRead, account.ScopeWrite)
		start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
		body := `{"title":"API-Schulung","kind":"training","format":"online","online_url":"https://meet.example/api",
			"start":"` + start.Format(time.RFC3339) + `","end":"` + start.Add(time.Hour).Format(time.RFC3339) + `","capacity":1,"publish":true}`
		if rec := apiCall(t, s, "POST", "/api/v1/events", userKey, body); rec.Code != http.StatusForbidden {
			t.Errorf("create as a user: %d", rec.Code)
		}
		rec := apiCall(t, s, "POST", "/api/v1/events", curKey, body)
		if rec.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		var ev apiEvent
		json.Unmarshal(rec.Body.Bytes(), &ev)
		if ev.OnlineURL == nil || ev.PlacesLeft != 1 || !ev.Start.Equal(start) {
			t.Errorf("created: %+v", ev)
		}
		// Visitors see no online link.
		rec = apiCall(t, s, "GET", "/api/v1/events/"+ev.Slug, "", "")
		var pub apiEvent
		json.Unmarshal(rec.Body.Bytes(), &pub)
		if rec.Code != 200 || pub.OnlineURL != nil {
			t.Errorf("public view: %d %s", rec.Code, rec.Body)
		}
		rec = apiCall(t, s, "POST", "/api/v1/events/"+ev.Slug+"/registration", userKey, `{"organisation":"Kreis"}`)
		if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"status":"confirmed"`) {
			t.Fatalf("register: %d %s", rec.Code, rec.Body)
		}
		rec = apiCall(t, s, "GET", "/api/v1/events/"+ev.Slug, userKey, "")
		if !strings.Contains(rec.Body.String(), "meet.example/api") {
			t.Errorf("confirmed attendee lacks the link: %s", rec.Body)
		}
		rec = apiCall(t, s, "GET", "/api/v1/me/registrations", userKey, "")
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), ev.Slug) {
			t.Errorf("my registrations: %d %s", rec.Code, rec.Body)
		}
		// Capacity below the confirmed count: refused with the field.
		upd := strings.Replace(body, `"capacity":1`, `"capacity":0`, 1)
		upd = strings.Replace(upd, `{`, `{"lock":`+jsonInt(ev.Lock)+`,`, 1)
		if rec := apiCall(t, s, "PUT", "/api/v1/events/"+ev.Slug, curKey, upd); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"capacity"`) {
			t.Errorf("capacity 0: %d %s", rec.Code, rec.Body)
		}
		if rec := apiCall(t, s, "PUT", "/api/v1/events/"+ev.Slug, userKey, upd); rec.Code != 403 {
			t.Errorf("update as a user: %d", rec.Code)
		}
		rec = apiCall(t, s, "DELETE", "/api/v1/events/"+ev.Slug+"/registration", userKey, "")
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"cancelled"`) {
			t.Errorf("cancel: %d %s", rec.Code, rec.Body)
		}
		if rec := apiCall(t, s, "DELETE", "/api/v1/events/"+ev.Slug+"/registration", userKey, ""); rec.Code != 404 {
			t.Errorf("cancel again: %d", rec.Code)
		}
		// A draft: in the editors' list only.
		rec = apiCall(t, s, "POST", "/api/v1/events", curKey, strings.Replace(body, `"publish":true`, `"publish":false`, 1))
		var draft apiEvent
		json.Unmarshal(rec.Body.Bytes(), &draft)
		if rec.Code != 201 || draft.State != event.Draft {
			t.Fatalf("draft: %d %s", rec.Code, rec.Body)
		}
		if rec := apiCall(t, s, "GET", "/api/v1/events?limit=200", curKey, ""); !strings.Contains(rec.Body.String(), `"slug":"`+draft.Slug+`"`) {
			t.Errorf("the editor's list lacks the draft")
		}
		if rec := apiCall(t, s, "GET", "/api/v1/events?limit=200", userKey, ""); strings.Contains(rec.Body.String(), `"slug":"`+draft.Slug+`"`) {
			t.Errorf("a user's list shows the draft")
		}
		if rec := apiCall(t, s, "GET", "/api/v1/events/"+draft.Slug, userKey, ""); rec.Code != 404 {
			t.Errorf("a user reads the draft: %d", rec.Code)
		}
	})
}

// TestEventAccountData: registrations are in the data export and go with
// the account; a freed place moves the waiting list up.
func TestEventAccountData(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		ctx := context.Background()
		cur := mustAccount(t, s, unique("kurator"), "Kurt", account.Curator)
		eva, bob := mustAccount(t, s, unique("eva"), "Eva"), mustAccount(t, s, unique("bob"), "Bob")
		start := time.Now().Add(72 * time.Hour).UTC()
		e, err := s.Events.Create(ctx, cur, event.Input{Title: "Daten", Kind: event.Information, Format: event.Onsite, Address: "Rathaus",
			Start: start, End: start.Add(time.Hour), Capacity: 1, Publish: true}, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []account.User{eva, bob} {
			if _, err := s.Events.Register(ctx, u, e.Slug, event.RegisterForm{AccessNeeds: "Rampe"}); err != nil {
				t.Fatal(err)
			}
		}
		x, err := s.Accounts.Export(ctx, eva.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(x)
		if !strings.Contains(string(b), `"event_registrations":[{"event":"`+e.Slug+`"`) || !strings.Contains(string(b), "Rampe") {
			t.Errorf("export: %s", b)
		}
		if err := s.DB.DeleteUser(ctx, eva.ID, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		reg, err := s.DB.RegistrationOf(ctx, e.ID, bob.ID)
		if err != nil || reg.Status != event.Confirmed {
			t.Fatalf("bob after eva's deletion: %+v %v", reg, err)
		}
		// The sweep sends Bob the mail that no transaction could write.
		if n, err := s.Events.SendDue(ctx, time.Now()); err != nil || n != 1 {
			t.Errorf("sweep: %d %v", n, err)
		}
		if subj := outboxTo(t, s, bob.Email); len(subj) != 2 || !strings.HasPrefix(subj[0], "Ein Platz ist frei geworden") {
			t.Errorf("mails to bob: %v", subj)
		}
		if n, _ := s.Events.SendDue(ctx, time.Now()); n != 0 {
			t.Errorf("second sweep sent %d", n)
		}
		// A day before the start: the reminder, once.
		if n, err := s.Events.SendDue(ctx, start.Add(-23*time.Hour)); err != nil || n != 1 {
			t.Errorf("reminder sweep: %d %v", n, err)
		}
		if subj := outboxTo(t, s, bob.Email); len(subj) != 3 || !strings.HasPrefix(subj[0], "Erinnerung") {
			t.Errorf("mails to bob after the reminder: %v", subj)
		}
	})
}

// TestEventFeedback: after the event, those who had a place rate it once;
// the organisers see the ratings without names.
func TestEventFeedback(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		ctx := context.Background()
		cur := mustAccount(t, s, unique("kurator"), "Kurt", account.Curator)
		eva, bob := mustAccount(t, s, unique("eva"), "Eva"), mustAccount(t, s, unique("bob"), "Bob")
		start := time.Now().Add(72 * time.Hour).UTC()
		e, err := s.Events.Create(ctx, cur, event.Input{Title: "Rückblick", Kind: event.Training, Format: event.Onsite, Address: "Rathaus",
			Start: start, End: start.Add(time.Hour), Capacity: 5, Publish: true}, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Events.Register(ctx, eva, e.Slug, event.RegisterForm{}); err != nil {
			t.Fatal(err)
		}
		base := "/veranstaltungen/" + e.Slug
		be, bb := loggedIn(t, s, eva.Email), loggedIn(t, s, bob.Email)
		// Before the end: no form, and a sent one is refused.
		if _, body, _ := be.get(base); strings.Contains(body, `action="`+base+`/rueckmeldung"`) {
			t.Error("feedback form before the event")
		}
		if code, _, _ := be.post(base, base+"/rueckmeldung", url.Values{"rating": {"5"}}); code != http.StatusConflict {
			t.Errorf("feedback before the end: %d", code)
		}
		// The event took place.
		e.Start, e.End, e.Deadline = time.Now().Add(-3*time.Hour).UTC(), time.Now().Add(-time.Hour).UTC(), time.Now().Add(-4*time.Hour).UTC()
		if _, err := s.DB.UpdateEvent(ctx, e, e.Lock, nil, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		code, body, _ := be.get(base)
		if code != 200 || !strings.Contains(body, `action="`+base+`/rueckmeldung"`) || !strings.Contains(body, "Die Veranstaltung hat stattgefunden") {
			t.Fatalf("no feedback form after the event: %d", code)
		}
		code, body, _ = be.post(base, base+"/rueckmeldung", url.Values{"comment": {"Ohne Bewertung"}})
		if code != http.StatusBadRequest || !strings.Contains(body, `href="#f-rating"`) || !strings.Contains(body, "Ohne Bewertung") {
			t.Errorf("feedback without a rating: %d", code)
		}
		code, _, h := be.post(base, base+"/rueckmeldung", url.Values{"rating": {"4"}, "comment": {"Sehr praxisnah"}})
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "erledigt=rueckmeldung") {
			t.Fatalf("feedback: %d", code)
		}
		if _, body, _ := be.get(base); !strings.Contains(body, "mit 4 von 5 Punkten") {
			t.Error("the page does not thank for the feedback")
		}
		if code, _, _ := be.post("/konto", base+"/rueckmeldung", url.Values{"rating": {"5"}}); code != http.StatusConflict {
			t.Errorf("second feedback: %d", code)
		}
		// Bob had no place.
		if code, _, _ := bb.post("/konto", base+"/rueckmeldung", url.Values{"rating": {"1"}}); code != http.StatusForbidden {
			t.Errorf("feedback without a place: %d", code)
		}
		// The curator sees it without the name; others do not see it.
		bc := loggedIn(t, s, cur.Email)
		_, body, _ = bc.get(base + "/teilnehmende")
		if !strings.Contains(body, "Durchschnittliche Bewertung: 4,0 von 5") || !strings.Contains(body, "Sehr praxisnah") {
			t.Errorf("attendees page lacks the feedback:\n%.3000s", body)
		}
		_, body, _ = bc.get(base + "/teilnehmende?lang=en")
		if !strings.Contains(body, "Average rating: 4.0 out of 5") {
			t.Error("English feedback summary")
		}
		// Eva's export holds it.
		x, err := s.Accounts.Export(ctx, eva.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(x)
		if !strings.Contains(string(b), `"feedback":{"rating":4,"comment":"Sehr praxisnah"`) {
			t.Errorf("export: %s", b)
		}
	})
}
