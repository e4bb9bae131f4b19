package keeper

import (
	"context"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the collector's tx service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if msg.Authority != s.k.authority {
		return nil, errorsmod.Wrapf(types.ErrUnauthorized, "only the governance authority %s changes params, not %s", s.k.authority, msg.Authority)
	}
	if err := msg.Params.Validate(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, s.k.Params.Set(ctx, msg.Params)
}

func (s msgServer) RegisterSubchain(ctx context.Context, msg *types.MsgRegisterSubchain) (*types.MsgRegisterSubchainResponse, error) {
	if err := s.k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	// The client is checked before anything is written: a refused
	// registration leaves no trace, not even in the events.
	if msg.ClientId != "" {
		if err := s.k.checkClient(ctx, msg.ChainId, msg.ClientId); err != nil {
			return nil, err
		}
	}
	sub := types.Subchain{
		ChainId: msg.ChainId, Name: msg.Name, Kind: msg.Kind, ReportInterval: msg.ReportInterval,
	}
	if err := s.k.AddSubchain(ctx, sub); err != nil {
		return nil, err
	}
	if msg.ClientId != "" {
		if err := s.k.BindClient(ctx, msg.ChainId, msg.ClientId); err != nil {
			return nil, err
		}
	}
	return &types.MsgRegisterSubchainResponse{}, nil
}

func (s msgServer) BindClient(ctx context.Context, msg *types.MsgBindClient) (*types.MsgBindClientResponse, error) {
	if err := s.k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgBindClientResponse{}, s.k.BindClient(ctx, msg.ChainId, msg.ClientId)
}

func (s msgServer) RetireSubchain(ctx context.Context, msg *types.MsgRetireSubchain) (*types.MsgRetireSubchainResponse, error) {
	if err := s.k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	sub, err := s.k.getSubchain(ctx, msg.ChainId)
	if err != nil {
		return nil, err
	}
	if sub.Liveness == types.LIVENESS_RETIRED {
		return nil, errorsmod.Wrapf(types.ErrSubchainRetired, "chain %s", msg.ChainId)
	}
	if err := s.k.LivenessQueue.Remove(ctx, dueKey(sub)); err != nil {
		return nil, err
	}
	sub.Liveness = types.LIVENESS_RETIRED
	if err := s.k.Subchains.Set(ctx, sub.ChainId, sub); err != nil {
		return nil, err
	}
	return &types.MsgRetireSubchainResponse{}, emit(ctx, &types.EventSubchainRetired{ChainId: sub.ChainId})
}

func (s msgServer) RegisterOrg(ctx context.Context, msg *types.MsgRegisterOrg) (*types.MsgRegisterOrgResponse, error) {
	if err := s.k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	org := types.Organization{Id: msg.OrgId, Name: msg.Name, Admin: msg.Admin}
	if err := s.k.AddOrg(ctx, org); err != nil {
		return nil, err
	}
	return &types.MsgRegisterOrgResponse{}, nil
}

func (s msgServer) AddMember(ctx context.Context, msg *types.MsgAddMember) (*types.MsgAddMemberResponse, error) {
	if err := s.k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	sub, err := s.k.getSubchain(ctx, msg.ChainId)
	if err != nil {
		return nil, err
	}
	if sub.Liveness == types.LIVENESS_RETIRED {
		return nil, errorsmod.Wrapf(types.ErrSubchainRetired, "chain %s", msg.ChainId)
	}
	if _, err := s.k.getOrg(ctx, msg.OrgId); err != nil {
		return nil, err
	}
	key := collections.Join(msg.ChainId, msg.OrgId)
	if has, err := s.k.Memberships.Has(ctx, key); err != nil {
		return nil, err
	} else if has {
		return nil, errorsmod.Wrapf(types.ErrAlreadyMember, "org %s on chain %s", msg.OrgId, msg.ChainId)
	}
	m := types.Membership{ChainId: msg.ChainId, OrgId: msg.OrgId, JoinedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight()}
	if err := s.k.putMembership(ctx, m); err != nil {
		return nil, err
	}
	return &types.MsgAddMemberResponse{}, emit(ctx, &types.EventMemberAdded{ChainId: msg.ChainId, OrgId: msg.OrgId})
}

func (s msgServer) RemoveMember(ctx context.Context, msg *types.MsgRemoveMember) (*types.MsgRemoveMemberResponse, error) {
	if err := s.k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	m, err := s.k.getMembership(ctx, msg.ChainId, msg.OrgId)
	if err != nil {
		return nil, err
	}
	if err := s.k.removeMembership(ctx, m); err != nil {
		return nil, err
	}
	return &types.MsgRemoveMemberResponse{}, emit(ctx, &types.EventMemberRemoved{
		ChainId: msg.ChainId, OrgId: msg.OrgId, Reporters: m.Reporters,
	})
}

func (s msgServer) GrantReporter(ctx context.Context, msg *types.MsgGrantReporter) (*types.MsgGrantReporterResponse, error) {
	m, err := s.k.membershipForAdmin(ctx, msg.Admin, msg.ChainId, msg.OrgId)
	if err != nil {
		return nil, err
	}
	if m.Suspended {
		return nil, errorsmod.Wrapf(types.ErrSuspended, "org %s on chain %s: the authority must restore it first", msg.OrgId, msg.ChainId)
	}
	if entry, err := s.k.Reporters.Get(ctx, collections.Join(msg.ChainId, msg.Reporter)); err == nil {
		return nil, errorsmod.Wrapf(types.ErrReporterExists, "%s already reports for org %s on chain %s", msg.Reporter, entry.OrgId, msg.ChainId)
	} else if !errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil, err
	}
	params, err := s.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if uint32(len(m.Reporters)) >= params.MaxReportersPerMembership {
		return nil, errorsmod.Wrapf(types.ErrTooManyReporters, "org %s on chain %s has %d, at most %d", msg.OrgId, msg.ChainId, len(m.Reporters), params.MaxReportersPerMembership)
	}
	i, _ := slices.BinarySearch(m.Reporters, msg.Reporter)
	m.Reporters = slices.Insert(m.Reporters, i, msg.Reporter)
	if err := s.k.putMembership(ctx, m); err != nil {
		return nil, err
	}
	return &types.MsgGrantReporterResponse{}, emit(ctx, &types.EventReporterGranted{
		ChainId: msg.ChainId, OrgId: msg.OrgId, Reporter: msg.Reporter,
	})
}

func (s msgServer) RevokeReporter(ctx context.Context, msg *types.MsgRevokeReporter) (*types.MsgRevokeReporterResponse, error) {
	m, err := s.k.membershipForAdmin(ctx, msg.Admin, msg.ChainId, msg.OrgId)
	if err != nil {
		return nil, err
	}
	i, found := slices.BinarySearch(m.Reporters, msg.Reporter)
	if !found {
		return nil, errorsmod.Wrapf(types.ErrNotReporter, "%s does not report for org %s on chain %s", msg.Reporter, msg.OrgId, msg.ChainId)
	}
	m.Reporters = slices.Delete(m.Reporters, i, i+1)
	if err := s.k.putMembership(ctx, m); err != nil {
		return nil, err
	}
	return &types.MsgRevokeReporterResponse{}, emit(ctx, &types.EventReporterRevoked{
		ChainId: msg.ChainId, OrgId: msg.OrgId, Reporter: msg.Reporter,
	})
}

func (s msgServer) SubmitStatus(ctx context.Context, msg *types.MsgSubmitStatus) (*types.MsgSubmitStatusResponse, error) {
	org, err := s.k.reporterOrg(ctx, msg.Snapshot.ChainId, msg.Reporter)
	if err != nil {
		return nil, err
	}
	seq, err := s.k.RecordReport(ctx, types.ReportSource{OrgId: org, Reporter: msg.Reporter}, msg.Snapshot)
	if err != nil {
		return nil, err
	}
	return &types.MsgSubmitStatusResponse{Sequence: seq}, nil
}

func (s msgServer) ReportContractChange(ctx context.Context, msg *types.MsgReportContractChange) (*types.MsgReportContractChangeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	org, err := s.k.reporterOrg(ctx, msg.ChainId, msg.Reporter)
	if err != nil {
		return nil, err
	}
	seq, err := s.k.RecordContractChange(ctx, types.ReportSource{OrgId: org, Reporter: msg.Reporter},
		msg.ChainId, msg.Kind, msg.Contract, msg.Height)
	if err != nil {
		return nil, err
	}
	return &types.MsgReportContractChangeResponse{Sequence: seq}, nil
}

// membershipForAdmin loads a membership after checking that signer is the
// org's admin.
func (k Keeper) membershipForAdmin(ctx context.Context, signer, chainID, orgID string) (types.Membership, error) {
	org, err := k.getOrg(ctx, orgID)
	if err != nil {
		return types.Membership{}, err
	}
	if org.Admin != signer {
		return types.Membership{}, errorsmod.Wrapf(types.ErrNotOrgAdmin, "%s is not the admin of org %s", signer, orgID)
	}
	return k.getMembership(ctx, chainID, orgID)
}

func (s msgServer) FileDispute(ctx context.Context, msg *types.MsgFileDispute) (*types.MsgFileDisputeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	id, err := s.k.FileDispute(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgFileDisputeResponse{DisputeId: id}, nil
}

func (s msgServer) ResolveDispute(ctx context.Context, msg *types.MsgResolveDispute) (*types.MsgResolveDisputeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgResolveDisputeResponse{}, s.k.ResolveDispute(ctx, msg)
}

func (s msgServer) RestoreReporting(ctx context.Context, msg *types.MsgRestoreReporting) (*types.MsgRestoreReportingResponse, error) {
	if err := s.k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgRestoreReportingResponse{}, s.k.RestoreReporting(ctx, msg.ChainId, msg.OrgId)
}
