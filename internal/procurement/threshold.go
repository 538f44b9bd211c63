// Package procurement gives municipal staff an orientation on public
// procurement: from the estimated value of a contract it tells whether the
// EU thresholds apply, which procedures are usually available, what each
// needs documented, and which routes outside procurement law may fit.
//
// Every amount is data with its validity dates and legal source
// (Threshold), never a constant in the logic: the EU values change every
// two years and the states set their own value limits below them.
package procurement

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// Scope says whether a value is an EU threshold or a national value limit.
type Scope string

// The scopes.
const (
	ScopeEU       Scope = "eu"
	ScopeNational Scope = "national"
)

// ContractType is the kind of contract a value is for.
type ContractType string

// The contract types.
const (
	SuppliesServices ContractType = "supplies_services"
	Works            ContractType = "works"
	SocialServices   ContractType = "social_services" // Annex XIV of Directive 2014/24/EU
	Concessions      ContractType = "concessions"
)

// ContractTypes lists the contract types in form order.
var ContractTypes = []ContractType{SuppliesServices, Works, SocialServices, Concessions}

// AuthorityType is the kind of contracting authority. Municipalities,
// districts and states are sub-central.
type AuthorityType string

// The authority types.
const (
	Central    AuthorityType = "central"
	SubCentral AuthorityType = "sub_central"
	Sector     AuthorityType = "sector"
)

// AuthorityTypes lists the authority types in form order.
var AuthorityTypes = []AuthorityType{SubCentral, Central, Sector}

// Procedure is a procurement procedure.
type Procedure string

// The procedures. Above the EU thresholds: open, restricted, negotiated
// with competition, competitive dialogue, innovation partnership. Below
// them (UVgO, VOB/A): open and restricted with competition are always
// available; the others up to the value limits in the data.
const (
	Open                         Procedure = "open"
	Restricted                   Procedure = "restricted"
	NegotiatedWithCompetition    Procedure = "negotiated_with_competition"
	CompetitiveDialogue          Procedure = "competitive_dialogue"
	InnovationPartnership        Procedure = "innovation_partnership"
	DirectAward                  Procedure = "direct_award"
	NegotiatedWithoutCompetition Procedure = "negotiated_without_competition"
	RestrictedWithoutCompetition Procedure = "restricted_without_competition"
)

// NationalProcedures are the procedures a national value limit can be
// stored for.
var NationalProcedures = []Procedure{DirectAward, NegotiatedWithoutCompetition, RestrictedWithoutCompetition}

// Jurisdictions are the keys of a value's legal area: the EU, the federal
// level ("DE") and the states by their official key "01"–"16".
var Jurisdictions = []string{"EU", "DE", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16"}

// MaxAmount is the largest amount accepted, in cents: ten billion euros.
const MaxAmount int64 = 1_000_000_000_000

// Limits of the source of a value, in characters.
const (
	MaxSourceText = 500
	MaxSourceURL  = 2000
)

// DateLayout is how dates are written in forms, the API and the database.
const DateLayout = "2006-01-02"

// Threshold is one value with its validity and legal source. For the EU
// scope it is the value from which the EU rules apply ("erreicht oder
// überschreitet", § 106 GWB); for the national scope the value up to
// which (inclusive) Procedure may be used.
type Threshold struct {
	ID            string
	Scope         Scope
	Jurisdiction  string
	ContractType  ContractType
	AuthorityType AuthorityType // "" for a national value that holds for every authority
	Procedure     Procedure     // national values only
	AmountNet     int64         // euro cents, without VAT
	ValidFrom     time.Time     // first day, UTC midnight
	ValidUntil    *time.Time    // last day (inclusive); nil while open-ended
	SourceText    string
	SourceURL     string
	UpdatedBy     string
	UpdatedAt     time.Time
}

// ValidOn reports whether t is valid on day (any time of that day).
func (t Threshold) ValidOn(day time.Time) bool {
	d := Day(day)
	return !d.Before(t.ValidFrom) && (t.ValidUntil == nil || !d.After(*t.ValidUntil))
}

// Day returns t's calendar day (in Europe/Berlin) as UTC midnight.
func Day(t time.Time) time.Time {
	t = t.In(berlin)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// ParseDate reads a date as written in forms and the API.
func ParseDate(s string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	return t, err == nil
}

// Validate checks a value before it is stored; the field names are those
// of the form and the API.
func (t Threshold) Validate() error {
	var v apperr.Validation
	switch t.Scope {
	case ScopeEU:
		if t.Jurisdiction != "EU" {
			v.Add("jurisdiction", "procurement.error.jurisdiction_eu")
		}
		if !contains(AuthorityTypes, t.AuthorityType) {
			v.Add("authority_type", "procurement.error.authority_type")
		}
		if t.Procedure != "" {
			v.Add("procedure", "procurement.error.procedure_eu")
		}
	case ScopeNational:
		if t.Jurisdiction == "EU" || !contains(Jurisdictions, t.Jurisdiction) {
			v.Add("jurisdiction", "procurement.error.state")
		}
		if t.AuthorityType != "" && !contains(AuthorityTypes, t.AuthorityType) {
			v.Add("authority_type", "procurement.error.authority_type")
		}
		if !contains(NationalProcedures, t.Procedure) {
			v.Add("procedure", "procurement.error.procedure")
		}
	default:
		v.Add("scope", "procurement.error.scope")
	}
	if !contains(ContractTypes, t.ContractType) {
		v.Add("contract_type", "procurement.error.contract_type")
	}
	if t.AmountNet <= 0 || t.AmountNet > MaxAmount {
		v.Add("amount", "procurement.error.amount_range")
	}
	if t.ValidFrom.IsZero() {
		v.Add("valid_from", "procurement.error.date")
	}
	if t.ValidUntil != nil && !t.ValidFrom.IsZero() && t.ValidUntil.Before(t.ValidFrom) {
		v.Add("valid_until", "procurement.error.until_before_from")
	}
	v.Text("source_text", t.SourceText, MaxSourceText, true)
	if t.SourceURL != "" {
		u, err := url.Parse(t.SourceURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || utf8.RuneCountInString(t.SourceURL) > MaxSourceURL {
			v.Add("source_url", "procurement.error.url")
		}
	}
	return v.Err()
}

// CanEdit is the rule of the thresholds: operators edit them; everyone
// reads them.
func CanEdit(u *account.User) bool { return u != nil && u.Has(account.Operator) }

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// FormatEuro writes cents as euros with two decimals ("216000.00"), for
// the API and the audit log.
func FormatEuro(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }
