package catalog

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/region"
)

func fieldsOf(t *testing.T) map[string]bool {
	t.Helper()
	flat, err := DefaultFields()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, f := range flat {
		m[f.Key] = true
	}
	return m
}

func validEntry() Entry {
	return Entry{Name: " Mängelmelder  Plus ", Short: "Bürgerinnen und Bürger melden Schäden im öffentlichen Raum.",
		Description: "## Funktionen\r\n\r\n- Meldung mit Foto", Fields: []string{"participation.issue-reporting", " participation.issue-reporting"},
		Sizes: []region.Band{region.BandUnder5k, region.BandUnder5k}, Licence: "EUPL-1.2", Repository: "https://gitlab.opencode.de/example/maengelmelder",
		Delivery:  []Delivery{{Model: SaaS, Price: "per_inhabitant", PriceMin: ptr(0.05), PriceMax: ptr(0.2), Hosting: "de"}, {Model: OnPremises, Price: "free", Hosting: "eu"}},
		Standards: []string{"OpenAPI", "OParl", "OpenAPI"}, Maturity: "scaled", Origin: "smart_cities_model_project", Languages: []string{"de", "en"},
		Contact: "Info@Example.org"}
}

func ptr(f float64) *float64 { return &f }

func fieldsOfErr(err error) string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return "<nil>"
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+"="+f.Key)
	}
	return strings.Join(out, " ")
}

func TestEntryCheck(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	known := fieldsOf(t)

	e := validEntry()
	if err := e.Check(known, now); err != nil {
		t.Fatalf("valid entry: %s", fieldsOfErr(err))
	}
	if e.Name != "Mängelmelder Plus" || len(e.Fields) != 1 || len(e.Sizes) != 1 || strings.Join(e.Standards, ",") != "OParl,OpenAPI" ||
		e.Contact != "info@example.org" || e.Delivery[1].Hosting != "" || e.Delivery[1].PriceMin != nil || strings.Contains(e.Description, "\r") {
		t.Errorf("normalised %+v", e)
	}
	if !e.OpenSource() || !e.HostedInGermany() {
		t.Error("EUPL entry hosted in Germany lacks its badges")
	}

	past := now.AddDate(0, 0, -1)
	future := now.AddDate(1, 0, 0)
	for _, tc := range []struct {
		name   string
		change func(e *Entry)
		want   string
	}{
		{"NoName", func(e *Entry) { e.Name = "  " }, "name=form.error.required"},
		{"LongShort", func(e *Entry) { e.Short = strings.Repeat("ä", 201) }, "short=form.error.too_long"},
		{"NoFields", func(e *Entry) { e.Fields = nil }, "fields=catalog.error.fields_required"},
		{"UnknownField", func(e *Entry) { e.Fields = []string{"space.travel"} }, "fields=catalog.error.field_unknown"},
		{"BadSize", func(e *Entry) { e.Sizes = []region.Band{"huge"} }, "sizes=catalog.error.size"},
		{"BadLicence", func(e *Entry) { e.Licence = "GPL" }, "licence=catalog.error.licence"},
		{"NoLicence", func(e *Entry) { e.Licence = "" }, "licence=form.error.required"},
		{"OpenSourceWithoutRepository", func(e *Entry) { e.Repository = "" }, "repository=catalog.error.repository_required"},
		{"ProprietaryWithoutRepository", func(e *Entry) { e.Licence, e.Repository = "LicenseRef-Kommerziell", "" }, ""},
		{"JavascriptURL", func(e *Entry) { e.Website = "javascript:alert(1)" }, "website=catalog.error.url"},
		{"NoDelivery", func(e *Entry) { e.Delivery = nil }, "delivery=catalog.error.delivery_required"},
		{"TwiceSaaS", func(e *Entry) { e.Delivery[1].Model = SaaS; e.Delivery[1].Hosting = "de" }, "delivery.1.model=catalog.error.delivery_model"},
		{"BadPrice", func(e *Entry) { e.Delivery[0].Price = "cheap" }, "delivery.0.price=catalog.error.price_model"},
		{"NoHosting", func(e *Entry) { e.Delivery[0].Hosting = "" }, "delivery.0.hosting=catalog.error.hosting"},
		{"PriceRange", func(e *Entry) { e.Delivery[0].PriceMin = ptr(3) }, "delivery.0.price_max=catalog.error.price_range"},
		{"NegativePrice", func(e *Entry) { e.Delivery[0].PriceMin = ptr(-1) }, "delivery.0.price_min=catalog.error.price_negative"},
		{"EvidenceExpired", func(e *Entry) { e.Evidence = []Evidence{{Kind: "bsi_c5", Expires: &past}} }, "evidence.0.expires=catalog.error.evidence_expired"},
		{"EvidenceKind", func(e *Entry) { e.Evidence = []Evidence{{Kind: "tüv", Expires: &future}} }, "evidence.0.kind=catalog.error.evidence_kind"},
		{"EvidenceOK", func(e *Entry) {
			e.Evidence = []Evidence{{Kind: "bsi_c5", Link: "https://example.org/c5.pdf", Expires: &future}}
		}, ""},
		{"Maturity", func(e *Entry) { e.Maturity = "" }, "maturity=catalog.error.maturity"},
		{"Origin", func(e *Entry) { e.Origin = "lottery" }, "origin=catalog.error.origin"},
		{"Language", func(e *Entry) { e.Languages = []string{"deu"} }, "languages=catalog.error.language"},
		{"Contact", func(e *Entry) { e.Contact = "info at example.org" }, "contact=form.error.email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := validEntry()
			tc.change(&e)
			if got := fieldsOfErr(e.Check(known, now)); got != tc.want && !(tc.want == "" && got == "<nil>") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEvidenceBadges(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	soon, gone := now.AddDate(0, 1, 0), now.AddDate(0, 0, -1)
	e := Entry{Evidence: []Evidence{{Kind: "bsi_c5", Expires: &gone}, {Kind: "iso27001", Expires: &soon}, {Kind: "gdpr_dpa"}}}
	if e.HasEvidence("bsi_c5", now) || !e.HasEvidence("iso27001", now) || !e.HasEvidence("gdpr_dpa", now) {
		t.Error("an expired certificate counts, or a valid one does not")
	}
	if (Entry{Delivery: []Delivery{{Model: OnPremises}}}).HostedInGermany() {
		t.Error("on-premises only is not hosting in Germany")
	}
}
