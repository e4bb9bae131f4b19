package app

import (
	"context"

	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"google.golang.org/grpc"

	errorsmod "cosmossdk.io/errors"

	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	wasmkeeper "github.com/CosmWasm/wasmd/x/wasm/keeper"
	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter"
	reporterkeeper "github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// reporterPlugin wires the statusreporter sidecar into a subchain.
type reporterPlugin struct{}

func (reporterPlugin) ModuleName() string                      { return reportertypes.ModuleName }
func (reporterPlugin) StoreKeys() []string                     { return []string{reportertypes.StoreKey} }
func (reporterPlugin) ModuleAccountPerms() map[string][]string { return nil }

func (reporterPlugin) Build(app *App) (module.AppModule, string, porttypes.IBCModule) {
	contracts := app.ContractSource()
	app.ReporterKeeper = reporterkeeper.NewKeeper(app.appCodec,
		runtime.NewKVStoreService(app.keys[reportertypes.StoreKey]),
		authtypes.NewModuleAddress(govtypes.ModuleName).String(),
		app.StakingKeeper, app.UpgradeKeeper, app.IBCKeeper.ChannelKeeper, contracts,
		app.IBCKeeper.ChannelKeeper, app.IBCKeeper.ConnectionKeeper, app.IBCKeeper.ClientKeeper)
	app.finalizeObservers = append(app.finalizeObservers, app.ReporterKeeper.CountTxs)
	app.contractObserver = func(ctx context.Context, c shared.Contract, created bool) error {
		if created {
			return app.ReporterKeeper.NoteNewContract(ctx, c)
		}
		return app.ReporterKeeper.NoteContract(ctx, c)
	}
	return reporter.NewAppModule(app.ReporterKeeper), shared.ReporterPortID, reporter.NewIBCModule(app.ReporterKeeper)
}

// wasmContracts is the reporter's view of x/wasm.
type wasmContracts struct{ k *wasmkeeper.Keeper }

// CountContracts walks x/wasm's contract infos. The reporter calls it once,
// at genesis; invariants call it too. x/wasm's own instance sequence cannot
// stand in for it: MsgInstantiateContract2 (predictable addresses) creates a
// contract without moving the sequence, and x/wasm keeps no count.
func (w wasmContracts) CountContracts(ctx context.Context) (uint64, error) {
	var n uint64
	w.k.IterateContractInfo(ctx, func(sdk.AccAddress, wasmtypes.ContractInfo) bool {
		n++
		return false
	})
	return n, nil
}

// ContractCountInvariant checks that a subchain's statusreporter counts the
// contracts x/wasm holds, in its counter and in the snapshot it would take
// now (reporterkeeper.ContractCountInvariant). It walks every contract: for
// tests and simulations, after each step. An app without the sidecar passes.
func ContractCountInvariant(ctx context.Context, app *App) error {
	if _, ok := app.ModuleManager.Modules[reportertypes.ModuleName]; !ok {
		return nil
	}
	return reporterkeeper.ContractCountInvariant(ctx, app.ReporterKeeper, app.ContractSource())
}

// ContractSource is the reporter's view of the chain's contract engine, nil
// on a chain without one.
func (app *App) ContractSource() reportertypes.ContractSource {
	if app.WasmKeeper == nil {
		return nil
	}
	return wasmContracts{app.WasmKeeper}
}

// contractNotingServer wraps wasm's Msg service to tell the reporter about
// every contract instantiated (created: counted) or migrated (not counted).
//
// It is the one door through which contracts are created after genesis in
// this app, which is what keeps the reporter's counter equal to x/wasm's
// contracts in O(1) per snapshot:
//   - transactions, and governance proposals (x/gov executes their messages
//     through the same Msg router), reach wasm's Msg service through it;
//   - contracts that create contracts (WasmMsg::Instantiate/Instantiate2, or
//     any Msg as a Stargate/Any message) dispatch through the same router;
//   - wasm's genesis imports contracts without it, and the reporter counts
//     those at its own genesis, which runs after wasm's;
//   - nothing else in the app holds a wasmkeeper.PermissionedKeeper or calls
//     the keeper's Instantiate directly, and x/gov has no legacy proposal
//     router for wasm's v1beta1 proposals.
//
// A module added later that instantiates through the keeper directly would
// bypass it: ContractCountInvariant catches that in tests.
type contractNotingServer struct {
	wasmtypes.MsgServer
	wasm *wasmkeeper.Keeper
	note func(ctx context.Context, c shared.Contract, created bool) error
}

func (s contractNotingServer) InstantiateContract(ctx context.Context, msg *wasmtypes.MsgInstantiateContract) (*wasmtypes.MsgInstantiateContractResponse, error) {
	res, err := s.MsgServer.InstantiateContract(ctx, msg)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, shared.Contract{Address: res.Address, CodeId: msg.CodeID, Label: msg.Label}, true)
}

func (s contractNotingServer) InstantiateContract2(ctx context.Context, msg *wasmtypes.MsgInstantiateContract2) (*wasmtypes.MsgInstantiateContract2Response, error) {
	res, err := s.MsgServer.InstantiateContract2(ctx, msg)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, shared.Contract{Address: res.Address, CodeId: msg.CodeID, Label: msg.Label}, true)
}

func (s contractNotingServer) StoreAndInstantiateContract(ctx context.Context, msg *wasmtypes.MsgStoreAndInstantiateContract) (*wasmtypes.MsgStoreAndInstantiateContractResponse, error) {
	res, err := s.MsgServer.StoreAndInstantiateContract(ctx, msg)
	if err != nil {
		return nil, err
	}
	c, err := s.contract(ctx, res.Address)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, c, true)
}

func (s contractNotingServer) MigrateContract(ctx context.Context, msg *wasmtypes.MsgMigrateContract) (*wasmtypes.MsgMigrateContractResponse, error) {
	res, err := s.MsgServer.MigrateContract(ctx, msg)
	if err != nil {
		return nil, err
	}
	c, err := s.contract(ctx, msg.Contract)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, c, false)
}

func (s contractNotingServer) StoreAndMigrateContract(ctx context.Context, msg *wasmtypes.MsgStoreAndMigrateContract) (*wasmtypes.MsgStoreAndMigrateContractResponse, error) {
	res, err := s.MsgServer.StoreAndMigrateContract(ctx, msg)
	if err != nil {
		return nil, err
	}
	c, err := s.contract(ctx, msg.Contract)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, c, false)
}

// contract is a contract as x/wasm holds it once a message has created or
// migrated it: its code id (a store-and-instantiate or store-and-migrate
// message does not name the code it stores) and its label. A migration keeps
// the label but its message does not carry it; the main chain records a
// contract's label, and the orgs' daemons report the real one, so a migration
// noted without it would reach the main chain as a change of label. The
// address is the engine's canonical form, the key a contract is pending under.
func (s contractNotingServer) contract(ctx context.Context, address string) (shared.Contract, error) {
	addr, err := sdk.AccAddressFromBech32(address)
	if err != nil {
		return shared.Contract{}, errorsmod.Wrapf(wasmtypes.ErrInvalid, "contract address %q: %s", address, err)
	}
	info := s.wasm.GetContractInfo(ctx, addr)
	if info == nil {
		return shared.Contract{}, errorsmod.Wrapf(wasmtypes.ErrNotFound, "contract %s is not in x/wasm after its message succeeded", address)
	}
	return shared.Contract{Address: addr.String(), CodeId: info.CodeID, Label: info.Label}, nil
}

// notingConfigurator hands modules a Msg registrar that wraps wasm's Msg
// service on its way into the router; everything else passes unchanged.
type notingConfigurator struct {
	module.Configurator
	wasm *wasmkeeper.Keeper
	note func(ctx context.Context, c shared.Contract, created bool) error
}

func (c notingConfigurator) MsgServer() gogogrpc.Server {
	return notingRegistrar{Server: c.Configurator.MsgServer(), wasm: c.wasm, note: c.note}
}

type notingRegistrar struct {
	gogogrpc.Server
	wasm *wasmkeeper.Keeper
	note func(ctx context.Context, c shared.Contract, created bool) error
}

// wasmMsgService is the full name of x/wasm's Msg service.
const wasmMsgService = "cosmwasm.wasm.v1.Msg"

func (r notingRegistrar) RegisterService(sd *grpc.ServiceDesc, impl any) {
	if inner, ok := impl.(wasmtypes.MsgServer); ok && sd.ServiceName == wasmMsgService {
		impl = contractNotingServer{MsgServer: inner, wasm: r.wasm, note: r.note}
	}
	r.Server.RegisterService(sd, impl)
}
