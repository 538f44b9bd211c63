package exploration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/exploration"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// fakeSearch answers every search with its solutions: the catalogue as
// it stands, which a test may change after freezing.
type fakeSearch struct{ sols []catalog.Solution }

func (f *fakeSearch) Search(ctx context.Context, q search.Query) (search.Result, error) {
	var r search.Result
	for _, s := range f.sols {
		r.Items = append(r.Items, search.Hit{Solution: s})
	}
	r.Total = len(r.Items)
	return r, nil
}

func (f *fakeSearch) UsesByBand(ctx context.Context, ids []string) (map[string]map[region.Band]int, error) {
	out := map[string]map[region.Band]int{}
	for _, id := range ids {
		out[id] = map[region.Band]int{"small": 2, "large": 1}
	}
	return out, nil
}

type sentNote struct{ user, link string }

type fakeNotify struct{ sent []sentNote }

func (f *fakeNotify) Notify(ctx context.Context, userID, kind, action, title, link string) error {
	f.sent = append(f.sent, sentNote{userID, link})
	return nil
}

type fixture struct {
	db               *store.DB
	svc              *exploration.Service
	cat              *fakeSearch
	notes            *fakeNotify
	buyer, provider  exploration.Actor
	other, stranger  exploration.Actor
	now              time.Time
	providerOrgs     []org.Organisation
	providerSolution []catalog.Solution
}

func mustUser(t *testing.T, db *store.DB, email string) account.User {
	t.Helper()
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Name: email, Lang: "de", Created: now, EmailConfirmed: &now}
	if err := db.CreateUser(t.Context(), account.NewUser{User: u, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	return u
}

func mustOrg(t *testing.T, db *store.DB, u account.User, slug string, kind org.Kind) org.Organisation {
	t.Helper()
	o, err := db.CreateOrg(t.Context(), org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Kind: kind, Name: slug + " GmbH Ä"},
		u.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func member(u account.User, o org.Organisation) exploration.Actor {
	return exploration.Actor{User: &u, Orgs: []org.Membership{{OrgID: o.ID, UserID: u.ID, OrgSlug: o.Slug, OrgName: o.Name, OrgKind: o.Kind, Verified: true, Role: org.Admin}}}
}

func solution(o org.Organisation, name string) catalog.Solution {
	return catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: strings.ToLower(name), OrgID: o.ID, OrgSlug: o.Slug, OrgName: o.Name,
		Published: &catalog.Version{Number: 1, Entry: catalog.Entry{Name: name, Short: "Kurz", Licence: "EUPL-1.2",
			Delivery: []catalog.Delivery{{Model: "saas", Price: "per_user", Hosting: "de"}}}}}
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	texts, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, cat: &fakeSearch{}, notes: &fakeNotify{}, now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	f.svc = exploration.NewService(db, nil, f.cat, f.notes, texts)
	f.svc.Now = func() time.Time { return f.now }
	bu := mustUser(t, db, "einkauf@musterstadt.example")
	buyerOrg := mustOrg(t, db, bu, "musterstadt", org.Municipality)
	f.buyer = member(bu, buyerOrg)
	for i, name := range []string{"Parkfuchs", "Stadtlot"} {
		pu := mustUser(t, db, name+"@anbieter.example")
		o := mustOrg(t, db, pu, strings.ToLower(name), org.Company)
		f.providerOrgs = append(f.providerOrgs, o)
		f.providerSolution = append(f.providerSolution, solution(o, name))
		if i == 0 {
			f.provider = member(pu, o)
		} else {
			f.other = member(pu, o)
		}
	}
	f.cat.sols = slices.Clone(f.providerSolution)
	su := mustUser(t, db, "fremd@nachbar.example")
	f.stranger = member(su, mustOrg(t, db, su, "nachbarort", org.Municipality))
	return f
}

func TestExplorationFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		m := account.Meta{IP: "192.0.2.1"}
		e, err := f.svc.Create(ctx, f.buyer, exploration.Start{Query: "q=parken&bereitstellung=saas"}, m)
		if err != nil {
			t.Fatal(err)
		}
		if e.State != exploration.Draft || e.Org.Slug != "musterstadt" || !e.VerifySnapshot() || e.Query == "" {
			t.Fatalf("created %+v", e)
		}
		snap, _ := e.Frozen()
		if len(snap.Candidates) != 2 || snap.Candidates[0].Name != "Parkfuchs" || snap.Candidates[0].VerifiedUsers != 3 {
			t.Fatalf("snapshot %+v", snap)
		}
		// A later catalogue edit leaves the snapshot and its hash alone.
		f.cat.sols[0].Published.Entry.Name = "Parkfuchs Neu"
		again, err := f.svc.Get(ctx, f.buyer, e.ID)
		if err != nil || !bytes.Equal(again.Snapshot, e.Snapshot) || !again.VerifySnapshot() {
			t.Fatalf("snapshot changed: %v", err)
		}
		// Others see nothing; providers nothing before sending.
		for name, a := range map[string]exploration.Actor{"stranger": f.stranger, "provider": f.provider, "visitor": {}} {
			if _, err := f.svc.Get(ctx, a, e.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("%s: %v", name, err)
			}
		}

		// Criteria: weights must sum to 100.
		if _, err := f.svc.SetCriteria(ctx, f.buyer, e.ID, e.Lock, []exploration.Criterion{{Name: "Preis", Weight: 50}, {Name: "Hosting", Weight: 40}}, m); !hasField(err, "weights") {
			t.Errorf("sum 90: %v", err)
		}
		e, err = f.svc.SetCriteria(ctx, f.buyer, e.ID, e.Lock, []exploration.Criterion{{Name: "Preis", Weight: 60}, {Name: "Hosting in DE", Weight: 40, Exclusion: true}}, m)
		if err != nil {
			t.Fatal(err)
		}
		// RFI: deadline in the future, providers among the candidates.
		past := f.now.Add(-time.Hour)
		bad := exploration.RFI{Questions: []exploration.Question{{Text: "Preis?", Type: "number"}}, Deadline: &past, Providers: []string{"x"}}
		if _, err := f.svc.SetRFI(ctx, f.buyer, e.ID, e.Lock, bad, m); !hasField(err, "deadline") || !hasField(err, "providers") {
			t.Errorf("bad rfi: %v", err)
		}
		deadline := f.now.Add(48 * time.Hour)
		rfi := exploration.RFI{Questions: []exploration.Question{{Text: "Preis pro Jahr?", Type: "number"}, {Text: "Hosting in Deutschland?", Type: "yesno"}},
			Deadline: &deadline, Providers: []string{f.providerOrgs[0].ID, f.providerOrgs[1].ID}}
		if e, err = f.svc.SetRFI(ctx, f.buyer, e.ID, e.Lock, rfi, m); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Send(ctx, f.buyer, e.ID, e.Lock-1, m); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale send: %v", err)
		}
		if e, err = f.svc.Send(ctx, f.buyer, e.ID, e.Lock, m); err != nil || e.State != exploration.Sent {
			t.Fatalf("send: %v", err)
		}
		if len(f.notes.sent) != 2 || f.notes.sent[0].link != "/markterkundungen/"+e.ID+"/antwort" {
			t.Errorf("notifications %+v", f.notes.sent)
		}
		// Scoring waits for the deadline or all answers.
		if _, err := f.svc.SetScores(ctx, f.buyer, e.ID, e.Lock, nil, m); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("early scoring: %v", err)
		}
		// Providers answer; they see only their own answers.
		if _, err := f.svc.Answer(ctx, f.provider, e.ID, []string{"12000", "vielleicht"}, m); !hasField(err, "answer_1") {
			t.Errorf("bad yes/no: %v", err)
		}
		if _, err := f.svc.Answer(ctx, f.provider, e.ID, []string{"12000", "yes"}, m); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(time.Hour)
		an, err := f.svc.Answer(ctx, f.provider, e.ID, []string{"11000", "yes"}, m)
		if err != nil || an.Values[0] != "11000" || !an.Submitted.Equal(f.now.Add(-time.Hour)) || !an.Updated.Equal(f.now) {
			t.Fatalf("edited answer %+v %v", an, err)
		}
		if _, err := f.svc.Answer(ctx, f.stranger, e.ID, []string{"1", "no"}, m); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("stranger answers: %v", err)
		}
		if _, err := f.svc.Answer(ctx, f.other, e.ID, []string{"9000", "no"}, m); err != nil {
			t.Fatal(err)
		}
		pe, _ := f.svc.Get(ctx, f.provider, e.ID)
		own, err := f.svc.Answers(ctx, f.provider, pe)
		if err != nil || len(own) != 1 || own[0].Org.ID != f.providerOrgs[0].ID {
			t.Errorf("provider sees %+v %v", own, err)
		}
		all, _ := f.svc.Answers(ctx, f.buyer, e)
		if len(all) != 2 {
			t.Errorf("buyer sees %d answers", len(all))
		}
		// After the deadline answers are refused.
		f.now = deadline.Add(time.Second)
		if _, err := f.svc.Answer(ctx, f.provider, e.ID, []string{"1", "no"}, m); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("late answer: %v", err)
		}
		// Scores: ranges, exclusions with reasons, exclusion criteria.
		p0, p1 := f.providerSolution[0].ID, f.providerSolution[1].ID
		bads := []exploration.Score{{Solution: p0, Values: []int{11, 5}}, {Solution: p1, Values: []int{5, 0}}}
		if _, err := f.svc.SetScores(ctx, f.buyer, e.ID, e.Lock, bads, m); !hasField(err, "score_"+p0) || !hasField(err, "score_"+p1) {
			t.Errorf("bad scores: %v", err)
		}
		if _, err := f.svc.SetScores(ctx, f.buyer, e.ID, e.Lock, []exploration.Score{{Solution: p1, Excluded: true}}, m); !hasField(err, "score_"+p1) {
			t.Errorf("exclusion without reason: %v", err)
		}
		scores := []exploration.Score{{Solution: p0, Values: []int{8, 10}, Comment: "gut"}, {Solution: p1, Values: []int{9, 0}, Excluded: true, Reason: "Kein Hosting in Deutschland"}}
		if e, err = f.svc.SetScores(ctx, f.buyer, e.ID, e.Lock, scores, m); err != nil {
			t.Fatal(err)
		}
		rk := e.Ranking(snap)
		if rk[0].Rank != 1 || rk[0].Total != 88 || rk[1].Rank != 0 {
			t.Errorf("ranking %+v", rk)
		}
		if _, err := f.svc.Close(ctx, f.buyer, e.ID, e.Lock, exploration.Closing{Outcome: exploration.Awarded, AwardedTo: p1, Reason: "x"}, m); !hasField(err, "awarded_to") {
			t.Errorf("award to excluded: %v", err)
		}
		if e, err = f.svc.Close(ctx, f.buyer, e.ID, e.Lock, exploration.Closing{Outcome: exploration.Awarded, AwardedTo: p0, Reason: "Bestes Ergebnis"}, m); err != nil {
			t.Fatal(err)
		}
		// Closed: read-only.
		if _, err := f.svc.SetCriteria(ctx, f.buyer, e.ID, e.Lock, e.Criteria, m); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("criteria after closing: %v", err)
		}
		if _, err := f.svc.SetScores(ctx, f.buyer, e.ID, e.Lock, scores, m); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("scores after closing: %v", err)
		}

		// Reports: every file hash on record; a changed byte fails.
		for _, format := range []string{"json", "pdf", "xlsx"} {
			file, err := f.svc.Report(ctx, f.buyer, e.ID, format, "de", m)
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			v, err := f.svc.Verify(ctx, file.Body)
			if err != nil || !v.Genuine() || v.Exploration == nil || v.Exploration.ID != e.ID || v.Reports[0].ByLabel != "einkauf@musterstadt.example" {
				t.Errorf("%s: verify %+v %v", format, v, err)
			}
			changed := bytes.Clone(file.Body)
			changed[len(changed)/2] ^= 1
			if v, err := f.svc.Verify(ctx, changed); err != nil || v.Genuine() {
				t.Errorf("%s: changed byte verifies: %+v %v", format, v, err)
			}
			checkReport(t, format, file.Body, e)
		}
		if _, err := f.svc.Report(ctx, f.stranger, e.ID, "pdf", "de", m); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("stranger report: %v", err)
		}
		if _, err := f.svc.Report(ctx, f.provider, e.ID, "pdf", "de", m); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("provider report: %v", err)
		}
	})
}

// checkReport reads a report back and looks for its facts.
func checkReport(t *testing.T, format string, body []byte, e exploration.Exploration) {
	t.Helper()
	var text string
	switch format {
	case "json":
		var r struct {
			Content exploration.Content `json:"content"`
		}
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		c := r.Content
		if c.SnapshotSHA256 != e.SnapshotHash || !c.FewerThanThree || len(c.Answers) != 2 || c.Candidates[0].Rank != 1 || c.AwardedTo == "" {
			t.Errorf("json content %+v", c)
		}
		text = c.Note
	case "pdf":
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed")
		}
		cmd := exec.Command("pdftotext", "-layout", "-", "-")
		cmd.Stdin = bytes.NewReader(body)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		text = string(out)
	case "xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); !slices.Equal(got, []string{"Übersicht", "Kandidaten", "Antworten", "Bewertung"}) {
			t.Errorf("sheets %v", got)
		}
		for _, sh := range f.GetSheetList() {
			rows, err := f.GetRows(sh)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				text += strings.Join(r, "\t") + "\n"
			}
		}
	}
	for _, want := range []string{"Parkfuchs", e.SnapshotHash, "weniger als die empfohlenen 3", "Kein Hosting in Deutschland", "88,0", "Musterstadt"} {
		if want == "Musterstadt" {
			want = "musterstadt GmbH Ä"
		}
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", format, want, text)
		}
	}
}

func hasField(err error, field string) bool {
	var ae *apperr.Error
	if e, ok := err.(*apperr.Error); ok {
		ae = e
	}
	if ae == nil {
		return false
	}
	for _, f := range ae.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
