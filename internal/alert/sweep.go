package alert

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/jobs/sweep"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/search"
)

// Timing of the sweep.
const (
	// RunEvery is how often a search runs; a little less than the daily
	// schedule, so that a job that starts a few minutes early still finds
	// the searches of yesterday's due.
	RunEvery = 23 * time.Hour
	// MaxShown is how many new solutions a mail lists per search.
	MaxShown = 10
	// TokenLifetime is how long the unsubscribe link of a mail works.
	TokenLifetime = 400 * 24 * time.Hour
	// MaxLookback bounds how far back a run looks: after the job could
	// not run for a while, a solution published weeks ago is no news.
	MaxLookback = 8 * 24 * time.Hour
)

// Recipient is the owner of searches the sweep mails.
type Recipient struct {
	UserID, Email, Lang string
}

// Published is a solution with the time it was first published.
type Published struct {
	ID      string
	Created time.Time // as the search orders by "newest"
	First   time.Time
}

// Run is what a sweep records about one user's due searches.
type Run struct {
	UserID string
	// At is the time the sweep looked up new solutions until; it becomes
	// the searches' last run (and last mail), so that the next run starts
	// exactly where this one ended.
	At time.Time
	// Runs holds the searches run with their Runs as read; each is raised
	// only if it still holds that value.
	Runs map[string]int
	// Sent are the searches whose new matches the mail reports.
	Sent []string
	// Tokens are the hashes of the mail's unsubscribe links, by search.
	Tokens map[string]string
	Mail   *mail.Outgoing // nil when nothing is new
	// Notice is the in-app notification of the new matches (kind
	// alert.matches), stored with Mail; Mail goes out unless the user
	// turned the mail of that kind off (notify.DailyOwnMail).
	Notice *notify.Notification
	// MailedAfter: no mail when the user got one after it (at most one
	// mail a day, whatever the timing of the sweeps).
	MailedAfter time.Time
	// PruneBefore: unsubscribe tokens older than it are deleted.
	PruneBefore time.Time
}

// Match is a new solution of a search.
type Match struct {
	Slug, Name string
}

// userBatch is how many users the sweep reads at a time.
const userBatch = 100

// maxPages bounds the result pages read per search (of searchPage each).
const (
	maxPages   = 20
	searchPage = 100
)

// Sweep runs every saved search that is due and mails each user with new
// matches one mail about all their searches, in their language. A
// solution is new to a search when it was first published after the
// search last ran (or was saved): a solution published again after an
// edit is not new — its subscribers saw it when it appeared, and a
// correction of a typo must not bring it back to everyone. The run and
// its mail are recorded in one transaction, so a repeated or concurrent
// sweep never mails twice; nothing new, no mail. It returns how many mails
// it sent.
func (s *Service) Sweep(ctx context.Context, now time.Time) (int, error) {
	if s.outbox == nil {
		return 0, fmt.Errorf("alert: sweep: no outbox")
	}
	now = now.UTC()
	before := now.Add(-RunEvery)
	sent, after := 0, ""
	// The solutions published since the oldest search of those read so
	// far: searches saved or run at about the same time share one list.
	var (
		published []Published
		loaded    time.Time
	)
	for {
		users, err := s.store.DueAlertUsers(ctx, before, after, userBatch)
		if err != nil {
			return sent, fmt.Errorf("alert: sweep: %w", err)
		}
		for _, id := range users {
			after = id
			to, due, err := s.store.DueSavedSearches(ctx, id, before)
			if err != nil {
				return sent, fmt.Errorf("alert: sweep: user %s: %w", id, err)
			}
			if len(due) == 0 {
				continue
			}
			since := later(slices.MinFunc(due, func(a, b SavedSearch) int { return a.Since().Compare(b.Since()) }).Since(), now.Add(-MaxLookback))
			if loaded.IsZero() || since.Before(loaded) {
				if published, err = s.store.NewlyPublished(ctx, since, now); err != nil {
					return sent, fmt.Errorf("alert: sweep: %w", err)
				}
				loaded = since
			}
			mailed, err := s.runUser(ctx, to, due, published, now)
			if err != nil {
				return sent, err
			}
			if mailed {
				sent++
			}
		}
		if len(users) < userBatch {
			return sent, nil
		}
	}
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// section is what a mail says about one search.
type section struct {
	search SavedSearch
	found  []Match
}

// runUser runs the due searches of one user and records the run with its
// mail; it reports whether a mail was sent.
func (s *Service) runUser(ctx context.Context, to Recipient, due []SavedSearch, published []Published, now time.Time) (bool, error) {
	run := Run{UserID: to.UserID, At: now, Runs: map[string]int{}, Tokens: map[string]string{}, MailedAfter: now.Add(-RunEvery),
		PruneBefore: now.Add(-TokenLifetime)}
	var sections []section
	for _, ss := range due {
		run.Runs[ss.ID] = ss.Runs
		found, err := s.newMatches(ctx, ss, later(ss.Since(), now.Add(-MaxLookback)), published)
		if err != nil {
			// One broken search (a field of action removed since) must not
			// stop the mails of everyone else; it runs again tomorrow.
			if s.log != nil {
				s.log.Warn("saved search failed", "search", ss.ID, "err", err)
			}
			delete(run.Runs, ss.ID)
			continue
		}
		if len(found) > 0 {
			sections = append(sections, section{search: ss, found: found})
		}
	}
	if len(run.Runs) == 0 {
		return false, nil
	}
	if len(sections) > 0 {
		text := s.digest(to.Lang, sections, func(id string) string {
			secret, hash := account.NewSecret()
			run.Tokens[id] = hash
			return secret
		})
		out, err := s.outbox.Prepare(mail.Message{To: to.Email, Lang: to.Lang, Kind: "alert.saved_searches",
			Subject: s.texts.T(to.Lang, "saved.mail.subject"), Text: text})
		if err != nil {
			return false, fmt.Errorf("alert: mail to user %s: %w", to.UserID, err)
		}
		run.Mail = &out
		var names []string
		for _, sec := range sections {
			run.Sent = append(run.Sent, sec.search.ID)
			names = append(names, sec.search.Name)
		}
		link := "/konto/suchen"
		if len(sections) == 1 {
			link = strings.TrimPrefix(s.allLink(sections[0].search), s.baseURL)
		}
		run.Notice = &notify.Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: to.UserID, Kind: notify.KindAlertMatches,
			Action: "found", Title: strings.Join(names, ", "), Link: link}
	}
	ok, err := s.store.RecordRun(ctx, run)
	if err != nil {
		return false, fmt.Errorf("alert: record run of user %s: %w", to.UserID, err)
	}
	return ok && run.Mail != nil, nil
}

// newMatches returns the solutions first published after since that the
// search finds, newest first. It asks the search newest first and stops
// at the first solution older than every candidate.
func (s *Service) newMatches(ctx context.Context, ss SavedSearch, since time.Time, published []Published) ([]Match, error) {
	want := map[string]bool{}
	var oldest time.Time
	for _, p := range published {
		if p.First.After(since) {
			want[p.ID] = true
			if oldest.IsZero() || p.Created.Before(oldest) {
				oldest = p.Created
			}
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	q, err := ParseQuery(ss.Query)
	if err != nil {
		return nil, fmt.Errorf("alert: search %s: %w", ss.ID, err)
	}
	q.Sort, q.Limit = search.SortNewest, searchPage
	var out []Match
	for range maxPages {
		res, err := s.search.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("alert: search %s: %w", ss.ID, err)
		}
		for _, h := range res.Items {
			if h.Solution.Created.Before(oldest) {
				return out, nil
			}
			if want[h.Solution.ID] {
				delete(want, h.Solution.ID)
				out = append(out, Match{Slug: h.Solution.Slug, Name: name(h.Solution)})
			}
		}
		if len(want) == 0 || res.Next == "" {
			return out, nil
		}
		q.After = res.Next
	}
	return out, nil
}

func name(sol catalog.Solution) string {
	if sol.Published != nil {
		return sol.Published.Entry.Name
	}
	return sol.Slug
}

// digest writes the mail about new matches in lang; token returns the
// secret of a new unsubscribe link of a search.
func (s *Service) digest(lang string, sections []section, token func(searchID string) string) string {
	t := func(key string, kv ...any) string { return s.texts.T(lang, key, kv...) }
	var b []byte
	b = fmt.Appendf(b, "%s\n\n", t("saved.mail.intro"))
	for _, sec := range sections {
		ss := sec.search
		b = fmt.Appendf(b, "%s\n", t("saved.mail.section", "Name", ss.Name, "Count", len(sec.found)))
		for _, m := range sec.found[:min(len(sec.found), MaxShown)] {
			b = fmt.Appendf(b, "- %s: %s/loesungen/%s\n", m.Name, s.baseURL, m.Slug)
		}
		b = fmt.Appendf(b, "%s\n", t("saved.mail.all", "Count", len(sec.found), "Link", s.allLink(ss)))
		b = fmt.Appendf(b, "%s\n\n", t("saved.mail.unsubscribe", "Link", s.baseURL+"/suchen/abbestellen/"+token(ss.ID)))
	}
	b = fmt.Appendf(b, "%s\n", t("saved.mail.manage", "Link", s.baseURL+"/konto/suchen"))
	return string(b)
}

// allLink links to the search on the catalogue page, newest first, so
// that the new solutions lead the list.
func (s *Service) allLink(ss SavedSearch) string {
	q, err := ParseQuery(ss.Query)
	if err != nil {
		return s.baseURL + "/loesungen"
	}
	q.Sort = search.SortNewest
	return s.baseURL + "/loesungen?" + Canonical(q)
}

// Link returns the path of the search on the catalogue page.
func Link(ss SavedSearch) string {
	if ss.Query == "" {
		return "/loesungen"
	}
	return "/loesungen?" + ss.Query
}

// SweepArgs is the periodic job that runs the saved searches.
type SweepArgs struct{}

// Kind names the job for River.
func (SweepArgs) Kind() string { return "alert.saved_searches" }

// InsertOpts makes the sweep unique per hour.
func (SweepArgs) InsertOpts() river.InsertOpts { return sweep.UniquePerHour() }

// NewSweepWorker returns the worker that runs the searches due now.
// Register it with river.AddWorker and schedule SweepArgs daily; the sweep
// is idempotent, so a retried or doubled job sends nothing twice.
func NewSweepWorker(s *Service) *sweep.Worker[SweepArgs] {
	return sweep.New[SweepArgs](func(ctx context.Context) (int, error) { return s.Sweep(ctx, s.Now()) }, s.log, "saved search mails sent")
}
