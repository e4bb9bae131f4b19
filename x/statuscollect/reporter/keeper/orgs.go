package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// The sidecar's org registry: the orgs its snapshots list as taking part in
// the subchain, at most shared.MaxOrgs.

// AddOrg adds an org (authority or admin).
func (k Keeper) AddOrg(ctx context.Context, msg *types.MsgAddOrg) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	if has, err := k.Orgs.Has(ctx, msg.OrgId); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrOrgExists, "org %s", msg.OrgId)
	}
	n := 0
	if err := k.Orgs.Walk(ctx, nil, func(string) (bool, error) { n++; return n >= shared.MaxOrgs, nil }); err != nil {
		return err
	}
	if n >= shared.MaxOrgs {
		return errorsmod.Wrapf(types.ErrTooManyOrgs, "at most %d", shared.MaxOrgs)
	}
	if err := k.Orgs.Set(ctx, msg.OrgId); err != nil {
		return err
	}
	return emit(ctx, &types.EventOrgAdded{OrgId: msg.OrgId})
}

// RemoveOrg removes an org (authority or admin).
func (k Keeper) RemoveOrg(ctx context.Context, msg *types.MsgRemoveOrg) error {
	if err := k.checkRegistryAuthority(ctx, msg.Authority); err != nil {
		return err
	}
	if has, err := k.Orgs.Has(ctx, msg.OrgId); err != nil {
		return err
	} else if !has {
		return errorsmod.Wrapf(types.ErrUnknownOrg, "org %s", msg.OrgId)
	}
	if err := k.Orgs.Remove(ctx, msg.OrgId); err != nil {
		return err
	}
	return emit(ctx, &types.EventOrgRemoved{OrgId: msg.OrgId})
}
