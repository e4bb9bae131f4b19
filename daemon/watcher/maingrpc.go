package watcher

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// maxNewReports bounds one step's catch-up, oldest first; the rest waits for
// the next step.
const maxNewReports = 500

// maxReportPages bounds the pages one step reads: the collector fills every
// page but the last, so maxNewReports take this many. An endpoint that pages
// shorter (empty pages that name a next one, say) would otherwise keep the
// step asking until its deadline.
const maxReportPages = (maxNewReports + collectortypes.MaxPageLimit - 1) / collectortypes.MaxPageLimit

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
	d, found, err := m.findDispute(ctx, func(d collectortypes.Dispute) bool {
		return d.ReportSequence == sequence && d.Status != collectortypes.DISPUTE_STATUS_OPEN
	})
	return d.Status, found, err
}

// disputedBy says whether org filed a dispute of the report, in any status,
// among the subchain's most recent disputes.
func (m MainGRPC) disputedBy(ctx context.Context, sequence uint64, org string) (bool, error) {
	_, found, err := m.findDispute(ctx, func(d collectortypes.Dispute) bool {
		return d.ReportSequence == sequence && d.FilerOrg == org
	})
	return found, err
}

// findDispute returns the newest of the subchain's maxDisputePages pages of
// most recent disputes that match accepts.
func (m MainGRPC) findDispute(ctx context.Context, match func(collectortypes.Dispute) bool) (collectortypes.Dispute, bool, error) {
	q := collectortypes.NewQueryClient(m.Conn)
	var next []byte
	for range maxDisputePages {
		res, err := q.Disputes(ctx, &collectortypes.QueryDisputesRequest{ChainId: m.ChainID,
			Pagination: &query.PageRequest{Key: next, Limit: 50, Reverse: true}})
		if err != nil {
			return collectortypes.Dispute{}, false, err
		}
		for _, d := range res.Disputes {
			if match(d) {
				return d, true, nil
			}
		}
		if next = res.Pagination.GetNextKey(); len(next) == 0 {
			break
		}
	}
	return collectortypes.Dispute{}, false, nil
}

// ReportsAfter returns the reports after the cursor, oldest first, at most
// maxNewReports: it pages forward from the cursor (a page key is the
// sequence, big-endian), so a step reads only what it returns, however long
// the retained history. The cursor moves to the last report returned, so an
// answer that is not the subchain's history from the cursor on (another
// chain's reports, a sequence out of order, a jump) is refused: one such
// answer would otherwise move the cursor past reports never checked, for
// good.
func (m MainGRPC) ReportsAfter(ctx context.Context, after uint64) ([]collectortypes.Report, error) {
	q := collectortypes.NewQueryClient(m.Conn)
	var out []collectortypes.Report
	prev := after // the sequence the next report must follow
	next := sdk.Uint64ToBigEndian(after + 1)
	for page := 0; len(out) < maxNewReports && len(next) > 0; page++ {
		if page == maxReportPages {
			return nil, fmt.Errorf("reports of %s after %d: %d pages held only %d reports, and the endpoint names another page",
				m.ChainID, after, page, len(out))
		}
		res, err := q.StatusHistory(ctx, &collectortypes.QueryStatusHistoryRequest{ChainId: m.ChainID,
			Pagination: &query.PageRequest{Key: next, Limit: uint64(min(collectortypes.MaxPageLimit, maxNewReports-len(out)))}})
		if err != nil {
			return nil, err
		}
		if len(res.Reports) == 0 {
			break // the end of the history, whatever next page the answer names
		}
		for _, r := range res.Reports[:min(len(res.Reports), maxNewReports-len(out))] {
			if err := m.follows(ctx, q, prev, len(out) == 0, r); err != nil {
				return nil, fmt.Errorf("reports of %s after %d: %w", m.ChainID, after, err)
			}
			out, prev = append(out, r), r.Sequence
		}
		next = res.Pagination.GetNextKey()
	}
	return out, nil
}

// follows checks that r is of this subchain and comes right after the report
// prev. The first report after the cursor may come later when the ones
// before it are pruned from the main chain's history (a watcher started, or
// down, for longer than the history is kept): that is believed only when the
// main chain's oldest report of the subchain is r, and its latest not older.
func (m MainGRPC) follows(ctx context.Context, q collectortypes.QueryClient, prev uint64, first bool, r collectortypes.Report) error {
	switch {
	case r.ChainId != m.ChainID:
		return fmt.Errorf("answered with report %d of chain %q", r.Sequence, r.ChainId)
	case r.Sequence == prev+1:
		return nil
	case !first || r.Sequence <= prev:
		return fmt.Errorf("answered with report %d after report %d: report sequences are consecutive", r.Sequence, prev)
	}
	oldest, err := q.StatusHistory(ctx, &collectortypes.QueryStatusHistoryRequest{ChainId: m.ChainID,
		Pagination: &query.PageRequest{Limit: 1}})
	if err != nil {
		return fmt.Errorf("answered with report %d after the cursor %d: the oldest report: %w", r.Sequence, prev, err)
	}
	sub, err := q.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: m.ChainID})
	if err != nil {
		return fmt.Errorf("answered with report %d after the cursor %d: the latest report: %w", r.Sequence, prev, err)
	}
	if latest := sub.Health.Subchain.LastSequence; len(oldest.Reports) == 0 || oldest.Reports[0].Sequence != r.Sequence || latest < r.Sequence {
		return fmt.Errorf("answered with report %d after the cursor %d, as if reports %d..%d were pruned, but the main chain's oldest report is %s and its latest %d",
			r.Sequence, prev, prev+1, r.Sequence-1, oldestOf(oldest.Reports), latest)
	}
	return nil
}

// oldestOf names the first report of a page, for an error.
func oldestOf(page []collectortypes.Report) string {
	if len(page) == 0 {
		return "none"
	}
	return fmt.Sprint(page[0].Sequence)
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
