package notify_test

import (
	"context"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/notify"
)

// prefStore keeps mail choices in memory; the other methods are not used.
type prefStore struct {
	notify.Store
	prefs map[string]notify.Mail
}

func (p *prefStore) NotificationPrefs(context.Context, string) (map[string]notify.Mail, error) {
	return p.prefs, nil
}

func (p *prefStore) SetNotificationPrefs(_ context.Context, _ string, m map[string]notify.Mail) error {
	for k, v := range m {
		p.prefs[k] = v
	}
	return nil
}

func TestPrefs(t *testing.T) {
	st := &prefStore{prefs: map[string]notify.Mail{}}
	s := notify.NewService(st, nil, nil, "", nil)
	u := account.User{ID: "u"}
	for _, tc := range []struct {
		name string
		in   map[string]notify.Mail
		want apperr.Code
	}{
		{"OK", map[string]notify.Mail{notify.KindCatalogReview: notify.Immediate, notify.KindAlertMatches: notify.Off}, ""},
		{"UnknownKind", map[string]notify.Mail{"catalog.other": notify.Off}, apperr.Invalid},
		{"UnknownChoice", map[string]notify.Mail{notify.KindEventChanged: "weekly"}, apperr.Invalid},
		{"Nothing", map[string]notify.Mail{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := apperr.CodeOf(s.SetPrefs(t.Context(), u, tc.in)); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	got, err := s.Prefs(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]notify.Mail{notify.KindCatalogReview: notify.Immediate, notify.KindAlertMatches: notify.Off,
		notify.KindEventChanged: notify.DefaultMail, notify.KindAdviceAnswer: notify.DefaultMail}
	if len(got) != len(want) {
		t.Fatalf("prefs %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
}

func TestKey(t *testing.T) {
	n := notify.Notification{Kind: notify.KindCatalogReview, Action: "published"}
	if got := n.Key(); got != "notify.msg.catalog.review.published" {
		t.Fatalf("got %q", got)
	}
}
