package keeper_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"

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
	gs := fixtureGenesis()
	require.NoError(t, gs.Validate())
	require.NoError(t, k.InitGenesis(ctx, gs))
	return &fixture{t: t, ctx: ctx, key: key, k: k}
}

// fixtureGenesis is the genesis newFixture loads.
func fixtureGenesis() types.GenesisState {
	sent := snapshot(50)
	return types.GenesisState{
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

// withChain rebuilds the fixture's keeper, on the same store, with a bonded
// set of vals validators, no upgrade, and sink for the packets it sends:
// enough to take and send snapshots.
func (f *fixture) withChain(vals int, sink *packetSink) {
	f.t.Helper()
	enc := moduletestutil.MakeTestEncodingConfig(reporter.AppModule{})
	f.k = keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(f.key), authority,
		stakingStub{vals: bondedValidators(f.t, vals)}, upgradeStub{}, sink, nil, nil, nil, nil)
}

// at moves the fixture to height, a second a block from genesis.
func (f *fixture) at(height int64) {
	f.ctx = f.ctx.WithBlockHeight(height).WithBlockTime(genesisTime.Add(time.Duration(height) * time.Second))
}

// stakingStub is a bonded validator set.
type stakingStub struct{ vals []stakingtypes.Validator }

func (s stakingStub) GetBondedValidatorsByPower(context.Context) ([]stakingtypes.Validator, error) {
	return s.vals, nil
}

func (stakingStub) GetValidator(context.Context, sdk.ValAddress) (stakingtypes.Validator, error) {
	return stakingtypes.Validator{}, stakingtypes.ErrNoValidatorFound
}

func (stakingStub) PowerReduction(context.Context) sdkmath.Int { return sdk.DefaultPowerReduction }

// upgradeStub is a chain with no upgrade done or planned.
type upgradeStub struct{}

func (upgradeStub) GetUpgradePlan(context.Context) (upgradetypes.Plan, error) {
	return upgradetypes.Plan{}, upgradetypes.ErrNoUpgradePlanFound
}

func (upgradeStub) GetLastCompletedUpgrade(context.Context) (string, int64, error) { return "", 0, nil }

// packetSink records the packets sent; the fixture's report in flight is
// packet 1, so the first one sent here is packet 2.
type packetSink struct{ sent [][]byte }

func (s *packetSink) SendPacket(_ sdk.Context, _, _ string, _ clienttypes.Height, _ uint64, data []byte) (uint64, error) {
	s.sent = append(s.sent, data)
	return uint64(len(s.sent)) + 1, nil
}

// bondedValidators returns n bonded validators with ed25519 keys, each with
// a moniker as long as x/staking allows and power 1000+i.
func bondedValidators(t testing.TB, n int) []stakingtypes.Validator {
	t.Helper()
	out := make([]stakingtypes.Validator, n)
	for i := range out {
		key := ed25519.GenPrivKeyFromSecret([]byte(fmt.Sprintf("validator-%d", i))).PubKey()
		moniker := fmt.Sprintf("validator-%d-", i)
		moniker += strings.Repeat("m", stakingtypes.MaxMonikerLength-len(moniker))
		v, err := stakingtypes.NewValidator(sdk.ValAddress(key.Address()).String(), key, stakingtypes.Description{Moniker: moniker})
		require.NoError(t, err)
		v.Status = stakingtypes.Bonded
		v.Tokens = sdk.TokensFromConsensusPower(int64(1000+i), sdk.DefaultPowerReduction)
		out[i] = v
	}
	return out
}
