package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// drainQueue handles up to limit entries of a queue ordered by time, those
// in rng (the entries due), oldest first. Each entry is handled in a cache
// context: one that fails is logged and taken out of the queue, so it is not
// retried forever and never halts the chain. It returns how many it took.
// Every EndBlocker queue goes through here, so every one is bounded by its
// per-block param.
func drainQueue[K any](ctx context.Context, k Keeper, what string, queue collections.KeySet[K], rng collections.Ranger[K],
	limit uint32, handle func(ctx context.Context, key K) error,
) (uint32, error) {
	if limit == 0 {
		return 0, nil
	}
	var due []K
	err := queue.Walk(ctx, rng, func(key K) (bool, error) {
		due = append(due, key)
		return uint32(len(due)) >= limit, nil
	})
	if err != nil {
		return 0, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for _, key := range due {
		cacheCtx, write := sdkCtx.CacheContext()
		if err := handle(cacheCtx, key); err != nil {
			k.Logger(ctx).Error(what+" failed", "key", key, "err", err)
			if err := queue.Remove(ctx, key); err != nil {
				return 0, err
			}
			continue
		}
		write()
	}
	return uint32(len(due)), nil
}
