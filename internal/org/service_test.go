package org_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// inbox collects the mails the service sends.
type inbox struct {
	mu    sync.Mutex
	mails []account.Mail
}

func (b *inbox) Send(_ context.Context, m account.Mail) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mails = append(b.mails, m)
	return nil
}

var reInvite = regexp.MustCompile(`/einladung/(\S+)`)

// last returns the newest mail to addr.
func (b *inbox) last(t *testing.T, addr string) account.Mail {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.mails) - 1; i >= 0; i-- {
		if b.mails[i].To == addr {
			return b.mails[i]
		}
	}
	t.Fatalf("no mail to %s", addr)
	return account.Mail{}
}

// fixture is an organisation service over a database with the register.
type fixture struct {
	db  *store.DB
	svc *org.Service
	box *inbox
	now time.Time
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	regiontest.ImportDistricts(t, db, "09162", "09184")
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, box: &inbox{}, now: time.Now().UTC()}
	f.svc = org.NewService(db, regiontest.Service(db), f.box, bundle, "https://plattform.example", slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.svc.Now = func() time.Time { return f.now }
	return f
}

// user stores an account; confirmed unless told otherwise.
func (f *fixture) user(t *testing.T, email string, confirmed bool, roles ...account.Role) account.User {
	t.Helper()
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Name: strings.Split(email, "@")[0], Lang: "de", Created: now, Roles: roles}
	if confirmed {
		u.EmailConfirmed = &now
	}
	if err := f.db.CreateUser(t.Context(), account.NewUser{User: u, Roles: roles}); err != nil {
		t.Fatal(err)
	}
	return u
}

func code(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		s := string(e.Code) + ":" + e.Msg.Key
		for _, f := range e.Fields {
			s += " " + f.Field + "=" + f.Key
		}
		return s
	}
	return fmt.Sprint(err)
}

var meta = account.Meta{IP: "192.0.2.7", Lang: "de"}

func TestCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		alice := f.user(t, "alice@muenchen.de", true)
		unconfirmed := f.user(t, "bob@example.org", false)

		muc, err := f.svc.Create(ctx, alice, org.NewOrg{Kind: org.Municipality, RegionKey: " 09162000 ", Name: "ignored", Website: "www.muenchen.de"}, meta)
		if err != nil {
			t.Fatal(err)
		}
		if muc.RegionKey != "09162000" || !strings.HasPrefix(muc.Name, "München") || muc.Slug != org.Slug(muc.Name) ||
			muc.Website != "https://www.muenchen.de" || muc.Verified() || muc.CanPublish() {
			t.Errorf("created %+v", muc)
		}
		m, err := db.Membership(ctx, muc.ID, alice.ID)
		if err != nil || m.Role != org.Admin {
			t.Errorf("creator membership %+v, %v", m, err)
		}

		a1, err := f.svc.Create(ctx, alice, org.NewOrg{Kind: org.Company, Name: "  Digital   Werk GmbH "}, meta)
		if err != nil {
			t.Fatal(err)
		}
		a2, err := f.svc.Create(ctx, alice, org.NewOrg{Kind: org.Company, Name: "Digital Werk GmbH"}, meta)
		if err != nil {
			t.Fatal(err)
		}
		if a1.Name != "Digital Werk GmbH" || a1.Slug != "digital-werk-gmbh" || a2.Slug != "digital-werk-gmbh-2" {
			t.Errorf("slugs %q %q (name %q)", a1.Slug, a2.Slug, a1.Name)
		}

		for _, tc := range []struct {
			name string
			u    account.User
			n    org.NewOrg
			want string
		}{
			{"RegionTaken", alice, org.NewOrg{Kind: org.Municipality, RegionKey: "09162000"}, "conflict:org.error.region_taken"},
			{"UnknownAGS", alice, org.NewOrg{Kind: org.Municipality, RegionKey: "99999999"}, "invalid:error.invalid region=org.error.region_municipality"},
			{"MalformedDistrict", alice, org.NewOrg{Kind: org.District, RegionKey: "9184"}, "invalid:error.invalid region=org.error.region_district"},
			{"UnknownKind", alice, org.NewOrg{Kind: "club", Name: "X"}, "invalid:error.invalid kind=org.error.kind"},
			{"NameMissing", alice, org.NewOrg{Kind: org.Research, Name: "  "}, "invalid:error.invalid name=form.error.required"},
			{"NameTooLong", alice, org.NewOrg{Kind: org.Research, Name: strings.Repeat("x", 201)}, "invalid:error.invalid name=form.error.too_long"},
			{"BadWebsite", alice, org.NewOrg{Kind: org.Company, Name: "Y", Website: "ftp://x.de"}, "invalid:error.invalid website=org.error.website"},
			{"Unconfirmed", unconfirmed, org.NewOrg{Kind: org.Company, Name: "Z"}, "forbidden:org.error.unconfirmed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.Create(ctx, tc.u, tc.n, meta)
				if got := code(err); got != tc.want {
					t.Errorf("got %s, want %s", got, tc.want)
				}
			})
		}
		page, err := f.svc.List(ctx, org.ListQuery{})
		if err != nil || page.Total != 3 {
			t.Errorf("list: %d, %v", page.Total, err)
		}
		if page, _ := f.svc.List(ctx, org.ListQuery{VerifiedOnly: true}); page.Total != 0 {
			t.Errorf("unverified listed publicly: %+v", page)
		}
		if page, _ := f.svc.List(ctx, org.ListQuery{Query: "muenchen"}); page.Total != 1 {
			t.Errorf("search muenchen: %+v", page)
		}
		if page, _ := f.svc.List(ctx, org.ListQuery{Limit: 2}); len(page.Items) != 2 || page.Next == "" {
			t.Errorf("first page %+v", page)
		} else if next, _ := f.svc.List(ctx, org.ListQuery{Limit: 2, After: page.Next}); len(next.Items) != 1 || next.Next != "" {
			t.Errorf("second page %+v", next)
		}
		if _, _, err := f.svc.Get(ctx, nil, muc.Slug); code(err) != "not_found:org.error.not_found" {
			t.Errorf("visitor sees unverified organisation: %v", err)
		}
		if _, mp, err := f.svc.Get(ctx, &unconfirmed, muc.Slug); err != nil || mp != nil {
			t.Errorf("signed-in user: %v %v", mp, err)
		}
	})
}

func TestMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		admin := f.user(t, "admin@kreis.example", true)
		bea := f.user(t, "bea@kreis.example", true)
		other := f.user(t, "other@kreis.example", true)
		o, err := f.svc.Create(ctx, admin, org.NewOrg{Kind: org.District, RegionKey: "09184"}, meta)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Invite(ctx, bea, o.Slug, "x@y.de", org.Member, "de", meta); code(err) != "forbidden:error.forbidden" {
			t.Errorf("non-member invites: %v", err)
		}
		if _, err := f.svc.Invite(ctx, admin, o.Slug, "kein-adresse", "boss", "de", meta); code(err) != "invalid:error.invalid email=form.error.email role=org.error.role" {
			t.Errorf("bad invitation: %s", code(err))
		}
		if _, err := f.svc.Invite(ctx, admin, o.Slug, "ADMIN@kreis.example", org.Member, "de", meta); code(err) != "invalid:error.invalid email=org.error.already_member" {
			t.Errorf("invite member: %s", code(err))
		}
		first, err := f.svc.Invite(ctx, admin, o.Slug, "Bea@Kreis.example", org.Member, "de", meta)
		if err != nil {
			t.Fatal(err)
		}
		oldSecret := reInvite.FindStringSubmatch(f.box.last(t, "bea@kreis.example").Text)[1]
		// A second invitation replaces the first.
		if _, err := f.svc.Invite(ctx, admin, o.Slug, "bea@kreis.example", org.Admin, "en", meta); err != nil {
			t.Fatal(err)
		}
		mail := f.box.last(t, "bea@kreis.example")
		if !strings.Contains(mail.Subject, "Invitation") || !strings.Contains(mail.Text, o.Name) {
			t.Errorf("mail %+v", mail)
		}
		secret := reInvite.FindStringSubmatch(mail.Text)[1]
		if _, err := f.svc.Accept(ctx, bea, oldSecret, meta); code(err) != "invalid:org.error.invitation_revoked" {
			t.Errorf("replaced invitation %s: %s", first.ID, code(err))
		}
		if _, err := f.svc.Accept(ctx, other, secret, meta); code(err) != "forbidden:org.error.invitation_other" {
			t.Errorf("accepted by someone else: %s", code(err))
		}
		if _, err := f.svc.Accept(ctx, bea, "nonsense", meta); code(err) != "not_found:org.error.invitation_invalid" {
			t.Errorf("unknown link: %s", code(err))
		}
		inv, err := f.svc.Accept(ctx, bea, secret, meta)
		if err != nil || inv.OrgID != o.ID {
			t.Fatalf("accept: %+v %v", inv, err)
		}
		if _, err := f.svc.Accept(ctx, bea, secret, meta); code(err) != "invalid:account.error.link_used" {
			t.Errorf("reused: %s", code(err))
		}
		if m, _ := db.Membership(ctx, o.ID, bea.ID); m.Role != org.Admin {
			t.Errorf("bea is %q", m.Role)
		}

		// Expiry.
		if _, err := f.svc.Invite(ctx, admin, o.Slug, "other@kreis.example", org.Member, "de", meta); err != nil {
			t.Fatal(err)
		}
		late := reInvite.FindStringSubmatch(f.box.last(t, "other@kreis.example").Text)[1]
		db.Now = func() time.Time { return time.Now().Add(org.InvitationLifetime + time.Hour) }
		f.now = db.Now()
		if _, err := f.svc.Accept(ctx, other, late, meta); code(err) != "invalid:account.error.link_expired" {
			t.Errorf("expired: %s", code(err))
		}
		db.Now, f.now = time.Now, time.Now()

		// Roles and leaving keep an admin.
		if err := f.svc.SetRole(ctx, admin, o.Slug, bea.ID, org.Member, meta); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			do   func() error
			want string
		}{
			{"DemoteLastAdmin", func() error { return f.svc.SetRole(ctx, admin, o.Slug, admin.ID, org.Member, meta) }, "invalid:org.error.last_admin"},
			{"LastAdminLeaves", func() error { return f.svc.Leave(ctx, admin, o.Slug, meta) }, "invalid:org.error.last_admin"},
			{"MemberRemoves", func() error { return f.svc.Remove(ctx, bea, o.Slug, admin.ID, meta) }, "forbidden:error.forbidden"},
			{"OutsiderLeaves", func() error { return f.svc.Leave(ctx, other, o.Slug, meta) }, "forbidden:error.forbidden"},
			{"RemoveNonMember", func() error { return f.svc.Remove(ctx, admin, o.Slug, other.ID, meta) }, "not_found:org.error.not_member"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := code(tc.do()); got != tc.want {
					t.Errorf("got %s, want %s", got, tc.want)
				}
			})
		}
		if err := f.svc.Leave(ctx, bea, o.Slug, meta); err != nil {
			t.Fatal(err)
		}
		// Alone, the last admin may leave; the organisation stays.
		if err := f.svc.Leave(ctx, admin, o.Slug, meta); err != nil {
			t.Fatal(err)
		}
		if got, err := db.OrgBySlug(ctx, o.Slug); err != nil || got.Members != 0 {
			t.Errorf("after everyone left: %+v %v", got, err)
		}
		log, err := db.AuditLog(ctx, account.AuditFilter{Action: "org.", Limit: 100})
		if err != nil || len(log.Items) < 8 {
			t.Errorf("audit: %d entries, %v", len(log.Items), err)
		}
	})
}

func TestVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		admin := f.user(t, "it@gemeinde-kirchheim.de", true)
		curator := f.user(t, "kuration@kompetenz.example", true, account.Curator)
		colleague := f.user(t, "hauptamt@gemeinde-kirchheim.de", true)
		stranger := f.user(t, "someone@gmail.com", true)
		o, err := f.svc.Create(ctx, admin, org.NewOrg{Kind: org.Municipality, RegionKey: "09184130"}, meta)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RequestVerification(ctx, admin, o.Slug, " ", meta); code(err) != "invalid:error.invalid statement=form.error.required" {
			t.Errorf("empty statement: %s", code(err))
		}
		req, err := f.svc.RequestVerification(ctx, admin, o.Slug, "Ich leite die IT der Gemeinde.", meta)
		if err != nil || req.Status != org.Pending {
			t.Fatalf("request: %+v %v", req, err)
		}
		if _, err := f.svc.RequestVerification(ctx, admin, o.Slug, "Nochmal", meta); code(err) != "conflict:org.error.request_pending" {
			t.Errorf("second request: %s", code(err))
		}
		if _, err := f.svc.Requests(ctx, admin, org.RequestQuery{Status: org.Pending}); code(err) != "forbidden:error.forbidden" {
			t.Errorf("admin reads queue: %s", code(err))
		}
		if _, err := f.svc.Decide(ctx, admin, req.ID, org.Decision{Approve: true, Reason: "selbst"}, meta); code(err) != "forbidden:error.forbidden" {
			t.Errorf("admin decides own request: %s", code(err))
		}
		queue, err := f.svc.Requests(ctx, curator, org.RequestQuery{Status: org.Pending})
		if err != nil || queue.Total != 1 || queue.Items[0].ID != req.ID || !queue.Items[0].Member {
			t.Fatalf("queue %+v %v", queue, err)
		}
		if _, err := f.svc.Decide(ctx, curator, req.ID, org.Decision{Approve: true}, meta); code(err) != "invalid:error.invalid reason=form.error.required" {
			t.Errorf("no reason: %s", code(err))
		}
		got, err := f.svc.Decide(ctx, curator, req.ID, org.Decision{Approve: true, Reason: "Rückruf im Rathaus am 24.11.", AddDomain: true}, meta)
		if err != nil || got.Status != org.Approved {
			t.Fatalf("decide: %+v %v", got, err)
		}
		if m := f.box.last(t, admin.Email); !strings.Contains(m.Text, "Rückruf im Rathaus") {
			t.Errorf("decision mail %q", m.Text)
		}
		if _, err := f.svc.Decide(ctx, curator, req.ID, org.Decision{Approve: false, Reason: "doch nicht"}, meta); code(err) != "conflict:org.error.request_decided" {
			t.Errorf("decided twice: %s", code(err))
		}
		o, _, err = f.svc.Get(ctx, nil, o.Slug)
		if err != nil || !o.CanPublish() || len(o.Domains) != 1 || o.Domains[0] != "gemeinde-kirchheim.de" {
			t.Fatalf("verified organisation %+v %v", o, err)
		}

		// A colleague at the official domain is confirmed at once.
		auto, err := f.svc.RequestVerification(ctx, colleague, o.Slug, "", meta)
		if err != nil || auto.Status != org.Approved || !auto.Automatic {
			t.Fatalf("automatic: %+v %v", auto, err)
		}
		if m, err := db.Membership(ctx, o.ID, colleague.ID); err != nil || m.Role != org.Member {
			t.Errorf("colleague %+v %v", m, err)
		}
		// Someone else waits for a curator, who rejects with a reason and
		// cannot make a public mail service official.
		r2, err := f.svc.RequestVerification(ctx, stranger, o.Slug, "Ich bin Bürgermeister.", meta)
		if err != nil || r2.Status != org.Pending {
			t.Fatalf("stranger: %+v %v", r2, err)
		}
		if _, err := f.svc.Decide(ctx, curator, r2.ID, org.Decision{Approve: true, Reason: "x", AddDomain: true}, meta); code(err) != "invalid:error.invalid add_domain=org.error.domain_freemail" {
			t.Errorf("freemail domain: %s", code(err))
		}
		if _, err := f.svc.Decide(ctx, curator, r2.ID, org.Decision{Reason: "Nicht im Rathaus bekannt."}, meta); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Membership(ctx, o.ID, stranger.ID); code(err) != "not_found:org.error.not_member" {
			t.Errorf("rejected requester became member: %v", err)
		}
		if _, err := f.svc.RequestVerification(ctx, admin, o.Slug, "x", meta); code(err) != "conflict:org.error.already_verified" {
			t.Errorf("verified member asks again: %s", code(err))
		}

		for _, tc := range []struct{ in, want string }{
			{"stadt.de, www.Stadt-Verwaltung.de\n@kreis.de", ""},
			{"gmail.com", "invalid:error.invalid domains=org.error.domain_freemail"},
			{"kein domain", "invalid:error.invalid domains=org.error.domain domains=org.error.domain"},
		} {
			if got := code(f.svc.SetDomains(ctx, curator, o.Slug, tc.in, meta)); got != tc.want && !(tc.want == "" && got == "<nil>") {
				t.Errorf("domains %q: %s, want %s", tc.in, got, tc.want)
			}
		}
		if err := f.svc.SetDomains(ctx, admin, o.Slug, "x.de", meta); code(err) != "forbidden:error.forbidden" {
			t.Errorf("admin sets domains: %s", code(err))
		}
		o, _, _ = f.svc.Get(ctx, nil, o.Slug)
		if strings.Join(o.Domains, " ") != "kreis.de stadt-verwaltung.de stadt.de" {
			t.Errorf("domains %v", o.Domains)
		}
	})
}
