// Package offer holds what providers answer to municipal needs (package
// need): offers with price, delivery model, validity and attachments, the
// clarifying questions between a need's owners and the providers, and the
// match sweep that tells providers about new needs their solutions fit.
//
// Offers are confidential: the need's owners see every offer that was
// submitted; a provider sees only its own; anyone else gets not found.
package offer

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/attachment"
	"github.com/smartregions/smartregions/internal/catalog"
)

// State is where an offer stands.
type State string

// The states of an offer: the provider writes a draft and submits it (or
// withdraws it again); the owners shortlist or decline a submitted offer.
const (
	Draft       State = "draft"
	Submitted   State = "submitted"
	Withdrawn   State = "withdrawn"
	Shortlisted State = "shortlisted"
	Declined    State = "declined"
)

// Basis is what a price refers to.
type Basis string

// The price bases.
const (
	Once           Basis = "once"
	PerMonth       Basis = "month"
	PerYear        Basis = "year"
	InhabitantYear Basis = "inhabitant_year"
)

// Bases lists the price bases in form order.
var Bases = []Basis{Once, PerMonth, PerYear, InhabitantYear}

// Limits of an offer's fields.
const (
	MaxText     = 20000
	MaxReason   = 2000
	MaxQuestion = 4000
	MaxPrice    = 1_000_000_000 * 100 // cents
	MaxFiles    = 5                   // per offer
	MaxFileSize = attachment.MaxSize
)

// SolutionRef is a published solution an offer refers to, as it was
// named when the offer was saved.
type SolutionRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Attachment is a file of an offer; Data is empty in lists.
type Attachment struct {
	ID, OfferID, Name, Type string
	Size                    int64
	Data                    []byte
}

// Offer is a provider's answer to a need.
type Offer struct {
	ID, NeedID        string
	OrgID, OrgSlug    string
	OrgName           string
	Text              string // Markdown; shown sanitised
	Delivery          string // one of catalog.DeliveryModels
	PriceCents        int64  // net
	Basis             Basis
	ValidUntil        time.Time // a date (UTC midnight)
	Solutions         []SolutionRef
	State             State
	Reason            string // the owners' reason for their decision
	Lock              int
	CreatedBy         string
	Created, Updated  time.Time
	Submitted         *time.Time
	Attachments       []Attachment
	NeedSlug, NeedTxt string // the need's slug and title, for lists
}

// Price returns the price in euros.
func (o Offer) Price() float64 { return float64(o.PriceCents) / 100 }

// PriceText returns the price in German notation ("1.234,50").
func (o Offer) PriceText() string { return FormatCents(o.PriceCents) }

// FormatCents writes cents as euros in German notation.
func FormatCents(c int64) string {
	euros, cents := c/100, c%100
	s := strconv.FormatInt(euros, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + "," + strconv.FormatInt(100+cents, 10)[1:]
}

// Input is what a provider enters for an offer.
type Input struct {
	Text       string
	Delivery   string
	Price      string // euros as typed: "1234,50", "1.234,50" or "1234.50"
	Basis      Basis
	ValidUntil string // YYYY-MM-DD
	Solutions  []string
	Files      []attachment.File
	Remove     []string // ids of attachments to remove
	Submit     bool     // submit the offer (else it stays or becomes a draft)
}

// ParsePrice reads a euro amount with at most two decimals, in German
// ("1.234,50") or international ("1234.50") notation, as cents.
func ParsePrice(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€")), " ", "")
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ",") { // German: dots group thousands
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || strings.ContainsAny(whole+frac, "+-eE") {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt((frac + "0")[:2], 10, 64); err != nil {
			return 0, false
		}
	}
	return w*100 + f, true
}

// validate checks in against the provider's published solutions (by slug)
// and today's date and returns the parsed price and date; field names:
// text, delivery, price, price_basis, valid_until, solutions, files.
func (in *Input) validate(own []SolutionRef, today time.Time, kept int) (int64, time.Time, []SolutionRef, error) {
	in.Text = strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n"))
	var v apperr.Validation
	v.Text("text", in.Text, MaxText, true)
	if !slices.Contains(catalog.DeliveryModels, in.Delivery) {
		v.Add("delivery", "offer.error.delivery")
	}
	cents, ok := ParsePrice(in.Price)
	switch {
	case strings.TrimSpace(in.Price) == "":
		v.Add("price", "form.error.required")
	case !ok:
		v.Add("price", "offer.error.price")
	case cents > MaxPrice:
		v.Add("price", "offer.error.price_max", "Max", FormatCents(MaxPrice))
	}
	if !slices.Contains(Bases, in.Basis) {
		v.Add("price_basis", "offer.error.basis")
	}
	valid, err := time.Parse(time.DateOnly, strings.TrimSpace(in.ValidUntil))
	switch {
	case strings.TrimSpace(in.ValidUntil) == "":
		v.Add("valid_until", "form.error.required")
	case err != nil:
		v.Add("valid_until", "offer.error.date")
	case valid.Before(today):
		v.Add("valid_until", "offer.error.past")
	}
	var chosen []SolutionRef
	for _, slug := range in.Solutions {
		i := slices.IndexFunc(own, func(r SolutionRef) bool { return r.Slug == slug })
		if i < 0 {
			v.Add("solutions", "offer.error.solution")
			chosen = nil
			break
		}
		if !slices.ContainsFunc(chosen, func(r SolutionRef) bool { return r.Slug == slug }) {
			chosen = append(chosen, own[i])
		}
	}
	if len(in.Solutions) == 0 {
		v.Add("solutions", "offer.error.solutions")
	}
	if kept+len(in.Files) > MaxFiles {
		v.Add("files", "offer.error.files", "Max", MaxFiles)
	} else {
		for _, f := range in.Files {
			if _, why := attachment.Check(f); why != "" {
				v.Add("files", "offer.error.file_"+why, "File", attachment.CleanName(f.Name), "MaxMB", MaxFileSize>>20)
				break
			}
		}
	}
	return cents, valid, chosen, v.Err()
}

// checkType returns the type of a checked file.
func checkType(f attachment.File) (string, string) { return attachment.Check(f) }

// cleanName keeps the base name of an upload (attachment.CleanName).
func cleanName(name string) string { return attachment.CleanName(name) }
