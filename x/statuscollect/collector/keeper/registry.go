package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// RegisterSubchain registers a subchain and, when the Msg names one, binds
// its client (registry authority).
func (k Keeper) RegisterSubchain(ctx context.Context, msg *types.MsgRegisterSubchain) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	// The client is checked before anything is written: a refused
	// registration leaves no trace, not even in the events.
	if msg.ClientId != "" {
		if err := k.checkClient(ctx, msg.ChainId, msg.ClientId); err != nil {
			return err
		}
	}
	sub := types.Subchain{ChainId: msg.ChainId, Name: msg.Name, Kind: msg.Kind, ReportInterval: msg.ReportInterval}
	if err := k.addSubchain(ctx, sub); err != nil {
		return err
	}
	if msg.ClientId == "" {
		return nil
	}
	return k.bindClient(ctx, msg.ChainId, msg.ClientId)
}

// RetireSubchain stops following a subchain (registry authority): it takes
// no more reports and leaves the liveness queue; its history stays until
// pruned.
func (k Keeper) RetireSubchain(ctx context.Context, msg *types.MsgRetireSubchain) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	sub, err := k.activeStatus(ctx, msg.ChainId)
	if err != nil {
		return err
	}
	if err := k.LivenessQueue.Remove(ctx, dueKey(sub)); err != nil {
		return err
	}
	sub.Liveness = types.LIVENESS_RETIRED
	if err := k.setStatus(ctx, sub); err != nil {
		return err
	}
	return emit(ctx, &types.EventSubchainRetired{ChainId: sub.ChainId})
}

// RegisterOrg registers an organization (registry authority).
func (k Keeper) RegisterOrg(ctx context.Context, msg *types.MsgRegisterOrg) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	return k.addOrg(ctx, types.Organization{Id: msg.OrgId, Name: msg.Name, Admin: msg.Admin})
}

// addSubchain registers a new subchain, awaiting its first report, with its
// first deadline set from now.
func (k Keeper) addSubchain(ctx context.Context, sub types.Subchain) error {
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

// addOrg registers a new organization.
func (k Keeper) addOrg(ctx context.Context, org types.Organization) error {
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
