package keeper

import (
	"context"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// msgServer is the collector's tx service: an adapter over the keeper's
// methods of the same names, each of which checks its signer first
// (permissions.go). The Msgs' stateless checks (ValidateBasic) run in the
// SDK's message router before any handler.
type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the collector's tx service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	return &types.MsgUpdateParamsResponse{}, s.k.UpdateParams(ctx, msg)
}

func (s msgServer) RegisterSubchain(ctx context.Context, msg *types.MsgRegisterSubchain) (*types.MsgRegisterSubchainResponse, error) {
	return &types.MsgRegisterSubchainResponse{}, s.k.RegisterSubchain(ctx, msg)
}

func (s msgServer) BindClient(ctx context.Context, msg *types.MsgBindClient) (*types.MsgBindClientResponse, error) {
	return &types.MsgBindClientResponse{}, s.k.BindClient(ctx, msg)
}

func (s msgServer) RetireSubchain(ctx context.Context, msg *types.MsgRetireSubchain) (*types.MsgRetireSubchainResponse, error) {
	return &types.MsgRetireSubchainResponse{}, s.k.RetireSubchain(ctx, msg)
}

func (s msgServer) RegisterOrg(ctx context.Context, msg *types.MsgRegisterOrg) (*types.MsgRegisterOrgResponse, error) {
	return &types.MsgRegisterOrgResponse{}, s.k.RegisterOrg(ctx, msg)
}

func (s msgServer) AddMember(ctx context.Context, msg *types.MsgAddMember) (*types.MsgAddMemberResponse, error) {
	return &types.MsgAddMemberResponse{}, s.k.AddMember(ctx, msg)
}

func (s msgServer) RemoveMember(ctx context.Context, msg *types.MsgRemoveMember) (*types.MsgRemoveMemberResponse, error) {
	return &types.MsgRemoveMemberResponse{}, s.k.RemoveMember(ctx, msg)
}

func (s msgServer) GrantReporter(ctx context.Context, msg *types.MsgGrantReporter) (*types.MsgGrantReporterResponse, error) {
	return &types.MsgGrantReporterResponse{}, s.k.GrantReporter(ctx, msg)
}

func (s msgServer) RevokeReporter(ctx context.Context, msg *types.MsgRevokeReporter) (*types.MsgRevokeReporterResponse, error) {
	return &types.MsgRevokeReporterResponse{}, s.k.RevokeReporter(ctx, msg)
}

func (s msgServer) SubmitStatus(ctx context.Context, msg *types.MsgSubmitStatus) (*types.MsgSubmitStatusResponse, error) {
	seq, err := s.k.SubmitStatus(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgSubmitStatusResponse{Sequence: seq}, nil
}

func (s msgServer) FileDispute(ctx context.Context, msg *types.MsgFileDispute) (*types.MsgFileDisputeResponse, error) {
	id, err := s.k.FileDispute(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgFileDisputeResponse{DisputeId: id}, nil
}

func (s msgServer) ResolveDispute(ctx context.Context, msg *types.MsgResolveDispute) (*types.MsgResolveDisputeResponse, error) {
	return &types.MsgResolveDisputeResponse{}, s.k.ResolveDispute(ctx, msg)
}

func (s msgServer) RestoreReporting(ctx context.Context, msg *types.MsgRestoreReporting) (*types.MsgRestoreReportingResponse, error) {
	return &types.MsgRestoreReportingResponse{}, s.k.RestoreReporting(ctx, msg)
}
