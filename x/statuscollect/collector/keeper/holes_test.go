package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Each test here is named for a hole an attacker could use before it was
// closed; each failed on the code before its fix.

// reimport exports f's state, validates it as a genesis, loads it into a new
// store and requires that store to equal f's byte for byte.
func (f *fixture) reimport() *fixture {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	require.NoError(f.t, gs.Validate(), "the chain's own export must validate")
	g := f.importGenesis(*gs)
	requireSameStore(f.t, f.dump(), g.dump())
	return g
}

// importGenesis loads gs into a new store at f's height and time.
func (f *fixture) importGenesis(gs types.GenesisState) *fixture {
	f.t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(f.t, key, storetypes.NewTransientStoreKey("transient2"))
	ctx := tctx.Ctx.WithBlockHeight(f.ctx.BlockHeight()).WithBlockTime(f.ctx.BlockTime())
	enc := moduletestutil.MakeTestEncodingConfig(collector.AppModule{})
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), authority, f.bank, nil, nil, fakeClients{})
	require.NoError(f.t, k.InitGenesis(ctx, gs))
	return &fixture{t: f.t, ctx: ctx, key: key, k: k, msgs: keeper.NewMsgServerImpl(k), querys: keeper.NewQuerier(k), bank: f.bank}
}

// requireSameStore names the first pair that differs instead of printing both stores.
func requireSameStore(t testing.TB, want, got [][2][]byte) {
	t.Helper()
	for i := range min(len(want), len(got)) {
		require.Equal(t, fmt.Sprintf("%x", want[i][0]), fmt.Sprintf("%x", got[i][0]), "key %d", i)
		require.Equal(t, want[i][1], got[i][1], "value of key %x", want[i][0])
	}
	if len(want) != len(got) {
		longer := want
		if len(got) > len(want) {
			longer = got
		}
		require.Failf(t, "the stores hold different numbers of pairs", "%d and %d; the first extra key is %x",
			len(want), len(got), longer[min(len(want), len(got))][0])
	}
}

// suspendOrgA2 has org-a2's monitor forge a report of chain A, which org-a
// disputes and the consortium upholds: org-a2 is suspended on chain A, its
// monitor still listed by it.
func (f *fixture) suspendOrgA2() {
	f.t.Helper()
	res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, f.forgedReport(50)))
	require.NoError(f.t, err)
	_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: consortium, DisputeId: res.DisputeId, Upheld: true, Reason: "wrong"})
	require.NoError(f.t, err)
}

// TestHoleSuspensionSurvivesGenesis: before, InitGenesis put a suspended
// org's monitoring accounts back into the reporter index, so an export and
// import lifted the suspension.
func TestHoleSuspensionSurvivesGenesis(t *testing.T) {
	f := newFixture(t)
	f.suspendOrgA2()

	g := f.reimport()
	_, err := g.msgs.SubmitStatus(g.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snapshot(chainA, 60)})
	require.ErrorIs(t, err, types.ErrSuspended, "a suspended org stays suspended across export and import")
}

// TestHoleExportAfterEveryDisputeKind: before, a dispute settled by the
// subchain's own evidence (it has no filing org) made the chain's export
// fail its own validation. Every kind of dispute now exports, validates and
// imports to the same store.
func TestHoleExportAfterEveryDisputeKind(t *testing.T) {
	f := newFixture(t)
	resolve := func(seq uint64, upheld bool) {
		res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, seq))
		require.NoError(t, err)
		_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: consortium, DisputeId: res.DisputeId, Upheld: upheld, Reason: "decided"})
		require.NoError(t, err)
	}
	resolve(f.forgedReport(50), false) // rejected
	_, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, f.forgedReport(55)))
	require.NoError(t, err) // left to expire
	f.advance(types.DefaultParams().DisputeWindow + time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	_, err = f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, f.forgedReportAt(1000, f.ctx.BlockTime())))
	require.NoError(t, err)                                                   // open
	resolve(f.forgedReportAt(1005, f.ctx.BlockTime().Add(time.Second)), true) // upheld by an arbiter

	// Upheld by the subchain's evidence, over IBC: no filing org.
	ibcSeq, err := f.ibcReport(1, snapshot(chainB, 40))
	require.NoError(t, err)
	own := snapshot(chainB, 40)
	own.ContractCount++
	_, err = f.ibcEvidence(chainB, shared.DisputeEvidence{MainSequence: ibcSeq, Snapshot: &own, Filer: stranger})
	require.NoError(t, err)

	statuses := map[types.DisputeStatus]int{}
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	for _, d := range gs.Disputes {
		statuses[d.Status]++
	}
	require.Equal(t, map[types.DisputeStatus]int{types.DISPUTE_STATUS_REJECTED: 1, types.DISPUTE_STATUS_EXPIRED: 1,
		types.DISPUTE_STATUS_OPEN: 1, types.DISPUTE_STATUS_UPHELD: 2}, statuses)
	g := f.reimport()
	g.reimport()
}

// TestHoleRestoreCannotClobberGrant: before, a suspended org's accounts left
// the reporter index, another org could be granted one of them, and restoring
// the first org silently took the account back. An account now belongs to at
// most one membership per subchain, suspended or not.
func TestHoleRestoreCannotClobberGrant(t *testing.T) {
	f := newFixture(t)
	f.suspendOrgA2()

	before := f.dump()
	_, err := f.msgs.GrantReporter(f.ctx, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: reporterA2})
	require.ErrorIs(t, err, types.ErrReporterExists, "a suspended org's account cannot be granted to another org")
	require.Equal(t, before, f.dump())

	_, err = f.msgs.RestoreReporting(f.ctx, &types.MsgRestoreReporting{Authority: authority, ChainId: chainA, OrgId: orgA2})
	require.NoError(t, err)
	sub, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snapshot(chainA, 60)})
	require.NoError(t, err)
	require.Equal(t, orgA2, f.report(chainA, sub.Sequence).Source.OrgId)
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 61)})
	require.NoError(t, err, "org-a's own account is untouched")

	// A genesis that lists one account for two orgs of a subchain is refused.
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	for i, m := range gs.Memberships {
		if m.ChainId == chainA && m.OrgId == orgA {
			gs.Memberships[i].Reporters = append([]string{reporterA2}, m.Reporters...)
			if gs.Memberships[i].Reporters[0] > gs.Memberships[i].Reporters[1] {
				gs.Memberships[i].Reporters[0], gs.Memberships[i].Reporters[1] = gs.Memberships[i].Reporters[1], gs.Memberships[i].Reporters[0]
			}
		}
	}
	require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
}

// TestHoleSuspendedOrgCannotDispute: before, an org suspended for a forged
// report could go on filing disputes against the others' reports.
func TestHoleSuspendedOrgCannotDispute(t *testing.T) {
	f := newFixture(t)
	f.suspendOrgA2()
	honest, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 60)})
	require.NoError(t, err)

	before := f.dump()
	for _, filer := range []string{adminA2, reporterA2} {
		_, err = f.msgs.FileDispute(f.ctx, fileMsg(filer, orgA2, honest.Sequence))
		require.ErrorIs(t, err, types.ErrSuspended, filer)
	}
	require.Equal(t, before, f.dump())
}

// TestHoleLateIBCReportKeepsFloor: before, a report over IBC of a lower
// height than an org's latest report lowered the floor for reports by tx, so
// a monitor could then submit a height below the latest and history went
// backwards.
func TestHoleLateIBCReportKeepsFloor(t *testing.T) {
	f := newFixture(t)
	_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)})
	require.NoError(t, err)
	_, err = f.ibcReport(1, snapshot(chainA, 80))
	require.NoError(t, err, "the subchain's own report lands")
	require.Equal(t, int64(100), f.subchain(chainA).LastHeight)

	before := f.dump()
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snapshot(chainA, 90)})
	require.ErrorIs(t, err, types.ErrOutdatedReport)
	require.Equal(t, before, f.dump())
}

// TestHoleDisputesArePruned: before, disputes were kept forever, so anyone
// able to file them grew the state without bound. A closed dispute now leaves
// the history with the reports, history_retention after it closed, in
// bounded steps, with all its indexes.
func TestHoleDisputesArePruned(t *testing.T) {
	f := newFixture(t)
	res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, f.forgedReport(50)))
	require.NoError(t, err)
	params := types.DefaultParams()
	f.advance(params.DisputeWindow + time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	d, err := f.querys.Dispute(f.ctx, &types.QueryDisputeRequest{DisputeId: res.DisputeId})
	require.NoError(t, err)
	require.Equal(t, types.DISPUTE_STATUS_EXPIRED, d.Dispute.Status)

	f.advance(params.HistoryRetention)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	_, err = f.querys.Dispute(f.ctx, &types.QueryDisputeRequest{DisputeId: res.DisputeId})
	require.ErrorIs(t, err, types.ErrUnknownDispute)
	for _, status := range []types.DisputeStatus{types.DISPUTE_STATUS_UNSPECIFIED, types.DISPUTE_STATUS_EXPIRED} {
		all, err := f.querys.Disputes(f.ctx, &types.QueryDisputesRequest{ChainId: chainA, Status: status})
		require.NoError(t, err)
		require.Empty(t, all.Disputes, "no index keeps a pruned dispute")
	}
	has, err := f.k.DisputeQueue.Iterate(f.ctx, nil)
	require.NoError(t, err)
	require.False(t, has.Valid(), "nothing left queued")
	has.Close()
}

// TestHoleQueryErrorCodes: before, an unknown subchain, report or dispute
// reached gRPC clients as Unknown (REST 500). Each now has its code, and
// oversized pages are refused as bad arguments.
func TestHoleQueryErrorCodes(t *testing.T) {
	f := newFixture(t)
	for name, tc := range map[string]struct {
		query func() error
		code  codes.Code
	}{
		"unknown subchain": {func() error {
			_, err := f.querys.Subchain(f.ctx, &types.QuerySubchainRequest{ChainId: "no-such-chain"})
			return err
		}, codes.NotFound},
		"no report yet": {func() error {
			_, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
			return err
		}, codes.NotFound},
		"unknown dispute": {func() error {
			_, err := f.querys.Dispute(f.ctx, &types.QueryDisputeRequest{DisputeId: 99})
			return err
		}, codes.NotFound},
		"unknown org": {func() error {
			_, err := f.querys.Org(f.ctx, &types.QueryOrgRequest{OrgId: "org-z"})
			return err
		}, codes.NotFound},
		"members of an unknown subchain": {func() error {
			_, err := f.querys.Members(f.ctx, &types.QueryMembersRequest{ChainId: "no-such-chain"})
			return err
		}, codes.NotFound},
		"bad chain id": {func() error {
			_, err := f.querys.Subchain(f.ctx, &types.QuerySubchainRequest{ChainId: "bad id"})
			return err
		}, codes.InvalidArgument},
		"page over the limit": {func() error {
			_, err := f.querys.Overview(f.ctx, &types.QueryOverviewRequest{Pagination: &query.PageRequest{Limit: types.MaxPageLimit + 1}})
			return err
		}, codes.InvalidArgument},
		"offset over the limit": {func() error {
			_, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainA,
				Pagination: &query.PageRequest{Offset: types.MaxPageOffset + 1}})
			return err
		}, codes.InvalidArgument},
		"count total of the history": {func() error {
			_, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainA,
				Pagination: &query.PageRequest{CountTotal: true}})
			return err
		}, codes.InvalidArgument},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.code, status.Code(tc.query()))
		})
	}

	// A page without a limit is the largest page, not the whole history.
	for h := int64(100); h < 100+types.MaxPageLimit+5; h++ {
		_, err := f.ibcReport(uint64(h), snapshot(chainA, h))
		require.NoError(t, err)
	}
	res, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainA})
	require.NoError(t, err)
	require.Len(t, res.Reports, types.MaxPageLimit)
	require.NotEmpty(t, res.Pagination.NextKey)
}

// TestRebindAfterClientExpired: the main chain's side of relinking. While
// the status channel runs over a working client, a rebind is refused (close
// the channel first). Once that client expired the channel can never be
// closed, so before, the subchain was shut out for good; now the rebind
// unbinds the dead channel and the subchain may open one over the new client.
func TestRebindAfterClientExpired(t *testing.T) {
	f := newFixture(t)
	old, fresh := "07-tendermint-"+chainA, "07-tendermint-"+chainA+"/2"
	f.must(f.msgs.BindClient(f.ctx, &types.MsgBindClient{Authority: consortium, ChainId: chainA, ClientId: old}))
	sub := f.subchain(chainA)
	sub.ChannelId = "channel-0"
	require.NoError(t, f.k.Subchains.Set(f.ctx, chainA, sub))
	require.NoError(t, f.k.ChannelIndex.Set(f.ctx, "channel-0", chainA))
	f.invariants()

	before := f.dump()
	_, err := f.msgs.BindClient(f.ctx, &types.MsgBindClient{Authority: consortium, ChainId: chainA, ClientId: fresh})
	require.ErrorIs(t, err, types.ErrChannelBound)
	requireSameStore(t, before, f.dump())

	expiredClients[old] = true
	t.Cleanup(func() { delete(expiredClients, old) })
	_, err = f.msgs.BindClient(f.ctx, &types.MsgBindClient{Authority: stranger, ChainId: chainA, ClientId: fresh})
	require.ErrorIs(t, err, types.ErrUnauthorized)
	_, err = f.msgs.BindClient(f.ctx, &types.MsgBindClient{Authority: consortium, ChainId: chainA, ClientId: "07-tendermint-" + chainB})
	require.ErrorIs(t, err, types.ErrInvalidRequest, "a client of another chain")
	requireSameStore(t, before, f.dump())

	f.must(f.msgs.BindClient(f.ctx, &types.MsgBindClient{Authority: consortium, ChainId: chainA, ClientId: fresh}))
	sub = f.subchain(chainA)
	require.Empty(t, sub.ChannelId)
	require.Equal(t, fresh, sub.ClientId)
	has, err := f.k.ChannelIndex.Has(f.ctx, "channel-0")
	require.NoError(t, err)
	require.False(t, has)
	f.invariants()
}

// TestHoleLoweredCapBreaksExport: governance lowers
// max_reporters_per_membership below what a membership already lists (the
// SDK simulator found it). Before, the export then failed its own genesis
// validation. The cap now binds new grants only: the accounts granted stay,
// the export validates and imports, and a new grant is refused.
func TestHoleLoweredCapBreaksExport(t *testing.T) {
	f := newFixture(t)
	for _, acc := range []string{stranger, newAccount} {
		f.must(f.msgs.GrantReporter(f.ctx, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: acc}))
	}
	params := types.DefaultParams()
	params.Admin = consortium
	params.MaxReportersPerMembership = 1
	f.must(f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority, Params: params}))
	f.invariants()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate(), "the chain's own export validates")
	g := f.reimport()
	m, err := g.k.Memberships.Get(g.ctx, collections.Join(chainA, orgA))
	require.NoError(t, err)
	require.Len(t, m.Reporters, 3, "the accounts granted under the higher cap stay")
	_, err = f.msgs.GrantReporter(f.ctx, &types.MsgGrantReporter{Admin: adminA2, ChainId: chainA, OrgId: orgA2, Reporter: revoked})
	require.ErrorIs(t, err, types.ErrTooManyReporters, "org-a2 holds one already: the lowered cap binds its next grant")
}

// TestGenesisCannotPlantLatestFigures: a genesis whose subchain record
// claims other lists than its latest report's (a hash that would admit a
// report naming lists the subchain never reported), and another time for
// it (which would key its prune checkpoint), is imported with the latest
// report's own figures and time: the import sets them, it does not read
// them.
func TestGenesisCannotPlantLatestFigures(t *testing.T) {
	f := newFixture(t)
	f.must(f.ibcReport(1, snapshot(chainA, 100)))
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	other := snapshot(chainA, 100)
	other.Validators = other.Validators[:1]
	for i := range gs.Subchains {
		if gs.Subchains[i].ChainId == chainA {
			gs.Subchains[i].Latest = types.LatestFigures{ListsHash: other.ListsHash(), OrgCount: 1, NodeCount: 1, ContractCount: 99}
			gs.Subchains[i].LastReportTime = gs.Subchains[i].LastReportTime.Add(-time.Hour)
		}
	}
	g := f.importGenesis(*gs)
	requireSameStore(t, f.dump(), g.dump())
	require.Equal(t, snapshot(chainA, 100).ListsHash(), g.subchain(chainA).Latest.ListsHash)
	g.invariants()
}
