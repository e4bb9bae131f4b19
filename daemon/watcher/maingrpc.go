package watcher

import (
	"context"

	"google.golang.org/grpc"

	sdk "github.com/cosmos/cosmos-sdk/types"
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

// ReportsAfter returns the reports after the cursor, oldest first, at most
// maxNewReports: it pages forward from the cursor (a page key is the
// sequence, big-endian), so a step reads only what it returns, however long
// the retained history.
func (m MainGRPC) ReportsAfter(ctx context.Context, after uint64) ([]collectortypes.Report, error) {
	q := collectortypes.NewQueryClient(m.Conn)
	var out []collectortypes.Report
	next := sdk.Uint64ToBigEndian(after + 1)
	for len(out) < maxNewReports && len(next) > 0 {
		res, err := q.StatusHistory(ctx, &collectortypes.QueryStatusHistoryRequest{ChainId: m.ChainID,
			Pagination: &query.PageRequest{Key: next, Limit: uint64(min(collectortypes.MaxPageLimit, maxNewReports-len(out)))}})
		if err != nil {
			return nil, err
		}
		out = append(out, res.Reports...)
		next = res.Pagination.GetNextKey()
	}
	return out, nil
}

// maxOpenDisputePages bounds the count of a subchain's open disputes.
const maxOpenDisputePages = 10

// CountOpenDisputes counts a subchain's open disputes, up to
// maxOpenDisputePages pages; capped says the count stopped there.
func CountOpenDisputes(ctx context.Context, q collectortypes.QueryClient, chainID string) (n int, capped bool, err error) {
	var next []byte
	for range maxOpenDisputePages {
		res, err := q.Disputes(ctx, &collectortypes.QueryDisputesRequest{ChainId: chainID, Status: collectortypes.DISPUTE_STATUS_OPEN,
			Pagination: &query.PageRequest{Key: next, Limit: collectortypes.MaxPageLimit}})
		if err != nil {
			return n, false, err
		}
		n += len(res.Disputes)
		if next = res.Pagination.GetNextKey(); len(next) == 0 {
			return n, false, nil
		}
	}
	return n, true, nil
}
