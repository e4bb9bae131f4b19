package chainview_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"

	"github.com/statuscollect/statuscollect/daemon/chainview"
)

// node is a CometBFT service of one node: its latest height, and the
// error it gives for blocks it does not have.
type node struct {
	cmtservice.UnimplementedServiceServer
	height  int64
	missing codes.Code
	calls   atomic.Int32
}

func (n *node) GetLatestBlock(context.Context, *cmtservice.GetLatestBlockRequest) (*cmtservice.GetLatestBlockResponse, error) {
	n.calls.Add(1)
	return &cmtservice.GetLatestBlockResponse{SdkBlock: &cmtservice.Block{Header: cmtservice.Header{
		ChainID: "subchain-a", Height: n.height, Time: time.Unix(n.height, 0).UTC()}}}, nil
}

func (n *node) GetBlockByHeight(_ context.Context, req *cmtservice.GetBlockByHeightRequest) (*cmtservice.GetBlockByHeightResponse, error) {
	n.calls.Add(1)
	if req.Height > n.height {
		return nil, status.Errorf(n.missing, "height %d is not available", req.Height)
	}
	return &cmtservice.GetBlockByHeightResponse{SdkBlock: &cmtservice.Block{Header: cmtservice.Header{Height: req.Height}}}, nil
}

func serve(t *testing.T, n *node) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer(grpc.ForceServerCodec(codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec()))
	cmtservice.RegisterServiceServer(srv, n)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

// deadAddr is a loopback address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := lis.Addr().String()
	require.NoError(t, lis.Close())
	return addr
}

func TestEndpointsFailOverAndReportHealth(t *testing.T) {
	dead := deadAddr(t)
	behind := &node{height: 10, missing: codes.InvalidArgument}
	ahead := &node{height: 20, missing: codes.InvalidArgument}
	e, err := chainview.DialEndpoints([]string{dead, serve(t, behind), serve(t, ahead)}, "")
	require.NoError(t, err)
	defer e.Close()
	ctx := context.Background()
	svc := cmtservice.NewServiceClient(e)

	// The first endpoint is down: the call goes to the next, which stays active.
	res, err := svc.GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	require.NoError(t, err)
	require.EqualValues(t, 10, res.SdkBlock.Header.Height)
	require.NotEqual(t, dead, e.Active())

	// A height the active node does not have yet is asked of the others.
	block, err := svc.GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: 15})
	require.NoError(t, err)
	require.EqualValues(t, 15, block.SdkBlock.Header.Height)
	require.EqualValues(t, 1, ahead.calls.Load())

	// An answer about the chain itself (not found) is the same on every node:
	// no failover.
	ahead.missing = codes.NotFound
	before := behind.calls.Load()
	_, err = svc.GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: 99})
	require.Equal(t, codes.NotFound, status.Code(err))
	require.Equal(t, before, behind.calls.Load())

	probes := e.Probe(ctx)
	require.Len(t, probes, 3)
	require.False(t, probes[0].Up)
	require.Error(t, probes[0].Err)
	require.True(t, probes[1].Up)
	require.EqualValues(t, 10, probes[1].Height)
	require.True(t, probes[2].Up)
	require.EqualValues(t, 20, probes[2].Height)

	// Every endpoint down: the error names them all.
	all, err := chainview.DialEndpoints([]string{dead, deadAddr(t)}, "")
	require.NoError(t, err)
	defer all.Close()
	_, err = cmtservice.NewServiceClient(all).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	require.ErrorContains(t, err, "every endpoint")
	require.Equal(t, codes.Unavailable, status.Code(err))

	_, err = chainview.DialEndpoints(nil, "")
	require.Error(t, err)
}
