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
	// Not the param: it caps new pending contracts, and lowering it leaves
	// those already pending; a report carries at most MaxNewContracts.
	if len(gs.PendingContracts) > shared.MaxNewContracts {
		return errorsmod.Wrapf(ErrInvalidParams, "%d pending contracts, at most %d", len(gs.PendingContracts), shared.MaxNewContracts)
	}
	// Each pending contract rides on a snapshot as it is, so it must pass the
	// snapshot's checks (shared.StatusSnapshot.Validate): a label over the
	// limit would make every report invalid on the main chain. Addresses key
	// the store, so a repeated one would be loaded once and counted twice.
	seen := make(map[string]bool, len(gs.PendingContracts))
	for _, c := range gs.PendingContracts {
		if err := shared.ValidateID("pending contract address", c.Address, shared.MaxIDLen); err != nil {
			return err
		}
		if err := shared.ValidateText("pending contract "+c.Address+" label", c.Label, shared.MaxContractLabel); err != nil {
			return err
		}
		if seen[c.Address] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pending contract %s is listed twice", c.Address)
		}
		seen[c.Address] = true
	}
	if err := gs.validateLink(); err != nil {
		return err
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

// validateLink checks the link against the rest of the genesis, as the
// module's invariants check it against its store (pending-contracts-within-cap,
// in-flight-report-on-bound-channel): a genesis that breaks them would load
// and fail them at once.
func (gs GenesisState) validateLink() error {
	var l LinkStatus
	if gs.Link != nil {
		l = *gs.Link
	}
	if l.PendingContracts != uint64(len(gs.PendingContracts)) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "the link counts %d pending contracts, the genesis lists %d", l.PendingContracts, len(gs.PendingContracts))
	}
	if l.LastAcked > l.LastSent {
		return errorsmod.Wrapf(ErrInvalidGenesis, "report %d acknowledged, only %d sent", l.LastAcked, l.LastSent)
	}
	f := l.InFlight
	if f == nil {
		return nil
	}
	if f.ChannelId == "" || f.ChannelId != gs.ChannelId {
		return errorsmod.Wrapf(ErrInvalidGenesis, "report %d in flight on channel %q, the status channel is %q", f.Sequence, f.ChannelId, gs.ChannelId)
	}
	if f.Sequence != l.LastSent {
		return errorsmod.Wrapf(ErrInvalidGenesis, "report %d in flight, the last sent is %d", f.Sequence, l.LastSent)
	}
	return nil
}
