package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// submitN records n reports for chain A, one a minute, at heights 100, 110, ...
func submitN(f *fixture, n int) {
	for i := range n {
		f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, int64(100+10*i))}))
		f.advance(time.Minute)
	}
}

func TestHistoryQueries(t *testing.T) {
	f := newFixture(t)
	submitN(f, 5)

	page, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainA,
		Pagination: &query.PageRequest{Limit: 2, Reverse: true}})
	require.NoError(t, err)
	require.Len(t, page.Reports, 2)
	require.EqualValues(t, 5, page.Reports[0].Sequence)
	require.EqualValues(t, 4, page.Reports[1].Sequence)
	require.NotNil(t, page.Pagination.NextKey)

	at, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: 125})
	require.NoError(t, err)
	require.EqualValues(t, 120, at.Report.Snapshot.Height, "the report in force at 125 is the one of 120")
	_, err = f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: 99})
	require.ErrorIs(t, err, types.ErrNoReport)

	other, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainB})
	require.NoError(t, err)
	require.Empty(t, other.Reports, "history is per subchain")

	ov, err := f.querys.Overview(f.ctx, &types.QueryOverviewRequest{})
	require.NoError(t, err)
	require.Len(t, ov.Subchains, 2)
	require.EqualValues(t, 5, ov.Subchains[0].ContractCount)
}

// TestPruningBoundedAndKeepsLatest: expired reports go in steps of at most
// max_prunes_per_block, and a subchain's latest report always stays.
func TestPruningBoundedAndKeepsLatest(t *testing.T) {
	f := newFixture(t)
	params := types.DefaultParams()
	params.Admin = consortium
	params.HistoryRetention = time.Hour
	params.MaxPrunesPerBlock = 2
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	submitN(f, 5)

	f.advance(2 * time.Hour)
	count := func() int {
		it, err := f.k.Reports.Iterate(f.ctx, collections.NewPrefixedPairRange[string, uint64](chainA))
		require.NoError(t, err)
		keys, err := it.Keys()
		require.NoError(t, err)
		return len(keys)
	}
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 3, count())
	f.advance(time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 1, count())
	f.advance(time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 1, count(), "the latest report is never pruned")

	latest, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
	require.NoError(t, err)
	require.EqualValues(t, 5, latest.Report.Sequence)
	_, err = f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: 135})
	require.ErrorIs(t, err, types.ErrNoReport, "the height index is pruned with the reports")

	// The next report is still diffed against the kept latest one.
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 200)}))
	require.False(t, f.report(chainA, 6).Changes.OrgsChanged())
}

// TestContractChangesPrunedWithHistory: contract changes expire with the
// report that recorded them, in the same step; the per-block cap counts
// reports.
func TestContractChangesPrunedWithHistory(t *testing.T) {
	f := newFixture(t)
	params := types.DefaultParams()
	params.Admin = consortium
	params.HistoryRetention = time.Hour
	params.DisputeWindow = time.Hour
	params.MaxPrunesPerBlock = 2
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	// Report 1 shows chain A's two contracts; report 2 shows them again,
	// which are no new changes.
	submitN(f, 2)
	changes := func() int {
		it, err := f.k.ContractChanges.Iterate(f.ctx, collections.NewPrefixedPairRange[string, uint64](chainA))
		require.NoError(t, err)
		keys, err := it.Keys()
		require.NoError(t, err)
		return len(keys)
	}
	require.Equal(t, 2, changes())
	f.advance(30 * time.Minute)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 2, changes(), "not expired yet")

	// One report is due (the latest is never queued): its two changes go
	// with it.
	f.advance(time.Hour)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Zero(t, changes())
	it, err := f.k.ContractPruneQueue.Iterate(f.ctx, nil)
	require.NoError(t, err)
	left, err := it.Keys()
	require.NoError(t, err)
	require.Empty(t, left, "changes recorded by a report are never queued on their own")
}

// TestGenesisRoundTrip exports a busy state, imports it into a new store and
// exports again: same genesis, and the imported chain keeps working.
func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	submitN(f, 3)
	migrated := snapshot(chainA, 130)
	migrated.NewContracts[0].CodeId = 9
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: migrated}))
	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())

	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("t2")).Ctx.WithBlockTime(f.ctx.BlockTime())
	k2 := keeper.NewKeeper(moduletestutil.MakeTestEncodingConfig(collector.AppModule{}).Codec, runtime.NewKVStoreService(key), authority, f.bank, nil, nil, nil)
	require.NoError(t, k2.InitGenesis(ctx, *exported))
	again, err := k2.ExportGenesis(ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)

	// The liveness queue was rebuilt: chain A still turns stale on time.
	ctx = ctx.WithBlockTime(f.subchain(chainA).NextReportDue)
	require.NoError(t, k2.EndBlocker(ctx))
	s, err := k2.Subchains.Get(ctx, chainA)
	require.NoError(t, err)
	require.Equal(t, types.LIVENESS_STALE, s.Liveness)
}
