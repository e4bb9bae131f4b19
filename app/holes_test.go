package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/app/apptesting"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// TestHoleLostReportDoesNotWaitForHeartbeat: before, after a report timed
// out, the next snapshot was compared with the lost one, so a change it
// carried (here a validator leaving) waited for the heartbeat, six intervals
// later. Now it leaves at the next interval and reaches the main chain.
func TestHoleLostReportDoesNotWaitForHeartbeat(t *testing.T) {
	n := newNetwork(t)
	n.relayReport(t, n.pathA)
	a := apptesting.App(n.subA)
	vals, err := a.StakingKeeper.GetBondedValidatorsByPower(n.subA.GetContext())
	require.NoError(t, err)
	cons, err := vals[0].GetConsAddr()
	require.NoError(t, err)
	require.NoError(t, a.StakingKeeper.Jail(n.subA.GetContext(), cons))

	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	lost := apptesting.InFlightReport(t, n.pathA)
	n.coord.IncrementTimeBy(reportertypes.DefaultParams().PacketTimeout)
	n.coord.CommitBlock(n.main)
	require.NoError(t, n.pathA.EndpointA.UpdateClient())
	require.NoError(t, n.pathA.EndpointA.TimeoutPacket(lost))

	// Within one interval (plus the block the timeout landed in), the change
	// leaves again.
	for range apptesting.ReportInterval + 1 {
		n.coord.CommitBlock(n.subA)
	}
	link, err := a.ReporterKeeper.Link.Get(n.subA.GetContext())
	require.NoError(t, err)
	require.NotNil(t, link.InFlight, "the change the lost report carried waits for the heartbeat")
	require.False(t, link.InFlight.Heartbeat)

	evs, ack := n.relayReport(t, n.pathA)
	require.True(t, ack.Success(), ack.GetError())
	nodes, ok := findEvent[*collectortypes.EventNodesChanged](evs)
	require.True(t, ok, "no EventNodesChanged")
	require.Equal(t, []string{sdk.ConsAddress(cons).String()}, nodes.Removed)
}

// TestHoleSnapshotRingBounded: before, the sidecar dropped only the snapshot
// exactly snapshot_ring intervals back, so after report_interval changed the
// snapshots of the old cadence stayed for good. The ring now holds only the
// snapshots of its span, whatever the params did.
func TestHoleSnapshotRingBounded(t *testing.T) {
	n := newNetwork(t)
	k := apptesting.App(n.subA).ReporterKeeper
	setParams := func(interval, ring uint32) {
		params, err := k.Params.Get(n.subA.GetContext())
		require.NoError(t, err)
		params.ReportInterval, params.SnapshotRing = interval, ring
		require.NoError(t, k.Params.Set(n.subA.GetContext(), params))
	}
	ring := func() []int64 {
		var heights []int64
		require.NoError(t, k.Snapshots.Walk(n.subA.GetContext(), nil, func(h int64, _ shared.StatusSnapshot) (bool, error) {
			heights = append(heights, h)
			return false, nil
		}))
		return heights
	}
	setParams(2, 4)
	for range 20 {
		n.coord.CommitBlock(n.subA)
	}
	require.Len(t, ring(), 4)
	setParams(3, 4)
	for range 30 {
		n.coord.CommitBlock(n.subA)
	}
	heights := ring()
	require.LessOrEqual(t, len(heights), 4, "ring %v", heights)
	require.Greater(t, heights[0], heights[len(heights)-1]-4*3, "ring %v keeps snapshots older than its span", heights)
	apptesting.CheckInvariants(t, n.subA)
}
