package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// AddSubchain registers a new subchain, awaiting its first report, with its
// first deadline set from now.
func (k Keeper) AddSubchain(ctx context.Context, sub types.Subchain) error {
	if has, err := k.Subchains.Has(ctx, sub.ChainId); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrSubchainExists, "chain %s", sub.ChainId)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	sub.Liveness = types.LIVENESS_AWAITING_FIRST_REPORT
	sub.RegisteredHeight = sdkCtx.BlockHeight()
	sub.NextReportDue = sdkCtx.BlockTime().Add(staleAfter(sub, params))
	if err := k.LivenessQueue.Set(ctx, dueKey(sub)); err != nil {
		return err
	}
	if err := k.Subchains.Set(ctx, sub.ChainId, sub); err != nil {
		return err
	}
	return emit(ctx, &types.EventSubchainRegistered{ChainId: sub.ChainId, Name: sub.Name, Kind: sub.Kind})
}

// AddOrg registers a new organization.
func (k Keeper) AddOrg(ctx context.Context, org types.Organization) error {
	if has, err := k.Orgs.Has(ctx, org.Id); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrOrgExists, "org %s", org.Id)
	}
	if err := k.Orgs.Set(ctx, org.Id, org); err != nil {
		return err
	}
	return emit(ctx, &types.EventOrgRegistered{OrgId: org.Id, Name: org.Name, Admin: org.Admin})
}
