package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// DisputeReport checks a main-chain report about this chain against the
// snapshot this chain recorded at the same height. Where they differ, it sends
// the chain's own snapshot as evidence over the status channel; where they
// agree, it refuses. Only a bonded validator's operator or the admin may ask:
// the evidence speaks with the validator set's voice.
func (k Keeper) DisputeReport(ctx context.Context, msg *types.MsgDisputeReport) (*types.MsgDisputeReportResponse, error) {
	if err := k.checkDisputer(ctx, msg.Filer); err != nil {
		return nil, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if msg.Reported.ChainId != sdkCtx.ChainID() {
		return nil, errorsmod.Wrapf(types.ErrWrongChain, "report of %s, this is %s", msg.Reported.ChainId, sdkCtx.ChainID())
	}
	own, err := k.Snapshots.Get(ctx, msg.Reported.Height)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil, errorsmod.Wrapf(types.ErrNoSnapshot, "height %d: snapshots are taken every report_interval blocks and kept in a ring", msg.Reported.Height)
	} else if err != nil {
		return nil, err
	}
	fields := shared.DisputedFields(msg.Reported, own)
	if len(fields) == 0 {
		return nil, errorsmod.Wrapf(types.ErrReportMatches, "report %d at height %d", msg.MainSequence, msg.Reported.Height)
	}
	if has, err := k.Disputed.Has(ctx, collections.Join(own.Height, msg.MainSequence)); err != nil {
		return nil, err
	} else if has {
		return nil, errorsmod.Wrapf(types.ErrAlreadyDisputed, "report %d", msg.MainSequence)
	}
	ch, err := k.channelID(ctx)
	if err != nil {
		return nil, err
	}
	if ch == "" {
		return nil, errorsmod.Wrap(types.ErrNoChannel, "the evidence has no way to the main chain")
	}
	data, err := shared.NewEvidencePacket(shared.DisputeEvidence{MainSequence: msg.MainSequence, Snapshot: &own, Filer: msg.Filer})
	if err != nil {
		return nil, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	timeout := uint64(sdkCtx.BlockTime().Add(params.PacketTimeout).UnixNano())
	seq, err := k.ics4.SendPacket(sdkCtx, shared.ReporterPortID, ch, clienttypes.ZeroHeight(), timeout, data)
	if err != nil {
		return nil, err
	}
	if err := k.Disputed.Set(ctx, collections.Join(own.Height, msg.MainSequence)); err != nil {
		return nil, err
	}
	return &types.MsgDisputeReportResponse{Fields: fields, PacketSequence: seq}, emit(ctx, &types.EventEvidenceSent{
		MainSequence: msg.MainSequence, Height: own.Height, Filer: msg.Filer, Fields: fields, PacketSequence: seq})
}

// OnEvidenceAnswered handles the main chain's answer to evidence. A refusal
// or a timeout frees the report for another attempt.
func (k Keeper) OnEvidenceAnswered(ctx context.Context, ev *shared.DisputeEvidence, a Answer) error {
	settled := &types.EventEvidenceSettled{MainSequence: ev.MainSequence, Error: a.Refusal}
	if a.Result != nil {
		settled.Upheld, settled.DisputeId = true, a.Result.DisputeId
	}
	if !settled.Upheld && ev.Snapshot != nil { // without a snapshot, not evidence this module sent
		if err := k.Disputed.Remove(ctx, collections.Join(ev.Snapshot.Height, ev.MainSequence)); err != nil {
			return err
		}
	}
	return emit(ctx, settled)
}
