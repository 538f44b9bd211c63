package org

import (
	"context"

	"github.com/smartregions/smartregions/internal/account"
)

// ListQuery selects a page of organisations.
type ListQuery struct {
	Query        string // part of the name
	Kind         Kind   // "" for all
	VerifiedOnly bool
	After        string // keyset cursor (see Page.Next)
	Limit        int
}

// Page is one page of organisations.
type Page struct {
	Items []Organisation
	Total int
	Next  string // cursor of the next page; "" on the last
}

// RequestQuery selects verification requests.
type RequestQuery struct {
	Status string // "" for all
	OrgID  string
	UserID string
	After  string
	Limit  int
}

// RequestPage is one page of verification requests.
type RequestPage struct {
	Items []Request
	Total int
	Next  string
}

// Decision is a curator's answer to a request.
type Decision struct {
	Approve   bool
	Reason    string
	AddDomain bool // make the requester's domain an official domain
	ActorID   string
}

// Store is what organisations need from the database. Methods return
// apperr.NotFound for unknown objects; writes run in one transaction with
// their audit entry.
type Store interface {
	// CreateOrg stores o with its first admin. When o.Slug is taken, a
	// number is appended; the stored organisation is returned.
	// apperr.Conflict ("org.error.region_taken") when the region has one.
	CreateOrg(ctx context.Context, o Organisation, adminID string, audit account.AuditEntry) (Organisation, error)
	UpdateOrg(ctx context.Context, id, website, description string, audit account.AuditEntry) error
	OrgBySlug(ctx context.Context, slug string) (Organisation, error)
	OrgByRegion(ctx context.Context, key string) (Organisation, error)
	Orgs(ctx context.Context, q ListQuery) (Page, error)
	// SetDomains replaces the official domains.
	SetDomains(ctx context.Context, orgID string, domains []string, audit account.AuditEntry) error

	// Membership returns u's membership in an organisation; NotFound when none.
	Membership(ctx context.Context, orgID, userID string) (Membership, error)
	Members(ctx context.Context, orgID string) ([]Membership, error)
	UserMemberships(ctx context.Context, userID string) ([]Membership, error)
	// SetMemberRole changes a role; apperr.Invalid ("org.error.last_admin")
	// when it would leave members without an admin.
	SetMemberRole(ctx context.Context, orgID, userID string, r Role, audit account.AuditEntry) error
	// RemoveMember ends a membership; apperr.Invalid ("org.error.last_admin")
	// when it would leave members without an admin.
	RemoveMember(ctx context.Context, orgID, userID string, audit account.AuditEntry) error

	// CreateInvitation stores an invitation and revokes the open ones to
	// the same address; apperr.Conflict ("org.error.already_member") when
	// the address belongs to a member.
	CreateInvitation(ctx context.Context, inv Invitation, hash string, audit account.AuditEntry) error
	// Invitations returns the open invitations of an organisation.
	Invitations(ctx context.Context, orgID string) ([]Invitation, error)
	// UserInvitations returns the open invitations to an address.
	UserInvitations(ctx context.Context, email string) ([]Invitation, error)
	InvitationByHash(ctx context.Context, hash string) (Invitation, error)
	// AcceptInvitation makes the user a member (or raises their role to
	// the invitation's). apperr.Invalid with "account.error.link_used",
	// "account.error.link_expired" or "org.error.invitation_revoked" when
	// it cannot be accepted.
	AcceptInvitation(ctx context.Context, hash, userID string, audit account.AuditEntry) (Invitation, error)
	RevokeInvitation(ctx context.Context, orgID, id string, audit account.AuditEntry) error

	// CreateRequest stores a claim. When it is approved already (by an
	// official domain), the organisation is verified and the requester
	// made a member in the same transaction. apperr.Conflict
	// ("org.error.request_pending") when the user has one open.
	CreateRequest(ctx context.Context, r Request, audit account.AuditEntry) error
	Requests(ctx context.Context, q RequestQuery) (RequestPage, error)
	RequestByID(ctx context.Context, id string) (Request, error)
	// DecideRequest answers a pending request; apperr.Conflict
	// ("org.error.request_decided") when it is decided already.
	DecideRequest(ctx context.Context, id string, d Decision, audit account.AuditEntry) (Request, error)
}
