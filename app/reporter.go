package app

import (
	"context"

	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"google.golang.org/grpc"

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
	var contracts reportertypes.ContractSource
	if app.WasmKeeper != nil {
		contracts = wasmContracts{app.WasmKeeper}
	}
	app.ReporterKeeper = reporterkeeper.NewKeeper(app.appCodec,
		runtime.NewKVStoreService(app.keys[reportertypes.StoreKey]),
		authtypes.NewModuleAddress(govtypes.ModuleName).String(),
		app.StakingKeeper, app.UpgradeKeeper, app.IBCKeeper.ChannelKeeper, contracts,
		app.IBCKeeper.ChannelKeeper, app.IBCKeeper.ConnectionKeeper, app.IBCKeeper.ClientKeeper)
	app.finalizeObservers = append(app.finalizeObservers, app.ReporterKeeper.CountTxs)
	app.contractObserver = app.ReporterKeeper.NoteContract
	return reporter.NewAppModule(app.ReporterKeeper), shared.ReporterPortID, reporter.NewIBCModule(app.ReporterKeeper)
}

// wasmContracts is the reporter's view of x/wasm.
type wasmContracts struct{ k *wasmkeeper.Keeper }

// ContractCount is the number of contract instances created: wasm numbers
// them from 1 and never deletes one, so the next instance id tells the count
// in one read.
func (w wasmContracts) ContractCount(ctx context.Context) (uint64, error) {
	next, err := w.k.PeekAutoIncrementID(ctx, wasmtypes.KeySequenceInstanceID)
	if err != nil {
		return 0, err
	}
	return next - 1, nil
}

// contractNotingServer wraps wasm's Msg service to tell the reporter about
// every contract instantiated or migrated. Contracts that instantiate other
// contracts dispatch MsgInstantiateContract through the same router, so they
// are seen too.
type contractNotingServer struct {
	wasmtypes.MsgServer
	wasm *wasmkeeper.Keeper
	note func(context.Context, shared.Contract) error
}

func (s contractNotingServer) InstantiateContract(ctx context.Context, msg *wasmtypes.MsgInstantiateContract) (*wasmtypes.MsgInstantiateContractResponse, error) {
	res, err := s.MsgServer.InstantiateContract(ctx, msg)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, shared.Contract{Address: res.Address, CodeId: msg.CodeID, Label: msg.Label})
}

func (s contractNotingServer) InstantiateContract2(ctx context.Context, msg *wasmtypes.MsgInstantiateContract2) (*wasmtypes.MsgInstantiateContract2Response, error) {
	res, err := s.MsgServer.InstantiateContract2(ctx, msg)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, shared.Contract{Address: res.Address, CodeId: msg.CodeID, Label: msg.Label})
}

func (s contractNotingServer) StoreAndInstantiateContract(ctx context.Context, msg *wasmtypes.MsgStoreAndInstantiateContract) (*wasmtypes.MsgStoreAndInstantiateContractResponse, error) {
	res, err := s.MsgServer.StoreAndInstantiateContract(ctx, msg)
	if err != nil {
		return nil, err
	}
	var codeID uint64
	if addr, err := sdk.AccAddressFromBech32(res.Address); err == nil {
		if info := s.wasm.GetContractInfo(ctx, addr); info != nil {
			codeID = info.CodeID
		}
	}
	return res, s.note(ctx, shared.Contract{Address: res.Address, CodeId: codeID, Label: msg.Label})
}

func (s contractNotingServer) MigrateContract(ctx context.Context, msg *wasmtypes.MsgMigrateContract) (*wasmtypes.MsgMigrateContractResponse, error) {
	res, err := s.MsgServer.MigrateContract(ctx, msg)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, shared.Contract{Address: msg.Contract, CodeId: msg.CodeID})
}

func (s contractNotingServer) StoreAndMigrateContract(ctx context.Context, msg *wasmtypes.MsgStoreAndMigrateContract) (*wasmtypes.MsgStoreAndMigrateContractResponse, error) {
	res, err := s.MsgServer.StoreAndMigrateContract(ctx, msg)
	if err != nil {
		return nil, err
	}
	return res, s.note(ctx, shared.Contract{Address: msg.Contract, CodeId: res.CodeID})
}

// notingConfigurator hands modules a Msg registrar that wraps wasm's Msg
// service on its way into the router; everything else passes unchanged.
type notingConfigurator struct {
	module.Configurator
	wasm *wasmkeeper.Keeper
	note func(context.Context, shared.Contract) error
}

func (c notingConfigurator) MsgServer() gogogrpc.Server {
	return notingRegistrar{Server: c.Configurator.MsgServer(), wasm: c.wasm, note: c.note}
}

type notingRegistrar struct {
	gogogrpc.Server
	wasm *wasmkeeper.Keeper
	note func(context.Context, shared.Contract) error
}

// wasmMsgService is the full name of x/wasm's Msg service.
const wasmMsgService = "cosmwasm.wasm.v1.Msg"

func (r notingRegistrar) RegisterService(sd *grpc.ServiceDesc, impl any) {
	if inner, ok := impl.(wasmtypes.MsgServer); ok && sd.ServiceName == wasmMsgService {
		impl = contractNotingServer{MsgServer: inner, wasm: r.wasm, note: r.note}
	}
	r.Server.RegisterService(sd, impl)
}
