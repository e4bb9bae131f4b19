package app

import (
	"context"

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
)

// registerUpgrades sets the upgrade handlers: each runs the modules'
// registered migrations from the versions the chain ran before.
func (app *App) registerUpgrades() {
	for _, name := range []string{UpgradeContractIndex} {
		app.UpgradeKeeper.SetUpgradeHandler(name, func(ctx context.Context, _ upgradetypes.Plan, from module.VersionMap) (module.VersionMap, error) {
			return app.ModuleManager.RunMigrations(ctx, app.configurator, from)
		})
	}
}
