package need

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
)

// Catalogue is what matching asks of the search: candidates from its
// in-memory index and the counts of verified use per size band of the
// candidates (search.Service.UsesByBand).
type Catalogue interface {
	Search(ctx context.Context, q search.Query) (search.Result, error)
	UsesByBand(ctx context.Context, ids []string) (map[string]map[region.Band]int, error)
}

// MaxCandidates bounds the solutions matching scores for one need.
const MaxCandidates = 200

// Outcome is one requirement checked against one solution.
type Outcome struct {
	Req    Requirement
	Status Status
	// Basis says where the outcome follows from: "attribute" (the
	// catalogue entry states it), "keyword" (a word of the requirement
	// appears in the entry: a hint, to be confirmed), "none" (not
	// checkable: ask the provider).
	Basis   string
	Keyword string // the word found, for Basis "keyword"
	Derived bool   // from the need's hosting, evidence or delivery fields
}

// Match is a solution scored against a need.
type Match struct {
	Solution catalog.Solution
	Outcomes []Outcome
	// Qualified: no must requirement is unmet. Unqualified matches are
	// listed after all qualified ones.
	Qualified bool
	// Score is the share of the should weights met, 0–100; 100 when the
	// need has no should requirement.
	Score   int
	Unknown int // must requirements whose outcome is unknown
	Users   int // verified municipalities that use the solution
	Peers   int // of them in the size band of the need's owner

	nameKey string // folded name, for the order of ties
}

// Count returns how many outcomes have status st.
func (m Match) Count(st Status) int {
	n := 0
	for _, o := range m.Outcomes {
		if o.Status == st {
			n++
		}
	}
	return n
}

// Matcher ranks catalogue solutions for needs.
type Matcher struct {
	cat Catalogue
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// NewMatcher returns a matcher over cat.
func NewMatcher(cat Catalogue) *Matcher { return &Matcher{cat: cat, Now: time.Now} }

// Requirements returns the need's requirements with those that follow
// from its hosting, evidence and delivery fields: hosting and evidence
// are must requirements, the preferred delivery models one should
// requirement of weight 5 (met by any of them).
func Requirements(n Need) []Outcome {
	out := make([]Outcome, 0, len(n.Reqs)+len(n.Evidence)+2)
	for _, r := range n.Reqs {
		out = append(out, Outcome{Req: r})
	}
	if n.Hosting == "de" || n.Hosting == "eu" {
		out = append(out, Outcome{Req: Requirement{Kind: Must, Attribute: AttrHosting + ":" + n.Hosting}, Derived: true})
	}
	for _, e := range n.Evidence {
		out = append(out, Outcome{Req: Requirement{Kind: Must, Attribute: AttrEvidence + ":" + e}, Derived: true})
	}
	for _, d := range n.Delivery {
		// Each preferred model is a should requirement; their weights
		// share 5 points, so preferring many does not outweigh the rest.
		out = append(out, Outcome{Req: Requirement{Kind: Should, Weight: max(1, 5/len(n.Delivery)), Attribute: AttrDelivery + ":" + d}, Derived: true})
	}
	return out
}

// Match ranks up to limit catalogue solutions for n (MaxCandidates at
// most). band is the size band of the need's owner for the peer
// evidence ("" for none). Candidates come from the search: the need's
// field of action plus one facet filter per structured must requirement
// (delivery, hosting, evidence, open source, maturity), and a text search
// for the title. The order is deterministic: qualified first, then score,
// fewer unknown musts, more verified users, more peers, name, id.
func (m *Matcher) Match(ctx context.Context, n Need, band region.Band, limit int) ([]Match, error) {
	if limit <= 0 || limit > MaxCandidates {
		limit = MaxCandidates
	}
	reqs := Requirements(n)
	filters := search.Filters{}
	for _, o := range reqs {
		if o.Req.Kind != Must || o.Req.Attribute == "" {
			continue
		}
		kind, value := ParseAttribute(o.Req.Attribute)
		// Values of one facet are ORed by the search: one value per facet
		// there, the rest is checked here.
		switch kind {
		case AttrDelivery, AttrEvidence, AttrStandard:
			if len(filters[kind]) == 0 {
				filters[kind] = []string{value}
			}
		case AttrHosting:
			if len(filters[search.FacetHosting]) == 0 {
				filters[search.FacetHosting] = []string{"de"}
				if value == "eu" {
					filters[search.FacetHosting] = []string{"de", "eu"}
				}
			}
		case AttrOpen:
			filters[search.FacetOpen] = []string{"yes"}
		case AttrMaturity:
			filters[search.FacetMaturity] = catalog.Maturities[max(0, slices.Index(catalog.Maturities, value)):]
		}
	}
	seen := map[string]bool{}
	var cands []catalog.Solution
	collect := func(q search.Query) error {
		res, err := m.cat.Search(ctx, q)
		if err != nil {
			return fmt.Errorf("need: match %s: %w", n.Slug, err)
		}
		for _, h := range res.Items {
			if !seen[h.Solution.ID] && h.Solution.Published != nil {
				seen[h.Solution.ID] = true
				cands = append(cands, h.Solution)
			}
		}
		return nil
	}
	byField := search.Filters{search.FacetField: {n.Field}}
	for k, v := range filters {
		byField[k] = v
	}
	if err := collect(search.Query{Filters: byField, Sort: search.SortUsed, Limit: MaxCandidates}); err != nil {
		return nil, err
	}
	if text := titleQuery(n.Title); text != "" && len(cands) < MaxCandidates {
		if err := collect(search.Query{Text: text, Filters: filters, Sort: search.SortRelevance, Limit: 50}); err != nil {
			return nil, err
		}
	}
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.ID
	}
	users, err := m.cat.UsesByBand(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("need: verified use: %w", err)
	}
	now := m.Now()
	out := make([]Match, 0, len(cands))
	for _, s := range cands {
		mt := score(reqs, s.Published.Entry, now)
		mt.Solution, mt.nameKey = s, fold.Key(s.Published.Entry.Name)
		for _, n := range users[s.ID] {
			mt.Users += n
		}
		if band != "" {
			mt.Peers = users[s.ID][band]
		}
		out = append(out, mt)
	}
	// Sort pointers: a Match is large, and the comparison runs often.
	order := make([]*Match, len(out))
	for i := range out {
		order[i] = &out[i]
	}
	slices.SortFunc(order, func(a, b *Match) int {
		return cmp.Or(boolOrder(a.Qualified, b.Qualified), cmp.Compare(b.Score, a.Score), cmp.Compare(a.Unknown, b.Unknown),
			cmp.Compare(b.Users, a.Users), cmp.Compare(b.Peers, a.Peers), cmp.Compare(a.nameKey, b.nameKey),
			cmp.Compare(a.Solution.ID, b.Solution.ID))
	})
	sorted := make([]Match, 0, min(limit, len(order)))
	for _, m := range order[:min(limit, len(order))] {
		sorted = append(sorted, *m)
	}
	out = sorted
	return out, nil
}

func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// titleQuery returns the title cut to what the search accepts.
func titleQuery(title string) string {
	rs := []rune(strings.NewReplacer(`"`, " ", "-", " ").Replace(title))
	if len(rs) > search.MaxText {
		rs = rs[:search.MaxText]
	}
	return strings.TrimSpace(string(rs))
}

// score checks every requirement against an entry.
func score(reqs []Outcome, e catalog.Entry, now time.Time) Match {
	mt := Match{Outcomes: make([]Outcome, len(reqs)), Qualified: true}
	var text string
	total, met := 0, 0
	for i, o := range reqs {
		switch {
		case o.Req.Attribute != "":
			o.Status, o.Basis = check(o.Req.Attribute, e, now), "attribute"
		default:
			if text == "" {
				text = " " + fold.Key(strings.Join(append([]string{e.Name, e.Short, e.Description, e.Support}, e.Standards...), " ")) + " "
			}
			if w := keyword(o.Req.Text, text); w != "" {
				o.Status, o.Basis, o.Keyword = Met, "keyword", w
			} else {
				o.Status, o.Basis = Unknown, "none"
			}
		}
		switch o.Req.Kind {
		case Must:
			if o.Status == Unmet {
				mt.Qualified = false
			}
			if o.Status == Unknown {
				mt.Unknown++
			}
		case Should:
			total += o.Req.Weight
			if o.Status == Met {
				met += o.Req.Weight
			}
		}
		mt.Outcomes[i] = o
	}
	mt.Score = 100
	if total > 0 {
		mt.Score = (100*met + total/2) / total
	}
	return mt
}

// stopwords are frequent words that say nothing about a solution.
var stopwords = map[string]bool{"muss": true, "musste": true, "sollte": true, "sollen": true, "werden": true, "koennen": true,
	"konnen": true, "unsere": true, "unserer": true, "einer": true, "eines": true, "einem": true, "einen": true, "diese": true,
	"dieser": true, "durch": true, "sowie": true, "mindestens": true, "loesung": true, "losung": true, "system": true,
	"should": true, "must": true, "which": true, "there": true, "their": true, "solution": true}

// keyword returns the first significant word (at least five letters) of
// req found in text (a folded text padded with spaces), or "". A hit
// only hints that the entry mentions the topic.
func keyword(req, text string) string {
	for _, w := range strings.Fields(fold.Key(req)) {
		if len([]rune(w)) < 5 || stopwords[w] {
			continue
		}
		if strings.Contains(text, " "+w) {
			return w
		}
	}
	return ""
}
