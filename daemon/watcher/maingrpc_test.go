package watcher_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/daemon/watcher"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/collectortest"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// TestHoleWatcherReadsForwardFromCursor: before, the watcher paged the
// history backwards from the newest report down to its cursor, so a watcher
// starting at cursor 0 read every retained report in one step (24 pages for
// 1,200 reports) to check the oldest 500. It now pages forward from its
// cursor and reads only what it returns.
func TestHoleWatcherReadsForwardFromCursor(t *testing.T) {
	s := collectortest.Serve(t)
	s.Register("subchain-a", time.Minute)
	s.BindChannel("subchain-a", "channel-0")
	s.Do(time.Second, func(ctx sdk.Context) error {
		for seq := int64(1); seq <= 1200; seq++ {
			snap := shared.StatusSnapshot{ChainId: "subchain-a", Height: seq * 10, BlockTime: ctx.BlockTime().Add(time.Duration(seq-1200) * time.Second)}
			if _, err := s.K.ReceiveReport(ctx, "channel-0", shared.StatusReport{Sequence: uint64(seq), Snapshot: &snap}); err != nil {
				return err
			}
		}
		return nil
	})
	main := watcher.MainGRPC{Conn: s.Conn, ChainID: "subchain-a"}
	for _, tc := range []struct {
		after      uint64
		first, n   uint64
		wantCalls  int
		whatItSays string
	}{
		{0, 1, 500, 5, "a new watcher: the oldest 500, in 5 pages of 100"},
		{1150, 1151, 50, 1, "near the tip: one page"},
		{1200, 0, 0, 1, "at the tip: one empty page"},
	} {
		s.Calls("")
		got, err := main.ReportsAfter(context.Background(), tc.after)
		require.NoError(t, err)
		require.Len(t, got, int(tc.n), tc.whatItSays)
		for i, r := range got {
			require.Equal(t, tc.first+uint64(i), r.Sequence, tc.whatItSays)
		}
		require.Equal(t, tc.wantCalls, s.Calls("/statuscollect.collector.v1.Query/StatusHistory"), tc.whatItSays)
	}

	n, capped, err := watcher.CountOpenDisputes(context.Background(), collectortypes.NewQueryClient(s.Conn), "subchain-a")
	require.NoError(t, err)
	require.Zero(t, n)
	require.False(t, capped)
}
