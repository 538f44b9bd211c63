package advice

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// StateKeys are the two-digit keys of the 16 federal states.
var StateKeys = []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16"}

// Rules returns the routing rules, for operators.
func (s *Service) Rules(ctx context.Context, u account.User) ([]Rule, error) {
	if !u.Has(account.Operator) {
		return nil, errForbidden
	}
	return s.store.AdviceRules(ctx)
}

// SaveRule adds a routing rule or replaces the one with the same state
// and field; fieldKeys are the top-level fields of action.
func (s *Service) SaveRule(ctx context.Context, u account.User, r Rule, fieldKeys []string, m account.Meta) error {
	if !u.Has(account.Operator) {
		return errForbidden
	}
	r.StateKey, r.FieldKey = strings.TrimSpace(r.StateKey), strings.TrimSpace(r.FieldKey)
	var v apperr.Validation
	if r.StateKey != "" && !slices.Contains(StateKeys, r.StateKey) {
		v.Add("state", "advice.error.rule_state")
	}
	if r.FieldKey != "" && !slices.Contains(fieldKeys, r.FieldKey) {
		v.Add("field", "advice.error.rule_field")
	}
	advisors, err := s.store.Advisors(ctx)
	if err != nil {
		return fmt.Errorf("advice: advisors: %w", err)
	}
	if !slices.ContainsFunc(advisors, func(p Person) bool { return p.ID == r.Advisor.ID }) {
		v.Add("advisor", "advice.error.advisor")
	}
	if err := v.Err(); err != nil {
		return err
	}
	r.ID = newID()
	a := account.AuditEntry{ID: newID(), ActorID: u.ID, ActorLabel: u.Email, Action: "advice.rule_saved", ObjectType: "advice_rule",
		ObjectID: r.ID, Details: map[string]any{"state": r.StateKey, "field": r.FieldKey, "advisor": r.Advisor.ID}, IP: m.IP}
	if err := s.store.SaveAdviceRule(ctx, r, a); err != nil {
		return fmt.Errorf("advice: save rule: %w", err)
	}
	return nil
}

// DeleteRule removes a routing rule.
func (s *Service) DeleteRule(ctx context.Context, u account.User, id string, m account.Meta) error {
	if !u.Has(account.Operator) {
		return errForbidden
	}
	a := account.AuditEntry{ID: newID(), ActorID: u.ID, ActorLabel: u.Email, Action: "advice.rule_deleted", ObjectType: "advice_rule",
		ObjectID: id, IP: m.IP}
	return s.store.DeleteAdviceRule(ctx, id, a)
}

var reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// Template returns the public thread of request id as Markdown, for the
// centre to reuse an answer (until the knowledge base exists). With
// anonymise the names of the organisation and of the people in the thread
// and every e-mail address are replaced.
func (s *Service) Template(ctx context.Context, u account.User, id string, anonymise bool, lang string) (string, error) {
	r, role, err := s.Get(ctx, u, id)
	if err != nil {
		return "", err
	}
	if !Can(role, ActWork, r.State) {
		return "", errForbidden
	}
	t := func(key string, kv ...any) string { return s.texts.T(lang, key, kv...) }
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Topic)
	if !anonymise {
		fmt.Fprintf(&b, "%s: %s (%s)\n\n", t("advice.template.org"), r.Org.Name, r.Number())
	}
	for _, m := range r.Messages {
		if m.Internal {
			continue
		}
		who := t("advice.template.municipality")
		if m.ByCentre {
			who = t("advice.template.centre")
		}
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", who, strings.TrimSpace(m.Body))
	}
	out := b.String()
	if anonymise {
		out = Anonymise(out, r)
	}
	return out, nil
}

// Anonymise removes from text the names of r's organisation and of the
// people in its thread, and every e-mail address.
func Anonymise(text string, r Request) string {
	text = reEmail.ReplaceAllString(text, "[E-Mail]")
	names := []string{r.Org.Name, r.Asker.Name, r.Agent.Name}
	for _, m := range r.Messages {
		names = append(names, m.Author.Name)
	}
	for _, n := range names {
		if n = strings.TrimSpace(n); len(n) >= 2 {
			text = strings.ReplaceAll(text, n, "[…]")
		}
	}
	return text
}
