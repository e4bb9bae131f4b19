package app

import (
	"encoding/json"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// GenesisState is the app state of a genesis file, by module name.
type GenesisState map[string]json.RawMessage

// DefaultGenesis returns every module's default genesis, with the profile's
// denom as the staking, governance deposit and dispute deposit denom, so that `init` makes a
// genesis a user can start without editing denoms by hand.
func (app *App) DefaultGenesis() GenesisState {
	gen := app.BasicModuleManager.DefaultGenesis(app.appCodec)
	denom := app.profile.BondDenom

	stakingGen := stakingtypes.DefaultGenesisState()
	stakingGen.Params.BondDenom = denom
	gen[stakingtypes.ModuleName] = app.appCodec.MustMarshalJSON(stakingGen)

	govGen := govv1.DefaultGenesisState()
	govGen.Params.MinDeposit = sdk.NewCoins(sdk.NewCoin(denom, sdkmath.NewInt(10_000_000)))
	govGen.Params.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(denom, sdkmath.NewInt(50_000_000)))
	gen[govtypes.ModuleName] = app.appCodec.MustMarshalJSON(govGen)

	if _, ok := gen[collectortypes.ModuleName]; ok {
		collectorGen := collectortypes.DefaultGenesis()
		collectorGen.Params.DisputeDeposit.Denom = denom
		gen[collectortypes.ModuleName] = app.appCodec.MustMarshalJSON(collectorGen)
	}
	return gen
}
