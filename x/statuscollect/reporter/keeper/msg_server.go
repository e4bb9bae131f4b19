package keeper

import (
	"context"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// msgServer is the sidecar's tx service: an adapter over the keeper's
// methods of the same names, each of which checks its signer first
// (permissions.go). The Msgs' stateless checks (ValidateBasic) run in the
// SDK's message router before any handler.
type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the reporter's tx service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	return &types.MsgUpdateParamsResponse{}, s.k.UpdateParams(ctx, msg)
}

func (s msgServer) AddOrg(ctx context.Context, msg *types.MsgAddOrg) (*types.MsgAddOrgResponse, error) {
	return &types.MsgAddOrgResponse{}, s.k.AddOrg(ctx, msg)
}

func (s msgServer) RemoveOrg(ctx context.Context, msg *types.MsgRemoveOrg) (*types.MsgRemoveOrgResponse, error) {
	return &types.MsgRemoveOrgResponse{}, s.k.RemoveOrg(ctx, msg)
}

func (s msgServer) DisputeReport(ctx context.Context, msg *types.MsgDisputeReport) (*types.MsgDisputeReportResponse, error) {
	return s.k.DisputeReport(ctx, msg)
}

func (s msgServer) BindMainClient(ctx context.Context, msg *types.MsgBindMainClient) (*types.MsgBindMainClientResponse, error) {
	return s.k.BindMainClient(ctx, msg)
}
