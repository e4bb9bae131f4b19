package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// MaxReportersLimit bounds max_reporters_per_membership, and so every
// membership: the param caps new grants, and lowering it leaves the accounts
// already granted in place, so a membership may hold more than the param but
// never more than this.
const MaxReportersLimit = 64

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

// Upper bounds of the params. Durations are bounded so that every time the
// module keys a queue by (block time + a param, in unix nanoseconds) stays far
// from int64's end in year 2262; per-block caps so that no block's work can
// be set without limit.
const (
	MaxUpgradeGrace     = 30 * 24 * time.Hour
	MaxHistoryRetention = 10 * 365 * 24 * time.Hour
	MaxClockDriftBound  = time.Hour
	MaxBlockInterval    = time.Hour
	MaxPerBlockCap      = 10_000
	MaxOpenDisputesCap  = 1_000
)

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
	if p.UpgradeGrace <= 0 || p.UpgradeGrace > MaxUpgradeGrace {
		return errorsmod.Wrapf(ErrInvalidParams, "upgrade grace %s must be positive and at most %s", p.UpgradeGrace, MaxUpgradeGrace)
	}
	if p.HistoryRetention <= 0 || p.HistoryRetention > MaxHistoryRetention {
		return errorsmod.Wrapf(ErrInvalidParams, "history retention %s must be positive and at most %s", p.HistoryRetention, MaxHistoryRetention)
	}
	for _, c := range []struct {
		name string
		v    uint32
	}{
		{"max liveness checks per block", p.MaxLivenessChecksPerBlock},
		{"max prunes per block", p.MaxPrunesPerBlock},
		{"max dispute expiries per block", p.MaxDisputeExpiriesPerBlock},
	} {
		if c.v == 0 || c.v > MaxPerBlockCap {
			return errorsmod.Wrapf(ErrInvalidParams, "%s %d must be 1 to %d", c.name, c.v, MaxPerBlockCap)
		}
	}
	if p.MaxReportersPerMembership == 0 || p.MaxReportersPerMembership > MaxReportersLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max reporters per membership %d must be 1 to %d", p.MaxReportersPerMembership, MaxReportersLimit)
	}
	// A report must outlive its dispute window, or a dispute could name a
	// report already pruned.
	if p.DisputeWindow <= 0 || p.DisputeWindow > p.HistoryRetention {
		return errorsmod.Wrapf(ErrInvalidParams, "dispute window %s must be positive and at most the history retention %s", p.DisputeWindow, p.HistoryRetention)
	}
	if err := p.DisputeDeposit.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "dispute deposit: %s", err)
	}
	if p.MaxOpenDisputesPerOrg == 0 || p.MaxOpenDisputesPerOrg > MaxOpenDisputesCap {
		return errorsmod.Wrapf(ErrInvalidParams, "max open disputes per org %d must be 1 to %d", p.MaxOpenDisputesPerOrg, MaxOpenDisputesCap)
	}
	if p.MaxClockDrift <= 0 || p.MaxClockDrift > MaxClockDriftBound {
		return errorsmod.Wrapf(ErrInvalidParams, "max clock drift %s must be positive and at most %s", p.MaxClockDrift, MaxClockDriftBound)
	}
	if p.MinBlockInterval < 0 || p.MinBlockInterval > MaxBlockInterval {
		return errorsmod.Wrapf(ErrInvalidParams, "min block interval %s must be 0 to %s", p.MinBlockInterval, MaxBlockInterval)
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
