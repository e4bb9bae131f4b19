package keeper

import (
	"context"

	"cosmossdk.io/collections"
)

// PruneEvery is pruneEvery, for the tests of package keeper_test.
const PruneEvery = pruneEvery

// PruneReport prunes one stored report, whatever its place: the tests
// that prune in any order (only a failed prune or a hand-made genesis
// leaves reports pruned out of order) call it directly.
func (k Keeper) PruneReport(ctx context.Context, chainID string, seq uint64) error {
	report, err := k.Reports.Get(ctx, collections.Join(chainID, seq))
	if err != nil {
		return err
	}
	return k.pruneReport(ctx, chainID, seq, report)
}
