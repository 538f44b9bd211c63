package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/org"
)

// EvidenceWarningDays is how long before its expiry the provider and the
// curators are told that a certificate or statement runs out.
const EvidenceWarningDays = 60

// EvidenceMarks remembers which expiring evidence has been warned about
// (store.DB).
type EvidenceMarks interface {
	MarkEvidenceWarned(ctx context.Context, solutionID, kind string, expires time.Time) (bool, error)
	UnmarkEvidenceWarned(ctx context.Context, solutionID, kind string, expires time.Time) error
}

// UserLister finds the curators to warn (store.DB).
type UserLister interface {
	ListUsers(ctx context.Context, f account.UserFilter) (account.UserPage, error)
}

// EvidenceWarner warns of expiring evidence of published solutions.
type EvidenceWarner struct {
	solutions SolutionStore
	marks     EvidenceMarks
	orgs      Orgs
	users     UserLister
	mail      account.Mailer
	texts     account.Texts
	baseURL   string
}

// NewEvidenceWarner returns the warner; links in its mails start with
// baseURL.
func NewEvidenceWarner(solutions SolutionStore, marks EvidenceMarks, orgs Orgs, users UserLister, m account.Mailer, texts account.Texts, baseURL string) *EvidenceWarner {
	return &EvidenceWarner{solutions: solutions, marks: marks, orgs: orgs, users: users, mail: m, texts: texts, baseURL: strings.TrimSuffix(baseURL, "/")}
}

// Warn mails the admins of the providing organisation and the curators
// about each evidence of a published solution that expires within
// EvidenceWarningDays of now or has expired, once per expiry date: a run
// again the same day, or the next, sends nothing new. It returns the
// number of evidence items warned about.
func (w *EvidenceWarner) Warn(ctx context.Context, now time.Time) (int, error) {
	curators, err := w.curators(ctx)
	if err != nil {
		return 0, err
	}
	until := now.AddDate(0, 0, EvidenceWarningDays)
	warned := 0
	q := ListQuery{Limit: 200}
	for {
		page, err := w.solutions.PublishedSolutions(ctx, q)
		if err != nil {
			return warned, fmt.Errorf("catalog: evidence warnings: %w", err)
		}
		for _, sol := range page.Items {
			for _, ev := range sol.Published.Entry.Evidence {
				if ev.Expires == nil || ev.Expires.After(until) {
					continue
				}
				sent, err := w.warn(ctx, sol, ev, now, curators)
				if err != nil {
					return warned, err
				}
				if sent {
					warned++
				}
			}
		}
		if page.Next == "" {
			return warned, nil
		}
		q.After = page.Next
	}
}

// curators returns the addresses of all curators.
func (w *EvidenceWarner) curators(ctx context.Context) ([]string, error) {
	var out []string
	f := account.UserFilter{Role: account.Curator, Limit: 200}
	for {
		page, err := w.users.ListUsers(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("catalog: curators: %w", err)
		}
		for _, u := range page.Items {
			out = append(out, u.Email)
		}
		if page.Next == "" {
			return out, nil
		}
		f.Cursor = page.Next
	}
}

// warn marks one evidence as warned about and mails; when a mail cannot
// be stored the mark is taken back so that the next run tries again.
func (w *EvidenceWarner) warn(ctx context.Context, sol Solution, ev Evidence, now time.Time, curators []string) (bool, error) {
	added, err := w.marks.MarkEvidenceWarned(ctx, sol.ID, ev.Kind, *ev.Expires)
	if err != nil || !added {
		return false, err
	}
	if err := w.send(ctx, sol, ev, now, curators); err != nil {
		if uerr := w.marks.UnmarkEvidenceWarned(ctx, sol.ID, ev.Kind, *ev.Expires); uerr != nil {
			slog.ErrorContext(ctx, "catalog: unmark evidence warning", "solution", sol.Slug, "err", uerr)
		}
		return false, err
	}
	return true, nil
}

func (w *EvidenceWarner) send(ctx context.Context, sol Solution, ev Evidence, now time.Time, curators []string) error {
	members, err := w.orgs.Members(ctx, sol.OrgID)
	if err != nil {
		return fmt.Errorf("catalog: members of %s: %w", sol.OrgSlug, err)
	}
	to := map[string]bool{}
	var order []string
	add := func(addr string) {
		if addr != "" && !to[addr] {
			to[addr] = true
			order = append(order, addr)
		}
	}
	for _, m := range members {
		if m.Role == org.Admin {
			add(m.Email)
		}
	}
	for _, c := range curators {
		add(c)
	}
	key := "catalog.mail.evidence_expiring"
	if ev.Expired(now) {
		key = "catalog.mail.evidence_expired"
	}
	const lang = "de"
	kv := []any{"Name", sol.Published.Entry.Name, "Evidence", w.texts.T(lang, "solution.evidence."+ev.Kind),
		"Date", ev.Expires.Format("02.01.2006"), "Link", w.baseURL + "/loesungen/" + sol.Slug + "/bearbeiten"}
	for _, addr := range order {
		if err := w.mail.Send(ctx, account.Mail{To: addr, Lang: lang, Kind: key,
			Subject: w.texts.T(lang, key+".subject", kv...), Text: w.texts.T(lang, key+".text", kv...)}); err != nil {
			return fmt.Errorf("catalog: mail %s: %w", key, err)
		}
	}
	return nil
}

// EvidenceArgs is the daily job that warns of expiring evidence.
type EvidenceArgs struct{}

// Kind names the job in River's tables.
func (EvidenceArgs) Kind() string { return "catalog.evidence_expiry" }

// EvidenceWorker runs the warnings as a River job.
type EvidenceWorker struct {
	river.WorkerDefaults[EvidenceArgs]
	warner *EvidenceWarner
}

// NewEvidenceWorker returns the worker.
func NewEvidenceWorker(w *EvidenceWarner) *EvidenceWorker { return &EvidenceWorker{warner: w} }

// Work warns of the evidence due now.
func (w *EvidenceWorker) Work(ctx context.Context, _ *river.Job[EvidenceArgs]) error {
	n, err := w.warner.Warn(ctx, time.Now())
	if n > 0 {
		slog.InfoContext(ctx, "catalog: warned of expiring evidence", "count", n)
	}
	return err
}
