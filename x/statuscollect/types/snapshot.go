package types

import (
	"strings"
	"unicode/utf8"

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
		if err := ValidateText("validator "+v.Address+" moniker", v.Moniker, MaxIDLen); err != nil {
			return err
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
		if err := ValidateText("contract "+c.Address+" label", c.Label, MaxContractLabel); err != nil {
			return err
		}
		if i > 0 && s.NewContracts[i-1].Address >= c.Address {
			return errorsmod.Wrapf(ErrInvalidSnapshot, "new contracts must be sorted and unique: %q after %q", c.Address, s.NewContracts[i-1].Address)
		}
	}
	if err := ValidateText("software version", s.SoftwareVersion, MaxVersionLen); err != nil {
		return err
	}
	if u := s.PlannedUpgrade; u != nil {
		if u.Name == "" || len(u.Name) > MaxUpgradeName || !utf8.ValidString(u.Name) {
			return errorsmod.Wrapf(ErrInvalidSnapshot, "planned upgrade name must be 1 to %d bytes of UTF-8", MaxUpgradeName)
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
	// Printable ASCII only: with the rest of Unicode, look-alikes (a Cyrillic
	// "а", a full-width digit, a zero-width space) would give two ids that
	// read the same, and invalid UTF-8 would not survive a JSON export.
	if strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r >= 0x7f }) >= 0 {
		return errorsmod.Wrapf(ErrInvalidID, "%s %q must be printable ASCII without spaces", what, id)
	}
	return nil
}

// ValidateText checks a free-text field (a name, a label, a moniker): at
// most max bytes of valid UTF-8, so it survives a JSON export unchanged.
func ValidateText(what, text string, max int) error {
	if len(text) > max {
		return errorsmod.Wrapf(ErrTooLarge, "%s is %d bytes, at most %d", what, len(text), max)
	}
	if !utf8.ValidString(text) {
		return errorsmod.Wrapf(ErrInvalidID, "%s %q is not valid UTF-8", what, text)
	}
	return nil
}

// TruncateText cuts text to at most max bytes without splitting a
// character, so a truncated moniker or label stays valid UTF-8. The sidecar
// and the daemons both truncate with it, so they describe a chain alike.
func TruncateText(text string, max int) string {
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return strings.ToValidUTF8(text[:cut], "")
}
