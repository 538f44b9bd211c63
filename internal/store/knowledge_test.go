package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

var _ knowledge.Store = (*store.DB)(nil)

// mustArticle stores a draft by author and publishes it, reviewed by reviewer.
func mustArticle(t *testing.T, db *store.DB, author, reviewer account.User, title string, c knowledge.Content) knowledge.Article {
	t.Helper()
	ctx := t.Context()
	now := time.Now().UTC()
	c.Title = title
	a, err := db.CreateArticle(ctx, knowledge.Article{ID: uuid.Must(uuid.NewV7()).String(), Slug: "wissen", Owner: knowledge.Person{ID: author.ID},
		Working: c, State: knowledge.Draft, Editor: knowledge.Person{ID: author.ID}, Authors: []string{author.ID}, LastChecked: knowledge.Day(now)},
		account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	a.State = knowledge.Submitted
	if a, err = db.SaveArticle(ctx, a, knowledge.Draft, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	n := 1
	if a.Published != nil {
		n = a.Published.Number + 1
	}
	if err := db.PublishArticle(ctx, knowledge.Publication{ArticleID: a.ID, Lock: a.Lock, Checked: knowledge.Day(now),
		Version: knowledge.Version{Number: n, Content: a.Working, Author: a.Editor, Reviewer: knowledge.Person{ID: reviewer.ID}, At: now}}); err != nil {
		t.Fatal(err)
	}
	out, err := db.Article(ctx, a.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestKnowledgeArticles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		author := mustUser(t, db, "ada@zentrum.de", "Ada", account.Advisor)
		cur := mustUser(t, db, "kurt@zentrum.de", "Kurt", account.Curator)
		a := mustArticle(t, db, author, cur, "Parken digital", knowledge.Content{Kind: knowledge.Guide, Body: "# Hallo", Fields: []string{"mobility.parking"}})
		b := mustArticle(t, db, author, cur, "Parken digital", knowledge.Content{Kind: knowledge.Checklist, Body: "- [ ] a", Related: []string{a.Slug}})
		if a.Slug != "wissen" || b.Slug != "wissen-2" {
			t.Errorf("slugs %q %q", a.Slug, b.Slug)
		}
		if a.Published == nil || a.Published.Number != 1 || a.Published.Reviewer.Name != "Kurt" || a.State != knowledge.Published || len(a.Authors) != 0 {
			t.Fatalf("published %+v", a)
		}
		t.Run("ListFilters", func(t *testing.T) {
			for _, c := range []struct {
				q    knowledge.Query
				want int
			}{{knowledge.Query{}, 2}, {knowledge.Query{Kind: knowledge.Guide}, 1}, {knowledge.Query{Field: "mobility"}, 1},
				{knowledge.Query{Field: "mobility.parking"}, 1}, {knowledge.Query{Field: "mob"}, 0}} {
				p, err := db.Articles(ctx, knowledge.Query{Kind: c.q.Kind, Field: c.q.Field, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != c.want || len(p.Items) != c.want {
					t.Errorf("%+v: %d/%d, want %d", c.q, p.Total, len(p.Items), c.want)
				}
			}
		})
		t.Run("ErrConflict", func(t *testing.T) {
			stale := a
			a.Working.Title, a.State = "Parken digital, neu", knowledge.Draft
			var err error
			if a, err = db.SaveArticle(ctx, a, knowledge.Published, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			if a.Published.Title != "Parken digital" || a.Working.Title != "Parken digital, neu" {
				t.Errorf("working/published mixed up: %+v", a)
			}
			if _, err := db.SaveArticle(ctx, stale, knowledge.Published, account.AuditEntry{}); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("stale save: %v", err)
			}
			if err := db.PublishArticle(ctx, knowledge.Publication{ArticleID: a.ID, Lock: a.Lock, Version: knowledge.Version{Number: 2}}); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("publish a draft: %v", err)
			}
		})
		t.Run("InWork", func(t *testing.T) {
			list, err := db.WorkingArticles(ctx, 10)
			if err != nil || len(list) != 1 || list[0].ID != a.ID || list[0].State != knowledge.Draft {
				t.Errorf("in work: %+v %v", list, err)
			}
		})
		t.Run("Versions", func(t *testing.T) {
			vs, err := db.ArticleVersions(ctx, a.ID)
			if err != nil || len(vs) != 1 || vs[0].Body != "# Hallo" || vs[0].Author.Name != "Ada" {
				t.Errorf("versions %+v %v", vs, err)
			}
			known, err := db.KnownArticles(ctx, []string{a.Slug, "gibt-es-nicht"})
			if err != nil || len(known) != 1 {
				t.Errorf("known %v %v", known, err)
			}
		})
		t.Run("Ratings", func(t *testing.T) {
			reader := mustUser(t, db, "rita@musterstadt.de", "Rita")
			for _, h := range []bool{true, false, true} {
				if err := db.RateArticle(ctx, a.ID, reader.ID, h); err != nil {
					t.Fatal(err)
				}
			}
			got, err := db.Article(ctx, a.Slug)
			if err != nil || got.Helpful != 1 || got.NotHelpful != 0 {
				t.Errorf("counts %d/%d %v", got.Helpful, got.NotHelpful, err)
			}
			r, err := db.ArticleRating(ctx, a.ID, reader.ID)
			if err != nil || r == nil || !*r {
				t.Errorf("rating %v %v", r, err)
			}
			if r, err := db.ArticleRating(ctx, a.ID, cur.ID); err != nil || r != nil {
				t.Errorf("no rating: %v %v", r, err)
			}
		})
		t.Run("Suggestions", func(t *testing.T) {
			reader := mustUser(t, db, "sven@musterstadt.de", "Sven")
			sg := knowledge.Suggestion{ID: uuid.Must(uuid.NewV7()).String(), ArticleID: a.ID, User: knowledge.Person{ID: reader.ID}, Body: "Tippfehler"}
			if err := db.AddSuggestion(ctx, sg); err != nil {
				t.Fatal(err)
			}
			mine, err := db.Suggestions(ctx, author.ID, 10)
			if err != nil || len(mine) != 1 || mine[0].User.Email != reader.Email || mine[0].Title != "Parken digital" {
				t.Fatalf("queue %+v %v", mine, err)
			}
			if other, _ := db.Suggestions(ctx, cur.ID, 10); len(other) != 0 {
				t.Errorf("queue of a non-owner: %+v", other)
			}
			sg, _ = db.Suggestion(ctx, sg.ID)
			sg.State, sg.Note, sg.DecidedBy = knowledge.Done, "Danke", knowledge.Person{ID: cur.ID}
			out := mail.Outgoing{Mail: mail.Mail{ID: uuid.Must(uuid.NewV7()).String(), Status: mail.StatusStored,
				Message: mail.Message{To: reader.Email, Subject: "Hinweis", Text: "Danke", Lang: "de", Kind: "knowledge.suggestion_done"}}}
			if err := db.DecideSuggestion(ctx, sg, &out, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			if err := db.DecideSuggestion(ctx, sg, nil, account.AuditEntry{}); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("decided twice: %v", err)
			}
			if kinds := mailsTo(t, db, reader.Email); len(kinds) != 1 {
				t.Errorf("mails %v", kinds)
			}
			rs, ss, err := db.UserKnowledge(ctx, reader.ID)
			if err != nil || len(rs) != 0 || len(ss) != 1 || ss[0].State != "done" {
				t.Errorf("export %+v %+v %v", rs, ss, err)
			}
			if err := db.DeleteUser(ctx, reader.ID, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			if _, ss, _ := db.UserKnowledge(ctx, reader.ID); len(ss) != 0 {
				t.Errorf("suggestions left after deletion: %+v", ss)
			}
		})
		t.Run("Attachments", func(t *testing.T) {
			var files []knowledge.Attachment
			for range knowledge.MaxFiles {
				files = append(files, knowledge.Attachment{ID: uuid.Must(uuid.NewV7()).String(), Name: "a.txt", Type: "text/plain", Size: 2, Data: []byte("hi")})
			}
			if err := db.AddArticleAttachments(ctx, b.ID, files, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			extra := []knowledge.Attachment{{ID: uuid.Must(uuid.NewV7()).String(), Name: "b.txt", Type: "text/plain", Size: 2, Data: []byte("hi")}}
			if err := db.AddArticleAttachments(ctx, b.ID, extra, account.AuditEntry{}); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("11th file: %v", err)
			}
			list, err := db.ArticleAttachments(ctx, b.ID)
			if err != nil || len(list) != knowledge.MaxFiles || list[0].Data != nil {
				t.Fatalf("list %d %v", len(list), err)
			}
			f, err := db.ArticleAttachment(ctx, b.ID, list[0].ID)
			if err != nil || string(f.Data) != "hi" {
				t.Errorf("file %+v %v", f, err)
			}
			if _, err := db.ArticleAttachment(ctx, a.ID, list[0].ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("file of another article: %v", err)
			}
		})
		t.Run("DeletedOwner", func(t *testing.T) {
			gone := mustUser(t, db, "gabi@zentrum.de", "Gabi", account.Advisor)
			c := mustArticle(t, db, gone, cur, "Vorlage Datenschutz", knowledge.Content{Kind: knowledge.Template, Body: "Text"})
			if err := db.DeleteUser(ctx, gone.ID, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			got, err := db.Article(ctx, c.Slug)
			if err != nil || !got.Owner.Deleted() || got.Published == nil || !got.Published.Author.Deleted() || got.Published.Reviewer.Name != "Kurt" {
				t.Errorf("after deleting the owner: %+v %v", got, err)
			}
		})
		t.Run("Outdated", func(t *testing.T) {
			old := time.Now().UTC().AddDate(-2, 0, 0)
			if err := db.CheckArticle(ctx, b.ID, knowledge.Day(old), account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			before := time.Now().UTC().AddDate(-1, 0, 0)
			list, err := db.OutdatedArticles(ctx, before, before)
			if err != nil || len(list) != 1 || list[0].ID != b.ID || list[0].Owner.Email != author.Email {
				t.Fatalf("outdated %+v %v", list, err)
			}
			out := mail.Outgoing{Mail: mail.Mail{ID: uuid.Must(uuid.NewV7()).String(), Status: mail.StatusStored,
				Message: mail.Message{To: author.Email, Subject: "Veraltet", Text: "Bitte prüfen", Lang: "de", Kind: "knowledge.outdated"}}}
			for i, want := range []bool{true, false} {
				ok, err := db.RemindArticle(ctx, knowledge.Reminder{ArticleID: b.ID, At: time.Now().UTC(), Mail: out}, before)
				if err != nil || ok != want {
					t.Errorf("reminder %d: %v %v", i, ok, err)
				}
				out.Mail.ID = uuid.Must(uuid.NewV7()).String()
			}
			if list, _ := db.OutdatedArticles(ctx, before, before); len(list) != 0 {
				t.Errorf("still due: %d", len(list))
			}
		})
	})
}
