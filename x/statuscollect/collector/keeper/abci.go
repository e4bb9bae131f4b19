package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// EndBlocker marks silent subchains stale (or halted for upgrade), expires
// disputes past their window and prunes expired history and disputes. Each
// drains a queue ordered by time (drainQueue), stopping at the first entry not
// yet due or at its per-block cap, so a block's work does not grow with the
// number of subchains, reports or disputes; what is left waits for the next
// block.
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
	now := sdk.UnwrapSDKContext(ctx).BlockTime().UnixNano()
	_, err := drainQueue(ctx, k, "liveness check", k.LivenessQueue, collections.NewPrefixUntilPairRange[int64, string](now),
		params.MaxLivenessChecksPerBlock, func(ctx context.Context, key collections.Pair[int64, string]) error {
			return k.expireDeadline(ctx, key, params)
		})
	return err
}

// expireDeadline handles a subchain whose deadline passed: after an announced
// upgrade it is first shown as halted for upgrade for the grace period, then
// (or without an upgrade) as stale, until its next report.
func (k Keeper) expireDeadline(ctx context.Context, key collections.Pair[int64, string], params types.Params) error {
	if err := k.LivenessQueue.Remove(ctx, key); err != nil {
		return err
	}
	sub, err := k.subchainStatus(ctx, key.K2())
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
			if err := k.setStatus(ctx, sub); err != nil {
				return err
			}
			return emit(ctx, &types.EventSubchainHaltedForUpgrade{
				ChainId: sub.ChainId, LastHeight: sub.LastHeight, UpgradeName: up.Name, UpgradeHeight: up.Height,
			})
		}
	}
	sub.Liveness = types.LIVENESS_STALE
	if err := k.setStatus(ctx, sub); err != nil {
		return err
	}
	return emit(ctx, &types.EventSubchainStale{
		ChainId: sub.ChainId, LastHeight: sub.LastHeight, LastReportTime: sub.LastReportTime, Due: sub.NextReportDue,
	})
}

// pruneHistory deletes reports recorded more than history_retention ago,
// each with its own contract changes, oldest first, then changes queued on
// their own (stored before version 3 without their report), at most
// max_prunes_per_block reports and queued changes together. A report is
// pruned when the next prune checkpoint of its subchain comes due
// (pruneCheckpoint in report.go), with the reports before it.
func (k Keeper) pruneHistory(ctx context.Context, params types.Params) error {
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	cutoff := now.Add(-params.HistoryRetention).UnixNano()
	budget := params.MaxPrunesPerBlock
	// Each due checkpoint prunes at least one report, or is dropped: the
	// budget bounds both the checkpoints read and the reports pruned.
	var due []collections.Triple[int64, string, uint64]
	if err := k.PruneQueue.Walk(ctx, collections.NewPrefixUntilTripleRange[int64, string, uint64](cutoff),
		func(key collections.Triple[int64, string, uint64]) (bool, error) {
			due = append(due, key)
			return uint32(len(due)) >= budget, nil
		}); err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for _, key := range due {
		if budget == 0 {
			break
		}
		cacheCtx, write := sdkCtx.CacheContext()
		n, err := k.pruneThrough(cacheCtx, key, budget)
		if err != nil {
			// As drainQueue does: a checkpoint that fails is logged and
			// dropped, never retried forever; the subchain's next
			// checkpoint prunes what it left.
			k.Logger(ctx).Error("pruning reports failed", "key", key, "err", err)
			if err := k.PruneQueue.Remove(ctx, key); err != nil {
				return err
			}
			continue
		}
		write()
		budget -= n
	}
	_, err := drainQueue(ctx, k, "pruning contract change", k.ContractPruneQueue, collections.NewPrefixUntilTripleRange[int64, string, uint64](cutoff),
		budget, k.pruneContractChange)
	return err
}

// pruneThrough prunes a subchain's stored reports from its oldest through
// the checkpoint's report, at most budget of them; the checkpoint leaves the
// queue with its report. All were recorded no later than the
// checkpoint's report (a subchain's reports are recorded in order), and it is
// never the latest, so neither is any of them. It returns how many it pruned.
func (k Keeper) pruneThrough(ctx context.Context, checkpoint collections.Triple[int64, string, uint64], budget uint32) (uint32, error) {
	chainID, through := checkpoint.K2(), checkpoint.K3()
	var batch []uint64
	it, err := k.Reports.Iterate(ctx, collections.NewPrefixedPairRange[string, uint64](chainID).EndInclusive(through))
	if err != nil {
		return 0, err
	}
	for ; it.Valid() && uint32(len(batch)) < budget; it.Next() {
		key, err := it.Key()
		if err != nil {
			it.Close()
			return 0, err
		}
		batch = append(batch, key.K2())
	}
	if err := it.Close(); err != nil {
		return 0, err
	}
	for _, seq := range batch {
		// Read each when its turn comes: pruning one may rewrite the next
		// (releaseLists).
		report, err := k.Reports.Get(ctx, collections.Join(chainID, seq))
		if err != nil {
			return 0, err
		}
		if err := k.pruneReport(ctx, chainID, seq, report); err != nil {
			return 0, err
		}
	}
	if len(batch) == 0 {
		// Its report is gone already (pruneReport takes a checkpoint out
		// with its report).
		if err := k.PruneQueue.Remove(ctx, checkpoint); err != nil {
			return 0, err
		}
	}
	return uint32(len(batch)), nil
}

// pruneReport deletes a report with its own contract changes and, if it is
// a prune checkpoint, its place in the queue; the report after it is stored
// as if it followed the report before it (releaseLists), so reports may be
// pruned in any order.
func (k Keeper) pruneReport(ctx context.Context, chainID string, seq uint64, report types.StoredReport) error {
	if pruneCheckpoint(seq) {
		if err := k.PruneQueue.Remove(ctx, collections.Join3(report.MainTime.UnixNano(), chainID, seq)); err != nil {
			return err
		}
	}
	if err := k.releaseLists(ctx, chainID, seq, report); err != nil {
		return err
	}
	// Its own contract changes go with it: at most the snapshot's limit of
	// new contracts.
	for i := range uint64(report.ContractChanges) {
		if err := k.removeContractChange(ctx, chainID, report.FirstContractChange+i); err != nil {
			return err
		}
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
