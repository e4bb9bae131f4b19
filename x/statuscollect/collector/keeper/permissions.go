package keeper

import (
	"context"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// Who may do what: every permission check of the collector is in this file.
// Each keeper method behind a Msg calls one of these first and writes nothing
// before it passes.
//
//	governance authority             params
//	authority or consortium admin    the registry, client binding, restoring an org
//	org admin                        the org's monitoring accounts on a subchain
//	monitoring account               its org's reports on its subchain
//	org admin or monitoring account  disputes for its org, unless it is suspended
//	authority, admin or arbiter      resolving disputes
//	the subchain's status channel    its own reports and evidence (relay.go: boundChain)

// checkGovAuthority allows the governance authority only.
func (k Keeper) checkGovAuthority(signer string) error {
	if signer != k.authority {
		return errorsmod.Wrapf(types.ErrUnauthorized, "only the governance authority %s changes params, not %s", k.authority, signer)
	}
	return nil
}

// checkRegistryAuthority allows the governance authority and, when set, the
// params' admin: the two who may manage the registry.
func (k Keeper) checkRegistryAuthority(ctx context.Context, signer string) error {
	if signer == k.authority {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if params.Admin != "" && signer == params.Admin {
		return nil
	}
	return errorsmod.Wrapf(types.ErrUnauthorized, "%s is neither the governance authority nor the consortium admin", signer)
}

// membershipForAdmin loads a membership after checking that signer is the
// org's admin.
func (k Keeper) membershipForAdmin(ctx context.Context, signer, chainID, orgID string) (types.Membership, error) {
	org, err := k.getOrg(ctx, orgID)
	if err != nil {
		return types.Membership{}, err
	}
	if org.Admin != signer {
		return types.Membership{}, errorsmod.Wrapf(types.ErrNotOrgAdmin, "%s is not the admin of org %s", signer, orgID)
	}
	return k.getMembership(ctx, chainID, orgID)
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

// checkFiler requires signer to be the org's admin or one of its monitoring
// accounts, and the org to be a member of the subchain whose reporting there
// is not suspended.
func (k Keeper) checkFiler(ctx context.Context, signer, chainID, orgID string) error {
	org, err := k.getOrg(ctx, orgID)
	if err != nil {
		return err
	}
	m, err := k.getMembership(ctx, chainID, orgID)
	if err != nil {
		return err
	}
	if signer != org.Admin {
		if _, found := slices.BinarySearch(m.Reporters, signer); !found {
			return errorsmod.Wrapf(types.ErrNotFiler, "%s for org %s", signer, orgID)
		}
	}
	// An org whose own report was proven wrong may not turn on the others
	// until the authority restores it.
	if m.Suspended {
		return errorsmod.Wrapf(types.ErrSuspended, "org %s on chain %s may not file disputes", orgID, chainID)
	}
	return nil
}

// checkArbiter allows the governance authority, the admin and the arbiters.
func (k Keeper) checkArbiter(ctx context.Context, signer string) error {
	if err := k.checkRegistryAuthority(ctx, signer); err == nil {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if slices.Contains(params.Arbiters, signer) {
		return nil
	}
	return errorsmod.Wrapf(types.ErrUnauthorized, "%s is not the authority, the admin or an arbiter", signer)
}
