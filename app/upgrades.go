package app

import (
	"context"
	"slices"

	upgradetypes "cosmossdk.io/x/upgrade/types"

	"github.com/cosmos/cosmos-sdk/types/module"
)

// The software upgrades this binary applies, by the name of their plan. A
// node of an older binary halts at the plan's height ("UPGRADE NEEDED") and
// this one, started on the same home, applies it. Both chain kinds know
// every upgrade; a module that did not change has nothing to migrate.
const (
	// UpgradeContractIndex brings the collector to consensus version 2:
	// contract changes indexed by address. No store is added or removed.
	UpgradeContractIndex = "v2-contract-index"
	// UpgradeCompactHistory brings the collector to consensus version 3:
	// reports stored compact (docs/benchmarks.md, figure 6). No store is
	// added or removed: new prefixes in the collector's own.
	UpgradeCompactHistory = "v3-compact-history"
	// UpgradePromptReports brings the sidecar (statusreporter) to consensus
	// version 2: a new contract is reported from the block that created it.
	// Nothing is migrated; a subchain's nodes must switch at one height, as
	// the new EndBlocker sends packets at heights the old one did not.
	UpgradePromptReports = "v4-prompt-reports"
	// UpgradeListsByHash brings the collector to consensus version 4: a
	// report by tx may name the latest report's orgs and validators by their
	// hash. Nothing is migrated; a main chain's nodes must switch at one
	// height, as the old ones refuse such a transaction.
	UpgradeListsByHash = "v5-lists-by-hash"
	// UpgradeIBCListsByHash brings the collector to consensus version 5 and
	// the sidecar to version 3: a report over IBC names unchanged orgs and
	// validators by their hash. Nothing is migrated; each chain's nodes must
	// switch at one height (the collector's acknowledgements and the
	// sidecar's packets change), and either end may go first.
	UpgradeIBCListsByHash = "v6-ibc-lists-by-hash"
	// UpgradeCompactChanges brings the collector to consensus version 6: a
	// report whose validators' powers alone moved stores the powers alone,
	// and the contract index is keyed by a hash of the contract's address
	// (docs/benchmarks.md, figure 6). The store is migrated in place.
	UpgradeCompactChanges = "v7-compact-changes"
	// UpgradePruneCheckpoints brings the collector to consensus version 7: a
	// report over IBC finds its subchain through the subchain's record, and
	// only every eighth report of a subchain is queued for pruning, the
	// reports before it pruned with it (docs/benchmarks.md, figure 2). The
	// migration takes the other reports out of the prune queue.
	UpgradePruneCheckpoints = "v8-prune-checkpoints"
	// UpgradeLatestFigures brings the collector to consensus version 8: a
	// subchain's record keeps its latest report's lists hash and counts and
	// its contract count, so a report over IBC that names its lists by hash
	// reads neither that report nor its lists (docs/benchmarks.md, figure
	// 2). The migration sets them from each subchain's latest report.
	UpgradeLatestFigures = "v9-latest-figures"
)

// RehearsalUpgrade names one more plan this build applies, with the same
// handler as the others (the modules' registered migrations; none when no
// module changed). It is empty in a release build and set at link time
// (make build-upgrade: -X .../app.RehearsalUpgrade=<plan>) to rehearse an
// upgrade on a running network with a second build of the same code: the
// first build halts at the plan's height, the second applies it
// (scripts/faults/upgrade.sh).
var RehearsalUpgrade string

// registerUpgrades sets the upgrade handlers: each runs the modules'
// registered migrations from the versions the chain ran before.
func (app *App) registerUpgrades() {
	names := []string{UpgradeContractIndex, UpgradeCompactHistory, UpgradePromptReports, UpgradeListsByHash, UpgradeIBCListsByHash,
		UpgradeCompactChanges, UpgradePruneCheckpoints, UpgradeLatestFigures}
	if RehearsalUpgrade != "" && !slices.Contains(names, RehearsalUpgrade) {
		names = append(names, RehearsalUpgrade)
	}
	for _, name := range names {
		app.UpgradeKeeper.SetUpgradeHandler(name, func(ctx context.Context, _ upgradetypes.Plan, from module.VersionMap) (module.VersionMap, error) {
			return app.ModuleManager.RunMigrations(ctx, app.configurator, from)
		})
	}
}
