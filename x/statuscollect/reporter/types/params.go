package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// DefaultParams: a snapshot every 10 blocks, a heartbeat at least every 6
// snapshots, ten minutes for the relayer to deliver one.
func DefaultParams() Params {
	return Params{
		ReportInterval:      10,
		HeartbeatEvery:      6,
		PacketTimeout:       10 * time.Minute,
		SnapshotRing:        100,
		MaxPendingContracts: shared.MaxNewContracts,
	}
}

// Validate checks the params.
func (p Params) Validate() error {
	if p.Admin != "" {
		if _, err := sdk.AccAddressFromBech32(p.Admin); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "admin %q: %s", p.Admin, err)
		}
	}
	if p.ReportInterval == 0 || p.ReportInterval > shared.MaxSnapshotEvery {
		return errorsmod.Wrapf(ErrInvalidParams, "report interval %d must be 1 to %d blocks", p.ReportInterval, shared.MaxSnapshotEvery)
	}
	if p.HeartbeatEvery == 0 || p.HeartbeatEvery > 10_000 {
		return errorsmod.Wrapf(ErrInvalidParams, "heartbeat every %d must be 1 to 10000 intervals", p.HeartbeatEvery)
	}
	if p.PacketTimeout < time.Minute || p.PacketTimeout > 7*24*time.Hour {
		return errorsmod.Wrapf(ErrInvalidParams, "packet timeout %s must be between 1m and 168h", p.PacketTimeout)
	}
	if p.SnapshotRing == 0 || p.SnapshotRing > 10_000 {
		return errorsmod.Wrapf(ErrInvalidParams, "snapshot ring %d must be 1 to 10000", p.SnapshotRing)
	}
	if p.MaxPendingContracts == 0 || p.MaxPendingContracts > shared.MaxNewContracts {
		return errorsmod.Wrapf(ErrInvalidParams, "max pending contracts %d must be 1 to %d", p.MaxPendingContracts, shared.MaxNewContracts)
	}
	return nil
}
