package alert

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/search"
)

// Store keeps saved searches (store.DB).
type Store interface {
	// CreateSavedSearch stores s unless its user has max searches
	// already: then apperr.Conflict "saved.error.limit".
	CreateSavedSearch(ctx context.Context, s SavedSearch, max int) error
	// SavedSearches lists a user's searches, oldest first.
	SavedSearches(ctx context.Context, userID string) ([]SavedSearch, error)
	// SavedSearch returns the search id of the user userID;
	// apperr.NotFound when there is none (or it is another user's).
	SavedSearch(ctx context.Context, userID, id string) (SavedSearch, error)
	// DeleteSavedSearch deletes the user's search id and returns it;
	// apperr.NotFound.
	DeleteSavedSearch(ctx context.Context, userID, id string) (SavedSearch, error)
	// PauseSavedSearch stops or resumes the mails of the user's search
	// id; resuming makes the search start over from now, so that the
	// solutions published while it was paused do not arrive at once.
	// apperr.NotFound.
	PauseSavedSearch(ctx context.Context, userID, id string, paused bool) error
	// SavedSearchByToken returns the search of an unsubscribe token's
	// hash; apperr.NotFound.
	SavedSearchByToken(ctx context.Context, hash string) (SavedSearch, error)
	// UnsubscribeSavedSearch pauses the search of an unsubscribe token's
	// hash; apperr.NotFound.
	UnsubscribeSavedSearch(ctx context.Context, hash string) (SavedSearch, error)
	// DueAlertUsers returns up to limit ids of users, after the id after
	// in order, who have a confirmed address and a search that is not
	// paused and has not run since before.
	DueAlertUsers(ctx context.Context, before time.Time, after string, limit int) ([]string, error)
	// DueSavedSearches returns the user's searches that are not paused
	// and have not run since before, with the user's address and language;
	// none for a user without a confirmed address.
	DueSavedSearches(ctx context.Context, userID string, before time.Time) (Recipient, []SavedSearch, error)
	// NewlyPublished returns the published, not archived solutions that
	// were first published after since and not after until.
	NewlyPublished(ctx context.Context, since, until time.Time) ([]Published, error)
	// RecordRun records a run of a user's searches with its mail in one
	// transaction (see Run); false when another sweep recorded one of
	// them first or the user got a mail after r.MailedAfter, and then
	// nothing is stored.
	RecordRun(ctx context.Context, r Run) (bool, error)
}

// Searcher runs a search (search.Service).
type Searcher interface {
	Search(ctx context.Context, q search.Query) (search.Result, error)
}

// Outbox prepares mails that a store method adds in its own transaction
// (mail.Service).
type Outbox interface {
	Prepare(m mail.Message) (mail.Outgoing, error)
}

// Service holds the rules of saved searches and sends their mails.
type Service struct {
	store   Store
	search  Searcher
	outbox  Outbox
	texts   account.Texts
	baseURL string
	log     *slog.Logger
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the service; links in mails start with baseURL.
func NewService(store Store, s Searcher, outbox Outbox, texts account.Texts, baseURL string, log *slog.Logger) *Service {
	return &Service{store: store, search: s, outbox: outbox, texts: texts, baseURL: strings.TrimSuffix(baseURL, "/"), log: log, Now: time.Now}
}

// Create saves the search rawQuery (a URL query of /loesungen) of u
// under name; without a name, under the search's text or a general name.
// Field errors: "name", "query" (and the parameters of the query);
// apperr.Conflict "saved.error.limit" at MaxPerUser searches.
func (s *Service) Create(ctx context.Context, u account.User, name, rawQuery, lang string) (SavedSearch, error) {
	q, err := s.validateQuery(ctx, rawQuery)
	if err != nil {
		return SavedSearch{}, err
	}
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		name = DefaultName(q)
	}
	if name == "" {
		name = s.texts.T(langOr(lang), "saved.default_name")
	}
	var v apperr.Validation
	v.Text("name", name, MaxName, true)
	if err := v.Err(); err != nil {
		return SavedSearch{}, err
	}
	ss := SavedSearch{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Name: name, Query: Canonical(q), Lang: langOr(lang),
		Created: s.Now().UTC()}
	if err := s.store.CreateSavedSearch(ctx, ss, MaxPerUser); err != nil {
		return SavedSearch{}, fmt.Errorf("alert: save search of %s: %w", u.ID, err)
	}
	return ss, nil
}

// validateQuery parses rawQuery and runs it once, so that a saved search
// passes exactly the checks of a search (limits, known fields of action
// and facet values).
func (s *Service) validateQuery(ctx context.Context, rawQuery string) (search.Query, error) {
	q, err := ParseQuery(rawQuery)
	if err != nil {
		return q, err
	}
	probe := q
	probe.Limit = 1
	if _, err := s.search.Search(ctx, probe); err != nil {
		return q, err
	}
	return q, nil
}

func langOr(lang string) string {
	if i18n.IsSupported(lang) {
		return lang
	}
	return i18n.Default
}

// List returns u's saved searches, oldest first.
func (s *Service) List(ctx context.Context, u account.User) ([]SavedSearch, error) {
	out, err := s.store.SavedSearches(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("alert: searches of %s: %w", u.ID, err)
	}
	return out, nil
}

// notFound is the answer about a search that is not the user's.
func notFound() error { return apperr.New(apperr.NotFound, "saved.error.not_found") }

// Delete deletes u's search id and returns it; apperr.NotFound for
// anyone else's.
func (s *Service) Delete(ctx context.Context, u account.User, id string) (SavedSearch, error) {
	if _, err := uuid.Parse(id); err != nil {
		return SavedSearch{}, notFound()
	}
	ss, err := s.store.DeleteSavedSearch(ctx, u.ID, id)
	if apperr.Is(err, apperr.NotFound) {
		return ss, notFound()
	}
	if err != nil {
		return ss, fmt.Errorf("alert: delete search %s: %w", id, err)
	}
	return ss, nil
}

// SetPaused stops or resumes the mails of u's search id; apperr.NotFound
// for anyone else's.
func (s *Service) SetPaused(ctx context.Context, u account.User, id string, paused bool) error {
	if _, err := uuid.Parse(id); err != nil {
		return notFound()
	}
	if err := s.store.PauseSavedSearch(ctx, u.ID, id, paused); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return notFound()
		}
		return fmt.Errorf("alert: pause search %s: %w", id, err)
	}
	return nil
}

// maxToken bounds the length of an unsubscribe token read from a URL.
const maxToken = 100

// ByToken returns the search of an unsubscribe link's token, for the
// page that asks to confirm; apperr.NotFound for an unknown token.
func (s *Service) ByToken(ctx context.Context, token string) (SavedSearch, error) {
	if token == "" || len(token) > maxToken {
		return SavedSearch{}, notFound()
	}
	ss, err := s.store.SavedSearchByToken(ctx, account.HashToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return ss, notFound()
	}
	return ss, err
}

// Unsubscribe stops the mails of the search of an unsubscribe link's
// token; no sign-in is needed, the token is the proof. A search already
// paused stays so. apperr.NotFound for an unknown token.
func (s *Service) Unsubscribe(ctx context.Context, token string) (SavedSearch, error) {
	if token == "" || len(token) > maxToken {
		return SavedSearch{}, notFound()
	}
	ss, err := s.store.UnsubscribeSavedSearch(ctx, account.HashToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return ss, notFound()
	}
	if err == nil && s.log != nil {
		s.log.Info("saved search unsubscribed", "search", ss.ID)
	}
	return ss, err
}

// ExportSearch is a saved search in a user's data export.
type ExportSearch struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Query    string     `json:"query"`
	Lang     string     `json:"lang"`
	Paused   bool       `json:"paused"`
	Created  time.Time  `json:"created_at"`
	LastRun  *time.Time `json:"last_run_at"`
	LastSent *time.Time `json:"last_sent_at"`
}

// reUnsubscribe finds the secrets of unsubscribe links in mail texts.
var reUnsubscribe = regexp.MustCompile(`(/suchen/abbestellen/)[A-Za-z0-9_-]+`)

// Export adds the user's saved searches to their data export
// (account.ExportFunc) and replaces the secrets of the unsubscribe links
// in the exported mails, as the account does with its one-time links.
func (s *Service) Export(ctx context.Context, userID string, e *account.Export) error {
	for i := range e.Mails {
		e.Mails[i].Text = reUnsubscribe.ReplaceAllString(e.Mails[i].Text, "${1}…")
	}
	list, err := s.store.SavedSearches(ctx, userID)
	if err != nil {
		return fmt.Errorf("alert: export searches of %s: %w", userID, err)
	}
	out := make([]ExportSearch, 0, len(list))
	for _, ss := range list {
		out = append(out, ExportSearch{ID: ss.ID, Name: ss.Name, Query: ss.Query, Lang: ss.Lang, Paused: ss.Paused,
			Created: ss.Created, LastRun: ss.LastRun, LastSent: ss.LastSent})
	}
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra["saved_searches"] = out
	return nil
}
