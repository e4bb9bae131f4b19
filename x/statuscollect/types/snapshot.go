package types

import (
	"strings"

	errorsmod "cosmossdk.io/errors"
)

// Hard limits of a snapshot. They bound the work and storage a single report
// can cause on the main chain, whatever the subchain sends.
const (
	// MaxChainIDLen is CometBFT's own limit on a chain id.
	MaxChainIDLen    = 50
	MaxIDLen         = 128
	MaxOrgs          = 256
	MaxValidators    = 512
	MaxNewContracts  = 256
	MaxVersionLen    = 128
	MaxUpgradeName   = 140
	MaxContractLabel = 128
)

// Validate checks a snapshot's fields and limits without any state: required
// fields, sizes, and sorted lists without duplicates (which makes diffing two
// snapshots a linear merge and keeps honest observers byte-identical).
func (s StatusSnapshot) Validate() error {
	if err := ValidateID("chain id", s.ChainId, MaxChainIDLen); err != nil {
		return err
	}
	if s.Height <= 0 {
		return errorsmod.Wrapf(ErrInvalidSnapshot, "height must be positive, got %d", s.Height)
	}
	if s.BlockTime.IsZero() {
		return errorsmod.Wrap(ErrInvalidSnapshot, "block time is missing")
	}
	if s.WindowTxs > s.TotalTxs {
		return errorsmod.Wrapf(ErrInvalidSnapshot, "window has %d txs but the chain only %d", s.WindowTxs, s.TotalTxs)
	}
	if s.WindowBlocks == 0 && (s.WindowTxs != 0 || s.TpsMilli != 0) {
		return errorsmod.Wrap(ErrInvalidSnapshot, "an empty window cannot have transactions or TPS")
	}
	if len(s.Orgs) > MaxOrgs {
		return errorsmod.Wrapf(ErrTooLarge, "%d orgs, at most %d", len(s.Orgs), MaxOrgs)
	}
	for i, org := range s.Orgs {
		if err := ValidateID("org id", org, MaxIDLen); err != nil {
			return err
		}
		if i > 0 && s.Orgs[i-1] >= org {
			return errorsmod.Wrapf(ErrInvalidSnapshot, "orgs must be sorted and unique: %q after %q", org, s.Orgs[i-1])
		}
	}
	if len(s.Validators) > MaxValidators {
		return errorsmod.Wrapf(ErrTooLarge, "%d validators, at most %d", len(s.Validators), MaxValidators)
	}
	for i, v := range s.Validators {
		if err := ValidateID("validator address", v.Address, MaxIDLen); err != nil {
			return err
		}
		if v.Power <= 0 {
			return errorsmod.Wrapf(ErrInvalidSnapshot, "validator %s has power %d", v.Address, v.Power)
		}
		if len(v.Moniker) > MaxIDLen {
			return errorsmod.Wrapf(ErrTooLarge, "validator %s moniker over %d bytes", v.Address, MaxIDLen)
		}
		if i > 0 && s.Validators[i-1].Address >= v.Address {
			return errorsmod.Wrapf(ErrInvalidSnapshot, "validators must be sorted and unique: %q after %q", v.Address, s.Validators[i-1].Address)
		}
	}
	if len(s.NewContracts) > MaxNewContracts {
		return errorsmod.Wrapf(ErrTooLarge, "%d new contracts, at most %d", len(s.NewContracts), MaxNewContracts)
	}
	if uint64(len(s.NewContracts)) > s.ContractCount {
		return errorsmod.Wrapf(ErrInvalidSnapshot, "%d new contracts but a contract count of %d", len(s.NewContracts), s.ContractCount)
	}
	for i, c := range s.NewContracts {
		if err := ValidateID("contract address", c.Address, MaxIDLen); err != nil {
			return err
		}
		if len(c.Label) > MaxContractLabel {
			return errorsmod.Wrapf(ErrTooLarge, "contract %s label over %d bytes", c.Address, MaxContractLabel)
		}
		if i > 0 && s.NewContracts[i-1].Address >= c.Address {
			return errorsmod.Wrapf(ErrInvalidSnapshot, "new contracts must be sorted and unique: %q after %q", c.Address, s.NewContracts[i-1].Address)
		}
	}
	if len(s.SoftwareVersion) > MaxVersionLen {
		return errorsmod.Wrapf(ErrTooLarge, "software version over %d bytes", MaxVersionLen)
	}
	if u := s.PlannedUpgrade; u != nil {
		if u.Name == "" || len(u.Name) > MaxUpgradeName {
			return errorsmod.Wrapf(ErrInvalidSnapshot, "planned upgrade name must be 1 to %d bytes", MaxUpgradeName)
		}
		if u.Height <= s.Height {
			return errorsmod.Wrapf(ErrInvalidSnapshot, "planned upgrade at %d is not after the snapshot height %d", u.Height, s.Height)
		}
	}
	return nil
}

// ValidateID requires a non-empty identifier of at most max bytes without
// spaces or control characters: ids end up in store keys, events and CLI args.
func ValidateID(what, id string, max int) error {
	if id == "" {
		return errorsmod.Wrapf(ErrInvalidID, "%s is empty", what)
	}
	if len(id) > max {
		return errorsmod.Wrapf(ErrTooLarge, "%s is %d bytes, at most %d", what, len(id), max)
	}
	if strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return errorsmod.Wrapf(ErrInvalidID, "%s %q has spaces or control characters", what, id)
	}
	return nil
}
