package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	storetypes "cosmossdk.io/store/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Chain A reports every minute and the default staleness factor is 3.
const staleAfter = 3 * time.Minute

func TestLivenessStaleAndRecovered(t *testing.T) {
	f := newFixture(t)
	require.Equal(t, types.LIVENESS_AWAITING_FIRST_REPORT, f.subchain(chainA).Liveness)

	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)}))
	require.Equal(t, types.LIVENESS_ACTIVE, f.subchain(chainA).Liveness)
	require.Equal(t, f.ctx.BlockTime().Add(staleAfter), f.subchain(chainA).NextReportDue)

	// The countdown an operator sees.
	f.advance(time.Minute)
	h, err := f.querys.Subchain(f.ctx, &types.QuerySubchainRequest{ChainId: chainA})
	require.NoError(t, err)
	require.EqualValues(t, 120, h.Health.SecondsUntilDue)
	require.EqualValues(t, 4, h.Health.NodeCount)

	// Just before the deadline nothing happens; at it, A turns stale.
	f.advance(staleAfter - time.Minute - time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LIVENESS_ACTIVE, f.subchain(chainA).Liveness)
	f.advance(time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LIVENESS_STALE, f.subchain(chainA).Liveness)
	stale := eventOf[*types.EventSubchainStale](t, typedEvents(t, f.ctx))
	require.Equal(t, chainA, stale.ChainId)
	require.EqualValues(t, 100, stale.LastHeight)

	// A stale chain is not reported stale again every block.
	f.advance(time.Minute)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Empty(t, f.ctx.EventManager().Events())

	f.advance(time.Minute)
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 200)}))
	require.Equal(t, types.LIVENESS_ACTIVE, f.subchain(chainA).Liveness)
	recovered := eventOf[*types.EventSubchainRecovered](t, typedEvents(t, f.ctx))
	require.Equal(t, types.LIVENESS_STALE, recovered.Previous)
}

func TestLivenessPlannedUpgradeHalt(t *testing.T) {
	f := newFixture(t)
	snap := snapshot(chainA, 100)
	snap.PlannedUpgrade = &shared.PlannedUpgrade{Name: "v2", Height: 150}
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snap}))

	f.advance(staleAfter)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LIVENESS_HALTED_FOR_UPGRADE, f.subchain(chainA).Liveness)
	halted := eventOf[*types.EventSubchainHaltedForUpgrade](t, typedEvents(t, f.ctx))
	require.Equal(t, "v2", halted.UpgradeName)
	require.EqualValues(t, 150, halted.UpgradeHeight)

	// Silent past the upgrade grace, it is stale after all.
	grace := types.DefaultParams().UpgradeGrace
	f.advance(grace - time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LIVENESS_HALTED_FOR_UPGRADE, f.subchain(chainA).Liveness)
	f.advance(time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LIVENESS_STALE, f.subchain(chainA).Liveness)
}

func TestRetiredSubchainLeavesLivenessQueue(t *testing.T) {
	f := newFixture(t)
	f.must(f.msgs.RetireSubchain(f.ctx, &types.MsgRetireSubchain{Authority: authority, ChainId: chainA}))
	f.advance(staleAfter)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LIVENESS_RETIRED, f.subchain(chainA).Liveness)
	require.Equal(t, types.LIVENESS_STALE, f.subchain(chainB).Liveness, "B never reported")
}

// endBlockGas is the gas the EndBlocker uses in a block where exactly one
// subchain (chain A) passes its deadline, with n other subchains registered.
func endBlockGas(t *testing.T, n int) (gas storetypes.Gas) {
	f := newFixture(t)
	for i := range n {
		// Registered a day later, so none of them is due in the measured block.
		ctx := f.ctx.WithBlockTime(genesisTime.Add(24 * time.Hour))
		_, err := f.msgs.RegisterSubchain(ctx, &types.MsgRegisterSubchain{Authority: authority,
			ChainId: fmt.Sprintf("bulk-%05d", i), Name: "bulk", Kind: types.SUBCHAIN_KIND_OTHER, ReportInterval: time.Hour})
		require.NoError(t, err)
	}
	f.must(f.msgs.RetireSubchain(f.ctx, &types.MsgRetireSubchain{Authority: authority, ChainId: chainB}))
	f.advance(staleAfter)
	f.ctx = f.ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LIVENESS_STALE, f.subchain(chainA).Liveness)
	return f.ctx.GasMeter().GasConsumed()
}

// TestEndBlockerCostIndependentOfSubchainCount: the store gas of a block's
// liveness and pruning work is the same with 10 or 10,000 registered subchains.
func TestEndBlockerCostIndependentOfSubchainCount(t *testing.T) {
	small := endBlockGas(t, 10)
	large := endBlockGas(t, 10_000)
	t.Logf("EndBlocker store gas: %d with 10 subchains, %d with 10,000", small, large)
	require.NotZero(t, small)
	require.Equal(t, small, large)
}
