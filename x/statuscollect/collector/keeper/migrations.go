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
	return m.k.ContractChanges.Walk(ctx, nil, func(key collections.Pair[string, uint64], c types.ContractChange) (bool, error) {
		// Walked by (chain, sequence): a contract's later change overwrites
		// an earlier one.
		return false, m.k.ContractIndex.Set(ctx, collections.Join(key.K1(), c.Contract.Address), key.K2())
	})
}

// v2Reports is the reports' collection as version 2 stored it: whole
// types.Report values under the same prefix.
func (m Migrator) v2Reports() collections.Map[collections.Pair[string, uint64], types.Report] {
	sb := collections.NewSchemaBuilder(m.k.storeService)
	return collections.NewMap(sb, types.ReportsKey, "reports_v2",
		collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), codec.CollValue[types.Report](m.k.cdc))
}

// Migrate2to3 moves reports to version 3's layout (types.StoredReport, see
// stored.go): without what their key holds, and without orgs and validators
// equal to those of the report before them, or, for each subchain's first
// stored report, kept in FirstLists; ListsHolders names the others that hold
// their own. Each report goes through storeReport, the write path of new
// reports, in order of chain and sequence; the height index and the prune
// queue do not change. It reads every report once, in key order, into
// memory before rewriting them: bounded by the store's size at the upgrade,
// which history_retention bounds.
func (m Migrator) Migrate2to3(ctx sdk.Context) error {
	var old []types.Report
	if err := m.v2Reports().Walk(ctx, nil, func(_ collections.Pair[string, uint64], r types.Report) (bool, error) {
		old = append(old, r)
		return false, nil
	}); err != nil {
		return err
	}
	var prev *types.Report
	for i, r := range old {
		if prev != nil && (prev.ChainId != r.ChainId || prev.Sequence+1 != r.Sequence) {
			prev = nil // another subchain, or a gap
		}
		if err := m.k.storeReport(ctx, r, prev); err != nil {
			return err
		}
		prev = &old[i]
	}
	return nil
}
