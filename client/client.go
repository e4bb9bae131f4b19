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
	// RPC is the node's CometBFT RPC client (started: it holds a websocket).
	RPC *rpchttp.HTTP

	conn *grpc.ClientConn
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
	return &Client{Collector: collectortypes.NewQueryClient(conn), Reporter: reportertypes.NewQueryClient(conn), RPC: rpc, conn: conn}, nil
}

// Close releases the connections.
func (c *Client) Close() error {
	if c.RPC.IsRunning() {
		_ = c.RPC.Stop()
	}
	return c.conn.Close()
}

// Follow yields the statuscollect events of every block from height from
// on (0: from the next block), in block order; see Follower.
func (c *Client) Follow(ctx context.Context, from int64) <-chan Event {
	f := &Follower{Blocks: c.RPC, Wake: c.Wake}
	return f.Run(ctx, from)
}

// Wake starts the websocket, if it is not running, and subscribes to new
// block headers: each one wakes a Follower at once instead of at its next
// poll.
func (c *Client) Wake(ctx context.Context) (<-chan struct{}, error) {
	if !c.RPC.IsRunning() {
		if err := c.RPC.Start(); err != nil {
			return nil, err
		}
	}
	sub, err := c.RPC.Subscribe(ctx, "statuscollect-client", "tm.event='NewBlockHeader'", 16)
	if err != nil {
		return nil, err
	}
	out := make(chan struct{}, 1)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-sub:
				if !ok {
					return
				}
				select {
				case out <- struct{}{}:
				default: // a wake is pending already
				}
			}
		}
	}()
	return out, nil
}
