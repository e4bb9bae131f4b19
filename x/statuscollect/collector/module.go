// Package collector is the main chain's statuscollect module: the registry of
// subchains and organizations, org-based write permissions, status reports,
// change events, history and liveness.
package collector

import (
	"context"
	"encoding/json"
	"fmt"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/spf13/cobra"

	"cosmossdk.io/core/appmodule"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/client/cli"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/simulation"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	"github.com/statuscollect/statuscollect/x/statuscollect/internal/simx"
)

// ConsensusVersion is bumped with every state migration. 2: contract
// changes indexed by address (keeper.Migrator.Migrate1to2). 3: reports
// stored compact (keeper.Migrator.Migrate2to3). 4: a report by tx may name
// the latest report's lists by their hash (MsgSubmitStatus.lists_hash); the
// store is unchanged. 5: so may a report over IBC (StatusReport.lists_hash),
// and a report's acknowledgement says so (takes_lists_hash); the store is
// unchanged. 6: a report whose validators' powers alone moved stores the
// powers alone, and the contract index is keyed by a hash of the address
// (keeper.Migrator.Migrate5to6). 7: a report's subchain is found through
// its record on the IBC door, and only every eighth report of a subchain is
// queued for pruning, the reports before it pruned with it
// (keeper.Migrator.Migrate6to7). 8: a subchain's record keeps its latest
// report's lists hash and counts and its contract count, so a report over
// IBC naming its lists by hash reads neither the latest report nor its lists
// (keeper.Migrator.Migrate7to8).
const ConsensusVersion = 8

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ module.AppModuleSimulation = AppModule{}
	_ appmodule.AppModule        = AppModule{}
	_ appmodule.HasEndBlocker    = AppModule{}
)

// AppModule is the collector module.
type AppModule struct {
	keeper keeper.Keeper
}

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

// GetQueryCmd is `query statuscollect`: its hand-written commands (a table
// for the overview); autocli adds the others from the service.
func (AppModule) GetQueryCmd() *cobra.Command { return cli.QueryCmd() }

// RegisterGRPCGatewayRoutes serves the queries over REST.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// RegisterServices registers the tx and query services and the store
// migrations.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQuerier(am.keeper))
	if err := cfg.RegisterMigration(types.ModuleName, 1, keeper.NewMigrator(am.keeper).Migrate1to2); err != nil {
		panic(err) // a wiring mistake, found at start
	}
	if err := cfg.RegisterMigration(types.ModuleName, 2, keeper.NewMigrator(am.keeper).Migrate2to3); err != nil {
		panic(err)
	}
	// Version 4 takes a message field version 3 refuses, and stores the same:
	// the upgrade's only work is to make every node switch at one height.
	if err := cfg.RegisterMigration(types.ModuleName, 3, func(sdk.Context) error { return nil }); err != nil {
		panic(err)
	}
	// Version 5 takes a packet field version 4 ignores and acknowledges
	// reports with one more field: the same switch at one height.
	if err := cfg.RegisterMigration(types.ModuleName, 4, func(sdk.Context) error { return nil }); err != nil {
		panic(err)
	}
	if err := cfg.RegisterMigration(types.ModuleName, 5, keeper.NewMigrator(am.keeper).Migrate5to6); err != nil {
		panic(err)
	}
	if err := cfg.RegisterMigration(types.ModuleName, 6, keeper.NewMigrator(am.keeper).Migrate6to7); err != nil {
		panic(err)
	}
	if err := cfg.RegisterMigration(types.ModuleName, 7, keeper.NewMigrator(am.keeper).Migrate7to8); err != nil {
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

// InitGenesis loads the genesis. Genesis is validated before InitChain, so a
// failure here is a broken genesis file and stopping the node is right.
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

// EndBlock runs the liveness checks and history pruning.
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
