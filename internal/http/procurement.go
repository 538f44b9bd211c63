package http

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/procurement"
	"github.com/smartregions/smartregions/internal/web"
)

// The procurement orientation (issue 7): a public form whose result is
// shown on the same page from the query, so that it can be bookmarked.
// It is orientation, not legal advice; the page says so above the result.

// orientationParams are the query parameters of the page and the API.
var orientationParams = []string{"value", "contract_type", "authority_type", "state", "date"}

// ProcurementView is the Data of the "procurement" page.
type ProcurementView struct {
	Result         *procurement.Result
	ContractTypes  []procurement.ContractType
	AuthorityTypes []procurement.AuthorityType
	States         []string
}

// Euro converts cents for Page.Dec.
func (ProcurementView) Euro(cents int64) float64 { return float64(cents) / 100 }

// stateKeys are the official keys of the 16 states.
var stateKeys = procurement.Jurisdictions[2:]

// readOrientation reads the orientation's input from the query; the
// errors are field messages under the parameter names.
func (s *Server) readOrientation(p *params, today time.Time) (procurement.Input, error) {
	var v apperr.Validation
	seen := map[string]bool{}
	add := func(field, key string, args ...any) {
		if !seen[field] { // one message a field
			seen[field] = true
			v.Add(field, key, args...)
		}
	}
	in := procurement.Input{ContractType: procurement.ContractType(p.str("contract_type")),
		AuthorityType: procurement.AuthorityType(p.str("authority_type")), State: p.str("state"), Date: today}
	if raw := strings.TrimSpace(p.str("value")); raw == "" {
		add("value", "form.error.required")
	} else if cents, ok := procurement.ParseAmount(raw); !ok {
		add("value", "procurement.error.amount_format")
	} else {
		in.ValueNet = cents
	}
	if d := p.str("date"); d != "" {
		if t, ok := procurement.ParseDate(d); ok {
			in.Date = t
		} else {
			add("date", "procurement.error.date")
		}
	}
	var e *apperr.Error
	if err := in.Validate(); errors.As(err, &e) {
		for _, f := range e.Fields {
			add(f.Field, f.Key, f.Args...)
		}
	}
	return in, v.Err()
}

func (s *Server) handleProcurementOrientation(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, orientationParams...)
	if err := p.Err(); err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "procurement.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "procurement.title")}}
	v := ProcurementView{ContractTypes: procurement.ContractTypes, AuthorityTypes: procurement.AuthorityTypes, States: stateKeys}
	today := s.Procurement.Today()
	pg.Form = url.Values{"authority_type": {string(procurement.SubCentral)}, "date": {today.Format(procurement.DateLayout)}}
	asked := false
	for _, name := range orientationParams {
		if r.URL.Query().Has(name) {
			asked = true
		}
	}
	if !asked {
		if st := s.userState(r.Context(), r); st != "" {
			pg.Form.Set("state", st)
		}
		pg.Data = v
		return s.render(w, r, "procurement", pg)
	}
	for _, name := range orientationParams {
		if r.URL.Query().Has(name) {
			pg.Form.Set(name, p.str(name))
		}
	}
	in, err := s.readOrientation(p, today)
	if err == nil {
		var res procurement.Result
		if res, err = s.Procurement.Orient(r.Context(), in); err == nil {
			v.Result = &res
		}
	}
	if err != nil {
		fields, _, rest := s.formError(r, err)
		if rest != nil {
			return rest
		}
		pg.FieldErrors = fields
		pg.Data = v
		s.renderStatus(w, r, http.StatusBadRequest, "procurement", pg)
		return nil
	}
	pg.Data = v
	return s.render(w, r, "procurement", pg)
}

// userState is the state of the signed-in user's first organisation that
// is tied to a region ("" when none): the form's default.
func (s *Server) userState(ctx context.Context, r *http.Request) string {
	u := userOf(r)
	if u == nil || s.Orgs == nil {
		return ""
	}
	ms, _, err := s.Orgs.Mine(ctx, u.user)
	if err != nil {
		return ""
	}
	for _, m := range ms {
		if !m.OrgKind.Regional() {
			continue
		}
		o, _, err := s.Orgs.Get(ctx, &u.user, m.OrgSlug)
		if err == nil && len(o.RegionKey) >= 2 {
			return o.RegionKey[:2]
		}
	}
	return ""
}
