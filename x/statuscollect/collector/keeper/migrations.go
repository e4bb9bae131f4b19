package keeper

import (
	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// Migrator moves the collector's store from one consensus version to the
// next. Each step reads only the layout it starts from.
type Migrator struct{ k Keeper }

// NewMigrator returns the collector's migrator.
func NewMigrator(k Keeper) Migrator { return Migrator{k: k} }

// Migrate1to2 adds the by-address index of contract changes (ContractIndex),
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
		return false, m.k.ContractIndex.Set(ctx, collections.Join(key.K1(), c.Contract.Address), key.K2())
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
