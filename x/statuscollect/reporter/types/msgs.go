package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	host "github.com/cosmos/ibc-go/v10/modules/core/24-host"

	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

func (m *MsgUpdateParams) ValidateBasic() error {
	if _, err := sdk.AccAddressFromBech32(m.Authority); err != nil {
		return errorsmod.Wrapf(ErrUnauthorized, "authority %q: %s", m.Authority, err)
	}
	return m.Params.Validate()
}

func (m *MsgAddOrg) ValidateBasic() error { return validOrgMsg(m.Authority, m.OrgId) }

func (m *MsgRemoveOrg) ValidateBasic() error { return validOrgMsg(m.Authority, m.OrgId) }

func validOrgMsg(authority, orgID string) error {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		return errorsmod.Wrapf(ErrUnauthorized, "authority %q: %s", authority, err)
	}
	return shared.ValidateID("org id", orgID, shared.MaxIDLen)
}

func (m *MsgDisputeReport) ValidateBasic() error {
	if _, err := sdk.AccAddressFromBech32(m.Filer); err != nil {
		return errorsmod.Wrapf(ErrNotValidator, "filer %q: %s", m.Filer, err)
	}
	if m.MainSequence == 0 {
		return errorsmod.Wrap(shared.ErrInvalidID, "main_sequence must be positive")
	}
	return m.Reported.Validate()
}

func (m *MsgBindMainClient) ValidateBasic() error {
	if _, err := sdk.AccAddressFromBech32(m.Authority); err != nil {
		return errorsmod.Wrapf(ErrUnauthorized, "authority %q: %s", m.Authority, err)
	}
	return ValidateClientID(m.ClientId)
}

// ValidateClientID checks the form of an IBC client id.
func ValidateClientID(id string) error {
	if err := host.ClientIdentifierValidator(id); err != nil {
		return errorsmod.Wrapf(ErrInvalidClient, "client id %q: %s", id, err)
	}
	return nil
}
