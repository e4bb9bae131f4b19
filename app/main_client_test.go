package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	reporterkeeper "github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// setReportInterval sets a subchain's reporter params for these tests.
func setReportInterval(t *testing.T, sub *ibctesting.TestChain) {
	t.Helper()
	params := reportertypes.DefaultParams()
	params.ReportInterval = apptesting.ReportInterval
	require.NoError(t, apptesting.App(sub).ReporterKeeper.Params.Set(sub.GetContext(), params))
}

// queryLink is the sidecar's Link query on a subchain.
func queryLink(t *testing.T, sub *ibctesting.TestChain) reportertypes.LinkStatus {
	t.Helper()
	res, err := apptesting.ReporterQuerier(sub).Link(sub.GetContext(), &reportertypes.QueryLinkRequest{})
	require.NoError(t, err)
	return res.Link
}

// TestBindMainClientPermissions: the authority and the admin pin the main
// chain's client; a stranger is refused; the client must exist and be well
// formed; the pin survives a genesis export and import.
func TestBindMainClientPermissions(t *testing.T) {
	coord := apptesting.NewCoordinator(t, app.MainChain, app.SubChain, apptesting.SubChainAID)
	main, sub := coord.Chains[apptesting.MainChainID], coord.Chains[apptesting.SubChainAID]
	path := apptesting.NewStatusPath(sub, main)
	path.SetupClients()
	clientID := path.EndpointA.ClientID

	k := apptesting.App(sub).ReporterKeeper
	msgs := reporterkeeper.NewMsgServerImpl(k)
	admin := sub.SenderAccounts[1].SenderAccount.GetAddress().String()
	stranger := sub.SenderAccounts[2].SenderAccount.GetAddress().String()
	params, err := k.Params.Get(sub.GetContext())
	require.NoError(t, err)
	params.Admin = admin
	require.NoError(t, k.Params.Set(sub.GetContext(), params))

	ctx := sub.GetContext()
	_, err = msgs.BindMainClient(ctx, &reportertypes.MsgBindMainClient{Authority: stranger, ClientId: clientID})
	require.ErrorIs(t, err, reportertypes.ErrUnauthorized)
	_, err = msgs.BindMainClient(ctx, &reportertypes.MsgBindMainClient{Authority: admin, ClientId: "07-tendermint-99"})
	require.ErrorIs(t, err, reportertypes.ErrInvalidClient)
	_, err = msgs.BindMainClient(ctx, &reportertypes.MsgBindMainClient{Authority: admin, ClientId: "not a client!"})
	require.ErrorIs(t, err, reportertypes.ErrInvalidClient)
	_, err = msgs.BindMainClient(ctx, &reportertypes.MsgBindMainClient{Authority: apptesting.GovAuthority, ClientId: clientID})
	require.NoError(t, err)

	// The admin signs a real transaction; the event names the client and the
	// chain it tracks.
	res, err := sub.SendMsgsWithSender(sub.SenderAccounts[1], &reportertypes.MsgBindMainClient{Authority: admin, ClientId: clientID})
	require.NoError(t, err)
	ev, ok := findEvent[*reportertypes.EventMainClientBound](typedEventsOf(res.Events))
	require.True(t, ok, "no EventMainClientBound")
	require.Equal(t, reportertypes.EventMainClientBound{ClientId: clientID, PreviousClientId: clientID, ChainId: main.ChainID}, *ev)
	_, err = sub.SendMsgsWithSender(sub.SenderAccounts[2], &reportertypes.MsgBindMainClient{Authority: stranger, ClientId: clientID})
	require.ErrorContains(t, err, reportertypes.ErrUnauthorized.Error())

	// Genesis: exported, validated, and restored by import.
	gs, err := k.ExportGenesis(sub.GetContext())
	require.NoError(t, err)
	require.Equal(t, clientID, gs.MainClientId)
	require.NoError(t, gs.Validate())
	require.NoError(t, k.MainClient.Remove(sub.GetContext()))
	require.NoError(t, k.InitGenesis(sub.GetContext(), *gs))
	pinned, err := k.MainClient.Get(sub.GetContext())
	require.NoError(t, err)
	require.Equal(t, clientID, pinned)
	bad := *gs
	bad.MainClientId = "x"
	require.ErrorIs(t, bad.Validate(), reportertypes.ErrInvalidClient)
}
