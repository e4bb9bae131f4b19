package app_test

import (
	"context"
	"cosmossdk.io/collections"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	wasmtestdata "github.com/CosmWasm/wasmd/x/wasm/keeper/testdata"
	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"
	wasmvmtypes "github.com/CosmWasm/wasmvm/v3/types"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reporterkeeper "github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// wasmContractCount is the number of contracts x/wasm holds, walked.
func wasmContractCount(a *app.App, ctx context.Context) uint64 {
	var n uint64
	a.WasmKeeper.IterateContractInfo(ctx, func(sdk.AccAddress, wasmtypes.ContractInfo) bool {
		n++
		return false
	})
	return n
}

// instantiatedAddrs lists the addresses of the contracts a transaction instantiated.
func instantiatedAddrs(events []abci.Event) []string {
	var out []string
	for _, ev := range events {
		if ev.Type != wasmtypes.EventTypeInstantiate {
			continue
		}
		for _, attr := range ev.Attributes {
			if attr.Key == wasmtypes.AttributeKeyContractAddr {
				out = append(out, attr.Value)
			}
		}
	}
	return out
}

func hackatomInit(addr string) []byte {
	return []byte(fmt.Sprintf(`{"verifier":%q,"beneficiary":%q}`, addr, addr))
}

// reflectMsg is reflect's execute message dispatching msgs as the contract.
func reflectMsg(t *testing.T, msgs ...wasmvmtypes.CosmosMsg) []byte {
	t.Helper()
	bz, err := json.Marshal(wasmtestdata.ReflectHandleMsg{Reflect: &wasmtestdata.ReflectPayload{Msgs: msgs}})
	require.NoError(t, err)
	return bz
}

// newSubchainNetwork is a main chain and subchain A with their status channel
// open and the first report delivered.
func newSubchainNetwork(t *testing.T) *network {
	t.Helper()
	coord := apptesting.NewCoordinator(t, app.MainChain, app.SubChain, apptesting.SubChainAID)
	n := &network{coord: coord, main: coord.Chains[apptesting.MainChainID], subA: coord.Chains[apptesting.SubChainAID]}
	n.pathA = apptesting.NewStatusPath(n.subA, n.main)
	apptesting.SetUpStatusChannel(t, n.pathA)
	n.relayReport(t, n.pathA)
	return n
}

// settleContracts relays subchain A's reports until the main chain has
// acknowledged every pending contract, as it does in a running network.
func (n *network) settleContracts(t *testing.T) {
	t.Helper()
	for range 4 {
		if n.pendingContracts(t) == 0 {
			return
		}
		_, ack := n.relayReport(t, n.pathA)
		require.True(t, ack.Success(), ack.GetError())
	}
	require.Zero(t, n.pendingContracts(t), "contracts still pending after 4 reports")
}

// TestHoleContractCountMatchesWasm: the sidecar's snapshot counts every
// contract x/wasm holds, however it was created: instantiate, instantiate2
// (which does not move x/wasm's instance sequence), store-and-instantiate,
// by another contract (both ways), by governance; a migration and failed
// instantiations move nothing. After each step, and again once the main
// chain has acknowledged the new contracts (so pending contracts no longer
// prop the count up), ContractCountInvariant holds.
func TestHoleContractCountMatchesWasm(t *testing.T) {
	n := newSubchainNetwork(t)
	sub := n.subA
	a := apptesting.App(sub)
	sender := sub.SenderAccount.GetAddress().String()
	hackatom, err := os.ReadFile("../testdata/hackatom.wasm")
	require.NoError(t, err)

	compare := func(step string, want uint64) {
		t.Helper()
		ctx := sub.GetContext()
		require.NoError(t, app.ContractCountInvariant(ctx, a), step)
		held := wasmContractCount(a, ctx)
		require.Equal(t, want, held, "%s: x/wasm's contracts", step)
		snap, err := a.ReporterKeeper.TakeSnapshot(ctx)
		require.NoError(t, err)
		require.Equal(t, held, snap.ContractCount, "%s: the sidecar's snapshot counts %d contracts, x/wasm holds %d",
			step, snap.ContractCount, held)
	}
	check := func(step string, want uint64) {
		t.Helper()
		compare("after "+step, want)
		n.settleContracts(t)
		compare("after "+step+", acknowledged", want)
	}
	send := func(msg sdk.Msg) []string {
		t.Helper()
		res, err := sub.SendMsgs(msg)
		require.NoError(t, err)
		return instantiatedAddrs(res.Events)
	}
	check("genesis", 0)

	_, err = sub.SendMsgs(&wasmtypes.MsgStoreCode{Sender: sender, WASMByteCode: hackatom})
	require.NoError(t, err) // code 1
	classic := send(&wasmtypes.MsgInstantiateContract{Sender: sender, Admin: sender, CodeID: 1, Label: "classic",
		Msg: hackatomInit(sender)})
	require.Len(t, classic, 1)
	check("MsgInstantiateContract", 1)

	send(&wasmtypes.MsgInstantiateContract2{Sender: sender, Admin: sender, CodeID: 1, Label: "predictable",
		Msg: hackatomInit(sender), Salt: []byte("salt-1")})
	check("MsgInstantiateContract2", 2)

	send(&wasmtypes.MsgStoreAndInstantiateContract{Authority: sender, WASMByteCode: hackatom, Admin: sender,
		Label: "stored and instantiated", Msg: hackatomInit(sender)}) // code 2
	check("MsgStoreAndInstantiateContract", 3)

	_, err = sub.SendMsgs(&wasmtypes.MsgStoreCode{Sender: sender, WASMByteCode: wasmtestdata.ReflectContractWasm()})
	require.NoError(t, err) // code 3
	reflect := send(&wasmtypes.MsgInstantiateContract{Sender: sender, CodeID: 3, Label: "reflect", Msg: []byte("{}")})
	require.Len(t, reflect, 1)
	check("instantiating reflect", 4)

	byContract := send(&wasmtypes.MsgExecuteContract{Sender: sender, Contract: reflect[0], Msg: reflectMsg(t,
		wasmvmtypes.CosmosMsg{Wasm: &wasmvmtypes.WasmMsg{Instantiate: &wasmvmtypes.InstantiateMsg{
			CodeID: 1, Msg: hackatomInit(sender), Label: "made by reflect"}}})})
	require.Len(t, byContract, 1, "reflect instantiated a contract in a submessage")
	check("an instantiation by a contract (submessage)", 5)

	byContract = send(&wasmtypes.MsgExecuteContract{Sender: sender, Contract: reflect[0], Msg: reflectMsg(t,
		wasmvmtypes.CosmosMsg{Wasm: &wasmvmtypes.WasmMsg{Instantiate2: &wasmvmtypes.Instantiate2Msg{
			CodeID: 1, Msg: hackatomInit(sender), Label: "made by reflect, predictable", Salt: []byte("salt-2")}}})})
	require.Len(t, byContract, 1, "reflect instantiated a contract with instantiate2 in a submessage")
	check("an instantiate2 by a contract (submessage)", 6)

	// Failed creations leave no count behind: a contract whose submessage
	// fails, and an instantiate2 onto an address already taken.
	_, err = sub.SendMsgs(&wasmtypes.MsgExecuteContract{Sender: sender, Contract: reflect[0], Msg: reflectMsg(t,
		wasmvmtypes.CosmosMsg{Wasm: &wasmvmtypes.WasmMsg{Instantiate: &wasmvmtypes.InstantiateMsg{
			CodeID: 1, Msg: []byte(`{"not":"hackatom's"}`), Label: "fails"}}})})
	require.Error(t, err)
	check("a failed instantiation by a contract", 6)
	_, err = sub.SendMsgs(&wasmtypes.MsgInstantiateContract2{Sender: sender, CodeID: 1, Label: "taken",
		Msg: hackatomInit(sender), Salt: []byte("salt-1")})
	require.Error(t, err)
	check("an instantiate2 onto a taken address", 6)

	// Governance executes a proposal's messages through the same Msg router.
	govMsg := &wasmtypes.MsgInstantiateContract2{Sender: apptesting.GovAuthority, CodeID: 1, Label: "by governance",
		Msg: hackatomInit(sender), Salt: []byte("gov")}
	_, err = a.MsgServiceRouter().Handler(govMsg)(sub.GetContext(), govMsg)
	require.NoError(t, err)
	check("a governance proposal's MsgInstantiateContract2", 7)

	_, err = sub.SendMsgs(&wasmtypes.MsgMigrateContract{Sender: sender, Contract: classic[0], CodeID: 2,
		Msg: []byte(fmt.Sprintf(`{"verifier":%q}`, sender))})
	require.NoError(t, err)
	pending, err := a.ReporterKeeper.PendingContracts.Get(sub.GetContext(), classic[0])
	require.NoError(t, err)
	require.EqualValues(t, 2, pending.CodeId, "the migration is reported as a change")
	require.Equal(t, "classic", pending.Label, "a migration keeps the label")
	check("MsgMigrateContract", 7)
}

// TestHoleEvidenceCannotSuspendHonestOrg: after an instantiate2, an org's
// true report (its contract count is what x/wasm holds, as the daemons count
// it) agrees with the sidecar's snapshot, so a dispute of it is refused
// (ErrReportMatches) and no evidence leaves for the main chain: the honest
// org keeps its right to report.
func TestHoleEvidenceCannotSuspendHonestOrg(t *testing.T) {
	n := newSubchainNetwork(t)
	subApp := apptesting.App(n.subA)

	// org-h reports subchain A through the main chain's sender.
	reporter := n.orgReporter(t, "org-h")

	// Two contracts on subchain A, the second by instantiate2.
	sender := n.subA.SenderAccount.GetAddress().String()
	instantiate(t, n.subA, "classic")
	_, err := n.subA.SendMsgs(&wasmtypes.MsgInstantiateContract2{Sender: sender, CodeID: 1, Label: "predictable",
		Msg: hackatomInit(sender), Salt: []byte("salt")})
	require.NoError(t, err)
	n.settleContracts(t)
	for range 2 * apptesting.ReportInterval {
		n.coord.CommitBlock(n.subA)
	}

	// The honest report: the sidecar's latest snapshot with the contract
	// count x/wasm holds at its height (nothing was instantiated since).
	own, err := apptesting.ReporterQuerier(n.subA).Snapshot(n.subA.GetContext(), &reportertypes.QuerySnapshotRequest{})
	require.NoError(t, err)
	honest := own.Snapshot
	honest.ContractCount = wasmContractCount(subApp, n.subA.GetContext())
	require.EqualValues(t, 2, honest.ContractCount)
	_, err = n.main.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: reporter, Snapshot: honest})
	require.NoError(t, err)
	seq := n.latest(t, apptesting.SubChainAID).Sequence

	// A validator's (here the admin's) dispute of it is refused.
	filer := n.subA.SenderAccount.GetAddress().String()
	params, err := subApp.ReporterKeeper.Params.Get(n.subA.GetContext())
	require.NoError(t, err)
	params.Admin = filer
	require.NoError(t, subApp.ReporterKeeper.Params.Set(n.subA.GetContext(), params))
	dispute := &reportertypes.MsgDisputeReport{Filer: filer, MainSequence: seq, Reported: honest}
	cacheCtx, _ := n.subA.GetContext().CacheContext()
	_, err = reporterkeeper.NewMsgServerImpl(subApp.ReporterKeeper).DisputeReport(cacheCtx, dispute)
	require.ErrorIs(t, err, reportertypes.ErrReportMatches, "the sidecar's snapshot must agree with a report of x/wasm's count")

	channels := n.subA.App.GetIBCKeeper().ChannelKeeper
	nextSend, ok := channels.GetNextSequenceSend(n.subA.GetContext(), shared.ReporterPortID, n.pathA.EndpointA.ChannelID)
	require.True(t, ok)
	res, err := n.subA.SendMsgs(dispute)
	require.ErrorContains(t, err, reportertypes.ErrReportMatches.Error())
	if res != nil {
		_, perr := ibctesting.ParsePacketFromEvents(res.Events)
		require.Error(t, perr, "no evidence packet")
	}
	after, ok := channels.GetNextSequenceSend(n.subA.GetContext(), shared.ReporterPortID, n.pathA.EndpointA.ChannelID)
	require.True(t, ok)
	require.Equal(t, nextSend, after, "nothing was sent over the status channel")
	disputed, err := subApp.ReporterKeeper.Disputed.Has(n.subA.GetContext(), collections.Join(honest.Height, seq))
	require.NoError(t, err)
	require.False(t, disputed)

	// org-h still reports: its next true report is taken.
	for range 2 * apptesting.ReportInterval {
		n.coord.CommitBlock(n.subA)
	}
	own, err = apptesting.ReporterQuerier(n.subA).Snapshot(n.subA.GetContext(), &reportertypes.QuerySnapshotRequest{})
	require.NoError(t, err)
	next := own.Snapshot
	next.ContractCount = wasmContractCount(subApp, n.subA.GetContext())
	_, err = n.main.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: reporter, Snapshot: next})
	require.NoError(t, err)
}
