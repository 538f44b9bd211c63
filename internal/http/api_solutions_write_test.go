package http

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/media"
	"github.com/smartregions/smartregions/internal/org"
)

// TestSolutionAPIWorkflow walks a provider and two curators through the
// curation workflow by API alone: draft, submit, change request, fix,
// publish, a new version while the published one stays visible, and the
// second of two curators deciding at once refused.
func TestSolutionAPIWorkflow(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		ctx := context.Background()
		rw := []string{"read", "write"}
		tag := uuid.NewString()[:8]
		provider := bearerUser(t, s, "anbieter-"+tag+"@firma.example", rw)
		outsider := bearerUser(t, s, "fremd-"+tag+"@andere.example", rw)
		curatorA := bearerUser(t, s, "kuration-a-"+tag+"@kompetenz.example", rw, account.Curator)
		curatorB := bearerUser(t, s, "kuration-b-"+tag+"@kompetenz.example", rw, account.Curator)

		var o apiOrg
		call(t, s, "POST", "/api/v1/organisations", provider, `{"kind":"company","name":"Schnittstelle `+tag+` GmbH"}`, 201, &o)
		pics := "" // the media of the entry, once uploaded
		entry := func(extra string) string {
			return `{"name":"Ratsinfo ` + tag + `","short":"Sitzungen und Vorlagen des Rats","licence":"EUPL-1.2",
				"repository":"https://git.example.org/ratsinfo","fields":["participation"],"maturity":"production",
				"delivery":[{"model":"saas","price":"flat","price_min":100,"price_max":300,"hosting":"de"}],
				"evidence":[{"kind":"bitv_statement","link":"https://example.org/bitv","expires_at":"2099-12-31"}],
				"standards":["OParl"]` + pics + extra + `}`
		}
		var problem struct {
			Errors []struct{ Field, Message string } `json:"errors"`
		}
		call(t, s, "POST", "/api/v1/solutions", provider, strings.Replace(entry(`,"organisation":"`+o.Slug+`"`), `"2099-12-31"`, `"2001-01-01"`, 1), 400, &problem)
		if len(problem.Errors) != 1 || problem.Errors[0].Field != "evidence.0.expires_at" {
			t.Fatalf("expired evidence: %+v", problem.Errors)
		}
		call(t, s, "POST", "/api/v1/solutions", outsider, entry(`,"organisation":"`+o.Slug+`"`), 403, nil)

		var st apiSolutionState
		call(t, s, "POST", "/api/v1/solutions", provider, entry(`,"organisation":"`+o.Slug+`"`), 201, &st)
		if st.Working == nil || st.Working.State != catalog.Draft || st.Published != nil || st.Working.Entry.Evidence[0].ExpiresAt == nil ||
			*st.Working.Entry.Evidence[0].ExpiresAt != "2099-12-31" {
			t.Fatalf("created %+v", st)
		}
		base := "/api/v1/solutions/" + st.Slug

		// A logo and a screenshot uploaded by API go into the entry by id.
		upload := func(kind string, pairs ...string) string {
			t.Helper()
			body, ct := multipartBody(t, testPicture(t, 40, 30, "png"), "bild.png", "image/png", append([]string{"kind", kind, media.Field, ""}, pairs...)...)
			rec := do(t, s, "POST", base+"/media", strings.NewReader(body), provider, "Content-Type: "+ct)
			var m struct {
				ID string `json:"id"`
			}
			if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &m) != nil || m.ID == "" {
				t.Fatalf("upload %s: %d %s", kind, rec.Code, rec.Body)
			}
			return m.ID
		}
		logo, shot := upload("logo"), upload("screenshot", "alt", "Startseite")
		pics = `,"logo":"` + logo + `","screenshots":[{"id":"` + shot + `","alt":"Karte der Meldungen"}]`
		call(t, s, "PUT", base, provider, entry(`,"lock":`+fmt.Sprint(st.Lock)), 200, &st)
		if st.Working.Entry.Logo != logo || len(st.Working.Entry.Screenshots) != 1 || st.Working.Entry.Screenshots[0].Alt != "Karte der Meldungen" {
			t.Fatalf("media in the entry: %+v", st.Working.Entry)
		}
		call(t, s, "PUT", base, provider, strings.Replace(entry(`,"lock":`+fmt.Sprint(st.Lock)), logo, uuid.NewString(), 1), 400, nil)
		call(t, s, "GET", base, "", "", 404, nil)                   // a draft is not public
		call(t, s, "GET", base+"/versions", outsider, "", 404, nil) // nor there for others
		lock := func(n int) string { return fmt.Sprintf(`{"lock":%d}`, n) }

		// Unverified organisations prepare but cannot submit.
		call(t, s, "POST", base+"/submit", provider, lock(st.Lock), 403, nil)
		od, err := s.DB.OrgBySlug(ctx, o.Slug)
		if err != nil {
			t.Fatal(err)
		}
		colleague := mustAccount(t, s, "kollegin-"+tag+"@firma.example", "Kollegin")
		if err := s.DB.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: od.ID, UserID: colleague.ID, Email: colleague.Email, Status: org.Approved},
			account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		call(t, s, "POST", base+"/submit", provider, lock(st.Lock), 200, &st)
		if st.Working.State != catalog.Submitted {
			t.Fatalf("submitted: %+v", st.Working)
		}
		call(t, s, "PUT", base, provider, entry(`,"lock":`+fmt.Sprint(st.Lock)), 409, nil) // in review

		// Two curators decide on the same state: the second is refused.
		seen := st.Lock
		call(t, s, "POST", base+"/review", curatorA, `{"lock":`+fmt.Sprint(seen)+`,"decision":"changes","comment":"Bitte Preise begründen."}`, 200, &st)
		call(t, s, "POST", base+"/review", curatorB, `{"lock":`+fmt.Sprint(seen)+`,"decision":"publish"}`, 409, nil)
		if st.Working.State != catalog.ChangesRequested || st.Working.Comment != "Bitte Preise begründen." {
			t.Fatalf("changes requested: %+v", st.Working)
		}

		call(t, s, "PUT", base, provider, entry(`,"lock":`+fmt.Sprint(st.Lock)+`,"support":"Werktags binnen eines Tages"`), 200, &st)
		call(t, s, "POST", base+"/submit", provider, lock(st.Lock), 200, &st)
		call(t, s, "POST", base+"/review", curatorB, `{"lock":`+fmt.Sprint(st.Lock)+`,"decision":"publish"}`, 200, &st)
		if st.Published == nil || st.Working != nil || st.Published.Entry.Support != "Werktags binnen eines Tages" {
			t.Fatalf("published: %+v", st)
		}
		var pub apiSolution
		call(t, s, "GET", base, "", "", 200, &pub)
		if pub.Support != "Werktags binnen eines Tages" || !pub.Badges.BITVStatement {
			t.Fatalf("public: %+v", pub)
		}
		if pub.Logo == nil || !strings.HasPrefix(pub.Logo.URL, "http://platform.test/loesungen/"+st.Slug+"/medien/"+logo) ||
			len(pub.Screenshots) != 1 || pub.Screenshots[0].Alt != "Karte der Meldungen" || pub.Screenshots[0].Width != 40 {
			t.Fatalf("public pictures: %+v %+v", pub.Logo, pub.Screenshots)
		}
		if rec := get(t, s, strings.TrimPrefix(pub.Screenshots[0].URL, "http://platform.test")); rec.Code != 200 {
			t.Fatalf("published screenshot: %d", rec.Code)
		}

		// A change to the published solution is a new version; the public
		// one stays until it is published.
		call(t, s, "PUT", base, provider, entry(`,"lock":`+fmt.Sprint(st.Lock)+`,"support":"Rund um die Uhr"`), 200, &st)
		call(t, s, "GET", base, "", "", 200, &pub)
		if pub.Support != "Werktags binnen eines Tages" || st.Working == nil || st.Working.Number != 2 {
			t.Fatalf("new version: public %q, working %+v", pub.Support, st.Working)
		}
		var vs struct {
			apiSolutionState
			Versions []apiVersion `json:"versions"`
		}
		call(t, s, "GET", base+"/versions", provider, "", 200, &vs)
		if len(vs.Versions) != 2 {
			t.Fatalf("versions: %+v", vs.Versions)
		}

		call(t, s, "POST", base+"/archive", outsider, `{"lock":`+fmt.Sprint(st.Lock)+`,"reason":"x"}`, 403, nil)
		call(t, s, "POST", base+"/archive", provider, `{"lock":`+fmt.Sprint(st.Lock)+`,"reason":"Eingestellt"}`, 200, &st)
		if st.ArchivedAt == nil || st.ArchiveReason != "Eingestellt" {
			t.Fatalf("archived: %+v", st)
		}
		call(t, s, "GET", base, "", "", 404, nil)
	})
}
