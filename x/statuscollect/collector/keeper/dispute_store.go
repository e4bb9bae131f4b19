package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// A dispute and its indexes are written here only: putDispute and
// deleteDispute keep the by-chain and by-status indexes, the dispute queue and
// each org's count of open disputes in line with the dispute itself, for every
// caller (filing, evidence, resolution, expiry, pruning, genesis).

// disputeDue is a dispute's place in the dispute queue: an open dispute at
// its expiry, a closed one when it leaves the history, history_retention
// after its expiry (for one settled by evidence, after its settlement).
func disputeDue(d types.Dispute, retention time.Duration) collections.Pair[int64, uint64] {
	at := d.ExpiresAt
	if d.Status != types.DISPUTE_STATUS_OPEN {
		at = at.Add(retention)
	}
	return collections.Join(at.UnixNano(), d.Id)
}

func statusKey(d types.Dispute) collections.Pair[collections.Pair[string, int32], uint64] {
	return collections.Join(collections.Join(d.ChainId, int32(d.Status)), d.Id)
}

// putDispute stores a new dispute, or an open one that was closed.
func (k Keeper) putDispute(ctx context.Context, d types.Dispute, retention time.Duration) error {
	prev, err := k.Disputes.Get(ctx, d.Id)
	switch {
	case err == nil:
		if err := k.unindexDispute(ctx, prev, retention); err != nil {
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
	if err := k.DisputeQueue.Set(ctx, disputeDue(d, retention)); err != nil {
		return err
	}
	if d.Status == types.DISPUTE_STATUS_OPEN {
		return k.addOpenDisputes(ctx, d.FilerOrg, 1)
	}
	return nil
}

// deleteDispute removes a dispute that left the history.
func (k Keeper) deleteDispute(ctx context.Context, d types.Dispute, retention time.Duration) error {
	if err := k.unindexDispute(ctx, d, retention); err != nil {
		return err
	}
	if err := k.DisputesByChain.Remove(ctx, collections.Join(d.ChainId, d.Id)); err != nil {
		return err
	}
	return k.Disputes.Remove(ctx, d.Id)
}

func (k Keeper) unindexDispute(ctx context.Context, d types.Dispute, retention time.Duration) error {
	if err := k.DisputesByStatus.Remove(ctx, statusKey(d)); err != nil {
		return err
	}
	if err := k.DisputeQueue.Remove(ctx, disputeDue(d, retention)); err != nil {
		return err
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

// onDisputeDue handles a dispute whose time in the queue came: an open one
// expires (and is queued again for pruning), a closed one leaves the history.
// An entry that no longer matches its dispute (history_retention changed
// since it was queued) is moved to the dispute's current time.
func (k Keeper) onDisputeDue(ctx context.Context, key collections.Pair[int64, uint64], params types.Params, now time.Time) error {
	if err := k.DisputeQueue.Remove(ctx, key); err != nil {
		return err
	}
	d, err := k.Disputes.Get(ctx, key.K2())
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if due := disputeDue(d, params.HistoryRetention); due.K1() > now.UnixNano() {
		return k.DisputeQueue.Set(ctx, due)
	}
	if d.Status == types.DISPUTE_STATUS_OPEN {
		return k.closeDispute(ctx, d.Id, types.DISPUTE_STATUS_EXPIRED, "", "dispute window passed")
	}
	return k.deleteDispute(ctx, d, params.HistoryRetention)
}
