package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v10/modules/light-clients/07-tendermint"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// BindClient pins the IBC client that tracks a subchain (registry
// authority). Creating a client is permissionless and its chain id is
// whatever its creator wrote, so the authority's word is what makes a client
// the subchain's.
func (k Keeper) BindClient(ctx context.Context, msg *types.MsgBindClient) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	return k.bindClient(ctx, msg.ChainId, msg.ClientId)
}

// bindClient binds clientID to a subchain. A rebind is refused while the
// status channel runs over a working client (close it first); once that
// client is expired or frozen the channel can never be closed, so the rebind
// unbinds it, and the subchain can open a new one over the new client.
func (k Keeper) bindClient(ctx context.Context, chainID, clientID string) error {
	sub, err := k.activeSubchain(ctx, chainID)
	if err != nil {
		return err
	}
	var stale ibcexported.Status
	if sub.ChannelId != "" {
		if stale = k.clientKeeper.GetClientStatus(sdk.UnwrapSDKContext(ctx), sub.ClientId); stale == ibcexported.Active {
			return errorsmod.Wrapf(types.ErrChannelBound, "chain %s reports over %s, whose client %s is active; close it before rebinding", chainID, sub.ChannelId, sub.ClientId)
		}
	}
	if err := k.checkClient(ctx, chainID, clientID); err != nil {
		return err
	}
	if sub.ChannelId != "" {
		k.Logger(ctx).Info("unbinding a status channel over a client that can no longer be updated",
			"chain", chainID, "channel", sub.ChannelId, "client", sub.ClientId, "status", stale)
		if err := k.ChannelIndex.Remove(ctx, sub.ChannelId); err != nil {
			return err
		}
		sub.ChannelId = ""
	}
	if sub.ClientId != "" {
		if err := k.ClientIndex.Remove(ctx, sub.ClientId); err != nil {
			return err
		}
	}
	sub.ClientId = clientID
	if err := k.ClientIndex.Set(ctx, clientID, chainID); err != nil {
		return err
	}
	if err := k.Subchains.Set(ctx, chainID, sub); err != nil {
		return err
	}
	return emit(ctx, &types.EventClientBound{ChainId: chainID, ClientId: clientID})
}

// checkClient requires a client that exists, tracks chainID and is bound to
// no subchain yet.
func (k Keeper) checkClient(ctx context.Context, chainID, clientID string) error {
	if other, err := k.ClientIndex.Get(ctx, clientID); err == nil {
		return errorsmod.Wrapf(types.ErrClientBound, "client %s is bound to chain %s", clientID, other)
	} else if !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	cs, found := k.clientKeeper.GetClientState(sdk.UnwrapSDKContext(ctx), clientID)
	if !found {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "client %s does not exist", clientID)
	}
	// Not a proof, but it catches binding the wrong client by mistake.
	if tm, ok := cs.(*ibctm.ClientState); ok && tm.ChainId != chainID {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "client %s tracks chain %s, not %s", clientID, tm.ChainId, chainID)
	}
	return nil
}

// subchainForConnection returns the subchain whose bound client sits under a
// one-hop connection.
func (k Keeper) subchainForConnection(ctx sdk.Context, hops []string) (types.Subchain, error) {
	if len(hops) != 1 {
		return types.Subchain{}, errorsmod.Wrapf(shared.ErrInvalidChannel, "status channels take one connection hop, got %d", len(hops))
	}
	conn, found := k.connectionKeeper.GetConnection(ctx, hops[0])
	if !found {
		return types.Subchain{}, errorsmod.Wrapf(shared.ErrInvalidChannel, "connection %s not found", hops[0])
	}
	chainID, err := k.ClientIndex.Get(ctx, conn.ClientId)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return types.Subchain{}, errorsmod.Wrapf(types.ErrUnboundClient, "client %s (connection %s)", conn.ClientId, hops[0])
	} else if err != nil {
		return types.Subchain{}, err
	}
	return k.activeSubchain(ctx, chainID)
}

// VerifyChannelOpenTry accepts a status channel only over a connection whose
// client is bound to a registered subchain that has no channel yet.
func (k Keeper) VerifyChannelOpenTry(ctx sdk.Context, hops []string) error {
	sub, err := k.subchainForConnection(ctx, hops)
	if err != nil {
		return err
	}
	if sub.ChannelId != "" {
		return errorsmod.Wrapf(types.ErrChannelBound, "chain %s reports over %s", sub.ChainId, sub.ChannelId)
	}
	return nil
}

// BindChannel binds an opened status channel to its subchain. It checks again:
// two channels may have passed the try step, only the first to confirm binds.
func (k Keeper) BindChannel(ctx sdk.Context, portID, channelID string) error {
	ch, found := k.channelKeeper.GetChannel(ctx, portID, channelID)
	if !found {
		return errorsmod.Wrapf(shared.ErrInvalidChannel, "channel %s/%s not found", portID, channelID)
	}
	sub, err := k.subchainForConnection(ctx, ch.ConnectionHops)
	if err != nil {
		return err
	}
	if sub.ChannelId != "" {
		return errorsmod.Wrapf(types.ErrChannelBound, "chain %s reports over %s", sub.ChainId, sub.ChannelId)
	}
	sub.ChannelId = channelID
	if err := k.ChannelIndex.Set(ctx, channelID, sub.ChainId); err != nil {
		return err
	}
	if err := k.setStatus(ctx, sub); err != nil {
		return err
	}
	return emit(ctx, &types.EventChannelBound{ChainId: sub.ChainId, ChannelId: channelID, ClientId: sub.ClientId})
}

// UnbindChannel forgets a closed status channel, so a new one may open.
func (k Keeper) UnbindChannel(ctx sdk.Context, channelID string) error {
	chainID, err := k.ChannelIndex.Get(ctx, channelID)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	sub, err := k.subchainStatus(ctx, chainID)
	if err != nil {
		return err
	}
	sub.ChannelId = ""
	if err := k.ChannelIndex.Remove(ctx, channelID); err != nil {
		return err
	}
	return k.setStatus(ctx, sub)
}

// bindingOf is the report door's permission check: the subchain the
// snapshot names, which must be the one channelID is bound to and not
// retired. The subchain's record names its bound channel (BindChannel writes
// both it and ChannelIndex, the invariants hold them to each other), so an
// admitted report costs one read; a refused one reads ChannelIndex to say
// why, as the evidence door does.
func (k Keeper) bindingOf(ctx context.Context, channelID string, snap *shared.StatusSnapshot) (types.Subchain, error) {
	if snap != nil {
		sub, err := k.subchainStatus(ctx, snap.ChainId)
		if err == nil && channelID != "" && sub.ChannelId == channelID {
			return sub, activeErr(sub)
		} else if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
			return sub, err
		}
	}
	chainID, err := k.boundChain(ctx, channelID)
	if err != nil {
		return types.Subchain{}, err
	}
	if snap == nil {
		return types.Subchain{}, errorsmod.Wrap(shared.ErrInvalidPacket, "report without a snapshot")
	}
	return types.Subchain{}, errorsmod.Wrapf(types.ErrWrongChain, "channel %s carries chain %s, the packet claims %s", channelID, chainID, snap.ChainId)
}

// boundChain is the IBC door's permission check: the subchain a status
// channel is bound to is the only chain its packets speak for.
func (k Keeper) boundChain(ctx context.Context, channelID string) (string, error) {
	chainID, err := k.ChannelIndex.Get(ctx, channelID)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return "", errorsmod.Wrapf(shared.ErrInvalidChannel, "channel %s is not a bound status channel", channelID)
	}
	return chainID, err
}

// ReceiveReport is the IBC door for reports: a report the subchain sent over
// its status channel. It is the subchain's own consensus, so it is admitted
// on the channel's binding alone: it must name the bound chain and be above
// the subchain's last report over IBC. No org's report, however far ahead it
// claims to be, can have it refused. It also carries the sidecar's snapshot
// interval (Subchain.snapshot_every). Like a report by tx, it may name its
// orgs and validators by hash when they are those of the latest report.
func (k Keeper) ReceiveReport(ctx context.Context, channelID string, r shared.StatusReport) (uint64, error) {
	sub, err := k.bindingOf(ctx, channelID, r.Snapshot)
	if err != nil {
		return 0, err
	}
	snap := *r.Snapshot
	chainID := sub.ChainId
	// A report naming its lists by hash is checked against the record and
	// recorded from it; only one that sends them reads the latest report and
	// its lists, to diff against.
	named := r.ListsHash != nil
	var prev *types.Report
	if named {
		if err := checkNamedLists(sub, r.ListsHash); err != nil {
			return 0, err
		}
		prev = headFromRecord(sub)
	} else if prev, err = k.latestReport(ctx, sub, false); err != nil {
		return 0, err
	}
	if snap.Height <= sub.LastIbcHeight {
		return 0, errorsmod.Wrapf(types.ErrOutdatedReport, "chain %s: height %d, latest report over IBC is at %d", chainID, snap.Height, sub.LastIbcHeight)
	}
	sub.LastIbcReport, sub.LastIbcHeight = r.Sequence, snap.Height
	if r.SnapshotEvery > 0 {
		sub.SnapshotEvery = r.SnapshotEvery
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	return k.appendReport(ctx, sub, prev, named, types.ReportSource{ChannelId: channelID, IbcSequence: r.Sequence}, snap, params)
}

// ReceiveEvidence is the IBC door for evidence: the subchain's own snapshot
// of a disputed report's height (RecordEvidence in dispute.go).
func (k Keeper) ReceiveEvidence(ctx context.Context, channelID string, ev shared.DisputeEvidence) (uint64, error) {
	chainID, err := k.boundChain(ctx, channelID)
	if err != nil {
		return 0, err
	}
	return k.recordEvidence(ctx, chainID, channelID, ev)
}

// maxRefusalText bounds the error text an EventStatusPacketRefused carries.
const maxRefusalText = 1024

// EmitPacketRefused says why a status packet got an error acknowledgement,
// which keeps only the error's code.
func (k Keeper) EmitPacketRefused(ctx sdk.Context, packet channeltypes.Packet, refusal error) {
	codespace, code, _ := errorsmod.ABCIInfo(refusal, false)
	chainID, _ := k.ChannelIndex.Get(ctx, packet.DestinationChannel)
	ev := &types.EventStatusPacketRefused{ChannelId: packet.DestinationChannel, PacketSequence: packet.Sequence,
		ChainId: chainID, Codespace: codespace, Code: code, Error: shared.TruncateText(refusal.Error(), maxRefusalText)}
	if err := emit(ctx, ev); err != nil {
		k.Logger(ctx).Error("emitting EventStatusPacketRefused", "err", err)
	}
}
