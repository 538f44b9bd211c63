package http

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// signedIn creates a confirmed account and returns a browser logged in
// with it through the login form.
func signedInBrowser(t *testing.T, s *Server, email string, roles ...account.Role) *browser {
	t.Helper()
	hash, err := account.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Name: strings.Split(email, "@")[0], Lang: "de", Created: now, EmailConfirmed: &now}
	if err := s.DB.CreateUser(context.Background(), account.NewUser{User: u, PasswordHash: hash, Roles: roles}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s)
	if code, _, _ := b.post("/anmelden", "/anmelden", url.Values{"email": {email}, "password": {testPassword}}); code != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, code)
	}
	return b
}

var reInvitation = regexp.MustCompile(`http://platform\.test(/einladung/\S+)`)

// invitationLink returns the path of the newest invitation mailed to addr.
func invitationLink(t *testing.T, s *Server, addr string) string {
	t.Helper()
	box := inboxOf(s)
	box.mu.Lock()
	defer box.mu.Unlock()
	for i := len(box.mails) - 1; i >= 0; i-- {
		if m := box.mails[i]; m.To == addr {
			if x := reInvitation.FindStringSubmatch(m.Text); x != nil {
				return x[1]
			}
		}
	}
	t.Fatalf("no invitation to %s", addr)
	return ""
}

func wantPage(t *testing.T, what string, code int, body string, wantCode int, want ...string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("%s: status %d, want %d", what, code, wantCode)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Fatalf("%s: page lacks %q", what, w)
		}
	}
}

// TestOrgJourney: create an organisation, invite, accept, request
// verification, a curator decides; with bad input on the way.
func TestOrgJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "09184")
		s := newServerOn(t, db)
		eva := signedInBrowser(t, s, "eva@rathaus-kirchheim.de")
		bob := signedInBrowser(t, s, "bob@rathaus-kirchheim.de")
		carol := signedInBrowser(t, s, "carol@anderswo.example")
		curator := signedInBrowser(t, s, "kuratorin@kompetenzzentrum.example", account.Curator)
		anon := newBrowser(t, s)

		code, body, _ := eva.get("/organisationen/neu?art=municipality&schluessel=09184131")
		wantPage(t, "new form", code, body, http.StatusOK, `value="09184131"`, `value="municipality" checked`)
		code, body, _ = eva.post("/organisationen/neu", "/organisationen", url.Values{"kind": {"municipality"}, "region_municipality": {"0918413"},
			"website": {"kirchheim-bei-muenchen.de"}})
		wantPage(t, "bad AGS", code, body, http.StatusBadRequest, `value="0918413"`, `value="kirchheim-bei-muenchen.de"`, "achtstelligen Amtlichen Gemeindeschlüssel",
			`aria-invalid="true"`)
		code, _, h := eva.post("/organisationen/neu", "/organisationen", url.Values{"kind": {"municipality"}, "region_municipality": {"09184131"},
			"website": {"kirchheim-bei-muenchen.de"}, "description": {"Gemeinde im Landkreis München"}})
		if code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?erledigt=angelegt") {
			t.Fatalf("create: %d %s", code, h.Get("Location"))
		}
		orgPath, _, _ := strings.Cut(h.Get("Location"), "?")
		code, body, _ = eva.get(h.Get("Location"))
		wantPage(t, "created", code, body, http.StatusOK, "Kirchheim b.München", "Die Organisation ist angelegt", "Noch nicht verifiziert",
			"https://kirchheim-bei-muenchen.de", "Angaben bearbeiten")
		code, body, _ = eva.post("/organisationen/neu", "/organisationen", url.Values{"kind": {"municipality"}, "region_municipality": {"09184131"}})
		wantPage(t, "second organisation for the AGS", code, body, http.StatusBadRequest, "bereits eine Organisation", `href="`+orgPath+`"`)

		// Unverified: hidden from visitors and the public list.
		if code, _, _ = anon.get(orgPath); code != http.StatusNotFound {
			t.Fatalf("visitor sees the unverified organisation: %d", code)
		}
		if _, body, _ = anon.get("/organisationen"); strings.Contains(body, "Kirchheim") {
			t.Fatal("unverified organisation listed")
		}

		// Invitations.
		code, body, _ = eva.post(orgPath+"/mitglieder", orgPath+"/einladungen", url.Values{"email": {"bob@"}, "role": {"member"}})
		wantPage(t, "bad invitation", code, body, http.StatusBadRequest, `value="bob@"`, "gültige E-Mail-Adresse")
		if code, _, _ = bob.post(orgPath, orgPath+"/einladungen", url.Values{"email": {"x@y.de"}, "role": {"member"}}); code != http.StatusForbidden {
			t.Fatalf("non-member invites: %d", code)
		}
		if code, _, _ = eva.post(orgPath+"/mitglieder", orgPath+"/einladungen", url.Values{"email": {"bob@rathaus-kirchheim.de"}, "role": {"member"}}); code != http.StatusSeeOther {
			t.Fatalf("invite: %d", code)
		}
		link := invitationLink(t, s, "bob@rathaus-kirchheim.de")
		code, body, _ = anon.get(link)
		wantPage(t, "invitation for a visitor", code, body, http.StatusOK, "Kirchheim b.München", "/anmelden?weiter=%2feinladung%2f")
		code, body, _ = carol.get(link)
		wantPage(t, "invitation for someone else", code, body, http.StatusOK, "gilt für bob@rathaus-kirchheim.de")
		if code, _, _ = carol.post("/konto", link, url.Values{}); code != http.StatusForbidden {
			t.Fatalf("someone else accepts: %d", code)
		}
		code, body, _ = bob.get(link)
		wantPage(t, "invitation", code, body, http.StatusOK, "Einladung annehmen")
		code, _, h = bob.post(link, link, url.Values{})
		if code != http.StatusSeeOther || h.Get("Location") != orgPath+"/mitglieder?erledigt=beigetreten" {
			t.Fatalf("accept: %d %s", code, h.Get("Location"))
		}
		code, body, _ = bob.post("/konto", link, url.Values{})
		wantPage(t, "accept twice", code, body, http.StatusBadRequest, "bereits benutzt", "neue Einladung")
		code, body, _ = bob.get(orgPath + "/mitglieder")
		wantPage(t, "members", code, body, http.StatusOK, "bob@rathaus-kirchheim.de", "eva@rathaus-kirchheim.de", "Organisation verlassen")
		if code, _, _ = carol.get(orgPath + "/mitglieder"); code != http.StatusForbidden {
			t.Fatalf("outsider sees members: %d", code)
		}
		code, body, _ = bob.get("/konto/organisationen")
		wantPage(t, "my organisations", code, body, http.StatusOK, "Kirchheim b.München", "Mitglied")

		// Verification by a curator.
		code, body, _ = eva.post(orgPath, orgPath+"/verifizierung", url.Values{"statement": {"  "}})
		wantPage(t, "empty statement", code, body, http.StatusBadRequest, "Bitte füllen Sie", `id="f-statement"`)
		if code, _, _ = eva.post(orgPath, orgPath+"/verifizierung", url.Values{"statement": {"Ich leite das Hauptamt. Rückruf: 089 123"}}); code != http.StatusSeeOther {
			t.Fatalf("request: %d", code)
		}
		code, body, _ = curator.get("/kuratierung/verifizierungen")
		wantPage(t, "queue", code, body, http.StatusOK, "Kirchheim b.München", "eva@rathaus-kirchheim.de")
		reviewPath := regexp.MustCompile(`/kuratierung/verifizierungen/[0-9a-f-]{36}`).FindString(body)
		if code, _, _ = eva.get(reviewPath); code != http.StatusForbidden {
			t.Fatalf("requester opens the review: %d", code)
		}
		code, body, _ = curator.post(reviewPath, reviewPath, url.Values{"decision": {"approve"}, "add_domain": {"1"}})
		wantPage(t, "decision without reason", code, body, http.StatusBadRequest, `value="approve" checked`, `name="add_domain" value="1" checked`)
		if code, _, h = curator.post(reviewPath, reviewPath, url.Values{"decision": {"approve"}, "reason": {"Rückruf im Hauptamt"}, "add_domain": {"1"}}); code != http.StatusSeeOther ||
			h.Get("Location") != "/kuratierung/verifizierungen?erledigt=entschieden" {
			t.Fatalf("decide: %d %s", code, h.Get("Location"))
		}
		if m := inboxOf(s).mails[len(inboxOf(s).mails)-1]; m.To != "eva@rathaus-kirchheim.de" || !strings.Contains(m.Text, "Rückruf im Hauptamt") {
			t.Fatalf("decision mail %+v", m)
		}
		code, body, _ = anon.get(orgPath)
		wantPage(t, "verified, public", code, body, http.StatusOK, "Verifiziert seit")
		if _, body, _ = anon.get("/organisationen?q=kirchheim"); !strings.Contains(body, orgPath) {
			t.Fatal("verified organisation not listed")
		}
		// The domain is official now: a colleague is confirmed at once.
		dana := signedInBrowser(t, s, "dana@rathaus-kirchheim.de")
		if code, _, h = dana.post(orgPath, orgPath+"/verifizierung", url.Values{}); code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "verifiziert") {
			t.Fatalf("automatic: %d %s", code, h.Get("Location"))
		}
		code, body, _ = curator.get(orgPath)
		wantPage(t, "curator's view", code, body, http.StatusOK, "rathaus-kirchheim.de", "Offizielle E-Mail-Domains pflegen")
		code, body, _ = curator.post(orgPath, orgPath+"/domains", url.Values{"domains": {"gmail.com"}})
		wantPage(t, "freemail domain", code, body, http.StatusBadRequest, "öffentlicher E-Mail-Dienst", ">gmail.com</textarea>")

		// Leaving.
		if code, _, h = bob.post(orgPath+"/mitglieder", orgPath+"/verlassen", url.Values{}); code != http.StatusSeeOther || h.Get("Location") != "/konto/organisationen?erledigt=verlassen" {
			t.Fatalf("leave: %d %s", code, h.Get("Location"))
		}
		// The data export lists the memberships; the only admin of an
		// organisation with members cannot delete the account.
		code, body, _ = eva.get("/konto/daten")
		wantPage(t, "export", code, body, http.StatusOK, `"memberships": [`, `"slug": "`+strings.TrimPrefix(orgPath, "/organisationen/")+`"`,
			`"verification_requests"`, "Ich leite das Hauptamt")
		code, body, _ = eva.post("/konto", "/konto/loeschen", url.Values{"delete_password": {testPassword}})
		wantPage(t, "delete the sole admin", code, body, http.StatusBadRequest, "einzige Administration der Organisation")
		if _, _, err := db.UserByEmail(t.Context(), "eva@rathaus-kirchheim.de"); err != nil {
			t.Fatalf("the account is gone: %v", err)
		}

		entries, err := db.AuditLog(t.Context(), account.AuditFilter{Action: "org.", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range entries.Items {
			seen[e.Action] = true
		}
		for _, a := range []string{"org.created", "org.invited", "org.invitation_accepted", "org.verification_requested", "org.verification_approved", "org.left"} {
			if !seen[a] {
				t.Errorf("no audit entry %s", a)
			}
		}
	})
}
