// Package reporter is the subchain's statusreporter sidecar: it snapshots its
// own chain every report_interval blocks, reports over the IBC status channel
// to the main chain, and keeps what was not acknowledged for the next report.
package reporter

import (
	"context"
	"encoding/json"
	"fmt"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"

	"cosmossdk.io/core/appmodule"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/simx"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/simulation"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// ConsensusVersion is bumped with every change of the state machine. 2: a
// new contract leaves in a report of the block that created it, between
// snapshot heights (keeper.EndBlocker); the store is unchanged. 3: a report
// names unchanged orgs and validators by their hash to a main chain that
// takes that (keeper.listsByHash); the link gains a field, unset until the
// main chain's next acknowledgement.
const ConsensusVersion = 3

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ module.AppModuleSimulation = AppModule{}
	_ appmodule.AppModule        = AppModule{}
	_ appmodule.HasEndBlocker    = AppModule{}
)

// AppModule is the reporter module.
type AppModule struct{ keeper keeper.Keeper }

// NewAppModule returns the module.
func NewAppModule(k keeper.Keeper) AppModule { return AppModule{keeper: k} }

func (AppModule) IsAppModule()        {}
func (AppModule) IsOnePerModuleType() {}

// Name returns the module name.
func (AppModule) Name() string { return types.ModuleName }

// RegisterLegacyAminoCodec is a no-op: the module signs with protobuf only.
func (AppModule) RegisterLegacyAminoCodec(*codec.LegacyAmino) {}

// RegisterInterfaces registers the module's messages.
func (AppModule) RegisterInterfaces(reg codectypes.InterfaceRegistry) { types.RegisterInterfaces(reg) }

// RegisterGRPCGatewayRoutes serves the queries over REST.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// RegisterServices registers the tx and query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQuerier(am.keeper))
	// Version 2 changes when reports are sent, not what is stored: the
	// upgrade's only work is to make every node switch at one height.
	if err := cfg.RegisterMigration(types.ModuleName, 1, func(sdk.Context) error { return nil }); err != nil {
		panic(err) // a wiring mistake, found at start
	}
	// Version 3 changes what a packet holds, not the store: the same switch.
	if err := cfg.RegisterMigration(types.ModuleName, 2, func(sdk.Context) error { return nil }); err != nil {
		panic(err)
	}
}

// DefaultGenesis returns the default genesis.
func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

// ValidateGenesis checks a genesis.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var gs types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &gs); err != nil {
		return fmt.Errorf("decoding %s genesis: %w", types.ModuleName, err)
	}
	return gs.Validate()
}

// InitGenesis loads the genesis; a bad genesis file stops the node.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var gs types.GenesisState
	cdc.MustUnmarshalJSON(bz, &gs)
	if err := gs.Validate(); err != nil {
		panic(fmt.Errorf("%s genesis: %w", types.ModuleName, err))
	}
	if err := am.keeper.InitGenesis(ctx, gs); err != nil {
		panic(fmt.Errorf("%s genesis: %w", types.ModuleName, err))
	}
}

// ExportGenesis exports the state.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	gs, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Errorf("%s export: %w", types.ModuleName, err))
	}
	return cdc.MustMarshalJSON(gs)
}

// EndBlock takes and sends the periodic snapshot.
func (am AppModule) EndBlock(ctx context.Context) error { return am.keeper.EndBlocker(ctx) }

// ConsensusVersion returns the module's consensus version.
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

// GenerateGenesisState writes a random genesis for the SDK simulator.
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder registers the decoder that prints both sides of a
// store entry the import/export comparison finds different.
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simx.StoreDecoder(am.keeper.Schema)
}

// WeightedOperations is the simulator's legacy interface; the module's
// operations are its message factories (WeightedOperationsX).
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation { return nil }

// ProposalMsgsX registers the module's governance proposal payloads with
// the simulator.
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	simulation.RegisterProposalFactories(weights, reg, keeper.NewQuerier(am.keeper))
}

// WeightedOperationsX registers the module's message factories with the
// simulator.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	simulation.RegisterFactories(weights, reg, keeper.NewQuerier(am.keeper))
}
