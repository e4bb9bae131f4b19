package types

import (
	errorsmod "cosmossdk.io/errors"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
)

// The status channel: the subchain's reporter opens it from its port to the
// main chain's collector port, unordered, with this version.
const (
	CollectorPortID = "statuscollect"
	ReporterPortID  = "statusreporter"
	Version         = "statuscollect-1"
	// MaxPacketSize bounds a packet's bytes before decoding. A report at every
	// list limit exceeds it: the sidecar carries only the contracts that fit.
	MaxPacketSize = 128 * 1024
	// MaxSnapshotEvery bounds the sidecar's snapshot interval, in blocks.
	MaxSnapshotEvery = 100_000
)

// DecodePacketData decodes and validates status channel packet data.
func DecodePacketData(bz []byte) (StatusPacketData, error) {
	var pd StatusPacketData
	if len(bz) > MaxPacketSize {
		return pd, errorsmod.Wrapf(ErrTooLarge, "packet of %d bytes, at most %d", len(bz), MaxPacketSize)
	}
	if err := pd.Unmarshal(bz); err != nil {
		return pd, errorsmod.Wrapf(ErrInvalidPacket, "decoding: %s", err)
	}
	return pd, pd.Validate()
}

// Validate checks packet data without state.
func (pd StatusPacketData) Validate() error {
	switch p := pd.Packet.(type) {
	case *StatusPacketData_Report:
		if p.Report == nil || p.Report.Snapshot == nil {
			return errorsmod.Wrap(ErrInvalidPacket, "report without a snapshot")
		}
		if p.Report.Sequence == 0 {
			return errorsmod.Wrap(ErrInvalidPacket, "report sequence must be positive")
		}
		if p.Report.SnapshotEvery > MaxSnapshotEvery {
			return errorsmod.Wrapf(ErrInvalidPacket, "snapshot_every %d is over %d", p.Report.SnapshotEvery, MaxSnapshotEvery)
		}
		if err := CheckNamedLists(p.Report.ListsHash, *p.Report.Snapshot); err != nil {
			return errorsmod.Wrap(ErrInvalidPacket, err.Error())
		}
		return p.Report.Snapshot.Validate()
	case *StatusPacketData_Evidence:
		if p.Evidence == nil {
			return errorsmod.Wrap(ErrInvalidPacket, "empty evidence")
		}
		return p.Evidence.Validate()
	default:
		return errorsmod.Wrapf(ErrInvalidPacket, "unknown packet type %T", pd.Packet)
	}
}

// NewReportPacket wraps a report as packet bytes.
func NewReportPacket(r StatusReport) ([]byte, error) {
	pd := StatusPacketData{Packet: &StatusPacketData_Report{Report: &r}}
	return pd.Marshal()
}

// ValidateChannel is the one check of order, ports and version that every
// handshake step of a status channel makes, from either end.
func ValidateChannel(order channeltypes.Order, port, wantPort, counterpartyPort, wantCounterpartyPort, version string) error {
	if order != channeltypes.UNORDERED {
		return errorsmod.Wrapf(ErrInvalidChannel, "status channels are UNORDERED, not %s", order)
	}
	if port != wantPort {
		return errorsmod.Wrapf(ErrInvalidChannel, "port %s, expected %s", port, wantPort)
	}
	if counterpartyPort != wantCounterpartyPort {
		return errorsmod.Wrapf(ErrInvalidChannel, "counterparty port %s, expected %s", counterpartyPort, wantCounterpartyPort)
	}
	if version != Version {
		return errorsmod.Wrapf(ErrInvalidChannel, "version %q, expected %q", version, Version)
	}
	return nil
}
