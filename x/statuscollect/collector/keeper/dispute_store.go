package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// A dispute and its indexes are written here only: putDispute and
// deleteDispute keep the by-chain and by-status indexes, the dispute queue and
// each org's count of open disputes in line with the dispute itself, for every
// caller (filing, evidence, resolution, expiry, pruning, genesis).

// disputeQueue is the queue a dispute waits in, and its key there: an open
// dispute in the dispute queue until it expires, a closed one in the prune
// queue until it leaves the history. Both are keyed by the dispute's
// expiry, a time in the record itself, so genesis rebuilds them exactly and a
// change of history_retention applies when the prune queue is drained.
func (k Keeper) disputeQueue(d types.Dispute) (collections.KeySet[collections.Pair[int64, uint64]], collections.Pair[int64, uint64]) {
	key := collections.Join(d.ExpiresAt.UnixNano(), d.Id)
	if d.Status == types.DISPUTE_STATUS_OPEN {
		return k.DisputeQueue, key
	}
	return k.DisputePruneQueue, key
}

func statusKey(d types.Dispute) collections.Pair[collections.Pair[string, int32], uint64] {
	return collections.Join(collections.Join(d.ChainId, int32(d.Status)), d.Id)
}

// putDispute stores a new dispute, or an open one that was closed.
func (k Keeper) putDispute(ctx context.Context, d types.Dispute) error {
	prev, err := k.Disputes.Get(ctx, d.Id)
	switch {
	case err == nil:
		if err := k.unindexDispute(ctx, prev); err != nil {
			return err
		}
	case !errorsmod.IsOf(err, collections.ErrNotFound):
		return err
	}
	if err := k.Disputes.Set(ctx, d.Id, d); err != nil {
		return err
	}
	if err := k.DisputesByChain.Set(ctx, collections.Join(d.ChainId, d.Id)); err != nil {
		return err
	}
	if err := k.DisputesByStatus.Set(ctx, statusKey(d)); err != nil {
		return err
	}
	if queue, key := k.disputeQueue(d); true {
		if err := queue.Set(ctx, key); err != nil {
			return err
		}
	}
	if d.Status == types.DISPUTE_STATUS_OPEN {
		return k.addOpenDisputes(ctx, d.FilerOrg, 1)
	}
	return nil
}

// deleteDispute removes a dispute that left the history.
func (k Keeper) deleteDispute(ctx context.Context, d types.Dispute) error {
	if err := k.unindexDispute(ctx, d); err != nil {
		return err
	}
	if err := k.DisputesByChain.Remove(ctx, collections.Join(d.ChainId, d.Id)); err != nil {
		return err
	}
	return k.Disputes.Remove(ctx, d.Id)
}

func (k Keeper) unindexDispute(ctx context.Context, d types.Dispute) error {
	if err := k.DisputesByStatus.Remove(ctx, statusKey(d)); err != nil {
		return err
	}
	if queue, key := k.disputeQueue(d); true {
		if err := queue.Remove(ctx, key); err != nil {
			return err
		}
	}
	if d.Status == types.DISPUTE_STATUS_OPEN {
		return k.addOpenDisputes(ctx, d.FilerOrg, -1)
	}
	return nil
}

// addOpenDisputes moves an org's count of open disputes; a count of zero is
// not stored, so the store holds the same whether or not an org ever filed.
func (k Keeper) addOpenDisputes(ctx context.Context, orgID string, delta int64) error {
	open, err := k.openDisputes(ctx, orgID)
	if err != nil {
		return err
	}
	n := max(int64(open)+delta, 0)
	if n == 0 {
		return k.OpenDisputes.Remove(ctx, orgID)
	}
	return k.OpenDisputes.Set(ctx, orgID, uint32(n))
}

func (k Keeper) openDisputes(ctx context.Context, orgID string) (uint32, error) {
	n, err := k.OpenDisputes.Get(ctx, orgID)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return 0, nil
	}
	return n, err
}

// expireDispute closes an open dispute whose window passed.
func (k Keeper) expireDispute(ctx context.Context, key collections.Pair[int64, uint64]) error {
	if err := k.DisputeQueue.Remove(ctx, key); err != nil {
		return err
	}
	return k.closeDispute(ctx, key.K2(), types.DISPUTE_STATUS_EXPIRED, "", "dispute window passed")
}

// pruneDispute deletes a closed dispute that left the history.
func (k Keeper) pruneDispute(ctx context.Context, key collections.Pair[int64, uint64]) error {
	if err := k.DisputePruneQueue.Remove(ctx, key); err != nil {
		return err
	}
	d, err := k.Disputes.Get(ctx, key.K2())
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	return k.deleteDispute(ctx, d)
}
