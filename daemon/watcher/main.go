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

// MainGRPC reads the main chain's collector over gRPC (chainview.Endpoints
// for failover).
type MainGRPC struct {
	Conn    grpc.ClientConnInterface
	ChainID string
}

// maxDisputePages bounds the search for a report's disputes: the 1,000 most
// recent disputes of the subchain.
const maxDisputePages = 20

// Settled looks for a dispute against the report among the subchain's most
// recent disputes, newest first, and says whether one has ended.
func (m MainGRPC) Settled(ctx context.Context, sequence uint64) (collectortypes.DisputeStatus, bool, error) {
	q := collectortypes.NewQueryClient(m.Conn)
	var next []byte
	for range maxDisputePages {
		res, err := q.Disputes(ctx, &collectortypes.QueryDisputesRequest{ChainId: m.ChainID,
			Pagination: &query.PageRequest{Key: next, Limit: 50, Reverse: true}})
		if err != nil {
			return 0, false, err
		}
		for _, d := range res.Disputes {
			if d.ReportSequence == sequence && d.Status != collectortypes.DISPUTE_STATUS_OPEN {
				return d.Status, true, nil
			}
		}
		if next = res.Pagination.GetNextKey(); len(next) == 0 {
			break
		}
	}
	return 0, false, nil
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
