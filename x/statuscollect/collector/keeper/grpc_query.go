package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Querier serves the collector's queries.
type Querier struct{ k Keeper }

// NewQuerier returns the query service.
func NewQuerier(k Keeper) Querier { return Querier{k: k} }

var _ types.QueryServer = Querier{}

func (q Querier) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q Querier) Subchain(ctx context.Context, req *types.QuerySubchainRequest) (*types.QuerySubchainResponse, error) {
	if err := checkChainID(req.GetChainId()); err != nil {
		return nil, err
	}
	sub, err := q.k.getSubchain(ctx, req.ChainId)
	if err != nil {
		return nil, err
	}
	h, err := q.k.health(ctx, sub)
	if err != nil {
		return nil, err
	}
	return &types.QuerySubchainResponse{Health: h}, nil
}

func (q Querier) Subchains(ctx context.Context, req *types.QuerySubchainsRequest) (*types.QuerySubchainsResponse, error) {
	pageReq, err := boundedPage(req.GetPagination())
	if err != nil {
		return nil, err
	}
	subs, page, err := query.CollectionPaginate(ctx, q.k.Subchains.Status, pageReq,
		func(id string, s types.Subchain) (types.Subchain, error) { return q.k.Subchains.withInfo(ctx, id, s) })
	if err != nil {
		return nil, err
	}
	return &types.QuerySubchainsResponse{Subchains: subs, Pagination: page}, nil
}

func (q Querier) Org(ctx context.Context, req *types.QueryOrgRequest) (*types.QueryOrgResponse, error) {
	if err := shared.ValidateID("org id", req.GetOrgId(), shared.MaxIDLen); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	org, err := q.k.getOrg(ctx, req.OrgId)
	if err != nil {
		return nil, err
	}
	return &types.QueryOrgResponse{Org: org}, nil
}

func (q Querier) Orgs(ctx context.Context, req *types.QueryOrgsRequest) (*types.QueryOrgsResponse, error) {
	pageReq, err := boundedPage(req.GetPagination())
	if err != nil {
		return nil, err
	}
	orgs, page, err := query.CollectionPaginate(ctx, q.k.Orgs, pageReq,
		func(_ string, o types.Organization) (types.Organization, error) { return o, nil })
	if err != nil {
		return nil, err
	}
	return &types.QueryOrgsResponse{Orgs: orgs, Pagination: page}, nil
}

func (q Querier) Members(ctx context.Context, req *types.QueryMembersRequest) (*types.QueryMembersResponse, error) {
	pageReq, err := boundedPage(req.GetPagination())
	if err != nil {
		return nil, err
	}
	if err := checkChainID(req.GetChainId()); err != nil {
		return nil, err
	}
	if _, err := q.k.getStatus(ctx, req.ChainId); err != nil {
		return nil, err
	}
	members, page, err := query.CollectionPaginate(ctx, q.k.Memberships, pageReq,
		func(_ collections.Pair[string, string], m types.Membership) (types.Membership, error) { return m, nil },
		query.WithCollectionPaginationPairPrefix[string, string](req.ChainId))
	if err != nil {
		return nil, err
	}
	return &types.QueryMembersResponse{Members: members, Pagination: page}, nil
}

func (q Querier) LatestStatus(ctx context.Context, req *types.QueryLatestStatusRequest) (*types.QueryLatestStatusResponse, error) {
	if err := checkChainID(req.GetChainId()); err != nil {
		return nil, err
	}
	sub, err := q.k.getStatus(ctx, req.ChainId)
	if err != nil {
		return nil, err
	}
	if sub.LastSequence == 0 {
		return nil, errorsmod.Wrapf(types.ErrNoReport, "chain %s has not reported yet", req.ChainId)
	}
	r, err := q.k.GetReport(ctx, req.ChainId, sub.LastSequence)
	if err != nil {
		return nil, err
	}
	return &types.QueryLatestStatusResponse{Report: r, ListsHash: r.Snapshot.ListsHash()}, nil
}

func (q Querier) StatusHistory(ctx context.Context, req *types.QueryStatusHistoryRequest) (*types.QueryStatusHistoryResponse, error) {
	pageReq, err := boundedPage(req.GetPagination())
	if err != nil {
		return nil, err
	}
	if err := checkChainID(req.GetChainId()); err != nil {
		return nil, err
	}
	if _, err := q.k.getStatus(ctx, req.ChainId); err != nil {
		return nil, err
	}
	lists := &listsReader{k: q.k}
	reports, page, err := query.CollectionPaginate(ctx, q.k.Reports, pageReq,
		func(key collections.Pair[string, uint64], s types.StoredReport) (types.Report, error) {
			return lists.expand(ctx, key.K1(), key.K2(), s)
		},
		query.WithCollectionPaginationPairPrefix[string, uint64](req.ChainId))
	if err != nil {
		return nil, err
	}
	return &types.QueryStatusHistoryResponse{Reports: reports, Pagination: page}, nil
}

func (q Querier) StatusAtHeight(ctx context.Context, req *types.QueryStatusAtHeightRequest) (*types.QueryStatusAtHeightResponse, error) {
	if err := checkChainID(req.GetChainId()); err != nil {
		return nil, err
	}
	if req.Height <= 0 {
		return nil, status.Errorf(codes.InvalidArgument, "height must be positive, got %d", req.Height)
	}
	// The report in force at a height is the last one at or below it.
	rng := collections.NewPrefixedPairRange[string, int64](req.ChainId).EndInclusive(req.Height).Descending()
	it, err := q.k.ReportsByHeight.Iterate(ctx, rng)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	if !it.Valid() {
		return nil, errorsmod.Wrapf(types.ErrNoReport, "chain %s has no retained report at or below height %d", req.ChainId, req.Height)
	}
	seq, err := it.Value()
	if err != nil {
		return nil, err
	}
	r, err := q.k.GetReport(ctx, req.ChainId, seq)
	if err != nil {
		return nil, err
	}
	return &types.QueryStatusAtHeightResponse{Report: r}, nil
}

func (q Querier) ContractChanges(ctx context.Context, req *types.QueryContractChangesRequest) (*types.QueryContractChangesResponse, error) {
	pageReq, err := boundedPage(req.GetPagination())
	if err != nil {
		return nil, err
	}
	if err := checkChainID(req.GetChainId()); err != nil {
		return nil, err
	}
	if _, err := q.k.getStatus(ctx, req.ChainId); err != nil {
		return nil, err
	}
	reports := &reportCache{k: q.k}
	changes, page, err := query.CollectionPaginate(ctx, q.k.ContractChanges, pageReq,
		func(key collections.Pair[string, uint64], s types.StoredContractChange) (types.ContractChange, error) {
			return expandChange(ctx, reports, key.K1(), key.K2(), s)
		},
		query.WithCollectionPaginationPairPrefix[string, uint64](req.ChainId))
	if err != nil {
		return nil, err
	}
	return &types.QueryContractChangesResponse{Changes: changes, Pagination: page}, nil
}

func (q Querier) Overview(ctx context.Context, req *types.QueryOverviewRequest) (*types.QueryOverviewResponse, error) {
	pageReq, err := boundedPage(req.GetPagination())
	if err != nil {
		return nil, err
	}
	healths, page, err := query.CollectionPaginate(ctx, q.k.Subchains.Status, pageReq,
		func(id string, s types.Subchain) (types.SubchainHealth, error) {
			sub, err := q.k.Subchains.withInfo(ctx, id, s)
			if err != nil {
				return types.SubchainHealth{}, err
			}
			return q.k.health(ctx, sub)
		})
	if err != nil {
		return nil, err
	}
	return &types.QueryOverviewResponse{Subchains: healths, Pagination: page}, nil
}

// boundedPage bounds a page request: every paged query reads at most
// types.MaxPageLimit entries past at most types.MaxPageOffset skipped ones,
// and never counts a whole collection. An empty request gets the largest page.
func boundedPage(p *query.PageRequest) (*query.PageRequest, error) {
	if p == nil {
		return &query.PageRequest{Limit: types.MaxPageLimit}, nil
	}
	switch {
	case p.Limit > types.MaxPageLimit:
		return nil, status.Errorf(codes.InvalidArgument, "page limit %d is over the maximum %d", p.Limit, types.MaxPageLimit)
	case p.Offset > types.MaxPageOffset:
		return nil, status.Errorf(codes.InvalidArgument, "page offset %d is over the maximum %d: page with the next key instead", p.Offset, types.MaxPageOffset)
	case len(p.Key) > 0 && p.Offset > 0:
		return nil, status.Error(codes.InvalidArgument, "a page takes a key or an offset, not both")
	case p.CountTotal:
		return nil, status.Error(codes.InvalidArgument, "count_total is not served: it would read the whole collection")
	}
	bounded := *p
	if bounded.Limit == 0 {
		bounded.Limit = types.MaxPageLimit
	}
	return &bounded, nil
}

func checkChainID(id string) error {
	if err := shared.ValidateID("chain id", id, shared.MaxChainIDLen); err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	return nil
}

func (q Querier) Dispute(ctx context.Context, req *types.QueryDisputeRequest) (*types.QueryDisputeResponse, error) {
	d, err := q.k.Disputes.Get(ctx, req.GetDisputeId())
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil, errorsmod.Wrapf(types.ErrUnknownDispute, "dispute %d", req.GetDisputeId())
	} else if err != nil {
		return nil, err
	}
	return &types.QueryDisputeResponse{Dispute: d}, nil
}

func (q Querier) Disputes(ctx context.Context, req *types.QueryDisputesRequest) (*types.QueryDisputesResponse, error) {
	pageReq, err := boundedPage(req.GetPagination())
	if err != nil {
		return nil, err
	}
	if err := checkChainID(req.GetChainId()); err != nil {
		return nil, err
	}
	if _, err := q.k.getStatus(ctx, req.ChainId); err != nil {
		return nil, err
	}
	if _, ok := types.DisputeStatus_name[int32(req.Status)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown dispute status %d", req.Status)
	}
	get := func(id uint64) (types.Dispute, error) { return q.k.Disputes.Get(ctx, id) }
	var (
		disputes []types.Dispute
		page     *query.PageResponse
	)
	if req.Status == types.DISPUTE_STATUS_UNSPECIFIED {
		disputes, page, err = query.CollectionPaginate(ctx, q.k.DisputesByChain, pageReq,
			func(key collections.Pair[string, uint64], _ collections.NoValue) (types.Dispute, error) {
				return get(key.K2())
			},
			query.WithCollectionPaginationPairPrefix[string, uint64](req.ChainId))
	} else {
		disputes, page, err = query.CollectionPaginate(ctx, q.k.DisputesByStatus, pageReq,
			func(key collections.Pair[collections.Pair[string, int32], uint64], _ collections.NoValue) (types.Dispute, error) {
				return get(key.K2())
			},
			query.WithCollectionPaginationPairPrefix[collections.Pair[string, int32], uint64](collections.Join(req.ChainId, int32(req.Status))))
	}
	if err != nil {
		return nil, err
	}
	return &types.QueryDisputesResponse{Disputes: disputes, Pagination: page}, nil
}
