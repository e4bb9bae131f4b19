package app_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	simcli "github.com/cosmos/cosmos-sdk/x/simulation/client/cli"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"

	"github.com/statuscollect/statuscollect/app"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// The Cosmos SDK's own simulator (x/simulation with testutil/simsx) over the
// whole app, as the SDK's simapp runs it: a random genesis from every
// module's AppModuleSimulation, then blocks of random txs from every
// module's operations (bank, staking, distribution, slashing, gov, x/wasm
// on a subchain, and the statuscollect module's message factories), signed
// and delivered through the ante handler and the Msg router.
//
// The tests are skipped unless -Enabled=true is given with the SDK's sim
// flags, e.g. (make sim-sdk):
//
//	go test ./app/ -run 'TestFullAppSimulation' -Enabled=true -NumBlocks=50 -BlockSize=50 -Commit=true -Seed=11 -GenesisTime=1700000000 -v
//
// -SimProfile picks mainchaind, subchaind or both (all, the default).

var simProfile = flag.String("SimProfile", "all", "app profile to simulate: mainchaind, subchaind or all")

func init() { simcli.GetSimulatorFlags() }

// simProfiles are the profiles the -SimProfile flag selects.
func simProfiles(t *testing.T) []app.Profile {
	t.Helper()
	if !simcli.FlagEnabledValue {
		t.Skip("SDK simulation: enable with -Enabled=true (make sim-sdk)")
	}
	var out []app.Profile
	for _, p := range []app.Profile{app.MainChain, app.SubChain} {
		if *simProfile == "all" || *simProfile == p.AppName {
			out = append(out, p)
		}
	}
	require.NotEmpty(t, out, "-SimProfile %q is none of mainchaind, subchaind, all", *simProfile)
	return out
}

// simConfig is the simulator's config from its flags. The simulator's
// tally of operations by module, Msg type and outcome goes to
// -ExportStatsPath (one file per profile) or else to a temporary file, for
// printOpStats.
func simConfig(t *testing.T, p app.Profile) simtypes.Config {
	t.Helper()
	cfg := simcli.NewConfigFromFlags()
	cfg.ChainID = simsx.SimAppChainID
	if cfg.ExportStatsPath == "" {
		cfg.ExportStatsPath = filepath.Join(t.TempDir(), "stats.json")
	} else {
		cfg.ExportStatsPath = strings.TrimSuffix(cfg.ExportStatsPath, ".json") + "-" + p.AppName + ".json"
	}
	return cfg
}

// printOpStats prints the run's operations by Msg type: delivered (ok) and
// skipped or refused (failure; the simulator stops at a refused one, so
// these are skips).
func printOpStats(path string) func(testing.TB, simsx.TestInstance[*app.App], []simtypes.Account) {
	return func(tb testing.TB, ti simsx.TestInstance[*app.App], _ []simtypes.Account) {
		tb.Helper()
		bz, err := os.ReadFile(path)
		require.NoError(tb, err)
		var stats map[string]map[string]map[string]int // module, Msg type, outcome
		require.NoError(tb, json.Unmarshal(bz, &stats))
		var lines []string
		ok, skipped := 0, 0
		for module, ops := range stats {
			if module == "begin_block" || module == "end_block" {
				continue // the simulator's own evidence and validator updates, not txs
			}
			for op, outcomes := range ops {
				lines = append(lines, fmt.Sprintf("  %-16s %-48s ok %5d  skipped %5d", module, op, outcomes["ok"], outcomes["failure"]))
				ok += outcomes["ok"]
				skipped += outcomes["failure"]
			}
		}
		slices.Sort(lines)
		fmt.Printf("+++ operations by type (seed %d, %d blocks to height %d): %d delivered, %d skipped\n%s\n",
			ti.Cfg.Seed, ti.Cfg.NumBlocks, ti.App.LastBlockHeight(), ok, skipped, strings.Join(lines, "\n"))
	}
}

type appFactory = func(log.Logger, dbm.DB, io.Writer, bool, servertypes.AppOptions, ...func(*baseapp.BaseApp)) *app.App

// newSimApp builds the profile's app for the simulator. With checks, every
// block's EndBlocker ends by running every invariant (simInvariants), as the
// SDK's crisis module once did: a broken one fails the block, and so the
// simulation, at the height where it broke.
func newSimApp(p app.Profile, checks bool) appFactory {
	return func(logger log.Logger, db dbm.DB, trace io.Writer, loadLatest bool, opts servertypes.AppOptions, baseOpts ...func(*baseapp.BaseApp)) *app.App {
		a := app.New(p, logger, db, trace, false, opts, baseOpts...)
		if checks {
			invariants := simInvariants(a)
			a.SetEndBlocker(func(ctx sdk.Context) (sdk.EndBlock, error) {
				res, err := a.EndBlocker(ctx)
				if err != nil {
					return res, err
				}
				for _, inv := range invariants {
					if err := inv.Check(ctx); err != nil {
						return res, fmt.Errorf("invariant %s broken at height %d: %w", inv.Name, ctx.BlockHeight(), err)
					}
				}
				return res, nil
			})
		}
		if loadLatest {
			// A fresh database: nothing is stored yet, so no wasm code is
			// pinned that New would re-pin after loading.
			if err := a.LoadLatestVersion(); err != nil {
				panic(err)
			}
		}
		return a
	}
}

// simInvariants are the app's invariants: the statuscollect module's own
// (the collector's, its escrow against the module account's balance; the
// sidecar's, its contract count against x/wasm's contracts) and bank's total
// supply against the sum of all balances.
func simInvariants(a *app.App) []shared.Invariant {
	var invs []shared.Invariant
	if _, ok := a.ModuleManager.Modules[collectortypes.ModuleName]; ok {
		escrow := func(ctx context.Context) sdk.Coins {
			return a.BankKeeper.GetAllBalances(ctx, authtypes.NewModuleAddress(collectortypes.ModuleName))
		}
		invs = append(invs, a.CollectorKeeper.Invariants(escrow)...)
	}
	if _, ok := a.ModuleManager.Modules[reportertypes.ModuleName]; ok {
		invs = append(invs, a.ReporterKeeper.Invariants(a.ContractSource())...)
	}
	return append(invs, shared.Invariant{Name: "bank-total-supply", Check: func(ctx context.Context) error {
		held := sdk.NewCoins()
		a.BankKeeper.IterateAllBalances(ctx, func(_ sdk.AccAddress, c sdk.Coin) bool {
			held = held.Add(c)
			return false
		})
		supply := sdk.NewCoins()
		a.BankKeeper.IterateTotalSupply(ctx, func(c sdk.Coin) bool {
			supply = supply.Add(c)
			return false
		})
		if !held.Equal(supply) {
			return fmt.Errorf("balances sum to %s, the supply is %s", held, supply)
		}
		return nil
	}})
}

func simStateFactory(a *app.App) simsx.SimStateFactory {
	return simsx.SimStateFactory{
		Codec:         a.AppCodec(),
		AppStateFn:    simtestutil.AppStateFn(a.AppCodec(), a.SimulationManager(), a.DefaultGenesis()),
		BlockedAddr:   a.BlockedAddresses(),
		AccountSource: a.AccountKeeper,
		BalanceSource: a.BankKeeper,
	}
}

// checkInvariantsAtEnd runs the invariants on the state the last block's
// txs left, which no EndBlocker has seen.
func checkInvariantsAtEnd(tb testing.TB, ti simsx.TestInstance[*app.App], _ []simtypes.Account) {
	tb.Helper()
	a := ti.App
	ctx := a.NewContextLegacy(true, cmtproto.Header{Height: a.LastBlockHeight()})
	for _, inv := range simInvariants(a) {
		require.NoError(tb, inv.Check(ctx), "invariant %s after the last block", inv.Name)
	}
}

// TestFullAppSimulation runs the simulator with every invariant after every
// block and at the end, and checks the final state exports.
func TestFullAppSimulation(t *testing.T) {
	for _, p := range simProfiles(t) {
		t.Run(p.AppName, func(t *testing.T) {
			cfg := simConfig(t, p)
			simsx.RunWithSeed(t, cfg, newSimApp(p, true), simStateFactory, cfg.Seed, nil, checkInvariantsAtEnd, printOpStats(cfg.ExportStatsPath))
		})
	}
}

// TestAppStateDeterminism runs the same seed several times, each on a fresh
// app and database, and requires the same app hash after each.
func TestAppStateDeterminism(t *testing.T) {
	const runs = 3
	for _, p := range simProfiles(t) {
		t.Run(p.AppName, func(t *testing.T) {
			cfg := simConfig(t, p)
			require.True(t, cfg.Commit, "the app hash is that of the last commit: run with -Commit=true")
			var hashes [][]byte
			for run := range runs {
				simsx.RunWithSeed(t, cfg, newSimApp(p, false), simStateFactory, cfg.Seed, nil,
					func(tb testing.TB, ti simsx.TestInstance[*app.App], _ []simtypes.Account) {
						hashes = append(hashes, ti.App.LastCommitID().Hash)
						tb.Logf("seed %d, run %d/%d: app hash %X at height %d", cfg.Seed, run+1, runs, ti.App.LastCommitID().Hash, ti.App.LastBlockHeight())
					})
			}
			require.Len(t, hashes, runs)
			for i := 1; i < runs; i++ {
				require.Equal(t, hashes[0], hashes[i], "non-determinism: seed %d, run %d's app hash differs from run 1's", cfg.Seed, i+1)
			}
		})
	}
}

// importExportSkips are store prefixes that need not survive an export:
// queues and history keyed by when or in which order things happened, and
// per-block scratch, rebuilt or refilled by the imported chain as it runs.
var importExportSkips = map[string][][]byte{
	stakingtypes.StoreKey: {
		stakingtypes.UnbondingQueueKey, stakingtypes.RedelegationQueueKey, stakingtypes.ValidatorQueueKey,
		stakingtypes.HistoricalInfoKey, stakingtypes.UnbondingIDKey, stakingtypes.UnbondingIndexKey,
		stakingtypes.UnbondingTypeKey, stakingtypes.ValidatorUpdatesKey,
	},
	slashingtypes.StoreKey: {slashingtypes.ValidatorMissedBlockBitmapKeyPrefix},
	// x/wasm's count of the block's txs (CountTXDecorator): block scratch.
	wasmtypes.StoreKey: {wasmtypes.TXCounterPrefix},
}

// TestAppImportExport runs the simulator, exports the final state as a
// genesis, validates it, imports it into a fresh app and compares every
// module store of the two, key by key.
func TestAppImportExport(t *testing.T) {
	for _, p := range simProfiles(t) {
		t.Run(p.AppName, func(t *testing.T) {
			cfg := simConfig(t, p)
			simsx.RunWithSeed(t, cfg, newSimApp(p, true), simStateFactory, cfg.Seed, nil, checkInvariantsAtEnd, printOpStats(cfg.ExportStatsPath),
				func(tb testing.TB, ti simsx.TestInstance[*app.App], _ []simtypes.Account) {
					importAndCompare(tb, p, ti)
				})
		})
	}
}

func importAndCompare(tb testing.TB, p app.Profile, ti simsx.TestInstance[*app.App]) {
	tb.Helper()
	a := ti.App
	exported, err := a.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(tb, err, "export")

	// The export must validate as a genesis file does before a node starts
	// from it, module by module.
	var genesis map[string]json.RawMessage
	require.NoError(tb, json.Unmarshal(exported.AppState, &genesis))
	require.NoError(tb, a.BasicModuleManager.ValidateGenesis(a.AppCodec(), a.TxConfig(), genesis), "the exported genesis does not validate")
	logModuleState(tb, a, genesis)

	fresh := simsx.NewSimulationAppInstance(tb, ti.Cfg, newSimApp(p, false))
	b := fresh.App
	defer func() { require.NoError(tb, b.Close()) }()
	ctxA := a.NewContextLegacy(true, cmtproto.Header{Height: a.LastBlockHeight()})
	ctxB := b.NewContextLegacy(true, cmtproto.Header{Height: a.LastBlockHeight(), ChainID: ti.Cfg.ChainID})
	if _, err := b.InitChainer(ctxB, &abci.RequestInitChain{ChainId: ti.Cfg.ChainID, AppStateBytes: exported.AppState}); err != nil {
		if strings.Contains(err.Error(), "validator set is empty after InitGenesis") {
			tb.Skip("every validator was unbonded: nothing to import")
		}
		require.NoError(tb, err, "import")
	}
	require.NoError(tb, b.StoreConsensusParams(ctxB, exported.ConsensusParams))

	decoders := a.SimulationManager().StoreDecoders
	compared := 0
	for _, keyA := range a.StoreKeys() {
		name := keyA.Name()
		keyB := b.GetKey(name)
		require.NotNil(tb, keyB, "store %s missing from the imported app", name)
		diffA, diffB := simtestutil.DiffKVStores(ctxA.KVStore(keyA), ctxB.KVStore(keyB), importExportSkips[name])
		require.Equal(tb, len(diffA), len(diffB), "store %s", name)
		if len(diffA) > 0 {
			tb.Fatalf("store %s: %d entries differ between the exporting and the importing app:\n%s", name, len(diffA), storeDiffLog(name, decoders, diffA, diffB))
		}
		compared++
	}
	tb.Logf("export/import at height %d: %d stores equal (%s)", a.LastBlockHeight(), compared, strings.Join(storeNames(a), ", "))
}

// logModuleState prints what the run left in the statuscollect module.
func logModuleState(tb testing.TB, a *app.App, genesis map[string]json.RawMessage) {
	tb.Helper()
	if raw, ok := genesis[collectortypes.ModuleName]; ok {
		var gs collectortypes.GenesisState
		a.AppCodec().MustUnmarshalJSON(raw, &gs)
		most, suspended := 0, 0
		for _, m := range gs.Memberships {
			most = max(most, len(m.Reporters))
			if m.Suspended {
				suspended++
			}
		}
		disputes := map[collectortypes.DisputeStatus]int{}
		for _, d := range gs.Disputes {
			disputes[d.Status]++
		}
		tb.Logf("collector at height %d: %d subchains, %d orgs, %d memberships (%d suspended; at most %d reporters, cap %d), %d reports, %d contract changes, disputes %d (open %d, upheld %d, rejected %d, expired %d)",
			a.LastBlockHeight(), len(gs.Subchains), len(gs.Orgs), len(gs.Memberships), suspended, most, gs.Params.MaxReportersPerMembership,
			len(gs.Reports), len(gs.ContractChanges), gs.LastDisputeId, disputes[collectortypes.DISPUTE_STATUS_OPEN],
			disputes[collectortypes.DISPUTE_STATUS_UPHELD], disputes[collectortypes.DISPUTE_STATUS_REJECTED], disputes[collectortypes.DISPUTE_STATUS_EXPIRED])
	}
	if raw, ok := genesis[reportertypes.ModuleName]; ok {
		var gs reportertypes.GenesisState
		a.AppCodec().MustUnmarshalJSON(raw, &gs)
		tb.Logf("sidecar at height %d: %d orgs, %d snapshots kept, %d contracts pending, %d txs counted", a.LastBlockHeight(), len(gs.Orgs), len(gs.Snapshots), len(gs.PendingContracts), gs.TxTotal)
	}
}

// storeDiffLog prints each differing entry with the store's decoder, when
// it has one. Unlike simtestutil.GetSimulationLog it also prints entries
// without a value, which are the entries of a key set.
func storeDiffLog(store string, decoders simtypes.StoreDecoderRegistry, diffA, diffB []kv.Pair) string {
	var b strings.Builder
	for i := range diffA {
		if decode, ok := decoders[store]; ok {
			b.WriteString(decode(diffA[i], diffB[i]))
		} else {
			fmt.Fprintf(&b, "A %X => %X\nB %X => %X", diffA[i].Key, diffA[i].Value, diffB[i].Key, diffB[i].Value)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func storeNames(a *app.App) []string {
	var names []string
	for _, k := range a.StoreKeys() {
		names = append(names, k.Name())
	}
	return slices.Sorted(slices.Values(names))
}
