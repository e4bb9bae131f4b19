package app_test

// Benchmarks behind make bench (scripts/bench.sh, docs/benchmarks.md) on the
// real apps over ibctesting: a report's gas by payload size (figure 1), the
// relayer's whole transactions and the subchain's acknowledgement beside
// ICS-20's (figure 2), and the main chain's block execution time with N/10
// relayed reports per block (figure 8). They report figures with
// b.ReportMetric and assert nothing about time.

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/cosmos-proto/anyutil"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/anypb"

	transfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	host "github.com/cosmos/ibc-go/v10/modules/core/24-host"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	collectorkeeper "github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// payload is typicalSnapshot with v validators and c new contracts, each
// with an address a CosmWasm chain of prefix "sub" gives a contract (bech32
// of 32 bytes), as the reporters send them.
func payload(height int64, v, c int) shared.StatusSnapshot {
	s := typicalSnapshot(height)
	s.Validators = nil
	for i := range v {
		s.Validators = append(s.Validators, shared.Validator{Address: fmt.Sprintf("subvalcons1q9x8y5ux7a2kqwe3%04d", i), Power: 100,
			Moniker: fmt.Sprintf("validator-%d", i)})
	}
	s.NewContracts = nil
	for i := range c {
		data := sha256.Sum256(fmt.Appendf(nil, "contract %d of report %d", i, height))
		addr, err := bech32.ConvertAndEncode("sub", data[:])
		if err != nil {
			panic(err)
		}
		s.NewContracts = append(s.NewContracts, shared.Contract{Address: addr, CodeId: 1, Label: "file-index"})
	}
	slices.SortFunc(s.NewContracts, func(a, b shared.Contract) int { return strings.Compare(a.Address, b.Address) })
	return s
}

// BenchmarkSubmitGasByPayload (figure 1's table): the gas of a
// MsgSubmitStatus by tx as its validators and new contracts grow, the first
// row being the typical report; /lists-by-hash rows name the orgs and
// validators by their hash, as a reporter does while they are those of the
// latest report (one report sent whole before them, not counted).
func BenchmarkSubmitGasByPayload(b *testing.B) {
	chain := apptesting.NewCoordinator(b, app.MainChain, app.SubChain).Chains[apptesting.MainChainID]
	sender := setUpCollector(b, chain)
	height := int64(100)
	submit := func(b *testing.B, v, c int, byHash bool) int64 {
		height++
		msg := &collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: payload(height, v, c)}
		if byHash {
			msg.NameListsByHash()
		}
		res, err := chain.SendMsgs(msg)
		require.NoError(b, err)
		return res.GasUsed
	}
	for _, size := range []struct {
		v, c   int
		byHash bool
	}{{4, 2, true}, {4, 2, false}, {4, 0, true}, {4, 0, false}, {16, 2, false}, {64, 2, false}, {64, 2, true}, {4, 8, false}, {4, 32, false}} {
		name := fmt.Sprintf("validators=%d/contracts=%d", size.v, size.c)
		if size.byHash {
			name += "/lists-by-hash"
		}
		b.Run(name, func(b *testing.B) {
			if size.byHash {
				submit(b, size.v, 0, false)
			}
			var gas int64
			for range b.N {
				gas += submit(b, size.v, size.c, size.byHash)
			}
			b.ReportMetric(float64(gas)/float64(b.N), "gas/submit")
		})
	}
}

// BenchmarkSubmitGasParts (figure 1's profile): where the gas of the
// typical report by tx goes (its orgs and validators named by hash, 2 new
// contracts), beside the bank send's. Each transaction is delivered in a
// block of its own; its parts are its bytes (the ante handler charges
// TxSizeCostPerByte for each), its message alone (run by its Msg service on
// a cache of the same state, with the store reads behind it: gets, has and
// iterator steps; its writes: sets and deletes; and their bytes) and the
// rest of the ante handler (signature, account, fee): the whole less the
// two. For the report, the bytes it writes (keys and values) into each
// collection of the collector's store.
func BenchmarkSubmitGasParts(b *testing.B) {
	chain := apptesting.NewCoordinator(b, app.MainChain, app.SubChain).Chains[apptesting.MainChainID]
	sender := setUpCollector(b, chain)
	a := apptesting.App(chain)
	// The lists the typical report names by hash: those of the latest report.
	_, err := chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: payload(100, 4, 0)})
	require.NoError(b, err)
	height := int64(100)
	for _, kind := range []string{"bank-send", "report"} {
		b.Run(kind, func(b *testing.B) {
			var whole, bytesGas, msgGas int64
			var msgCost [4]uint64
			var written map[string]int
			for range b.N {
				var msg sdk.Msg = &banktypes.MsgSend{FromAddress: sender, ToAddress: chain.SenderAccounts[1].SenderAccount.GetAddress().String(),
					Amount: sdk.NewCoins(sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.NewInt(1)))}
				if kind == "report" {
					height++
					report := &collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: payload(height, 4, 2)}
					report.NameListsByHash()
					msg = report
				}
				state := chain.GetContext()
				perByte := a.AccountKeeper.GetParams(state).TxSizeCostPerByte
				handler := a.MsgServiceRouter().Handler(msg)
				for i, cfg := range []storetypes.GasConfig{
					{ReadCostFlat: 1, IterNextCostFlat: 1, HasCost: 1}, {WriteCostFlat: 1, DeleteCost: 1},
					{ReadCostPerByte: 1}, {WriteCostPerByte: 1},
				} {
					ctx, _ := state.CacheContext()
					ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter()).WithKVGasConfig(cfg)
					_, err := handler(ctx, msg)
					require.NoError(b, err)
					msgCost[i] = ctx.GasMeter().GasConsumed()
				}
				ctx, _ := state.CacheContext()
				ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
				_, err := handler(ctx, msg)
				require.NoError(b, err)
				msgGas = int64(ctx.GasMeter().GasConsumed())
				written = writtenByCollection(state, ctx, a.GetKey(collectortypes.StoreKey), a.CollectorKeeper.Schema)

				txs := signTxs(b, chain, []sdk.Msg{msg}, 1)
				_, whole = finalize(b, chain, txs)
				bytesGas = int64(len(txs[0])) * int64(perByte)
			}
			b.ReportMetric(float64(whole), "gas/tx")
			b.ReportMetric(float64(bytesGas), "gas/tx-bytes")
			b.ReportMetric(float64(msgGas), "gas/message")
			b.ReportMetric(float64(whole-bytesGas-msgGas), "gas/rest")
			for i, unit := range []string{"reads/message", "writes/message", "read-B/message", "written-B/message"} {
				b.ReportMetric(float64(msgCost[i]), unit)
			}
			for name, n := range written {
				b.ReportMetric(float64(n), "written-B/"+name)
			}
		})
	}
}

// writtenByCollection is what a message wrote in key's store, from before to
// after: the bytes (key and value) of each entry it set, by the collection
// of schema whose prefix the key starts with, and "deleted" for the keys'
// bytes of the entries it removed.
func writtenByCollection(before, after sdk.Context, key *storetypes.KVStoreKey, schema collections.Schema) map[string]int {
	collectionOf := func(k []byte) string {
		for _, c := range schema.ListCollections() {
			if bytes.HasPrefix(k, c.GetPrefix()) {
				return c.GetName()
			}
		}
		return "unknown"
	}
	old := map[string][]byte{}
	it := before.KVStore(key).Iterator(nil, nil)
	for ; it.Valid(); it.Next() {
		old[string(it.Key())] = it.Value()
	}
	it.Close()
	written := map[string]int{}
	it = after.KVStore(key).Iterator(nil, nil)
	for ; it.Valid(); it.Next() {
		if v, ok := old[string(it.Key())]; !ok || !bytes.Equal(v, it.Value()) {
			written[collectionOf(it.Key())] += len(it.Key()) + len(it.Value())
		}
		delete(old, string(it.Key()))
	}
	it.Close()
	for k := range old {
		written["deleted"] += len(k)
	}
	return written
}

// relayWhole relays a packet from path's A to its B as a relayer does, in
// one transaction on B (MsgUpdateClient with the header that proves the
// packet, then MsgRecvPacket), then its acknowledgement back to A (a
// MsgUpdateClient transaction, then MsgAcknowledgement). It returns the gas
// of the whole receive transaction and of the acknowledgement's.
func relayWhole(tb testing.TB, path *ibctesting.Path, packet channeltypes.Packet) (recvGas, ackGas int64) {
	tb.Helper()
	src, dst := path.EndpointA.Chain, path.EndpointB.Chain
	path.EndpointB.Chain.Coordinator.CommitBlock(src)
	trusted, ok := path.EndpointB.GetClientLatestHeight().(clienttypes.Height)
	require.True(tb, ok)
	header, err := src.IBCClientHeader(src.LatestCommittedHeader, trusted)
	require.NoError(tb, err)
	signer := dst.SenderAccount.GetAddress().String()
	update, err := clienttypes.NewMsgUpdateClient(path.EndpointB.ClientID, header, signer)
	require.NoError(tb, err)
	proof, proofHeight := src.QueryProof(host.PacketCommitmentKey(packet.SourcePort, packet.SourceChannel, packet.Sequence))
	res, err := dst.SendMsgs(update, channeltypes.NewMsgRecvPacket(packet, proof, proofHeight, signer))
	require.NoError(tb, err)
	ack, err := ibctesting.ParseAckFromEvents(res.Events)
	require.NoError(tb, err)
	require.Contains(tb, string(ack), "result")
	require.NoError(tb, path.EndpointA.UpdateClient())
	ackRes, err := path.EndpointA.AcknowledgePacketWithResult(packet, ack)
	require.NoError(tb, err)
	return res.GasUsed, ackRes.GasUsed
}

// BenchmarkRelayGas (figure 2): the relayer's whole receive transaction on
// the main chain (UpdateClient + RecvPacket) of a status report carrying a
// new contract, and the subchain's acknowledgement transaction, beside the
// same two for an ICS-20 transfer from the same subchain, in the same run.
func BenchmarkRelayGas(b *testing.B) {
	n := newNetwork(b)
	n.relayReport(b, n.pathA)
	transferPath := ibctesting.NewTransferPath(n.subA, n.main)
	transferPath.Setup()
	var reportRecv, reportAck, transferRecv, transferAck int64
	b.ResetTimer()
	for i := range b.N {
		instantiate(b, n.subA, fmt.Sprintf("bench-%d", i))
		apptesting.CommitUntilInFlight(b, n.coord, n.subA)
		recv, ack := relayWhole(b, n.pathA, apptesting.InFlightReport(b, n.pathA))
		reportRecv += recv
		reportAck += ack

		msg := transfertypes.NewMsgTransfer(transferPath.EndpointA.ChannelConfig.PortID, transferPath.EndpointA.ChannelID,
			sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.NewInt(100)), n.subA.SenderAccount.GetAddress().String(),
			n.main.SenderAccount.GetAddress().String(), clienttypes.ZeroHeight(), n.subA.GetTimeoutTimestamp(), "")
		sent, err := n.subA.SendMsgs(msg)
		require.NoError(b, err)
		packet, err := ibctesting.ParsePacketFromEvents(sent.Events)
		require.NoError(b, err)
		recv, ack = relayWhole(b, transferPath, packet)
		transferRecv += recv
		transferAck += ack
	}
	per := func(g int64) float64 { return float64(g) / float64(b.N) }
	b.ReportMetric(per(reportRecv), "gas/report-update+recv")
	b.ReportMetric(per(transferRecv), "gas/ics20-update+recv")
	b.ReportMetric(per(reportAck), "gas/report-ack")
	b.ReportMetric(per(transferAck), "gas/ics20-ack")
}

// finalize executes one main-chain block with txs through FinalizeBlock and
// commits it, doing the bookkeeping ibctesting's own block commit does, and
// returns the time FinalizeBlock and Commit took and the block's gas.
func finalize(tb testing.TB, chain *ibctesting.TestChain, txs [][]byte) (time.Duration, int64) {
	tb.Helper()
	chain.Coordinator.UpdateTimeForChain(chain)
	start := time.Now()
	res, err := chain.App.FinalizeBlock(&abci.RequestFinalizeBlock{Height: chain.ProposedHeader.Height,
		Time: chain.ProposedHeader.GetTime(), NextValidatorsHash: chain.NextVals.Hash(), Txs: txs})
	require.NoError(tb, err)
	_, err = chain.App.Commit()
	require.NoError(tb, err)
	took := time.Since(start)
	var gas int64
	for _, r := range res.TxResults {
		require.Zero(tb, r.Code, r.Log)
		gas += r.GasUsed
	}
	chain.LatestCommittedHeader = chain.CurrentTMClientHeader()
	chain.TrustedValidators[uint64(chain.ProposedHeader.Height)] = chain.NextVals
	chain.Vals = chain.NextVals
	chain.NextVals = ibctesting.ApplyValSetChanges(chain, chain.Vals, res.ValidatorUpdates)
	chain.Vals.IncrementProposerPriority(1)
	chain.ProposedHeader.Height = chain.App.LastBlockHeight() + 1
	chain.ProposedHeader.AppHash = chain.App.LastCommitID().Hash
	chain.ProposedHeader.ValidatorsHash = chain.Vals.Hash()
	chain.ProposedHeader.NextValidatorsHash = chain.NextVals.Hash()
	chain.ProposedHeader.ProposerAddress = chain.Vals.Proposer.Address
	chain.Coordinator.IncrementTimeBy(time.Second)
	return took, gas
}

// signTxs signs msgs from the chain's sender, per relays pairs of messages
// to a transaction, as a relayer batches.
func signTxs(tb testing.TB, chain *ibctesting.TestChain, msgs []sdk.Msg, per int) [][]byte {
	tb.Helper()
	var txs [][]byte
	for chunk := range slices.Chunk(msgs, 2*per) {
		acc := chain.SenderAccount
		tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(1)), chain.TxConfig, chunk,
			sdk.NewCoins(), 40_000_000, chain.ChainID, []uint64{acc.GetAccountNumber()}, []uint64{acc.GetSequence()}, chain.SenderPrivKey)
		require.NoError(tb, err)
		bz, err := chain.TxConfig.TxEncoder()(tx)
		require.NoError(tb, err)
		txs = append(txs, bz)
		require.NoError(tb, acc.SetSequence(acc.GetSequence()+1))
	}
	return txs
}

// BenchmarkScale (figure 8): the main chain's block execution time
// (FinalizeBlock and Commit) with N/10 status reports relayed in it, as N
// subchains reporting every 10 s with 1 s blocks bring, beside an idle block
// of the same chain in the same run. N subchains are registered; the reports
// all come from subchain A (a real chain: its packets are committed in its
// store, each relayed with a MsgUpdateClient verifying A's header, 4
// validators' signatures, and a MsgRecvPacket with the commitment's proof),
// so the light-client work per report is that of one report per subchain,
// except that an update to a height the client already has writes no new
// consensus state. Each report is typical (4 orgs, 4 validators, 2 new
// contracts); the relayer batches 10 reports to a transaction.
func BenchmarkScale(b *testing.B) {
	n := newNetwork(b)
	n.relayReport(b, n.pathA)
	main, sub := n.main, n.subA
	registered := 2
	ibcSeq := uint64(1_000)
	height := int64(1_000_000)
	for _, subchains := range []int{10, 100, 1_000, 3_000} {
		// The registry grows to N subchains (the dummies report hourly, so none falls due).
		msgs := collectorkeeper.NewMsgServerImpl(apptesting.App(main).CollectorKeeper)
		for ; registered < subchains; registered++ {
			_, err := msgs.RegisterSubchain(main.GetContext(), &collectortypes.MsgRegisterSubchain{Authority: apptesting.GovAuthority,
				ChainId: fmt.Sprintf("followed-%05d", registered), Name: "followed", Kind: collectortypes.SUBCHAIN_KIND_INDUSTRY,
				ReportInterval: time.Hour})
			require.NoError(b, err)
		}
		finalize(b, main, nil)
		perBlock := subchains / 10
		b.Run(fmt.Sprintf("subchains=%d", subchains), func(b *testing.B) {
			var idle, busy time.Duration
			var gas int64
			for range b.N {
				took, _ := finalize(b, main, nil)
				idle += took

				// The subchain commits perBlock reports.
				ctx := sub.GetContext()
				packets := make([]channeltypes.Packet, perBlock)
				timeout := uint64(ctx.BlockTime().Add(time.Hour).UnixNano())
				for i := range packets {
					ibcSeq++
					height += 10
					snap := typicalSnapshot(height)
					snap.ChainId = apptesting.SubChainAID
					for j := range snap.NewContracts {
						snap.NewContracts[j].Address = fmt.Sprintf("%s%d", snap.NewContracts[j].Address[:50], height*10+int64(j))
					}
					data, err := shared.NewReportPacket(shared.StatusReport{Sequence: ibcSeq, Snapshot: &snap, SnapshotEvery: apptesting.ReportInterval})
					require.NoError(b, err)
					seq, err := sub.App.GetIBCKeeper().ChannelKeeper.SendPacket(ctx, shared.ReporterPortID, n.pathA.EndpointA.ChannelID,
						clienttypes.ZeroHeight(), timeout, data)
					require.NoError(b, err)
					packets[i] = channeltypes.NewPacket(data, seq, shared.ReporterPortID, n.pathA.EndpointA.ChannelID,
						shared.CollectorPortID, n.pathA.EndpointB.ChannelID, clienttypes.ZeroHeight(), timeout)
				}
				// Twice: a proof of a block's state is checked against the next header.
				n.coord.CommitBlock(sub, sub)

				// The relayer's transactions: per report, the header that proves it and the packet.
				trusted, ok := n.pathA.EndpointB.GetClientLatestHeight().(clienttypes.Height)
				require.True(b, ok)
				header, err := sub.IBCClientHeader(sub.LatestCommittedHeader, trusted)
				require.NoError(b, err)
				signer := main.SenderAccount.GetAddress().String()
				var relay []sdk.Msg
				for _, p := range packets {
					update, err := clienttypes.NewMsgUpdateClient(n.pathA.EndpointB.ClientID, header, signer)
					require.NoError(b, err)
					proof, proofHeight := sub.QueryProof(host.PacketCommitmentKey(p.SourcePort, p.SourceChannel, p.Sequence))
					relay = append(relay, update, channeltypes.NewMsgRecvPacket(p, proof, proofHeight, signer))
				}
				took, g := finalize(b, main, signTxs(b, main, relay, 10))
				busy += took
				gas += g
				s, err := apptesting.App(main).CollectorKeeper.Subchains.Get(main.GetContext(), apptesting.SubChainAID)
				require.NoError(b, err)
				require.Equal(b, ibcSeq, s.LastIbcReport, "every report was admitted")
			}
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(b.N) }
			b.ReportMetric(float64(perBlock), "reports/block")
			b.ReportMetric(ms(idle), "ms/idle-block")
			b.ReportMetric(ms(busy), "ms/block")
			b.ReportMetric(float64(gas)/float64(b.N), "gas/block")
		})
	}
}

// BenchmarkTxDecode (beside figure 3): what a node does to every transaction
// each time it takes it in (CheckTx, the proposal's checks, FinalizeBlock,
// each recheck) before executing it: decode it with the app's tx decoder and
// find its signers, which decodes each message again as a protobuf v2
// message.
// A typical report (sent whole, and naming its lists by hash as the load of
// figure 3 does) against a bank send, each signed by one account.
func BenchmarkTxDecode(b *testing.B) {
	a := apptesting.NewApp(b, app.MainChain)
	txConfig := a.TxConfig()
	key := secp256k1.GenPrivKey()
	from := sdk.AccAddress(key.PubKey().Address()).String()
	byHash := collectortypes.MsgSubmitStatus{Reporter: from, Snapshot: payload(100, 4, 2)}
	byHash.ListsHash = byHash.Snapshot.ListsHash()
	byHash.Snapshot.Orgs, byHash.Snapshot.Validators = nil, nil
	msgs := []struct {
		name string
		msg  sdk.Msg
	}{
		{"send", &banktypes.MsgSend{FromAddress: from, ToAddress: from, Amount: sdk.NewCoins(sdk.NewInt64Coin("stake", 1))}},
		{"report", &collectortypes.MsgSubmitStatus{Reporter: from, Snapshot: payload(100, 4, 2)}},
		{"report-lists-by-hash", &byHash},
	}
	for _, m := range msgs {
		tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(1)), txConfig, []sdk.Msg{m.msg},
			sdk.NewCoins(sdk.NewInt64Coin("stake", 100)), 200_000, "statuscollect-main", []uint64{7}, []uint64{3}, key)
		require.NoError(b, err)
		bz, err := txConfig.TxEncoder()(tx)
		require.NoError(b, err)
		decode := txConfig.TxDecoder()
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				tx, err := decode(bz)
				if err != nil {
					b.Fatal(err)
				}
				// What the ante handler asks first; the decoded tx keeps it.
				if _, err := tx.(authsigning.SigVerifiableTx).GetSigners(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(bz)), "tx-B")
		})
	}

	// The signer lookup of the report's message alone, as the codec does it
	// (anyutil.Unpack, then the signing context), through its generated v2
	// type and, as before those were registered, by reflection (dynamicpb:
	// a registry without the type).
	report, err := codectypes.NewAnyWithValue(msgs[1].msg)
	require.NoError(b, err)
	for _, by := range []struct {
		name  string
		types protoregistry.MessageTypeResolver
	}{{"generated", nil}, {"reflection", new(protoregistry.Types)}} {
		b.Run("signers-of-report-"+by.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				msg, err := anyutil.Unpack(&anypb.Any{TypeUrl: report.TypeUrl, Value: report.Value}, a.InterfaceRegistry(), by.types)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := a.InterfaceRegistry().SigningContext().GetSigners(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
