package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

var _ advice.Store = (*store.DB)(nil)

// mustAdvice stores a request of o by asker, due at due.
func mustAdvice(t *testing.T, db *store.DB, o org.Organisation, asker account.User, agent string, st advice.State, due time.Time) advice.Request {
	t.Helper()
	now := time.Now().UTC()
	r := advice.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, Asker: advice.Person{ID: asker.ID}, Topic: "Frage",
		Urg: advice.Normal, State: st, Agent: advice.Person{ID: agent}, Due: due, Created: now}
	m := advice.Message{ID: uuid.Must(uuid.NewV7()).String(), RequestID: r.ID, Author: advice.Person{ID: asker.ID}, Body: "Wie?",
		Attachments: []advice.Attachment{{ID: uuid.Must(uuid.NewV7()).String(), Name: "a.txt", Type: "text/plain", Size: 5, Data: []byte("Hallo")}}}
	m.Attachments[0].RequestID, m.Attachments[0].MessageID = r.ID, m.ID
	out, err := db.CreateAdvice(t.Context(), r, m, nil, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAdvice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		asker := mustUser(t, db, "eva@musterstadt.de", "Eva")
		adv := mustUser(t, db, "ali@zentrum.de", "Ali", account.Advisor)
		o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "musterstadt", Kind: org.Municipality,
			Name: "Musterstadt"}, asker.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		out := mail.Outgoing{Mail: mail.Mail{ID: uuid.Must(uuid.NewV7()).String(), Status: mail.StatusStored,
			Message: mail.Message{To: adv.Email, Subject: "Neu", Text: "Neu", Lang: "de", Kind: "advice.assigned"}}}
		r := advice.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, Asker: advice.Person{ID: asker.ID}, Topic: "Parken",
			Field: "mobility", Urg: advice.High, State: advice.Assigned, Agent: advice.Person{ID: adv.ID}, Due: now.Add(48 * time.Hour), Created: now}
		first := advice.Message{ID: uuid.Must(uuid.NewV7()).String(), RequestID: r.ID, Author: advice.Person{ID: asker.ID}, Body: "Frage"}
		got, err := db.CreateAdvice(ctx, r, first, []mail.Outgoing{out}, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "advice.created"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Seq != 1 || got.Asker.Email != asker.Email || got.Agent.Name != "Ali" || got.Org.Name != "Musterstadt" || got.State != advice.Assigned {
			t.Errorf("created %+v", got)
		}
		if kinds := mailsTo(t, db, adv.Email); len(kinds) != 1 || kinds[0] != "advice.assigned" {
			t.Errorf("mails to the advisor: %v", kinds)
		}
		second := mustAdvice(t, db, o, asker, "", advice.New, now.Add(-time.Hour)) // overdue
		if second.Seq != 2 || second.Number() != "B-"+itoa(second.Year)+"-0002" {
			t.Errorf("number %s", second.Number())
		}

		t.Run("Thread", func(t *testing.T) {
			note := &advice.Message{ID: uuid.Must(uuid.NewV7()).String(), RequestID: r.ID, Author: advice.Person{ID: adv.ID}, Body: "intern",
				Internal: true, ByCentre: true}
			if err := db.ChangeAdvice(ctx, advice.Change{RequestID: r.ID, From: advice.Assigned, To: advice.InProgress, Message: note}); err != nil {
				t.Fatal(err)
			}
			pub, err := db.AdviceThread(ctx, r.ID, false)
			if err != nil || len(pub) != 1 {
				t.Fatalf("public thread %+v %v", pub, err)
			}
			all, err := db.AdviceThread(ctx, r.ID, true)
			if err != nil || len(all) != 2 || !all[1].Internal || !all[1].ByCentre {
				t.Fatalf("thread %+v %v", all, err)
			}
			// A change decided on an old state is refused.
			err = db.ChangeAdvice(ctx, advice.Change{RequestID: r.ID, From: advice.Assigned, To: advice.Closed})
			if !apperr.Is(err, apperr.Conflict) {
				t.Errorf("stale change: %v", err)
			}
			if err := db.ChangeAdvice(ctx, advice.Change{RequestID: r.ID, From: advice.InProgress, To: advice.Closed}); err != nil {
				t.Fatal(err)
			}
			if got, _ := db.Advice(ctx, r.ID); got.State != advice.Closed || got.Closed == nil {
				t.Errorf("closed: %+v", got)
			}
		})

		t.Run("Attachment", func(t *testing.T) {
			th, err := db.AdviceThread(ctx, second.ID, false)
			if err != nil || len(th) != 1 || len(th[0].Attachments) != 1 || th[0].Attachments[0].Data != nil {
				t.Fatalf("thread %+v %v", th, err)
			}
			a, internal, err := db.AdviceAttachment(ctx, second.ID, th[0].Attachments[0].ID)
			if err != nil || internal || string(a.Data) != "Hallo" || a.Name != "a.txt" {
				t.Errorf("attachment %+v %v %v", a, internal, err)
			}
			if _, _, err := db.AdviceAttachment(ctx, r.ID, th[0].Attachments[0].ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("attachment of another request: %v", err)
			}
		})

		t.Run("Queue", func(t *testing.T) {
			later := mustAdvice(t, db, o, asker, adv.ID, advice.Assigned, now.Add(24*time.Hour))
			p, err := db.AdviceList(ctx, advice.Query{Now: now, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 3 || len(p.Items) != 3 || p.Items[0].ID != second.ID || p.Items[1].ID != later.ID || p.Items[2].ID != r.ID {
				t.Errorf("queue order %v", ids(p.Items))
			}
			p, _ = db.AdviceList(ctx, advice.Query{Now: now, Limit: 10, Unassigned: true})
			if p.Total != 1 || p.Items[0].ID != second.ID {
				t.Errorf("unassigned %v", ids(p.Items))
			}
			p, _ = db.AdviceList(ctx, advice.Query{Now: now, Limit: 10, AgentID: adv.ID, State: advice.Assigned})
			if p.Total != 1 || p.Items[0].ID != later.ID {
				t.Errorf("mine %v", ids(p.Items))
			}
			p, _ = db.AdviceList(ctx, advice.Query{Now: now, Limit: 10, OrgIDs: []string{"other"}})
			if p.Total != 0 {
				t.Errorf("other organisation %v", ids(p.Items))
			}
		})

		t.Run("Rules", func(t *testing.T) {
			rule := advice.Rule{ID: uuid.Must(uuid.NewV7()).String(), StateKey: "09", Advisor: advice.Person{ID: adv.ID}}
			if err := db.SaveAdviceRule(ctx, rule, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			rule.ID = uuid.Must(uuid.NewV7()).String() // the same keys replace the rule
			if err := db.SaveAdviceRule(ctx, rule, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			rules, err := db.AdviceRules(ctx)
			if err != nil || len(rules) != 1 || rules[0].ID != rule.ID || rules[0].Advisor.Email != adv.Email {
				t.Fatalf("rules %+v %v", rules, err)
			}
			if err := db.DeleteAdviceRule(ctx, rule.ID, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			if err := db.DeleteAdviceRule(ctx, rule.ID, account.AuditEntry{}); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("deleted twice: %v", err)
			}
			advisors, err := db.Advisors(ctx)
			if err != nil || len(advisors) != 1 || advisors[0].ID != adv.ID {
				t.Errorf("advisors %+v %v", advisors, err)
			}
		})

		t.Run("DeletedAuthor", func(t *testing.T) {
			msgs, err := db.UserAdviceMessages(ctx, asker.ID)
			if err != nil || len(msgs) < 2 || msgs[0].Body != "Frage" {
				t.Fatalf("export %+v %v", msgs, err)
			}
			other := mustUser(t, db, "olga@musterstadt.de", "Olga")
			own := mustAdvice(t, db, o, other, "", advice.New, now)
			if err := db.DeleteUser(ctx, other.ID, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "account.deleted"}); err != nil {
				t.Fatal(err)
			}
			got, err := db.Advice(ctx, own.ID)
			if err != nil || got.Asker.ID != "" || got.Asker.Email != "" {
				t.Fatalf("request after deletion %+v %v", got, err)
			}
			th, err := db.AdviceThread(ctx, own.ID, true)
			if err != nil || len(th) != 1 || th[0].Author.ID != "" || th[0].Author.Name != "" || th[0].Body != "Wie?" {
				t.Errorf("thread after deletion %+v %v", th, err)
			}
		})
	})
}

func ids(rs []advice.Request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func itoa(i int) string { return time.Date(i, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") }
