package region

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/region/gv100ad"
)

// Store is what the region service needs from the database.
type Store interface {
	// States returns all states with their figures.
	States(ctx context.Context) ([]State, error)
	// StateNames returns all states without figures, cheaply.
	StateNames(ctx context.Context) ([]State, error)
	// State returns one state with figures; apperr.NotFound when unknown.
	State(ctx context.Context, key string) (State, error)
	// Districts returns one page of districts with their figures.
	Districts(ctx context.Context, q DistrictQuery) (DistrictPage, error)
	// District returns one district with figures; apperr.NotFound when unknown.
	District(ctx context.Context, key string) (District, error)
	// Municipalities returns one page of the filtered list.
	Municipalities(ctx context.Context, q MunicipalityQuery) (MunicipalityPage, error)
	// Municipality returns one municipality, current or historical; apperr.NotFound when unknown.
	Municipality(ctx context.Context, ags string) (Municipality, error)
	// ApplyRegister stores a register in one transaction. With onlyIfEmpty
	// it does nothing (applied false) when municipalities exist already.
	// apperr.Conflict when the register is older than the last imported one.
	ApplyRegister(ctx context.Context, d RegisterData, onlyIfEmpty bool) (r ImportReport, applied bool, err error)
	// LastImport returns the newest import; apperr.NotFound when none.
	LastImport(ctx context.Context) (ImportReport, error)
	// DataVersion names the state of the register data: the id of the
	// newest import, "" before the first.
	DataVersion(ctx context.Context) (string, error)
}

// Service answers questions about regions and imports the register.
type Service struct {
	store Store
	log   *slog.Logger
}

// NewService returns a service on store.
func NewService(store Store, log *slog.Logger) *Service {
	return &Service{store: store, log: log}
}

// Limits of list paging.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	maxQueryLen  = 100
	// MaxRegisterBytes bounds a register file read into memory; the real one is 3.5 MB.
	MaxRegisterBytes = 64 << 20
)

var (
	reAGS         = regexp.MustCompile(`^[0-9]{8}$`)
	reDistrictKey = regexp.MustCompile(`^[0-9]{5}$`)
	reStateKey    = regexp.MustCompile(`^[0-9]{2}$`)
)

// States returns all 16 states with their figures.
func (s *Service) States(ctx context.Context) ([]State, error) { return s.store.States(ctx) }

// StateNames returns the 16 states with key, name and seat but no figures,
// for choosers that need no more.
func (s *Service) StateNames(ctx context.Context) ([]State, error) { return s.store.StateNames(ctx) }

// DataVersion changes whenever a register import changes the data; caches
// of anything derived from it key on it.
func (s *Service) DataVersion(ctx context.Context) (string, error) { return s.store.DataVersion(ctx) }

// State returns one state.
func (s *Service) State(ctx context.Context, key string) (State, error) {
	if !reStateKey.MatchString(key) {
		return State{}, apperr.New(apperr.NotFound, "error.state_not_found", "Key", key)
	}
	return s.store.State(ctx, key)
}

// District returns one district.
func (s *Service) District(ctx context.Context, key string) (District, error) {
	if !reDistrictKey.MatchString(key) {
		return District{}, apperr.New(apperr.NotFound, "error.district_not_found", "Key", key)
	}
	return s.store.District(ctx, key)
}

// Districts returns a page of districts, optionally of one state.
func (s *Service) Districts(ctx context.Context, q DistrictQuery) (DistrictPage, error) {
	var v apperr.Validation
	if q.StateKey != "" && !reStateKey.MatchString(q.StateKey) {
		v.Add("state", "error.param.state")
	}
	if q.After != "" && !reDistrictKey.MatchString(q.After) {
		v.Add("cursor", "error.param.cursor")
	}
	checkLimit(&v, &q.Limit)
	if err := v.Err(); err != nil {
		return DistrictPage{}, err
	}
	return s.store.Districts(ctx, q)
}

// Municipality returns one municipality by AGS.
func (s *Service) Municipality(ctx context.Context, ags string) (Municipality, error) {
	if !reAGS.MatchString(ags) {
		return Municipality{}, apperr.New(apperr.NotFound, "error.municipality_not_found", "AGS", ags)
	}
	return s.store.Municipality(ctx, ags)
}

// Municipalities validates q and returns one page of the list.
func (s *Service) Municipalities(ctx context.Context, q MunicipalityQuery) (MunicipalityPage, error) {
	var v apperr.Validation
	f := &q.Filter
	if f.StateKey != "" && !reStateKey.MatchString(f.StateKey) {
		v.Add("state", "error.param.state")
	}
	if f.DistrictKey != "" && !reDistrictKey.MatchString(f.DistrictKey) {
		v.Add("district", "error.param.district")
	}
	if f.Band != "" && !f.Band.Valid() {
		v.Add("band", "error.param.band")
	}
	if u := f.Urbanisation; u != nil && (*u < UrbanisationUnknown || *u > Rural) {
		v.Add("urbanisation", "error.param.urbanisation")
	}
	f.Query = strings.TrimSpace(f.Query)
	if len([]rune(f.Query)) > maxQueryLen {
		v.Add("q", "error.param.query_long", "Max", maxQueryLen)
	}
	switch q.Sort {
	case "":
		q.Sort = SortName
		if f.Query != "" {
			q.Sort = SortRelevance
		}
	case SortName, SortPopulation:
	case SortRelevance:
		if f.Query == "" { // nothing to rank by
			q.Sort = SortName
		}
	default:
		v.Add("sort", "error.param.sort")
	}
	if q.Offset < 0 {
		v.Add("page", "error.param.page")
	}
	checkLimit(&v, &q.Limit)
	if err := v.Err(); err != nil {
		return MunicipalityPage{}, err
	}
	return s.store.Municipalities(ctx, q)
}

func checkLimit(v *apperr.Validation, limit *int) {
	switch {
	case *limit == 0:
		*limit = DefaultLimit
	case *limit < 1 || *limit > MaxLimit:
		v.Add("limit", "error.param.limit", "Max", MaxLimit)
	}
}

// LastImport returns the newest register import.
func (s *Service) LastImport(ctx context.Context) (ImportReport, error) {
	return s.store.LastImport(ctx)
}

// ImportRegister reads a GV100AD register from r and applies it. The
// coordinates and urbanisation come from the extract shipped with the
// platform. A faulty file is refused whole with apperr.Invalid naming the
// line; the database then stays exactly as it was.
func (s *Service) ImportRegister(ctx context.Context, r io.Reader, source string) (ImportReport, error) {
	rep, _, err := s.importRegister(ctx, r, source, false)
	return rep, err
}

// EnsureRegister imports the embedded register when the database holds no
// municipality yet, as on a platform's first start. Several instances may
// call it at once; one imports.
func (s *Service) EnsureRegister(ctx context.Context) (ImportReport, bool, error) {
	f, err := data.Register.Open(data.RegisterFile)
	if err != nil {
		return ImportReport{}, false, fmt.Errorf("region: embedded register: %w", err)
	}
	defer f.Close()
	return s.importRegister(ctx, f, "embedded:"+data.RegisterFile, true)
}

func (s *Service) importRegister(ctx context.Context, r io.Reader, source string, onlyIfEmpty bool) (ImportReport, bool, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxRegisterBytes+1))
	if err != nil {
		return ImportReport{}, false, fmt.Errorf("region: read register %s: %w", source, err)
	}
	if len(raw) > MaxRegisterBytes {
		return ImportReport{}, false, apperr.New(apperr.Invalid, "register.error.too_large", "Max", MaxRegisterBytes)
	}
	reg, err := gv100ad.Parse(bytes.NewReader(raw))
	if err != nil {
		return ImportReport{}, false, parseError(err, source)
	}
	ex, err := loadExtract()
	if err != nil {
		return ImportReport{}, false, err
	}
	stats := reg.Enrich(ex)
	sum := sha256.Sum256(raw)
	d := registerData(reg)
	d.Source = source
	d.SHA256 = hex.EncodeToString(sum[:])
	rep, applied, err := s.store.ApplyRegister(ctx, d, onlyIfEmpty)
	if err != nil {
		return ImportReport{}, false, fmt.Errorf("region: import register %s: %w", source, err)
	}
	rep.ExtraByAGS, rep.ExtraByName, rep.ExtraMissing = stats.ByAGS, stats.ByName, stats.Missing
	if applied {
		s.log.Info("register imported", "source", source, "date", d.Date.Format("2006-01-02"),
			"added", len(rep.Added), "changed", len(rep.Changed), "dissolved", len(rep.Dissolved),
			"unchanged", rep.Unchanged, "without_coordinates", stats.MissingAGS)
	}
	return rep, applied, nil
}

func loadExtract() (map[string]gv100ad.Extra, error) {
	f, err := data.Register.Open(data.ExtractFile)
	if err != nil {
		return nil, fmt.Errorf("region: embedded extract: %w", err)
	}
	defer f.Close()
	ex, err := gv100ad.ParseExtract(f)
	if err != nil {
		return nil, fmt.Errorf("region: embedded extract: %w", err)
	}
	return ex, nil
}

// parseError turns a parser error into a translated, line-numbered message.
func parseError(err error, source string) error {
	var pe *gv100ad.ParseError
	if errors.As(err, &pe) {
		return apperr.Wrap(err, apperr.Invalid, "register.error.line",
			"Line", pe.Line, "Reason", pe.Detail, "Code", pe.Code, "Source", source)
	}
	return fmt.Errorf("region: parse register %s: %w", source, err)
}

func registerData(reg *gv100ad.Register) RegisterData {
	d := RegisterData{Date: reg.Date}
	for _, st := range reg.States {
		d.States = append(d.States, State{Key: st.Key, Name: st.Name, Seat: st.Seat})
	}
	for _, di := range reg.Districts {
		d.Districts = append(d.Districts, District{Key: di.Key, StateKey: di.Key[:2], Name: di.Name, Seat: di.Seat, Type: di.Type})
	}
	for _, a := range reg.Associations {
		d.Associations = append(d.Associations, Association{DistrictKey: a.DistrictKey, Code: a.Code, Name: a.Name, Seat: a.Seat, Type: a.Type})
	}
	districts := make(map[string]bool, len(reg.Districts))
	for _, di := range reg.Districts {
		districts[di.Key] = true
	}
	d.Municipalities = make([]Municipality, 0, len(reg.Municipalities))
	for _, m := range reg.Municipalities {
		mu := Municipality{
			AGS: m.AGS, Name: m.Name, Type: m.Type,
			StateKey: m.StateKey(), DistrictKey: m.DistrictKey(), AssociationCode: m.AssociationCode,
			AreaHa: m.AreaHa, Population: m.Population, PopulationMale: m.PopulationMale,
			Postcode: m.Postcode, MultiplePostcode: m.MultiplePostcodes,
			Urbanisation: Urbanisation(m.Urbanisation), ExtraSource: m.ExtraSource,
			RegisterDate: reg.Date,
		}
		if !districts[mu.DistrictKey] {
			mu.DistrictKey = "" // two gemeindefreie Gebiete belong to no Kreis
		}
		if m.HasCoordinates {
			lat, lon := m.Lat, m.Lon
			mu.Lat, mu.Lon = &lat, &lon
		}
		d.Municipalities = append(d.Municipalities, mu)
	}
	return d
}
