package notify

// immediateByDefault are the kinds whose mail goes out at once when the
// user made no choice: an answer to an advice request and a change of an
// event one is registered for (a new time, place or link, a cancellation)
// are worth knowing the same day — before this centre existed they were
// mailed at once, and a daily digest could arrive after the event.
var immediateByDefault = map[string]bool{
	KindAdviceAnswer: true,
	KindEventChanged: true,
}

// DefaultFor returns the mail choice that holds for kind while the user
// has made none: Immediate for advice answers and event changes, the daily
// Digest (DefaultMail) for every other kind, so that nobody gets more
// mail than before without asking.
func DefaultFor(kind string) Mail {
	if immediateByDefault[kind] {
		return Immediate
	}
	return DefaultMail
}

// DailyOwnMail reports whether the producer of kind mails at most once a
// day by itself: the saved-search sweep sends one mail per day about all
// of a user's searches, with an unsubscribe link per search. For such a
// kind both Immediate and Digest mean that daily mail (never a second one
// in the notification digest); Off means none, the notification still
// shows in the app.
func DailyOwnMail(kind string) bool { return kind == KindAlertMatches }

// Pending is a notification a producer hands to its store, to be added
// inside the transaction of the change it tells of: the row, and the mail
// the user's choice asks for, commit or roll back with the change. Mail
// composes the mail at once (the producer's own, richer mail, which
// replaces what it used to send directly); a digest lists the
// notification like any other.
type Pending struct {
	Notification
	Mail Compose
}
