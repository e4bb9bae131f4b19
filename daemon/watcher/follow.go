package watcher

import (
	"context"
	"time"

	"github.com/statuscollect/statuscollect/client"
)

// followBlocks wakes the watcher at every main-chain block (client.
// WakeOnBlocks: reconnecting with a backoff, to the next endpoint, when the
// connection drops or brings no block for blockTimeout), counting and logging
// each drop. Missed blocks cost nothing: each step catches up from its cursor.
func followBlocks(ctx context.Context, rpcs []string, blockTimeout time.Duration, wake chan<- struct{}, m *Metrics, logf func(string, ...any)) {
	client.WakeOnBlocks(ctx, rpcs, blockTimeout, wake, func(rpc, next string, backoff time.Duration, err error) {
		m.websocketDrops.Inc()
		logf("main-chain websocket %s: %v; reconnecting to %s in %s", rpc, err, next, backoff)
	})
}
