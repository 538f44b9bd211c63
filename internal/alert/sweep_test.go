package alert_test

import (
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// world is a catalogue with a clock that the test moves.
type world struct {
	t     *testing.T
	db    *store.DB
	svc   *alert.Service
	now   time.Time
	orgID string
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := t.Context()
	w := &world{t: t, db: db, now: time.Now().UTC().Truncate(time.Second)}
	db.Now = func() time.Time { return w.now }
	fields := catalog.NewFields(db)
	if _, err := fields.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	provider := w.user("it@anbieter.example", "de", true)
	o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "anbieter", Kind: org.Company, Name: "Anbieter GmbH"},
		provider.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	w.orgID = o.ID
	finder := search.New(db, fields)
	if err := finder.Init(ctx); err != nil {
		t.Fatal(err)
	}
	mails, err := mail.NewService(db, mail.SMTPConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w.svc = alert.NewService(db, finder, mails, bundle, "http://platform.test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.svc.Now = func() time.Time { return w.now }
	return w
}

func (w *world) at(d time.Duration) { w.now = w.now.Add(d) }

func (w *world) user(email, lang string, confirmed bool) account.User {
	w.t.Helper()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Lang: lang, Created: w.now}
	if confirmed {
		u.EmailConfirmed = &w.now
	}
	if err := w.db.CreateUser(w.t.Context(), account.NewUser{User: u}); err != nil {
		w.t.Fatal(err)
	}
	return u
}

// entry is a solution in the field of waste management, so that only
// its name matches a search for "Parken".
func entry(name, short string) catalog.Entry {
	return catalog.Entry{Name: name, Short: short, Licence: "MIT", Maturity: "pilot", Fields: []string{"energy-environment.waste"},
		Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}}
}

// publish stores a published solution now.
func (w *world) publish(slug, name string) {
	w.t.Helper()
	sol := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: w.orgID, ImportedFrom: "test/" + slug}
	if ok, err := w.db.ImportSolution(w.t.Context(), sol, entry(name, "Kurzbeschreibung"), account.AuditEntry{}); err != nil || !ok {
		w.t.Fatalf("publish %s: %v %v", slug, ok, err)
	}
}

// draft stores a solution that is not published yet.
func (w *world) draft(slug, name string) {
	w.t.Helper()
	if _, err := w.db.CreateSolution(w.t.Context(), catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: w.orgID},
		entry(name, "Kurzbeschreibung"), account.AuditEntry{}); err != nil {
		w.t.Fatal(err)
	}
}

// review submits and publishes the working version of slug, with e as
// its entry when given (an edit of a published solution).
func (w *world) review(slug string, e *catalog.Entry) {
	w.t.Helper()
	ctx := w.t.Context()
	sol, err := w.db.SolutionBySlug(ctx, slug)
	if err != nil {
		w.t.Fatal(err)
	}
	if e != nil {
		if err := w.db.SaveWorking(ctx, sol.ID, sol.Lock, *e, "", account.AuditEntry{}); err != nil {
			w.t.Fatal(err)
		}
		sol, _ = w.db.SolutionBySlug(ctx, slug)
	}
	if err := w.db.SetWorkingState(ctx, sol.ID, sol.Lock, []string{catalog.Draft}, catalog.Submitted, "", "", account.AuditEntry{}); err != nil {
		w.t.Fatal(err)
	}
	sol, _ = w.db.SolutionBySlug(ctx, slug)
	if err := w.db.PublishWorking(ctx, sol.ID, sol.Lock, "", account.AuditEntry{}); err != nil {
		w.t.Fatal(err)
	}
}

// mailsTo returns the texts of the mails to addr, oldest first.
func (w *world) mailsTo(addr string) []mail.Mail {
	w.t.Helper()
	list, _, err := w.db.Mails(w.t.Context(), 200, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []mail.Mail
	for _, m := range slices.Backward(list) {
		if m.To == addr {
			full, err := w.db.Mail(w.t.Context(), m.ID)
			if err != nil {
				w.t.Fatal(err)
			}
			out = append(out, full)
		}
	}
	return out
}

func (w *world) sweep(want int) {
	w.t.Helper()
	n, err := w.svc.Sweep(w.t.Context(), w.now)
	if err != nil {
		w.t.Fatal(err)
	}
	if n != want {
		w.t.Fatalf("sweep at %s sent %d mails, want %d", w.now.Format(time.DateTime), n, want)
	}
}

var reUnsubscribe = regexp.MustCompile(`http://platform\.test/suchen/abbestellen/([A-Za-z0-9_-]+)`)

func TestSweep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		w := newWorld(t, db)
		w.publish("parkhaus-alt", "Parkhaus Alt") // before the search: never new
		w.draft("parkraum-spaet", "Parkraum Später")
		eva := w.user("eva@ulm.de", "de", true)
		bob := w.user("bob@ulm.de", "en", true)
		unconfirmed := w.user("nobody@ulm.de", "de", false)

		w.at(time.Hour)
		parken, err := w.svc.Create(ctx, eva, "Parken", "q=Parken&sort=name", "de")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Create(ctx, eva, "Wetter", "q=Wetterstation", "de"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Create(ctx, bob, "Parking", "q=Parken", "en"); err != nil {
			t.Fatal(err)
		}
		// An address that is not confirmed gets no mail.
		if _, err := w.svc.Create(ctx, unconfirmed, "Parken", "q=Parken", "de"); err != nil {
			t.Fatal(err)
		}

		t.Run("nothing new, no mail", func(t *testing.T) {
			w.at(time.Hour)
			w.sweep(0)
		})

		w.at(time.Hour)
		w.publish("parkleitsystem", "Parkleitsystem Innenstadt") // matches Parken
		w.publish("abfall-app", "Abfall-App")                    // matches nothing
		w.review("parkraum-spaet", nil)                          // created before the search, first published now: new

		t.Run("one mail per user with the new matches", func(t *testing.T) {
			w.at(23 * time.Hour)
			w.sweep(2)
			got := w.mailsTo(eva.Email)
			if len(got) != 1 {
				t.Fatalf("%d mails to eva, want 1", len(got))
			}
			m := got[0]
			if m.Subject != "Neue Lösungen zu Ihren gespeicherten Suchen" || m.Lang != "de" || m.Kind != "alert.saved_searches" {
				t.Errorf("mail %q (%s, %s)", m.Subject, m.Lang, m.Kind)
			}
			for _, want := range []string{"Suche „Parken“: 2 neue Lösungen", "http://platform.test/loesungen/parkleitsystem",
				"http://platform.test/loesungen/parkraum-spaet", "http://platform.test/loesungen?q=Parken&sort=neu",
				"http://platform.test/suchen/abbestellen/", "http://platform.test/konto/suchen"} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("mail lacks %q:\n%s", want, m.Text)
				}
			}
			for _, not := range []string{"parkhaus-alt", "abfall-app", "Wetter"} {
				if strings.Contains(m.Text, not) {
					t.Errorf("mail names %q:\n%s", not, m.Text)
				}
			}
			if n := len(w.mailsTo(unconfirmed.Email)); n != 0 {
				t.Errorf("%d mails to an unconfirmed address", n)
			}
			if en := w.mailsTo(bob.Email); len(en) != 1 || en[0].Subject != "New solutions for your saved searches" ||
				!strings.Contains(en[0].Text, "Search “Parking”: 2 new solutions") {
				t.Errorf("mails to bob: %+v", en)
			}
			if l, _ := w.db.SavedSearches(ctx, eva.ID); l[0].LastSent == nil || l[1].LastSent != nil || l[1].LastRun == nil {
				t.Errorf("recorded %+v", l)
			}
		})

		t.Run("run again, no mail", func(t *testing.T) {
			w.sweep(0)
			w.at(time.Hour)
			w.sweep(0)
		})

		t.Run("republished after an edit or not matching: no mail", func(t *testing.T) {
			e := entry("Parkleitsystem Innenstadt", "Jetzt mit Prognose")
			w.review("parkleitsystem", &e)
			w.publish("wetterdienst", "Abfallkalender")
			w.at(23 * time.Hour)
			w.sweep(0)
			if n := len(w.mailsTo(eva.Email)); n != 1 {
				t.Errorf("%d mails to eva, want still 1", n)
			}
		})

		t.Run("concurrent sweeps mail once", func(t *testing.T) {
			w.at(time.Minute)
			w.publish("parkschein", "Parkschein digital")
			w.at(24 * time.Hour)
			var (
				wg    sync.WaitGroup
				mu    sync.Mutex
				total int
			)
			for range 3 {
				wg.Go(func() {
					n, err := w.svc.Sweep(ctx, w.now)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				})
			}
			wg.Wait()
			if total != 2 || len(w.mailsTo(eva.Email)) != 2 || len(w.mailsTo(bob.Email)) != 2 {
				t.Errorf("concurrent sweeps sent %d mails (eva %d, bob %d), want one each", total, len(w.mailsTo(eva.Email)), len(w.mailsTo(bob.Email)))
			}
		})

		t.Run("unsubscribe by the link", func(t *testing.T) {
			got := w.mailsTo(eva.Email)
			m := reUnsubscribe.FindStringSubmatch(got[len(got)-1].Text)
			if m == nil {
				t.Fatalf("no unsubscribe link in %s", got[len(got)-1].Text)
			}
			if _, err := w.svc.ByToken(ctx, m[1]+"x"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("wrong token: %v, want not found", err)
			}
			if _, err := w.svc.Unsubscribe(ctx, "falsch"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("wrong token: %v, want not found", err)
			}
			ss, err := w.svc.Unsubscribe(ctx, m[1])
			if err != nil || ss.ID != parken.ID || !ss.Paused {
				t.Fatalf("unsubscribe: %+v %v", ss, err)
			}
			// The older mail's link still works (and changes nothing more).
			first := reUnsubscribe.FindStringSubmatch(got[0].Text)
			if ss, err := w.svc.ByToken(ctx, first[1]); err != nil || ss.ID != parken.ID {
				t.Errorf("older link: %+v %v", ss, err)
			}
			w.at(time.Minute)
			w.publish("parkplatzsuche", "Parkplatzsuche")
			w.at(24 * time.Hour)
			w.sweep(1) // bob only
			if n := len(w.mailsTo(eva.Email)); n != 2 {
				t.Errorf("%d mails to eva after unsubscribing, want still 2", n)
			}
		})

		t.Run("resumed: only what is published from then on", func(t *testing.T) {
			if err := w.svc.SetPaused(ctx, eva, parken.ID, false); err != nil {
				t.Fatal(err)
			}
			w.at(24 * time.Hour)
			w.sweep(0)
		})

		t.Run("deleted user gets nothing, searches go with the account", func(t *testing.T) {
			if err := db.DeleteUser(ctx, bob.ID, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "account.deleted"}); err != nil {
				t.Fatal(err)
			}
			if l, err := db.SavedSearches(ctx, bob.ID); err != nil || len(l) != 0 {
				t.Errorf("searches of a deleted user: %v %v", l, err)
			}
			w.at(time.Minute)
			w.publish("parkhaus-neu", "Parkhaus Neu")
			w.at(24 * time.Hour)
			w.sweep(1) // eva
		})

		t.Run("after a long pause of the job, old solutions are no news", func(t *testing.T) {
			w.at(time.Minute)
			w.publish("parkhaus-ost", "Parkhaus Ost")
			w.at(alert.MaxLookback + time.Hour)
			w.sweep(0)
		})
	})
}
