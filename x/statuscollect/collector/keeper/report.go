package keeper

import (
	"bytes"
	"context"
	"math"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// A report comes through one of two doors, each with its own admission:
// SubmitStatus here (a monitoring account's tx: reporter rights, the height
// floor of all reports, plausibility, the snapshot cadence) and ReceiveReport
// in relay.go (the subchain's status channel: the channel's binding, the
// height floor of its own reports). Both end in appendReport, the one place
// a report is stored and its effects (liveness, contract changes, events)
// happen.

// SubmitStatus is the tx door: a status snapshot submitted by a monitoring
// account of a member org of the subchain.
func (k Keeper) SubmitStatus(ctx context.Context, msg *types.MsgSubmitStatus) (uint64, error) {
	snap := msg.Snapshot
	org, err := k.reporterOrg(ctx, snap.ChainId, msg.Reporter)
	if err != nil {
		return 0, err
	}
	sub, err := k.activeStatus(ctx, snap.ChainId)
	if err != nil {
		return 0, err
	}
	named := msg.ListsHash != nil
	if named {
		if err := checkNamedLists(sub, msg.ListsHash); err != nil {
			return 0, err
		}
	}
	// Plausibility needs the latest report's height and block time, not its
	// lists: a report naming them by hash reads the report's head alone.
	prev, err := k.latestReport(ctx, sub, named)
	if err != nil {
		return 0, err
	}
	// A report by tx must be newer than the latest report of any source.
	if sub.LastSequence > 0 && snap.Height <= sub.LastHeight {
		return 0, errorsmod.Wrapf(types.ErrOutdatedReport, "chain %s: height %d, latest report is at %d", sub.ChainId, snap.Height, sub.LastHeight)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	prevSnap, before := (*shared.StatusSnapshot)(nil), "the latest report"
	if prev != nil {
		prevSnap = &prev.Snapshot
	} else {
		if prevSnap, err = k.firstReportBaseline(ctx, sub, params, now, snap); err != nil {
			return 0, err
		}
		before = "the height its light client verified"
	}
	if err := plausible(params, now, prevSnap, before, snap); err != nil {
		return 0, errorsmod.Wrapf(err, "chain %s", sub.ChainId)
	}
	// Only a height the sidecar snapshots can be checked against the
	// subchain's own record (MsgDisputeReport): take no other.
	if every := int64(sub.SnapshotEvery); every > 0 && snap.Height%every != 0 {
		return 0, errorsmod.Wrapf(types.ErrUncheckable, "chain %s: height %d; its sidecar snapshots every %d blocks (heights %d, %d, ...)",
			sub.ChainId, snap.Height, every, snap.Height-snap.Height%every, snap.Height-snap.Height%every+every)
	}
	return k.appendReport(ctx, sub, prev, named, types.ReportSource{OrgId: org, Reporter: msg.Reporter}, snap, params)
}

// checkNamedLists checks the lists hash a report by either door sends
// instead of its orgs and validators against those of the subchain's latest
// report (its record keeps their hash). So the report stands for exactly the
// lists its reporter read: one that read them before another report changed
// them is refused, not stored with lists it never saw.
func checkNamedLists(sub types.Subchain, hash []byte) error {
	if sub.LastSequence == 0 {
		return errorsmod.Wrapf(types.ErrListsChanged, "chain %s has no report yet: send the orgs and validators", sub.ChainId)
	}
	if latest := sub.Latest.ListsHash; !bytes.Equal(latest, hash) {
		return errorsmod.Wrapf(types.ErrListsChanged, "chain %s: latest report %d's lists hash to %X, not %X: send the orgs and validators",
			sub.ChainId, sub.LastSequence, latest, hash)
	}
	return nil
}

// latestReport is a subchain's latest report (nil before the first): whole
// but for the new contracts its own changes hold (what the next report is
// diffed against needs none), or, headOnly, without its orgs and
// validators, which are then not read.
func (k Keeper) latestReport(ctx context.Context, sub types.Subchain, headOnly bool) (*types.Report, error) {
	if sub.LastSequence == 0 {
		return nil, nil
	}
	var last types.Report
	s, err := k.Reports.Get(ctx, collections.Join(sub.ChainId, sub.LastSequence))
	switch {
	case err != nil:
	case headOnly:
		last = reportHead(sub.ChainId, sub.LastSequence, s)
		last.Snapshot.Orgs, last.Snapshot.Validators = nil, nil
	default:
		last, err = (&listsReader{k: k}).expandSome(ctx, sub.ChainId, sub.LastSequence, s, false)
	}
	if err != nil {
		return nil, errorsmod.Wrapf(err, "latest report %d of chain %s", sub.LastSequence, sub.ChainId)
	}
	return &last, nil
}

// headFromRecord is the subchain's latest report as far as appendReport
// needs it when the next report names its lists by hash: its sequence, time
// and contract count, all kept in the record, and no lists, like the next
// report's. So a report over IBC that names its lists reads neither.
func headFromRecord(sub types.Subchain) *types.Report {
	return &types.Report{ChainId: sub.ChainId, Sequence: sub.LastSequence, MainTime: sub.LastReportTime,
		Snapshot: shared.StatusSnapshot{ChainId: sub.ChainId, ContractCount: sub.Latest.ContractCount}}
}

// figuresOf is what a subchain's record keeps of its latest report, whose
// snapshot is snap, lists included.
func figuresOf(snap shared.StatusSnapshot) types.LatestFigures {
	return types.LatestFigures{ListsHash: snap.ListsHash(), OrgCount: uint64(len(snap.Orgs)),
		NodeCount: uint64(len(snap.Validators)), ContractCount: snap.ContractCount}
}

// appendReport stores an admitted report as the subchain's latest, with its
// change set against prev, the contract changes it shows, the subchain's new
// liveness deadline, the figures its record keeps and the events. The door
// has set its own fields of sub. named: the report named its lists by hash
// (checkNamedLists), so neither snap nor prev holds lists, and they are those
// the record's figures count.
func (k Keeper) appendReport(ctx context.Context, sub types.Subchain, prev *types.Report, named bool, source types.ReportSource,
	snap shared.StatusSnapshot, params types.Params,
) (uint64, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	var prevSnap *shared.StatusSnapshot
	if prev != nil {
		prevSnap = &prev.Snapshot
	}
	report := types.Report{
		ChainId:    sub.ChainId,
		Sequence:   sub.LastSequence + 1,
		Source:     source,
		Snapshot:   snap,
		Changes:    types.Diff(prevSnap, snap),
		MainHeight: sdkCtx.BlockHeight(),
		MainTime:   now,
	}
	own, err := k.recordContractChanges(ctx, &sub, report)
	if err != nil {
		return 0, err
	}
	if err := k.putReport(ctx, report, true, prev, own); err != nil {
		return 0, err
	}
	if prev != nil && pruneCheckpoint(prev.Sequence) {
		// The report it follows is no longer the latest: it may now be pruned.
		if err := k.PruneQueue.Set(ctx, collections.Join3(prev.MainTime.UnixNano(), prev.ChainId, prev.Sequence)); err != nil {
			return 0, err
		}
	}

	previous := sub.Liveness
	if !named {
		sub.Latest = figuresOf(snap)
	}
	sub.Latest.ContractCount = snap.ContractCount
	sub.LastSequence = report.Sequence
	// The floor for reports by tx never goes down: a report over IBC only
	// needs to be above the subchain's last report over IBC, so it may be
	// below an org's later report (only an upheld dispute lowers the floor,
	// in provenWrong).
	sub.LastHeight = max(sub.LastHeight, snap.Height)
	sub.LastReportTime = now
	sub.Liveness = types.LIVENESS_ACTIVE
	if err := k.setDeadline(ctx, &sub, now.Add(staleAfter(sub, params))); err != nil {
		return 0, err
	}
	if err := k.setStatus(ctx, sub); err != nil {
		return 0, err
	}
	return report.Sequence, k.emitReportEvents(ctx, report, sub.Latest, previous)
}

// putReport stores a report with its height index and, if it is a prune
// checkpoint and not its subchain's latest, its place in the prune queue: a
// subchain's latest report is never pruned, since the next report is diffed
// against it; it is queued when the next one arrives. prev is the subchain's report before it, whole
// (nil if none is stored): storeReport (stored.go) leaves out what the report
// shares with it and the contracts its own changes (own) hold. Reports are written here only (appendReport and genesis),
// but for the dispute's mark (provenWrong) and pruning (releaseLists).
func (k Keeper) putReport(ctx context.Context, r types.Report, latest bool, prev *types.Report, own ownChanges) error {
	if err := k.storeReport(ctx, r, prev, own); err != nil {
		return err
	}
	if err := k.ReportsByHeight.Set(ctx, collections.Join(r.ChainId, r.Snapshot.Height), r.Sequence); err != nil {
		return err
	}
	if latest || !pruneCheckpoint(r.Sequence) {
		return nil
	}
	return k.PruneQueue.Set(ctx, collections.Join3(r.MainTime.UnixNano(), r.ChainId, r.Sequence))
}

// pruneEvery is how many reports of a subchain one prune checkpoint stands
// for. Every report of a sequence it divides is queued for pruning once it
// is no longer the latest (appendReport, or putReport from a genesis), and
// when it expires the reports before it go with it (pruneThrough in
// abci.go). Queueing each report cost a write per report (about 2,800 gas
// of every receive); this costs one per pruneEvery reports, and a report
// outlives history_retention by at most the time pruneEvery - 1 reports
// take. A subchain that stops reporting keeps the reports since its last
// checkpoint, at most pruneEvery of them, until it reports again.
const pruneEvery = 8

// pruneCheckpoint says whether report seq of its subchain is a prune
// checkpoint.
func pruneCheckpoint(seq uint64) bool { return seq%pruneEvery == 0 }

// plausible bounds what a status submitted by tx may claim. A report over
// IBC is the subchain's consensus; an org's report is its word alone, and
// nothing else on the main chain knows the subchain's height. Time does: the
// snapshot's block time may not run ahead of the main chain's by more than
// max_clock_drift, and past the latest report (prev; before names it) it may
// claim no more blocks than fit between the two block times at one per
// min_block_interval.
// So a forged height can run ahead of the subchain by a bounded margin only,
// and the subchain's own progress soon passes it.
func plausible(p types.Params, now time.Time, prev *shared.StatusSnapshot, before string, snap shared.StatusSnapshot) error {
	if limit := now.Add(p.MaxClockDrift); snap.BlockTime.After(limit) {
		return errorsmod.Wrapf(types.ErrImplausible, "block time %s is more than max_clock_drift %s after the main chain's %s",
			snap.BlockTime.UTC().Format(time.RFC3339), p.MaxClockDrift, now.UTC().Format(time.RFC3339))
	}
	if prev == nil || snap.Height <= prev.Height {
		return nil // at or below prev's height, the height floors decide
	}
	elapsed := snap.BlockTime.Sub(prev.BlockTime)
	if elapsed <= 0 {
		return errorsmod.Wrapf(types.ErrImplausible, "height %d is past %s, %d, yet its block time %s is not after that one's %s",
			snap.Height, before, prev.Height, snap.BlockTime.UTC().Format(time.RFC3339), prev.BlockTime.UTC().Format(time.RFC3339))
	}
	if p.MinBlockInterval == 0 {
		return nil
	}
	if most := int64(elapsed / p.MinBlockInterval); snap.Height-prev.Height > most {
		return errorsmod.Wrapf(types.ErrImplausible, "height %d is %d blocks past %s, %d; %s between their block times holds at most %d at min_block_interval %s",
			snap.Height, snap.Height-prev.Height, before, prev.Height, elapsed, most, p.MinBlockInterval)
	}
	return nil
}

// firstReportBaseline bounds a subchain's first report, which has no report
// before it for plausible to measure against: without one, a monitor could
// claim any height, and every honest report by tx would be refused until an
// arbiter upheld a dispute. Its block time may be no older than the
// subchain's staleness window (or the next report's bound would be as loose
// as it liked), and above the height the subchain's bound light client has
// verified, it is held to that height and time as to a report before it. A
// subchain without a client has nothing on the main chain that knows its
// height: its first report by tx is bounded by time alone.
func (k Keeper) firstReportBaseline(ctx context.Context, status types.Subchain, params types.Params, now time.Time,
	snap shared.StatusSnapshot,
) (*shared.StatusSnapshot, error) {
	if oldest := now.Add(-staleAfter(status, params)); snap.BlockTime.Before(oldest) {
		return nil, errorsmod.Wrapf(types.ErrImplausible, "chain %s: its first report's block time %s is more than its staleness window %s before the main chain's %s",
			status.ChainId, snap.BlockTime.UTC().Format(time.RFC3339), staleAfter(status, params), now.UTC().Format(time.RFC3339))
	}
	sub, err := k.getSubchain(ctx, status.ChainId)
	if err != nil || sub.ClientId == "" || k.clientKeeper == nil {
		return nil, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	verified := k.clientKeeper.GetClientLatestHeight(sdkCtx, sub.ClientId)
	if verified.IsZero() || verified.RevisionHeight > math.MaxInt64 {
		return nil, nil
	}
	at, err := k.clientKeeper.GetClientTimestampAtHeight(sdkCtx, sub.ClientId, verified)
	if err != nil || at > math.MaxInt64 {
		return nil, nil //nolint:nilerr // no consensus state to measure against: time alone bounds it
	}
	return &shared.StatusSnapshot{ChainId: sub.ChainId, Height: int64(verified.RevisionHeight), BlockTime: time.Unix(0, int64(at)).UTC()}, nil
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

// emitReportEvents emits a report's events; figures are those its
// subchain's record now keeps, which count its lists even when it named them
// by hash.
func (k Keeper) emitReportEvents(ctx context.Context, r types.Report, figures types.LatestFigures, previous types.Liveness) error {
	s, cs := r.Snapshot, r.Changes
	// Every report emits this one, built by hand (the same event the SDK's
	// typed path makes, several times faster); the rarer ones below go the
	// typed way.
	reported := &types.EventStatusReported{
		ChainId:         r.ChainId,
		Sequence:        r.Sequence,
		Height:          s.Height,
		Source:          r.Source,
		TotalTxs:        s.TotalTxs,
		TpsMilli:        s.TpsMilli,
		OrgCount:        figures.OrgCount,
		NodeCount:       figures.NodeCount,
		ContractCount:   s.ContractCount,
		SoftwareVersion: s.SoftwareVersion,
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(reported.ToEvent())
	var events []proto.Message
	if cs.OrgsChanged() {
		events = append(events, &types.EventOrgsChanged{
			ChainId: r.ChainId, Sequence: r.Sequence, Height: s.Height,
			Joined: cs.OrgsJoined, Left: cs.OrgsLeft, OrgCount: figures.OrgCount,
		})
	}
	if cs.NodesChanged() {
		events = append(events, &types.EventNodesChanged{
			ChainId: r.ChainId, Sequence: r.Sequence, Height: s.Height,
			Added: cs.NodesAdded, Removed: cs.NodesRemoved, PowerChanged: cs.PowerChanged,
			NodeCount: figures.NodeCount,
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
