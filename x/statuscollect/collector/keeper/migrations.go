package keeper

import (
	"encoding/binary"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
)

// Migrator moves the collector's store from one consensus version to the
// next. Each step reads only the layout it starts from.
type Migrator struct{ k Keeper }

// NewMigrator returns the collector's migrator.
func NewMigrator(k Keeper) Migrator { return Migrator{k: k} }

// Migrate1to2 adds the index of contract changes by contract (ContractIndex),
// which version 2 needs to tell a deployment from a migration and a change
// from one shown again. It indexes each contract's latest stored change.
// Changes stored by version 1 keep report_sequence 0 (they came from
// MsgReportContractChange, which version 2 no longer has) and their kind,
// REMOVED included. It reads the changes once, in key order; their number is
// bounded by history_retention, as they are pruned with the history.
func (m Migrator) Migrate1to2(ctx sdk.Context) error {
	return m.V2ContractChanges().Walk(ctx, nil, func(key collections.Pair[string, uint64], c types.ContractChange) (bool, error) {
		// Walked by (chain, sequence): a contract's later change overwrites
		// an earlier one.
		return false, m.k.ContractIndex.Set(ctx, ContractKey(key.K1(), c.Contract.Address), key.K2())
	})
}

// V2Reports and V2ContractChanges are the collections of reports and
// contract changes as versions 1 and 2 stored them, whole, under the prefixes
// version 3 uses for its compact values: what the migrations read (and the
// tests write, to build an old store).
func (m Migrator) V2Reports() collections.Map[collections.Pair[string, uint64], types.Report] {
	sb := collections.NewSchemaBuilder(m.k.storeService)
	return collections.NewMap(sb, types.ReportsKey, "reports_v2",
		collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), codec.CollValue[types.Report](m.k.cdc))
}

func (m Migrator) V2ContractChanges() collections.Map[collections.Pair[string, uint64], types.ContractChange] {
	sb := collections.NewSchemaBuilder(m.k.storeService)
	return collections.NewMap(sb, types.ContractChangesKey, "contract_changes_v2",
		collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), codec.CollValue[types.ContractChange](m.k.cdc))
}

// Migrate2to3 moves reports and contract changes to version 3's layout
// (stored.go). Reports: without what their key holds; without orgs and
// validators equal to those of the report before them, or, for each
// subchain's first stored report, kept in FirstLists (ListsHolders names the
// others that hold their own); and without the new contracts their own
// changes hold. A report's own changes are the stored ones naming it, when
// numbered in a row (ownChangesOf, as a genesis import picks them): the
// report records their range, they hold only what it does not, leave the
// contract prune queue and are pruned with it. The other changes (version
// 1's, or those whose report was pruned) stay whole and queued. Reports go
// through storeReport and changes through storeContractChange, the write
// paths of new ones, in key order; the height index and the report prune
// queue do not change. It reads every report and change once, in key order,
// into memory before rewriting them: bounded by the store's size at the
// upgrade, which history_retention bounds.
func (m Migrator) Migrate2to3(ctx sdk.Context) error {
	var old []types.Report
	if err := m.V2Reports().Walk(ctx, nil, func(_ collections.Pair[string, uint64], r types.Report) (bool, error) {
		old = append(old, r)
		return false, nil
	}); err != nil {
		return err
	}
	var changes []types.ContractChange
	named := map[string][]types.ContractChange{}
	if err := m.V2ContractChanges().Walk(ctx, nil, func(_ collections.Pair[string, uint64], c types.ContractChange) (bool, error) {
		changes = append(changes, c)
		if c.ReportSequence != 0 {
			key := reportName(c.ChainId, c.ReportSequence)
			named[key] = append(named[key], c)
		}
		return false, nil
	}); err != nil {
		return err
	}
	var prev *types.Report
	for i, r := range old {
		if prev != nil && prev.ChainId != r.ChainId {
			prev = nil
		}
		if err := m.k.storeReport(ctx, r, prev, ownChangesOf(r, named[reportName(r.ChainId, r.Sequence)])); err != nil {
			return err
		}
		prev = &old[i]
	}
	for _, c := range changes {
		covered, err := m.k.coveredByReport(ctx, c.ChainId, c.Sequence, c.ReportSequence)
		if err != nil {
			return err
		}
		if covered {
			if err := m.k.ContractPruneQueue.Remove(ctx, collections.Join3(c.MainTime.UnixNano(), c.ChainId, c.Sequence)); err != nil {
				return err
			}
		}
		if err := m.k.storeContractChange(ctx, c, covered); err != nil {
			return err
		}
	}
	return nil
}

// V5ContractIndex is the contract index as versions 2 to 5 stored it, by
// contract address, under the prefix version 6 retires.
func (m Migrator) V5ContractIndex() collections.Map[collections.Pair[string, string], uint64] {
	sb := collections.NewSchemaBuilder(m.k.storeService)
	return collections.NewMap(sb, types.ContractIndexKey, "contract_index_v5",
		collections.PairKeyCodec(collections.StringKey, collections.StringKey), collections.Uint64Value)
}

// Migrate5to6 moves to version 6's layout (stored.go, contract_changes.go).
// A report whose orgs and validators differ from those of the report before
// it in validators' powers alone holds the powers alone; the reports that
// hold them whole are named in SetHolders. The contract index is keyed by a
// hash of the contract's address (ContractKey) under a new prefix, rebuilt
// from the stored changes as Migrate1to2 built it. It reads the reports
// ListsHolders names, each with the report before it, and every contract
// change, once, into memory before rewriting: bounded by the store's size
// at the upgrade, which history_retention bounds. Migrating twice changes
// nothing.
func (m Migrator) Migrate5to6(ctx sdk.Context) error {
	type holder struct {
		key   collections.Pair[string, uint64]
		s     types.StoredReport
		lists types.StoredLists
		form  listsForm
	}
	var holders []holder
	reader := &listsReader{k: m.k}
	if err := m.k.ListsHolders.Walk(ctx, nil, func(key collections.Pair[string, uint64]) (bool, error) {
		chainID, seq := key.K1(), key.K2()
		s, err := m.k.Reports.Get(ctx, key)
		if err != nil {
			return true, errorsmod.Wrapf(err, "lists holder %d of chain %s", seq, chainID)
		}
		lists, err := reader.held(ctx, chainID, seq, s)
		if err != nil {
			return true, err
		}
		prevSeq, prev, found, err := m.k.neighbour(ctx, chainID, seq, false)
		if err != nil {
			return true, err
		}
		if !found {
			return true, fmt.Errorf("lists holder %d of chain %s is its first stored report", seq, chainID)
		}
		prevLists, err := reader.held(ctx, chainID, prevSeq, prev)
		if err != nil {
			return true, err
		}
		holders = append(holders, holder{key: key, s: s, lists: lists, form: formAfter(prevLists, lists)})
		return false, nil
	}); err != nil {
		return err
	}
	for _, h := range holders {
		var err error
		switch h.form {
		case holdsLists:
			err = m.k.SetHolders.Set(ctx, h.key)
		case holdsPowers:
			err = m.k.Reports.Set(ctx, h.key, withForm(h.s, holdsPowers, h.lists))
		default:
			err = fmt.Errorf("lists holder %d of chain %s holds the lists of the report before it", h.key.K2(), h.key.K1())
		}
		if err != nil {
			return err
		}
	}

	type indexed struct {
		key collections.Pair[string, []byte]
		seq uint64
	}
	var index []indexed
	if err := m.k.ContractChanges.Walk(ctx, nil, func(key collections.Pair[string, uint64], c types.StoredContractChange) (bool, error) {
		// Walked by (chain, sequence): a contract's later change overwrites
		// an earlier one.
		index = append(index, indexed{ContractKey(key.K1(), c.Contract.Address), key.K2()})
		return false, nil
	}); err != nil {
		return err
	}
	if err := m.V5ContractIndex().Clear(ctx, nil); err != nil {
		return err
	}
	if err := m.k.ContractIndex.Clear(ctx, nil); err != nil {
		return err
	}
	for _, e := range index {
		if err := m.k.ContractIndex.Set(ctx, e.key, e.seq); err != nil {
			return err
		}
	}
	return nil
}

// Migrate6to7 leaves in the prune queue only the reports version 7 queues,
// the prune checkpoints (pruneCheckpoint): version 6 queued every report but
// each subchain's latest. Each report whose entry it takes out is pruned
// with the checkpoint after it, when that comes due (pruneThrough). It reads
// the queue once into memory, bounded by the reports stored at the upgrade,
// which history_retention bounds. Migrating twice changes nothing.
func (m Migrator) Migrate6to7(ctx sdk.Context) error {
	var drop []collections.Triple[int64, string, uint64]
	if err := m.k.PruneQueue.Walk(ctx, nil, func(key collections.Triple[int64, string, uint64]) (bool, error) {
		if !pruneCheckpoint(key.K3()) {
			drop = append(drop, key)
		}
		return false, nil
	}); err != nil {
		return err
	}
	for _, key := range drop {
		if err := m.k.PruneQueue.Remove(ctx, key); err != nil {
			return err
		}
	}
	return nil
}

// Migrate7to8 sets what each subchain's record keeps of its latest report
// (Subchain.latest: its lists' hash and counts and its contract count), which
// version 8 checks a report naming its lists by hash against instead of
// reading the report and its lists, and splits each record in two
// (SubchainStore: its status, rewritten by every report, and its info); it
// rewrites the sequences
// ReportsByHeight and ContractIndex hold, eight bytes each in version 7, as
// uvarints (collx.UvarintValue); and it rewrites each contract change, so
// that a bech32 contract address is held as its parts (changeCodec). It
// reads each subchain's latest report once (bounded by the subchains
// registered) and each index and the changes once into memory (bounded by
// the reports and contract changes stored, which history_retention bounds).
// Migrating twice changes nothing.
func (m Migrator) Migrate7to8(ctx sdk.Context) error {
	for _, index := range []collections.Prefix{types.ReportsByHeightKey, types.ContractIndexV6Key} {
		if err := m.uvarintValues(ctx, index); err != nil {
			return err
		}
	}
	if err := m.compactAddresses(ctx); err != nil {
		return err
	}
	// Version 7's records are whole under the status part's prefix (a
	// second run finds them split, and reads each whole again).
	var subs []types.Subchain
	if err := m.k.Subchains.Status.Walk(ctx, nil, func(id string, s types.Subchain) (bool, error) {
		if s.ChainId == "" {
			var err error
			if s, err = m.k.Subchains.withInfo(ctx, id, s); err != nil {
				return true, err
			}
		}
		subs = append(subs, s)
		return false, nil
	}); err != nil {
		return err
	}
	for _, s := range subs {
		if s.LastSequence > 0 {
			r, err := m.k.latestReport(ctx, s, false)
			if err != nil {
				return err
			}
			s.Latest = figuresOf(r.Snapshot)
		}
		if err := m.k.Subchains.Set(ctx, s.ChainId, s); err != nil {
			return err
		}
	}
	return nil
}

// uvarintValues rewrites each eight-byte big-endian value under an index's
// prefix as a uvarint. A value that reads as one uvarint already is left: no
// sequence reaches 2^63, the least eight-byte value whose bytes would.
func (m Migrator) uvarintValues(ctx sdk.Context, prefix collections.Prefix) error {
	sb := collections.NewSchemaBuilder(m.k.storeService)
	raw := collections.NewMap(sb, prefix, "raw", collections.BytesKey, collections.BytesValue)
	type entry struct {
		key []byte
		seq uint64
	}
	var old []entry
	if err := raw.Walk(ctx, nil, func(key, value []byte) (bool, error) {
		if _, err := collx.UvarintValue.Decode(value); err == nil {
			return false, nil
		}
		if len(value) != 8 {
			return true, fmt.Errorf("index %x: key %x holds %d bytes, neither a uvarint nor a uint64", prefix.Bytes(), key, len(value))
		}
		old = append(old, entry{key, binary.BigEndian.Uint64(value)})
		return false, nil
	}); err != nil {
		return err
	}
	for _, e := range old {
		if err := raw.Set(ctx, e.key, binary.AppendUvarint(nil, e.seq)); err != nil {
			return err
		}
	}
	return nil
}

// compactAddresses writes every contract change again through changeCodec,
// which reads version 7's values (the address as a string) as they are.
func (m Migrator) compactAddresses(ctx sdk.Context) error {
	it, err := m.k.ContractChanges.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	changes, err := it.KeyValues()
	if err != nil {
		return err
	}
	for _, c := range changes {
		if err := m.k.ContractChanges.Set(ctx, c.Key, c.Value); err != nil {
			return err
		}
	}
	return nil
}
