package region_test

import (
	"testing"

	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestMatchMunicipality(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			svc := regiontest.Service(regiontest.Imported(t, d))
			for _, tc := range []struct{ name, want string }{
				{"Stadt Ulm", "08421000"},
				{"Universitätsstadt Ulm", "08421000"},
				{"Landeshauptstadt München", "09162000"},
				{"münchen", "09162000"},
				{"Gemeinde Gröde", "01054039"},
				{"Germany - City of Munich", "09162000"}, // the usedBy of a real publiccode.yml
				{"Germany - City of Dortmund", "05913000"},
				{"Groede", "01054039"}, // umlauts as digraphs
				{"Neustadt", ""},       // several municipalities: no guess
				{"Comune di Torino", ""},
				{"Stadt", ""},
				{"", ""},
			} {
				m, ok, err := svc.MatchMunicipality(t.Context(), tc.name)
				if err != nil {
					t.Fatal(err)
				}
				if got := map[bool]string{true: m.AGS, false: ""}[ok]; got != tc.want {
					t.Errorf("%q: %q (%s), want %q", tc.name, got, m.Name, tc.want)
				}
			}
		})
	}
}
