package app

import (
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
)

// newSimulationManager gathers every module the Cosmos SDK simulator can
// drive: each module of the app that implements AppModuleSimulation (the
// SDK's, IBC's, x/wasm's on a subchain, and the profile's statuscollect
// module), in name order so that a seed replays the same run. Auth is given
// the genesis accounts function the app's own auth module is built without,
// and gov proposes no legacy (v1beta1) content (simGov).
func (app *App) newSimulationManager() *module.SimulationManager {
	sm := module.NewSimulationManagerFromAppModules(app.ModuleManager.Modules, map[string]module.AppModuleSimulation{
		authtypes.ModuleName: auth.NewAppModule(app.appCodec, app.AccountKeeper, simGenesisAccounts, nil),
		govtypes.ModuleName:  simGov{app.ModuleManager.Modules[govtypes.ModuleName].(gov.AppModule)},
	})
	sm.RegisterStoreDecoders()
	return sm
}

// SimulationManager returns the app's simulation manager, for the SDK
// simulator (app/sim_sdk_test.go).
func (app *App) SimulationManager() *module.SimulationManager { return app.sm }

// BlockedAddresses returns the module accounts that may not receive funds
// by a send; the simulator leaves them out of its accounts.
func (app *App) BlockedAddresses() map[string]bool { return app.blockedAddresses() }

// simGenesisAccounts makes a plain account of every simulation account. The
// SDK's default (x/auth/simulation.RandomGenesisAccounts) makes some vesting
// accounts, a type this app does not register: it has no x/auth/vesting.
func simGenesisAccounts(simState *module.SimulationState) authtypes.GenesisAccounts {
	accs := make(authtypes.GenesisAccounts, len(simState.Accounts))
	for i, acc := range simState.Accounts {
		accs[i] = authtypes.NewBaseAccountWithAddress(acc.Address)
	}
	return accs
}

// simGov is x/gov for the simulator without its legacy content proposals.
// The app wires gov without a legacy (v1beta1) proposal router, so a
// MsgExecLegacyContent, which the simulator's "legacy_text_proposal"
// operation proposes, is refused (as a recovered panic in gov's Msg server):
// a legacy proposal cannot pass on this chain, and the simulator, which
// takes any refused Msg for a broken factory, would stop there.
type simGov struct{ gov.AppModule }

func (g simGov) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry, proposals simsx.WeightedProposalMsgIter,
	_ []simtypes.WeightedProposalContent, //nolint:staticcheck // the legacy type is the signature's
) {
	noLegacy := simsx.WeightSourceFn(func(name string, def uint32) uint32 {
		if name == "legacy_text_proposal" {
			return 0
		}
		return weights.Get(name, def)
	})
	g.AppModule.WeightedOperationsX(noLegacy, reg, proposals, nil)
}
