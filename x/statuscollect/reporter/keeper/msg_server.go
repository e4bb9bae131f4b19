package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the reporter's tx service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

// checkAuthority allows governance and, when set, the params' admin.
func (k Keeper) checkAuthority(ctx context.Context, signer string, allowAdmin bool) error {
	if signer == k.authority {
		return nil
	}
	if allowAdmin {
		params, err := k.Params.Get(ctx)
		if err != nil {
			return err
		}
		if params.Admin != "" && params.Admin == signer {
			return nil
		}
	}
	return errorsmod.Wrapf(types.ErrUnauthorized, "%s may not do this", signer)
}

func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := s.k.checkAuthority(ctx, msg.Authority, false); err != nil {
		return nil, err
	}
	if err := msg.Params.Validate(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, s.k.Params.Set(ctx, msg.Params)
}

func (s msgServer) AddOrg(ctx context.Context, msg *types.MsgAddOrg) (*types.MsgAddOrgResponse, error) {
	if err := s.k.checkAuthority(ctx, msg.Authority, true); err != nil {
		return nil, err
	}
	if has, err := s.k.Orgs.Has(ctx, msg.OrgId); err != nil {
		return nil, err
	} else if has {
		return nil, errorsmod.Wrapf(types.ErrOrgExists, "org %s", msg.OrgId)
	}
	n := 0
	if err := s.k.Orgs.Walk(ctx, nil, func(string) (bool, error) { n++; return n >= shared.MaxOrgs, nil }); err != nil {
		return nil, err
	}
	if n >= shared.MaxOrgs {
		return nil, errorsmod.Wrapf(types.ErrTooManyOrgs, "at most %d", shared.MaxOrgs)
	}
	if err := s.k.Orgs.Set(ctx, msg.OrgId); err != nil {
		return nil, err
	}
	return &types.MsgAddOrgResponse{}, emit(ctx, &types.EventOrgAdded{OrgId: msg.OrgId})
}

func (s msgServer) RemoveOrg(ctx context.Context, msg *types.MsgRemoveOrg) (*types.MsgRemoveOrgResponse, error) {
	if err := s.k.checkAuthority(ctx, msg.Authority, true); err != nil {
		return nil, err
	}
	if has, err := s.k.Orgs.Has(ctx, msg.OrgId); err != nil {
		return nil, err
	} else if !has {
		return nil, errorsmod.Wrapf(types.ErrUnknownOrg, "org %s", msg.OrgId)
	}
	if err := s.k.Orgs.Remove(ctx, msg.OrgId); err != nil {
		return nil, err
	}
	return &types.MsgRemoveOrgResponse{}, emit(ctx, &types.EventOrgRemoved{OrgId: msg.OrgId})
}

func (s msgServer) DisputeReport(ctx context.Context, msg *types.MsgDisputeReport) (*types.MsgDisputeReportResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return s.k.DisputeReport(ctx, msg)
}

func (s msgServer) BindMainClient(ctx context.Context, msg *types.MsgBindMainClient) (*types.MsgBindMainClientResponse, error) {
	if err := s.k.checkAuthority(ctx, msg.Authority, true); err != nil {
		return nil, err
	}
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return s.k.BindMainClient(ctx, msg.ClientId)
}
