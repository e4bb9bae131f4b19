package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v10/modules/light-clients/07-tendermint"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// mainClientID returns the pinned client of the main chain, or "" before one
// is bound.
func (k Keeper) mainClientID(ctx context.Context) (string, error) {
	return collx.Optional(ctx, k.MainClient)
}

// VerifyMainClient accepts a status channel only over one connection hop
// whose client is the pinned client of the main chain. Creating a client, a
// connection and a channel is permissionless, and a client's chain id is
// whatever its creator wrote: without the pin, anyone could open this
// subchain's one status channel to a chain of their own before the
// consortium does, and keep the real channel out for good.
func (k Keeper) VerifyMainClient(ctx sdk.Context, hops []string) error {
	pinned, err := k.mainClientID(ctx)
	if err != nil {
		return err
	}
	if pinned == "" {
		return errorsmod.Wrap(types.ErrNoMainClient, "the authority or admin binds it first (tx statusreporter bind-main-client)")
	}
	if len(hops) != 1 {
		return errorsmod.Wrapf(shared.ErrInvalidChannel, "status channels take one connection hop, got %d", len(hops))
	}
	conn, found := k.connections.GetConnection(ctx, hops[0])
	if !found {
		return errorsmod.Wrapf(shared.ErrInvalidChannel, "connection %s not found", hops[0])
	}
	if conn.ClientId != pinned {
		return errorsmod.Wrapf(types.ErrWrongClient, "connection %s is over client %s; the main chain's pinned client is %s",
			hops[0], conn.ClientId, pinned)
	}
	return nil
}

// channelClient returns the client under a status channel's connection, or
// "" if the channel or its connection is gone.
func (k Keeper) channelClient(ctx sdk.Context, channelID string) string {
	ch, found := k.channels.GetChannel(ctx, shared.ReporterPortID, channelID)
	if !found || len(ch.ConnectionHops) != 1 {
		return ""
	}
	conn, found := k.connections.GetConnection(ctx, ch.ConnectionHops[0])
	if !found {
		return ""
	}
	return conn.ClientId
}

// BindMainClient pins the client of the main chain (authority or admin).
// The client must exist and be active. Re-pointing (a new client, or recovery
// after the old one expired) retires a bound status channel that runs over
// another client, so a channel over the new client can open.
func (k Keeper) BindMainClient(ctx context.Context, msg *types.MsgBindMainClient) (*types.MsgBindMainClientResponse, error) {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	clientID := msg.ClientId
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	cs, found := k.clients.GetClientState(sdkCtx, clientID)
	if !found {
		return nil, errorsmod.Wrapf(types.ErrInvalidClient, "client %s does not exist", clientID)
	}
	if status := k.clients.GetClientStatus(sdkCtx, clientID); status != ibcexported.Active {
		return nil, errorsmod.Wrapf(types.ErrInvalidClient, "client %s is %s, not %s", clientID, status, ibcexported.Active)
	}
	prev, err := k.mainClientID(ctx)
	if err != nil {
		return nil, err
	}
	ev := &types.EventMainClientBound{ClientId: clientID, PreviousClientId: prev}
	if tm, ok := cs.(*ibctm.ClientState); ok {
		ev.ChainId = tm.ChainId
	}
	ch, err := k.channelID(ctx)
	if err != nil {
		return nil, err
	}
	if ch != "" && k.channelClient(sdkCtx, ch) != clientID {
		ev.UnboundChannelId = ch
		if ev.ChannelClosed, err = k.retireChannel(sdkCtx, ch); err != nil {
			return nil, err
		}
	}
	if err := k.MainClient.Set(ctx, clientID); err != nil {
		return nil, err
	}
	return &types.MsgBindMainClientResponse{UnboundChannelId: ev.UnboundChannelId, ChannelClosed: ev.ChannelClosed}, emit(ctx, ev)
}

// retireChannel stops reporting over a status channel that no longer runs
// over the pinned client, and unbinds it. It also closes this end when IBC
// allows (not over an expired or frozen client): the relayer then closes the
// main chain's end, which frees the main chain for the new channel. A report
// in flight on the channel is lost to it: what it carried goes back to
// pending, and the next report takes the next sequence, as after a timeout.
func (k Keeper) retireChannel(ctx sdk.Context, channelID string) (closed bool, err error) {
	if ch, found := k.channels.GetChannel(ctx, shared.ReporterPortID, channelID); found && ch.State == channeltypes.OPEN {
		cacheCtx, write := ctx.CacheContext()
		if err := k.channels.ChanCloseInit(cacheCtx, shared.ReporterPortID, channelID); err != nil {
			k.Logger(ctx).Info("status channel unbound but left open", "channel", channelID, "err", err)
		} else {
			write()
			closed = true
		}
	}
	lost, err := k.UnbindChannel(ctx, channelID)
	if err != nil || lost == nil {
		return closed, err
	}
	return closed, emit(ctx, &types.EventReportFailed{Sequence: lost.Sequence,
		Reason: fmt.Sprintf("status channel %s unbound: the main chain's client was re-pointed", channelID)})
}
