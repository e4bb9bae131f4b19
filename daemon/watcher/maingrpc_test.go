package watcher_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
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

// mainConn is a main-chain endpoint without a network: it answers the
// collector's StatusHistory from reports as the collector pages them (kept
// reports from the page key on, the oldest when there is no key), or with
// history(req) when that is set, and its Subchain query with the latest
// report's sequence.
type mainConn struct {
	reports []collectortypes.Report
	history func(req *collectortypes.QueryStatusHistoryRequest) *collectortypes.QueryStatusHistoryResponse
	pages   int
}

func (c *mainConn) Invoke(ctx context.Context, _ string, args, reply any, _ ...grpc.CallOption) error {
	switch req := args.(type) {
	case *collectortypes.QuerySubchainRequest:
		var last uint64
		if len(c.reports) > 0 {
			last = c.reports[len(c.reports)-1].Sequence
		}
		*reply.(*collectortypes.QuerySubchainResponse) = collectortypes.QuerySubchainResponse{
			Health: collectortypes.SubchainHealth{Subchain: collectortypes.Subchain{ChainId: req.ChainId, LastSequence: last}}}
	case *collectortypes.QueryDisputesRequest:
		*reply.(*collectortypes.QueryDisputesResponse) = collectortypes.QueryDisputesResponse{}
	case *collectortypes.QueryStatusHistoryRequest:
		out := reply.(*collectortypes.QueryStatusHistoryResponse)
		if req.Pagination.Key != nil {
			c.pages++ // the pages read forward from a cursor
		}
		if c.history != nil {
			*out = *c.history(req)
			return nil
		}
		from := sdk.BigEndianToUint64(req.Pagination.Key)
		*out = collectortypes.QueryStatusHistoryResponse{Pagination: &query.PageResponse{}}
		for _, r := range c.reports {
			switch {
			case r.Sequence < from:
			case uint64(len(out.Reports)) == req.Pagination.Limit:
				out.Pagination.NextKey = sdk.Uint64ToBigEndian(r.Sequence)
				return nil
			default:
				out.Reports = append(out.Reports, r)
			}
		}
	default:
		return fmt.Errorf("unexpected %T", args)
	}
	return nil
}

func (c *mainConn) NewStream(context.Context, *grpc.StreamDesc, string, ...grpc.CallOption) (grpc.ClientStream, error) {
	return nil, errors.New("no streams")
}

// An endpoint that pages short cannot keep a step asking until its
// deadline: an empty page ends the history, whatever next page it names,
// and more pages than 500 reports fill (5) is an error.
func TestReportsAfterBoundsThePagesItReads(t *testing.T) {
	empty := &mainConn{history: func(*collectortypes.QueryStatusHistoryRequest) *collectortypes.QueryStatusHistoryResponse {
		return &collectortypes.QueryStatusHistoryResponse{Pagination: &query.PageResponse{NextKey: []byte{1}}}
	}}
	got, err := watcher.MainGRPC{Conn: empty, ChainID: "subchain-a"}.ReportsAfter(context.Background(), 0)
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, 1, empty.pages)

	// One report a page, each naming the next.
	short := &mainConn{}
	short.history = func(req *collectortypes.QueryStatusHistoryRequest) *collectortypes.QueryStatusHistoryResponse {
		seq := sdk.BigEndianToUint64(req.Pagination.Key)
		return &collectortypes.QueryStatusHistoryResponse{Reports: []collectortypes.Report{report(seq, int64(seq), 3, "")},
			Pagination: &query.PageResponse{NextKey: sdk.Uint64ToBigEndian(seq + 1)}}
	}
	_, err = watcher.MainGRPC{Conn: short, ChainID: "subchain-a"}.ReportsAfter(context.Background(), 0)
	require.EqualError(t, err, "reports of subchain-a after 0: 5 pages held only 5 reports, and the endpoint names another page")
	require.Equal(t, 5, short.pages)
}

// The cursor moves to the last report ReportsAfter returns, so it returns
// only the subchain's history from the cursor on: consecutive sequences of
// the subchain, or a jump past reports the main chain no longer keeps.
func TestReportsAfterRefusesAnswersOffTheHistory(t *testing.T) {
	honest := []collectortypes.Report{report(5, 10, 3, ""), report(6, 11, 3, ""), report(7, 12, 3, "")}
	main := func(c *mainConn) watcher.MainGRPC { return watcher.MainGRPC{Conn: c, ChainID: "subchain-a"} }
	answering := func(reports ...collectortypes.Report) *mainConn {
		return &mainConn{reports: honest, history: func(*collectortypes.QueryStatusHistoryRequest) *collectortypes.QueryStatusHistoryResponse {
			return &collectortypes.QueryStatusHistoryResponse{Reports: reports, Pagination: &query.PageResponse{}}
		}}
	}

	// Reports 1..4 are pruned: a watcher at 0, or at 2, goes on from 5.
	for _, after := range []uint64{0, 2} {
		got, err := main(&mainConn{reports: honest}).ReportsAfter(context.Background(), after)
		require.NoError(t, err)
		require.Equal(t, honest, got)
	}

	other := report(6, 11, 3, "")
	other.ChainId = "subchain-b"
	for _, tc := range []struct {
		name    string
		after   uint64
		reports []collectortypes.Report
		want    string
	}{
		{"another chain's report", 5, []collectortypes.Report{other},
			`reports of subchain-a after 5: answered with report 6 of chain "subchain-b"`},
		{"a hole in the history", 5, []collectortypes.Report{honest[1], report(9, 14, 3, "")},
			"reports of subchain-a after 5: answered with report 9 after report 6: report sequences are consecutive"},
		{"a report before the cursor", 6, []collectortypes.Report{honest[1]},
			"reports of subchain-a after 6: answered with report 6 after report 6: report sequences are consecutive"},
		{"a jump past kept reports", 5, []collectortypes.Report{report(1<<62, 12, 3, "")},
			"reports of subchain-a after 5: answered with report 4611686018427387904 after the cursor 5, as if reports " +
				"6..4611686018427387903 were pruned, but the main chain's oldest report is 4611686018427387904 and its latest 7"},
	} {
		_, err := main(answering(tc.reports...)).ReportsAfter(context.Background(), tc.after)
		require.EqualError(t, err, tc.want, tc.name)
	}
}

// One answer far beyond the history (a hostile or broken endpoint) fails
// the step and leaves the cursor where it was: once the endpoint answers
// truly again, the next reports are checked and a forged one disputed.
func TestHostileAnswerDoesNotMoveTheCursor(t *testing.T) {
	conn := &mainConn{reports: []collectortypes.Report{report(1, 10, 3, "")}}
	var disputed []uint64
	w := &watcher.Watcher{Main: watcher.MainGRPC{Conn: conn, ChainID: "subchain-a"}, View: &node{tip: 100},
		StatePath: filepath.Join(t.TempDir(), "watcher.json"),
		File: func(_ context.Context, r collectortypes.Report, _ shared.StatusSnapshot, _ []string) (broadcast.Included, error) {
			disputed = append(disputed, r.Sequence)
			return broadcast.Included{TxHash: "AB"}, nil
		}}
	_, _, err := w.Step(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 1, w.State().Cursor)

	conn.history = func(*collectortypes.QueryStatusHistoryRequest) *collectortypes.QueryStatusHistoryResponse {
		return &collectortypes.QueryStatusHistoryResponse{Reports: []collectortypes.Report{report(1<<62, 12, 3, "")},
			Pagination: &query.PageResponse{}}
	}
	_, _, err = w.Step(context.Background())
	require.ErrorContains(t, err, "answered with report 4611686018427387904 after the cursor 1")
	require.EqualValues(t, 1, w.State().Cursor)

	conn.history = nil
	conn.reports = append(conn.reports, report(2, 15, 3, "org-a"), report(3, 20, 9, "org-a")) // 3 is forged
	_, _, err = w.Step(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 3, w.State().Cursor)
	require.Equal(t, []uint64{3}, disputed)
}
