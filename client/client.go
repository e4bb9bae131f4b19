// Package client is the Go client of a statuscollect network: typed queries
// of both modules over a node's gRPC, and the modules' events, decoded, in
// order, exactly once, across lost connections (Follow).
package client

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// Client reaches one node: its gRPC for queries, its CometBFT RPC for blocks
// and events.
type Client struct {
	// Collector queries the main chain's collector (statuscollect).
	Collector collectortypes.QueryClient
	// Reporter queries a subchain's sidecar (statusreporter).
	Reporter reportertypes.QueryClient
	// RPC is the node's CometBFT RPC client, for its HTTP calls.
	RPC *rpchttp.HTTP

	conn    *grpc.ClientConn
	rpcAddr string
}

// Dial connects to a node's gRPC endpoint (host:port, plaintext unless
// opts say otherwise) and its CometBFT RPC (tcp://host:port or
// http://host:port).
func Dial(grpcAddr, rpcAddr string, opts ...grpc.DialOption) (*Client, error) {
	if len(opts) == 0 {
		opts = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec()
	conn, err := grpc.NewClient(grpcAddr, append(opts, grpc.WithDefaultCallOptions(grpc.ForceCodec(cdc)))...)
	if err != nil {
		return nil, fmt.Errorf("gRPC %s: %w", grpcAddr, err)
	}
	rpc, err := rpchttp.New(rpcAddr, "/websocket")
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("RPC %s: %w", rpcAddr, err)
	}
	return &Client{Collector: collectortypes.NewQueryClient(conn), Reporter: reportertypes.NewQueryClient(conn), RPC: rpc, conn: conn, rpcAddr: rpcAddr}, nil
}

// Close releases the connections.
func (c *Client) Close() error { return c.conn.Close() }

// Follow yields the statuscollect events of every block from height from
// on (0: from the next block), in block order; see Follower.
func (c *Client) Follow(ctx context.Context, from int64) <-chan Event {
	f := &Follower{Blocks: c.RPC, Wake: c.Wake}
	return f.Run(ctx, from)
}

// Wake returns a channel that signals each new block of the node, for a
// Follower; the subscription reconnects by itself (WakeOnBlocks).
func (c *Client) Wake(ctx context.Context) (<-chan struct{}, error) {
	wake := make(chan struct{}, 1)
	go WakeOnBlocks(ctx, []string{c.rpcAddr}, DefaultBlockTimeout, wake, nil)
	return wake, nil
}
