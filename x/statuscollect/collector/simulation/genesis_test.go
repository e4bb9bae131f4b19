package simulation_test

import (
	"encoding/json"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/simulation"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// Every seed's random genesis validates, names simulation accounts as the
// admin and the orgs' admins, and gives subchains, orgs and memberships.
func TestRandomizedGenState(t *testing.T) {
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	for seed := int64(0); seed < 200; seed++ {
		r := rand.New(rand.NewSource(seed))
		accs := simtypes.RandomAccounts(r, 5)
		simState := &module.SimulationState{
			Cdc: cdc, Rand: r, Accounts: accs, GenState: map[string]json.RawMessage{},
			BondDenom: "stake", InitialStake: sdkmath.NewInt(1_000_000_000),
		}
		simulation.RandomizedGenState(simState)
		var gs types.GenesisState
		cdc.MustUnmarshalJSON(simState.GenState[types.ModuleName], &gs)
		require.NoError(t, gs.Validate(), "seed %d", seed)
		isAccount := func(addr string) bool {
			for _, a := range accs {
				if a.Address.String() == addr {
					return true
				}
			}
			return false
		}
		require.True(t, isAccount(gs.Params.Admin), "seed %d: admin %s", seed, gs.Params.Admin)
		require.NotEmpty(t, gs.Subchains, "seed %d", seed)
		require.NotEmpty(t, gs.Orgs, "seed %d", seed)
		for _, o := range gs.Orgs {
			require.True(t, isAccount(o.Admin), "seed %d: org %s admin", seed, o.Id)
		}
		require.Equal(t, "stake", gs.Params.DisputeDeposit.Denom)
	}
}
