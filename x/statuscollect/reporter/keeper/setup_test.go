package keeper_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

const (
	chainID       = "subchain-a"
	statusChannel = "channel-0"
)

var (
	genesisTime = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	authority   = sdk.AccAddress([]byte("gov-authority-addr--")).String()
)

// The contracts of the fixture: c1 and c2 ride on the report in flight; c2
// was migrated again while it flew (its pending code id is newer than the one
// carried), c3 was deployed after it left.
var (
	c1         = shared.Contract{Address: "sub1contract0001", CodeId: 1, Label: "registry"}
	c2         = shared.Contract{Address: "sub1contract0002", CodeId: 2, Label: "storage-index"}
	c2Migrated = shared.Contract{Address: "sub1contract0002", CodeId: 4, Label: "storage-index"}
	c3         = shared.Contract{Address: "sub1contract0003", CodeId: 3, Label: "audit"}
)

// fixture is a reporter keeper on an in-memory store, without the staking,
// upgrade or IBC keepers: enough for everything but taking and sending a
// snapshot.
type fixture struct {
	t   testing.TB
	ctx sdk.Context
	key *storetypes.KVStoreKey
	k   keeper.Keeper
}

// newFixture builds the keeper with a report in flight on the status
// channel, through a genesis as a restarted chain would load it:
//
//	report 1: acknowledged as the main chain's report 5
//	report 2: in flight as packet 1 of channel-0, height 50, carrying c1 and c2
//	evidence: sent against main report 4 (pending), upheld against main report 3
func newFixture(t testing.TB) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient"))
	ctx := tctx.Ctx.WithChainID(chainID).WithBlockHeight(55).WithBlockTime(genesisTime.Add(55 * time.Second)).
		WithEventManager(sdk.NewEventManager())
	enc := moduletestutil.MakeTestEncodingConfig(reporter.AppModule{})
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), authority, nil, nil, nil, nil, nil, nil, nil)

	sent := snapshot(50)
	gs := types.GenesisState{
		Params:    types.DefaultParams(),
		Orgs:      []string{"org-a", "org-b"},
		ChannelId: statusChannel,
		TxTotal:   sent.TotalTxs,
		Window:    &types.TxWindow{Height: 50, Time: sent.BlockTime, TotalTxs: sent.TotalTxs},
		LastSent:  &sent,
		Link: &types.LinkStatus{
			ChannelId: statusChannel, LastSent: 2, LastAcked: 1, LastAckedMainSequence: 5, PendingContracts: 3,
			InFlight: &types.InFlight{
				Sequence: 2, Height: 50, Contracts: []string{c1.Address, c2.Address}, ChannelId: statusChannel,
				PacketSequence: 1, TimeoutTimestamp: uint64(genesisTime.Add(time.Hour).UnixNano()),
			},
		},
		PendingContracts: []shared.Contract{c1, c2Migrated, c3},
		Snapshots:        []shared.StatusSnapshot{sent},
		DisputedReports:  []types.DisputedReport{{Height: 50, MainSequence: 3}, {Height: 50, MainSequence: 4}},
	}
	require.NoError(t, gs.Validate())
	require.NoError(t, k.InitGenesis(ctx, gs))
	return &fixture{t: t, ctx: ctx, key: key, k: k}
}

// snapshot is this chain's snapshot at height, as the sidecar takes it.
func snapshot(height int64) shared.StatusSnapshot {
	return shared.StatusSnapshot{
		ChainId:      chainID,
		Height:       height,
		BlockTime:    genesisTime.Add(time.Duration(height) * time.Second),
		TotalTxs:     uint64(height) * 3,
		WindowTxs:    30,
		WindowBlocks: 10,
		TpsMilli:     3000,
		Orgs:         []string{"org-a", "org-b"},
		Validators: []shared.Validator{
			{Address: "subvalcons1aaaa", Power: 10, Moniker: "val-a"},
			{Address: "subvalcons1bbbb", Power: 10, Moniker: "val-b"},
		},
		ContractCount:   5,
		NewContracts:    []shared.Contract{c1, c2},
		SoftwareVersion: "genesis",
	}
}

// dump returns every key/value pair of the module's store.
func (f *fixture) dump() [][2][]byte {
	it := f.ctx.KVStore(f.key).Iterator(nil, nil)
	defer it.Close()
	var out [][2][]byte
	for ; it.Valid(); it.Next() {
		out = append(out, [2][]byte{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	return out
}

func (f *fixture) link() types.LinkStatus {
	f.t.Helper()
	l, err := f.k.Link.Get(f.ctx)
	require.NoError(f.t, err)
	return l
}
