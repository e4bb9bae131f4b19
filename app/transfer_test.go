package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	transfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
)

// transfer sends amount of denom from srcEnd's chain to dstEnd's chain and
// relays the packet.
func transfer(t *testing.T, path *ibctesting.Path, srcEnd, dstEnd *ibctesting.Endpoint, denom string, amount sdkmath.Int) {
	t.Helper()
	src, dst := srcEnd.Chain, dstEnd.Chain
	msg := transfertypes.NewMsgTransfer(srcEnd.ChannelConfig.PortID, srcEnd.ChannelID,
		sdk.NewCoin(denom, amount), src.SenderAccount.GetAddress().String(),
		dst.SenderAccount.GetAddress().String(), clienttypes.ZeroHeight(), src.GetTimeoutTimestamp(), "")
	res, err := src.SendMsgs(msg)
	require.NoError(t, err)
	packet, err := ibctesting.ParsePacketFromEvents(res.Events)
	require.NoError(t, err)
	require.NoError(t, path.RelayPacket(packet))
}

func balance(chain *ibctesting.TestChain, denom string) sdkmath.Int {
	a := apptesting.App(chain)
	return a.BankKeeper.GetBalance(chain.GetContext(), chain.SenderAccount.GetAddress(), denom).Amount
}

// TestTransferMainToSubAndBack relays an ICS-20 transfer from the main chain
// to a subchain (a CosmWasm app) and the voucher back again.
func TestTransferMainToSubAndBack(t *testing.T) {
	coord := apptesting.NewCoordinator(t, app.MainChain, app.SubChain, apptesting.SubChainAID)
	mainChain := coord.GetChain(apptesting.MainChainID)
	subChain := coord.GetChain(apptesting.SubChainAID)

	path := ibctesting.NewTransferPath(mainChain, subChain)
	path.Setup()

	denom := sdk.DefaultBondDenom
	amount := sdkmath.NewInt(12345)
	mainBefore := balance(mainChain, denom)

	transfer(t, path, path.EndpointA, path.EndpointB, denom, amount)

	voucher := transfertypes.NewDenom(denom, transfertypes.NewHop(path.EndpointB.ChannelConfig.PortID, path.EndpointB.ChannelID))
	require.Equal(t, amount, balance(subChain, voucher.IBCDenom()), "voucher on the subchain")
	require.Equal(t, mainBefore.Sub(amount), balance(mainChain, denom), "escrowed on the main chain")

	transfer(t, path, path.EndpointB, path.EndpointA, voucher.IBCDenom(), amount)

	require.True(t, balance(subChain, voucher.IBCDenom()).IsZero(), "voucher burnt on the way back")
	require.Equal(t, mainBefore, balance(mainChain, denom), "escrow released on the main chain")
}
