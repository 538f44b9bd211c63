package knowledge

import (
	"context"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/mail"
)

// Query selects published articles for the list, newest checked first.
type Query struct {
	Kind   Kind   // "" for all
	Field  string // a field of action key, "" for all
	Limit  int
	Offset int
}

// Page is one page of a list with the number of all matches.
type Page struct {
	Items []Article
	Total int
}

// SolutionRef is a published solution an article links to.
type SolutionRef struct {
	Slug, Name string
}

// Publication is a review that publishes the working version.
type Publication struct {
	ArticleID string
	Lock      int // the lock the reviewer saw
	Version   Version
	Checked   time.Time // the day, which becomes LastChecked
	Audit     account.AuditEntry
}

// Reminder is the "possibly outdated" mail of one article.
type Reminder struct {
	ArticleID string
	At        time.Time
	Mail      mail.Outgoing
}

// ExportRating and ExportSuggestion are a user's data in their export.
type ExportRating struct {
	Article string    `json:"article"`
	Helpful bool      `json:"helpful"`
	At      time.Time `json:"at"`
}

// ExportSuggestion is a correction suggestion in the user's export.
type ExportSuggestion struct {
	Article string    `json:"article"`
	Body    string    `json:"body"`
	State   string    `json:"state"`
	Note    string    `json:"note"`
	At      time.Time `json:"at"`
}

// Store is the database of the knowledge base (the platform's store is one).
type Store interface {
	// CreateArticle stores a new article with its audit entry; the slug
	// is made unique by a number. It returns the stored article.
	CreateArticle(ctx context.Context, a Article, audit account.AuditEntry) (Article, error)
	// Article returns an article by slug with its published version and
	// vote counts; apperr.NotFound.
	Article(ctx context.Context, slug string) (Article, error)
	// Articles returns a page of published articles.
	Articles(ctx context.Context, q Query) (Page, error)
	// WorkingArticles returns the articles whose working version is not
	// the published one (drafts, submitted, returned), submitted first,
	// then the most recently changed, at most limit.
	WorkingArticles(ctx context.Context, limit int) ([]Article, error)
	// ArticlesForSolution returns the published articles that link to a
	// solution, newest checked first.
	ArticlesForSolution(ctx context.Context, solutionSlug string) ([]Article, error)
	// SaveArticle writes the working version (content, state, owner,
	// editor, authors) of a; apperr.Conflict when its lock is no longer
	// a.Lock or its state no longer from.
	SaveArticle(ctx context.Context, a Article, from State, audit account.AuditEntry) (Article, error)
	// PublishArticle adds the next version and makes it the published
	// one; apperr.Conflict when the article is no longer submitted with
	// that lock.
	PublishArticle(ctx context.Context, p Publication) error
	// CheckArticle sets the day an article was last checked.
	CheckArticle(ctx context.Context, id string, day time.Time, audit account.AuditEntry) error
	// ArticleVersions returns the published versions, newest first.
	ArticleVersions(ctx context.Context, id string) ([]Version, error)
	// KnownSolutions and KnownArticles return those of slugs that are
	// published.
	KnownSolutions(ctx context.Context, slugs []string) ([]SolutionRef, error)
	KnownArticles(ctx context.Context, slugs []string) ([]Article, error)
	// ArticleAttachments lists the files of an article without data.
	ArticleAttachments(ctx context.Context, id string) ([]Attachment, error)
	// AddArticleAttachments stores files; apperr.Invalid (field "files")
	// when the article would have more than MaxFiles.
	AddArticleAttachments(ctx context.Context, id string, files []Attachment, audit account.AuditEntry) error
	// ArticleAttachment returns a file with its data; apperr.NotFound.
	ArticleAttachment(ctx context.Context, articleID, id string) (Attachment, error)
	// RateArticle records or changes a user's vote.
	RateArticle(ctx context.Context, articleID, userID string, helpful bool) error
	// ArticleRating returns a user's vote, nil when none.
	ArticleRating(ctx context.Context, articleID, userID string) (*bool, error)
	// AddSuggestion stores a correction suggestion.
	AddSuggestion(ctx context.Context, sg Suggestion) error
	// Suggestions returns suggestions of the articles owned by ownerID
	// ("" for all), open ones first, at most limit.
	Suggestions(ctx context.Context, ownerID string, limit int) ([]Suggestion, error)
	// Suggestion returns one suggestion; apperr.NotFound.
	Suggestion(ctx context.Context, id string) (Suggestion, error)
	// DecideSuggestion closes an open suggestion with its mail and audit
	// entry; apperr.Conflict when it is no longer open.
	DecideSuggestion(ctx context.Context, sg Suggestion, m *mail.Outgoing, audit account.AuditEntry) error
	// OutdatedArticles returns published articles last checked before
	// checkedBefore and not reminded since remindedBefore.
	OutdatedArticles(ctx context.Context, checkedBefore, remindedBefore time.Time) ([]Article, error)
	// RemindArticle records a reminder with its mail, unless another
	// instance did since remindedBefore (then it reports false).
	RemindArticle(ctx context.Context, r Reminder, remindedBefore time.Time) (bool, error)
	// UserKnowledge returns a user's votes and suggestions for the export.
	UserKnowledge(ctx context.Context, userID string) ([]ExportRating, []ExportSuggestion, error)
}

// Taxonomy is the list of fields of action an article may name.
type Taxonomy interface {
	All(ctx context.Context) ([]catalog.Field, error)
}

// Outbox prepares mails for a store to add inside its transactions.
type Outbox interface {
	Prepare(m mail.Message) (mail.Outgoing, error)
}
