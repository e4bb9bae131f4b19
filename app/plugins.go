package app

import (
	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	collectorkeeper "github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// collectorPlugin wires the statuscollect collector into the main chain.
type collectorPlugin struct{}

func (collectorPlugin) ModuleName() string  { return collectortypes.ModuleName }
func (collectorPlugin) StoreKeys() []string { return []string{collectortypes.StoreKey} }

// ModuleAccountPerms: the collector escrows dispute deposits and burns forfeited ones.
func (collectorPlugin) ModuleAccountPerms() map[string][]string {
	return map[string][]string{collectortypes.ModuleName: {authtypes.Burner}}
}

func (collectorPlugin) Build(app *App) (module.AppModule, string, porttypes.IBCModule) {
	app.CollectorKeeper = collectorkeeper.NewKeeper(app.appCodec,
		runtime.NewKVStoreService(app.keys[collectortypes.StoreKey]),
		authtypes.NewModuleAddress(govtypes.ModuleName).String(), app.BankKeeper,
		app.IBCKeeper.ConnectionKeeper, app.IBCKeeper.ChannelKeeper, app.IBCKeeper.ClientKeeper)
	return collector.NewAppModule(app.CollectorKeeper), shared.CollectorPortID, collector.NewIBCModule(app.CollectorKeeper)
}
