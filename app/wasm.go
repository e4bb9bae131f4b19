package app

import (
	"fmt"

	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"
	ibcapi "github.com/cosmos/ibc-go/v10/modules/core/api"

	"github.com/cosmos/cosmos-sdk/runtime"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/CosmWasm/wasmd/x/wasm"
	wasmkeeper "github.com/CosmWasm/wasmd/x/wasm/keeper"
	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"
)

// wireWasm creates the wasm keeper and adds the contracts' IBC routes. It runs
// after the IBC and transfer keepers exist, since contracts may use both.
func (app *App) wireWasm(wasmDir string, appOpts servertypes.AppOptions, router *porttypes.Router, routerV2 *ibcapi.Router) *wasmtypes.NodeConfig {
	nodeConfig, err := wasm.ReadNodeConfig(appOpts)
	if err != nil {
		panic(fmt.Sprintf("reading wasm node config: %s", err))
	}
	k := wasmkeeper.NewKeeper(
		app.appCodec,
		runtime.NewKVStoreService(app.keys[wasmtypes.StoreKey]),
		app.AccountKeeper,
		app.BankKeeper,
		app.StakingKeeper,
		distrkeeper.NewQuerier(app.DistrKeeper),
		app.IBCKeeper.ChannelKeeper,
		app.IBCKeeper.ChannelKeeper,
		app.IBCKeeper.ChannelKeeperV2,
		app.TransferKeeper,
		app.MsgServiceRouter(),
		app.GRPCQueryRouter(),
		wasmDir,
		nodeConfig,
		wasmtypes.VMConfig{},
		wasmkeeper.BuiltInCapabilities(),
		authtypes.NewModuleAddress(govtypes.ModuleName).String(),
	)
	app.WasmKeeper = &k
	router.AddRoute(wasmtypes.ModuleName,
		wasm.NewIBCHandler(k, app.IBCKeeper.ChannelKeeper, app.TransferKeeper, app.IBCKeeper.ChannelKeeper))
	routerV2.AddPrefixRoute(wasmkeeper.PortIDPrefixV2, wasmkeeper.NewIBC2Handler(k))
	return &nodeConfig
}

func (app *App) wasmModule() module.AppModule {
	return wasm.NewAppModule(app.appCodec, app.WasmKeeper, app.StakingKeeper, app.AccountKeeper,
		app.BankKeeper, app.MsgServiceRouter(), nil)
}

// registerWasmSnapshotter lets state-sync snapshots carry the contract code,
// which lives outside the IAVL store.
func (app *App) registerWasmSnapshotter() {
	if manager := app.SnapshotManager(); manager != nil {
		if err := manager.RegisterExtensions(wasmkeeper.NewWasmSnapshotter(app.CommitMultiStore(), app.WasmKeeper)); err != nil {
			panic(fmt.Errorf("registering wasm snapshot extension: %w", err))
		}
	}
}
