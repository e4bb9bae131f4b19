package watcher

import (
	"context"
	"slices"

	"google.golang.org/grpc"

	"github.com/cosmos/cosmos-sdk/types/query"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// maxNewReports bounds one step's catch-up, oldest first; the rest waits for
// the next step.
const maxNewReports = 500

// MainGRPC reads the main chain's collector over gRPC.
type MainGRPC struct {
	Conn    *grpc.ClientConn
	ChainID string
}

// ReportsAfter pages backwards from the newest report until it reaches the
// cursor (the history is bounded by its retention), and returns the oldest
// maxNewReports of what it found, oldest first.
func (m MainGRPC) ReportsAfter(ctx context.Context, after uint64) ([]collectortypes.Report, error) {
	q := collectortypes.NewQueryClient(m.Conn)
	var out []collectortypes.Report
	var next []byte
	for {
		res, err := q.StatusHistory(ctx, &collectortypes.QueryStatusHistoryRequest{ChainId: m.ChainID,
			Pagination: &query.PageRequest{Key: next, Limit: 50, Reverse: true}})
		if err != nil {
			return nil, err
		}
		done := false
		for _, r := range res.Reports {
			if r.Sequence <= after {
				done = true
				break
			}
			out = append(out, r)
		}
		if next = res.Pagination.GetNextKey(); done || len(next) == 0 {
			break
		}
	}
	slices.Reverse(out)
	return out[:min(len(out), maxNewReports)], nil
}
