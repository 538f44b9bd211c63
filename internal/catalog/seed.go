package catalog

// This file: the synthetic catalogue for benchmarks (`smartregions seed`).
// It fills a separate benchmark database with many realistic, published
// entries of one clearly marked organisation, and with verified use by
// real municipalities of the register. It never mixes into real data: it
// refuses a database that holds entries written by people.

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

// SeedSource prefixes the imported_from of every synthetic entry; pages
// and the API show entries with an import source as demo data.
const SeedSource = "seed/"

// DemoSource prefixes the imported_from of the shipped demo import.
const DemoSource = "data/publiccode/"

// SeedOrg owns every synthetic entry; its name and description mark them.
var SeedOrg = org.Organisation{Slug: "synthetische-testdaten-seed", Kind: org.Association,
	Name:        "Synthetische Testdaten (seed)",
	Website:     "https://www.example.org/seed",
	Description: "Diese Einträge sind synthetische Testdaten für Lasttests (smartregions seed). Es gibt diese Lösungen nicht, und die angegebene Nutzung durch Kommunen ist erfunden. / These entries are synthetic benchmark data; the solutions and their use by municipalities are invented."}

// seedActor is created_by and the audit actor of synthetic data.
const seedActor = "seed"

// SeedMunicipality is a municipality of the register the seed may let
// use solutions.
type SeedMunicipality struct {
	AGS        string
	Name       string
	Population int64
}

// SeedUser is a synthetic municipality organisation with its one member
// (an admin), who declares the organisation's use.
type SeedUser struct {
	OrgID, OrgSlug, OrgName, AGS string
	UserID, Email, UserName      string
}

// SeedSolution is one synthetic entry, stored as published version 1.
type SeedSolution struct {
	ID, Slug, ImportedFrom string
	Created                time.Time
	Entry                  Entry
}

// SeedUse is one verified declaration of use.
type SeedUse struct {
	ID, SolutionID, OrgID, UserID string
	Since, Created                time.Time
	Delivery, Status, Reason      string
	Contactable                   bool
}

// SeedCensus is what the database holds before seeding.
type SeedCensus struct {
	Foreign int             // solutions neither synthetic nor shipped demo data
	Seeded  int             // synthetic solutions from an earlier run
	Slugs   map[string]bool // every solution slug in use
}

// SeedStore is what seeding needs from the database (store.DB).
type SeedStore interface {
	// SeedCensus counts the solutions by origin and lists the slugs.
	SeedCensus(ctx context.Context, seedPrefix, demoPrefix string) (SeedCensus, error)
	// SeedMunicipalities lists the register's current municipalities
	// that have no organisation yet, by AGS.
	SeedMunicipalities(ctx context.Context) ([]SeedMunicipality, error)
	// InsertSeedOrgs stores the owner organisation and the verified
	// municipality organisations with their members, in one transaction.
	InsertSeedOrgs(ctx context.Context, owner org.Organisation, users []SeedUser, audit account.AuditEntry) error
	// InsertSeedBatch stores published solutions of orgID with their
	// uses in one transaction.
	InsertSeedBatch(ctx context.Context, orgID string, sols []SeedSolution, uses []SeedUse) error
}

// SeedOptions says how much to generate.
type SeedOptions struct {
	Solutions int   // number of entries, 1 … MaxSeedSolutions
	Seed      int64 // the same seed gives the same catalogue
	// Batch is the number of solutions per transaction (default 1000).
	Batch int
	// Progress, when set, is called after each stored batch.
	Progress func(stored int)
}

// MaxSeedSolutions bounds one run.
const MaxSeedSolutions = 1_000_000

// SeedReport tells what a run stored.
type SeedReport struct {
	Solutions, Uses, Municipalities int
	Duration                        time.Duration
}

// Seeder generates and stores the synthetic catalogue.
type Seeder struct {
	store  SeedStore
	fields FieldStore
	Log    *slog.Logger
	// Now returns the current time; tests may fix it.
	Now func() time.Time
}

// NewSeeder returns the seeder.
func NewSeeder(store SeedStore, fields FieldStore) *Seeder {
	return &Seeder{store: store, fields: fields, Log: slog.Default(), Now: time.Now}
}

// Seed checks that the database may take synthetic data and stores
// opt.Solutions published entries with their verified use. It refuses
// (apperr.Conflict, nothing written) a database with real entries or an
// earlier synthetic catalogue, and a database without the register.
func (s *Seeder) Seed(ctx context.Context, opt SeedOptions) (SeedReport, error) {
	start := time.Now()
	var rep SeedReport
	if opt.Solutions < 1 || opt.Solutions > MaxSeedSolutions {
		return rep, apperr.New(apperr.Invalid, "seed.error.count", "Max", MaxSeedSolutions)
	}
	if opt.Batch <= 0 {
		opt.Batch = 1000
	}
	census, err := s.store.SeedCensus(ctx, SeedSource, DemoSource)
	if err != nil {
		return rep, err
	}
	if census.Foreign > 0 {
		return rep, apperr.New(apperr.Conflict, "seed.error.real_data", "Count", census.Foreign)
	}
	if census.Seeded > 0 {
		return rep, apperr.New(apperr.Conflict, "seed.error.seeded", "Count", census.Seeded)
	}
	flat, err := s.fields.Fields(ctx)
	if err != nil {
		return rep, err
	}
	var leaves []string
	for _, f := range flat {
		if f.Parent != "" {
			leaves = append(leaves, f.Key)
		}
	}
	if len(leaves) == 0 {
		return rep, apperr.New(apperr.Conflict, "seed.error.fields")
	}
	munis, err := s.store.SeedMunicipalities(ctx)
	if err != nil {
		return rep, err
	}
	if len(munis) == 0 {
		return rep, apperr.New(apperr.Conflict, "seed.error.register")
	}

	now := s.Now().UTC()
	g := newSeedGen(opt.Seed, leaves, census.Slugs, now)
	users := g.pool(munis, poolSize(opt.Solutions, len(munis)))
	owner := SeedOrg
	owner.ID = g.id(now)
	audit := account.AuditEntry{ID: g.id(now), ActorID: seedActor, ActorLabel: "smartregions seed", Action: "solution.seed",
		ObjectType: "organisation", ObjectID: owner.ID, Details: map[string]any{"solutions": opt.Solutions, "seed": opt.Seed}}
	if err := s.store.InsertSeedOrgs(ctx, owner, users, audit); err != nil {
		return rep, err
	}
	rep.Municipalities = len(users)
	for done := 0; done < opt.Solutions; {
		n := min(opt.Batch, opt.Solutions-done)
		sols := make([]SeedSolution, 0, n)
		var uses []SeedUse
		for i := range n {
			sol := g.solution(done + i)
			sols = append(sols, sol)
			uses = append(uses, g.uses(sol, users)...)
		}
		if err := s.store.InsertSeedBatch(ctx, owner.ID, sols, uses); err != nil {
			return rep, fmt.Errorf("catalog: seed solutions %d–%d: %w", done+1, done+n, err)
		}
		done += n
		rep.Solutions, rep.Uses = done, rep.Uses+len(uses)
		if opt.Progress != nil {
			opt.Progress(done)
		}
	}
	rep.Duration = time.Since(start)
	s.Log.Info("synthetic catalogue stored", "solutions", rep.Solutions, "uses", rep.Uses, "municipalities", rep.Municipalities, "duration", rep.Duration)
	return rep, nil
}

// poolSize is the number of municipalities that use synthetic
// solutions: enough for the most used ones to have hundreds of users.
func poolSize(solutions, available int) int {
	return min(available, max(20, min(3000, solutions/25)))
}

// seedGen is the deterministic generator: one random stream, consumed
// in a fixed order.
type seedGen struct {
	rng    *rand.Rand
	leaves []string
	slugs  map[string]bool
	now    time.Time
	// cum holds the cumulative weights of the pool for picking users.
	cum []float64
}

func newSeedGen(seed int64, leaves []string, taken map[string]bool, now time.Time) *seedGen {
	slugs := map[string]bool{}
	for k := range taken {
		slugs[k] = true
	}
	return &seedGen{rng: rand.New(rand.NewPCG(uint64(seed), 0x736d617274726567)), leaves: leaves, slugs: slugs, now: now}
}

// id returns a UUIDv7 for time t with random bits from the stream, so
// that ids sort by creation like the platform's own and a seed repeats.
func (g *seedGen) id(t time.Time) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	r1, r2 := g.rng.Uint64(), g.rng.Uint64()
	for i := range 8 {
		b[8+i] = byte(r2 >> (8 * i))
	}
	b[6], b[7] = 0x70|byte(r1&0x0f), byte(r1>>8)
	b[8] = 0x80 | b[8]&0x3f
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// pick returns a random element.
func pick[T any](g *seedGen, list []T) T { return list[g.rng.IntN(len(list))] }

// chance is true with probability p.
func (g *seedGen) chance(p float64) bool { return g.rng.Float64() < p }

// pool picks n municipalities, larger ones more likely (weight: square
// root of the population), and makes each a verified organisation with
// one member. Later picks of users weigh them the same way.
func (g *seedGen) pool(munis []SeedMunicipality, n int) []SeedUser {
	weights := make([]float64, len(munis))
	for i, m := range munis {
		weights[i] = math.Sqrt(float64(max(m.Population, 1)))
	}
	chosen := map[int]bool{}
	for len(chosen) < n {
		chosen[weightedIndex(g.rng, weights)] = true
	}
	idx := make([]int, 0, n)
	for i := range chosen {
		idx = append(idx, i)
	}
	sort.Ints(idx) // map order is random; the stream must not be
	users := make([]SeedUser, 0, n)
	g.cum = make([]float64, 0, n)
	total := 0.0
	for _, i := range idx {
		m := munis[i]
		total += weights[i]
		g.cum = append(g.cum, total)
		users = append(users, SeedUser{OrgID: g.id(g.now), OrgSlug: "seed-" + org.Slug(m.Name) + "-" + m.AGS, OrgName: m.Name, AGS: m.AGS,
			UserID: g.id(g.now), Email: "seed-" + m.AGS + "@example.org", UserName: "Synthetische Testperson " + m.Name})
	}
	return users
}

// weightedIndex draws an index with probability proportional to its weight.
func weightedIndex(rng *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// userCount draws the number of municipalities using a solution: a long
// tail where most have none to two and a few have hundreds.
func (g *seedGen) userCount(poolSize int) int {
	x := g.rng.Float64()
	var n int
	switch {
	case x < 0.45:
		n = 0
	case x < 0.75:
		n = 1
	case x < 0.88:
		n = 2
	case x < 0.96:
		n = 3 + g.rng.IntN(8)
	case x < 0.995:
		n = 11 + g.rng.IntN(40)
	default:
		n = 51 + g.rng.IntN(400)
	}
	return min(n, poolSize/2)
}

// uses draws the verified declarations of one solution.
func (g *seedGen) uses(sol SeedSolution, users []SeedUser) []SeedUse {
	n := g.userCount(len(users))
	if n == 0 {
		return nil
	}
	total := g.cum[len(g.cum)-1]
	chosen := make(map[int]bool, n)
	order := make([]int, 0, n)
	for len(order) < n {
		i := sort.SearchFloat64s(g.cum, g.rng.Float64()*total)
		if i >= len(users) || chosen[i] {
			continue
		}
		chosen[i] = true
		order = append(order, i)
	}
	models := make([]string, 0, len(sol.Entry.Delivery))
	for _, d := range sol.Entry.Delivery {
		models = append(models, d.Model)
	}
	out := make([]SeedUse, 0, n)
	months := max(1, int(g.now.Sub(sol.Created).Hours()/24/30))
	for _, i := range order {
		since := sol.Created.AddDate(0, g.rng.IntN(months), 0)
		since = time.Date(since.Year(), since.Month(), 1, 0, 0, 0, 0, time.UTC)
		created := since.Add(time.Duration(g.rng.IntN(28*24)) * time.Hour)
		if created.Before(sol.Created) {
			created = sol.Created.Add(time.Duration(g.rng.IntN(72)) * time.Hour)
		}
		if created.After(g.now) {
			created = g.now
		}
		u := SeedUse{ID: g.id(created), SolutionID: sol.ID, OrgID: users[i].OrgID, UserID: users[i].UserID, Since: since, Created: created,
			Delivery: pick(g, models), Status: InUse, Contactable: g.chance(0.5)}
		switch x := g.rng.Float64(); {
		case x < 0.12:
			u.Status = Piloting
		case x < 0.20:
			u.Status = Stopped
			u.Reason = pick(g, []string{"Vertrag ausgelaufen, Ausschreibung verloren", "Wechsel zu einer landesweiten Lösung",
				"Pilotphase beendet, Nutzen zu gering", "Fachverfahren abgelöst"})
		}
		out = append(out, u)
	}
	return out
}

// slug returns a slug for name not yet in use.
func (g *seedGen) slug(name string) string {
	base := org.Slug(name)
	s := base
	for i := 2; g.slugs[s]; i++ {
		s = fmt.Sprintf("%s-%d", base, i)
	}
	g.slugs[s] = true
	return s
}

// weighted draws one of items by integer weights.
func weighted[T any](g *seedGen, items []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := g.rng.IntN(total)
	for i, w := range weights {
		if x < w {
			return items[i]
		}
		x -= w
	}
	return items[len(items)-1]
}

// sample draws up to n distinct items, kept in the list's order.
func sample[T comparable](g *seedGen, list []T, n int) []T {
	var out []T
	for _, i := range g.rng.Perm(len(list))[:min(n, len(list))] {
		out = append(out, list[i])
	}
	slices.SortFunc(out, func(a, b T) int { return slices.Index(list, a) - slices.Index(list, b) })
	return out
}

// cut shortens s to at most n characters at a word boundary.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	s = string(r[:n])
	if i := strings.LastIndex(s, " "); i > 0 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:–") + "."
}
