// Package apptesting builds in-process statuscollect chains for tests: app
// creators for ibc-go's testing package, and a coordinator holding one main
// chain and any number of subchains.
package apptesting

import (
	"encoding/json"
	"testing"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
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
// the given subchains, all built from their profiles. It takes any
// testing.TB, so benchmarks can build a network too.
func NewCoordinator(tb testing.TB, main app.Profile, sub app.Profile, subChainIDs ...string) *ibctesting.Coordinator {
	tb.Helper()
	coord := &ibctesting.Coordinator{CurrentTime: StartTime, Chains: map[string]*ibctesting.TestChain{}}
	if t, ok := tb.(*testing.T); ok {
		coord.T = t
	}
	NewChain(tb, coord, MainChainID, main)
	for _, id := range subChainIDs {
		NewChain(tb, coord, id, sub)
	}
	return coord
}

// StartTime is the coordinator's clock at the start of every test network.
var StartTime = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// App returns the statuscollect app behind a test chain.
func App(chain *ibctesting.TestChain) *app.App {
	a, ok := chain.App.(*app.App)
	if !ok {
		chain.TB.Fatalf("chain %s does not run a statuscollect app", chain.ChainID)
	}
	return a
}

// NewChain adds one chain of a profile to a coordinator under any testing.TB,
// benchmarks included (ibc-go's own constructor takes only *testing.T). The
// chain has four validators of equal power, as ibc-go's test chains do.
func NewChain(tb testing.TB, coord *ibctesting.Coordinator, chainID string, profile app.Profile) *ibctesting.TestChain {
	tb.Helper()
	validators := make([]*cmttypes.Validator, 0, 4)
	signers := make(map[string]cmttypes.PrivValidator, 4)
	for range 4 {
		_, privVal := cmttypes.RandValidator(false, 100)
		pubKey, err := privVal.GetPubKey()
		if err != nil {
			tb.Fatal(err)
		}
		validators = append(validators, cmttypes.NewValidator(pubKey, 1))
		signers[pubKey.Address().String()] = privVal
	}
	// ibc-go reads the app creator from a package variable here; restore it
	// so other chains keep the default.
	saved := ibctesting.DefaultTestingAppInit
	ibctesting.DefaultTestingAppInit = NewAppCreator(tb, profile)
	defer func() { ibctesting.DefaultTestingAppInit = saved }()
	chain := ibctesting.NewTestChainWithValSet(tb, coord, chainID, cmttypes.NewValidatorSet(validators), signers)
	coord.Chains[chainID] = chain
	return chain
}
