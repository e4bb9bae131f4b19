// Package keeper holds the collector's state and its rules.
package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
)

// Keeper is the collector's keeper.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService store.KVStoreService
	// authority is the governance module account: it alone changes params, and
	// with the params' admin it manages the registry.
	authority string

	bank             types.BankKeeper
	connectionKeeper types.ConnectionKeeper
	channelKeeper    types.ChannelKeeper
	clientKeeper     types.ClientKeeper

	Schema      collections.Schema
	Params      collections.Item[types.Params]
	Subchains   SubchainStore
	Orgs        collections.Map[string, types.Organization]
	Memberships collections.Map[collections.Pair[string, string], types.Membership]
	// Reporters maps (chain id, monitoring account) to the org it reports for
	// and that org's suspension, so a submission's permission check is one
	// read. Written only with its membership (membership.go).
	Reporters collections.Map[collections.Pair[string, string], types.ReporterEntry]
	// Reports holds each report as types.StoredReport: what its key and its
	// subchain's other entries hold is left out (stored.go puts it back).
	// Written only through putReport (report.go).
	Reports collections.Map[collections.Pair[string, uint64], types.StoredReport]
	// FirstLists holds the orgs and validators of each subchain's first
	// stored report, ListsHolders names its other stored reports that hold
	// their own, whole or as powers alone, and SetHolders those of them
	// that hold them whole (stored.go). Written only through storeReport and
	// releaseLists.
	FirstLists      collections.Map[string, types.StoredLists]
	ListsHolders    collections.KeySet[collections.Pair[string, uint64]]
	SetHolders      collections.KeySet[collections.Pair[string, uint64]]
	ReportsByHeight collections.Map[collections.Pair[string, int64], uint64]
	// ContractChanges by (chain id, sequence), and ContractIndex from (chain
	// id, ContractKey of its address) to its latest change. Written only through
	// recordContractChanges, putContractChange and removeContractChange
	// (contract_changes.go; the value through storeContractChange).
	// Stored as types.StoredContractChange: a change its report records holds
	// only what the report does not (expandChange puts the rest back).
	ContractChanges collections.Map[collections.Pair[string, uint64], types.StoredContractChange]
	ContractIndex   collections.Map[collections.Pair[string, []byte], uint64]
	// LivenessQueue orders subchains by when they next need a look (unix
	// nanoseconds, chain id), so the EndBlocker touches only those due.
	LivenessQueue collections.KeySet[collections.Pair[int64, string]]
	// PruneQueue orders reports by when they were recorded (unix nanoseconds,
	// chain id, sequence), so pruning touches only expired reports.
	PruneQueue collections.KeySet[collections.Triple[int64, string, uint64]]
	// ContractPruneQueue orders the contract changes not pruned with their
	// report (stored before version 3 without it) the same way.
	ContractPruneQueue collections.KeySet[collections.Triple[int64, string, uint64]]
	// ClientIndex maps a bound IBC client id to its subchain.
	ClientIndex collections.Map[string, string]
	// ChannelIndex maps a bound status channel id to its subchain.
	ChannelIndex collections.Map[string, string]
	// Disputes by id; DisputesByChain indexes them per subchain and
	// DisputesByStatus per (subchain, status). Written only through
	// putDispute and deleteDispute (dispute_store.go).
	Disputes         collections.Map[uint64, types.Dispute]
	DisputesByChain  collections.KeySet[collections.Pair[string, uint64]]
	DisputesByStatus collections.KeySet[collections.Pair[collections.Pair[string, int32], uint64]]
	// DisputeQueue orders open disputes by expiry (unix nanoseconds, id);
	// DisputePruneQueue orders closed ones the same way, for pruning
	// history_retention later.
	DisputeQueue      collections.KeySet[collections.Pair[int64, uint64]]
	DisputePruneQueue collections.KeySet[collections.Pair[int64, uint64]]
	// OpenDisputes counts each org's open disputes.
	OpenDisputes collections.Map[string, uint32]
	// LastDisputeID is the highest dispute id given out.
	LastDisputeID collections.Sequence
}

// NewKeeper builds the keeper. It panics on a wiring mistake, never on input.
// The IBC keepers may be nil where no status channel is used (keeper tests).
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, authority string, bank types.BankKeeper,
	connectionKeeper types.ConnectionKeeper, channelKeeper types.ChannelKeeper, clientKeeper types.ClientKeeper,
) Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("collector: invalid authority address %q: %s", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:              cdc,
		storeService:     storeService,
		authority:        authority,
		bank:             bank,
		connectionKeeper: connectionKeeper,
		channelKeeper:    channelKeeper,
		clientKeeper:     clientKeeper,
		Params:           collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Subchains:        newSubchainStore(sb, cdc),
		Orgs:             collections.NewMap(sb, types.OrgsKey, "orgs", collections.StringKey, codec.CollValue[types.Organization](cdc)),
		Memberships: collections.NewMap(sb, types.MembershipsKey, "memberships",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), codec.CollValue[types.Membership](cdc)),
		Reporters: collections.NewMap(sb, types.ReportersKey, "reporters",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), codec.CollValue[types.ReporterEntry](cdc)),
		Reports: collections.NewMap(sb, types.ReportsKey, "reports",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), codec.CollValue[types.StoredReport](cdc)),
		FirstLists: collections.NewMap(sb, types.FirstListsKey, "first_lists", collections.StringKey, codec.CollValue[types.StoredLists](cdc)),
		ListsHolders: collections.NewKeySet(sb, types.ListsHoldersKey, "lists_holders",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
		SetHolders: collections.NewKeySet(sb, types.SetHoldersKey, "set_holders",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
		ReportsByHeight: collections.NewMap(sb, types.ReportsByHeightKey, "reports_by_height",
			collections.PairKeyCodec(collections.StringKey, collections.Int64Key), collx.UvarintValue),
		ContractChanges: collections.NewMap(sb, types.ContractChangesKey, "contract_changes",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), newChangeCodec(cdc)),
		ContractIndex: collections.NewMap(sb, types.ContractIndexV6Key, "contract_index_v6",
			collections.PairKeyCodec(collections.StringKey, collections.BytesKey), collx.UvarintValue),
		LivenessQueue: collections.NewKeySet(sb, types.LivenessQueueKey, "liveness_queue",
			collections.PairKeyCodec(collections.Int64Key, collections.StringKey)),
		PruneQueue: collections.NewKeySet(sb, types.PruneQueueKey, "prune_queue",
			collections.TripleKeyCodec(collections.Int64Key, collections.StringKey, collections.Uint64Key)),
		ContractPruneQueue: collections.NewKeySet(sb, types.ContractPruneKey, "contract_prune_queue",
			collections.TripleKeyCodec(collections.Int64Key, collections.StringKey, collections.Uint64Key)),
		ClientIndex:  collections.NewMap(sb, types.ClientIndexKey, "client_index", collections.StringKey, collections.StringValue),
		ChannelIndex: collections.NewMap(sb, types.ChannelIndexKey, "channel_index", collections.StringKey, collections.StringValue),
		Disputes:     collections.NewMap(sb, types.DisputesKey, "disputes", collections.Uint64Key, codec.CollValue[types.Dispute](cdc)),
		DisputesByChain: collections.NewKeySet(sb, types.DisputesByChainKey, "disputes_by_chain",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
		DisputesByStatus: collections.NewKeySet(sb, types.DisputesByStatusKey, "disputes_by_status",
			collections.PairKeyCodec(collections.PairKeyCodec(collections.StringKey, collections.Int32Key), collections.Uint64Key)),
		DisputeQueue: collections.NewKeySet(sb, types.DisputeQueueKey, "dispute_queue",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		DisputePruneQueue: collections.NewKeySet(sb, types.DisputePruneQueueKey, "dispute_prune_queue",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		OpenDisputes:  collections.NewMap(sb, types.OpenDisputesKey, "open_disputes", collections.StringKey, collections.Uint32Value),
		LastDisputeID: collections.NewSequence(sb, types.LastDisputeIDKey, "last_dispute_id"),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Authority returns the governance authority's address.
func (k Keeper) Authority() string { return k.authority }

// Logger returns the module's logger.
func (k Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
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

// getSubchain loads a subchain or returns ErrUnknownSubchain.
func (k Keeper) getSubchain(ctx context.Context, chainID string) (types.Subchain, error) {
	s, err := k.Subchains.Get(ctx, chainID)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return s, errorsmod.Wrapf(types.ErrUnknownSubchain, "chain %s", chainID)
	}
	return s, err
}

// getStatus loads the status part of a subchain's record (subchains.go) or
// returns ErrUnknownSubchain: what the report doors, the registry's
// retirement and the queries that only need the subchain to exist read.
func (k Keeper) getStatus(ctx context.Context, chainID string) (types.Subchain, error) {
	s, err := k.subchainStatus(ctx, chainID)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return s, errorsmod.Wrapf(types.ErrUnknownSubchain, "chain %s", chainID)
	}
	return s, err
}

// activeStatus is getStatus of a subchain that is not retired:
// ErrSubchainRetired otherwise.
func (k Keeper) activeStatus(ctx context.Context, chainID string) (types.Subchain, error) {
	s, err := k.getStatus(ctx, chainID)
	if err != nil {
		return s, err
	}
	return s, activeErr(s)
}

// activeSubchain loads a subchain that is not retired: ErrUnknownSubchain or
// ErrSubchainRetired otherwise.
func (k Keeper) activeSubchain(ctx context.Context, chainID string) (types.Subchain, error) {
	s, err := k.getSubchain(ctx, chainID)
	if err != nil {
		return s, err
	}
	return s, activeErr(s)
}

// activeErr is ErrSubchainRetired for a retired subchain, nil otherwise.
func activeErr(s types.Subchain) error {
	if s.Liveness == types.LIVENESS_RETIRED {
		return errorsmod.Wrapf(types.ErrSubchainRetired, "chain %s", s.ChainId)
	}
	return nil
}

// getOrg loads an organization or returns ErrUnknownOrg.
func (k Keeper) getOrg(ctx context.Context, orgID string) (types.Organization, error) {
	o, err := k.Orgs.Get(ctx, orgID)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return o, errorsmod.Wrapf(types.ErrUnknownOrg, "org %s", orgID)
	}
	return o, err
}

// getMembership loads a membership or returns ErrNotMember.
func (k Keeper) getMembership(ctx context.Context, chainID, orgID string) (types.Membership, error) {
	m, err := k.Memberships.Get(ctx, collections.Join(chainID, orgID))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return m, errorsmod.Wrapf(types.ErrNotMember, "org %s on chain %s", orgID, chainID)
	}
	return m, err
}

// emit sends typed events. An encoding failure would be a bug, but it must
// not pass silently, so it fails the message.
func emit(ctx context.Context, evs ...proto.Message) error {
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvents(evs...)
}
