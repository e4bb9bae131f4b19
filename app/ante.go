package app

import (
	"fmt"

	ibcante "github.com/cosmos/ibc-go/v10/modules/core/ante"

	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"

	wasmkeeper "github.com/CosmWasm/wasmd/x/wasm/keeper"
	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"
)

// newAnteHandler builds the SDK's standard ante chain, with the wasm
// decorators in front when the profile has CosmWasm and IBC's redundant-relay
// check at the end (so relayers racing each other don't pay for no-ops).
func (app *App) newAnteHandler(wasmCfg *wasmtypes.NodeConfig) sdk.AnteHandler {
	decorators := []sdk.AnteDecorator{ante.NewSetUpContextDecorator()}
	if wasmCfg != nil {
		decorators = append(decorators,
			wasmkeeper.NewLimitSimulationGasDecorator(wasmCfg.SimulationGasLimit),
			wasmkeeper.NewCountTXDecorator(runtime.NewKVStoreService(app.keys[wasmtypes.StoreKey])),
			wasmkeeper.NewGasRegisterDecorator(app.WasmKeeper.GetGasRegister()),
			wasmkeeper.NewTxContractsDecorator(),
		)
	}
	signModeHandler := app.txConfig.SignModeHandler()
	if signModeHandler == nil {
		panic(fmt.Errorf("app %s: tx config has no sign mode handler", app.Name()))
	}
	decorators = append(decorators,
		ante.NewExtensionOptionsDecorator(nil),
		ante.NewValidateBasicDecorator(),
		ante.NewTxTimeoutHeightDecorator(),
		ante.NewValidateMemoDecorator(app.AccountKeeper),
		ante.NewConsumeGasForTxSizeDecorator(app.AccountKeeper),
		ante.NewDeductFeeDecorator(app.AccountKeeper, app.BankKeeper, nil, nil),
		ante.NewSetPubKeyDecorator(app.AccountKeeper),
		ante.NewValidateSigCountDecorator(app.AccountKeeper),
		ante.NewSigGasConsumeDecorator(app.AccountKeeper, ante.DefaultSigVerificationGasConsumer),
		ante.NewSigVerificationDecorator(app.AccountKeeper, signModeHandler),
		ante.NewIncrementSequenceDecorator(app.AccountKeeper),
		ibcante.NewRedundantRelayDecorator(app.IBCKeeper),
	)
	return sdk.ChainAnteDecorators(decorators...)
}
