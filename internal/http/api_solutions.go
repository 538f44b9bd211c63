package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

type apiDelivery struct {
	Model    string   `json:"model"`
	Price    string   `json:"price"`
	PriceMin *float64 `json:"price_min"`
	PriceMax *float64 `json:"price_max"`
	Hosting  *string  `json:"hosting"`
}

type apiEvidence struct {
	Kind      string     `json:"kind"`
	Link      string     `json:"link"`
	ExpiresAt *time.Time `json:"expires_at"`
	Expired   bool       `json:"expired"`
	Note      string     `json:"note"`
}

type apiBadges struct {
	OpenSource      bool `json:"open_source"`
	HostedInGermany bool `json:"hosted_in_germany"`
	BSIC5           bool `json:"bsi_c5"`
	BITVStatement   bool `json:"bitv_statement"`
	VerifiedUses    int  `json:"verified_uses"` // municipalities, see UsedBy
}

type apiSolution struct {
	Slug         string        `json:"slug"`
	Name         string        `json:"name"`
	Short        string        `json:"short"`
	Description  string        `json:"description"`
	Organisation apiOrgRef     `json:"organisation"`
	Fields       []string      `json:"fields"`
	Sizes        []region.Band `json:"sizes"`
	Licence      string        `json:"licence"`
	Repository   string        `json:"repository"`
	Website      string        `json:"website"`
	Delivery     []apiDelivery `json:"delivery"`
	Evidence     []apiEvidence `json:"evidence"`
	Standards    []string      `json:"standards"`
	Maturity     string        `json:"maturity"`
	Origin       string        `json:"origin"`
	Programme    string        `json:"programme"`
	Languages    []string      `json:"languages"`
	Contact      string        `json:"contact"`
	Support      string        `json:"support"`
	Badges       apiBadges     `json:"badges"`
	Version      int           `json:"version"`
	PublishedAt  *time.Time    `json:"published_at"`
	Demo         bool          `json:"demo"`
	UsedBy       []string      `json:"used_by"` // verified municipalities that use it (api_usage.go)
	Logo         *apiImage     `json:"logo"`
	Screenshots  []apiImage    `json:"screenshots"`
}

// apiImage is a published picture of a solution.
type apiImage struct {
	URL    string `json:"url"`
	Alt    string `json:"alt"` // "" for the logo, which names the solution
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// apiSolutionOf describes the published version of a solution; picture
// addresses start with baseURL.
func apiSolutionOf(s catalog.Solution, now time.Time, baseURL string) apiSolution {
	v := s.Published
	e := v.Entry
	a := apiSolution{Slug: s.Slug, Name: e.Name, Short: e.Short, Description: e.Description, Organisation: apiOrgRef{Slug: s.OrgSlug, Name: s.OrgName},
		Fields: nonNil(e.Fields), Sizes: e.Sizes, Licence: e.Licence, Repository: e.Repository, Website: e.Website, Standards: nonNil(e.Standards),
		Maturity: e.Maturity, Origin: e.Origin, Programme: e.Programme, Languages: nonNil(e.Languages), Contact: e.Contact, Support: e.Support,
		Badges: apiBadges{OpenSource: e.OpenSource(), HostedInGermany: e.HostedInGermany(), BSIC5: e.HasEvidence("bsi_c5", now),
			BITVStatement: e.HasEvidence("bitv_statement", now)},
		Version: v.Number, PublishedAt: v.Decided, Demo: s.ImportedFrom != "", Delivery: apiDeliveryOf(e.Delivery), Evidence: []apiEvidence{}, UsedBy: []string{}}
	if a.Sizes == nil {
		a.Sizes = []region.Band{}
	}
	if e.Logo != "" {
		a.Logo = &apiImage{URL: baseURL + catalog.MediaPath(s.Slug, e.LogoFile()), Width: e.LogoWidth, Height: e.LogoHeight}
	}
	a.Screenshots = []apiImage{}
	for _, sc := range e.Screenshots {
		a.Screenshots = append(a.Screenshots, apiImage{URL: baseURL + catalog.MediaPath(s.Slug, sc.File()), Alt: sc.Alt, Width: sc.Width, Height: sc.Height})
	}
	for _, ev := range e.Evidence {
		a.Evidence = append(a.Evidence, apiEvidence{Kind: ev.Kind, Link: ev.Link, ExpiresAt: ev.Expires, Expired: ev.Expired(now), Note: ev.Note})
	}
	return a
}

// apiDeliveryOf describes the delivery models of an entry, never null.
func apiDeliveryOf(ds []catalog.Delivery) []apiDelivery {
	out := make([]apiDelivery, 0, len(ds))
	for _, d := range ds {
		ad := apiDelivery{Model: d.Model, Price: d.Price, PriceMin: d.PriceMin, PriceMax: d.PriceMax}
		if d.Hosting != "" {
			ad.Hosting = &d.Hosting
		}
		out = append(out, ad)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) handleAPISolutionList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "q", "field", "limit", "cursor")
	limit := p.int("limit", 50, 1, 200)
	cursor := p.id("cursor")
	if err := p.Err(); err != nil {
		return err
	}
	page, _, err := s.listSolutions(r, p.str("q"), p.str("field"), cursor, limit) // search.go
	if err != nil {
		return err
	}
	now := time.Now()
	out := list[apiSolution]{Items: []apiSolution{}, Total: page.Total, Next: page.Next}
	for _, sol := range page.Items {
		out.Items = append(out.Items, apiSolutionOf(sol, now, s.Config.BaseURL))
	}
	if err := s.usedBy(r, page.Items, out.Items); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// handleAPISolutionView serves a published solution (drafts are not in
// the API yet).
func (s *Server) handleAPISolutionView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	sol, err := s.Solutions.Public(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := []apiSolution{apiSolutionOf(sol, time.Now(), s.Config.BaseURL)}
	if err := s.usedBy(r, []catalog.Solution{sol}, out); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", out[0])
	return nil
}
