// Package collectortest serves a real collector keeper over real gRPC on
// 127.0.0.1, for the tests of what reads a main chain from outside (the
// daemons, the dashboard, the clients) without starting a node.
package collectortest

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Start is the block time of the served chain's first block.
var Start = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// Authority is the served keeper's governance authority.
var Authority = sdk.AccAddress([]byte("gov-authority-addr--")).String()

// Served is a collector keeper and a gRPC connection to its queries. Queries
// read the state as of the latest Do.
type Served struct {
	K    keeper.Keeper
	Conn *grpc.ClientConn

	t     testing.TB
	mu    sync.Mutex
	ctx   sdk.Context
	calls map[string]int
}

// Calls returns how many times a query method (its full name, e.g.
// /statuscollect.collector.v1.Query/StatusHistory) was called since the last
// call of Calls, and starts counting again.
func (s *Served) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.calls[method]
	s.calls = map[string]int{}
	return n
}

// Serve starts the server; it stops with the test.
func Serve(t testing.TB) *Served {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("t")).Ctx.
		WithBlockHeight(10).WithBlockTime(Start)
	enc := moduletestutil.MakeTestEncodingConfig(collector.AppModule{})
	s := &Served{K: keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), Authority, nil, nil, nil, nil),
		calls: map[string]int{}, t: t, ctx: ctx}
	require.NoError(t, s.K.Params.Set(ctx, types.DefaultParams()))

	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec()
	server := grpc.NewServer(grpc.ForceServerCodec(cdc), grpc.UnaryInterceptor(
		func(c context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
			s.mu.Lock()
			s.calls[info.FullMethod]++
			ctx := s.ctx
			s.mu.Unlock()
			return handler(context.WithValue(c, sdk.SdkContextKey, ctx), req)
		}))
	types.RegisterQueryServer(server, keeper.NewQuerier(s.K))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = server.Serve(ln) }()
	t.Cleanup(server.Stop)
	s.Conn, err = grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(cdc)))
	require.NoError(t, err)
	t.Cleanup(func() { s.Conn.Close() })
	return s
}

// Do runs f in a new block d after the last one, as its transactions, and
// makes its writes what the queries read. It fails the test on an error.
func (s *Served) Do(d time.Duration, f func(ctx sdk.Context) error) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx = s.ctx.WithBlockHeight(s.ctx.BlockHeight() + 1).WithBlockTime(s.ctx.BlockTime().Add(d)).WithEventManager(sdk.NewEventManager())
	require.NoError(s.t, f(s.ctx))
	require.NoError(s.t, s.K.EndBlocker(s.ctx))
}

// Register registers a subchain reporting every interval, as the authority.
func (s *Served) Register(chainID string, interval time.Duration) {
	s.t.Helper()
	s.Do(0, func(ctx sdk.Context) error {
		return s.K.RegisterSubchain(ctx, &types.MsgRegisterSubchain{Authority: Authority, ChainId: chainID, Name: chainID,
			Kind: types.SUBCHAIN_KIND_INDUSTRY, ReportInterval: interval})
	})
}

// BindChannel binds channel as chainID's status channel, as the channel
// handshake does on a node.
func (s *Served) BindChannel(chainID, channel string) {
	s.t.Helper()
	s.Do(0, func(ctx sdk.Context) error {
		sub, err := s.K.Subchains.Get(ctx, chainID)
		if err != nil {
			return err
		}
		sub.ChannelId = channel
		if err := s.K.Subchains.Set(ctx, chainID, sub); err != nil {
			return err
		}
		return s.K.ChannelIndex.Set(ctx, channel, chainID)
	})
}

// Report records snap as the subchain's own report ibcSeq over its bound
// channel, d after the last block.
func (s *Served) Report(d time.Duration, channel string, ibcSeq uint64, snap shared.StatusSnapshot) {
	s.t.Helper()
	s.Do(d, func(ctx sdk.Context) error {
		_, err := s.K.ReceiveReport(ctx, channel, shared.StatusReport{Sequence: ibcSeq, Snapshot: &snap})
		return err
	})
}

// Now is the latest block's time.
func (s *Served) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx.BlockTime()
}
