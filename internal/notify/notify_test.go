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
	// Every kind has a choice: the stored one, else the kind's default.
	chosen := map[string]notify.Mail{notify.KindCatalogReview: notify.Immediate, notify.KindAlertMatches: notify.Off}
	if len(got) != len(notify.Kinds) {
		t.Fatalf("prefs %v", got)
	}
	for _, k := range notify.Kinds {
		want, ok := chosen[k]
		if !ok {
			want = notify.DefaultFor(k)
		}
		if got[k] != want {
			t.Errorf("%s: got %q, want %q", k, got[k], want)
		}
	}
	if got[notify.KindEventChanged] != notify.Immediate || got[notify.KindAdviceAnswer] != notify.Immediate {
		t.Errorf("defaults of answers and event changes: %v", got)
	}
}

func TestKey(t *testing.T) {
	n := notify.Notification{Kind: notify.KindCatalogReview, Action: "published"}
	if got := n.Key(); got != "notify.msg.catalog.review.published" {
		t.Fatalf("got %q", got)
	}
}

func TestDefaultFor(t *testing.T) {
	for _, tc := range []struct {
		kind  string
		want  notify.Mail
		daily bool
	}{
		{notify.KindAdviceAnswer, notify.Immediate, false},
		{notify.KindEventChanged, notify.Immediate, false},
		{notify.KindCatalogReview, notify.Digest, false},
		{notify.KindAlertMatches, notify.Digest, true},
		{"need.match", notify.Digest, false}, // kinds added later default to the digest
	} {
		t.Run(tc.kind, func(t *testing.T) {
			if got := notify.DefaultFor(tc.kind); got != tc.want {
				t.Errorf("DefaultFor = %q, want %q", got, tc.want)
			}
			if got := notify.DailyOwnMail(tc.kind); got != tc.daily {
				t.Errorf("DailyOwnMail = %v, want %v", got, tc.daily)
			}
		})
	}
}
