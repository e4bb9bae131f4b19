package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
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
// the subscription ends or no block came for blockTimeout. A header is all a
// wake needs: NewBlock would have the node encode every block whole, its
// transactions included, for each subscriber (on a busy main chain, 7% of
// the node's CPU and most of the watcher's, docs/benchmarks.md figure 9).
// The timeout matters because when its endpoint goes away, CometBFT's
// websocket client redials that same endpoint by itself, up to 25 times with
// a doubling backoff (hours in all), and the subscription stays open
// meanwhile, so a dead endpoint would never be left for the next one.
func subscribeBlocks(ctx context.Context, rpc string, blockTimeout time.Duration, wake chan<- struct{}) error {
	c, err := rpchttp.New(rpc, "/websocket")
	if err != nil {
		return err
	}
	if err := c.Start(); err != nil {
		return err
	}
	defer c.Stop() //nolint:errcheck // closing a dropped connection
	events, err := c.Subscribe(ctx, "statuscollect-client", "tm.event='NewBlockHeader'")
	if err != nil {
		return err
	}
	stall := time.NewTimer(blockTimeout)
	defer stall.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-stall.C:
			return fmt.Errorf("no new block for %s", blockTimeout)
		case _, ok := <-events:
			if !ok {
				return errors.New("subscription closed")
			}
			stall.Reset(blockTimeout)
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
}
