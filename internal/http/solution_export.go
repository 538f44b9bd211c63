package http

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/publiccode"
)

// handleSolutionPublicCode serves a published solution as a publiccode.yml
// of the current version of the standard.
func (s *Server) handleSolutionPublicCode(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	sol, err := s.Solutions.Public(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	var usedBy map[string][]string
	if s.Usage != nil {
		if usedBy, err = s.Usage.UsedBy(r.Context(), sol); err != nil {
			return err
		}
	}
	out, err := publiccode.Write(catalog.ToPublicCode(sol, s.Config.BaseURL+"/loesungen/"+sol.Slug, fieldLabels(tree, "de"), usedBy[sol.ID]...))
	if err != nil && !errors.Is(err, publiccode.ErrInvalid) {
		return err
	}
	if err != nil { // a valid entry that the standard cannot express: say so, still serve it
		s.Log.Warn("publiccode export", "solution", sol.Slug, "err", err)
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="publiccode.yml"`)
	w.Write(out)
	return nil
}

// feedItem is one published solution in the harvesting feed.
type feedItem struct {
	Slug          string     `json:"slug"`
	Name          string     `json:"name"`
	Organisation  apiOrgRef  `json:"organisation"`
	URL           string     `json:"url"`
	PublicCodeURL string     `json:"publiccode_url"`
	APIURL        string     `json:"api_url"`
	Version       int        `json:"version"`
	UpdatedAt     *time.Time `json:"updated_at"`
	Demo          bool       `json:"demo"`
}

// feed is the harvesting feed of the whole catalogue.
type feed struct {
	Items []feedItem `json:"items"`
	Total int        `json:"total"`
}

// handleAPIFeed serves every published solution with links to its page,
// its publiccode.yml and its API resource, for national and European
// catalogues to harvest. ETag and Last-Modified let harvesters ask with
// If-None-Match or If-Modified-Since and get 304 when nothing changed.
func (s *Server) handleAPIFeed(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	out := feed{Items: []feedItem{}}
	var last time.Time
	for after := ""; ; {
		page, err := s.Solutions.List(r.Context(), catalog.ListQuery{After: after, Limit: 200})
		if err != nil {
			return err
		}
		for _, sol := range page.Items {
			base := s.Config.BaseURL + "/loesungen/" + sol.Slug
			it := feedItem{Slug: sol.Slug, Name: sol.Published.Entry.Name, Organisation: apiOrgRef{Slug: sol.OrgSlug, Name: sol.OrgName},
				URL: base, PublicCodeURL: base + "/publiccode.yml", APIURL: s.Config.BaseURL + "/api/v1/solutions/" + sol.Slug,
				Version: sol.Published.Number, UpdatedAt: sol.Published.Decided, Demo: sol.ImportedFrom != ""}
			if it.UpdatedAt != nil && it.UpdatedAt.After(last) {
				last = *it.UpdatedAt
			}
			out.Items = append(out.Items, it)
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	out.Total = len(out.Items)
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	if !last.IsZero() {
		w.Header().Set("Last-Modified", last.UTC().Format(http.TimeFormat))
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !last.IsZero() && !last.Truncate(time.Second).After(ims) &&
		r.Header.Get("If-None-Match") == "" {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(body, '\n'))
	return nil
}

// csvCell guards a cell against formula injection: spreadsheet programs
// run cells that start with =, +, - or @ as formulas.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// handleSolutionCSV serves the published catalogue as CSV (UTF-8 with a
// byte order mark, so that spreadsheet programs read the umlauts).
func (s *Server) handleSolutionCSV(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	now := time.Now()
	var rows [][]string
	for after := ""; ; {
		page, err := s.Solutions.List(r.Context(), catalog.ListQuery{After: after, Limit: 200})
		if err != nil {
			return err
		}
		as := make([]apiSolution, len(page.Items))
		for i, sol := range page.Items {
			as[i] = apiSolutionOf(sol, now, s.Config.BaseURL)
		}
		if err := s.usedBy(r, page.Items, as); err != nil {
			return err
		}
		for _, a := range as {
			var models []string
			for _, d := range a.Delivery {
				models = append(models, d.Model)
			}
			published := ""
			if a.PublishedAt != nil {
				published = a.PublishedAt.Format("2006-01-02")
			}
			rows = append(rows, []string{a.Slug, a.Name, a.Short, a.Organisation.Name, strings.Join(a.Fields, " "), a.Licence,
				strconv.FormatBool(a.Badges.OpenSource), a.Repository, a.Website, strings.Join(models, " "),
				strconv.FormatBool(a.Badges.HostedInGermany), strconv.FormatBool(a.Badges.BSIC5), strconv.FormatBool(a.Badges.BITVStatement),
				strconv.Itoa(a.Badges.VerifiedUses), a.Maturity, strconv.Itoa(a.Version), published, strconv.FormatBool(a.Demo), s.Config.BaseURL + "/loesungen/" + a.Slug})
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="smartregions-loesungen-`+now.Format("2006-01-02")+`.csv"`)
	w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"slug", "name", "short", "organisation", "fields", "licence", "open_source", "repository", "website", "delivery",
		"hosted_in_germany", "bsi_c5", "bitv_statement", "verified_uses", "maturity", "version", "published_at", "demo", "url"})
	for _, row := range rows {
		for i := range row {
			row[i] = csvCell(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
