package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// EndBlocker takes a snapshot every report_interval blocks, keeps it in the
// ring, and sends it when due. Snapshot and send each run in a cache context:
// a failure is logged and the work retried at the next interval, never
// allowed to halt the chain; a failed send does not lose the snapshot.
func (k Keeper) EndBlocker(ctx context.Context) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if sdkCtx.BlockHeight()%int64(params.ReportInterval) != 0 {
		return nil
	}
	cacheCtx, write := sdkCtx.CacheContext()
	snap, err := k.TakeSnapshot(cacheCtx)
	if err == nil {
		err = k.recordSnapshot(cacheCtx, snap, params)
	}
	if err != nil {
		k.Logger(ctx).Error("status snapshot failed", "height", sdkCtx.BlockHeight(), "err", err)
		return nil
	}
	write()
	cacheCtx, write = sdkCtx.CacheContext()
	if err := k.maybeSend(cacheCtx, snap, params); err != nil {
		k.Logger(ctx).Error("sending status report failed", "height", sdkCtx.BlockHeight(), "err", err)
		return nil
	}
	write()
	return nil
}
