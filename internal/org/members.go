package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// authorize loads the organisation by slug and checks that u may do act.
func (s *Service) authorize(ctx context.Context, u account.User, slug string, act Action) (Organisation, *Membership, error) {
	o, mp, err := s.Get(ctx, &u, slug)
	if err != nil {
		return o, mp, err
	}
	if !Can(&u, act, o, mp) {
		return o, mp, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return o, mp, nil
}

// Members returns the members and open invitations of an organisation.
func (s *Service) Members(ctx context.Context, u account.User, slug string) (Organisation, *Membership, []Membership, []Invitation, error) {
	o, mp, err := s.authorize(ctx, u, slug, ActViewMembers)
	if err != nil {
		return o, mp, nil, nil, err
	}
	ms, err := s.store.Members(ctx, o.ID)
	if err != nil {
		return o, mp, nil, nil, err
	}
	var invs []Invitation
	if Can(&u, ActManageMembers, o, mp) {
		if invs, err = s.store.Invitations(ctx, o.ID); err != nil {
			return o, mp, nil, nil, err
		}
	}
	return o, mp, ms, invs, nil
}

// Invite sends an invitation link to an address. An open invitation to the
// same address is replaced (the old link stops working).
func (s *Service) Invite(ctx context.Context, u account.User, slug, email string, r Role, lang string, m account.Meta) (Invitation, error) {
	o, _, err := s.authorize(ctx, u, slug, ActManageMembers)
	if err != nil {
		return Invitation{}, err
	}
	var v apperr.Validation
	addr := account.NormalizeEmail(email)
	if addr == "" {
		v.Add("email", "form.error.email")
	}
	if !r.Valid() {
		v.Add("role", "org.error.role")
	}
	if err := v.Err(); err != nil {
		return Invitation{}, err
	}
	secret, hash := account.NewSecret()
	now := s.Now().UTC()
	inv := Invitation{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, OrgSlug: o.Slug, OrgName: o.Name, Email: addr, Role: r,
		InvitedBy: u.Email, Created: now, Expires: now.Add(InvitationLifetime)}
	err = s.store.CreateInvitation(ctx, inv, hash, audit(u, "org.invited", o.ID, m, map[string]any{"email": addr, "role": string(r)}))
	if err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Invitation{}, &apperr.Error{Code: apperr.Invalid, Msg: apperr.Message{Key: "error.invalid"},
				Fields: []apperr.FieldError{{Field: "email", Message: apperr.Message{Key: "org.error.already_member"}}}}
		}
		return Invitation{}, fmt.Errorf("org: invite to %s: %w", o.Slug, err)
	}
	inviter := u.Name
	if inviter == "" {
		inviter = u.Email
	}
	err = s.send(ctx, langOr(lang), addr, "org.mail.invitation", "Org", o.Name, "Inviter", inviter,
		"Link", s.baseURL+"/einladung/"+secret)
	return inv, err
}

func langOr(l string) string {
	if l == "en" {
		return "en"
	}
	return "de"
}

// RevokeInvitation withdraws an open invitation.
func (s *Service) RevokeInvitation(ctx context.Context, u account.User, slug, id string, m account.Meta) error {
	o, _, err := s.authorize(ctx, u, slug, ActManageMembers)
	if err != nil {
		return err
	}
	return s.store.RevokeInvitation(ctx, o.ID, id, audit(u, "org.invitation_revoked", o.ID, m, map[string]any{"invitation": id}))
}

// Invitation returns the invitation behind a link, with the reason when it
// can no longer be accepted (apperr.Invalid: used, expired, revoked).
func (s *Service) Invitation(ctx context.Context, secret string) (Invitation, error) {
	inv, err := s.store.InvitationByHash(ctx, account.HashToken(secret))
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return inv, apperr.New(apperr.NotFound, "org.error.invitation_invalid")
		}
		return inv, err
	}
	switch {
	case inv.Accepted != nil:
		return inv, apperr.New(apperr.Invalid, "account.error.link_used")
	case inv.Revoked != nil:
		return inv, apperr.New(apperr.Invalid, "org.error.invitation_revoked")
	case !s.Now().Before(inv.Expires):
		return inv, apperr.New(apperr.Invalid, "account.error.link_expired")
	}
	return inv, nil
}

// Accept makes u a member through an invitation link. The invitation is
// for one address: u must have confirmed it.
func (s *Service) Accept(ctx context.Context, u account.User, secret string, m account.Meta) (Invitation, error) {
	inv, err := s.Invitation(ctx, secret)
	if err != nil {
		return inv, err
	}
	if !u.Confirmed() || !strings.EqualFold(u.Email, inv.Email) {
		return inv, apperr.New(apperr.Forbidden, "org.error.invitation_other", "Email", inv.Email, "Current", u.Email)
	}
	a := audit(u, "org.invitation_accepted", inv.OrgID, m, map[string]any{"invitation": inv.ID, "role": string(inv.Role)})
	return s.store.AcceptInvitation(ctx, account.HashToken(secret), u.ID, a)
}

// SetRole changes a member's role.
func (s *Service) SetRole(ctx context.Context, u account.User, slug, userID string, r Role, m account.Meta) error {
	o, _, err := s.authorize(ctx, u, slug, ActManageMembers)
	if err != nil {
		return err
	}
	if !r.Valid() {
		return apperr.New(apperr.Invalid, "org.error.role")
	}
	a := audit(u, "org.member_role", o.ID, m, map[string]any{"user": userID, "role": string(r)})
	return s.store.SetMemberRole(ctx, o.ID, userID, r, a)
}

// Remove ends someone else's membership (admins) or u's own (Leave).
func (s *Service) Remove(ctx context.Context, u account.User, slug, userID string, m account.Meta) error {
	if userID == u.ID {
		return s.Leave(ctx, u, slug, m)
	}
	o, _, err := s.authorize(ctx, u, slug, ActManageMembers)
	if err != nil {
		return err
	}
	return s.store.RemoveMember(ctx, o.ID, userID, audit(u, "org.member_removed", o.ID, m, map[string]any{"user": userID}))
}

// Leave ends u's own membership. The last admin may leave only when no
// other member remains; the organisation and its content stay.
func (s *Service) Leave(ctx context.Context, u account.User, slug string, m account.Meta) error {
	o, _, err := s.authorize(ctx, u, slug, ActLeave)
	if err != nil {
		return err
	}
	return s.store.RemoveMember(ctx, o.ID, u.ID, audit(u, "org.left", o.ID, m, nil))
}
