package keeper

import (
	"context"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

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

// reporterOrg returns the member org a monitoring account reports for on a
// subchain: ErrNotReporter if it is listed by none, ErrSuspended if its org's
// reporting there is suspended.
func (k Keeper) reporterOrg(ctx context.Context, chainID, account string) (string, error) {
	entry, err := k.Reporters.Get(ctx, collections.Join(chainID, account))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return "", errorsmod.Wrapf(types.ErrNotReporter, "%s on chain %s", account, chainID)
	} else if err != nil {
		return "", err
	}
	if entry.Suspended {
		return "", errorsmod.Wrapf(types.ErrSuspended, "org %s on chain %s, for which %s reports", entry.OrgId, chainID, account)
	}
	return entry.OrgId, nil
}
