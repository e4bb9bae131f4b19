package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DefaultParams are the params of a new network.
func DefaultParams() Params {
	return Params{
		StalenessFactor:            3,
		UpgradeGrace:               24 * time.Hour,
		HistoryRetention:           30 * 24 * time.Hour,
		MaxLivenessChecksPerBlock:  100,
		MaxPrunesPerBlock:          100,
		MaxReportersPerMembership:  8,
		DisputeWindow:              24 * time.Hour,
		DisputeDeposit:             sdk.NewInt64Coin(sdk.DefaultBondDenom, 10_000_000),
		MaxOpenDisputesPerOrg:      5,
		MaxDisputeExpiriesPerBlock: 50,
		MaxClockDrift:              2 * time.Minute,
		MinBlockInterval:           100 * time.Millisecond,
	}
}

// MaxArbiters caps the arbiters list.
const MaxArbiters = 16

// Validate checks the params.
func (p Params) Validate() error {
	if p.Admin != "" {
		if _, err := sdk.AccAddressFromBech32(p.Admin); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "admin %q: %s", p.Admin, err)
		}
	}
	if p.StalenessFactor == 0 || p.StalenessFactor > 1000 {
		return errorsmod.Wrapf(ErrInvalidParams, "staleness factor %d must be 1 to 1000", p.StalenessFactor)
	}
	if p.UpgradeGrace <= 0 {
		return errorsmod.Wrap(ErrInvalidParams, "upgrade grace must be positive")
	}
	if p.HistoryRetention <= 0 {
		return errorsmod.Wrap(ErrInvalidParams, "history retention must be positive")
	}
	if p.MaxLivenessChecksPerBlock == 0 || p.MaxPrunesPerBlock == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "per-block caps must be positive")
	}
	if p.MaxReportersPerMembership == 0 || p.MaxReportersPerMembership > 64 {
		return errorsmod.Wrapf(ErrInvalidParams, "max reporters per membership %d must be 1 to 64", p.MaxReportersPerMembership)
	}
	if p.DisputeWindow <= 0 {
		return errorsmod.Wrap(ErrInvalidParams, "dispute window must be positive")
	}
	if err := p.DisputeDeposit.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "dispute deposit: %s", err)
	}
	if p.MaxOpenDisputesPerOrg == 0 || p.MaxDisputeExpiriesPerBlock == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "dispute caps must be positive")
	}
	if p.MaxClockDrift <= 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max clock drift must be positive")
	}
	if p.MinBlockInterval < 0 {
		return errorsmod.Wrap(ErrInvalidParams, "min block interval must not be negative")
	}
	if len(p.Arbiters) > MaxArbiters {
		return errorsmod.Wrapf(ErrInvalidParams, "%d arbiters, at most %d", len(p.Arbiters), MaxArbiters)
	}
	for _, a := range p.Arbiters {
		if _, err := sdk.AccAddressFromBech32(a); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "arbiter %q: %s", a, err)
		}
	}
	return nil
}
