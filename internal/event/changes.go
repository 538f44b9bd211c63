package event

import (
	"slices"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/notify"
)

// The notices of changes registrants are told of in the notification
// centre (kind notify.KindEventChanged, the notice as action), besides
// NoticeCancelled.
const (
	NoticeChanged   Notice = "changed"   // a new time, place or online link
	NoticeMaterials Notice = "materials" // materials or a recording added
)

// ChangeOf returns what registrants must hear about an event changed from
// before to after: NoticeChanged when its time, place or online link changed
// (this outweighs new materials: one change, one message), NoticeMaterials
// when links were added, "" when nothing that concerns them changed.
func ChangeOf(before, after Event) Notice {
	if !before.Start.Equal(after.Start) || !before.End.Equal(after.End) || before.Format != after.Format ||
		before.Address != after.Address || before.OnlineURL != after.OnlineURL {
		return NoticeChanged
	}
	for _, l := range after.Materials {
		if !slices.ContainsFunc(before.Materials, func(o Link) bool { return o.URL == l.URL }) {
			return NoticeMaterials
		}
	}
	return ""
}

// Path is the path of the event's page on the platform.
func Path(e Event) string { return "/veranstaltungen/" + e.Slug }

// Notification returns the in-app notification of notice n about e for
// the registration r, with the mail of notify as its immediate mail: the
// notification replaces the direct mail a change used to send, so that
// the registrant's mail choice for event changes holds and nobody gets
// two mails for one change.
func Notification(n Notice, e Event, r Registration, compose Notify) notify.Pending {
	return notify.Pending{
		Notification: notify.Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: r.UserID, Kind: notify.KindEventChanged, Action: string(n), Title: e.Title, Link: Path(e)},
		Mail: func(notify.Recipient, []notify.Notification) (mail.Outgoing, error) {
			return compose(n, e, r)
		},
	}
}
