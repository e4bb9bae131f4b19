package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// InitGenesis loads a validated genesis.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, o := range gs.Orgs {
		if err := k.Orgs.Set(ctx, o); err != nil {
			return err
		}
	}
	if gs.ChannelId != "" {
		if err := k.Channel.Set(ctx, gs.ChannelId); err != nil {
			return err
		}
	}
	if gs.TxTotal > 0 {
		if err := k.TxTotal.Set(ctx, gs.TxTotal); err != nil {
			return err
		}
	}
	if gs.Window != nil {
		if err := k.Window.Set(ctx, *gs.Window); err != nil {
			return err
		}
	}
	if gs.LastSent != nil {
		if err := k.LastSent.Set(ctx, *gs.LastSent); err != nil {
			return err
		}
	}
	if gs.Link != nil {
		if err := k.Link.Set(ctx, *gs.Link); err != nil {
			return err
		}
	}
	for _, c := range gs.PendingContracts {
		if err := k.PendingContracts.Set(ctx, c.Address, c); err != nil {
			return err
		}
	}
	for _, s := range gs.Snapshots {
		if err := k.Snapshots.Set(ctx, s.Height, s); err != nil {
			return err
		}
	}
	for _, d := range gs.DisputedReports {
		if err := k.Disputed.Set(ctx, collections.Join(d.Height, d.MainSequence)); err != nil {
			return err
		}
	}
	if gs.MainClientId != "" {
		if err := k.MainClient.Set(ctx, gs.MainClientId); err != nil {
			return err
		}
	}
	return k.initContractCount(ctx)
}

// initContractCount counts the engine's contracts once, at genesis: the
// engine's own genesis must have run first (the app orders x/wasm's genesis
// before the reporter's). The count is not part of the reporter's genesis
// file: it is always derived from the engine's, so an exported and
// re-imported chain cannot carry a count that disagrees with its contracts.
// From here on NoteNewContract moves it.
func (k Keeper) initContractCount(ctx context.Context) error {
	if k.contracts == nil {
		return nil
	}
	n, err := k.contracts.CountContracts(ctx)
	if err != nil {
		return fmt.Errorf("counting the genesis contracts: %w", err)
	}
	return k.ContractCount.Set(ctx, n)
}

// ExportGenesis exports all state.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if gs.Orgs, err = collx.Keys(ctx, k.Orgs); err != nil {
		return nil, err
	}
	if gs.ChannelId, err = k.channelID(ctx); err != nil {
		return nil, err
	}
	if gs.TxTotal, err = collx.Optional(ctx, k.TxTotal); err != nil {
		return nil, err
	}
	if w, err := collx.Optional(ctx, k.Window); err != nil {
		return nil, err
	} else if w.Height > 0 {
		gs.Window = &w
	}
	if s, err := collx.Optional(ctx, k.LastSent); err != nil {
		return nil, err
	} else if s.Height > 0 {
		gs.LastSent = &s
	}
	if has, err := k.Link.Has(ctx); err != nil {
		return nil, err
	} else if has {
		l, err := k.Link.Get(ctx)
		if err != nil {
			return nil, err
		}
		gs.Link = &l
	}
	if gs.PendingContracts, err = collx.Values(ctx, k.PendingContracts); err != nil {
		return nil, err
	}
	if gs.Snapshots, err = collx.Values(ctx, k.Snapshots); err != nil {
		return nil, err
	}
	disputed, err := collx.Keys(ctx, k.Disputed)
	if err != nil {
		return nil, err
	}
	for _, d := range disputed {
		gs.DisputedReports = append(gs.DisputedReports, types.DisputedReport{Height: d.K1(), MainSequence: d.K2()})
	}
	if gs.MainClientId, err = k.mainClientID(ctx); err != nil {
		return nil, err
	}
	return gs, nil
}
