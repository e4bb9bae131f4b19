package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// SubchainStore holds each subchain's record in two collections, by how
// often its fields change. Status holds what its reports and the liveness
// checks change, and what they read (liveness, sequences, heights, times,
// report interval, status channel, latest figures): every report rewrites it,
// at 30 gas a byte. Info holds what only the registry changes (name, kind,
// registered height, client): written at registration and client binding,
// read by the queries. Neither value holds the chain id, its key's. Get and
// Set read and write both; the report and liveness paths read and write the
// status alone (Keeper.subchainStatus, Keeper.setStatus).
type SubchainStore struct {
	Status collections.Map[string, types.Subchain]
	Info   collections.Map[string, types.Subchain]
}

func newSubchainStore(sb *collections.SchemaBuilder, cdc codec.BinaryCodec) SubchainStore {
	value := codec.CollValue[types.Subchain](cdc)
	return SubchainStore{
		Status: collections.NewMap(sb, types.SubchainsKey, "subchains", collections.StringKey,
			subchainPart{value, statusPart}),
		Info: collections.NewMap(sb, types.SubchainInfoKey, "subchain_info", collections.StringKey,
			subchainPart{value, infoPart}),
	}
}

// subchainPart stores the fields of a subchain's record one part keeps.
type subchainPart struct {
	collcodec.ValueCodec[types.Subchain]
	part func(types.Subchain) types.Subchain
}

func (c subchainPart) Encode(s types.Subchain) ([]byte, error) { return c.ValueCodec.Encode(c.part(s)) }

// statusPart is s without its chain id and what infoPart keeps.
func statusPart(s types.Subchain) types.Subchain {
	s.ChainId, s.Name, s.Kind, s.RegisteredHeight, s.ClientId = "", "", 0, 0, ""
	return s
}

// infoPart is what of s only the registry changes.
func infoPart(s types.Subchain) types.Subchain {
	return types.Subchain{Name: s.Name, Kind: s.Kind, RegisteredHeight: s.RegisteredHeight, ClientId: s.ClientId}
}

// withInfo is the status of subchain id whole, with its info.
func (s SubchainStore) withInfo(ctx context.Context, id string, status types.Subchain) (types.Subchain, error) {
	info, err := s.Info.Get(ctx, id)
	if err != nil {
		return status, err
	}
	status.ChainId, status.Name, status.Kind, status.RegisteredHeight, status.ClientId = id, info.Name, info.Kind, info.RegisteredHeight, info.ClientId
	return status, nil
}

// Get reads a subchain's whole record. A subchain not registered is an
// error of collections.ErrNotFound.
func (s SubchainStore) Get(ctx context.Context, id string) (types.Subchain, error) {
	status, err := s.Status.Get(ctx, id)
	if err != nil {
		return status, err
	}
	return s.withInfo(ctx, id, status)
}

// Set writes a subchain's whole record. A record without a kind, which
// every registered subchain has, is a status part read alone: writing it
// whole would wipe the info, so it is refused (setStatus writes it).
func (s SubchainStore) Set(ctx context.Context, id string, sub types.Subchain) error {
	if sub.Kind == types.SUBCHAIN_KIND_UNSPECIFIED {
		return fmt.Errorf("subchain %s: a record without its info (no kind) written whole", id)
	}
	if err := s.Status.Set(ctx, id, sub); err != nil {
		return err
	}
	return s.Info.Set(ctx, id, sub)
}

// Has tells whether a subchain is registered.
func (s SubchainStore) Has(ctx context.Context, id string) (bool, error) {
	return s.Status.Has(ctx, id)
}

// Walk calls fn with each whole record, in chain id order, until it returns
// true or an error.
func (s SubchainStore) Walk(ctx context.Context, ranger collections.Ranger[string], fn func(id string, sub types.Subchain) (bool, error)) error {
	return s.Status.Walk(ctx, ranger, func(id string, status types.Subchain) (bool, error) {
		sub, err := s.withInfo(ctx, id, status)
		if err != nil {
			return true, err
		}
		return fn(id, sub)
	})
}

// subchainStatus reads a subchain's status part (subchains.go), its chain
// id set: what a report and a liveness check need, one read.
func (k Keeper) subchainStatus(ctx context.Context, id string) (types.Subchain, error) {
	s, err := k.Subchains.Status.Get(ctx, id)
	s.ChainId = id
	return s, err
}

// setStatus writes the status part of a subchain's record: whatever else sub
// holds is left as stored.
func (k Keeper) setStatus(ctx context.Context, sub types.Subchain) error {
	return k.Subchains.Status.Set(ctx, sub.ChainId, sub)
}
