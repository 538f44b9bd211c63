// Package notify is the in-app notification centre: notifications of a
// user about things that concern them (a curator's decision on their
// organisation's solution, …), always kept in the app, and mailed
// according to the user's choice per kind: at once, in a daily digest or
// not at all.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
)

// The kinds of notifications.
const (
	KindEventChanged  = "event.changed"
	KindCatalogReview = "catalog.review"
	KindAdviceAnswer  = "advice.answer"
	KindAlertMatches  = "alert.matches"
	// Needs and offers (package offer).
	KindNeedMatch         = "need.match"
	KindNeedClarification = "need.clarification"
	KindNeedOffer         = "need.offer"
	// KindExplorationRFI: a market exploration asks the provider (package exploration).
	KindExplorationRFI = "exploration.rfi"
	// KindPracticeReview: a curator decided on a practice example (package practice).
	KindPracticeReview = "practice.review"
)

// Kinds lists the kinds in the order of the settings page.
var Kinds = []string{KindCatalogReview, KindEventChanged, KindAdviceAnswer, KindAlertMatches, KindNeedMatch, KindNeedClarification, KindNeedOffer, KindExplorationRFI, KindPracticeReview}

// Mail is a user's choice of mail for a kind.
type Mail string

// The choices. In the app a notification always shows.
const (
	Immediate Mail = "immediate"
	Digest    Mail = "digest"
	Off       Mail = "off"
)

// Mails lists the choices in form order.
var Mails = []Mail{Immediate, Digest, Off}

// DefaultMail holds for a kind the user has made no choice for, unless
// DefaultFor names another: the daily digest.
const DefaultMail = Digest

// Notification is one notification of a user. Title is the name of the
// object (a solution, an event); the message comes from Kind and Action
// in the reader's language.
type Notification struct {
	ID      string
	UserID  string
	Kind    string
	Action  string
	Title   string
	Link    string // a path on the platform
	Created time.Time
	ReadAt  *time.Time
}

// Key is the translation key of the notification's message; it takes
// the argument Name (the Title).
func (n Notification) Key() string { return "notify.msg." + n.Kind + "." + n.Action }

// Recipient is what the mail of a notification needs of its user.
type Recipient struct {
	ID, Email, Lang string
}

// Compose builds the mail of notifications to a recipient (one for an
// immediate mail, several for a digest).
type Compose func(to Recipient, list []Notification) (mail.Outgoing, error)

// Store is the database of notifications.
type Store interface {
	// AddNotification stores n and, in the same transaction, the mail
	// the user's choice for n.Kind asks for (def when there is none).
	AddNotification(ctx context.Context, n Notification, def Mail, compose Compose) error
	// Notifications returns a user's newest notifications, unread first,
	// and the number of unread ones.
	Notifications(ctx context.Context, userID string, limit int) ([]Notification, int, error)
	// UnreadCount counts a user's unread notifications.
	UnreadCount(ctx context.Context, userID string) (int, error)
	// MarkRead marks one notification of the user read; apperr.NotFound
	// when the user has no such notification.
	MarkRead(ctx context.Context, userID, id string) error
	// Notification returns one of the user's notifications;
	// apperr.NotFound when the user has no such notification.
	Notification(ctx context.Context, userID, id string) (Notification, error)
	// MarkAllRead marks all of the user's notifications read.
	MarkAllRead(ctx context.Context, userID string) error
	// NotificationPrefs returns the user's mail choices by kind.
	NotificationPrefs(ctx context.Context, userID string) (map[string]Mail, error)
	// SetNotificationPrefs stores the user's mail choices.
	SetNotificationPrefs(ctx context.Context, userID string, prefs map[string]Mail) error
	// DigestRecipients returns the users with notifications waiting for
	// the digest.
	DigestRecipients(ctx context.Context) ([]string, error)
	// SendDigest stores the digest mail of the user's waiting
	// notifications and marks them digested, in one transaction; false
	// when none was waiting.
	SendDigest(ctx context.Context, userID string, compose Compose) (bool, error)
	// AllNotifications returns every notification of a user, for the
	// data export.
	AllNotifications(ctx context.Context, userID string) ([]Notification, error)
}

// Outbox prepares mails; the mail service is one.
type Outbox interface {
	Prepare(m mail.Message) (mail.Outgoing, error)
}

// Service holds the rules of notifications.
type Service struct {
	store   Store
	outbox  Outbox
	texts   account.Texts
	baseURL string
	log     *slog.Logger
}

// NewService returns the service; links in mails start with baseURL.
func NewService(store Store, outbox Outbox, texts account.Texts, baseURL string, log *slog.Logger) *Service {
	return &Service{store: store, outbox: outbox, texts: texts, baseURL: strings.TrimSuffix(baseURL, "/"), log: log}
}

// Notify stores a notification of kind and action about the object
// title at link for user userID and mails it as the user chose.
func (s *Service) Notify(ctx context.Context, userID, kind, action, title, link string) error {
	n := Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: userID, Kind: kind, Action: action, Title: title, Link: link}
	if err := s.store.AddNotification(ctx, n, DefaultFor(kind), s.composeOne); err != nil {
		return fmt.Errorf("notify: %s for %s: %w", kind, userID, err)
	}
	return nil
}

func (s *Service) composeOne(to Recipient, list []Notification) (mail.Outgoing, error) {
	return s.compose(to, list, false)
}

func (s *Service) composeDigest(to Recipient, list []Notification) (mail.Outgoing, error) {
	return s.compose(to, list, true)
}

// compose writes the mail of one notification or of a digest.
func (s *Service) compose(to Recipient, list []Notification, digest bool) (mail.Outgoing, error) {
	lang := to.Lang
	var text strings.Builder
	subject := ""
	if !digest {
		n := list[0]
		subject = s.texts.T(lang, n.Key(), "Name", n.Title)
		text.WriteString(s.texts.T(lang, "notify.mail.one", "Message", subject, "Link", s.baseURL+n.Link))
	} else {
		subject = s.texts.T(lang, "notify.mail.digest.subject", "Count", len(list))
		text.WriteString(s.texts.T(lang, "notify.mail.digest.intro", "Count", len(list)))
		text.WriteString("\n\n")
		for _, n := range list {
			fmt.Fprintf(&text, "- %s\n  %s\n", s.texts.T(lang, n.Key(), "Name", n.Title), s.baseURL+n.Link)
		}
	}
	text.WriteString("\n\n")
	text.WriteString(s.texts.T(lang, "notify.mail.footer", "Link", s.baseURL+"/konto/benachrichtigungen/einstellungen"))
	kind := "notify.immediate"
	if digest {
		kind = "notify.digest"
	}
	return s.outbox.Prepare(mail.Message{To: to.Email, Lang: lang, Kind: kind, Subject: subject, Text: text.String()})
}

// Page is a user's notification centre.
type Page struct {
	Items  []Notification
	Unread int
}

// MaxList is how many notifications the centre shows.
const MaxList = 100

// List returns the user's newest notifications, unread first.
func (s *Service) List(ctx context.Context, u account.User) (Page, error) {
	items, unread, err := s.store.Notifications(ctx, u.ID, MaxList)
	if err != nil {
		return Page{}, fmt.Errorf("notify: list %s: %w", u.ID, err)
	}
	return Page{Items: items, Unread: unread}, nil
}

// Unread counts the user's unread notifications (the header's badge).
func (s *Service) Unread(ctx context.Context, u account.User) (int, error) {
	return s.store.UnreadCount(ctx, u.ID)
}

// MarkRead marks the user's notification id read and returns it;
// another user's notification is apperr.NotFound.
func (s *Service) MarkRead(ctx context.Context, u account.User, id string) (Notification, error) {
	if err := s.store.MarkRead(ctx, u.ID, id); err != nil {
		return Notification{}, err
	}
	return s.store.Notification(ctx, u.ID, id)
}

// MarkAllRead marks all of the user's notifications read.
func (s *Service) MarkAllRead(ctx context.Context, u account.User) error {
	return s.store.MarkAllRead(ctx, u.ID)
}

// Prefs returns the user's mail choice for every kind.
func (s *Service) Prefs(ctx context.Context, u account.User) (map[string]Mail, error) {
	stored, err := s.store.NotificationPrefs(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("notify: prefs %s: %w", u.ID, err)
	}
	out := map[string]Mail{}
	for _, k := range Kinds {
		out[k] = DefaultFor(k)
		if m, ok := stored[k]; ok {
			out[k] = m
		}
	}
	return out, nil
}

// SetPrefs stores the user's mail choices; unknown kinds or choices are
// apperr.Invalid with the kind as field name.
func (s *Service) SetPrefs(ctx context.Context, u account.User, prefs map[string]Mail) error {
	var v apperr.Validation
	for k, m := range prefs {
		if !slices.Contains(Kinds, k) || !slices.Contains(Mails, m) {
			v.Add(k, "notify.error.choice")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.SetNotificationPrefs(ctx, u.ID, prefs)
}

// SendDigests mails every user with waiting notifications one digest.
// It is idempotent: a notification is digested in the transaction that
// stores the mail.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	users, err := s.store.DigestRecipients(ctx)
	if err != nil {
		return 0, fmt.Errorf("notify: digest recipients: %w", err)
	}
	n := 0
	for _, id := range users {
		sent, err := s.store.SendDigest(ctx, id, s.composeDigest)
		if err != nil {
			return n, fmt.Errorf("notify: digest for %s: %w", id, err)
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// ExportNotification is a notification in the user's data export.
type ExportNotification struct {
	Kind    string     `json:"kind"`
	Action  string     `json:"action"`
	Title   string     `json:"title"`
	Link    string     `json:"link"`
	Created time.Time  `json:"created_at"`
	ReadAt  *time.Time `json:"read_at"`
}

// Export adds the user's notifications and mail choices to their data
// export (account.Service.AddExporter).
func (s *Service) Export(ctx context.Context, userID string, e *account.Export) error {
	all, err := s.store.AllNotifications(ctx, userID)
	if err != nil {
		return fmt.Errorf("notify: export %s: %w", userID, err)
	}
	prefs, err := s.store.NotificationPrefs(ctx, userID)
	if err != nil {
		return fmt.Errorf("notify: export %s: %w", userID, err)
	}
	list := []ExportNotification{}
	for _, n := range all {
		list = append(list, ExportNotification{Kind: n.Kind, Action: n.Action, Title: n.Title, Link: n.Link, Created: n.Created, ReadAt: n.ReadAt})
	}
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra["notifications"] = list
	if prefs == nil {
		prefs = map[string]Mail{}
	}
	e.Extra["notification_prefs"] = prefs
	return nil
}
