package simulation_test

import (
	"encoding/json"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/simulation"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// Every seed's random genesis validates and names a simulation account as
// the admin.
func TestRandomizedGenState(t *testing.T) {
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	for seed := int64(0); seed < 200; seed++ {
		r := rand.New(rand.NewSource(seed))
		accs := simtypes.RandomAccounts(r, 3)
		simState := &module.SimulationState{Cdc: cdc, Rand: r, Accounts: accs, GenState: map[string]json.RawMessage{}}
		simulation.RandomizedGenState(simState)
		var gs types.GenesisState
		cdc.MustUnmarshalJSON(simState.GenState[types.ModuleName], &gs)
		require.NoError(t, gs.Validate(), "seed %d", seed)
		require.Contains(t, []string{accs[0].Address.String(), accs[1].Address.String(), accs[2].Address.String()}, gs.Params.Admin)
	}
}
