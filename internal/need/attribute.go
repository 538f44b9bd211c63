package need

import (
	"slices"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
)

// A structured attribute names what a requirement checks in a catalogue
// entry, as "kind:value": delivery:saas, hosting:de, hosting:eu,
// evidence:bsi_c5, open_source, standard:OParl, maturity:production
// (at least production).
const (
	AttrDelivery = "delivery"
	AttrHosting  = "hosting"
	AttrEvidence = "evidence"
	AttrOpen     = "open_source"
	AttrStandard = "standard"
	AttrMaturity = "maturity"
)

// ParseAttribute splits an attribute into its kind and value.
func ParseAttribute(a string) (kind, value string) {
	kind, value, _ = strings.Cut(a, ":")
	return kind, value
}

// ValidAttribute reports whether a is a structured attribute.
func ValidAttribute(a string) bool {
	kind, value := ParseAttribute(a)
	switch kind {
	case AttrDelivery:
		return slices.Contains(catalog.DeliveryModels, value)
	case AttrHosting:
		return value == "de" || value == "eu"
	case AttrEvidence:
		return slices.Contains(catalog.EvidenceKinds, value)
	case AttrOpen:
		return value == ""
	case AttrStandard:
		return value != "" && len(value) <= 100
	case AttrMaturity:
		return slices.Contains(catalog.Maturities, value)
	}
	return false
}

// AttributeChoices lists the structured attributes a form offers (the
// standards of catalog.Standards; the API accepts any standard).
func AttributeChoices() []string {
	var out []string
	for _, d := range catalog.DeliveryModels {
		out = append(out, AttrDelivery+":"+d)
	}
	out = append(out, AttrHosting+":de", AttrHosting+":eu")
	for _, e := range catalog.EvidenceKinds {
		out = append(out, AttrEvidence+":"+e)
	}
	out = append(out, AttrOpen)
	for _, s := range catalog.Standards {
		out = append(out, AttrStandard+":"+s)
	}
	for _, m := range catalog.Maturities[1:] {
		out = append(out, AttrMaturity+":"+m)
	}
	return out
}

// Status is the outcome of one requirement for one solution.
type Status string

// The outcomes.
const (
	Met     Status = "met"
	Unmet   Status = "unmet"
	Unknown Status = "unknown"
)

// check decides a structured attribute against an entry. Hosting counts
// hosted deliveries (SaaS, managed) only: on-premises is asked for with
// delivery:on_premises. An entry that states nothing about an attribute
// leaves it unknown rather than unmet where the catalogue cannot tell.
func check(attr string, e catalog.Entry, now time.Time) Status {
	kind, value := ParseAttribute(attr)
	switch kind {
	case AttrDelivery:
		if len(e.Delivery) == 0 {
			return Unknown
		}
		return metIf(slices.ContainsFunc(e.Delivery, func(d catalog.Delivery) bool { return d.Model == value }))
	case AttrHosting:
		hosted, unstated := false, false
		for _, d := range e.Delivery {
			if d.Model == catalog.OnPremises {
				continue
			}
			hosted = true
			switch {
			case d.Hosting == "de", d.Hosting == "eu" && value == "eu":
				return Met
			case d.Hosting == "":
				unstated = true
			}
		}
		if !hosted || unstated {
			return Unknown
		}
		return Unmet
	case AttrEvidence:
		if e.HasEvidence(value, now) {
			return Met
		}
		return Unknown // not stated is not proof of absence
	case AttrOpen:
		if e.Licence == "" {
			return Unknown
		}
		return metIf(e.OpenSource())
	case AttrStandard:
		if slices.ContainsFunc(e.Standards, func(s string) bool { return strings.EqualFold(s, value) }) {
			return Met
		}
		return Unknown
	case AttrMaturity:
		have, want := slices.Index(catalog.Maturities, e.Maturity), slices.Index(catalog.Maturities, value)
		if have < 0 {
			return Unknown
		}
		return metIf(have >= want)
	}
	return Unknown
}

func metIf(ok bool) Status {
	if ok {
		return Met
	}
	return Unmet
}

// AttrKind returns the kind of the requirement's attribute ("" for none),
// for pages.
func (r Requirement) AttrKind() string { k, _ := ParseAttribute(r.Attribute); return k }

// AttrValue returns the value of the requirement's attribute.
func (r Requirement) AttrValue() string { _, v := ParseAttribute(r.Attribute); return v }
