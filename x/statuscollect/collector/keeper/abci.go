package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// EndBlocker marks silent subchains stale (or halted for upgrade), expires
// disputes past their window and prunes expired history. Each walks a queue ordered by time and stop at the first
// entry not yet due or at their per-block cap, so a block's work does not grow
// with the number of subchains or reports; what is left waits for the next
// block. Each item runs in a cache context: a failing item is logged and
// dropped, never allowed to halt the chain.
func (k Keeper) EndBlocker(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := k.checkLiveness(ctx, params); err != nil {
		return err
	}
	if err := k.expireDisputes(ctx, params); err != nil {
		return err
	}
	return k.pruneHistory(ctx, params)
}

func (k Keeper) checkLiveness(ctx context.Context, params types.Params) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime().UnixNano()
	var due []collections.Pair[int64, string]
	err := k.LivenessQueue.Walk(ctx, collections.NewPrefixUntilPairRange[int64, string](now),
		func(key collections.Pair[int64, string]) (bool, error) {
			due = append(due, key)
			return uint32(len(due)) >= params.MaxLivenessChecksPerBlock, nil
		})
	if err != nil {
		return err
	}
	for _, key := range due {
		cacheCtx, write := sdkCtx.CacheContext()
		if err := k.expireDeadline(cacheCtx, key, params); err != nil {
			k.Logger(ctx).Error("liveness check failed", "chain", key.K2(), "err", err)
			// Drop the entry outside the failed cache, or it would be retried forever.
			if err := k.LivenessQueue.Remove(ctx, key); err != nil {
				return err
			}
			continue
		}
		write()
	}
	return nil
}

// expireDeadline handles a subchain whose deadline passed: after an announced
// upgrade it is first shown as halted for upgrade for the grace period, then
// (or without an upgrade) as stale, until its next report.
func (k Keeper) expireDeadline(ctx context.Context, key collections.Pair[int64, string], params types.Params) error {
	if err := k.LivenessQueue.Remove(ctx, key); err != nil {
		return err
	}
	sub, err := k.getSubchain(ctx, key.K2())
	if err != nil {
		return err
	}
	if sub.Liveness == types.LIVENESS_RETIRED || sub.NextReportDue.UnixNano() != key.K1() {
		return nil
	}
	if sub.Liveness != types.LIVENESS_HALTED_FOR_UPGRADE && sub.LastSequence > 0 {
		last, err := k.Reports.Get(ctx, collections.Join(sub.ChainId, sub.LastSequence))
		if err != nil {
			return err
		}
		if up := last.Snapshot.PlannedUpgrade; up != nil {
			sub.Liveness = types.LIVENESS_HALTED_FOR_UPGRADE
			if err := k.setDeadline(ctx, &sub, sub.NextReportDue.Add(params.UpgradeGrace)); err != nil {
				return err
			}
			if err := k.Subchains.Set(ctx, sub.ChainId, sub); err != nil {
				return err
			}
			return emit(ctx, &types.EventSubchainHaltedForUpgrade{
				ChainId: sub.ChainId, LastHeight: sub.LastHeight, UpgradeName: up.Name, UpgradeHeight: up.Height,
			})
		}
	}
	sub.Liveness = types.LIVENESS_STALE
	if err := k.Subchains.Set(ctx, sub.ChainId, sub); err != nil {
		return err
	}
	return emit(ctx, &types.EventSubchainStale{
		ChainId: sub.ChainId, LastHeight: sub.LastHeight, LastReportTime: sub.LastReportTime, Due: sub.NextReportDue,
	})
}

// pruneHistory deletes reports and contract changes recorded more than
// history_retention ago, oldest first, at most max_prunes_per_block of both
// together.
func (k Keeper) pruneHistory(ctx context.Context, params types.Params) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	cutoff := now.Add(-params.HistoryRetention).UnixNano()
	expired, err := dueKeys(ctx, k.PruneQueue, cutoff, params.MaxPrunesPerBlock)
	if err != nil {
		return err
	}
	for _, key := range expired {
		cacheCtx, write := sdkCtx.CacheContext()
		if err := k.pruneReport(cacheCtx, key, now.UnixNano()); err != nil {
			k.Logger(ctx).Error("pruning report failed", "chain", key.K2(), "sequence", key.K3(), "err", err)
			if err := k.PruneQueue.Remove(ctx, key); err != nil {
				return err
			}
			continue
		}
		write()
	}
	changes, err := dueKeys(ctx, k.ContractPruneQueue, cutoff, params.MaxPrunesPerBlock-uint32(len(expired)))
	if err != nil {
		return err
	}
	for _, key := range changes {
		if err := k.ContractPruneQueue.Remove(ctx, key); err != nil {
			return err
		}
		if err := k.ContractChanges.Remove(ctx, collections.Join(key.K2(), key.K3())); err != nil {
			return err
		}
	}
	return nil
}

// dueKeys returns up to limit keys of a time-ordered queue due by cutoff.
func dueKeys(ctx context.Context, queue collections.KeySet[collections.Triple[int64, string, uint64]], cutoff int64, limit uint32,
) ([]collections.Triple[int64, string, uint64], error) {
	if limit == 0 {
		return nil, nil
	}
	var due []collections.Triple[int64, string, uint64]
	err := queue.Walk(ctx, collections.NewPrefixUntilTripleRange[int64, string, uint64](cutoff),
		func(key collections.Triple[int64, string, uint64]) (bool, error) {
			due = append(due, key)
			return uint32(len(due)) >= limit, nil
		})
	return due, err
}

// pruneReport deletes an expired report, except a subchain's latest, which
// the next report is diffed against: that one waits another retention period.
func (k Keeper) pruneReport(ctx context.Context, key collections.Triple[int64, string, uint64], now int64) error {
	if err := k.PruneQueue.Remove(ctx, key); err != nil {
		return err
	}
	chainID, seq := key.K2(), key.K3()
	sub, err := k.getSubchain(ctx, chainID)
	if err != nil {
		return err
	}
	if seq == sub.LastSequence {
		return k.PruneQueue.Set(ctx, collections.Join3(now, chainID, seq))
	}
	report, err := k.Reports.Get(ctx, collections.Join(chainID, seq))
	if err != nil {
		return err
	}
	if err := k.Reports.Remove(ctx, collections.Join(chainID, seq)); err != nil {
		return err
	}
	// The height may since name a later report of the same height (the
	// subchain's own over IBC after an org's): that entry stays.
	at, err := k.ReportsByHeight.Get(ctx, collections.Join(chainID, report.Snapshot.Height))
	if err != nil || at != seq {
		return nil
	}
	return k.ReportsByHeight.Remove(ctx, collections.Join(chainID, report.Snapshot.Height))
}
