package dashboard

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/types/query"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// Bounds of what one page reads from the node: the dashboard never lists a
// collection whole.
const (
	// MaxSubchains is the number of subchains the overview shows.
	MaxSubchains = 100
	// TimelineReports is the number of latest reports a subchain page shows,
	// and the number of contract changes and disputes.
	TimelineReports = 50
	// OpenDisputesCounted is where the count of open disputes stops.
	OpenDisputesCounted = 100
)

// Source reads the views from a main-chain node's collector queries.
type Source struct{ Q collectortypes.QueryClient }

// Overview reads every subchain's health, up to MaxSubchains.
func (s Source) Overview(ctx context.Context) (Overview, error) {
	res, err := s.Q.Overview(ctx, &collectortypes.QueryOverviewRequest{Pagination: &query.PageRequest{Limit: MaxSubchains}})
	if err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	out := Overview{Subchains: make([]SubchainRow, 0, len(res.Subchains)), More: res.Pagination != nil && len(res.Pagination.NextKey) > 0}
	for _, h := range res.Subchains {
		r, err := s.row(ctx, h)
		if err != nil {
			return Overview{}, err
		}
		out.Subchains = append(out.Subchains, r)
		out.AsOf = h.AsOf
	}
	return out, nil
}

func (s Source) row(ctx context.Context, h collectortypes.SubchainHealth) (SubchainRow, error) {
	var latest *collectortypes.Report
	if h.Subchain.LastSequence > 0 {
		res, err := s.Q.LatestStatus(ctx, &collectortypes.QueryLatestStatusRequest{ChainId: h.Subchain.ChainId})
		if err != nil {
			return SubchainRow{}, fmt.Errorf("latest status of %s: %w", h.Subchain.ChainId, err)
		}
		latest = &res.Report
	}
	r := row(h, latest)
	open, err := s.Q.Disputes(ctx, &collectortypes.QueryDisputesRequest{ChainId: h.Subchain.ChainId,
		Status: collectortypes.DISPUTE_STATUS_OPEN, Pagination: &query.PageRequest{Limit: OpenDisputesCounted}})
	if err != nil {
		return SubchainRow{}, fmt.Errorf("open disputes of %s: %w", h.Subchain.ChainId, err)
	}
	r.OpenDisputes = len(open.Disputes)
	r.OpenDisputesCapped = open.Pagination != nil && len(open.Pagination.NextKey) > 0
	return r, nil
}

// Detail reads one subchain's page: its health, members, latest reports,
// contract changes and disputes, newest first.
func (s Source) Detail(ctx context.Context, chainID string) (Detail, error) {
	sub, err := s.Q.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: chainID})
	if err != nil {
		return Detail{}, err
	}
	r, err := s.row(ctx, sub.Health)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{SubchainRow: r, AsOf: sub.Health.AsOf}
	newest := &query.PageRequest{Limit: TimelineReports, Reverse: true}

	members, err := s.Q.Members(ctx, &collectortypes.QueryMembersRequest{ChainId: chainID, Pagination: &query.PageRequest{Limit: MaxSubchains}})
	if err != nil {
		return Detail{}, fmt.Errorf("members: %w", err)
	}
	for _, m := range members.Members {
		d.Members = append(d.Members, Member{OrgID: m.OrgId, Reporters: len(m.Reporters), Suspended: m.Suspended})
	}
	history, err := s.Q.StatusHistory(ctx, &collectortypes.QueryStatusHistoryRequest{ChainId: chainID, Pagination: newest})
	if err != nil {
		return Detail{}, fmt.Errorf("history: %w", err)
	}
	for _, rep := range history.Reports {
		e := TimelineEntry{Sequence: rep.Sequence, Height: rep.Snapshot.Height, Time: rep.MainTime, Source: source(rep.Source),
			OrgsJoined: rep.Changes.OrgsJoined, OrgsLeft: rep.Changes.OrgsLeft, NodesAdded: rep.Changes.NodesAdded,
			NodesRemoved: rep.Changes.NodesRemoved, Contracts: rep.Snapshot.ContractCount, ProvenWrong: rep.ProvenWrongBy}
		for _, c := range rep.Snapshot.NewContracts {
			e.NewContracts = append(e.NewContracts, c.Address)
		}
		d.Timeline = append(d.Timeline, e)
	}
	changes, err := s.Q.ContractChanges(ctx, &collectortypes.QueryContractChangesRequest{ChainId: chainID, Pagination: newest})
	if err != nil {
		return Detail{}, fmt.Errorf("contract changes: %w", err)
	}
	for _, c := range changes.Changes {
		d.ContractChanges = append(d.ContractChanges, ContractEntry{Sequence: c.Sequence, Kind: c.Kind.Word(),
			Address: c.Contract.Address, CodeID: c.Contract.CodeId, Label: c.Contract.Label, Height: c.Height, Time: c.MainTime, Source: source(c.Source)})
	}
	disputes, err := s.Q.Disputes(ctx, &collectortypes.QueryDisputesRequest{ChainId: chainID, Pagination: newest})
	if err != nil {
		return Detail{}, fmt.Errorf("disputes: %w", err)
	}
	for _, x := range disputes.Disputes {
		e := DisputeEntry{ID: x.Id, Report: x.ReportSequence, Status: x.Status.Word(),
			FilerOrg: x.FilerOrg, ReportedByOrg: x.ReportedByOrg, Resolver: x.Resolver, Reason: x.Reason}
		for _, f := range x.Fields {
			e.Fields = append(e.Fields, f.Field)
		}
		d.Disputes = append(d.Disputes, e)
	}
	return d, nil
}
