package keeper

import (
	"cosmossdk.io/collections"

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
