package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// EndBlocker takes a snapshot every report_interval blocks, keeps it in the
// ring, and sends it when due. Between those heights it sends a snapshot at
// once when a contract is waiting and the last report is an interval old
// (promptDue): a new contract then reaches the main chain a relay after its
// block, not after the next interval. That snapshot is sent but not kept:
// the ring and the transaction window stay one per interval, the heights an
// org's report by tx may take and a dispute checks.
//
// Snapshot and send each run in a cache context: a failure is logged and the
// work retried at the next interval, never allowed to halt the chain; a
// failed send does not lose the snapshot.
func (k Keeper) EndBlocker(ctx context.Context) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	onInterval := sdkCtx.BlockHeight()%int64(params.ReportInterval) == 0
	if !onInterval {
		due, err := k.promptDue(ctx, sdkCtx.BlockHeight(), params)
		if err != nil {
			k.Logger(ctx).Error("checking for a prompt status report failed", "height", sdkCtx.BlockHeight(), "err", err)
			return nil
		}
		if !due {
			return nil
		}
	}
	cacheCtx, write := sdkCtx.CacheContext()
	snap, err := k.TakeSnapshot(cacheCtx)
	if err == nil && onInterval {
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

// promptDue reports whether a block between snapshot heights should send a
// report: a contract is pending, no report is in flight, the channel is
// bound, and the last report sent (answered or lost) is at least one
// interval old. The interval rule keeps the sidecar at one report per
// report_interval blocks at most, so the main chain's load per subchain does
// not grow with how often contracts are created. The first report waits for
// a snapshot height. It reads the link, and only if a contract is pending,
// the channel and the last snapshot sent.
func (k Keeper) promptDue(ctx context.Context, height int64, params types.Params) (bool, error) {
	l, err := k.link(ctx)
	if err != nil || l.InFlight != nil || l.PendingContracts == 0 {
		return false, err
	}
	if ch, err := k.channelID(ctx); err != nil || ch == "" {
		return false, err
	}
	last, err := k.LastSent.Get(ctx)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return height-last.Height >= int64(params.ReportInterval), nil
}
