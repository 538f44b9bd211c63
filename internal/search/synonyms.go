package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// Limits of the curated synonym groups.
const (
	MinGroupMembers  = 2
	MaxGroupMembers  = 20
	MinMemberLen     = 2  // characters
	MaxMemberLen     = 60 // characters
	MaxSynonymGroups = 500
)

// SynonymGroup is a curated group of words that the search treats as one:
// a query word that matches a member also searches the other members.
type SynonymGroup struct {
	ID      int64 // stable, never reused
	Members []string
	// Updated and UpdatedBy say who changed the group last; nil and ""
	// for a group as shipped.
	Updated   *time.Time
	UpdatedBy string
}

// SynonymChange is what the store writes for one change of the groups:
// the audit entry, filled in from the groups as they are inside the
// transaction. Returning an error aborts the change.
type SynonymChange func(current []SynonymGroup) (account.AuditEntry, error)

// SynonymStore is what the curation of synonyms needs from the database.
// Every write runs in one transaction: it reads the current groups, calls
// the change's check (so that validation sees what it changes, also with
// several instances) and writes the groups with the audit entry.
type SynonymStore interface {
	// SynonymGroups returns all groups by id.
	SynonymGroups(ctx context.Context) ([]SynonymGroup, error)
	// AddSynonymGroup stores a new group; the audit entry's ObjectID is
	// set to the new id when empty.
	AddSynonymGroup(ctx context.Context, members []string, updatedBy string, check SynonymChange) (SynonymGroup, error)
	// UpdateSynonymGroup replaces the members of group id;
	// apperr.NotFound for an unknown id.
	UpdateSynonymGroup(ctx context.Context, id int64, members []string, updatedBy string, check SynonymChange) (SynonymGroup, error)
	// DeleteSynonymGroup removes group id; apperr.NotFound for an unknown id.
	DeleteSynonymGroup(ctx context.Context, id int64, check SynonymChange) error
	// ReplaceSynonymGroups replaces all groups by groups, with new ids.
	ReplaceSynonymGroups(ctx context.Context, groups [][]string, check SynonymChange) error
}

// CanEditSynonyms is the rule of the synonyms: curators (and operators,
// who hold every role) edit them.
func CanEditSynonyms(u *account.User) bool { return u != nil && u.Has(account.Curator) }

// Synonyms is the curators' service of the synonym groups.
//
// A change takes effect at once for searches on this instance: the
// search service's cache of the groups is dropped after every change.
// Other instances read the groups again after synonymsTTL (one minute).
type Synonyms struct {
	store  SynonymStore
	search *Service // may be nil (no cache to drop)
}

// NewSynonyms returns the service; search is the service whose cache of
// the groups a change drops.
func NewSynonyms(store SynonymStore, search *Service) *Synonyms {
	return &Synonyms{store: store, search: search}
}

// List returns all groups by id.
func (s *Synonyms) List(ctx context.Context) ([]SynonymGroup, error) {
	return s.store.SynonymGroups(ctx)
}

// Get returns one group; apperr.NotFound for an unknown id.
func (s *Synonyms) Get(ctx context.Context, id int64) (SynonymGroup, error) {
	groups, err := s.store.SynonymGroups(ctx)
	if err != nil {
		return SynonymGroup{}, err
	}
	if i := slices.IndexFunc(groups, func(g SynonymGroup) bool { return g.ID == id }); i >= 0 {
		return groups[i], nil
	}
	return SynonymGroup{}, errGroupNotFound()
}

func errGroupNotFound() error { return apperr.New(apperr.NotFound, "synonyms.error.not_found") }

// ParseGroupID reads a group id from a path; apperr.NotFound when it is
// not one.
func ParseGroupID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != s {
		return 0, errGroupNotFound()
	}
	return id, nil
}

// Add stores a new group after validating it against the other groups.
func (s *Synonyms) Add(ctx context.Context, u account.User, members []string, m account.Meta) (SynonymGroup, error) {
	if !CanEditSynonyms(&u) {
		return SynonymGroup{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	// Checked here for all messages at once, and again in the
	// transaction against the groups as they are then.
	others, err := s.store.SynonymGroups(ctx)
	if err != nil {
		return SynonymGroup{}, err
	}
	if members, err = CheckGroup(members, others, 0); err != nil {
		return SynonymGroup{}, err
	}
	g, err := s.store.AddSynonymGroup(ctx, members, u.Email, func(current []SynonymGroup) (account.AuditEntry, error) {
		if len(current) >= MaxSynonymGroups {
			var v apperr.Validation
			v.Add("members", "synonyms.error.too_many_groups", "Max", MaxSynonymGroups)
			return account.AuditEntry{}, v.Err()
		}
		if _, err := CheckGroup(members, current, 0); err != nil {
			return account.AuditEntry{}, err
		}
		return synonymAudit(u, "search.synonyms_added", "", m, nil, members), nil
	})
	if err != nil {
		return SynonymGroup{}, err
	}
	s.changed()
	return g, nil
}

// Update replaces the members of a group. version, when not empty, is the
// Version of the group the curator saw: if the group has changed since,
// the update is refused (apperr.Conflict) rather than overwriting the
// other change.
func (s *Synonyms) Update(ctx context.Context, u account.User, id int64, members []string, version string, m account.Meta) (SynonymGroup, error) {
	if !CanEditSynonyms(&u) {
		return SynonymGroup{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	others, err := s.store.SynonymGroups(ctx)
	if err != nil {
		return SynonymGroup{}, err
	}
	if members, err = CheckGroup(members, others, id); err != nil {
		return SynonymGroup{}, err
	}
	g, err := s.store.UpdateSynonymGroup(ctx, id, members, u.Email, func(current []SynonymGroup) (account.AuditEntry, error) {
		i := slices.IndexFunc(current, func(g SynonymGroup) bool { return g.ID == id })
		if i < 0 {
			return account.AuditEntry{}, errGroupNotFound()
		}
		if version != "" && version != current[i].Version() {
			return account.AuditEntry{}, apperr.New(apperr.Conflict, "synonyms.error.changed")
		}
		if _, err := CheckGroup(members, current, id); err != nil {
			return account.AuditEntry{}, err
		}
		return synonymAudit(u, "search.synonyms_changed", strconv.FormatInt(id, 10), m, current[i].Members, members), nil
	})
	if err != nil {
		return SynonymGroup{}, err
	}
	s.changed()
	return g, nil
}

// Delete removes a group.
func (s *Synonyms) Delete(ctx context.Context, u account.User, id int64, m account.Meta) error {
	if !CanEditSynonyms(&u) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	err := s.store.DeleteSynonymGroup(ctx, id, func(current []SynonymGroup) (account.AuditEntry, error) {
		i := slices.IndexFunc(current, func(g SynonymGroup) bool { return g.ID == id })
		if i < 0 {
			return account.AuditEntry{}, errGroupNotFound()
		}
		return synonymAudit(u, "search.synonyms_deleted", strconv.FormatInt(id, 10), m, current[i].Members, nil), nil
	})
	if err != nil {
		return err
	}
	s.changed()
	return nil
}

// Reset replaces all groups by the shipped list (DefaultSynonyms). The
// audit entry keeps the groups as they were.
func (s *Synonyms) Reset(ctx context.Context, u account.User, m account.Meta) error {
	if !CanEditSynonyms(&u) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	shipped := DefaultSynonyms()
	err := s.store.ReplaceSynonymGroups(ctx, shipped, func(current []SynonymGroup) (account.AuditEntry, error) {
		before := make([][]string, 0, len(current))
		for _, g := range current {
			before = append(before, g.Members)
		}
		return synonymAudit(u, "search.synonyms_reset", "", m, before, shipped), nil
	})
	if err != nil {
		return err
	}
	s.changed()
	return nil
}

// changed makes the search on this instance use the new groups at once.
func (s *Synonyms) changed() {
	if s.search != nil {
		s.search.forgetSynonyms()
	}
}

// forgetSynonyms drops the cached groups; the next search reads them
// again. synonymAlts holds the lock while it reads, so a read that began
// before the change cannot put the old groups back afterwards.
func (s *Service) forgetSynonyms() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.synonyms = nil
}

func synonymAudit(u account.User, action, id string, m account.Meta, before, after any) account.AuditEntry {
	details := map[string]any{}
	if before != nil {
		details["before"] = before
	}
	if after != nil {
		details["after"] = after
	}
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: u.ID, ActorLabel: u.Email, Action: action,
		ObjectType: "synonym_group", ObjectID: id, Details: details, IP: m.IP}
}

// SplitMembers reads the members of a group from a text with one member
// a line (the form's text area).
func SplitMembers(text string) []string {
	var out []string
	for line := range strings.Lines(text) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// memberKey is a member as the search compares it: folded words
// ("Bürger-Service" and "burger service" are the same member).
func memberKey(m string) string {
	ws := words(m)
	keys := make([]string, len(ws))
	for i, w := range ws {
		keys[i] = w.Key
	}
	return strings.Join(keys, " ")
}

// CheckGroup normalises the members of a group (spaces trimmed and
// collapsed, empty ones dropped) and validates them: 2–20 members of 2–60
// characters, each with at least one searchable word, none twice, and
// none in another of the groups others (the group self is skipped). All
// messages are for the field "members".
func CheckGroup(members []string, others []SynonymGroup, self int64) ([]string, error) {
	var (
		v    apperr.Validation
		out  []string
		seen = map[string]string{}
	)
	for _, m := range members {
		if m = strings.Join(strings.Fields(m), " "); m != "" {
			out = append(out, m)
		}
	}
	if n := len(out); n < MinGroupMembers || n > MaxGroupMembers {
		v.Add("members", "synonyms.error.count", "Min", MinGroupMembers, "Max", MaxGroupMembers, "Now", n)
	}
	taken := map[string]SynonymGroup{}
	for _, g := range others {
		if g.ID == self {
			continue
		}
		for _, m := range g.Members {
			taken[memberKey(m)] = g
		}
	}
	for _, m := range out {
		n := utf8.RuneCountInString(m)
		key := memberKey(m)
		switch {
		case n < MinMemberLen || n > MaxMemberLen:
			v.Add("members", "synonyms.error.length", "Word", m, "Min", MinMemberLen, "Max", MaxMemberLen)
		case len(QueryTerms(m)) == 0:
			v.Add("members", "synonyms.error.no_terms", "Word", m)
		case seen[key] != "":
			v.Add("members", "synonyms.error.duplicate", "Word", m, "Other", seen[key])
		default:
			if g, ok := taken[key]; ok {
				v.Add("members", "synonyms.error.taken", "Word", m, "ID", g.ID, "Group", strings.Join(g.Members, ", "))
			}
		}
		if seen[key] == "" {
			seen[key] = m
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Reach is a word of a query with the groups it reaches.
type Reach struct {
	Word   string         // the word as folded for the search
	Groups []SynonymGroup // the groups whose members the search adds
	Adds   []string       // the members it adds, in the groups' order
}

// Reaches returns, for each word of a query text, the groups it reaches
// and the members the search adds for it, as Service.plan expands a word:
// a group is reached when the word's stem is the stem of a one-word
// member.
func Reaches(groups []SynonymGroup, text string) []Reach {
	var out []Reach
	for _, w := range Parse(text).Words {
		r := Reach{Word: w.Key}
		for _, g := range groups {
			hit := slices.ContainsFunc(g.Members, func(m string) bool {
				stems := QueryTerms(m)
				return len(stems) == 1 && stems[0] == w.Stem
			})
			if !hit {
				continue
			}
			r.Groups = append(r.Groups, g)
			for _, m := range g.Members {
				if stems := QueryTerms(m); len(stems) > 0 && !slices.Equal(stems, []string{w.Stem}) && !slices.Contains(r.Adds, m) {
					r.Adds = append(r.Adds, m)
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// Version identifies the members of a group as they are, for an edit
// form to notice a change made since it was shown.
func (g SynonymGroup) Version() string {
	h := sha256.Sum256([]byte(strings.Join(g.Members, "\x00")))
	return hex.EncodeToString(h[:8])
}

// String is the group for logs and messages.
func (g SynonymGroup) String() string {
	return fmt.Sprintf("%d: %s", g.ID, strings.Join(g.Members, " | "))
}
