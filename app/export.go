package app

import (
	"encoding/json"
	"errors"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
)

// ErrZeroHeightExport is returned for `export --for-zero-height`, which this
// app does not implement: it would rewrite distribution and staking state to
// restart a network from height zero, a migration path no statuscollect
// network needs yet.
var ErrZeroHeightExport = errors.New("export --for-zero-height is not supported; export at the current height instead")

// ExportAppStateAndValidators exports the state at the last committed height
// as a genesis that a new chain (or `init` of a new node) can start from.
func (app *App) ExportAppStateAndValidators(forZeroHeight bool, _ []string, modulesToExport []string) (servertypes.ExportedApp, error) {
	if forZeroHeight {
		return servertypes.ExportedApp{}, ErrZeroHeightExport
	}
	ctx := app.NewContextLegacy(true, cmtproto.Header{Height: app.LastBlockHeight()})
	genState, err := app.ModuleManager.ExportGenesisForModules(ctx, app.appCodec, modulesToExport)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	// Compact on purpose: indenting would also re-indent raw JSON kept in state
	// (CosmWasm stores each contract's instantiate message verbatim), and the
	// imported chain would then hold different bytes than the exported one.
	appState, err := json.Marshal(genState)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	validators, err := staking.WriteValidators(ctx, app.StakingKeeper)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	return servertypes.ExportedApp{
		AppState:   appState,
		Validators: validators,
		// CometBFT starts the new chain at the height after the last committed one.
		Height:          app.LastBlockHeight() + 1,
		ConsensusParams: app.GetConsensusParams(ctx),
	}, nil
}
