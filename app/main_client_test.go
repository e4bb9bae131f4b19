package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	host "github.com/cosmos/ibc-go/v10/modules/core/24-host"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reporterkeeper "github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// openChannel runs a status channel's whole handshake on a path whose
// connection is open, and returns the first step's error.
func openChannel(path *ibctesting.Path) error {
	for _, step := range []func() error{path.EndpointA.ChanOpenInit, path.EndpointB.ChanOpenTry,
		path.EndpointA.ChanOpenAck, path.EndpointB.ChanOpenConfirm} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

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

// TestHoleSubchainChannelHijack: an attacker races the consortium to the
// subchain's one status channel, first with a chain of their own that takes
// any channel claiming the subchain, then with a second client of the real
// main chain. The sidecar refuses both, and the real channel over the pinned
// client opens afterwards and carries a report.
func TestHoleSubchainChannelHijack(t *testing.T) {
	coord := apptesting.NewCoordinator(t, app.MainChain, app.SubChain, apptesting.SubChainAID)
	main, sub := coord.Chains[apptesting.MainChainID], coord.Chains[apptesting.SubChainAID]
	setReportInterval(t, sub)

	// The attacker's chain runs the collector and binds their own client of
	// subchain A, so it accepts a status channel from A's sidecar.
	evil := apptesting.NewChain(t, coord, "attacker-1", app.MainChain)
	attack := apptesting.NewStatusPath(sub, evil)
	attack.SetupClients()
	apptesting.RegisterSubchain(t, evil, sub.ChainID, attack.EndpointB.ClientID)
	attack.CreateConnections()

	// Before the consortium pinned the main chain's client: no channel at all.
	err := openChannel(attack)
	require.ErrorContains(t, err, reportertypes.ErrNoMainClient.Error(),
		"the sidecar opened its status channel to the attacker's chain before the consortium")

	// The consortium creates the clients and binds them on both ends.
	real := apptesting.NewStatusPath(sub, main)
	real.SetupClients()
	apptesting.RegisterSubchain(t, main, sub.ChainID, real.EndpointB.ClientID)
	apptesting.BindMainClient(t, sub, real.EndpointA.ClientID)

	// The attacker tries again, and with a second client of the real main
	// chain (the main chain's end is over its bound client, so it would
	// accept): both are refused by the sidecar.
	attack.EndpointA.ChannelID, attack.EndpointB.ChannelID = "", ""
	require.ErrorContains(t, openChannel(attack), reportertypes.ErrWrongClient.Error())
	second := apptesting.NewStatusPath(sub, main)
	second.EndpointB.ClientID = real.EndpointB.ClientID
	require.NoError(t, second.EndpointA.CreateClient())
	second.CreateConnections()
	require.ErrorContains(t, openChannel(second), reportertypes.ErrWrongClient.Error())

	// The real channel opens and carries a report.
	real.CreateConnections()
	require.NoError(t, openChannel(real))
	link := queryLink(t, sub)
	require.Equal(t, real.EndpointA.ChannelID, link.ChannelId)
	require.Equal(t, real.EndpointA.ClientID, link.MainClientId)
	require.Equal(t, string(ibcexported.Active), link.MainClientStatus)

	apptesting.CommitUntilInFlight(t, coord, sub)
	_, ackBz, err := real.RelayPacketWithResults(apptesting.InFlightReport(t, real))
	require.NoError(t, err)
	var ack channeltypes.Acknowledgement
	require.NoError(t, channeltypes.SubModuleCdc.UnmarshalJSON(ackBz, &ack))
	require.True(t, ack.Success(), ack.GetError())
	s, err := apptesting.App(main).CollectorKeeper.Subchains.Get(main.GetContext(), sub.ChainID)
	require.NoError(t, err)
	require.Equal(t, real.EndpointB.ChannelID, s.ChannelId)
	require.EqualValues(t, 1, s.LastIbcReport)
}

// TestStatusChannelNeedsPinnedMainClient: with no client of the main chain
// pinned, the sidecar opens no status channel, even over the client the main
// chain bound; once pinned, the same connection carries the channel.
func TestStatusChannelNeedsPinnedMainClient(t *testing.T) {
	coord := apptesting.NewCoordinator(t, app.MainChain, app.SubChain, apptesting.SubChainAID)
	main, sub := coord.Chains[apptesting.MainChainID], coord.Chains[apptesting.SubChainAID]
	setReportInterval(t, sub)
	path := apptesting.NewStatusPath(sub, main)
	path.SetupClients()
	apptesting.RegisterSubchain(t, main, sub.ChainID, path.EndpointB.ClientID)
	path.CreateConnections()

	require.ErrorContains(t, path.EndpointA.ChanOpenInit(), reportertypes.ErrNoMainClient.Error())
	require.Empty(t, queryLink(t, sub).MainClientId)

	apptesting.BindMainClient(t, sub, path.EndpointA.ClientID)
	require.NoError(t, openChannel(path))
	require.Equal(t, path.EndpointA.ChannelID, queryLink(t, sub).ChannelId)
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

// TestRepointMainClientMovesTheStatusChannel: re-pointing the sidecar to a
// new client of the main chain unbinds and closes the channel over the old
// one (its report in flight goes back to pending); once the relayer closes
// the main chain's end, a channel over the new client opens and reports flow
// on, their sequence after the lost report's. The client is checked again at
// OpenAck: a re-point during the handshake refuses the channel.
func TestRepointMainClientMovesTheStatusChannel(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	old := n.pathA
	k := apptesting.App(n.subA).ReporterKeeper

	// A new client of the main chain on subchain A, and a connection over it
	// to the main chain's bound client of A.
	next := apptesting.NewStatusPath(n.subA, n.main)
	next.EndpointB.ClientID = old.EndpointB.ClientID
	require.NoError(t, next.EndpointA.CreateClient())
	next.CreateConnections()
	require.ErrorContains(t, next.EndpointA.ChanOpenInit(), reportertypes.ErrWrongClient.Error(), "not pinned yet")

	// A report is in flight when the admin re-points.
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	before := queryLink(t, n.subA)
	lost := before.InFlight.Sequence
	admin := n.subA.SenderAccounts[1]
	params, err := k.Params.Get(n.subA.GetContext())
	require.NoError(t, err)
	params.Admin = admin.SenderAccount.GetAddress().String()
	require.NoError(t, k.Params.Set(n.subA.GetContext(), params))
	res, err := n.subA.SendMsgsWithSender(admin, &reportertypes.MsgBindMainClient{Authority: params.Admin, ClientId: next.EndpointA.ClientID})
	require.NoError(t, err)
	evs := typedEventsOf(res.Events)
	bound, ok := findEvent[*reportertypes.EventMainClientBound](evs)
	require.True(t, ok, "no EventMainClientBound")
	require.Equal(t, reportertypes.EventMainClientBound{ClientId: next.EndpointA.ClientID, PreviousClientId: old.EndpointA.ClientID,
		ChainId: n.main.ChainID, UnboundChannelId: old.EndpointA.ChannelID, ChannelClosed: true}, *bound)
	failed, ok := findEvent[*reportertypes.EventReportFailed](evs)
	require.True(t, ok, "no EventReportFailed for the report in flight")
	require.Equal(t, lost, failed.Sequence)
	after := queryLink(t, n.subA)
	require.Empty(t, after.ChannelId)
	require.Nil(t, after.InFlight)
	require.Equal(t, before.Failed+1, after.Failed)
	require.Equal(t, before.LastSent, after.LastSent, "the lost report's sequence is not reused")
	require.Equal(t, next.EndpointA.ClientID, after.MainClientId)
	require.Equal(t, channeltypes.CLOSED, old.EndpointA.GetChannel().State)

	// The relayer closes the main chain's end, which unbinds it there.
	require.NoError(t, old.EndpointB.UpdateClient())
	proof, height := n.subA.QueryProof(host.ChannelKey(shared.ReporterPortID, old.EndpointA.ChannelID))
	_, err = n.main.SendMsgs(channeltypes.NewMsgChannelCloseConfirm(shared.CollectorPortID, old.EndpointB.ChannelID,
		proof, height, n.main.SenderAccount.GetAddress().String()))
	require.NoError(t, err)
	s, err := apptesting.App(n.main).CollectorKeeper.Subchains.Get(n.main.GetContext(), apptesting.SubChainAID)
	require.NoError(t, err)
	require.Empty(t, s.ChannelId)

	// Re-pointed back to the old client between OpenTry and OpenAck, the
	// sidecar refuses the acknowledgement; pointed at the new one, it takes it.
	next.EndpointA.ChannelID = ""
	require.NoError(t, next.EndpointA.ChanOpenInit())
	require.NoError(t, next.EndpointB.ChanOpenTry())
	apptesting.BindMainClient(t, n.subA, old.EndpointA.ClientID)
	require.ErrorContains(t, next.EndpointA.ChanOpenAck(), reportertypes.ErrWrongClient.Error())
	apptesting.BindMainClient(t, n.subA, next.EndpointA.ClientID)
	require.NoError(t, next.EndpointA.ChanOpenAck())
	require.NoError(t, next.EndpointB.ChanOpenConfirm())

	// Reports flow over the new channel.
	recv, ack := n.relayReport(t, next)
	require.True(t, ack.Success(), ack.GetError())
	reported, ok := findEvent[*collectortypes.EventStatusReported](recv)
	require.True(t, ok)
	require.Equal(t, next.EndpointB.ChannelID, reported.Source.ChannelId)
	require.Equal(t, lost+1, reported.Source.IbcSequence)
	link := queryLink(t, n.subA)
	require.Equal(t, next.EndpointA.ChannelID, link.ChannelId)
	require.Equal(t, lost+1, link.LastAcked)
}

// TestRepointAfterMainClientExpired: when the subchain's client of the main
// chain expired, the admin re-points the sidecar to a fresh client. The old
// channel cannot be closed over the expired client, but it is unbound, and
// the sidecar takes a new channel over the fresh client. The expired client
// cannot be pinned again.
func TestRepointAfterMainClientExpired(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	old := n.pathA
	// Time passes beyond the trusting period; the main chain's client of A is
	// kept up to date, A's client of the main chain is not.
	for range 3 {
		n.coord.IncrementTimeBy(ibctesting.TrustingPeriod / 2)
		n.coord.CommitBlock(n.subA, n.main)
		require.NoError(t, old.EndpointB.UpdateClient())
	}
	k := apptesting.App(n.subA).ReporterKeeper
	require.Equal(t, "Expired", queryLink(t, n.subA).MainClientStatus)

	next := apptesting.NewStatusPath(n.subA, n.main)
	next.EndpointB.ClientID = old.EndpointB.ClientID
	require.NoError(t, next.EndpointA.CreateClient())
	res := apptesting.BindMainClient(t, n.subA, next.EndpointA.ClientID)
	require.Equal(t, &reportertypes.MsgBindMainClientResponse{UnboundChannelId: old.EndpointA.ChannelID, ChannelClosed: false}, res)
	require.Equal(t, channeltypes.OPEN, old.EndpointA.GetChannel().State, "IBC closes no channel over an expired client")
	ch, err := k.Channel.Has(n.subA.GetContext())
	require.NoError(t, err)
	require.False(t, ch, "the old channel is unbound all the same")

	_, err = reporterkeeper.NewMsgServerImpl(k).BindMainClient(n.subA.GetContext(),
		&reportertypes.MsgBindMainClient{Authority: apptesting.GovAuthority, ClientId: old.EndpointA.ClientID})
	require.ErrorIs(t, err, reportertypes.ErrInvalidClient)
	require.ErrorContains(t, err, "Expired")

	next.CreateConnections()
	require.NoError(t, next.EndpointA.ChanOpenInit(), "the sidecar takes a channel over the fresh client")
}
