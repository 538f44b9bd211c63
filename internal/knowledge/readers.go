package knowledge

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
)

// Rate records u's "helpful?" vote; a second vote replaces the first.
func (s *Service) Rate(ctx context.Context, u account.User, slug string, helpful bool) error {
	a, err := s.Get(ctx, &u, slug)
	if err != nil {
		return err
	}
	if !Can(&u, ActRate, a) {
		return errNotFound
	}
	if err := s.store.RateArticle(ctx, a.ID, u.ID, helpful); err != nil {
		return fmt.Errorf("knowledge: rate %s: %w", slug, err)
	}
	return nil
}

// Rating returns u's vote on a, nil when none.
func (s *Service) Rating(ctx context.Context, u account.User, a Article) (*bool, error) {
	r, err := s.store.ArticleRating(ctx, a.ID, u.ID)
	if err != nil {
		return nil, fmt.Errorf("knowledge: rating of %s: %w", a.Slug, err)
	}
	return r, nil
}

// Suggest stores a reader's correction suggestion.
func (s *Service) Suggest(ctx context.Context, u account.User, slug, body string) error {
	a, err := s.Get(ctx, &u, slug)
	if err != nil {
		return err
	}
	if !Can(&u, ActRate, a) {
		return errNotFound
	}
	body = strings.TrimSpace(body)
	var v apperr.Validation
	v.Text("suggestion", body, MaxSuggestion, true)
	if err := v.Err(); err != nil {
		return err
	}
	sg := Suggestion{ID: newID(), ArticleID: a.ID, User: Person{ID: u.ID}, Body: body, State: Open, Created: s.Now().UTC()}
	if err := s.store.AddSuggestion(ctx, sg); err != nil {
		return fmt.Errorf("knowledge: suggest on %s: %w", slug, err)
	}
	return nil
}

// Queue returns the suggestions u decides: all for curators, those of
// their own articles for other writers.
func (s *Service) Queue(ctx context.Context, u account.User) ([]Suggestion, error) {
	if !Writer(&u) {
		return nil, errNotWriter
	}
	owner := u.ID
	if u.Has(account.Curator) {
		owner = ""
	}
	list, err := s.store.Suggestions(ctx, owner, 200)
	if err != nil {
		return nil, fmt.Errorf("knowledge: suggestions: %w", err)
	}
	return list, nil
}

// Decide marks a suggestion done or declined with a note; the suggester
// gets a mail in the same transaction.
func (s *Service) Decide(ctx context.Context, u account.User, id string, st SuggestionState, note string, m account.Meta) error {
	sg, err := s.store.Suggestion(ctx, id)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return errNotFound
		}
		return fmt.Errorf("knowledge: suggestion %s: %w", id, err)
	}
	a := Article{Owner: sg.Owner, Published: &Version{}}
	if !Can(&u, ActDecide, a) {
		return errNotFound
	}
	note = strings.TrimSpace(note)
	var v apperr.Validation
	if st != Done && st != Declined {
		v.Add("decision", "knowledge.error.decision")
	}
	v.Text("note", note, MaxNote, false)
	if err := v.Err(); err != nil {
		return err
	}
	if sg.State != Open {
		return apperr.New(apperr.Conflict, "knowledge.error.decided")
	}
	now := s.Now().UTC()
	sg.State, sg.Note, sg.DecidedBy, sg.Decided = st, note, Person{ID: u.ID}, &now
	var out *mail.Outgoing
	if sg.User.Email != "" && s.outbox != nil && s.texts != nil {
		lang := sg.User.Lang
		t := func(key string) string {
			return s.texts.T(lang, key, "Title", sg.Title, "Note", note, "Link", s.baseURL+"/wissen/"+sg.Slug)
		}
		o, err := s.outbox.Prepare(mail.Message{To: sg.User.Email, Lang: lang, Kind: "knowledge.suggestion_" + string(st),
			Subject: t("knowledge.mail.suggestion_" + string(st) + ".subject"), Text: t("knowledge.mail.suggestion_" + string(st) + ".text")})
		if err != nil {
			return fmt.Errorf("knowledge: suggestion mail: %w", err)
		}
		out = &o
	}
	if err := s.store.DecideSuggestion(ctx, sg, out, audit(u, "knowledge.suggestion_"+string(st), sg.ArticleID, m, map[string]any{"suggestion": sg.ID})); err != nil {
		return fmt.Errorf("knowledge: decide suggestion %s: %w", id, err)
	}
	return nil
}

// Sweep mails the owner of every article that became possibly outdated,
// once per period; it is safe to run again and on several instances.
// It returns the number of mails.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.Now().UTC()
	before := now.Add(-s.OutdatedAfter)
	list, err := s.store.OutdatedArticles(ctx, before, before)
	if err != nil {
		return 0, fmt.Errorf("knowledge: outdated articles: %w", err)
	}
	n := 0
	for _, a := range list {
		if a.Owner.Email == "" || s.outbox == nil || s.texts == nil {
			continue
		}
		lang := a.Owner.Lang
		t := func(key string) string {
			return s.texts.T(lang, key, "Title", a.Published.Title, "Checked", formatDay(a.LastChecked, lang),
				"Link", s.baseURL+"/wissen/"+a.Slug)
		}
		o, err := s.outbox.Prepare(mail.Message{To: a.Owner.Email, Lang: lang, Kind: "knowledge.outdated",
			Subject: t("knowledge.mail.outdated.subject"), Text: t("knowledge.mail.outdated.text")})
		if err != nil {
			return n, fmt.Errorf("knowledge: outdated mail: %w", err)
		}
		ok, err := s.store.RemindArticle(ctx, Reminder{ArticleID: a.ID, At: now, Mail: o}, before)
		if err != nil {
			return n, fmt.Errorf("knowledge: remind %s: %w", a.Slug, err)
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// formatDay writes a day as the user's language does.
func formatDay(d time.Time, lang string) string {
	if lang == "en" {
		return d.Format("2 January 2006")
	}
	return d.Format("02.01.2006")
}

// Export adds a user's votes and suggestions to their data export.
func (s *Service) Export(ctx context.Context, userID string, e *account.Export) error {
	ratings, suggestions, err := s.store.UserKnowledge(ctx, userID)
	if err != nil {
		return fmt.Errorf("knowledge: export %s: %w", userID, err)
	}
	if ratings == nil {
		ratings = []ExportRating{}
	}
	if suggestions == nil {
		suggestions = []ExportSuggestion{}
	}
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra["knowledge_ratings"] = ratings
	e.Extra["knowledge_suggestions"] = suggestions
	return nil
}
