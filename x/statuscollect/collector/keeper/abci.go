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

// pruneHistory deletes reports recorded more than history_retention ago,
// each with its own contract changes, oldest first, then changes queued on
// their own (stored before version 3 without their report), at most
// max_prunes_per_block reports and queued changes together.
func (k Keeper) pruneHistory(ctx context.Context, params types.Params) error {
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	cutoff := now.Add(-params.HistoryRetention).UnixNano()
	pruned, err := drainQueue(ctx, k, "pruning report", k.PruneQueue, collections.NewPrefixUntilTripleRange[int64, string, uint64](cutoff),
		params.MaxPrunesPerBlock, func(ctx context.Context, key collections.Triple[int64, string, uint64]) error {
			return k.pruneReport(ctx, key)
		})
	if err != nil {
		return err
	}
	_, err = drainQueue(ctx, k, "pruning contract change", k.ContractPruneQueue, collections.NewPrefixUntilTripleRange[int64, string, uint64](cutoff),
		params.MaxPrunesPerBlock-pruned, k.pruneContractChange)
	return err
}

// pruneReport deletes an expired report (a subchain's latest is never
// queued: see putReport) with its own contract changes; the report after it
// is stored as if it followed the report before it (releaseLists).
func (k Keeper) pruneReport(ctx context.Context, key collections.Triple[int64, string, uint64]) error {
	if err := k.PruneQueue.Remove(ctx, key); err != nil {
		return err
	}
	chainID, seq := key.K2(), key.K3()
	report, err := k.Reports.Get(ctx, collections.Join(chainID, seq))
	if err != nil {
		return err
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
