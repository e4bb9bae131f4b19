package keeper

import "context"

// TrimRing exposes trimRing to the package's external tests.
func (k Keeper) TrimRing(ctx context.Context, cutoff int64) error { return k.trimRing(ctx, cutoff) }
