package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

func TestBindClient(t *testing.T) {
	f := newFixture(t)
	bind := func(chain, client string) error {
		_, err := f.msgs.BindClient(f.ctx, &types.MsgBindClient{Authority: consortium, ChainId: chain, ClientId: client})
		return err
	}
	require.ErrorIs(t, bind(chainA, "07-tendermint-"+chainB), types.ErrInvalidRequest, "a client tracking another chain")
	require.ErrorIs(t, bind(chainA, "09-localhost"), types.ErrInvalidRequest, "a client that does not exist")
	require.ErrorIs(t, bind("subchain-x", "07-tendermint-subchain-x"), types.ErrUnknownSubchain)
	require.NoError(t, bind(chainA, "07-tendermint-"+chainA))
	require.Equal(t, "07-tendermint-"+chainA, f.subchain(chainA).ClientId)
	require.Equal(t, types.EventClientBound{ChainId: chainA, ClientId: "07-tendermint-" + chainA},
		*eventOf[*types.EventClientBound](t, typedEvents(t, f.ctx)))

	// The same client cannot speak for two subchains.
	require.ErrorIs(t, bind(chainB, "07-tendermint-"+chainA), types.ErrClientBound)

	// Rebinding is refused once a channel is bound.
	sub := f.subchain(chainA)
	sub.ChannelId = "channel-7"
	require.NoError(t, f.k.Subchains.Set(f.ctx, chainA, sub))
	require.ErrorIs(t, bind(chainA, "07-tendermint-"+chainA), types.ErrChannelBound)
}
