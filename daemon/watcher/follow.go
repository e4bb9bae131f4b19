package watcher

import (
	"context"
	"errors"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
)

// Reconnection backoff of the main-chain websocket.
const (
	firstBackoff = time.Second
	maxBackoff   = 30 * time.Second
)

// followBlocks wakes the watcher at every main-chain block, over CometBFT's
// websocket, reconnecting with a backoff, to the next endpoint, when the
// connection drops (a block with many events can close it). Missed blocks
// cost nothing: each step catches up from its cursor.
func followBlocks(ctx context.Context, rpcs []string, wake chan<- struct{}, m *Metrics, logf func(string, ...any)) {
	backoff := firstBackoff
	for i := 0; ctx.Err() == nil; i++ {
		rpc := rpcs[i%len(rpcs)]
		err := subscribeBlocks(ctx, rpc, wake)
		if ctx.Err() != nil {
			return // shutting down: not a drop
		}
		m.websocketDrops.Inc()
		logf("main-chain websocket %s: %v; reconnecting to %s in %s", rpc, err, rpcs[(i+1)%len(rpcs)], backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

func subscribeBlocks(ctx context.Context, rpc string, wake chan<- struct{}) error {
	c, err := rpchttp.New(rpc, "/websocket")
	if err != nil {
		return err
	}
	if err := c.Start(); err != nil {
		return err
	}
	defer c.Stop() //nolint:errcheck // closing a dropped connection
	events, err := c.Subscribe(ctx, "statuscollect-watcher", "tm.event='NewBlock'")
	if err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-events:
			if !ok {
				return errors.New("subscription closed")
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
}
