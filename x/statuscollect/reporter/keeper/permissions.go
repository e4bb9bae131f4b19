package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// Who may do what: every permission check of the sidecar is in this file.
// Each keeper method behind a Msg calls one of these first and writes nothing
// before it passes.
//
//	governance authority                       params
//	authority or params.admin                  the org registry, pinning the main chain's client
//	params.admin or a bonded validator's operator  disputing a main-chain report (DisputeReport)

// checkGovAuthority allows the governance authority only.
func (k Keeper) checkGovAuthority(signer string) error {
	if signer != k.authority {
		return errorsmod.Wrapf(types.ErrUnauthorized, "only the governance authority %s changes params, not %s", k.authority, signer)
	}
	return nil
}

// checkRegistryAuthority allows the governance authority and, when set, the
// params' admin.
func (k Keeper) checkRegistryAuthority(ctx context.Context, signer string) error {
	if signer == k.authority {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if params.Admin != "" && params.Admin == signer {
		return nil
	}
	return errorsmod.Wrapf(types.ErrUnauthorized, "%s is neither the governance authority nor the admin", signer)
}

// checkDisputer allows the authority, the admin and the operators of bonded
// validators: evidence speaks with the validator set's voice.
func (k Keeper) checkDisputer(ctx context.Context, signer string) error {
	if err := k.checkRegistryAuthority(ctx, signer); err == nil {
		return nil
	}
	acc, err := sdk.AccAddressFromBech32(signer)
	if err != nil {
		return errorsmod.Wrapf(types.ErrNotValidator, "%s: %s", signer, err)
	}
	val, err := k.staking.GetValidator(ctx, sdk.ValAddress(acc))
	if err != nil || !val.IsBonded() {
		return errorsmod.Wrapf(types.ErrNotValidator, "%s", signer)
	}
	return nil
}
