package keeper_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// TestMigrate1to2 writes contract changes as version 1 stored them (no
// index, no report sequence, a REMOVED kind), migrates, and checks that
// version 2 then goes on from them: the index points at each contract's
// latest change, a contract shown again is not recorded twice, and a new
// code id is a migration.
func TestMigrate1to2(t *testing.T) {
	f := newFixture(t)
	v1 := []types.ContractChange{
		{ChainId: chainA, Sequence: 1, Kind: types.CONTRACT_CHANGE_KIND_DEPLOYED, Contract: shared.Contract{Address: "sub1contract0001", CodeId: 1, Label: "registry"}, Height: 40},
		{ChainId: chainA, Sequence: 2, Kind: types.CONTRACT_CHANGE_KIND_DEPLOYED, Contract: shared.Contract{Address: "sub1contract0002", CodeId: 2, Label: "storage-index"}, Height: 41},
		{ChainId: chainA, Sequence: 3, Kind: types.CONTRACT_CHANGE_KIND_MIGRATED, Contract: shared.Contract{Address: "sub1contract0001", CodeId: 1, Label: "registry"}, Height: 45},
		{ChainId: chainA, Sequence: 4, Kind: types.ContractChangeKind(3), Contract: shared.Contract{Address: "sub1old", CodeId: 9}, Height: 46},
		{ChainId: chainB, Sequence: 1, Kind: types.CONTRACT_CHANGE_KIND_DEPLOYED, Contract: shared.Contract{Address: "sub1contract0001", CodeId: 5}, Height: 12},
	}
	for _, c := range v1 {
		c.MainTime = f.ctx.BlockTime()
		require.NoError(t, keeper.NewMigrator(f.k).V2ContractChanges().Set(f.ctx, collections.Join(c.ChainId, c.Sequence), c))
		require.NoError(t, f.k.ContractPruneQueue.Set(f.ctx, collections.Join3(c.MainTime.UnixNano(), c.ChainId, c.Sequence)))
	}
	for chain, last := range map[string]uint64{chainA: 4, chainB: 1} {
		sub := f.subchain(chain)
		sub.LastContractChange = last
		require.NoError(t, f.k.Subchains.Set(f.ctx, chain, sub))
	}
	broken := false
	for _, inv := range f.k.Invariants(nil) {
		broken = broken || inv.Check(f.ctx) != nil
	}
	require.True(t, broken, "version 1's store has no index: an invariant of version 2 must see it")

	require.NoError(t, keeper.NewMigrator(f.k).Migrate1to2(f.ctx))
	for _, want := range []struct {
		chain, addr string
		seq         uint64
	}{{chainA, "sub1contract0001", 3}, {chainA, "sub1contract0002", 2}, {chainA, "sub1old", 4}, {chainB, "sub1contract0001", 1}} {
		got, err := f.k.ContractIndex.Get(f.ctx, keeper.ContractKey(want.chain, want.addr))
		require.NoError(t, err)
		require.Equal(t, want.seq, got, "%s on %s", want.addr, want.chain)
	}

	// Migrating twice changes nothing.
	before := f.dump()
	require.NoError(t, keeper.NewMigrator(f.k).Migrate1to2(f.ctx))
	require.Equal(t, before, f.dump())

	// Then to version 3, which goes on: version 1's changes (no report)
	// stay whole and queued; the two contracts shown again at their code
	// are not new; one at a new code id is a migration, sequence 5.
	require.NoError(t, keeper.NewMigrator(f.k).Migrate2to3(f.ctx))
	f.invariants()
	f.advance(time.Minute)
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)}))
	require.Len(t, f.contractChanges(chainA), 4)
	snap := snapshot(chainA, 110)
	snap.NewContracts = []shared.Contract{{Address: "sub1contract0002", CodeId: 3, Label: "storage-index"}}
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snap}))
	changes := f.contractChanges(chainA)
	require.Len(t, changes, 5)
	require.Equal(t, types.CONTRACT_CHANGE_KIND_MIGRATED, changes[4].Kind)
	require.EqualValues(t, 5, changes[4].Sequence)
	require.Equal(t, v1[3].Height, changes[3].Height, "version 1's change served whole")
	f.invariants()
}

// TestMigrate2to3 builds the store version 2 left (whole reports and
// contract changes, each change in the contract prune queue, no FirstLists,
// no ListsHolders) from a history that was partly pruned, so the first stored
// report is a heartbeat whose lists were held by a pruned one; migrates; and
// requires the store version 3 builds from the same reports, byte for byte,
// and the same answers as before. Changes without a stored report stay whole
// and queued.
func TestMigrate2to3(t *testing.T) {
	f := newFixture(t)
	want, changes := prunedReports(f)
	requireAnswers(f, want, changes)
	v3 := f.dump()

	// Version 2's layout: every stored report and change whole, each change
	// queued for pruning on its own; one change outlived its report (pruned
	// in another block, as version 2's shared cap allowed), and one is
	// version 1's, with no report.
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NotEmpty(t, gs.ContractChanges)
	require.NoError(t, f.k.Reports.Clear(f.ctx, nil))
	require.NoError(t, f.k.FirstLists.Clear(f.ctx, nil))
	require.NoError(t, f.k.ListsHolders.Clear(f.ctx, nil))
	require.NoError(t, f.k.SetHolders.Clear(f.ctx, nil))
	require.NoError(t, f.k.ContractChanges.Clear(f.ctx, nil))
	m := keeper.NewMigrator(f.k)
	for _, r := range gs.Reports {
		require.NoError(t, m.V2Reports().Set(f.ctx, collections.Join(r.ChainId, r.Sequence), r))
	}
	orphans := []types.ContractChange{
		{ChainId: chainA, Sequence: changes[len(changes)-1].Sequence + 1, Kind: types.CONTRACT_CHANGE_KIND_DEPLOYED,
			Contract: shared.Contract{Address: "sub1orphan", CodeId: 4}, Height: 170, Source: want[0].Source,
			MainHeight: 3, MainTime: want[0].MainTime.Add(-time.Minute), ReportSequence: 8},
		{ChainId: chainB, Sequence: 1, Kind: types.CONTRACT_CHANGE_KIND_DEPLOYED,
			Contract: shared.Contract{Address: "sub1v1"}, Height: 9, MainTime: want[0].MainTime},
	}
	for _, c := range append(gs.ContractChanges, orphans...) {
		require.NoError(t, m.V2ContractChanges().Set(f.ctx, collections.Join(c.ChainId, c.Sequence), c))
		require.NoError(t, f.k.ContractPruneQueue.Set(f.ctx, collections.Join3(c.MainTime.UnixNano(), c.ChainId, c.Sequence)))
	}
	require.NotEqual(t, v3, f.dump())

	require.NoError(t, m.Migrate2to3(f.ctx))
	for _, c := range orphans {
		stored, err := f.k.ContractChanges.Get(f.ctx, collections.Join(c.ChainId, c.Sequence))
		require.NoError(t, err)
		require.NotNil(t, stored.MainTime, "stored whole")
		require.Equal(t, c.Height, stored.Height)
		queued, err := f.k.ContractPruneQueue.Has(f.ctx, collections.Join3(c.MainTime.UnixNano(), c.ChainId, c.Sequence))
		require.NoError(t, err)
		require.True(t, queued)
		require.NoError(t, f.k.ContractChanges.Remove(f.ctx, collections.Join(c.ChainId, c.Sequence)))
		require.NoError(t, f.k.ContractPruneQueue.Remove(f.ctx, collections.Join3(c.MainTime.UnixNano(), c.ChainId, c.Sequence)))
	}
	requireSameStore(t, v3, f.dump())
	f.invariants()
	requireAnswers(f, want, changes)

	// Version 3 goes on from the migrated store.
	f.advance(10 * time.Minute)
	last := want[len(want)-1].Snapshot
	f.must(f.ibcReport(100, heartbeat(last, 10)))
	s, err := f.k.Reports.Get(f.ctx, collections.Join(chainA, want[len(want)-1].Sequence+1))
	require.NoError(t, err)
	require.True(t, s.SharesLists)
	f.invariants()
}

// TestMigrate5to6 builds the store version 5 left from a history that was
// partly pruned (every report that does not share its lists holds them
// whole, no SetHolders, the contract index keyed by address under its old
// prefix), migrates, and requires the store version 6 builds from the same
// reports, byte for byte, and the same answers as before. Migrating twice
// changes nothing, and version 6 goes on from the migrated store.
func TestMigrate5to6(t *testing.T) {
	f := newFixture(t)
	want, changes := prunedReports(f)
	requireAnswers(f, want, changes)
	v6 := f.dump()

	// Version 5's layout.
	m := keeper.NewMigrator(f.k)
	whole := map[collections.Pair[string, uint64]]types.StoredReport{}
	powers := 0
	require.NoError(t, f.k.ListsHolders.Walk(f.ctx, nil, func(key collections.Pair[string, uint64]) (bool, error) {
		s, err := f.k.Reports.Get(f.ctx, key)
		require.NoError(t, err)
		r, err := f.k.GetReport(f.ctx, key.K1(), key.K2())
		require.NoError(t, err)
		if len(s.Powers) > 0 {
			powers++
		}
		s.Powers, s.Snapshot.Orgs, s.Snapshot.Validators = nil, r.Snapshot.Orgs, r.Snapshot.Validators
		whole[key] = s
		return false, nil
	}))
	require.Equal(t, 2, powers, "reports 14 and 15 hold their powers alone")
	for key, s := range whole {
		require.NoError(t, f.k.Reports.Set(f.ctx, key, s))
	}
	require.NoError(t, f.k.SetHolders.Clear(f.ctx, nil))
	require.NoError(t, f.k.ContractChanges.Walk(f.ctx, nil, func(key collections.Pair[string, uint64], c types.StoredContractChange) (bool, error) {
		return false, m.V5ContractIndex().Set(f.ctx, collections.Join(key.K1(), c.Contract.Address), key.K2())
	}))
	require.NoError(t, f.k.ContractIndex.Clear(f.ctx, nil))
	requireMigrates(f, m.Migrate5to6, v6, want, changes)

	// Version 6 goes on: a power change stores the powers alone, and a
	// contract known before the upgrade is not recorded again.
	f.advance(10 * time.Minute)
	next := heartbeat(want[len(want)-1].Snapshot, 10)
	next.Validators[2].Power += 3
	next.NewContracts = []shared.Contract{changes[len(changes)-1].Contract}
	f.must(f.ibcReport(100, next))
	s, err := f.k.Reports.Get(f.ctx, collections.Join(chainA, want[len(want)-1].Sequence+1))
	require.NoError(t, err)
	require.Len(t, s.Powers, len(next.Validators))
	require.Zero(t, s.ContractChanges, "the contract was known")
	require.Len(t, f.contractChanges(chainA), len(retainedChanges(changes, want)))
	f.invariants()
}

// TestMigrate6to7 builds version 6's prune queue (every report but the
// latest queued) over the pruned history, migrates, and requires the store
// version 7 builds from the same reports, byte for byte: only the prune
// checkpoints queued. Migrating twice changes nothing, and the reports whose
// entries the migration took out are pruned with the checkpoint after them.
func TestMigrate6to7(t *testing.T) {
	f := newFixture(t)
	params, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	params.HistoryRetention = time.Hour
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	want, changes := prunedReports(f) // reports 10 to 16 stored, 16 the latest
	v7 := f.dump()

	// Version 6's queue.
	for _, r := range want[:len(want)-1] {
		require.NoError(t, f.k.PruneQueue.Set(f.ctx, collections.Join3(r.MainTime.UnixNano(), chainA, r.Sequence)))
	}
	requireMigrates(f, keeper.NewMigrator(f.k).Migrate6to7, v7, want, changes)

	// Version 7 goes on: report 17 makes 16 a queued checkpoint, and once
	// it expires, 10 to 16 are pruned with it.
	f.advance(10 * time.Minute)
	f.must(f.ibcReport(100, heartbeat(want[len(want)-1].Snapshot, 10)))
	f.invariants()
	f.advance(params.HistoryRetention)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	f.invariants()
	for _, r := range want {
		_, err := f.k.Reports.Get(f.ctx, collections.Join(chainA, r.Sequence))
		require.ErrorIs(t, err, collections.ErrNotFound, "report %d", r.Sequence)
	}
	latest, err := f.k.GetReport(f.ctx, chainA, want[len(want)-1].Sequence+1)
	require.NoError(t, err)
	require.Equal(t, want[len(want)-1].Snapshot.Orgs, latest.Snapshot.Orgs, "the latest report keeps its lists")
}

// requireMigrates runs migrate on f's store, laid out as the version before
// it left it, and requires the store want (the one the version after it
// writes for the same reports), every invariant, the same answers, and no
// change from a second run.
func requireMigrates(f *fixture, migrate func(sdk.Context) error, want [][2][]byte, reports []types.Report, changes []types.ContractChange) {
	f.t.Helper()
	require.NotEqual(f.t, want, f.dump(), "the store to migrate is laid out as the version before")
	require.NoError(f.t, migrate(f.ctx))
	requireSameStore(f.t, want, f.dump())
	f.invariants()
	requireAnswers(f, reports, changes)
	require.NoError(f.t, migrate(f.ctx))
	requireSameStore(f.t, want, f.dump())
}

// TestMigrate7to8: version 7's records are whole under one prefix and keep
// nothing of their latest report, its two indexes hold eight-byte sequences
// and its contract changes hold addresses as strings. The migration sets
// each record's lists hash and counts and contract count from its latest
// report (a subchain with no report keeps none) and splits the record in
// two, and rewrites the sequences as uvarints and the bech32 addresses as
// their parts; after it a report over IBC naming its lists by hash is
// checked against the record.
func TestMigrate7to8(t *testing.T) {
	f := newFixture(t)
	want, changes := prunedReports(f) // chain A's reports 10 to 16 stored; chain B has none
	v8 := f.dump()
	latest := want[len(want)-1]
	sub := f.subchain(chainA)
	require.Equal(t, latest.Snapshot.ListsHash(), sub.Latest.ListsHash)
	require.EqualValues(t, len(latest.Snapshot.Validators), sub.Latest.NodeCount)

	// Version 7's records: whole, under one prefix, and keeping nothing of
	// their latest report.
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(f.key))
	plainCodec := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	records := collections.NewMap(sb, types.SubchainsKey, "v7_subchains", collections.StringKey, codec.CollValue[types.Subchain](plainCodec))
	for _, id := range []string{chainA, chainB} {
		s := f.subchain(id)
		s.Latest = types.LatestFigures{}
		require.NoError(t, records.Set(f.ctx, id, s))
		require.NoError(t, f.k.Subchains.Info.Remove(f.ctx, id))
	}
	byHeight := collections.NewMap(sb, types.ReportsByHeightKey, "v7_by_height",
		collections.PairKeyCodec(collections.StringKey, collections.Int64Key), collections.Uint64Value)
	index := collections.NewMap(sb, types.ContractIndexV6Key, "v7_index",
		collections.PairKeyCodec(collections.StringKey, collections.BytesKey), collections.Uint64Value)
	n := 0
	require.NoError(t, f.k.ReportsByHeight.Walk(f.ctx, nil, func(key collections.Pair[string, int64], seq uint64) (bool, error) {
		n++
		return false, byHeight.Set(f.ctx, key, seq)
	}))
	require.NoError(t, f.k.ContractIndex.Walk(f.ctx, nil, func(key collections.Pair[string, []byte], seq uint64) (bool, error) {
		n++
		return false, index.Set(f.ctx, key, seq)
	}))
	require.Greater(t, n, len(want), "both indexes hold entries")
	// Version 7's changes: every address as a string.
	plain := collections.NewMap(sb, types.ContractChangesKey, "v7_changes",
		collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), codec.CollValue[types.StoredContractChange](plainCodec))
	compacted := 0
	require.NoError(t, f.k.ContractChanges.Walk(f.ctx, nil, func(key collections.Pair[string, uint64], c types.StoredContractChange) (bool, error) {
		stored, err := plain.Get(f.ctx, key)
		if err == nil && len(stored.AddressData) > 0 {
			compacted++
		}
		return false, errors.Join(err, plain.Set(f.ctx, key, c))
	}))
	require.Positive(t, compacted, "version 8 holds bech32 addresses as their parts")
	requireMigrates(f, keeper.NewMigrator(f.k).Migrate7to8, v8, want, changes)

	next := heartbeat(latest.Snapshot, 10)
	r := shared.StatusReport{Sequence: f.subchain(chainA).LastIbcReport + 1, Snapshot: &next}
	r.ListsHash = next.NameListsByHash()
	_, err := f.k.ReceiveReport(f.ctx, f.statusChannel(chainA), r)
	require.NoError(t, err)
	f.invariants()
	got, err := f.k.GetReport(f.ctx, chainA, latest.Sequence+1)
	require.NoError(t, err)
	require.Equal(t, latest.Snapshot.Validators, got.Snapshot.Validators, "recorded with the lists it named")
}
