// Package keeper holds the reporter's state: its org registry, the counters a
// snapshot needs, the ring of recent snapshots and the status channel's state.
package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	"cosmossdk.io/log"
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Keeper is the reporter's keeper.
type Keeper struct {
	authority string
	staking   types.StakingKeeper
	upgrade   types.UpgradeKeeper
	ics4      types.ICS4Wrapper
	contracts types.ContractSource
	// channels, connections and clients check the status channel's handshake
	// against the pinned client of the main chain.
	channels    types.ChannelKeeper
	connections types.ConnectionKeeper
	clients     types.ClientKeeper

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Orgs are the subchain's participant organizations.
	Orgs collections.KeySet[string]
	// Channel is the bound status channel's id, once open.
	Channel collections.Item[string]
	// TxTotal counts every transaction since genesis.
	TxTotal collections.Item[uint64]
	// Window is the start of the current TPS window.
	Window collections.Item[types.TxWindow]
	// LastSent is the last snapshot sent, to tell a change from a heartbeat.
	LastSent collections.Item[shared.StatusSnapshot]
	// Link holds the channel's counters and the report in flight.
	Link collections.Item[types.LinkStatus]
	// PendingContracts are contracts deployed or migrated since the last
	// acknowledged report, by address.
	PendingContracts collections.Map[string, shared.Contract]
	// Snapshots is the ring of recent snapshots, by height.
	Snapshots collections.Map[int64, shared.StatusSnapshot]
	// Disputed holds the main-chain report sequences this chain sent evidence
	// against, so one report is not disputed twice while evidence is pending
	// or after it was upheld.
	// Keyed by (height, main sequence), so the entries leave with the ring's
	// snapshots they were checked against.
	Disputed collections.KeySet[collections.Pair[int64, uint64]]
	// ContractCount is the number of contracts the engine holds: counted once
	// at genesis, then moved by NoteNewContract, so a snapshot reads it in one
	// step. Absent on a chain without contracts.
	ContractCount collections.Item[uint64]
	// MainClient is the pinned IBC client of the main chain: the status
	// channel opens only over a connection on it.
	MainClient collections.Item[string]
}

// NewKeeper builds the keeper; contracts may be nil on a chain without smart
// contracts. The IBC keepers check the status channel's handshake.
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, authority string,
	staking types.StakingKeeper, upgrade types.UpgradeKeeper, ics4 types.ICS4Wrapper, contracts types.ContractSource,
	channels types.ChannelKeeper, connections types.ConnectionKeeper, clients types.ClientKeeper,
) Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("reporter: invalid authority address %q: %s", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		authority:        authority,
		staking:          staking,
		upgrade:          upgrade,
		ics4:             ics4,
		contracts:        contracts,
		channels:         channels,
		connections:      connections,
		clients:          clients,
		Params:           collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Orgs:             collections.NewKeySet(sb, types.OrgsKey, "orgs", collections.StringKey),
		Channel:          collections.NewItem(sb, types.ChannelKey, "channel", collections.StringValue),
		TxTotal:          collections.NewItem(sb, types.TxTotalKey, "tx_total", collections.Uint64Value),
		Window:           collections.NewItem(sb, types.WindowKey, "window", codec.CollValue[types.TxWindow](cdc)),
		LastSent:         collections.NewItem(sb, types.LastSentKey, "last_sent", codec.CollValue[shared.StatusSnapshot](cdc)),
		Link:             collections.NewItem(sb, types.LinkKey, "link", codec.CollValue[types.LinkStatus](cdc)),
		PendingContracts: collections.NewMap(sb, types.PendingContractsKey, "pending_contracts", collections.StringKey, codec.CollValue[shared.Contract](cdc)),
		Snapshots:        collections.NewMap(sb, types.SnapshotsKey, "snapshots", collections.Int64Key, codec.CollValue[shared.StatusSnapshot](cdc)),
		Disputed: collections.NewKeySet(sb, types.DisputedKey, "disputed",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		ContractCount: collections.NewItem(sb, types.ContractCountKey, "contract_count", collections.Uint64Value),
		MainClient:    collections.NewItem(sb, types.MainClientKey, "main_client", collections.StringValue),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// UpdateParams replaces the params (governance authority).
func (k Keeper) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) error {
	if err := k.checkGovAuthority(msg.Authority); err != nil {
		return err
	}
	if err := msg.Params.Validate(); err != nil {
		return err
	}
	return k.Params.Set(ctx, msg.Params)
}

// Logger returns the module's logger.
func (k Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// link returns the link status, empty before the first report.
func (k Keeper) link(ctx context.Context) (types.LinkStatus, error) {
	return collx.Optional(ctx, k.Link)
}

func emit(ctx context.Context, evs ...proto.Message) error {
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvents(evs...)
}
