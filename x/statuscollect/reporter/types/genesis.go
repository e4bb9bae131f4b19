package types

import (
	errorsmod "cosmossdk.io/errors"

	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// DefaultGenesis has the default params and no orgs.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams()} }

// Validate checks the genesis.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if len(gs.Orgs) > shared.MaxOrgs {
		return errorsmod.Wrapf(ErrTooManyOrgs, "%d orgs, at most %d", len(gs.Orgs), shared.MaxOrgs)
	}
	for i, o := range gs.Orgs {
		if err := shared.ValidateID("org id", o, shared.MaxIDLen); err != nil {
			return err
		}
		if i > 0 && gs.Orgs[i-1] >= o {
			return errorsmod.Wrapf(ErrOrgExists, "orgs must be sorted and unique: %q after %q", o, gs.Orgs[i-1])
		}
	}
	for _, c := range gs.PendingContracts {
		if err := shared.ValidateID("pending contract address", c.Address, shared.MaxIDLen); err != nil {
			return err
		}
	}
	// Not the param: it caps new pending contracts, and lowering it leaves
	// those already pending; a report carries at most MaxNewContracts.
	if len(gs.PendingContracts) > shared.MaxNewContracts {
		return errorsmod.Wrapf(ErrInvalidParams, "%d pending contracts, at most %d", len(gs.PendingContracts), shared.MaxNewContracts)
	}
	if gs.MainClientId != "" {
		if err := ValidateClientID(gs.MainClientId); err != nil {
			return err
		}
	}
	for _, s := range gs.Snapshots {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	return nil
}
