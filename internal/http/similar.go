package http

// This file: similar solutions on the solution page, the page "Was nutzen
// Kommunen wie …?" (/kommunen/{ags}/loesungen) and their JSON API
// (search/similar.go, search/peers.go). Both depend on verified use,
// which changes at any time, so neither is served from the page cache;
// the municipality page (cached) only links here.

import (
	"net/http"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/web"
)

// SimilarItem is a similar solution as the page shows it: the reasons
// are sentences in the page's language.
type SimilarItem struct {
	Solution catalog.Solution
	Score    int
	Reasons  []string
}

// similarItems writes the reasons of similar solutions in lang; labels
// maps field keys to their labels.
func (s *Server) similarItems(lang string, list []search.SimilarSolution, labels map[string]string) []SimilarItem {
	out := make([]SimilarItem, 0, len(list))
	for _, sim := range list {
		it := SimilarItem{Solution: sim.Solution, Score: sim.Score}
		for _, rs := range sim.Reasons {
			it.Reasons = append(it.Reasons, s.reasonText(lang, rs, labels))
		}
		out = append(out, it)
	}
	return out
}

// reasonText says a reason in lang.
func (s *Server) reasonText(lang string, rs search.Reason, labels map[string]string) string {
	switch rs.Kind {
	case search.ReasonFields:
		names := make([]string, 0, len(rs.Items))
		for _, k := range rs.Items {
			if l, ok := labels[k]; ok {
				k = l
			}
			names = append(names, k)
		}
		return s.Bundle.T(lang, "similar.reason.fields", "Count", rs.Count, "Items", strings.Join(names, "; "))
	case search.ReasonMunicipalities:
		return s.Bundle.T(lang, "similar.reason.municipalities", "Count", rs.Count)
	default:
		return s.Bundle.T(lang, "similar.reason.terms", "Count", rs.Count, "Items", strings.Join(rs.Items, ", "))
	}
}

// addSimilar adds the section "Ähnliche Lösungen" to a published
// solution's page. The section is an aside: when it fails, the page is
// shown without it and the cause goes to the log.
func (s *Server) addSimilar(r *http.Request, v *SolutionView) error {
	if v.Solution.Published == nil || v.Solution.Archived != nil {
		return nil
	}
	list, err := s.Similar.Similar(r.Context(), v.Solution.ID, search.MaxSimilar)
	if err != nil {
		if r.Context().Err() != nil {
			return err
		}
		s.Log.Error("similar solutions", "request_id", requestID(r), "solution", v.Solution.Slug, "err", err)
		return nil
	}
	v.Similar = s.similarItems(langOf(r), list, v.Labels)
	return nil
}

// MunicipalitySolutionsView is the Data of the "municipality_solutions"
// page.
type MunicipalitySolutionsView struct {
	Peers  search.Peers
	Labels map[string]string
	Now    time.Time
	// SearchState and SearchBand link to the catalogue filtered by the
	// use of municipalities of the band (in the state).
	SearchState, SearchBand string
}

func (s *Server) handleMunicipalitySolutions(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	peers, err := s.Similar.PeersUse(r.Context(), r.PathValue("ags"), 10)
	if err != nil {
		return err
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	m := peers.Municipality
	v := MunicipalitySolutionsView{Peers: peers, Labels: fieldLabels(tree, langOf(r)), Now: time.Now(),
		SearchState: "/loesungen?groesse=" + string(peers.Band) + "&land=" + m.StateKey + "&sort=genutzt",
		SearchBand:  "/loesungen?groesse=" + string(peers.Band) + "&sort=genutzt"}
	pg := s.page(r, s.t(r, "similar.peers.title", "Name", m.Name))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "municipalities.title"), Href: "/kommunen"},
		{Label: m.Name, Href: "/kommunen/" + m.AGS}, {Label: s.t(r, "similar.peers.crumb")}}
	pg.Data = v
	return s.render(w, r, "municipality_solutions", pg)
}

// apiSimilarReason is why a solution is similar.
type apiSimilarReason struct {
	Kind  string   `json:"kind"`
	Count int      `json:"count"`
	Items []string `json:"items"`
	Text  string   `json:"text"`
}

// apiSolutionRef is a published solution in short.
type apiSolutionRef struct {
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	Short      string `json:"short"`
	OpenSource bool   `json:"open_source"`
	Demo       bool   `json:"demo"`
}

func apiSolutionRefOf(sol catalog.Solution) apiSolutionRef {
	e := sol.Published.Entry
	return apiSolutionRef{Slug: sol.Slug, Name: e.Name, Short: e.Short, OpenSource: e.OpenSource(), Demo: sol.ImportedFrom != ""}
}

type apiSimilar struct {
	apiSolutionRef
	Score   int                `json:"score"`
	Reasons []apiSimilarReason `json:"reasons"`
}

type apiSimilarList struct {
	Solution struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"solution"`
	Items []apiSimilar `json:"items"`
	Total int          `json:"total"`
}

func (s *Server) handleAPISolutionSimilar(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	sol, err := s.Solutions.Public(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := apiSimilarList{Items: []apiSimilar{}}
	out.Solution.Slug, out.Solution.Name = sol.Slug, sol.Published.Entry.Name
	if sol.Archived == nil {
		list, err := s.Similar.Similar(r.Context(), sol.ID, search.MaxSimilar)
		if err != nil {
			return err
		}
		tree, err := s.Fields.All(r.Context())
		if err != nil {
			return err
		}
		labels, lang := fieldLabels(tree, langOf(r)), langOf(r)
		for _, sim := range list {
			a := apiSimilar{apiSolutionRef: apiSolutionRefOf(sim.Solution), Score: sim.Score, Reasons: []apiSimilarReason{}}
			for _, rs := range sim.Reasons {
				a.Reasons = append(a.Reasons, apiSimilarReason{Kind: rs.Kind, Count: rs.Count, Items: nonNil(rs.Items), Text: s.reasonText(lang, rs, labels)})
			}
			out.Items = append(out.Items, a)
		}
	}
	out.Total = len(out.Items)
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

type apiPeerUse struct {
	apiSolutionRef
	Municipalities int  `json:"municipalities"`
	Own            bool `json:"own"`
}

type apiPeers struct {
	Band       region.Band  `json:"band"`
	State      apiStateRef  `json:"state"`
	SameState  []apiPeerUse `json:"same_state"`
	Nationwide []apiPeerUse `json:"nationwide"`
}

type apiMunicipalitySolutions struct {
	Municipality struct {
		AGS   string      `json:"ags"`
		Name  string      `json:"name"`
		Band  region.Band `json:"band"`
		State apiStateRef `json:"state"`
	} `json:"municipality"`
	Uses      []apiSolutionRef `json:"uses"`
	UsesTotal int              `json:"uses_total"`
	PeersUse  apiPeers         `json:"peers_use"`
}

func apiPeerUses(list []search.PeerUse) []apiPeerUse {
	out := make([]apiPeerUse, 0, len(list))
	for _, p := range list {
		out = append(out, apiPeerUse{apiSolutionRef: apiSolutionRefOf(p.Solution), Municipalities: p.Municipalities, Own: p.Own})
	}
	return out
}

func (s *Server) handleAPIMunicipalitySolutions(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	peers, err := s.Similar.PeersUse(r.Context(), r.PathValue("ags"), 10)
	if err != nil {
		return err
	}
	m := peers.Municipality
	var out apiMunicipalitySolutions
	state := apiStateRef{Key: m.StateKey, Name: m.StateName}
	out.Municipality.AGS, out.Municipality.Name, out.Municipality.Band, out.Municipality.State = m.AGS, m.Name, peers.Band, state
	out.Uses = make([]apiSolutionRef, 0, len(peers.Uses))
	for _, sol := range peers.Uses {
		out.Uses = append(out.Uses, apiSolutionRefOf(sol))
	}
	out.UsesTotal = peers.UsesTotal
	out.PeersUse = apiPeers{Band: peers.Band, State: state, SameState: apiPeerUses(peers.State), Nationwide: apiPeerUses(peers.Nationwide)}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}
