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

// submitUntil submits chain A's snapshots after height, a height apart in
// the same block, until its latest report is report seq, and returns the
// last height. Tests use it to place a report at or after a prune
// checkpoint (every keeper.PruneEvery-th report).
func submitUntil(f *fixture, seq uint64, height int64) int64 {
	f.t.Helper()
	for f.subchain(chainA).LastSequence < seq {
		height++
		f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, height)}))
	}
	return height
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

// TestPruningBoundedAndKeepsLatest: a subchain's reports are pruned when
// a prune checkpoint expires (every keeper.PruneEvery-th report), with the
// reports before it, never before history_retention, at most
// max_prunes_per_block a block; the reports after the last checkpoint wait
// for the next, and a subchain's latest report always stays.
func TestPruningBoundedAndKeepsLatest(t *testing.T) {
	f := newFixture(t)
	params := types.DefaultParams()
	params.Admin = consortium
	params.HistoryRetention = time.Hour
	params.MaxPrunesPerBlock = 5
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	start := f.ctx.BlockTime()
	submitN(f, 2*keeper.PruneEvery+1) // a minute apart: checkpoints 8 and 16, 17 the latest
	count := func() int {
		it, err := f.k.Reports.Iterate(f.ctx, collections.NewPrefixedPairRange[string, uint64](chainA))
		require.NoError(t, err)
		keys, err := it.Keys()
		require.NoError(t, err)
		return len(keys)
	}
	endBlockAt := func(at time.Time) int {
		f.advance(at.Sub(f.ctx.BlockTime()))
		require.NoError(t, f.k.EndBlocker(f.ctx))
		f.invariants()
		return count()
	}
	checkpoint := func(seq int) time.Time { return start.Add(time.Duration(seq-1)*time.Minute + time.Hour) }
	require.Equal(t, 17, endBlockAt(checkpoint(8).Add(-time.Second)), "report 1 expired, but nothing is pruned before its checkpoint")
	require.Equal(t, 12, endBlockAt(checkpoint(8)), "reports 1 to 5: the cap")
	require.Equal(t, 9, endBlockAt(checkpoint(8).Add(time.Second)), "6 to 8; 9 has expired, but waits for checkpoint 16")
	require.Equal(t, 4, endBlockAt(checkpoint(16)), "9 to 13")
	require.Equal(t, 1, endBlockAt(checkpoint(16).Add(time.Second)), "14 to 16")
	require.Equal(t, 1, endBlockAt(checkpoint(16).Add(time.Hour)), "the latest report is never pruned")

	latest, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
	require.NoError(t, err)
	require.EqualValues(t, 17, latest.Report.Sequence)
	_, err = f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: 135})
	require.ErrorIs(t, err, types.ErrNoReport, "the height index is pruned with the reports")

	// The next report is still diffed against the kept latest one.
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 400)}))
	require.False(t, f.report(chainA, 18).Changes.OrgsChanged())
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
	// Report 1 shows chain A's two contracts; reports 2 to 9 show them
	// again, which are no new changes; 8 is the first prune checkpoint.
	submitN(f, keeper.PruneEvery+1)
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

	// Checkpoint 8 is due: report 1 goes first, its two changes with it,
	// and they count as one of the two prunes of the block.
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
