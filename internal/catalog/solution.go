package catalog

import (
	"slices"
	"time"

	"github.com/smartregions/smartregions/internal/region"
)

// Delivery models: how a municipality gets the solution.
const (
	SaaS       = "saas"        // software as a service
	Managed    = "managed"     // IaaS or managed hosting
	OnPremises = "on_premises" // self-hosted
)

// DeliveryModels lists the delivery models in form order.
var DeliveryModels = []string{SaaS, Managed, OnPremises}

// PriceModels lists how a delivery model is priced.
var PriceModels = []string{"free", "flat", "per_inhabitant", "per_user", "on_request"}

// HostingLocations lists where a hosted solution runs.
var HostingLocations = []string{"de", "eu", "other"}

// EvidenceKinds lists the certifications and evidence a buyer asks for.
var EvidenceKinds = []string{"bsi_c5", "iso27001", "it_grundschutz", "bitv_statement", "gdpr_dpa", "evb_it"}

// Maturities lists how far a solution has come, in order.
var Maturities = []string{"concept", "pilot", "production", "scaled"}

// Origins lists where a solution comes from.
var Origins = []string{"smart_cities_model_project", "ozg_efa", "state_programme", "own_budget", "commercial"}

// Standards lists the interoperability standards offered as choices;
// entries may name others too.
var Standards = []string{"OParl", "XÖV", "XPlanung", "XBau", "OGC SensorThings", "NGSI-LD", "DCAT-AP.de", "OpenAPI", "FIT-Connect", "OSCI"}

// Delivery is one way to obtain a solution with its price.
type Delivery struct {
	Model    string   `json:"model"`     // SaaS, Managed, OnPremises
	Price    string   `json:"price"`     // one of PriceModels
	PriceMin *float64 `json:"price_min"` // euros per unit of the price model; nil when not stated
	PriceMax *float64 `json:"price_max"`
	Hosting  string   `json:"hosting"` // one of HostingLocations; "" for on-premises
}

// Evidence is a certification or proof with an optional document or link
// and an expiry date.
type Evidence struct {
	Kind    string     `json:"kind"` // one of EvidenceKinds
	Link    string     `json:"link"` // URL of the certificate or statement
	Expires *time.Time `json:"expires"`
	Note    string     `json:"note"` // e.g. the EVB-IT contract types offered
}

// Expired reports whether the evidence has expired at now; expired
// evidence is shown as such, never as a badge.
func (e Evidence) Expired(now time.Time) bool { return e.Expires != nil && !now.Before(*e.Expires) }

// Entry is what a provider writes about a solution: one version of it.
type Entry struct {
	Name        string        `json:"name"`
	Short       string        `json:"short"`       // ≤ 200 characters
	Description string        `json:"description"` // Markdown, rendered safely
	Fields      []string      `json:"fields"`      // keys of fields of action
	Sizes       []region.Band `json:"sizes"`       // municipality sizes it suits
	Licence     string        `json:"licence"`     // SPDX expression
	Repository  string        `json:"repository"`  // source repository URL
	Website     string        `json:"website"`
	Delivery    []Delivery    `json:"delivery"`
	Evidence    []Evidence    `json:"evidence"`
	Standards   []string      `json:"standards"`
	Maturity    string        `json:"maturity"`
	Origin      string        `json:"origin"`
	Programme   string        `json:"programme"` // the funding programme's name, free text
	Languages   []string      `json:"languages"` // ISO 639-1 codes of the user interface
	Contact     string        `json:"contact"`   // e-mail address
	Support     string        `json:"support"`   // support and maintenance commitment, free text
	// Logo is the id of a medium of the solution of kind logo (always
	// stored as PNG); "" for none. Its size is copied from the medium
	// when the entry is saved, like a screenshot's.
	Logo       string `json:"logo,omitempty"`
	LogoWidth  int    `json:"logo_width,omitempty"`
	LogoHeight int    `json:"logo_height,omitempty"`
	// Screenshots show the solution in use, each with its alternative
	// text; at most MaxScreenshots.
	Screenshots []Screenshot `json:"screenshots,omitempty"`
}

// Screenshot is a picture of the solution in use. Clients send ID and
// Alt; the rest is copied from the stored medium (which never changes)
// when the entry is saved, so that pages can reserve the picture's space
// and name its file without looking the medium up.
type Screenshot struct {
	ID          string `json:"id"`
	Alt         string `json:"alt"` // alternative text, German first; required
	ContentType string `json:"content_type,omitempty"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// OpenSource reports whether the entry's licence is open source.
func (e Entry) OpenSource() bool { return OpenSource(e.Licence) }

// HostedInGermany reports whether every hosted delivery runs in Germany
// (and there is at least one).
func (e Entry) HostedInGermany() bool {
	hosted := 0
	for _, d := range e.Delivery {
		if d.Model == OnPremises {
			continue
		}
		if d.Hosting != "de" {
			return false
		}
		hosted++
	}
	return hosted > 0
}

// HasEvidence reports whether valid (unexpired) evidence of kind exists.
func (e Entry) HasEvidence(kind string, now time.Time) bool {
	return slices.ContainsFunc(e.Evidence, func(ev Evidence) bool { return ev.Kind == kind && !ev.Expired(now) })
}
