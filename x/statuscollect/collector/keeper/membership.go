package keeper

import (
	"context"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// A membership and the reporter index are written together, here only: every
// caller (the msg handlers, suspension and restore, genesis) goes through
// putMembership or removeMembership, so the index always lists exactly the
// accounts the memberships list, with each membership's suspension.

// putMembership stores m and brings the reporter index in line with it: the
// accounts m no longer lists leave the index, and every account it lists maps
// to m's org with m's suspension. An account listed by another org of the same
// subchain is refused (ErrReporterExists) and nothing is written: one account
// speaks for at most one org per subchain, suspended or not. Bounded by
// max_reporters_per_membership, at most 64.
func (k Keeper) putMembership(ctx context.Context, m types.Membership) error {
	key := collections.Join(m.ChainId, m.OrgId)
	prev, err := k.Memberships.Get(ctx, key)
	if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	for _, r := range m.Reporters {
		entry, err := k.Reporters.Get(ctx, collections.Join(m.ChainId, r))
		if err == nil && entry.OrgId != m.OrgId {
			return errorsmod.Wrapf(types.ErrReporterExists, "%s is listed for org %s on chain %s", r, entry.OrgId, m.ChainId)
		} else if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
			return err
		}
	}
	for _, r := range prev.Reporters {
		if _, kept := slices.BinarySearch(m.Reporters, r); kept {
			continue
		}
		if err := k.Reporters.Remove(ctx, collections.Join(m.ChainId, r)); err != nil {
			return err
		}
	}
	entry := types.ReporterEntry{OrgId: m.OrgId, Suspended: m.Suspended}
	for _, r := range m.Reporters {
		if err := k.Reporters.Set(ctx, collections.Join(m.ChainId, r), entry); err != nil {
			return err
		}
	}
	return k.Memberships.Set(ctx, key, m)
}

// removeMembership deletes a membership and its accounts from the index.
func (k Keeper) removeMembership(ctx context.Context, m types.Membership) error {
	for _, r := range m.Reporters {
		if err := k.Reporters.Remove(ctx, collections.Join(m.ChainId, r)); err != nil {
			return err
		}
	}
	return k.Memberships.Remove(ctx, collections.Join(m.ChainId, m.OrgId))
}

// AddMember makes an org a participant of a subchain (registry authority).
func (k Keeper) AddMember(ctx context.Context, msg *types.MsgAddMember) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	if _, err := k.activeStatus(ctx, msg.ChainId); err != nil {
		return err
	}
	if _, err := k.getOrg(ctx, msg.OrgId); err != nil {
		return err
	}
	if has, err := k.Memberships.Has(ctx, collections.Join(msg.ChainId, msg.OrgId)); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrAlreadyMember, "org %s on chain %s", msg.OrgId, msg.ChainId)
	}
	m := types.Membership{ChainId: msg.ChainId, OrgId: msg.OrgId, JoinedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight()}
	if err := k.putMembership(ctx, m); err != nil {
		return err
	}
	return emit(ctx, &types.EventMemberAdded{ChainId: msg.ChainId, OrgId: msg.OrgId})
}

// RemoveMember takes an org and its monitoring accounts off a subchain
// (registry authority).
func (k Keeper) RemoveMember(ctx context.Context, msg *types.MsgRemoveMember) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	m, err := k.getMembership(ctx, msg.ChainId, msg.OrgId)
	if err != nil {
		return err
	}
	if err := k.removeMembership(ctx, m); err != nil {
		return err
	}
	return emit(ctx, &types.EventMemberRemoved{ChainId: msg.ChainId, OrgId: msg.OrgId, Reporters: m.Reporters})
}

// GrantReporter lets a monitoring account report for its org on a subchain
// (the org's admin), up to max_reporters_per_membership.
func (k Keeper) GrantReporter(ctx context.Context, msg *types.MsgGrantReporter) error {
	m, err := k.membershipForAdmin(ctx, msg.Admin, msg.ChainId, msg.OrgId)
	if err != nil {
		return err
	}
	if m.Suspended {
		return errorsmod.Wrapf(types.ErrSuspended, "org %s on chain %s: the authority must restore it first", msg.OrgId, msg.ChainId)
	}
	i, found := slices.BinarySearch(m.Reporters, msg.Reporter)
	if found {
		return errorsmod.Wrapf(types.ErrReporterExists, "%s already reports for org %s on chain %s", msg.Reporter, msg.OrgId, msg.ChainId)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if uint32(len(m.Reporters)) >= params.MaxReportersPerMembership {
		return errorsmod.Wrapf(types.ErrTooManyReporters, "org %s on chain %s has %d, at most %d", msg.OrgId, msg.ChainId, len(m.Reporters), params.MaxReportersPerMembership)
	}
	m.Reporters = slices.Insert(m.Reporters, i, msg.Reporter)
	// putMembership refuses an account another org of the subchain lists.
	if err := k.putMembership(ctx, m); err != nil {
		return err
	}
	return emit(ctx, &types.EventReporterGranted{ChainId: msg.ChainId, OrgId: msg.OrgId, Reporter: msg.Reporter})
}

// RevokeReporter takes a monitoring account's rights away (the org's admin).
func (k Keeper) RevokeReporter(ctx context.Context, msg *types.MsgRevokeReporter) error {
	m, err := k.membershipForAdmin(ctx, msg.Admin, msg.ChainId, msg.OrgId)
	if err != nil {
		return err
	}
	i, found := slices.BinarySearch(m.Reporters, msg.Reporter)
	if !found {
		return errorsmod.Wrapf(types.ErrNotReporter, "%s does not report for org %s on chain %s", msg.Reporter, msg.OrgId, msg.ChainId)
	}
	m.Reporters = slices.Delete(m.Reporters, i, i+1)
	if err := k.putMembership(ctx, m); err != nil {
		return err
	}
	return emit(ctx, &types.EventReporterRevoked{ChainId: msg.ChainId, OrgId: msg.OrgId, Reporter: msg.Reporter})
}
