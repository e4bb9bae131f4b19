package keeper

import (
	"context"
	"strconv"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// FileDispute records a member org's dispute of a report and escrows the
// deposit. The filer must speak for a member org of the report's
// subchain other than the one that made the report, within the dispute
// window, and under the org's cap on open disputes.
func (k Keeper) FileDispute(ctx context.Context, msg *types.MsgFileDispute) (uint64, error) {
	if err := k.checkFiler(ctx, msg.Filer, msg.ChainId, msg.OrgId); err != nil {
		return 0, err
	}
	stored, err := k.Reports.Get(ctx, collections.Join(msg.ChainId, msg.ReportSequence))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return 0, errorsmod.Wrapf(types.ErrNoReport, "chain %s has no report %d", msg.ChainId, msg.ReportSequence)
	} else if err != nil {
		return 0, err
	}
	report := reportHead(msg.ChainId, msg.ReportSequence, stored) // its source, time and mark are all a filing reads
	if err := notProven(report); err != nil {
		return 0, err
	}
	if report.Source.OrgId == msg.OrgId {
		return 0, errorsmod.Wrapf(types.ErrOwnReport, "report %d of chain %s came from org %s", msg.ReportSequence, msg.ChainId, msg.OrgId)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	if closes := report.MainTime.Add(params.DisputeWindow); now.After(closes) {
		return 0, errorsmod.Wrapf(types.ErrWindowClosed, "report %d of chain %s could be disputed until %s", msg.ReportSequence, msg.ChainId, closes)
	}
	open, err := k.openDisputes(ctx, msg.OrgId)
	if err != nil {
		return 0, err
	}
	if open >= params.MaxOpenDisputesPerOrg {
		return 0, errorsmod.Wrapf(types.ErrTooManyDisputes, "org %s has %d open, at most %d", msg.OrgId, open, params.MaxOpenDisputesPerOrg)
	}
	filer := sdk.MustAccAddressFromBech32(msg.Filer)
	if params.DisputeDeposit.IsPositive() {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, filer, types.ModuleName, sdk.NewCoins(params.DisputeDeposit)); err != nil {
			return 0, errorsmod.Wrap(err, "escrowing the dispute deposit")
		}
	}
	last, err := k.LastDisputeID.Next(ctx)
	if err != nil {
		return 0, err
	}
	id := last + 1
	d := types.Dispute{
		Id: id, ChainId: msg.ChainId, ReportSequence: msg.ReportSequence,
		FilerOrg: msg.OrgId, Filer: msg.Filer, ReportedByOrg: report.Source.OrgId,
		Fields: msg.Fields, Evidence: msg.Evidence, Deposit: params.DisputeDeposit,
		Status: types.DISPUTE_STATUS_OPEN, FiledHeight: sdk.UnwrapSDKContext(ctx).BlockHeight(),
		ExpiresAt: now.Add(params.DisputeWindow),
	}
	if err := k.putDispute(ctx, d); err != nil {
		return 0, err
	}
	return id, emit(ctx, &types.EventDisputeFiled{DisputeId: id, ChainId: d.ChainId, ReportSequence: d.ReportSequence,
		FilerOrg: d.FilerOrg, ReportedByOrg: d.ReportedByOrg, Fields: d.Fields})
}

// ResolveDispute settles an open dispute. Upheld: the deposit goes back to
// the filer and, for a report submitted by an org's monitoring account, that
// org's reporting on the subchain is suspended. Rejected: the deposit is burnt.
func (k Keeper) ResolveDispute(ctx context.Context, msg *types.MsgResolveDispute) error {
	if err := k.checkArbiter(ctx, msg.Resolver); err != nil {
		return err
	}
	status := types.DISPUTE_STATUS_REJECTED
	if msg.Upheld {
		status = types.DISPUTE_STATUS_UPHELD
	}
	return k.closeDispute(ctx, msg.DisputeId, status, msg.Resolver, msg.Reason)
}

// closeDispute moves an open dispute to its final status and settles the deposit.
func (k Keeper) closeDispute(ctx context.Context, id uint64, status types.DisputeStatus, resolver, reason string) error {
	d, err := k.Disputes.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return errorsmod.Wrapf(types.ErrUnknownDispute, "dispute %d", id)
	} else if err != nil {
		return err
	}
	if d.Status != types.DISPUTE_STATUS_OPEN {
		return errorsmod.Wrapf(types.ErrDisputeClosed, "dispute %d is %s", id, d.Status)
	}
	if d.Deposit.IsPositive() {
		if status == types.DISPUTE_STATUS_UPHELD {
			err = k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(d.Filer), sdk.NewCoins(d.Deposit))
		} else {
			err = k.bank.BurnCoins(ctx, types.ModuleName, sdk.NewCoins(d.Deposit))
		}
		if err != nil {
			return errorsmod.Wrap(err, "settling the dispute deposit")
		}
	}
	d.Status, d.Resolver, d.Reason, d.ResolvedHeight = status, resolver, reason, sdk.UnwrapSDKContext(ctx).BlockHeight()
	if err := k.putDispute(ctx, d); err != nil {
		return err
	}
	if err := emit(ctx, &types.EventDisputeResolved{DisputeId: id, ChainId: d.ChainId, Status: status, Resolver: resolver, Reason: reason}); err != nil {
		return err
	}
	if status == types.DISPUTE_STATUS_UPHELD {
		return k.upheld(ctx, d)
	}
	return nil
}

// upheld applies an upheld dispute: its report is marked proven wrong and
// stops bounding later reports, and the org whose monitor made it (none for a
// report over IBC) is suspended on the subchain.
func (k Keeper) upheld(ctx context.Context, d types.Dispute) error {
	if err := k.provenWrong(ctx, d.ChainId, d.ReportSequence, d.Id); err != nil {
		return err
	}
	if d.ReportedByOrg == "" {
		return nil
	}
	return k.suspendReporting(ctx, d.ChainId, d.ReportedByOrg, d.Id)
}

// provenWrong marks a report proven wrong by dispute id, so it is not
// disputed again, and stops it from bounding later reports by tx: when its
// height is the floor they must exceed, the floor goes back to the highest
// report below it not proven wrong (floorBelow) or the latest over IBC,
// whichever is higher, so a forged far-future height does not shut honest
// reports out, nor does an earlier forgery of the same org. Nothing else
// ever lowers the floor. The report stays in the history.
func (k Keeper) provenWrong(ctx context.Context, chainID string, seq, disputeID uint64) error {
	sub, err := k.subchainStatus(ctx, chainID)
	if err != nil {
		return err
	}
	report, err := k.Reports.Get(ctx, collections.Join(chainID, seq))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil // pruned: a floor older than the retention holds nothing back
	} else if err != nil {
		return err
	}
	report.ProvenWrongBy = disputeID // the mark alone: the stored layout stays
	if err := k.Reports.Set(ctx, collections.Join(chainID, seq), report); err != nil {
		return err
	}
	if report.Snapshot.Height != sub.LastHeight {
		return nil
	}
	floor, err := k.floorBelow(ctx, chainID, report.Snapshot.Height)
	if err != nil {
		return err
	}
	sub.LastHeight = min(sub.LastHeight, max(floor, sub.LastIbcHeight))
	return k.setStatus(ctx, sub)
}

// floorWalk caps how many stored heights floorBelow looks at: each one
// passed over is a report proven wrong by an upheld dispute, so the walk
// only grows with an org's forgeries, which suspend it.
const floorWalk = 64

// floorBelow is the highest height below height of a stored report of the
// subchain that is not proven wrong, 0 if there is none within floorWalk
// heights (then the latest report over IBC alone bounds reports by tx). The
// report just before the one proven wrong is not enough: reports by tx rise
// one above the other, so it may be the same forger's earlier report, itself
// proven wrong, or one over IBC below an honest org's report.
func (k Keeper) floorBelow(ctx context.Context, chainID string, height int64) (int64, error) {
	rng := collections.NewPrefixedPairRange[string, int64](chainID).EndExclusive(height).Descending()
	it, err := k.ReportsByHeight.Iterate(ctx, rng)
	if err != nil {
		return 0, err
	}
	defer it.Close()
	for n := 0; n < floorWalk && it.Valid(); n++ {
		kv, err := it.KeyValue()
		if err != nil {
			return 0, err
		}
		r, err := k.Reports.Get(ctx, collections.Join(chainID, kv.Value))
		if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
			return 0, err
		}
		if err == nil && r.ProvenWrongBy == 0 {
			return kv.Key.K2(), nil
		}
		it.Next()
	}
	return 0, nil
}

// notProven refuses a dispute of a report already proven wrong.
func notProven(r types.Report) error {
	if r.ProvenWrongBy != 0 {
		return errorsmod.Wrapf(types.ErrAlreadyProven, "report %d of chain %s, by dispute %d", r.Sequence, r.ChainId, r.ProvenWrongBy)
	}
	return nil
}

// suspendReporting marks a membership suspended: its monitoring accounts stay
// listed, and in the index, so no other org can take one over meanwhile, but
// may not submit until the authority restores the org.
func (k Keeper) suspendReporting(ctx context.Context, chainID, orgID string, disputeID uint64) error {
	m, err := k.getMembership(ctx, chainID, orgID)
	if errorsmod.IsOf(err, types.ErrNotMember) {
		return nil // the org left the subchain meanwhile: nothing to suspend
	} else if err != nil || m.Suspended {
		return err
	}
	m.Suspended = true
	if err := k.putMembership(ctx, m); err != nil {
		return err
	}
	return emit(ctx, &types.EventReportingSuspended{ChainId: chainID, OrgId: orgID, DisputeId: disputeID, Reporters: m.Reporters})
}

// RestoreReporting lifts an org's suspension on a subchain (registry
// authority).
func (k Keeper) RestoreReporting(ctx context.Context, msg *types.MsgRestoreReporting) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	chainID, orgID := msg.ChainId, msg.OrgId
	m, err := k.getMembership(ctx, chainID, orgID)
	if err != nil {
		return err
	}
	if !m.Suspended {
		return errorsmod.Wrapf(types.ErrNotSuspended, "org %s on chain %s", orgID, chainID)
	}
	m.Suspended = false
	if err := k.putMembership(ctx, m); err != nil {
		return err
	}
	return emit(ctx, &types.EventReportingRestored{ChainId: chainID, OrgId: orgID})
}

// expireDisputes closes disputes past their window, then deletes closed
// ones history_retention past it, at most max_dispute_expiries_per_block of
// both together.
func (k Keeper) expireDisputes(ctx context.Context, params types.Params) error {
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	expired, err := drainQueue(ctx, k, "dispute expiry", k.DisputeQueue, collections.NewPrefixUntilPairRange[int64, uint64](now.UnixNano()),
		params.MaxDisputeExpiriesPerBlock, k.expireDispute)
	if err != nil {
		return err
	}
	cutoff := now.Add(-params.HistoryRetention).UnixNano()
	_, err = drainQueue(ctx, k, "dispute pruning", k.DisputePruneQueue, collections.NewPrefixUntilPairRange[int64, uint64](cutoff),
		params.MaxDisputeExpiriesPerBlock-expired, k.pruneDispute)
	return err
}

// recordEvidence settles a dispute with a subchain's own snapshot, received
// over its bound status channel (ReceiveEvidence) and so proven by its
// validator set: when the snapshot and the report of the same height differ,
// the dispute is upheld at once, with no deposit and no arbiter, and a
// reporting org is suspended.
func (k Keeper) recordEvidence(ctx context.Context, chainID, channelID string, ev shared.DisputeEvidence) (uint64, error) {
	if ev.Snapshot.ChainId != chainID {
		return 0, errorsmod.Wrapf(types.ErrWrongChain, "channel %s carries chain %s, the evidence claims %s", channelID, chainID, ev.Snapshot.ChainId)
	}
	report, err := k.GetReport(ctx, chainID, ev.MainSequence)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return 0, errorsmod.Wrapf(types.ErrNoReport, "chain %s has no report %d", chainID, ev.MainSequence)
	} else if err != nil {
		return 0, err
	}
	if err := notProven(report); err != nil {
		return 0, err
	}
	if report.Snapshot.Height != ev.Snapshot.Height {
		return 0, errorsmod.Wrapf(types.ErrInvalidRequest, "evidence is of height %d, report %d is of height %d",
			ev.Snapshot.Height, ev.MainSequence, report.Snapshot.Height)
	}
	names := shared.DisputedFields(report.Snapshot, *ev.Snapshot)
	if len(names) == 0 {
		return 0, errorsmod.Wrapf(types.ErrInvalidRequest, "the evidence agrees with report %d", ev.MainSequence)
	}
	fields := make([]types.DisputedField, len(names))
	for i, name := range names {
		fields[i] = types.DisputedField{Field: name,
			Reported: shared.FieldValue(report.Snapshot, name, types.MaxFieldValueLen),
			Observed: shared.FieldValue(*ev.Snapshot, name, types.MaxFieldValueLen)}
	}
	last, err := k.LastDisputeID.Next(ctx)
	if err != nil {
		return 0, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	resolver := "subchain " + chainID + " over " + channelID
	d := types.Dispute{
		Id: last + 1, ChainId: chainID, ReportSequence: ev.MainSequence, Filer: ev.Filer,
		ReportedByOrg: report.Source.OrgId, Fields: fields,
		Evidence: "the subchain's own snapshot at height " + strconv.FormatInt(ev.Snapshot.Height, 10) + ", proven by its validator set",
		Status:   types.DISPUTE_STATUS_UPHELD, FiledHeight: sdkCtx.BlockHeight(), ExpiresAt: sdkCtx.BlockTime(),
		Resolver: resolver, Reason: "the subchain's consensus state contradicts the report", ResolvedHeight: sdkCtx.BlockHeight(),
	}
	if err := k.putDispute(ctx, d); err != nil {
		return 0, err
	}
	if err := emit(ctx,
		&types.EventDisputeFiled{DisputeId: d.Id, ChainId: chainID, ReportSequence: d.ReportSequence, ReportedByOrg: d.ReportedByOrg, Fields: fields},
		&types.EventDisputeResolved{DisputeId: d.Id, ChainId: chainID, Status: d.Status, Resolver: resolver, Reason: d.Reason},
	); err != nil {
		return 0, err
	}
	return d.Id, k.upheld(ctx, d)
}
