package keeper_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v10/modules/light-clients/07-tendermint"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

const (
	chainA = "subchain-a"
	chainB = "subchain-b"
	orgA   = "org-a"  // member of chain A
	orgA2  = "org-a2" // a second member of chain A
	orgB   = "org-b"  // member of chain B only
)

var genesisTime = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// Accounts of the fixture: one per role of the permission matrix.
var (
	authority  = sdk.AccAddress([]byte("gov-authority-addr--")).String()
	consortium = sdk.AccAddress([]byte("consortium-admin----")).String()
	adminA     = sdk.AccAddress([]byte("org-a-admin---------")).String()
	adminA2    = sdk.AccAddress([]byte("org-a2-admin--------")).String()
	adminB     = sdk.AccAddress([]byte("org-b-admin---------")).String()
	reporterA  = sdk.AccAddress([]byte("org-a-monitor-------")).String()
	reporterA2 = sdk.AccAddress([]byte("org-a2-monitor------")).String()
	reporterB  = sdk.AccAddress([]byte("org-b-monitor-------")).String()
	revoked    = sdk.AccAddress([]byte("org-a-old-monitor---")).String()
	stranger   = sdk.AccAddress([]byte("stranger------------")).String()
	newAccount = sdk.AccAddress([]byte("new-monitor---------")).String()
)

type fixture struct {
	t      testing.TB
	ctx    sdk.Context
	key    *storetypes.KVStoreKey
	cms    storetypes.CommitMultiStore
	k      keeper.Keeper
	msgs   types.MsgServer
	querys keeper.Querier
	bank   *fakeBank
}

// fakeClients knows light clients "07-tendermint-<chain>" (and
// "07-tendermint-<chain>/<n>" for more of one chain) tracking that chain;
// enough to bind clients without an IBC stack. A client in expiredClients
// is expired.
type fakeClients struct{}

var expiredClients = map[string]bool{}

func (fakeClients) GetClientState(_ sdk.Context, clientID string) (ibcexported.ClientState, bool) {
	chain, ok := strings.CutPrefix(clientID, "07-tendermint-")
	if !ok {
		return nil, false
	}
	chain, _, _ = strings.Cut(chain, "/")
	return &ibctm.ClientState{ChainId: chain}, true
}

func (fakeClients) GetClientStatus(_ sdk.Context, clientID string) ibcexported.Status {
	if expiredClients[clientID] {
		return ibcexported.Expired
	}
	return ibcexported.Active
}

// verifiedClients holds the latest height, and its block time, a client has
// verified; others have verified none.
var verifiedClients = map[string]struct {
	height uint64
	at     time.Time
}{}

func (fakeClients) GetClientLatestHeight(_ sdk.Context, clientID string) clienttypes.Height {
	if v, ok := verifiedClients[clientID]; ok {
		return clienttypes.NewHeight(0, v.height)
	}
	return clienttypes.ZeroHeight()
}

func (fakeClients) GetClientTimestampAtHeight(_ sdk.Context, clientID string, h ibcexported.Height) (uint64, error) {
	if v, ok := verifiedClients[clientID]; ok && h.GetRevisionHeight() == v.height {
		return uint64(v.at.UnixNano()), nil
	}
	return 0, fmt.Errorf("no consensus state in this fake")
}

// fakeBank keeps balances in memory: enough to check that deposits are
// escrowed, returned and burnt.
type fakeBank struct{ balances map[string]sdk.Coins }

func moduleKey(module string) string { return "module:" + module }

func (b *fakeBank) SendCoinsFromAccountToModule(_ context.Context, from sdk.AccAddress, module string, amt sdk.Coins) error {
	return b.move(from.String(), moduleKey(module), amt)
}

func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error {
	return b.move(moduleKey(module), to.String(), amt)
}

func (b *fakeBank) BurnCoins(_ context.Context, module string, amt sdk.Coins) error {
	return b.move(moduleKey(module), "burnt", amt)
}

func (b *fakeBank) move(from, to string, amt sdk.Coins) error {
	left, bad := b.balances[from].SafeSub(amt...)
	if bad {
		return fmt.Errorf("%s has %s, needs %s", from, b.balances[from], amt)
	}
	b.balances[from] = left
	b.balances[to] = b.balances[to].Add(amt...)
	return nil
}

// newFixture builds a keeper on an in-memory store with two subchains, three
// orgs, their monitoring accounts and one revoked account, all set up through
// the msg server as a real network would be.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient"))
	ctx := tctx.Ctx.WithBlockHeight(10).WithBlockTime(genesisTime).WithEventManager(sdk.NewEventManager())
	enc := moduletestutil.MakeTestEncodingConfig(collector.AppModule{})
	bank := &fakeBank{balances: map[string]sdk.Coins{}}
	for _, a := range []string{adminA, adminA2, adminB, reporterA, reporterA2, reporterB, stranger} {
		bank.balances[a] = sdk.NewCoins(sdk.NewInt64Coin(sdk.DefaultBondDenom, 100_000_000))
	}
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), authority, bank, nil, nil, fakeClients{})
	f := &fixture{t: t, ctx: ctx, key: key, cms: tctx.CMS, k: k, msgs: keeper.NewMsgServerImpl(k), querys: keeper.NewQuerier(k), bank: bank}

	params := types.DefaultParams()
	params.Admin = consortium
	require.NoError(t, k.Params.Set(ctx, params))
	f.must(f.msgs.RegisterSubchain(ctx, &types.MsgRegisterSubchain{Authority: authority, ChainId: chainA, Name: "A",
		Kind: types.SUBCHAIN_KIND_FILE_STORAGE, ReportInterval: time.Minute}))
	f.must(f.msgs.RegisterSubchain(ctx, &types.MsgRegisterSubchain{Authority: authority, ChainId: chainB, Name: "B",
		Kind: types.SUBCHAIN_KIND_INDUSTRY, ReportInterval: time.Minute}))
	for _, o := range []struct{ id, admin, chain, reporter string }{
		{orgA, adminA, chainA, reporterA}, {orgA2, adminA2, chainA, reporterA2}, {orgB, adminB, chainB, reporterB},
	} {
		f.must(f.msgs.RegisterOrg(ctx, &types.MsgRegisterOrg{Authority: authority, OrgId: o.id, Name: o.id, Admin: o.admin}))
		f.must(f.msgs.AddMember(ctx, &types.MsgAddMember{Authority: authority, ChainId: o.chain, OrgId: o.id}))
		f.must(f.msgs.GrantReporter(ctx, &types.MsgGrantReporter{Admin: o.admin, ChainId: o.chain, OrgId: o.id, Reporter: o.reporter}))
	}
	f.must(f.msgs.GrantReporter(ctx, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: revoked}))
	f.must(f.msgs.RevokeReporter(ctx, &types.MsgRevokeReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: revoked}))
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	return f
}

func (f *fixture) must(_ any, err error) {
	f.t.Helper()
	require.NoError(f.t, err)
}

// dump returns every key/value pair of the module's store, to show that a
// refused message changed nothing.
func (f *fixture) dump() [][2][]byte {
	it := f.ctx.KVStore(f.key).Iterator(nil, nil)
	defer it.Close()
	var out [][2][]byte
	for ; it.Valid(); it.Next() {
		out = append(out, [2][]byte{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	return out
}

// advance moves the block forward by d and one height.
func (f *fixture) advance(d time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(d)).WithBlockHeight(f.ctx.BlockHeight() + 1).
		WithEventManager(sdk.NewEventManager())
}

func (f *fixture) subchain(id string) types.Subchain {
	f.t.Helper()
	s, err := f.k.Subchains.Get(f.ctx, id)
	require.NoError(f.t, err)
	return s
}

func (f *fixture) report(chain string, seq uint64) types.Report {
	f.t.Helper()
	r, err := f.k.GetReport(f.ctx, chain, seq)
	require.NoError(f.t, err)
	return r
}

// bindChannel writes what BindChannel writes, without an IBC stack: channel
// becomes chain's status channel.
func (f *fixture) bindChannel(chain, channel string) {
	f.t.Helper()
	require.NoError(f.t, f.k.ChannelIndex.Set(f.ctx, channel, chain))
	sub := f.subchain(chain)
	sub.ChannelId = channel
	require.NoError(f.t, f.k.Subchains.Set(f.ctx, chain, sub))
}

// ibcReport sends snap as the subchain's own report number ibcSeq over its
// status channel, binding "channel-0" (chain A), "channel-1" (chain B) or
// "channel-<chain>" first if it has none.
func (f *fixture) ibcReport(ibcSeq uint64, snap shared.StatusSnapshot) (uint64, error) {
	return f.ibcReportEvery(ibcSeq, snap, 0)
}

// ibcReportEvery is ibcReport with the sidecar's snapshot interval.
func (f *fixture) ibcReportEvery(ibcSeq uint64, snap shared.StatusSnapshot, every uint32) (uint64, error) {
	f.t.Helper()
	return f.k.ReceiveReport(f.ctx, f.statusChannel(snap.ChainId), shared.StatusReport{Sequence: ibcSeq, Snapshot: &snap, SnapshotEvery: every})
}

// ibcEvidence sends the subchain's evidence over its status channel.
func (f *fixture) ibcEvidence(chain string, ev shared.DisputeEvidence) (uint64, error) {
	f.t.Helper()
	return f.k.ReceiveEvidence(f.ctx, f.statusChannel(chain), ev)
}

// statusChannel is chain's bound status channel, bound first if it has none.
func (f *fixture) statusChannel(chain string) string {
	f.t.Helper()
	if ch := f.subchain(chain).ChannelId; ch != "" {
		return ch
	}
	ch := map[string]string{chainA: "channel-0", chainB: "channel-1"}[chain]
	if ch == "" {
		ch = "channel-" + chain
	}
	f.bindChannel(chain, ch)
	return ch
}

// snapshot is a typical report: 4 orgs, 4 validators, 2 new contracts.
func snapshot(chain string, height int64) shared.StatusSnapshot {
	return shared.StatusSnapshot{
		ChainId:      chain,
		Height:       height,
		BlockTime:    genesisTime.Add(time.Duration(height) * time.Second),
		TotalTxs:     uint64(height) * 3,
		WindowTxs:    60,
		WindowBlocks: 20,
		TpsMilli:     3000,
		Orgs:         []string{"org-a", "org-a2", "org-c", "org-d"},
		Validators: []shared.Validator{
			{Address: "subvalcons1aaaa", Power: 10, Moniker: "val-a"},
			{Address: "subvalcons1bbbb", Power: 10, Moniker: "val-b"},
			{Address: "subvalcons1cccc", Power: 10, Moniker: "val-c"},
			{Address: "subvalcons1dddd", Power: 10, Moniker: "val-d"},
		},
		ContractCount: 5,
		NewContracts: []shared.Contract{
			{Address: "sub1contract0001", CodeId: 1, Label: "registry"},
			{Address: "sub1contract0002", CodeId: 2, Label: "storage-index"},
		},
		SoftwareVersion: "v1.0.0",
	}
}
