// Package apptesting builds in-process statuscollect chains for tests: app
// creators for ibc-go's testing package, and a coordinator holding one main
// chain and any number of subchains.
package apptesting

import (
	"encoding/json"
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"cosmossdk.io/log"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/statuscollect/statuscollect/app"
)

// Chain ids of the in-process network. They carry a revision number, as
// 07-tendermint clients expect.
const (
	MainChainID = "mainchain-1"
	SubChainAID = "subchain-a-1"
	SubChainBID = "subchain-b-1"
)

// NewAppCreator returns an ibctesting.AppCreator for a profile. Each app gets
// its own in-memory database and a home directory that the test removes
// (the wasm VM keeps its code cache there).
func NewAppCreator(tb testing.TB, profile app.Profile) ibctesting.AppCreator {
	tb.Helper()
	return func() (ibctesting.TestingApp, map[string]json.RawMessage) {
		a := NewApp(tb, profile)
		return a, a.DefaultGenesis()
	}
}

// NewApp builds one app of a profile on an in-memory database.
func NewApp(tb testing.TB, profile app.Profile) *app.App {
	tb.Helper()
	return app.New(profile, log.NewNopLogger(), dbm.NewMemDB(), nil, true,
		simtestutil.NewAppOptionsWithFlagHome(tb.TempDir()))
}

// NewCoordinator returns a coordinator with one main chain (MainChainID) and
// the given subchains, all built from their profiles.
func NewCoordinator(t *testing.T, main app.Profile, sub app.Profile, subChainIDs ...string) *ibctesting.Coordinator {
	t.Helper()
	coord := ibctesting.NewCoordinator(t, 0)
	coord.Chains[MainChainID] = ibctesting.NewCustomAppTestChain(t, coord, MainChainID, NewAppCreator(t, main))
	for _, id := range subChainIDs {
		coord.Chains[id] = ibctesting.NewCustomAppTestChain(t, coord, id, NewAppCreator(t, sub))
	}
	return coord
}

// App returns the statuscollect app behind a test chain.
func App(chain *ibctesting.TestChain) *app.App {
	a, ok := chain.App.(*app.App)
	if !ok {
		chain.TB.Fatalf("chain %s does not run a statuscollect app", chain.ChainID)
	}
	return a
}
