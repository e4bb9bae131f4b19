package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

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
		require.NoError(t, f.k.ContractChanges.Set(f.ctx, collections.Join(c.ChainId, c.Sequence), c))
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
	f.invariants()
	for _, want := range []struct {
		chain, addr string
		seq         uint64
	}{{chainA, "sub1contract0001", 3}, {chainA, "sub1contract0002", 2}, {chainA, "sub1old", 4}, {chainB, "sub1contract0001", 1}} {
		got, err := f.k.ContractIndex.Get(f.ctx, collections.Join(want.chain, want.addr))
		require.NoError(t, err)
		require.Equal(t, want.seq, got, "%s on %s", want.addr, want.chain)
	}

	// Version 2 goes on: the two contracts shown again at their code are
	// not new; one at a new code id is a migration, sequence 5.
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
	f.invariants()

	// Migrating twice changes nothing.
	before := f.dump()
	require.NoError(t, keeper.NewMigrator(f.k).Migrate1to2(f.ctx))
	require.Equal(t, before, f.dump())
}
