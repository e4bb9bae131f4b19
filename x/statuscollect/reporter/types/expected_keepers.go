package types

import (
	"context"

	sdkmath "cosmossdk.io/math"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	connectiontypes "github.com/cosmos/ibc-go/v10/modules/core/03-connection/types"
	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
)

// StakingKeeper gives the validator set.
type StakingKeeper interface {
	GetBondedValidatorsByPower(ctx context.Context) ([]stakingtypes.Validator, error)
	GetValidator(ctx context.Context, addr sdk.ValAddress) (stakingtypes.Validator, error)
	PowerReduction(ctx context.Context) sdkmath.Int
}

// UpgradeKeeper gives the software version and any scheduled upgrade.
type UpgradeKeeper interface {
	GetUpgradePlan(ctx context.Context) (upgradetypes.Plan, error)
	GetLastCompletedUpgrade(ctx context.Context) (string, int64, error)
}

// ICS4Wrapper sends packets.
type ICS4Wrapper interface {
	SendPacket(ctx sdk.Context, sourcePort, sourceChannel string, timeoutHeight clienttypes.Height,
		timeoutTimestamp uint64, data []byte) (uint64, error)
}

// ContractSource is what the reporter needs of a smart-contract engine. The
// subchain app implements it for x/wasm; a chain without contracts passes nil.
//
// The reporter does not ask the engine for its count at each snapshot: it
// keeps its own counter, moved by the app each time the engine creates a
// contract (NoteNewContract), and asks the engine only at genesis, where the
// engine's genesis contracts are counted once, and in invariants.
type ContractSource interface {
	// CountContracts walks every contract the engine holds and returns how
	// many there are. Its cost grows with the contracts: never call it per
	// block.
	CountContracts(ctx context.Context) (uint64, error)
}

// ChannelKeeper reads a status channel's connection at the end of its
// handshake, and closes this end of a channel the sidecar stops using.
type ChannelKeeper interface {
	GetChannel(ctx sdk.Context, portID, channelID string) (channeltypes.Channel, bool)
	ChanCloseInit(ctx sdk.Context, portID, channelID string) error
}

// ConnectionKeeper finds the client under a channel's connection.
type ConnectionKeeper interface {
	GetConnection(ctx sdk.Context, connectionID string) (connectiontypes.ConnectionEnd, bool)
}

// ClientKeeper checks the client of the main chain before it is pinned.
type ClientKeeper interface {
	GetClientState(ctx sdk.Context, clientID string) (ibcexported.ClientState, bool)
	GetClientStatus(ctx sdk.Context, clientID string) ibcexported.Status
}
