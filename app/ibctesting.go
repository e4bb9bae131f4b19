package app

import (
	ibckeeper "github.com/cosmos/ibc-go/v10/modules/core/keeper"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
)

// These accessors make App an ibc-go testing.TestingApp, so in-process tests
// can hold a main-chain app and subchain apps in one coordinator.

// GetBaseApp returns the base app.
func (app *App) GetBaseApp() *baseapp.BaseApp { return app.BaseApp }

// GetIBCKeeper returns the IBC core keeper.
func (app *App) GetIBCKeeper() *ibckeeper.Keeper { return app.IBCKeeper }

// GetTxConfig returns the tx config.
func (app *App) GetTxConfig() client.TxConfig { return app.txConfig }
