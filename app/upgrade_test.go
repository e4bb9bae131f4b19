package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/header"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// TestUpgradeContractIndex applies the upgrade as the upgrade module does at
// the plan's height in the new binary (ApplyUpgrade), to a main chain whose
// store is at the collector's consensus version 1 (contract changes without
// their index): the handler migrates the collector to version 2, and the
// chain goes on with every invariant true. (In one process the plan cannot
// be scheduled first: the upgrade module refuses a binary that knows a plan
// before its height, as a node would; the localnet's upgrade scenario runs
// the real halt and restart.)
func TestUpgradeContractIndex(t *testing.T) {
	coord := apptesting.NewCoordinator(t, app.MainChain, app.SubChain)
	main := coord.GetChain(apptesting.MainChainID)
	a := apptesting.App(main)
	apptesting.RegisterSubchain(t, main, "subchain-a", "")

	// The state version 1 left: a contract change with no index entry, and
	// the collector recorded at version 1.
	ctx := main.GetContext()
	change := collectortypes.ContractChange{ChainId: "subchain-a", Sequence: 1, Kind: collectortypes.CONTRACT_CHANGE_KIND_DEPLOYED,
		Contract: shared.Contract{Address: "sub1contract0001", CodeId: 1, Label: "registry"}, Height: 10, MainTime: ctx.BlockTime()}
	k := a.CollectorKeeper
	require.NoError(t, keeper.NewMigrator(k).V2ContractChanges().Set(ctx, collections.Join(change.ChainId, change.Sequence), change))
	require.NoError(t, k.ContractPruneQueue.Set(ctx, collections.Join3(change.MainTime.UnixNano(), change.ChainId, change.Sequence)))
	sub, err := k.Subchains.Get(ctx, "subchain-a")
	require.NoError(t, err)
	sub.LastContractChange = 1
	require.NoError(t, k.Subchains.Set(ctx, sub.ChainId, sub))
	versions, err := a.UpgradeKeeper.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	require.EqualValues(t, collector.ConsensusVersion, versions[collectortypes.ModuleName])
	versions[collectortypes.ModuleName] = 1
	require.NoError(t, a.UpgradeKeeper.SetModuleVersionMap(ctx, versions))

	coord.CommitBlock(main)
	ctx = main.GetContext()
	height := ctx.BlockHeight()
	ctx = ctx.WithHeaderInfo(header.Info{Height: height, Time: ctx.BlockTime(), ChainID: ctx.ChainID()}) // as in a block
	require.NoError(t, a.UpgradeKeeper.ApplyUpgrade(ctx, upgradetypes.Plan{Name: app.UpgradeContractIndex, Height: height}))
	coord.CommitBlock(main)
	ctx = main.GetContext()
	done, err := a.UpgradeKeeper.GetDoneHeight(ctx, app.UpgradeContractIndex)
	require.NoError(t, err)
	require.Equal(t, height, done)
	versions, err = a.UpgradeKeeper.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	require.EqualValues(t, collector.ConsensusVersion, versions[collectortypes.ModuleName], "through version 2 to the latest")
	seq, err := k.ContractIndex.Get(ctx, keeper.ContractKey("subchain-a", "sub1contract0001"))
	require.NoError(t, err)
	require.EqualValues(t, 1, seq)
	apptesting.CheckInvariants(t, main)
}

// TestUpgradePromptReports applies v4-prompt-reports to a subchain whose
// sidecar is recorded at version 1: the plan takes it to version 2, changes
// nothing in its store, and reports go on.
func TestUpgradePromptReports(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	sub := n.subA
	a := apptesting.App(sub)
	ctx := sub.GetContext()
	versions, err := a.UpgradeKeeper.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	require.EqualValues(t, reporter.ConsensusVersion, versions[reportertypes.ModuleName])
	versions[reportertypes.ModuleName] = 1
	require.NoError(t, a.UpgradeKeeper.SetModuleVersionMap(ctx, versions))
	before, err := a.ReporterKeeper.ExportGenesis(ctx)
	require.NoError(t, err)

	ctx = ctx.WithHeaderInfo(header.Info{Height: ctx.BlockHeight(), Time: ctx.BlockTime(), ChainID: ctx.ChainID()})
	require.NoError(t, a.UpgradeKeeper.ApplyUpgrade(ctx, upgradetypes.Plan{Name: app.UpgradePromptReports, Height: ctx.BlockHeight()}))
	versions, err = a.UpgradeKeeper.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	require.EqualValues(t, reporter.ConsensusVersion, versions[reportertypes.ModuleName], "through version 2 to the latest")
	after, err := a.ReporterKeeper.ExportGenesis(ctx)
	require.NoError(t, err)
	require.Equal(t, before, after, "the sidecar's state is unchanged")

	_, ack := n.relayReport(t, n.pathA)
	require.True(t, ack.Success(), ack.GetError())
}

// TestUpgradeListsByHash applies v5-lists-by-hash to a main chain whose
// collector is recorded at version 3: the plan takes it to version 4,
// changes nothing in its store, and a report naming its lists by hash is
// taken in a real transaction after it.
func TestUpgradeListsByHash(t *testing.T) {
	chain := apptesting.NewCoordinator(t, app.MainChain, app.SubChain).Chains[apptesting.MainChainID]
	sender := setUpCollector(t, chain)
	_, err := chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: typicalSnapshot(100)})
	require.NoError(t, err)
	a := apptesting.App(chain)
	ctx := chain.GetContext()
	before, after := upgradeCollector(t, a, ctx, 3, app.UpgradeListsByHash)
	require.Equal(t, before, after, "the collector's state is unchanged")

	next := &collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: typicalSnapshot(110)}
	next.NameListsByHash()
	_, err = chain.SendMsgs(next)
	require.NoError(t, err)
	latest, err := keeper.NewQuerier(a.CollectorKeeper).LatestStatus(chain.GetContext(), &collectortypes.QueryLatestStatusRequest{ChainId: reportedChain})
	require.NoError(t, err)
	require.EqualValues(t, 110, latest.Report.Snapshot.Height)
	require.Equal(t, typicalSnapshot(110).Validators, latest.Report.Snapshot.Validators)
	require.Equal(t, next.ListsHash, latest.ListsHash)
}

// upgradeCollector records the main chain's collector at version from,
// applies plan as the upgrade module does at its height, requires the
// collector at its latest version after it, and returns the collector's
// genesis before and after.
func upgradeCollector(t *testing.T, a *app.App, ctx sdk.Context, from uint64, plan string) (before, after *collectortypes.GenesisState) {
	t.Helper()
	versions, err := a.UpgradeKeeper.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	require.EqualValues(t, collector.ConsensusVersion, versions[collectortypes.ModuleName])
	versions[collectortypes.ModuleName] = from
	require.NoError(t, a.UpgradeKeeper.SetModuleVersionMap(ctx, versions))
	before, err = a.CollectorKeeper.ExportGenesis(ctx)
	require.NoError(t, err)
	ctx = ctx.WithHeaderInfo(header.Info{Height: ctx.BlockHeight(), Time: ctx.BlockTime(), ChainID: ctx.ChainID()})
	require.NoError(t, a.UpgradeKeeper.ApplyUpgrade(ctx, upgradetypes.Plan{Name: plan, Height: ctx.BlockHeight()}))
	versions, err = a.UpgradeKeeper.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	require.EqualValues(t, collector.ConsensusVersion, versions[collectortypes.ModuleName])
	after, err = a.CollectorKeeper.ExportGenesis(ctx)
	require.NoError(t, err)
	return before, after
}

// TestUpgradeIBCListsByHash applies v6-ibc-lists-by-hash to a main chain
// whose collector is recorded at version 4 and a subchain whose sidecar is
// at version 2: each goes to its latest version with its store unchanged,
// and the subchain's next report names its lists by hash and is recorded
// with them.
func TestUpgradeIBCListsByHash(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	for _, c := range []struct {
		chain   *ibctesting.TestChain
		module  string
		from    uint64
		to      uint64
		genesis func(a *app.App, ctx sdk.Context) any
	}{
		{n.main, collectortypes.ModuleName, 4, collector.ConsensusVersion, func(a *app.App, ctx sdk.Context) any {
			gs, err := a.CollectorKeeper.ExportGenesis(ctx)
			require.NoError(t, err)
			return gs
		}},
		{n.subA, reportertypes.ModuleName, 2, reporter.ConsensusVersion, func(a *app.App, ctx sdk.Context) any {
			gs, err := a.ReporterKeeper.ExportGenesis(ctx)
			require.NoError(t, err)
			return gs
		}},
	} {
		a := apptesting.App(c.chain)
		ctx := c.chain.GetContext()
		versions, err := a.UpgradeKeeper.GetModuleVersionMap(ctx)
		require.NoError(t, err)
		versions[c.module] = c.from
		require.NoError(t, a.UpgradeKeeper.SetModuleVersionMap(ctx, versions))
		before := c.genesis(a, ctx)
		ctx = ctx.WithHeaderInfo(header.Info{Height: ctx.BlockHeight(), Time: ctx.BlockTime(), ChainID: ctx.ChainID()})
		require.NoError(t, a.UpgradeKeeper.ApplyUpgrade(ctx, upgradetypes.Plan{Name: app.UpgradeIBCListsByHash, Height: ctx.BlockHeight()}))
		versions, err = a.UpgradeKeeper.GetModuleVersionMap(ctx)
		require.NoError(t, err)
		require.EqualValues(t, c.to, versions[c.module])
		require.Equal(t, before, c.genesis(a, ctx), "%s's state is unchanged", c.module)
	}

	n.relayReportByHash(t)
}

// TestUpgradeCompactChanges applies v7-compact-changes to a main chain whose
// collector is recorded at version 5 and whose store is laid out as version
// 5 left it: a report that moved one validator's power holds its lists
// whole, and the contract index is keyed by address under its old prefix.
// The plan takes the collector to version 6: that report holds its powers
// alone, the index is keyed by hash, every query answers as before, and a
// contract known before the upgrade is not recorded again after it.
func TestUpgradeCompactChanges(t *testing.T) {
	chain := apptesting.NewCoordinator(t, app.MainChain, app.SubChain).Chains[apptesting.MainChainID]
	sender := setUpCollector(t, chain)
	_, err := chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: typicalSnapshot(100)})
	require.NoError(t, err)
	moved := typicalSnapshot(110)
	moved.NewContracts = nil
	moved.Validators[1].Power = 120
	_, err = chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: moved})
	require.NoError(t, err)

	a := apptesting.App(chain)
	k := a.CollectorKeeper
	m := keeper.NewMigrator(k)
	ctx := chain.GetContext()
	key := collections.Join(reportedChain, uint64(2))
	stored, err := k.Reports.Get(ctx, key)
	require.NoError(t, err)
	require.Len(t, stored.Powers, 4, "version 6 stores the powers alone")
	stored.Powers, stored.Snapshot.Orgs, stored.Snapshot.Validators = nil, moved.Orgs, moved.Validators
	require.NoError(t, k.Reports.Set(ctx, key, stored))
	require.NoError(t, k.SetHolders.Clear(ctx, nil)) // version 5 has none
	for _, c := range typicalSnapshot(100).NewContracts {
		seq, err := k.ContractIndex.Get(ctx, keeper.ContractKey(reportedChain, c.Address))
		require.NoError(t, err)
		require.NoError(t, m.V5ContractIndex().Set(ctx, collections.Join(reportedChain, c.Address), seq))
	}
	require.NoError(t, k.ContractIndex.Clear(ctx, nil))
	before, after := upgradeCollector(t, a, ctx, 5, app.UpgradeCompactChanges)
	require.Equal(t, before, after, "every report and change reads as before")
	stored, err = k.Reports.Get(ctx, key)
	require.NoError(t, err)
	require.Equal(t, []int64{100, 120, 100, 100}, stored.Powers)
	require.Empty(t, stored.Snapshot.Validators)
	legacy := 0
	require.NoError(t, m.V5ContractIndex().Walk(ctx, nil, func(collections.Pair[string, string], uint64) (bool, error) {
		legacy++
		return false, nil
	}))
	require.Zero(t, legacy, "the old index is gone")

	again := typicalSnapshot(120)
	again.Validators[1].Power = 120
	_, err = chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: again})
	require.NoError(t, err)
	changes, err := keeper.NewQuerier(k).ContractChanges(chain.GetContext(), &collectortypes.QueryContractChangesRequest{ChainId: reportedChain})
	require.NoError(t, err)
	require.Len(t, changes.Changes, 2, "the contracts known before the upgrade are not recorded again")
	apptesting.CheckInvariants(t, chain)
}

// TestUpgradePruneCheckpoints applies v8-prune-checkpoints to a main chain
// whose collector is recorded at version 6, with version 6's prune queue
// (every report but the latest): after it only the prune checkpoints are
// queued, here none, and every report reads as before.
func TestUpgradePruneCheckpoints(t *testing.T) {
	chain := apptesting.NewCoordinator(t, app.MainChain, app.SubChain).Chains[apptesting.MainChainID]
	sender := setUpCollector(t, chain)
	for _, h := range []int64{100, 110, 120} {
		_, err := chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: typicalSnapshot(h)})
		require.NoError(t, err)
	}
	a := apptesting.App(chain)
	k := a.CollectorKeeper
	ctx := chain.GetContext()
	for seq := uint64(1); seq <= 2; seq++ {
		r, err := k.GetReport(ctx, reportedChain, seq)
		require.NoError(t, err)
		require.NoError(t, k.PruneQueue.Set(ctx, collections.Join3(r.MainTime.UnixNano(), reportedChain, seq)))
	}
	before, after := upgradeCollector(t, a, ctx, 6, app.UpgradePruneCheckpoints)
	require.Equal(t, before, after, "every report and change reads as before")
	it, err := k.PruneQueue.Iterate(ctx, nil)
	require.NoError(t, err)
	queued, err := it.Keys()
	require.NoError(t, err)
	require.Empty(t, queued, "reports 1 and 2 are no checkpoints")
	apptesting.CheckInvariants(t, chain)
}

// TestUpgradeLatestFigures applies v9-latest-figures to a main chain whose
// collector is recorded at version 7, whose subchain record keeps nothing of
// its latest report (as version 7 left it): after it the record keeps that
// report's lists hash and counts and its contract count, every report reads
// as before, and the subchain's next report, naming its lists by hash, is
// recorded with them.
func TestUpgradeLatestFigures(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	a := apptesting.App(n.main)
	k := a.CollectorKeeper
	ctx := n.main.GetContext()
	sub, err := k.Subchains.Get(ctx, apptesting.SubChainAID)
	require.NoError(t, err)
	figures := sub.Latest
	require.NotEmpty(t, figures.ListsHash)
	sub.Latest = collectortypes.LatestFigures{}
	require.NoError(t, k.Subchains.Set(ctx, apptesting.SubChainAID, sub))

	before, after := upgradeCollector(t, a, ctx, 7, app.UpgradeLatestFigures)
	require.Equal(t, before.Reports, after.Reports, "every report reads as before")
	sub, err = k.Subchains.Get(ctx, apptesting.SubChainAID)
	require.NoError(t, err)
	require.Equal(t, figures, sub.Latest)
	apptesting.CheckInvariants(t, n.main)

	n.relayReportByHash(t)
}

// relayReportByHash has subchain A report a new contract, requires its
// report to name its lists by hash, relays it and requires the main chain
// to record it with the lists it named.
func (n *network) relayReportByHash(t *testing.T) {
	t.Helper()
	instantiate(t, n.subA, "after-the-upgrade")
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	link, err := apptesting.App(n.subA).ReporterKeeper.Link.Get(n.subA.GetContext())
	require.NoError(t, err)
	require.True(t, link.InFlight.ListsByHash)
	_, ack := n.relayReport(t, n.pathA)
	require.True(t, ack.Success(), ack.GetError())
	sent, err := apptesting.App(n.subA).ReporterKeeper.LastSent.Get(n.subA.GetContext())
	require.NoError(t, err)
	require.Equal(t, sent.Validators, n.latest(t, apptesting.SubChainAID).Snapshot.Validators)
}
