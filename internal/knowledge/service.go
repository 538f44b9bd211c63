package knowledge

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

// Page sizes of lists.
const (
	DefaultLimit = 30
	MaxLimit     = 100
)

// Users finds accounts, for the owner of an article.
type Users interface {
	UserByEmail(ctx context.Context, email string) (account.User, string, error)
}

// Service holds the rules of the knowledge base.
type Service struct {
	store   Store
	users   Users
	outbox  Outbox
	texts   account.Texts
	baseURL string
	fields  Taxonomy
	// OutdatedAfter is how long an article stays current after its last
	// check (config: outdated period).
	OutdatedAfter time.Duration
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewService returns the service. Mails go through outbox in the
// recipient's language; their links start with baseURL.
func NewService(store Store, users Users, outbox Outbox, texts account.Texts, baseURL string) *Service {
	return &Service{store: store, users: users, outbox: outbox, texts: texts, baseURL: strings.TrimSuffix(baseURL, "/"),
		OutdatedAfter: DefaultOutdatedAfter, Now: time.Now}
}

// WithFields lets articles name fields of action of t.
func (s *Service) WithFields(t Taxonomy) *Service {
	s.fields = t
	return s
}

var (
	errNotFound  = apperr.New(apperr.NotFound, "knowledge.error.not_found")
	errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")
	errConflict  = apperr.New(apperr.Conflict, "knowledge.error.conflict")
	// errNotWriter answers readers on the writers' routes: for them the
	// editor does not exist.
	errNotWriter = apperr.New(apperr.NotFound, "knowledge.error.writers")
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func audit(u account.User, action, id string, m account.Meta, details map[string]any) account.AuditEntry {
	return account.AuditEntry{ID: newID(), ActorID: u.ID, ActorLabel: u.Email, Action: action, ObjectType: "knowledge_article",
		ObjectID: id, Details: details, IP: m.IP}
}

// Day returns the calendar day of t in Berlin as UTC midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.In(berlin).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// Outdated reports whether a is possibly outdated now.
func (s *Service) Outdated(a Article) bool { return a.Outdated(s.Now(), s.OutdatedAfter) }

// check validates in and resolves its owner (a curator or advisor).
func (s *Service) check(ctx context.Context, in Input, self string) (Input, string, error) {
	in = in.clean()
	var v apperr.Validation
	in.validate(&v)
	if len(in.Fields) > 0 {
		known, err := s.fieldKeys(ctx)
		if err != nil {
			return in, "", err
		}
		for _, f := range in.Fields {
			if !slices.Contains(known, f) {
				v.Add("fields", "knowledge.error.field", "Key", f)
				break
			}
		}
	}
	if len(in.Solutions) > 0 && len(in.Solutions) <= MaxLinks {
		known, err := s.store.KnownSolutions(ctx, in.Solutions)
		if err != nil {
			return in, "", fmt.Errorf("knowledge: solutions: %w", err)
		}
		for _, sl := range in.Solutions {
			if !slices.ContainsFunc(known, func(r SolutionRef) bool { return r.Slug == sl }) {
				v.Add("solutions", "knowledge.error.solution", "Slug", sl)
				break
			}
		}
	}
	if len(in.Related) > 0 && len(in.Related) <= MaxLinks {
		known, err := s.store.KnownArticles(ctx, in.Related)
		if err != nil {
			return in, "", fmt.Errorf("knowledge: related: %w", err)
		}
		for _, sl := range in.Related {
			if sl == self || !slices.ContainsFunc(known, func(a Article) bool { return a.Slug == sl }) {
				v.Add("related", "knowledge.error.related", "Slug", sl)
				break
			}
		}
	}
	owner := ""
	if e := strings.TrimSpace(in.Owner); e != "" && s.users != nil {
		u, _, err := s.users.UserByEmail(ctx, e)
		switch {
		case apperr.Is(err, apperr.NotFound):
			v.Add("owner", "knowledge.error.owner")
		case err != nil:
			return in, "", fmt.Errorf("knowledge: owner: %w", err)
		case !Writer(&u):
			v.Add("owner", "knowledge.error.owner")
		default:
			owner = u.ID
		}
	}
	return in, owner, v.Err()
}

func (s *Service) fieldKeys(ctx context.Context) ([]string, error) {
	if s.fields == nil {
		return nil, nil
	}
	all, err := s.fields.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("knowledge: fields of action: %w", err)
	}
	var out []string
	for _, f := range all {
		out = append(out, f.Key)
		for _, c := range f.Children {
			out = append(out, c.Key)
		}
	}
	return out, nil
}

// Create stores a new draft written by u, who owns it unless in names
// another owner (by e-mail address).
func (s *Service) Create(ctx context.Context, u account.User, in Input, m account.Meta) (Article, error) {
	if !Can(&u, ActCreate, Article{}) {
		return Article{}, errNotWriter
	}
	in, owner, err := s.check(ctx, in, "")
	if err != nil {
		return Article{}, err
	}
	if owner == "" {
		owner = u.ID
	}
	now := s.Now().UTC()
	slug := org.Slug(in.Title)
	if slug == "organisation" {
		slug = "artikel"
	}
	a := Article{ID: newID(), Slug: slug, Owner: Person{ID: owner}, Working: in.Content, State: Draft, Editor: Person{ID: u.ID},
		Authors: []string{u.ID}, LastChecked: Day(now), Created: now, Updated: now}
	out, err := s.store.CreateArticle(ctx, a, audit(u, "knowledge.created", a.ID, m, map[string]any{"title": in.Title}))
	if err != nil {
		return out, fmt.Errorf("knowledge: create: %w", err)
	}
	return out, nil
}

// Get returns the article slug as u (nil for a visitor) may see it;
// apperr.NotFound when u may not see it.
func (s *Service) Get(ctx context.Context, u *account.User, slug string) (Article, error) {
	a, err := s.store.Article(ctx, slug)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return a, errNotFound
		}
		return a, fmt.Errorf("knowledge: article %s: %w", slug, err)
	}
	if !Can(u, ActRead, a) {
		return a, errNotFound
	}
	return a, nil
}

// List returns a page of published articles.
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	if q.Limit <= 0 || q.Limit > MaxLimit {
		q.Limit = DefaultLimit
	}
	p, err := s.store.Articles(ctx, q)
	if err != nil {
		return p, fmt.Errorf("knowledge: list: %w", err)
	}
	return p, nil
}

// InWork returns the articles being written or reviewed, for writers
// (the curators' review queue); nil for everyone else.
func (s *Service) InWork(ctx context.Context, u *account.User) ([]Article, error) {
	if !Writer(u) {
		return nil, nil
	}
	list, err := s.store.WorkingArticles(ctx, 100)
	if err != nil {
		return nil, fmt.Errorf("knowledge: articles in work: %w", err)
	}
	return list, nil
}

// ForSolution returns the published articles that link to a solution.
func (s *Service) ForSolution(ctx context.Context, solutionSlug string) ([]Article, error) {
	list, err := s.store.ArticlesForSolution(ctx, solutionSlug)
	if err != nil {
		return nil, fmt.Errorf("knowledge: articles of solution %s: %w", solutionSlug, err)
	}
	return list, nil
}

// Solutions returns the published solutions among slugs with their
// names, in the order of slugs.
func (s *Service) Solutions(ctx context.Context, slugs []string) ([]SolutionRef, error) {
	known, err := s.store.KnownSolutions(ctx, slugs)
	if err != nil {
		return nil, fmt.Errorf("knowledge: solutions: %w", err)
	}
	var out []SolutionRef
	for _, sl := range slugs {
		for _, r := range known {
			if r.Slug == sl {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// Update writes the working version; it becomes a draft again. A
// submitted version cannot be changed until it is reviewed.
func (s *Service) Update(ctx context.Context, u account.User, slug string, in Input, m account.Meta) (Article, error) {
	a, err := s.Get(ctx, &u, slug)
	if err != nil {
		return a, err
	}
	if !Can(&u, ActEdit, a) {
		return a, errForbidden
	}
	if !CanMove(a.State, Draft) {
		return a, apperr.New(apperr.Conflict, "knowledge.error.in_review")
	}
	if in.Lock != 0 && in.Lock != a.Lock {
		return a, errConflict
	}
	in, owner, err := s.check(ctx, in, a.Slug)
	if err != nil {
		return a, err
	}
	from := a.State
	a.Working, a.State, a.Editor = in.Content, Draft, Person{ID: u.ID}
	if owner != "" {
		a.Owner = Person{ID: owner}
	}
	if !slices.Contains(a.Authors, u.ID) {
		a.Authors = append(a.Authors, u.ID)
	}
	out, err := s.store.SaveArticle(ctx, a, from, audit(u, "knowledge.saved", a.ID, m, nil))
	if err != nil {
		return out, fmt.Errorf("knowledge: save %s: %w", slug, err)
	}
	return out, nil
}

// Submit hands the working version to review.
func (s *Service) Submit(ctx context.Context, u account.User, slug string, m account.Meta) (Article, error) {
	a, err := s.Get(ctx, &u, slug)
	if err != nil {
		return a, err
	}
	if !Can(&u, ActEdit, a) {
		return a, errForbidden
	}
	if a.State == Published || !CanMove(a.State, Submitted) {
		return a, apperr.New(apperr.Conflict, "knowledge.error.not_draft")
	}
	from := a.State
	a.State = Submitted
	out, err := s.store.SaveArticle(ctx, a, from, audit(u, "knowledge.submitted", a.ID, m, nil))
	if err != nil {
		return out, fmt.Errorf("knowledge: submit %s: %w", slug, err)
	}
	return out, nil
}

// Review publishes the submitted version or returns it with a comment.
// The reviewer must be a curator who did not write it (four-eyes).
func (s *Service) Review(ctx context.Context, u account.User, slug string, publish bool, comment string, m account.Meta) (Article, error) {
	a, err := s.Get(ctx, &u, slug)
	if err != nil {
		return a, err
	}
	if a.State != Submitted {
		return a, apperr.New(apperr.Conflict, "knowledge.error.not_submitted")
	}
	if !Can(&u, ActReview, a) {
		return a, apperr.New(apperr.Forbidden, "knowledge.error.four_eyes")
	}
	comment = strings.TrimSpace(comment)
	var v apperr.Validation
	v.Text("comment", comment, MaxNote, !publish)
	if err := v.Err(); err != nil {
		return a, err
	}
	if !publish {
		a.State, a.ReviewNote = ChangesRequested, comment
		out, err := s.store.SaveArticle(ctx, a, Submitted, audit(u, "knowledge.changes_requested", a.ID, m, map[string]any{"comment": comment}))
		if err != nil {
			return out, fmt.Errorf("knowledge: review %s: %w", slug, err)
		}
		return out, nil
	}
	now := s.Now().UTC()
	n := 1
	if a.Published != nil {
		n = a.Published.Number + 1
	}
	p := Publication{ArticleID: a.ID, Lock: a.Lock, Checked: Day(now),
		Version: Version{Number: n, Content: a.Working, Author: a.Editor, Reviewer: Person{ID: u.ID}, Comment: comment, At: now},
		Audit:   audit(u, "knowledge.published", a.ID, m, map[string]any{"version": n})}
	if err := s.store.PublishArticle(ctx, p); err != nil {
		return a, fmt.Errorf("knowledge: publish %s: %w", slug, err)
	}
	return s.Get(ctx, &u, slug)
}

// Check records that the owner or a curator checked the article and
// found it still correct: LastChecked becomes today, without a version.
func (s *Service) Check(ctx context.Context, u account.User, slug string, m account.Meta) error {
	a, err := s.Get(ctx, &u, slug)
	if err != nil {
		return err
	}
	if !Can(&u, ActCheck, a) {
		return errForbidden
	}
	day := Day(s.Now())
	if err := s.store.CheckArticle(ctx, a.ID, day, audit(u, "knowledge.checked", a.ID, m, map[string]any{"day": day.Format(time.DateOnly)})); err != nil {
		return fmt.Errorf("knowledge: check %s: %w", slug, err)
	}
	return nil
}

// Versions returns the published versions of an article, newest first.
func (s *Service) Versions(ctx context.Context, u *account.User, slug string) (Article, []Version, error) {
	a, err := s.Get(ctx, u, slug)
	if err != nil {
		return a, nil, err
	}
	list, err := s.store.ArticleVersions(ctx, a.ID)
	if err != nil {
		return a, nil, fmt.Errorf("knowledge: versions of %s: %w", slug, err)
	}
	return a, list, nil
}

// Attachments lists the files of an article u may see.
func (s *Service) Attachments(ctx context.Context, a Article) ([]Attachment, error) {
	list, err := s.store.ArticleAttachments(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("knowledge: attachments of %s: %w", a.Slug, err)
	}
	return list, nil
}

// Attach adds checked files to an article.
func (s *Service) Attach(ctx context.Context, u account.User, slug string, files []File, m account.Meta) error {
	a, err := s.Get(ctx, &u, slug)
	if err != nil {
		return err
	}
	if !Can(&u, ActEdit, a) {
		return errForbidden
	}
	var v apperr.Validation
	if len(files) == 0 {
		v.Add("files", "form.error.required")
	}
	if len(files) > MaxFiles {
		v.Add("files", "knowledge.error.files", "Max", MaxFiles)
	}
	var list []Attachment
	now := s.Now().UTC()
	for _, f := range files {
		typ, msg := CheckFile(f)
		if msg != "" {
			v.Add("files", msg, "File", CleanName(f.Name), "MaxMB", MaxFileSize>>20)
			break
		}
		list = append(list, Attachment{ID: newID(), ArticleID: a.ID, Name: CleanName(f.Name), Type: typ, Size: int64(len(f.Data)), Data: f.Data, Created: now})
	}
	if err := v.Err(); err != nil {
		return err
	}
	names := make([]string, 0, len(list))
	for _, f := range list {
		names = append(names, f.Name)
	}
	if err := s.store.AddArticleAttachments(ctx, a.ID, list, audit(u, "knowledge.attached", a.ID, m, map[string]any{"files": names})); err != nil {
		return fmt.Errorf("knowledge: attach to %s: %w", slug, err)
	}
	return nil
}

// Attachment returns a file of an article u may read.
func (s *Service) Attachment(ctx context.Context, u *account.User, slug, id string) (Attachment, error) {
	a, err := s.Get(ctx, u, slug)
	if err != nil {
		return Attachment{}, err
	}
	f, err := s.store.ArticleAttachment(ctx, a.ID, id)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return f, errNotFound
		}
		return f, fmt.Errorf("knowledge: attachment %s of %s: %w", id, slug, err)
	}
	return f, nil
}
