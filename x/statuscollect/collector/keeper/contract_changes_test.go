package keeper_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/store/prefix"

	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

func (f *fixture) contractChanges(chain string) []types.ContractChange {
	f.t.Helper()
	res, err := f.querys.ContractChanges(f.ctx, &types.QueryContractChangesRequest{ChainId: chain})
	require.NoError(f.t, err)
	return res.Changes
}

// TestContractChangesFromBothDoors: the contracts a report shows reach
// `q contract-changes` whichever door the report came through, once each; a
// contract shown again with another code id is a migration.
func TestContractChangesFromBothDoors(t *testing.T) {
	f := newFixture(t)
	sidecar, err := f.ibcReport(1, snapshot(chainA, 50))
	require.NoError(t, err)
	ch := f.subchain(chainA).ChannelId
	changes := f.contractChanges(chainA)
	require.Len(t, changes, 2, "the sidecar's report over IBC shows two new contracts")
	for i, c := range changes {
		require.Equal(t, uint64(i+1), c.Sequence)
		require.Equal(t, types.CONTRACT_CHANGE_KIND_DEPLOYED, c.Kind)
		require.Equal(t, snapshot(chainA, 50).NewContracts[i], c.Contract)
		require.Equal(t, types.ReportSource{ChannelId: ch, IbcSequence: 1}, c.Source)
		require.Equal(t, sidecar, c.ReportSequence)
		require.EqualValues(t, 50, c.Height)
	}

	// An org's report by tx shows the same two contracts and one more.
	snap := snapshot(chainA, 60)
	snap.NewContracts = append(snap.NewContracts, shared.Contract{Address: "sub1contract0003", CodeId: 2, Label: "index-2"})
	snap.ContractCount++
	res, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snap})
	require.NoError(t, err)
	changes = f.contractChanges(chainA)
	require.Len(t, changes, 3, "the two contracts the sidecar reported are not recorded twice")
	require.Equal(t, "sub1contract0003", changes[2].Contract.Address)
	require.Equal(t, types.ReportSource{OrgId: orgA, Reporter: reporterA}, changes[2].Source)
	require.Equal(t, res.Sequence, changes[2].ReportSequence)

	// The sidecar's next report shows the first contract migrated to code 7.
	next := snapshot(chainA, 70)
	next.NewContracts = []shared.Contract{{Address: "sub1contract0001", CodeId: 7, Label: "registry"}}
	_, err = f.ibcReport(2, next)
	require.NoError(t, err)
	changes = f.contractChanges(chainA)
	require.Len(t, changes, 4)
	require.Equal(t, types.CONTRACT_CHANGE_KIND_MIGRATED, changes[3].Kind)
	require.EqualValues(t, 7, changes[3].Contract.CodeId)
	require.EqualValues(t, 4, f.subchain(chainA).LastContractChange)

	// Shown again at code 7 by an org: nothing new.
	again := snapshot(chainA, 80)
	again.NewContracts = next.NewContracts
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: again}))
	require.Len(t, f.contractChanges(chainA), 4)
	f.invariants()

	// Chain B's contracts are its own, even at the same addresses.
	_, err = f.ibcReport(1, snapshot(chainB, 50))
	require.NoError(t, err)
	require.Len(t, f.contractChanges(chainB), 2)
	require.Len(t, f.contractChanges(chainA), 4)
}

// TestContractChangesOfRefusedReport: a refused report records no contract
// change, whichever check refused it.
func TestContractChangesOfRefusedReport(t *testing.T) {
	f := newFixture(t)
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)}))
	before := f.dump()
	stale := snapshot(chainA, 90)
	stale.NewContracts = []shared.Contract{{Address: "sub1late", CodeId: 1}}
	_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: stale})
	require.ErrorIs(t, err, types.ErrOutdatedReport)
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: stranger, Snapshot: snapshot(chainA, 110)})
	require.ErrorIs(t, err, types.ErrNotReporter)
	require.Equal(t, before, f.dump())
	require.Len(t, f.contractChanges(chainA), 2)
}

// TestContractIndexAfterPruning: once a contract's changes are pruned the
// main chain no longer knows it, and shows it again as deployed; while a
// later change is kept, the index points at that one.
func TestContractIndexAfterPruning(t *testing.T) {
	f := newFixture(t)
	params := types.DefaultParams()
	params.Admin = consortium
	params.HistoryRetention = 2 * params.DisputeWindow
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)}))
	submitUntil(f, keeper.PruneEvery, 100) // the checkpoint report 1 is pruned with
	f.advance(params.HistoryRetention / 2)
	migrated := snapshot(chainA, 110)
	migrated.BlockTime = f.ctx.BlockTime()
	migrated.NewContracts = []shared.Contract{{Address: "sub1contract0001", CodeId: 5, Label: "registry"}}
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: migrated}))
	f.advance(params.HistoryRetention/2 + 1)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	f.invariants()
	changes := f.contractChanges(chainA)
	require.Len(t, changes, 1, "the two deployments are pruned, the migration is kept")
	require.Equal(t, types.CONTRACT_CHANGE_KIND_MIGRATED, changes[0].Kind)

	// sub1contract0002 is unknown now: shown again, it is a deployment.
	again := snapshot(chainA, 120)
	again.BlockTime = f.ctx.BlockTime()
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: again}))
	changes = f.contractChanges(chainA)
	require.Len(t, changes, 3)
	require.Equal(t, types.CONTRACT_CHANGE_KIND_MIGRATED, changes[1].Kind, "sub1contract0001 at code 1 after code 5")
	require.Equal(t, types.CONTRACT_CHANGE_KIND_DEPLOYED, changes[2].Kind)
	f.invariants()
}

// TestContractKeyShared: the index keys a contract by 20 bytes of its
// address's hash. Were two addresses to share a key, as the store is made
// to look here, the second is recorded as deployed, not as a migration of
// the first, and takes the key; the first, shown again, is deployed again.
func TestContractKeyShared(t *testing.T) {
	f := newFixture(t)
	first := snapshot(chainA, 50)
	first.NewContracts = first.NewContracts[:1]
	f.must(f.ibcReport(1, first))
	a, b := first.NewContracts[0], shared.Contract{Address: "sub1contract9999", CodeId: 1, Label: "registry"}
	require.NoError(t, f.k.ContractIndex.Remove(f.ctx, keeper.ContractKey(chainA, a.Address)))
	require.NoError(t, f.k.ContractIndex.Set(f.ctx, keeper.ContractKey(chainA, b.Address), 1)) // b's key names a's change

	next := snapshot(chainA, 60)
	next.NewContracts = []shared.Contract{b}
	f.must(f.ibcReport(2, next))
	again := snapshot(chainA, 70)
	again.NewContracts = []shared.Contract{a}
	f.must(f.ibcReport(3, again))
	changes := f.contractChanges(chainA)
	require.Len(t, changes, 3)
	for i, want := range []shared.Contract{a, b, a} {
		require.Equal(t, want, changes[i].Contract)
		require.Equal(t, types.CONTRACT_CHANGE_KIND_DEPLOYED, changes[i].Kind, "change %d", i+1)
	}
	f.invariants() // each key names its contract's latest change again
}

// TestContractAddressesStoredAsTheirParts: a change whose contract address
// is canonical bech32 is stored as the address's prefix and bytes, 25 bytes
// fewer for a 32-byte address; one in upper case, or not bech32 at all, as
// it came. Every reader sees each address exactly as reported, bech32 with
// no data bytes too ("a12uel5l"), and the same contracts shown again are no
// new changes.
func TestContractAddressesStoredAsTheirParts(t *testing.T) {
	f := newFixture(t)
	canonical := contractAddress(1)
	noData, err := bech32.ConvertAndEncode("a", nil)
	require.NoError(t, err)
	contracts := []shared.Contract{
		{Address: canonical, CodeId: 1, Label: "registry"},
		{Address: noData, CodeId: 1, Label: "no-data"},
		{Address: strings.ToUpper(contractAddress(2)), CodeId: 1, Label: "upper"},
		{Address: canonical[:len(canonical)-1] + "q", CodeId: 1, Label: "bad-checksum"},
		{Address: "sub1contract0001", CodeId: 1, Label: "not-bech32"},
	}
	sortContracts(contracts)
	snap := snapshot(chainA, 50)
	snap.NewContracts = contracts
	f.must(f.ibcReport(1, snap))

	raw := prefix.NewStore(f.ctx.KVStore(f.key), types.ContractChangesKey.Bytes())
	for _, c := range f.contractChanges(chainA) {
		require.Contains(t, contracts, c.Contract, "read back as reported")
		key, err := collections.EncodeKeyWithPrefix(nil, collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), collections.Join(chainA, c.Sequence))
		require.NoError(t, err)
		var stored types.StoredContractChange
		require.NoError(t, stored.Unmarshal(raw.Get(key)))
		switch c.Contract.Address {
		case canonical:
			require.Empty(t, stored.Contract.Address)
			require.Equal(t, "sub", stored.AddressPrefix)
			require.Len(t, stored.AddressData, 32)
			whole := stored
			whole.Contract.Address, whole.AddressPrefix, whole.AddressData = canonical, "", nil
			require.Equal(t, whole.Size()-25, stored.Size())
		case noData:
			require.Empty(t, stored.Contract.Address)
			require.Equal(t, "a", stored.AddressPrefix)
			require.Empty(t, stored.AddressData)
		default:
			require.Equal(t, c.Contract.Address, stored.Contract.Address, "kept as it came")
			require.Empty(t, stored.AddressData)
		}
	}
	require.ElementsMatch(t, contracts, f.report(chainA, 1).Snapshot.NewContracts, "the report reads back as received")

	again := snapshot(chainA, 60)
	again.NewContracts = contracts
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: again})
	require.NoError(t, err)
	require.Len(t, f.contractChanges(chainA), len(contracts), "shown again by the other door, none is a new change")
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate(), "the chain's own export validates")
	f.invariants()
}
