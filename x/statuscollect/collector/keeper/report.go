package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// RecordReport accepts a subchain's status snapshot: it validates it, refuses
// one not newer than the latest, stores it with its change set against the
// previous report, moves the subchain's liveness deadline and emits the events.
// Both doors, a tx of a monitoring account and an IBC packet (through
// RecordIBCReport), end here; the caller has already established that source
// may speak for snap.ChainId.
func (k Keeper) RecordReport(ctx context.Context, source types.ReportSource, snap shared.StatusSnapshot) (uint64, error) {
	return k.recordReport(ctx, source, snap, 0)
}

// RecordIBCReport records a report the subchain sent over its status channel,
// and the snapshot interval it names (see Subchain.snapshot_every).
func (k Keeper) RecordIBCReport(ctx context.Context, channelID string, r shared.StatusReport) (uint64, error) {
	return k.recordReport(ctx, types.ReportSource{ChannelId: channelID, IbcSequence: r.Sequence}, *r.Snapshot, r.SnapshotEvery)
}

func (k Keeper) recordReport(ctx context.Context, source types.ReportSource, snap shared.StatusSnapshot, snapshotEvery uint32) (uint64, error) {
	if err := snap.Validate(); err != nil {
		return 0, err
	}
	chainID := snap.ChainId
	sub, err := k.getSubchain(ctx, chainID)
	if err != nil {
		return 0, err
	}
	if sub.Liveness == types.LIVENESS_RETIRED {
		return 0, errorsmod.Wrapf(types.ErrSubchainRetired, "chain %s", chainID)
	}
	var (
		prev     *shared.StatusSnapshot
		prevTime time.Time
	)
	if sub.LastSequence > 0 {
		// A report over IBC is the subchain's own consensus: only its own
		// earlier reports bound it, so no org's report, however far ahead it
		// claims to be, can have it refused. A report by tx must be newer
		// than the latest report of any source.
		floor, of := sub.LastHeight, "latest report"
		if source.ChannelId != "" {
			floor, of = sub.LastIbcHeight, "latest report over IBC"
		}
		if snap.Height <= floor {
			return 0, errorsmod.Wrapf(types.ErrOutdatedReport, "chain %s: height %d, %s is at %d", chainID, snap.Height, of, floor)
		}
		last, err := k.Reports.Get(ctx, collections.Join(chainID, sub.LastSequence))
		if err != nil {
			return 0, errorsmod.Wrapf(err, "latest report %d of chain %s", sub.LastSequence, chainID)
		}
		prev, prevTime = &last.Snapshot, last.MainTime
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	if source.ChannelId == "" {
		if err := plausible(params, now, prev, snap); err != nil {
			return 0, errorsmod.Wrapf(err, "chain %s", chainID)
		}
		// Only a height the sidecar snapshots can be checked against the
		// subchain's own record (MsgDisputeReport): take no other.
		if every := int64(sub.SnapshotEvery); every > 0 && snap.Height%every != 0 {
			return 0, errorsmod.Wrapf(types.ErrUncheckable, "chain %s: height %d; its sidecar snapshots every %d blocks (heights %d, %d, ...)",
				chainID, snap.Height, every, snap.Height-snap.Height%every, snap.Height-snap.Height%every+every)
		}
	}
	report := types.Report{
		ChainId:    chainID,
		Sequence:   sub.LastSequence + 1,
		Source:     source,
		Snapshot:   snap,
		Changes:    types.Diff(prev, snap),
		MainHeight: sdkCtx.BlockHeight(),
		MainTime:   now,
	}
	if err := k.putReport(ctx, report, true); err != nil {
		return 0, err
	}
	if prev != nil {
		// The report it follows is no longer the latest: it may now be pruned.
		if err := k.PruneQueue.Set(ctx, collections.Join3(prevTime.UnixNano(), chainID, sub.LastSequence)); err != nil {
			return 0, err
		}
	}

	previous := sub.Liveness
	sub.LastSequence = report.Sequence
	// The floor for reports by tx never goes down: a report over IBC only
	// needs to be above the subchain's last report over IBC, so it may be
	// below an org's later report (only an upheld dispute lowers the floor,
	// in provenWrong).
	sub.LastHeight = max(sub.LastHeight, snap.Height)
	sub.LastReportTime = now
	sub.Liveness = types.LIVENESS_ACTIVE
	if source.ChannelId != "" {
		sub.LastIbcReport, sub.LastIbcHeight = source.IbcSequence, snap.Height
		if snapshotEvery > 0 {
			sub.SnapshotEvery = snapshotEvery
		}
	}
	if err := k.setDeadline(ctx, &sub, now.Add(staleAfter(sub, params))); err != nil {
		return 0, err
	}
	if err := k.Subchains.Set(ctx, chainID, sub); err != nil {
		return 0, err
	}
	return report.Sequence, k.emitReportEvents(ctx, report, previous)
}

// putReport stores a report with its height index and, unless it is its
// subchain's latest, its place in the prune queue: a subchain's latest report
// is never pruned, since the next report is diffed against it; it is queued
// when the next one arrives. Reports are written here only (recordReport and
// genesis).
func (k Keeper) putReport(ctx context.Context, r types.Report, latest bool) error {
	if err := k.Reports.Set(ctx, collections.Join(r.ChainId, r.Sequence), r); err != nil {
		return err
	}
	if err := k.ReportsByHeight.Set(ctx, collections.Join(r.ChainId, r.Snapshot.Height), r.Sequence); err != nil {
		return err
	}
	if latest {
		return nil
	}
	return k.PruneQueue.Set(ctx, collections.Join3(r.MainTime.UnixNano(), r.ChainId, r.Sequence))
}

// plausible bounds what a status submitted by tx may claim. A report over
// IBC is the subchain's consensus; an org's report is its word alone, and
// nothing else on the main chain knows the subchain's height. Time does: the
// snapshot's block time may not run ahead of the main chain's by more than
// max_clock_drift, and past the latest report (prev) it may claim no more
// blocks than fit between the two block times at one per min_block_interval.
// So a forged height can run ahead of the subchain by a bounded margin only,
// and the subchain's own progress soon passes it.
func plausible(p types.Params, now time.Time, prev *shared.StatusSnapshot, snap shared.StatusSnapshot) error {
	if limit := now.Add(p.MaxClockDrift); snap.BlockTime.After(limit) {
		return errorsmod.Wrapf(types.ErrImplausible, "block time %s is more than max_clock_drift %s after the main chain's %s",
			snap.BlockTime.UTC().Format(time.RFC3339), p.MaxClockDrift, now.UTC().Format(time.RFC3339))
	}
	if prev == nil || snap.Height <= prev.Height {
		return nil // at or below the latest report's height, the height floors decide
	}
	elapsed := snap.BlockTime.Sub(prev.BlockTime)
	if elapsed <= 0 {
		return errorsmod.Wrapf(types.ErrImplausible, "height %d is past the latest report's %d, yet its block time %s is not after that report's %s",
			snap.Height, prev.Height, snap.BlockTime.UTC().Format(time.RFC3339), prev.BlockTime.UTC().Format(time.RFC3339))
	}
	if p.MinBlockInterval == 0 {
		return nil
	}
	if most := int64(elapsed / p.MinBlockInterval); snap.Height-prev.Height > most {
		return errorsmod.Wrapf(types.ErrImplausible, "height %d is %d blocks past the latest report's %d; %s between their block times holds at most %d at min_block_interval %s",
			snap.Height, snap.Height-prev.Height, prev.Height, elapsed, most, p.MinBlockInterval)
	}
	return nil
}

// staleAfter is how long a subchain may stay silent before it is stale.
func staleAfter(sub types.Subchain, params types.Params) time.Duration {
	return sub.ReportInterval * time.Duration(params.StalenessFactor)
}

// setDeadline moves a subchain's entry in the liveness queue to due. The
// caller stores the subchain.
func (k Keeper) setDeadline(ctx context.Context, sub *types.Subchain, due time.Time) error {
	if err := k.LivenessQueue.Remove(ctx, dueKey(*sub)); err != nil {
		return err
	}
	sub.NextReportDue = due
	return k.LivenessQueue.Set(ctx, dueKey(*sub))
}

// dueKey is a subchain's entry in the liveness queue.
func dueKey(sub types.Subchain) collections.Pair[int64, string] {
	return collections.Join(sub.NextReportDue.UnixNano(), sub.ChainId)
}

func (k Keeper) emitReportEvents(ctx context.Context, r types.Report, previous types.Liveness) error {
	s, cs := r.Snapshot, r.Changes
	events := []proto.Message{&types.EventStatusReported{
		ChainId:         r.ChainId,
		Sequence:        r.Sequence,
		Height:          s.Height,
		Source:          r.Source,
		TotalTxs:        s.TotalTxs,
		TpsMilli:        s.TpsMilli,
		OrgCount:        uint64(len(s.Orgs)),
		NodeCount:       uint64(len(s.Validators)),
		ContractCount:   s.ContractCount,
		SoftwareVersion: s.SoftwareVersion,
	}}
	if cs.OrgsChanged() {
		events = append(events, &types.EventOrgsChanged{
			ChainId: r.ChainId, Sequence: r.Sequence, Height: s.Height,
			Joined: cs.OrgsJoined, Left: cs.OrgsLeft, OrgCount: uint64(len(s.Orgs)),
		})
	}
	if cs.NodesChanged() {
		events = append(events, &types.EventNodesChanged{
			ChainId: r.ChainId, Sequence: r.Sequence, Height: s.Height,
			Added: cs.NodesAdded, Removed: cs.NodesRemoved, PowerChanged: cs.PowerChanged,
			NodeCount: uint64(len(s.Validators)),
		})
	}
	if cs.ContractsChanged(len(s.NewContracts)) {
		events = append(events, &types.EventContractsChanged{
			ChainId: r.ChainId, Sequence: r.Sequence, Height: s.Height,
			Added: s.NewContracts, CountBefore: cs.ContractCountBefore, CountAfter: cs.ContractCountAfter,
		})
	}
	if previous == types.LIVENESS_STALE || previous == types.LIVENESS_HALTED_FOR_UPGRADE {
		events = append(events, &types.EventSubchainRecovered{ChainId: r.ChainId, Previous: previous, Height: s.Height})
	}
	return emit(ctx, events...)
}

// RecordContractChange stores one contract change reported for a subchain.
func (k Keeper) RecordContractChange(ctx context.Context, source types.ReportSource, chainID string,
	kind types.ContractChangeKind, contract shared.Contract, height int64,
) (uint64, error) {
	sub, err := k.getSubchain(ctx, chainID)
	if err != nil {
		return 0, err
	}
	if sub.Liveness == types.LIVENESS_RETIRED {
		return 0, errorsmod.Wrapf(types.ErrSubchainRetired, "chain %s", chainID)
	}
	sub.LastContractChange++
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	change := types.ContractChange{
		ChainId:    chainID,
		Sequence:   sub.LastContractChange,
		Kind:       kind,
		Contract:   contract,
		Height:     height,
		Source:     source,
		MainHeight: sdkCtx.BlockHeight(),
		MainTime:   sdkCtx.BlockTime(),
	}
	if err := k.ContractChanges.Set(ctx, collections.Join(chainID, change.Sequence), change); err != nil {
		return 0, err
	}
	if err := k.ContractPruneQueue.Set(ctx, collections.Join3(change.MainTime.UnixNano(), chainID, change.Sequence)); err != nil {
		return 0, err
	}
	if err := k.Subchains.Set(ctx, chainID, sub); err != nil {
		return 0, err
	}
	return change.Sequence, emit(ctx, &types.EventContractChangeReported{
		ChainId: chainID, Sequence: change.Sequence, Kind: kind, Contract: contract, Height: height, Source: source,
	})
}
