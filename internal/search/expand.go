package search

// Exports of the query expansion for other searches that share the
// catalogue's analysis (the competence centre's search, package centre).

// SynonymAlts maps the stem of every one-word member of the synonym
// groups to the alternatives of all groups with a member of that stem.
func SynonymAlts(groups [][]string) map[string][]Alt {
	m := map[string][]Alt{}
	for _, g := range groups {
		var alts []Alt
		for _, member := range g {
			if stems := QueryTerms(member); len(stems) > 0 {
				alts = append(alts, Alt{Stems: stems, Prefix: len(stems) == 1, Label: member})
			}
		}
		for _, a := range alts {
			if len(a.Stems) == 1 {
				m[a.Stems[0]] = append(m[a.Stems[0]], alts...)
			}
		}
	}
	return m
}

// WithSynonyms returns a followed by the members of its synonym groups
// (syn from SynonymAlts), each once.
func WithSynonyms(a Alt, syn map[string][]Alt) []Alt { return withSynonyms(a, syn) }

// OneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of neighbouring letters.
func OneEdit(a, b string) bool { return oneEdit(a, b) }

// Stem returns the stem of a folded word as the index holds it.
func Stem(key string) string { return stem(key) }
