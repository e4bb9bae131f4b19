package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Reconnection backoff of the block subscription: FirstBackoff, doubling
// up to MaxBackoff.
const (
	FirstBackoff = time.Second
	MaxBackoff   = 30 * time.Second
)

// DefaultBlockTimeout is how long a subscription may bring no block before
// it counts as dropped.
const DefaultBlockTimeout = 30 * time.Second

// WakeOnBlocks signals wake at every new block of a node, over CometBFT's
// websocket, until ctx ends. When the connection drops (a node restart, or a
// burst of events can close it), or brings no block for blockTimeout,
// it calls onDrop, waits a backoff and moves to the next of rpcs. A wake that
// finds one pending is dropped: a wake means "read up to the latest block",
// and one pending does that.
func WakeOnBlocks(ctx context.Context, rpcs []string, blockTimeout time.Duration, wake chan<- struct{},
	onDrop func(rpc, next string, backoff time.Duration, err error),
) {
	if blockTimeout <= 0 {
		blockTimeout = DefaultBlockTimeout
	}
	backoff := FirstBackoff
	for i := 0; ctx.Err() == nil; i++ {
		rpc := rpcs[i%len(rpcs)]
		err := subscribeBlocks(ctx, rpc, blockTimeout, wake)
		if ctx.Err() != nil {
			return // stopping: not a drop
		}
		if onDrop != nil {
			onDrop(rpc, rpcs[(i+1)%len(rpcs)], backoff, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, MaxBackoff)
	}
}

// subscribeBlocks follows NewBlockHeader events over rpc's websocket until
// the connection ends or no block came for blockTimeout. A header is all a
// wake needs: NewBlock would have the node encode every block whole, its
// transactions included, for each subscriber (on a busy main chain, 7% of
// the node's CPU and most of the watcher's, docs/benchmarks.md figure 9).
//
// It speaks the websocket itself rather than through CometBFT's WSClient,
// whose background goroutines redial a dead endpoint by themselves for hours
// (so a dead endpoint was never left for the next one) and can panic with
// "send on closed channel" when the client is stopped while they reconnect
// (the watcher crashed so when a main-chain node restarted under it). Here
// one connection is read in the caller's goroutine, and every way it ends is
// an error for WakeOnBlocks to act on.
func subscribeBlocks(ctx context.Context, rpc string, blockTimeout time.Duration, wake chan<- struct{}) error {
	url, err := websocketURL(rpc)
	if err != nil {
		return err
	}
	dialer := websocket.Dialer{HandshakeTimeout: blockTimeout}
	conn, _, err := dialer.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Ending ctx closes the connection, which ends a read waiting on it.
	defer context.AfterFunc(ctx, func() { _ = conn.Close() })()

	if err := conn.SetWriteDeadline(time.Now().Add(blockTimeout)); err != nil {
		return err
	}
	if err := conn.WriteJSON(subscribeRequest); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	for {
		var msg rpcMessage
		err := conn.SetReadDeadline(time.Now().Add(blockTimeout))
		if err == nil {
			err = conn.ReadJSON(&msg)
		}
		if err != nil {
			var netErr net.Error
			switch {
			case ctx.Err() != nil: // the connection was closed for it
				return ctx.Err()
			case errors.As(err, &netErr) && netErr.Timeout():
				return fmt.Errorf("no new block for %s", blockTimeout)
			default:
				return err
			}
		}
		if msg.Error != nil {
			return fmt.Errorf("subscribe: %s %s", msg.Error.Message, msg.Error.Data)
		}
		if msg.Result.Query == "" {
			continue // the subscription's own answer, not an event
		}
		select {
		case wake <- struct{}{}:
		default:
		}
	}
}

// subscribeRequest asks CometBFT for every new block header.
var subscribeRequest = map[string]any{"jsonrpc": "2.0", "id": 1, "method": "subscribe",
	"params": map[string]string{"query": "tm.event='NewBlockHeader'"}}

// rpcMessage is what a CometBFT websocket sends: the subscription's answer
// (an empty result), an event (a result naming its query), or an error.
type rpcMessage struct {
	Result struct {
		Query string `json:"query"`
	} `json:"result"`
	Error *struct {
		Message string `json:"message"`
		Data    string `json:"data"`
	} `json:"error"`
}

// websocketURL is the websocket endpoint of a CometBFT RPC address
// (tcp://, http:// or https://host:port, or host:port).
func websocketURL(rpc string) (string, error) {
	scheme, rest, found := strings.Cut(rpc, "://")
	if !found {
		scheme, rest = "tcp", rpc
	}
	switch scheme {
	case "tcp", "http":
		scheme = "ws"
	case "https":
		scheme = "wss"
	default:
		return "", fmt.Errorf("RPC address %s: want tcp://, http:// or https://", rpc)
	}
	return scheme + "://" + strings.TrimSuffix(rest, "/") + "/websocket", nil
}
