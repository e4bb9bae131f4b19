package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// Querier serves the reporter's queries.
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

func (q Querier) Orgs(ctx context.Context, _ *types.QueryOrgsRequest) (*types.QueryOrgsResponse, error) {
	orgs, err := collx.Keys(ctx, q.k.Orgs)
	if err != nil {
		return nil, err
	}
	return &types.QueryOrgsResponse{Orgs: orgs}, nil
}

func (q Querier) Link(ctx context.Context, _ *types.QueryLinkRequest) (*types.QueryLinkResponse, error) {
	l, err := q.k.link(ctx)
	if err != nil {
		return nil, err
	}
	if l.ChannelId, err = q.k.channelID(ctx); err != nil {
		return nil, err
	}
	if l.MainClientId, err = q.k.mainClientID(ctx); err != nil {
		return nil, err
	}
	if l.MainClientId != "" && q.k.clients != nil {
		l.MainClientStatus = string(q.k.clients.GetClientStatus(sdk.UnwrapSDKContext(ctx), l.MainClientId))
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	h, interval := sdk.UnwrapSDKContext(ctx).BlockHeight(), int64(params.ReportInterval)
	l.NextSnapshotHeight = (h/interval + 1) * interval
	return &types.QueryLinkResponse{Link: l}, nil
}

func (q Querier) Snapshot(ctx context.Context, req *types.QuerySnapshotRequest) (*types.QuerySnapshotResponse, error) {
	if req.Height > 0 {
		s, err := q.k.Snapshots.Get(ctx, req.Height)
		if errorsmod.IsOf(err, collections.ErrNotFound) {
			return nil, errorsmod.Wrapf(types.ErrNoSnapshot, "height %d: snapshots are taken every report_interval blocks and kept in a ring", req.Height)
		}
		if err != nil {
			return nil, err
		}
		return &types.QuerySnapshotResponse{Snapshot: s}, nil
	}
	it, err := q.k.Snapshots.Iterate(ctx, new(collections.Range[int64]).Descending())
	if err != nil {
		return nil, err
	}
	defer it.Close()
	if !it.Valid() {
		return nil, errorsmod.Wrap(types.ErrNoSnapshot, "no snapshot taken yet")
	}
	s, err := it.Value()
	if err != nil {
		return nil, err
	}
	return &types.QuerySnapshotResponse{Snapshot: s}, nil
}
