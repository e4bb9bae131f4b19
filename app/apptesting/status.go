package apptesting

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	collectorkeeper "github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reporterkeeper "github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// GovAuthority is the governance module account, the apps' authority.
var GovAuthority = authtypes.NewModuleAddress(govtypes.ModuleName).String()

// ReportInterval is the subchains' report interval in these tests, in blocks.
const ReportInterval = 2

// NewStatusPath returns a path from a subchain's reporter port to the main
// chain's collector port; the subchain is endpoint A, as it opens the channel.
func NewStatusPath(sub, main *ibctesting.TestChain) *ibctesting.Path {
	path := ibctesting.NewPath(sub, main)
	for _, end := range []struct {
		e    *ibctesting.Endpoint
		port string
	}{{path.EndpointA, shared.ReporterPortID}, {path.EndpointB, shared.CollectorPortID}} {
		end.e.ChannelConfig.PortID = end.port
		end.e.ChannelConfig.Version = shared.Version
		end.e.ChannelConfig.Order = channeltypes.UNORDERED
	}
	return path
}

// RegisterSubchain registers a subchain on the main chain as governance
// would, binding clientID when it is set.
func RegisterSubchain(t testing.TB, main *ibctesting.TestChain, chainID, clientID string) {
	t.Helper()
	_, err := collectorkeeper.NewMsgServerImpl(App(main).CollectorKeeper).RegisterSubchain(main.GetContext(),
		&collectortypes.MsgRegisterSubchain{Authority: GovAuthority, ChainId: chainID, Name: chainID,
			Kind: collectortypes.SUBCHAIN_KIND_INDUSTRY, ReportInterval: time.Minute, ClientId: clientID})
	require.NoError(t, err)
}

// BindMainClient pins a subchain's client of the main chain as governance
// would; the sidecar opens its status channel only over that client.
func BindMainClient(t testing.TB, sub *ibctesting.TestChain, clientID string) *reportertypes.MsgBindMainClientResponse {
	t.Helper()
	res, err := reporterkeeper.NewMsgServerImpl(App(sub).ReporterKeeper).BindMainClient(sub.GetContext(),
		&reportertypes.MsgBindMainClient{Authority: GovAuthority, ClientId: clientID})
	require.NoError(t, err)
	return res
}

// SetUpStatusChannel registers the subchain on the main chain, binds the
// client the path created on each chain (the main chain's client of the
// subchain in the collector, the subchain's client of the main chain in the
// sidecar), opens the status channel and sets the subchain's report interval
// to ReportInterval blocks.
func SetUpStatusChannel(t testing.TB, path *ibctesting.Path) {
	t.Helper()
	sub, main := path.EndpointA.Chain, path.EndpointB.Chain
	params := reportertypes.DefaultParams()
	params.ReportInterval = ReportInterval
	require.NoError(t, App(sub).ReporterKeeper.Params.Set(sub.GetContext(), params))

	// Clients first, so both can be bound before the handshake (ibctesting's
	// SetupConnections would create new clients).
	path.SetupClients()
	RegisterSubchain(t, main, sub.ChainID, path.EndpointB.ClientID)
	BindMainClient(t, sub, path.EndpointA.ClientID)
	path.CreateConnections()
	path.CreateChannels()
}

// InFlightReport returns the packet of the report a subchain has in flight,
// rebuilt from the reporter's state (the test chains keep no block events).
// Relaying it checks it against the packet commitment, so a wrong rebuild
// cannot pass unnoticed.
func InFlightReport(t testing.TB, path *ibctesting.Path) channeltypes.Packet {
	t.Helper()
	sub := path.EndpointA.Chain
	k := App(sub).ReporterKeeper
	ctx := sub.GetContext()
	link, err := k.Link.Get(ctx)
	require.NoError(t, err)
	require.NotNil(t, link.InFlight, "no report in flight on %s", sub.ChainID)
	f := link.InFlight
	snap, err := k.LastSent.Get(ctx)
	require.NoError(t, err)
	params, err := k.Params.Get(ctx)
	require.NoError(t, err)
	data, err := reporterkeeper.ReportPacketData(snap, *f, params.ReportInterval)
	require.NoError(t, err)
	return channeltypes.NewPacket(data, f.PacketSequence, shared.ReporterPortID, f.ChannelId,
		shared.CollectorPortID, path.EndpointB.ChannelID, clienttypes.ZeroHeight(), f.TimeoutTimestamp)
}

// CommitUntilInFlight commits blocks on the subchain until it has a report in
// flight, at most a few report intervals.
func CommitUntilInFlight(t testing.TB, coord *ibctesting.Coordinator, sub *ibctesting.TestChain) {
	t.Helper()
	for range 4 * ReportInterval {
		coord.CommitBlock(sub)
		link, err := App(sub).ReporterKeeper.Link.Get(sub.GetContext())
		if err == nil && link.InFlight != nil {
			return
		}
	}
	t.Fatalf("%s sent no report", sub.ChainID)
}

// CollectorQuerier returns the main chain's collector query service.
func CollectorQuerier(main *ibctesting.TestChain) collectorkeeper.Querier {
	return collectorkeeper.NewQuerier(App(main).CollectorKeeper)
}

// ReporterQuerier returns a subchain's reporter query service.
func ReporterQuerier(sub *ibctesting.TestChain) reporterkeeper.Querier {
	return reporterkeeper.NewQuerier(App(sub).ReporterKeeper)
}

// CheckInvariants runs every invariant of the chain's statuscollect modules:
// the collector's on a main chain (its escrow against the module account's
// real balance), the sidecar's on a subchain (its contract count against
// x/wasm's contracts).
func CheckInvariants(t testing.TB, chain *ibctesting.TestChain) {
	t.Helper()
	a := App(chain)
	ctx := chain.GetContext()
	var invs []shared.Invariant
	if _, ok := a.ModuleManager.Modules[collectortypes.ModuleName]; ok {
		escrow := func(ctx context.Context) sdk.Coins {
			return a.BankKeeper.GetAllBalances(ctx, authtypes.NewModuleAddress(collectortypes.ModuleName))
		}
		invs = append(invs, a.CollectorKeeper.Invariants(escrow)...)
	}
	if _, ok := a.ModuleManager.Modules[reportertypes.ModuleName]; ok {
		invs = append(invs, a.ReporterKeeper.Invariants(a.ContractSource())...)
	}
	for _, inv := range invs {
		require.NoError(t, inv.Check(ctx), "%s: invariant %s", chain.ChainID, inv.Name)
	}
}
