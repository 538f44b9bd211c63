package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/region"
)

// list is the envelope of every API list.
type list[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total"`
	Next  string `json:"next,omitempty"`
}

type apiRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

type apiAssociation struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Type int    `json:"type"`
}

type apiCoordinates struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type apiMunicipality struct {
	AGS               string          `json:"ags"`
	Name              string          `json:"name"`
	Type              int             `json:"type"`
	TypeLabel         string          `json:"type_label"`
	State             apiRef          `json:"state"`
	District          *apiRef         `json:"district"`
	Association       *apiAssociation `json:"association"`
	AreaKm2           float64         `json:"area_km2"`
	Population        int64           `json:"population"`
	PopulationMale    int64           `json:"population_male"`
	PopulationFemale  int64           `json:"population_female"`
	Density           float64         `json:"density"`
	Band              region.Band     `json:"band"`
	Postcode          *string         `json:"postcode"`
	MultiplePostcodes bool            `json:"multiple_postcodes"`
	Coordinates       *apiCoordinates `json:"coordinates"`
	Urbanisation      string          `json:"urbanisation"`
	RegisterDate      string          `json:"register_date"`
	DissolvedAt       *string         `json:"dissolved_at"`
}

type apiFigures struct {
	Municipalities int64                 `json:"municipalities"`
	Population     int64                 `json:"population"`
	AreaKm2        float64               `json:"area_km2"`
	Density        float64               `json:"density"`
	ByBand         map[region.Band]int64 `json:"by_band"`
	ByUrbanisation map[string]int64      `json:"by_urbanisation"`
}

type apiState struct {
	Key     string     `json:"key"`
	Name    string     `json:"name"`
	Seat    string     `json:"seat"`
	Figures apiFigures `json:"figures"`
}

type apiDistrict struct {
	Key         string     `json:"key"`
	Name        string     `json:"name"`
	Seat        string     `json:"seat"`
	Type        int        `json:"type"`
	TypeLabel   string     `json:"type_label"`
	State       apiRef     `json:"state"`
	DissolvedAt *string    `json:"dissolved_at"`
	Figures     apiFigures `json:"figures"`
}

func date(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// round keeps derived decimals readable and stable across databases.
func round(v float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	if v < 0 {
		return float64(int64(v*p-0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}

func (s *Server) apiMunicipality(r *http.Request, m region.Municipality) apiMunicipality {
	a := apiMunicipality{
		AGS: m.AGS, Name: m.Name, Type: m.Type, TypeLabel: s.t(r, region.MunicipalityTypeKey(m.Type)),
		State: apiRef{Key: m.StateKey, Name: m.StateName}, AreaKm2: m.AreaKm2(),
		Population: m.Population, PopulationMale: m.PopulationMale, PopulationFemale: m.Population - m.PopulationMale,
		Density: round(m.Density(), 1), Band: m.Band(), MultiplePostcodes: m.MultiplePostcode,
		Urbanisation: m.Urbanisation.Slug(), RegisterDate: m.RegisterDate.Format(time.DateOnly), DissolvedAt: date(m.Dissolved),
	}
	if m.DistrictKey != "" {
		a.District = &apiRef{Key: m.DistrictKey, Name: m.DistrictName}
	}
	if m.Postcode != "" {
		a.Postcode = &m.Postcode
	}
	// Type 50 is "verbandsfrei": the register lists the municipality as its
	// own association.
	if m.AssociationName != "" && m.AssociationType != 50 {
		a.Association = &apiAssociation{Code: m.AssociationCode, Name: m.AssociationName, Type: m.AssociationType}
	}
	if m.Lat != nil && m.Lon != nil {
		a.Coordinates = &apiCoordinates{Lat: *m.Lat, Lon: *m.Lon}
	}
	return a
}

func apiFiguresOf(f region.Figures) apiFigures {
	a := apiFigures{Municipalities: f.Municipalities, Population: f.Population, AreaKm2: f.AreaKm2(),
		Density: round(f.Density(), 1), ByBand: map[region.Band]int64{}, ByUrbanisation: map[string]int64{}}
	for _, b := range region.Bands {
		a.ByBand[b] = f.ByBand[b]
	}
	for _, u := range []region.Urbanisation{region.Urban, region.Intermediate, region.Rural, region.UrbanisationUnknown} {
		a.ByUrbanisation[u.Slug()] = f.ByUrbanisation[u]
	}
	return a
}

func (s *Server) apiDistrict(r *http.Request, d region.District) apiDistrict {
	return apiDistrict{Key: d.Key, Name: d.Name, Seat: d.Seat, Type: d.Type, TypeLabel: s.t(r, region.DistrictTypeKey(d.Type)),
		State: apiRef{Key: d.StateKey, Name: d.StateName}, DissolvedAt: date(d.Dissolved), Figures: apiFiguresOf(d.Figures)}
}

func apiStateOf(st region.State) apiState {
	return apiState{Key: st.Key, Name: st.Name, Seat: st.Seat, Figures: apiFiguresOf(st.Figures)}
}

func (s *Server) handleAPIMunicipalityList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, append(municipalityFilterParams, "limit", "cursor")...)
	f, sort := municipalityFilter(p)
	if sort == "" {
		sort = region.SortName
		if f.Query != "" {
			sort = region.SortRelevance
		}
	}
	limit := p.int("limit", region.DefaultLimit, 1, region.MaxLimit)
	after := decodeCursor(p, p.str("cursor"), sort)
	if err := p.Err(); err != nil {
		return err
	}
	res, err := s.Regions.Municipalities(r.Context(), region.MunicipalityQuery{Filter: f, Sort: sort, After: after, Limit: limit})
	if err != nil {
		return err
	}
	out := list[apiMunicipality]{Items: make([]apiMunicipality, 0, len(res.Items)), Total: res.Total, Next: encodeCursor(sort, res.Next)}
	for _, m := range res.Items {
		out.Items = append(out.Items, s.apiMunicipality(r, m))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIMunicipalityView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	m, err := s.Regions.Municipality(r.Context(), r.PathValue("ags"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiMunicipality(r, m))
	return nil
}

func (s *Server) handleAPIDistrictList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "state", "status", "limit", "cursor")
	q := region.DistrictQuery{StateKey: p.str("state"), Limit: p.int("limit", region.DefaultLimit, 1, region.MaxLimit)}
	switch p.str("status") {
	case "", "current":
	case "historical":
		q.Dissolved = true
	default:
		p.Add("status", "error.param.status")
	}
	if c := p.str("cursor"); c != "" {
		if cur := decodeCursor(p, c, ""); cur != nil {
			q.After = cur.Key
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	res, err := s.Regions.Districts(r.Context(), q)
	if err != nil {
		return err
	}
	out := list[apiDistrict]{Items: make([]apiDistrict, 0, len(res.Items)), Total: res.Total}
	if res.Next != "" {
		out.Next = encodeCursor("", &region.Cursor{Key: res.Next})
	}
	for _, d := range res.Items {
		out.Items = append(out.Items, s.apiDistrict(r, d))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIDistrictView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	d, err := s.Regions.District(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiDistrict(r, d))
	return nil
}

func (s *Server) handleAPIStateList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	states, err := s.Regions.States(r.Context())
	if err != nil {
		return err
	}
	out := list[apiState]{Items: make([]apiState, 0, len(states)), Total: len(states)}
	for _, st := range states {
		out.Items = append(out.Items, apiStateOf(st))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIStateView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	st, err := s.Regions.State(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiStateOf(st))
	return nil
}
