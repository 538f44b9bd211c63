package http

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/web"
)

// perPage is the length of a municipality list page.
const perPage = 50

// MunicipalityList is the data of the municipality list page.
type MunicipalityList struct {
	Filter        region.MunicipalityFilter
	Sort          region.Sort
	Page          region.MunicipalityPage
	States        []region.State
	District      *region.District
	Bands         []region.Band
	Urbanisations []region.Urbanisation
	PageNo        int
	Pages         int
	PrevURL       string
	NextURL       string
	Total         int64
	FirstIndex    int64 // 1-based number of the first item shown
	LastIndex     int64
}

func (s *Server) handleMunicipalityList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, append(municipalityFilterParams, "page")...)
	f, sort := municipalityFilter(p)
	pageNo := p.int("page", 1, 1, 1_000_000)
	if err := p.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	res, err := s.Regions.Municipalities(ctx, region.MunicipalityQuery{Filter: f, Sort: sort, Offset: (pageNo - 1) * perPage, Limit: perPage})
	if err != nil {
		return err
	}
	pages := max(1, (res.Total+perPage-1)/perPage)
	if pageNo > pages {
		var v apperr.Validation
		v.Add("page", "error.param.page_range", "Max", pages)
		return v.Err()
	}
	states, err := s.Regions.StateNames(ctx)
	if err != nil {
		return err
	}
	data := MunicipalityList{Filter: f, Sort: sort, Page: res, States: states, Bands: region.Bands,
		Urbanisations: region.Urbanisations,
		PageNo:        pageNo, Pages: pages, Total: int64(res.Total),
		FirstIndex: int64((pageNo-1)*perPage + 1), LastIndex: int64((pageNo-1)*perPage + len(res.Items))}
	if f.DistrictKey != "" {
		d, err := s.Regions.District(ctx, f.DistrictKey)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err == nil {
			data.District = &d
		}
	}
	if pageNo > 1 {
		data.PrevURL = withPage(r.URL, pageNo-1)
	}
	if pageNo < pages {
		data.NextURL = withPage(r.URL, pageNo+1)
	}
	page := s.page(r, s.t(r, "municipalities.title"))
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "municipalities.title")}}
	page.Data = data
	return s.render(w, r, "municipalities", page)
}

// withPage returns u with its page parameter set to n.
func withPage(u *url.URL, n int) string {
	q := u.Query()
	if n <= 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(n))
	}
	v := *u
	v.RawQuery = q.Encode()
	return v.RequestURI()
}

func (s *Server) handleMunicipalityView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	m, err := s.Regions.Municipality(r.Context(), r.PathValue("ags"))
	if err != nil {
		return err
	}
	page := s.page(r, m.Name)
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "municipalities.title"), Href: "/kommunen"},
		{Label: m.StateName, Href: "/laender/" + m.StateKey}}
	if m.DistrictKey != "" {
		page.Breadcrumbs = append(page.Breadcrumbs, web.Crumb{Label: m.DistrictName, Href: "/kreise/" + m.DistrictKey})
	}
	page.Breadcrumbs = append(page.Breadcrumbs, web.Crumb{Label: m.Name})
	data, err := s.municipalityData(r.Context(), m) // with its contacts: contact_pages.go
	if err != nil {
		return err
	}
	if data.Practice, err = s.practiceForMunicipality(r.Context(), m); err != nil {
		return err
	}
	page.Data = data
	return s.render(w, r, "municipality", page)
}

func (s *Server) handleStateList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	states, err := s.Regions.States(r.Context())
	if err != nil {
		return err
	}
	var total region.Figures
	for _, st := range states {
		total.Municipalities += st.Figures.Municipalities
		total.Population += st.Figures.Population
		total.AreaHa += st.Figures.AreaHa
	}
	page := s.page(r, s.t(r, "states.title"))
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "states.title")}}
	page.Data = struct {
		States []region.State
		Total  region.Figures
	}{states, total}
	return s.render(w, r, "states", page)
}

func (s *Server) handleStateView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	ctx := r.Context()
	st, err := s.Regions.State(ctx, r.PathValue("key"))
	if err != nil {
		return err
	}
	districts, err := s.Regions.Districts(ctx, region.DistrictQuery{StateKey: st.Key, Limit: region.MaxLimit})
	if err != nil {
		return err
	}
	page := s.page(r, st.Name)
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "states.title"), Href: "/laender"}, {Label: st.Name}}
	page.Data = struct {
		State     region.State
		Districts []region.District
		Bands     []region.Band
	}{st, districts.Items, region.Bands}
	return s.render(w, r, "state", page)
}

func (s *Server) handleDistrictView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	ctx := r.Context()
	d, err := s.Regions.District(ctx, r.PathValue("key"))
	if err != nil {
		return err
	}
	ms, err := s.Regions.Municipalities(ctx, region.MunicipalityQuery{
		Filter: region.MunicipalityFilter{DistrictKey: d.Key, Dissolved: d.Dissolved != nil}, Sort: region.SortPopulation, Limit: region.MaxLimit})
	if err != nil {
		return err
	}
	page := s.page(r, d.Name)
	page.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "states.title"), Href: "/laender"},
		{Label: d.StateName, Href: "/laender/" + d.StateKey}, {Label: d.Name}}
	page.Data = struct {
		District       region.District
		Municipalities region.MunicipalityPage
		Bands          []region.Band
	}{d, ms, region.Bands}
	return s.render(w, r, "district", page)
}
