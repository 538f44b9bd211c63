// Package org holds organisations — municipalities, districts, states,
// federal bodies, IT service providers, companies, associations and
// research institutes — with their members, invitations and the
// verification that a person really acts for them.
//
// A municipality, district or state organisation is tied to its key in the
// official register, one per key. An organisation is verified when a
// person's claim to act for it is approved: automatically when their
// confirmed e-mail address is at one of its official domains (kept by
// curators), otherwise by a curator with a reason. Unverified
// organisations may prepare content but not publish it (CanPublish).
package org

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Kind says what sort of body an organisation is.
type Kind string

// The kinds.
const (
	Municipality Kind = "municipality"
	District     Kind = "district"
	State        Kind = "state"
	Federal      Kind = "federal"     // federal body
	ITProvider   Kind = "it_provider" // municipal IT service provider
	Company      Kind = "company"     // company
	Association  Kind = "association" // association or open-source community
	Research     Kind = "research"    // university or research institute
)

// Kinds lists the kinds in the order forms show them.
var Kinds = []Kind{Municipality, District, State, Federal, ITProvider, Company, Association, Research}

// Valid reports whether k is a kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Regional reports whether an organisation of this kind is tied to a key
// of the register.
func (k Kind) Regional() bool { return k == Municipality || k == District || k == State }

// Public reports whether the kind is a public authority.
func (k Kind) Public() bool { return k.Regional() || k == Federal }

// Role is a member's role in an organisation.
type Role string

// The roles.
const (
	Member Role = "member"
	Admin  Role = "admin" // manages members, invitations and the organisation's details
)

// Valid reports whether r is a role.
func (r Role) Valid() bool { return r == Member || r == Admin }

// Organisation is a body that acts on the platform.
type Organisation struct {
	ID          string
	Slug        string
	Kind        Kind
	Name        string
	RegionKey   string // AGS, district or state key; "" for other kinds
	Website     string
	Description string
	Domains     []string // official e-mail domains, kept by curators
	VerifiedAt  *time.Time
	Created     time.Time
	Members     int // number of members
}

// Verified reports whether the organisation is verified.
func (o Organisation) Verified() bool { return o.VerifiedAt != nil }

// CanPublish reports whether the organisation may publish content;
// unverified organisations may only prepare it.
func (o Organisation) CanPublish() bool { return o.Verified() }

// Membership is a user's place in an organisation.
type Membership struct {
	OrgID    string
	UserID   string
	Email    string // the member's address (for lists)
	Name     string // the member's name (for lists)
	Role     Role
	Created  time.Time
	OrgSlug  string // the organisation (for a user's own list)
	OrgName  string
	OrgKind  Kind
	Verified bool
}

// Invitation asks someone by e-mail to join an organisation.
type Invitation struct {
	ID        string
	OrgID     string
	OrgSlug   string
	OrgName   string
	Email     string
	Role      Role
	InvitedBy string // label of the inviting user
	Created   time.Time
	Expires   time.Time
	Accepted  *time.Time
	Revoked   *time.Time
}

// Open reports whether the invitation can still be accepted at now.
func (i Invitation) Open(now time.Time) bool {
	return i.Accepted == nil && i.Revoked == nil && now.Before(i.Expires)
}

// InvitationLifetime is how long an invitation link stays valid.
const InvitationLifetime = 14 * 24 * time.Hour

// Verification request statuses.
const (
	Pending  = "pending"
	Approved = "approved"
	Rejected = "rejected"
)

// Request is a person's claim to act for an organisation.
type Request struct {
	ID        string
	OrgID     string
	OrgSlug   string
	OrgName   string
	OrgKind   Kind
	RegionKey string
	UserID    string
	UserName  string
	Lang      string // the requester's language, for the mail with the decision
	Email     string // the requester's confirmed address when asking
	Statement string // the requester's explanation
	Status    string
	Automatic bool // decided by an official domain
	DecidedBy string
	Decided   *time.Time
	Reason    string // the curator's reason
	Created   time.Time
	Member    bool // the requester is a member of the organisation
	// DomainOfficial: the requester's domain is one of the organisation's
	// official domains (shown to the curator).
	DomainOfficial bool
}

// Domain returns the domain of an e-mail address.
func Domain(email string) string {
	return strings.ToLower(email[strings.LastIndexByte(email, '@')+1:])
}

var reDomain = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// NormalizeDomain returns a domain in lower case without a leading "@" or
// "www.", or "" when it is not a domain name.
func NormalizeDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "@"), "www.")
	if len(s) > 253 || !reDomain.MatchString(s) {
		return ""
	}
	return s
}

// AtDomain reports whether an address is at domain d or one of its
// subdomains (stadt.example.de matches example.de).
func AtDomain(email, d string) bool {
	got := Domain(email)
	return got == d || strings.HasSuffix(got, "."+d)
}
