package region

import (
	"cmp"
	"context"
	"strings"

	"github.com/smartregions/smartregions/internal/fold"
)

// namePrefixes are words in front of a municipality's name in the way
// organisations name themselves ("Stadt Ulm", "Landeshauptstadt
// München"), folded; the register puts them after a comma or leaves them
// out.
var namePrefixes = []string{"landeshauptstadt ", "hansestadt ", "universitatsstadt ", "kreisstadt ", "stadt ", "gemeinde ", "markt ", "marktgemeinde ",
	"city of ", "town of ", "municipality of "}

// countryPrefixes are the country names some publiccode.yml files put in
// front of a user ("Germany - City of Munich"), folded.
var countryPrefixes = []string{"germany ", "deutschland "}

// exonyms are the English names of German cities that files written in
// English use, folded, with the name the register knows.
var exonyms = map[string]string{"munich": "munchen", "cologne": "koln", "nuremberg": "nurnberg", "hanover": "hannover", "brunswick": "braunschweig"}

// MatchMunicipality finds the one current municipality that name (a
// user's free text, such as an entry of publiccode.yml's usedBy) names:
// its register name without the part after the comma ("Ulm,
// Universitätsstadt") equals the name without a leading "Stadt",
// "Gemeinde" and the like, ignoring case and diacritics or with umlauts
// written as digraphs ("Groede"). ok is false when
// no municipality or several have that name (there are many Neustadts).
func (s *Service) MatchMunicipality(ctx context.Context, name string) (m Municipality, ok bool, err error) {
	key, digraph := withoutPrefix(fold.Key(name)), withoutPrefix(fold.Digraph(name))
	if key == "" {
		return Municipality{}, false, nil
	}
	page, err := s.Municipalities(ctx, MunicipalityQuery{Filter: MunicipalityFilter{Query: key}, Sort: SortRelevance, Limit: 100})
	if err != nil {
		return Municipality{}, false, err
	}
	var found []Municipality
	for _, c := range page.Items {
		base, _, _ := strings.Cut(c.Name, ",")
		if fold.Key(base) == key || fold.Digraph(base) == digraph {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		return Municipality{}, false, nil
	}
	return found[0], true, nil
}

// withoutPrefix removes a country and one of namePrefixes from a folded
// name and replaces an English name by the German one.
func withoutPrefix(key string) string {
	for _, p := range countryPrefixes {
		if rest, found := strings.CutPrefix(key, p); found {
			key = rest
			break
		}
	}
	for _, p := range namePrefixes {
		if rest, found := strings.CutPrefix(key, p); found {
			key = rest
			break
		}
	}
	return cmp.Or(exonyms[key], key)
}
