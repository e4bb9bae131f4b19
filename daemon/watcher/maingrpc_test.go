package watcher_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/statuscollect/statuscollect/daemon/watcher"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	collectorkeeper "github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// servedCollector serves a real collector keeper's queries over gRPC (in
// memory) and counts the StatusHistory calls.
func servedCollector(t *testing.T, reports int) (*grpc.ClientConn, *atomic.Int64) {
	t.Helper()
	key := storetypes.NewKVStoreKey(collectortypes.StoreKey)
	start := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("t")).Ctx.
		WithBlockHeight(10).WithBlockTime(start)
	enc := moduletestutil.MakeTestEncodingConfig(collector.AppModule{})
	authority := sdk.AccAddress([]byte("gov-authority-addr--")).String()
	k := collectorkeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), authority, nil, nil, nil, nil)
	require.NoError(t, k.Params.Set(ctx, collectortypes.DefaultParams()))
	require.NoError(t, k.RegisterSubchain(ctx, &collectortypes.MsgRegisterSubchain{Authority: authority, ChainId: "subchain-a", Name: "A",
		Kind: collectortypes.SUBCHAIN_KIND_INDUSTRY, ReportInterval: time.Minute}))
	// What binding the status channel writes, without an IBC stack.
	sub, err := k.Subchains.Get(ctx, "subchain-a")
	require.NoError(t, err)
	sub.ChannelId = "channel-0"
	require.NoError(t, k.Subchains.Set(ctx, sub.ChainId, sub))
	require.NoError(t, k.ChannelIndex.Set(ctx, sub.ChannelId, sub.ChainId))
	for seq := 1; seq <= reports; seq++ {
		snap := shared.StatusSnapshot{ChainId: "subchain-a", Height: int64(seq) * 10, BlockTime: start.Add(time.Duration(seq) * time.Second)}
		_, err := k.ReceiveReport(ctx, "channel-0", shared.StatusReport{Sequence: uint64(seq), Snapshot: &snap})
		require.NoError(t, err)
	}

	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec()
	calls := &atomic.Int64{}
	server := grpc.NewServer(grpc.ForceServerCodec(cdc), grpc.UnaryInterceptor(
		func(c context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
			if info.FullMethod == "/statuscollect.collector.v1.Query/StatusHistory" {
				calls.Add(1)
			}
			return handler(context.WithValue(c, sdk.SdkContextKey, ctx), req)
		}))
	collectortypes.RegisterQueryServer(server, collectorkeeper.NewQuerier(k))
	lis := bufconn.Listen(1 << 20)
	go func() { _ = server.Serve(lis) }()
	t.Cleanup(server.Stop)
	conn, err := grpc.NewClient("passthrough:///collector", grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(context.Context, string) (net.Conn, error) { return lis.Dial() }),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(cdc)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return conn, calls
}

// TestHoleWatcherReadsForwardFromCursor: before, the watcher paged the
// history backwards from the newest report down to its cursor, so a watcher
// starting at cursor 0 read every retained report in one step (24 pages for
// 1,200 reports) to check the oldest 500. It now pages forward from its
// cursor and reads only what it returns.
func TestHoleWatcherReadsForwardFromCursor(t *testing.T) {
	conn, calls := servedCollector(t, 1200)
	main := watcher.MainGRPC{Conn: conn, ChainID: "subchain-a"}
	for _, tc := range []struct {
		after      uint64
		first, n   uint64
		wantCalls  int64
		whatItSays string
	}{
		{0, 1, 500, 5, "a new watcher: the oldest 500, in 5 pages of 100"},
		{1150, 1151, 50, 1, "near the tip: one page"},
		{1200, 0, 0, 1, "at the tip: one empty page"},
	} {
		calls.Store(0)
		got, err := main.ReportsAfter(context.Background(), tc.after)
		require.NoError(t, err)
		require.Len(t, got, int(tc.n), tc.whatItSays)
		for i, r := range got {
			require.Equal(t, tc.first+uint64(i), r.Sequence, tc.whatItSays)
		}
		require.Equal(t, tc.wantCalls, calls.Load(), tc.whatItSays)
	}

	n, capped, err := watcher.CountOpenDisputes(context.Background(), collectortypes.NewQueryClient(conn), "subchain-a")
	require.NoError(t, err)
	require.Zero(t, n)
	require.False(t, capped)
}
