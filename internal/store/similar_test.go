package store_test

import (
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// similarFixture is a small catalogue with verified use by real
// municipalities of the register (Ulm, Alb-Donau-Kreis).
type similarFixture struct {
	db    *store.DB
	sols  map[string]catalog.Solution // by name
	small []string                    // AGS of three small municipalities of Alb-Donau-Kreis
	orgs  map[string]org.Organisation // by AGS
	users map[string]account.User     // the admin of each organisation, by AGS
}

func newSimilarFixture(t *testing.T, db *store.DB) *similarFixture {
	t.Helper()
	ctx := t.Context()
	regiontest.ImportDistricts(t, db, "08421", "08425")
	if _, err := catalog.NewFields(db).Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	f := &similarFixture{db: db, sols: map[string]catalog.Solution{}, orgs: map[string]org.Organisation{}, users: map[string]account.User{}}
	company := mustUser(t, db, "it@anbieter-aehnlich.example", "")
	provider, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "anbieter-aehnlich", Kind: org.Company,
		Name: "Anbieter"}, company.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name, short string, fields ...string) {
		t.Helper()
		sol := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: org.Slug(name), OrgID: provider.ID, ImportedFrom: "test/" + org.Slug(name)}
		if _, err := db.ImportSolution(ctx, sol, catalog.Entry{Name: name, Short: short, Licence: "EUPL-1.2", Maturity: "pilot",
			Repository: "https://example.org/" + sol.Slug, Fields: fields, Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}},
			account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		got, err := db.SolutionBySlug(ctx, sol.Slug)
		if err != nil {
			t.Fatal(err)
		}
		f.sols[name] = got
	}
	add("Parkraum-Sensorik Alpha", "Sensoren melden freie Parkplätze", "mobility.parking")
	add("Parkraum-Sensorik Beta", "Freie Parkplätze in Echtzeit", "mobility.parking", "data-infrastructure.iot-networks")
	add("Parkraum-Sensorik Archiv", "Sensoren melden freie Parkplätze", "mobility.parking")
	add("Carsharing Kommunal", "Autos teilen im Quartier", "mobility.sharing")
	add("Ratsinformation Plus", "Sitzungen und Vorlagen des Gemeinderats", "administration.council-information")
	add("Bürgerhaushalt Online", "Vorschläge für den Haushalt sammeln", "participation.participatory-budgeting")
	archived := f.sols["Parkraum-Sensorik Archiv"]
	if err := db.Archive(ctx, archived.ID, archived.Lock, "eingestellt", account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}

	// Three small municipalities of Alb-Donau-Kreis and Ulm, verified.
	rows, err := db.Pool().QueryContext(ctx, `SELECT ags FROM municipalities WHERE district_key = '08425' AND population < 5000 ORDER BY ags LIMIT 4`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ags string
		if err := rows.Scan(&ags); err != nil {
			t.Fatal(err)
		}
		f.small = append(f.small, ags)
	}
	rows.Close()
	if len(f.small) != 4 {
		t.Fatalf("small municipalities: %v", f.small)
	}
	for i, ags := range append(slices.Clone(f.small), "08421000") {
		admin := mustUser(t, db, "admin-"+ags+"@kommune.example", "Admin")
		o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "kommune-" + ags, Kind: org.Municipality,
			Name: "Kommune " + ags, RegionKey: ags}, admin.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		if i != 3 { // the fourth small one stays unverified: its use does not count
			other := mustUser(t, db, "zweite-"+ags+"@kommune.example", "")
			if err := db.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: other.ID, Email: other.Email,
				Status: org.Approved}, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
		}
		f.orgs[ags], f.users[ags] = o, admin
	}
	return f
}

// use declares that the municipality ags uses the solution name.
func (f *similarFixture) use(t *testing.T, ags, name string, status string) {
	t.Helper()
	d := newUse(f.sols[name], f.orgs[ags], f.users[ags])
	d.Status = status
	if status == catalog.Stopped {
		d.Reason = "zu teuer"
	}
	if _, err := f.db.SaveUse(t.Context(), d, true, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
}

func names(list []search.SimilarSolution) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Solution.Published.Entry.Name)
	}
	return out
}

func TestSimilar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newSimilarFixture(t, db)
		a, b, c := f.small[0], f.small[1], f.small[2]
		// Two verified municipalities use Alpha and the council system;
		// an unverified one and a stopped use do not count.
		f.use(t, a, "Parkraum-Sensorik Alpha", catalog.InUse)
		f.use(t, a, "Ratsinformation Plus", catalog.InUse)
		f.use(t, b, "Parkraum-Sensorik Alpha", catalog.Piloting)
		f.use(t, b, "Ratsinformation Plus", catalog.InUse)
		f.use(t, c, "Parkraum-Sensorik Alpha", catalog.InUse)
		f.use(t, c, "Bürgerhaushalt Online", catalog.Stopped)
		f.use(t, f.small[3], "Parkraum-Sensorik Alpha", catalog.InUse)
		f.use(t, f.small[3], "Bürgerhaushalt Online", catalog.InUse)

		svc := search.NewSimilarity(db, region.NewService(db, slog.New(slog.DiscardHandler)))
		alpha := f.sols["Parkraum-Sensorik Alpha"]
		got, err := svc.Similar(ctx, alpha.ID, 6)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"Parkraum-Sensorik Beta", "Ratsinformation Plus"}; !slices.Equal(names(got), want) {
			t.Fatalf("similar to Alpha: %v, want %v (%+v)", names(got), want, got)
		}
		beta := got[0]
		if beta.Score != search.PointsLeafField+search.PointsTopField+search.MaxTerms*search.PointsTerm {
			t.Errorf("Beta scores %d: %+v", beta.Score, beta.Reasons)
		}
		wantReasons := []search.Reason{{Kind: search.ReasonFields, Count: 1, Items: []string{"mobility.parking"}},
			{Kind: search.ReasonTerms, Count: 4, Items: []string{"Parkraum", "Sensorik", "freie", "Parkplätze"}}}
		if !reasonsEqual(beta.Reasons, wantReasons) {
			t.Errorf("Beta's reasons %+v, want %+v", beta.Reasons, wantReasons)
		}
		council := got[1]
		if council.Score != 2*search.PointsMunicipality || !reasonsEqual(council.Reasons, []search.Reason{{Kind: search.ReasonMunicipalities, Count: 2}}) {
			t.Errorf("council: %d %+v", council.Score, council.Reasons)
		}
		if council.Solution.Published == nil || council.Solution.Slug != f.sols["Ratsinformation Plus"].Slug {
			t.Errorf("council solution not loaded: %+v", council.Solution)
		}

		// An archived solution has none and is nobody's similar one.
		archived := f.sols["Parkraum-Sensorik Archiv"]
		if got, err := svc.Similar(ctx, archived.ID, 6); err != nil || len(got) != 0 {
			t.Errorf("similar to an archived solution: %v %v", names(got), err)
		}
		beta2, err := svc.Similar(ctx, f.sols["Parkraum-Sensorik Beta"].ID, 6)
		if err != nil || len(beta2) == 0 || beta2[0].Solution.ID != alpha.ID {
			t.Errorf("similar to Beta: %v %v", names(beta2), err)
		}
		for _, s := range beta2 {
			if s.Solution.ID == archived.ID {
				t.Errorf("the archived solution is similar to Beta")
			}
		}
		if got, err := svc.Similar(ctx, uuid.NewString(), 6); err != nil || len(got) != 0 {
			t.Errorf("similar to an unknown id: %v %v", got, err)
		}
		// The limit is kept.
		if got, err := svc.Similar(ctx, alpha.ID, 1); err != nil || len(got) != 1 {
			t.Errorf("limit 1: %v %v", names(got), err)
		}
	})
}

func reasonsEqual(a, b []search.Reason) bool {
	return slices.EqualFunc(a, b, func(x, y search.Reason) bool {
		return x.Kind == y.Kind && x.Count == y.Count && slices.Equal(x.Items, y.Items)
	})
}

func solNames(list []catalog.Solution) string {
	var out []string
	for _, s := range list {
		out = append(out, s.Published.Entry.Name)
	}
	return strings.Join(out, ", ")
}

func peerNames(list []search.PeerUse) string {
	var out []string
	for _, p := range list {
		s := p.Solution.Published.Entry.Name + " " + string(rune('0'+p.Municipalities))
		if p.Own {
			s += " own"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func TestPeersUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newSimilarFixture(t, db)
		a, b, c := f.small[0], f.small[1], f.small[2]
		f.use(t, a, "Parkraum-Sensorik Alpha", catalog.InUse)
		f.use(t, a, "Ratsinformation Plus", catalog.InUse)
		f.use(t, b, "Parkraum-Sensorik Alpha", catalog.Piloting)
		f.use(t, b, "Bürgerhaushalt Online", catalog.Stopped)      // stopped: does not count
		f.use(t, f.small[3], "Carsharing Kommunal", catalog.InUse) // unverified: does not count
		f.use(t, "08421000", "Carsharing Kommunal", catalog.InUse) // Ulm: another band
		svc := search.NewSimilarity(db, region.NewService(db, slog.New(slog.DiscardHandler)))

		p, err := svc.PeersUse(ctx, c, 10)
		if err != nil {
			t.Fatal(err)
		}
		if p.Municipality.AGS != c || p.Band != region.BandUnder5k || p.Municipality.StateKey != "08" || len(p.Uses) != 0 {
			t.Fatalf("peers of %s: %+v", c, p)
		}
		if got := peerNames(p.State); got != "Parkraum-Sensorik Alpha 2, Ratsinformation Plus 1" {
			t.Errorf("same band and state: %s", got)
		}
		// Fewer than three in the state: nationwide too, without those.
		if p.Nationwide == nil || len(p.Nationwide) != 0 {
			t.Errorf("nationwide: %s (%v)", peerNames(p.Nationwide), p.Nationwide == nil)
		}

		p, err = svc.PeersUse(ctx, a, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := solNames(p.Uses); got != "Parkraum-Sensorik Alpha, Ratsinformation Plus" {
			t.Errorf("own uses of %s: %s", a, got)
		}
		if got := peerNames(p.State); got != "Parkraum-Sensorik Alpha 1 own" {
			t.Errorf("peers of %s: %s", a, got)
		}

		// The archived solution never appears, even when used.
		alpha := f.sols["Parkraum-Sensorik Alpha"]
		if err := db.Archive(ctx, alpha.ID, alpha.Lock, "eingestellt", account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		p, err = svc.PeersUse(ctx, c, 10)
		if err != nil || peerNames(p.State) != "Ratsinformation Plus 1" {
			t.Errorf("after archiving: %s %v", peerNames(p.State), err)
		}
		if p, err = svc.PeersUse(ctx, a, 10); err != nil || solNames(p.Uses) != "Ratsinformation Plus" {
			t.Errorf("own uses after archiving: %s %v", solNames(p.Uses), err)
		}

		for _, ags := range []string{"99999999", "0842", "x"} {
			if _, err := svc.PeersUse(ctx, ags, 10); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("PeersUse(%q): %v, want not found", ags, err)
			}
		}
	})
}

func countNames(f *similarFixture, list []search.PeerCount) string {
	byID := map[string]string{}
	for name, sol := range f.sols {
		byID[sol.ID] = name
	}
	var out []string
	for _, c := range list {
		out = append(out, byID[c.SolutionID]+" "+string(rune('0'+c.Municipalities)))
	}
	return strings.Join(out, ", ")
}

// TestPeerCounts: the counts of a band, in a state or in all, over
// verified current use only.
func TestPeerCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newSimilarFixture(t, db)
		f.use(t, "08421000", "Carsharing Kommunal", catalog.InUse)
		f.use(t, f.small[0], "Ratsinformation Plus", catalog.InUse)
		f.use(t, f.small[1], "Ratsinformation Plus", catalog.Piloting)
		f.use(t, f.small[2], "Carsharing Kommunal", catalog.Stopped)
		f.use(t, f.small[3], "Carsharing Kommunal", catalog.InUse) // unverified
		tests := []struct {
			q    search.PeerQuery
			want string
		}{
			{search.PeerQuery{Band: region.BandOver100k, Limit: 5}, "Carsharing Kommunal 1"},
			{search.PeerQuery{Band: region.BandOver100k, StateKey: "08", Limit: 5}, "Carsharing Kommunal 1"},
			{search.PeerQuery{Band: region.BandOver100k, StateKey: "09", Limit: 5}, ""},
			{search.PeerQuery{Band: region.BandUnder5k, Limit: 5}, "Ratsinformation Plus 2"},
			{search.PeerQuery{Band: region.Band5kTo20k, Limit: 5}, ""},
		}
		// the search's in-memory index counts the same as the database
		mem := search.New(db, catalog.NewFields(db))
		for _, tc := range tests {
			got, err := db.PeerCounts(ctx, tc.q)
			if err != nil || countNames(f, got) != tc.want {
				t.Errorf("%+v: %s %v, want %s", tc.q, countNames(f, got), err, tc.want)
			}
			got, err = mem.PeerCounts(ctx, tc.q)
			if err != nil || countNames(f, got) != tc.want {
				t.Errorf("in memory %+v: %s %v, want %s", tc.q, countNames(f, got), err, tc.want)
			}
		}
		// and per solution, by size band
		car, rats := f.sols["Carsharing Kommunal"].ID, f.sols["Ratsinformation Plus"].ID
		uses, err := mem.UsesByBand(ctx, []string{car, rats})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]map[region.Band]int{car: {region.BandOver100k: 1}, rats: {region.BandUnder5k: 2}}; !maps.EqualFunc(uses, want, maps.Equal) {
			t.Errorf("uses by band: %v, want %v", uses, want)
		}
	})
}
