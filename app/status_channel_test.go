package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	transfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	collectorkeeper "github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reporterkeeper "github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// network is one main chain and two subchains with their status channels open.
type network struct {
	coord            *ibctesting.Coordinator
	main, subA, subB *ibctesting.TestChain
	pathA, pathB     *ibctesting.Path
}

func newNetwork(t testing.TB) *network {
	t.Helper()
	n := &network{coord: apptesting.NewCoordinator(t, app.MainChain, app.SubChain, apptesting.SubChainAID, apptesting.SubChainBID)}
	n.main = n.coord.Chains[apptesting.MainChainID]
	n.subA = n.coord.Chains[apptesting.SubChainAID]
	n.subB = n.coord.Chains[apptesting.SubChainBID]
	n.pathA = apptesting.NewStatusPath(n.subA, n.main)
	n.pathB = apptesting.NewStatusPath(n.subB, n.main)
	apptesting.SetUpStatusChannel(t, n.pathA)
	apptesting.SetUpStatusChannel(t, n.pathB)
	return n
}

// relayReport waits for the subchain's next report, relays it and its
// acknowledgement, and returns the typed events of the main chain's receive
// and the acknowledgement written.
func (n *network) relayReport(t testing.TB, path *ibctesting.Path) ([]proto.Message, channeltypes.Acknowledgement) {
	t.Helper()
	apptesting.CommitUntilInFlight(t, n.coord, path.EndpointA.Chain)
	res, ackBz, err := path.RelayPacketWithResults(apptesting.InFlightReport(t, path))
	require.NoError(t, err)
	var ack channeltypes.Acknowledgement
	require.NoError(t, channeltypes.SubModuleCdc.UnmarshalJSON(ackBz, &ack))
	apptesting.CheckInvariants(t, n.main)
	apptesting.CheckInvariants(t, path.EndpointA.Chain)
	return typedEventsOf(res.Events), ack
}

func typedEventsOf(events []abci.Event) []proto.Message {
	var out []proto.Message
	for _, ev := range events {
		if msg, err := sdk.ParseTypedEvent(ev); err == nil {
			out = append(out, msg)
		}
	}
	return out
}

func findEvent[T proto.Message](evs []proto.Message) (T, bool) {
	for _, ev := range evs {
		if e, ok := ev.(T); ok {
			return e, true
		}
	}
	var zero T
	return zero, false
}

func (n *network) latest(t *testing.T, chainID string) collectortypes.Report {
	t.Helper()
	k := apptesting.App(n.main).CollectorKeeper
	sub, err := k.Subchains.Get(n.main.GetContext(), chainID)
	require.NoError(t, err)
	r, err := k.GetReport(n.main.GetContext(), chainID, sub.LastSequence)
	require.NoError(t, err)
	return r
}

// storeHackatom stores testdata/hackatom.wasm as code 1, unless it is stored.
func storeHackatom(t testing.TB, chain *ibctesting.TestChain) {
	t.Helper()
	if apptesting.App(chain).WasmKeeper.GetCodeInfo(chain.GetContext(), 1) != nil {
		return
	}
	code, err := os.ReadFile("../testdata/hackatom.wasm")
	require.NoError(t, err)
	_, err = chain.SendMsgs(&wasmtypes.MsgStoreCode{Sender: chain.SenderAccount.GetAddress().String(), WASMByteCode: code})
	require.NoError(t, err)
}

// instantiate stores hackatom (once) and instantiates it on a subchain,
// returning the new contract's address.
func instantiate(t testing.TB, chain *ibctesting.TestChain, label string) string {
	t.Helper()
	storeHackatom(t, chain)
	sender := chain.SenderAccount.GetAddress().String()
	res, err := chain.SendMsgs(&wasmtypes.MsgInstantiateContract{Sender: sender, Admin: sender, CodeID: 1, Label: label,
		Msg: []byte(fmt.Sprintf(`{"verifier":%q,"beneficiary":%q}`, sender, sender))})
	require.NoError(t, err)
	for _, ev := range res.Events {
		if ev.Type == wasmtypes.EventTypeInstantiate {
			for _, a := range ev.Attributes {
				if a.Key == wasmtypes.AttributeKeyContractAddr {
					return a.Value
				}
			}
		}
	}
	t.Fatal("no contract address in the instantiate events")
	return ""
}

func TestStatusReportsArriveFromBothSubchains(t *testing.T) {
	n := newNetwork(t)
	for _, path := range []*ibctesting.Path{n.pathA, n.pathB} {
		evs, ack := n.relayReport(t, path)
		require.True(t, ack.Success(), ack.GetError())
		reported, ok := findEvent[*collectortypes.EventStatusReported](evs)
		require.True(t, ok)
		chainID := path.EndpointA.Chain.ChainID
		require.Equal(t, chainID, reported.ChainId)
		require.Equal(t, path.EndpointB.ChannelID, reported.Source.ChannelId)
		r := n.latest(t, chainID)
		require.Len(t, r.Snapshot.Validators, 4)
		require.Equal(t, "genesis", r.Snapshot.SoftwareVersion)

		h, err := apptesting.CollectorQuerier(n.main).Subchain(n.main.GetContext(), &collectortypes.QuerySubchainRequest{ChainId: chainID})
		require.NoError(t, err)
		require.Equal(t, path.EndpointB.ClientID, h.Health.Link.ClientId)
		require.Equal(t, "Active", h.Health.Link.ClientStatus)
		require.Positive(t, h.Health.Link.TrustExpiresInSeconds)
		require.EqualValues(t, 1, h.Health.Link.LastIbcReport)
		require.EqualValues(t, apptesting.ReportInterval, h.Health.Subchain.SnapshotEvery, "the report names the sidecar's snapshot interval")

		link, err := apptesting.App(path.EndpointA.Chain).ReporterKeeper.Link.Get(path.EndpointA.Chain.GetContext())
		require.NoError(t, err)
		require.EqualValues(t, 1, link.LastAcked)
		require.Nil(t, link.InFlight)
	}
}

func TestContractOnSubchainBecomesMainChainEvent(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA) // the first report carries the whole state
	addr := instantiate(t, n.subA, "registry")

	evs, ack := n.relayReport(t, n.pathA)
	require.True(t, ack.Success(), ack.GetError())
	changed, ok := findEvent[*collectortypes.EventContractsChanged](evs)
	require.True(t, ok, "no EventContractsChanged")
	require.Equal(t, apptesting.SubChainAID, changed.ChainId)
	require.Equal(t, []shared.Contract{{Address: addr, CodeId: 1, Label: "registry"}}, changed.Added)
	require.EqualValues(t, 1, changed.CountAfter)
}

func TestValidatorSetChangeBecomesNodesChanged(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	a := apptesting.App(n.subA)
	ctx := n.subA.GetContext()
	vals, err := a.StakingKeeper.GetBondedValidatorsByPower(ctx)
	require.NoError(t, err)
	cons, err := vals[0].GetConsAddr()
	require.NoError(t, err)
	require.NoError(t, a.StakingKeeper.Jail(ctx, cons))

	evs, _ := n.relayReport(t, n.pathA)
	nodes, ok := findEvent[*collectortypes.EventNodesChanged](evs)
	require.True(t, ok, "no EventNodesChanged")
	require.Equal(t, []string{sdk.ConsAddress(cons).String()}, nodes.Removed)
	require.EqualValues(t, 3, nodes.NodeCount)
}

// TestTimeoutThenSuccessDeliversEveryChangeOnce: a report times out; what it
// carried rides on the next report, and nothing is announced twice.
func TestTimeoutThenSuccessDeliversEveryChangeOnce(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)

	first := instantiate(t, n.subA, "first")
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	lost := apptesting.InFlightReport(t, n.pathA)
	n.coord.IncrementTimeBy(reportertypes.DefaultParams().PacketTimeout) // past the packet timeout
	n.coord.CommitBlock(n.main)
	require.NoError(t, n.pathA.EndpointA.UpdateClient())
	require.NoError(t, n.pathA.EndpointA.TimeoutPacket(lost))

	second := instantiate(t, n.subA, "second")
	// Relay reports until nothing is pending (the next report may have left
	// before the second contract existed): each contract is announced once.
	var announced []string
	for range 4 {
		evs, ack := n.relayReport(t, n.pathA)
		require.True(t, ack.Success(), ack.GetError())
		if changed, ok := findEvent[*collectortypes.EventContractsChanged](evs); ok {
			for _, c := range changed.Added {
				announced = append(announced, c.Address)
			}
		}
		link, err := apptesting.App(n.subA).ReporterKeeper.Link.Get(n.subA.GetContext())
		require.NoError(t, err)
		if link.PendingContracts == 0 && len(announced) >= 2 {
			break
		}
	}
	require.ElementsMatch(t, []string{first, second}, announced)
	require.EqualValues(t, 2, n.latest(t, apptesting.SubChainAID).Snapshot.ContractCount)
}

// TestContractMigratedAgainInFlightIsReportedWithItsLatestCode: a contract
// migrated while the report announcing its previous migration is in flight
// stays pending with the newer code id, and the next report carries it.
func TestContractMigratedAgainInFlightIsReportedWithItsLatestCode(t *testing.T) {
	n := newNetwork(t)
	addr := instantiate(t, n.subA, "migrating")
	for range 4 {
		if n.relayReport(t, n.pathA); n.pendingContracts(t) == 0 {
			break
		}
	}
	require.Zero(t, n.pendingContracts(t))

	migrate(t, n.subA, addr, 2)
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	inFlight := apptesting.InFlightReport(t, n.pathA)
	migrate(t, n.subA, addr, 3) // while the report carrying code 2 is in flight
	_, ackBz, err := n.pathA.RelayPacketWithResults(inFlight)
	require.NoError(t, err)
	var ack channeltypes.Acknowledgement
	require.NoError(t, channeltypes.SubModuleCdc.UnmarshalJSON(ackBz, &ack))
	require.True(t, ack.Success(), ack.GetError())

	pending, err := apptesting.App(n.subA).ReporterKeeper.PendingContracts.Get(n.subA.GetContext(), addr)
	require.NoError(t, err, "the newer migration is still pending after the older one's acknowledgement")
	require.EqualValues(t, 3, pending.CodeId)
	require.Equal(t, "migrating", pending.Label, "a migration keeps the label")

	n.relayReport(t, n.pathA)
	var heard []shared.Contract
	for _, c := range n.latest(t, apptesting.SubChainAID).Snapshot.NewContracts {
		if c.Address == addr {
			heard = append(heard, c)
		}
	}
	require.Equal(t, []shared.Contract{{Address: addr, CodeId: 3, Label: "migrating"}}, heard,
		"the main chain hears of code 3, with the contract's label")
	require.Zero(t, n.pendingContracts(t))
}

func (n *network) pendingContracts(t *testing.T) uint64 {
	t.Helper()
	link, err := apptesting.App(n.subA).ReporterKeeper.Link.Get(n.subA.GetContext())
	require.NoError(t, err)
	return link.PendingContracts
}

// migrate stores hackatom again as code codeID and migrates the contract to it.
func migrate(t testing.TB, chain *ibctesting.TestChain, contract string, codeID uint64) {
	t.Helper()
	sender := chain.SenderAccount.GetAddress().String()
	code, err := os.ReadFile("../testdata/hackatom.wasm")
	require.NoError(t, err)
	_, err = chain.SendMsgs(&wasmtypes.MsgStoreCode{Sender: sender, WASMByteCode: code})
	require.NoError(t, err)
	require.NotNil(t, apptesting.App(chain).WasmKeeper.GetCodeInfo(chain.GetContext(), codeID))
	_, err = chain.SendMsgs(&wasmtypes.MsgMigrateContract{Sender: sender, Contract: contract, CodeID: codeID,
		Msg: []byte(fmt.Sprintf(`{"verifier":%q}`, sender))})
	require.NoError(t, err)
}

// sendRaw sends arbitrary bytes from a subchain's reporter port over its
// status channel, as a subchain with tampered software could.
func sendRaw(t *testing.T, n *network, path *ibctesting.Path, data []byte) channeltypes.Packet {
	t.Helper()
	sub := path.EndpointA.Chain
	timeout := uint64(sub.GetContext().BlockTime().Add(time.Hour).UnixNano())
	seq, err := sub.App.GetIBCKeeper().ChannelKeeper.SendPacket(sub.GetContext(), shared.ReporterPortID,
		path.EndpointA.ChannelID, clienttypes.ZeroHeight(), timeout, data)
	require.NoError(t, err)
	n.coord.CommitBlock(sub)
	return channeltypes.NewPacket(data, seq, shared.ReporterPortID, path.EndpointA.ChannelID,
		shared.CollectorPortID, path.EndpointB.ChannelID, clienttypes.ZeroHeight(), timeout)
}

// TestBadPacketsGetErrorAcks: a subchain cannot report for another chain, and
// malformed or oversized data gets an error acknowledgement; nothing is stored.
func TestBadPacketsGetErrorAcks(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	before := n.latest(t, apptesting.SubChainAID)

	claimsA := shared.StatusSnapshot{ChainId: apptesting.SubChainAID, Height: 10_000, BlockTime: time.Now().UTC(),
		Validators: []shared.Validator{{Address: "forged", Power: 1}}}
	forged, err := shared.NewReportPacket(shared.StatusReport{Sequence: 99, Snapshot: &claimsA})
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		data []byte
		why  string
	}{
		"B claims to be A": {forged, "the packet claims " + apptesting.SubChainAID},
		"not protobuf":     {[]byte("{not a packet"), "invalid status channel packet"},
		"oversized":        {make([]byte, shared.MaxPacketSize+1), "over its size limit"},
	} {
		t.Run(name, func(t *testing.T) {
			packet := sendRaw(t, n, n.pathB, tc.data)
			res, ackBz, err := n.pathB.RelayPacketWithResults(packet)
			require.NoError(t, err)
			var ack channeltypes.Acknowledgement
			require.NoError(t, channeltypes.SubModuleCdc.UnmarshalJSON(ackBz, &ack))
			require.False(t, ack.Success())
			// The ack keeps only the code; the event says why, with IBC's
			// prefix for the events of a refused packet.
			refused := map[string]string{}
			for _, ev := range res.Events {
				if ev.Type == "ibccallbackerror-statuscollect.collector.v1.EventStatusPacketRefused" {
					for _, a := range ev.Attributes {
						refused[a.Key] = a.Value
					}
				}
			}
			require.Contains(t, refused["ibccallbackerror-error"], tc.why)
			require.Equal(t, `"`+apptesting.SubChainBID+`"`, refused["ibccallbackerror-chain_id"])
		})
	}
	require.Equal(t, before, n.latest(t, apptesting.SubChainAID), "A's record is untouched")
	_, err = apptesting.App(n.main).CollectorKeeper.Subchains.Get(n.main.GetContext(), apptesting.SubChainBID)
	require.NoError(t, err)
}

// TestHandshakeRefusals: a chain with no registration, and a second client
// claiming a registered chain's id, cannot open a status channel.
func TestHandshakeRefusals(t *testing.T) {
	n := newNetwork(t)

	t.Run("unregistered chain", func(t *testing.T) {
		c := apptesting.NewChain(t, n.coord, "subchain-c-1", app.SubChain)
		path := apptesting.NewStatusPath(c, n.main)
		path.SetupConnections()
		apptesting.BindMainClient(t, c, path.EndpointA.ClientID)
		require.NoError(t, path.EndpointA.ChanOpenInit())
		err := path.EndpointB.ChanOpenTry()
		require.ErrorContains(t, err, collectortypes.ErrUnboundClient.Error())
	})

	t.Run("second client claiming subchain A", func(t *testing.T) {
		// A fresh reporter state pinned to the new path's client, so subchain
		// A's own checks are not what refuses.
		path := apptesting.NewStatusPath(n.subA, n.main)
		path.SetupConnections()
		k := apptesting.App(n.subA).ReporterKeeper
		require.NoError(t, k.Channel.Remove(n.subA.GetContext()))
		require.NoError(t, k.MainClient.Set(n.subA.GetContext(), path.EndpointA.ClientID))
		require.NoError(t, path.EndpointA.ChanOpenInit())
		err := path.EndpointB.ChanOpenTry()
		require.ErrorContains(t, err, collectortypes.ErrUnboundClient.Error())
	})

	for name, malleate := range map[string]func(*ibctesting.Path){
		"ordered channel":         func(p *ibctesting.Path) { p.EndpointA.ChannelConfig.Order = channeltypes.ORDERED },
		"unknown version":         func(p *ibctesting.Path) { p.EndpointA.ChannelConfig.Version = "statuscollect-2" },
		"wrong counterparty port": func(p *ibctesting.Path) { p.EndpointB.ChannelConfig.PortID = "transfer" },
	} {
		t.Run(name, func(t *testing.T) {
			c := apptesting.NewChain(t, n.coord, "subchain-"+strings.ReplaceAll(name, " ", "-")+"-1", app.SubChain)
			path := apptesting.NewStatusPath(c, n.main)
			malleate(path)
			path.SetupConnections()
			require.ErrorContains(t, path.EndpointA.ChanOpenInit(), shared.ErrInvalidChannel.Error())
		})
	}

	t.Run("second channel from subchain B", func(t *testing.T) {
		path := apptesting.NewStatusPath(n.subB, n.main)
		path.EndpointA.ConnectionID, path.EndpointB.ConnectionID = n.pathB.EndpointA.ConnectionID, n.pathB.EndpointB.ConnectionID
		path.EndpointA.ClientID, path.EndpointB.ClientID = n.pathB.EndpointA.ClientID, n.pathB.EndpointB.ClientID
		err := path.EndpointA.ChanOpenInit()
		require.ErrorContains(t, err, "status channel is already open")
	})
}

// BenchmarkStatusReportRecvGas prints the main chain's gas to receive one
// status report (carrying a new contract) beside its gas to receive one
// ICS-20 transfer from the same subchain, both relayed in the same run.
// Run: make bench-gas.
func BenchmarkStatusReportRecvGas(b *testing.B) {
	n := newNetwork(b)
	n.relayReport(b, n.pathA) // the first report carries the whole state; measure steady ones
	transferPath := ibctesting.NewTransferPath(n.subA, n.main)
	transferPath.Setup()

	var reportGas, transferGas int64
	b.ResetTimer()
	for i := range b.N {
		instantiate(b, n.subA, fmt.Sprintf("bench-%d", i))
		apptesting.CommitUntilInFlight(b, n.coord, n.subA)
		res, ackBz, err := n.pathA.RelayPacketWithResults(apptesting.InFlightReport(b, n.pathA))
		require.NoError(b, err)
		require.Contains(b, string(ackBz), "result")
		reportGas += res.GasUsed

		msg := transfertypes.NewMsgTransfer(transferPath.EndpointA.ChannelConfig.PortID, transferPath.EndpointA.ChannelID,
			sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.NewInt(100)), n.subA.SenderAccount.GetAddress().String(),
			n.main.SenderAccount.GetAddress().String(), clienttypes.ZeroHeight(), n.subA.GetTimeoutTimestamp(), "")
		sent, err := n.subA.SendMsgs(msg)
		require.NoError(b, err)
		packet, err := ibctesting.ParsePacketFromEvents(sent.Events)
		require.NoError(b, err)
		res, _, err = transferPath.RelayPacketWithResults(packet)
		require.NoError(b, err)
		transferGas += res.GasUsed
	}
	b.ReportMetric(float64(reportGas)/float64(b.N), "gas/recv-status-report")
	b.ReportMetric(float64(transferGas)/float64(b.N), "gas/recv-ics20")
	b.ReportMetric(float64(reportGas)/float64(transferGas), "ratio")
}

// orgReporter makes org a member of subchain A on the main chain, with the
// main chain's sender as its admin and monitoring account, and returns that
// account.
func (n *network) orgReporter(t *testing.T, org string) string {
	t.Helper()
	reporter := n.main.SenderAccount.GetAddress().String()
	msgs := collectorkeeper.NewMsgServerImpl(apptesting.App(n.main).CollectorKeeper)
	ctx := n.main.GetContext()
	_, err := msgs.RegisterOrg(ctx, &collectortypes.MsgRegisterOrg{Authority: apptesting.GovAuthority, OrgId: org, Name: org, Admin: reporter})
	require.NoError(t, err)
	_, err = msgs.AddMember(ctx, &collectortypes.MsgAddMember{Authority: apptesting.GovAuthority, ChainId: apptesting.SubChainAID, OrgId: org})
	require.NoError(t, err)
	_, err = msgs.GrantReporter(ctx, &collectortypes.MsgGrantReporter{Admin: reporter, ChainId: apptesting.SubChainAID, OrgId: org, Reporter: reporter})
	require.NoError(t, err)
	return reporter
}

// ownSnapshotAhead commits subchain A two report intervals on and returns
// its sidecar's latest snapshot: a height its own ring holds, newer than the
// main chain's latest report.
func (n *network) ownSnapshotAhead(t *testing.T) *reportertypes.QuerySnapshotResponse {
	t.Helper()
	for range 2 * apptesting.ReportInterval {
		n.coord.CommitBlock(n.subA)
	}
	own, err := apptesting.ReporterQuerier(n.subA).Snapshot(n.subA.GetContext(), &reportertypes.QuerySnapshotRequest{})
	require.NoError(t, err)
	return own
}

// TestReportsNameUnchangedListsByHash: once the main chain has acknowledged a
// report saying it takes lists by hash, the sidecar names unchanged orgs and
// validators by their hash, in a smaller packet, and the main chain records
// them whole. When an org's report by tx has changed the lists since, the
// main chain refuses the report; the sidecar counts it lost and sends the
// next one whole, which is recorded with the subchain's own lists.
func TestReportsNameUnchangedListsByHash(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	reporter := apptesting.App(n.subA).ReporterKeeper
	link := func() reportertypes.LinkStatus {
		l, err := reporter.Link.Get(n.subA.GetContext())
		require.NoError(t, err)
		return l
	}
	require.True(t, link().MainTakesListsHash)

	instantiate(t, n.subA, "named-by-hash")
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	require.True(t, link().InFlight.ListsByHash)
	packet := apptesting.InFlightReport(t, n.pathA)
	sent, err := reporter.LastSent.Get(n.subA.GetContext())
	require.NoError(t, err)
	wholeForm := *link().InFlight
	wholeForm.ListsByHash = false
	whole, err := reporterkeeper.ReportPacketData(sent, wholeForm, apptesting.ReportInterval)
	require.NoError(t, err)
	t.Logf("report packet: %d bytes by hash, %d whole", len(packet.Data), len(whole))
	require.Less(t, len(packet.Data), len(whole))
	_, ackBz, err := n.pathA.RelayPacketWithResults(packet)
	require.NoError(t, err)
	require.Contains(t, string(ackBz), "result")
	latest := n.latest(t, apptesting.SubChainAID)
	require.Equal(t, sent.Orgs, latest.Snapshot.Orgs)
	require.Equal(t, sent.Validators, latest.Snapshot.Validators)
	require.Len(t, latest.Snapshot.NewContracts, 1)

	// An org's report by tx renames a validator on the main chain.
	forger := n.orgReporter(t, "org-f")
	forged := n.ownSnapshotAhead(t).Snapshot
	forged.Validators[0].Moniker = "forged"
	_, err = n.main.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: forger, Snapshot: forged})
	require.NoError(t, err)

	// The sidecar's next report names its own lists by hash: refused.
	contract := instantiate(t, n.subA, "after-the-forgery")
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	require.True(t, link().InFlight.ListsByHash)
	failed := link().Failed
	_, ack := n.relayReport(t, n.pathA)
	require.False(t, ack.Success())
	require.Equal(t, failed+1, link().Failed)
	require.Equal(t, "forged", n.latest(t, apptesting.SubChainAID).Snapshot.Validators[0].Moniker)

	// The next one goes whole and restores the subchain's own lists.
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	require.False(t, link().InFlight.ListsByHash)
	_, ack = n.relayReport(t, n.pathA)
	require.True(t, ack.Success(), ack.GetError())
	latest = n.latest(t, apptesting.SubChainAID)
	own, err := reporter.LastSent.Get(n.subA.GetContext())
	require.NoError(t, err)
	require.Equal(t, own.Validators, latest.Snapshot.Validators)
	require.NotEqual(t, "forged", latest.Snapshot.Validators[0].Moniker)
	require.Equal(t, contract, latest.Snapshot.NewContracts[0].Address, "the refused report's contract rode on this one")
}

// TestSubchainEvidenceUpholdsDispute: an org's monitoring account submits a
// forged status by tx; a subchain account files the dispute on the subchain,
// whose sidecar checks it against its own snapshot and sends the evidence;
// the main chain upholds it by itself and suspends the forging org.
func TestSubchainEvidenceUpholdsDispute(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	mainApp, subApp := apptesting.App(n.main), apptesting.App(n.subA)

	forger := n.orgReporter(t, "org-f")

	// The forgery: the subchain's latest snapshot with a wrong contract count,
	// at a height the subchain's own ring holds, newer than what the main chain has.
	own := n.ownSnapshotAhead(t)
	forged := own.Snapshot
	forged.ContractCount += 7
	// A height the sidecar does not snapshot could not be checked: refused.
	offCadence := forged
	offCadence.Height++
	_, err := n.main.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: forger, Snapshot: offCadence})
	require.ErrorContains(t, err, collectortypes.ErrUncheckable.Error())
	res, err := n.main.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: forger, Snapshot: forged})
	require.NoError(t, err)
	forgedSeq := n.latest(t, apptesting.SubChainAID).Sequence

	// On the subchain: its admin files the dispute.
	filer := n.subA.SenderAccount.GetAddress().String()
	params, err := subApp.ReporterKeeper.Params.Get(n.subA.GetContext())
	require.NoError(t, err)
	params.Admin = filer
	require.NoError(t, subApp.ReporterKeeper.Params.Set(n.subA.GetContext(), params))

	honest := own.Snapshot
	between := forged
	between.Height++
	_, err = n.subA.SendMsgs(&reportertypes.MsgDisputeReport{Filer: filer, MainSequence: forgedSeq, Reported: between})
	require.ErrorContains(t, err, "no snapshot at that height")
	_, err = reporterkeeper.NewMsgServerImpl(subApp.ReporterKeeper).DisputeReport(n.subA.GetContext(), &reportertypes.MsgDisputeReport{
		Filer: n.subA.SenderAccounts[1].SenderAccount.GetAddress().String(), MainSequence: forgedSeq, Reported: forged})
	require.ErrorIs(t, err, reportertypes.ErrNotValidator)

	res, err = n.subA.SendMsgs(&reportertypes.MsgDisputeReport{Filer: filer, MainSequence: forgedSeq, Reported: forged})
	require.NoError(t, err)
	packet, err := ibctesting.ParsePacketFromEvents(res.Events)
	require.NoError(t, err)
	recv, ackBz, err := n.pathA.RelayPacketWithResults(packet)
	require.NoError(t, err)
	var ack channeltypes.Acknowledgement
	require.NoError(t, channeltypes.SubModuleCdc.UnmarshalJSON(ackBz, &ack))
	require.True(t, ack.Success(), ack.GetError())

	evs := typedEventsOf(recv.Events)
	resolved, ok := findEvent[*collectortypes.EventDisputeResolved](evs)
	require.True(t, ok)
	require.Equal(t, collectortypes.DISPUTE_STATUS_UPHELD, resolved.Status)
	suspended, ok := findEvent[*collectortypes.EventReportingSuspended](evs)
	require.True(t, ok)
	require.Equal(t, "org-f", suspended.OrgId)
	d, err := apptesting.CollectorQuerier(n.main).Dispute(n.main.GetContext(), &collectortypes.QueryDisputeRequest{DisputeId: resolved.DisputeId})
	require.NoError(t, err)
	require.Equal(t, []collectortypes.DisputedField{{Field: shared.FieldContractCount,
		Reported: fmt.Sprint(forged.ContractCount), Observed: fmt.Sprint(honest.ContractCount)}}, d.Dispute.Fields)

	// The forger's account can no longer report for the subchain.
	again := forged
	again.Height++
	_, err = n.main.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: forger, Snapshot: again})
	require.ErrorContains(t, err, collectortypes.ErrSuspended.Error())

	// A second dispute of the same report, and a dispute of a true report, are refused.
	_, err = n.subA.SendMsgs(&reportertypes.MsgDisputeReport{Filer: filer, MainSequence: forgedSeq, Reported: forged})
	require.ErrorContains(t, err, "already sent")
	_, err = n.subA.SendMsgs(&reportertypes.MsgDisputeReport{Filer: filer, MainSequence: forgedSeq, Reported: honest})
	require.ErrorContains(t, err, "agrees with this subchain's own snapshot")
	apptesting.CheckInvariants(t, n.main)
	apptesting.CheckInvariants(t, n.subA)

	// The main chain's own export, with a dispute settled by evidence (it
	// has no filing org), validates and imports to the same state twice.
	exported, err := mainApp.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	var state map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &state))
	var gs collectortypes.GenesisState
	require.NoError(t, mainApp.AppCodec().UnmarshalJSON(state[collectortypes.ModuleName], &gs))
	require.NotEmpty(t, gs.Disputes)
	require.NoError(t, gs.Validate(), "the chain's own export validates")
	first := importGenesis(t, app.MainChain, n.main.ChainID, exported)
	second := importGenesis(t, app.MainChain, n.main.ChainID, exported)
	require.Equal(t, first.LastCommitID().Hash, second.LastCommitID().Hash)
	reExported, err := first.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	require.JSONEq(t, string(exported.AppState), string(reExported.AppState))
}
