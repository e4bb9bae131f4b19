package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"

	"github.com/statuscollect/statuscollect/app/apptesting"
)

// promptInterval is subchain A's report interval in these tests: long enough
// that most blocks are between snapshot heights.
const promptInterval = 5

// promptNetwork is a network whose subchain A snapshots every interval
// blocks and has had its first report acknowledged.
func promptNetwork(t *testing.T, interval uint32) *network {
	t.Helper()
	n := newNetwork(t)
	n.relayReport(t, n.pathA) // sent at the network's interval
	k := apptesting.App(n.subA).ReporterKeeper
	params, err := k.Params.Get(n.subA.GetContext())
	require.NoError(t, err)
	params.ReportInterval = interval
	require.NoError(t, k.Params.Set(n.subA.GetContext(), params))
	storeHackatom(t, n.subA)
	return n
}

// link is subchain A's sidecar link.
func (n *network) link(t *testing.T) reportertypes.LinkStatus {
	t.Helper()
	l, err := apptesting.App(n.subA).ReporterKeeper.Link.Get(n.subA.GetContext())
	require.NoError(t, err)
	return l
}

// lastSentHeight is the height of subchain A's last report sent.
func (n *network) lastSentHeight(t *testing.T) int64 {
	t.Helper()
	s, err := apptesting.App(n.subA).ReporterKeeper.LastSent.Get(n.subA.GetContext())
	require.NoError(t, err)
	return s.Height
}

// commitUntilPromptable commits subchain A's blocks until its next block is
// between snapshot heights and at least an interval after the last report.
func (n *network) commitUntilPromptable(t *testing.T) {
	t.Helper()
	for range 4 * promptInterval {
		next := n.subA.GetContext().BlockHeight()
		if next%promptInterval != 0 && next-n.lastSentHeight(t) >= promptInterval && n.link(t).InFlight == nil {
			return
		}
		n.coord.CommitBlock(n.subA)
	}
	t.Fatal("no block between snapshot heights with an idle link")
}

// TestContractIsReportedInItsOwnBlock: a contract created between snapshot
// heights, with the link idle, leaves in a report of the block that created
// it, and the main chain records it at that height. The snapshot is not kept
// in the ring nor moves the transaction window: those stay one an interval.
func TestContractIsReportedInItsOwnBlock(t *testing.T) {
	n := promptNetwork(t, promptInterval)
	k := apptesting.App(n.subA).ReporterKeeper
	n.commitUntilPromptable(t)
	window, err := k.Window.Get(n.subA.GetContext())
	require.NoError(t, err)

	h := n.subA.GetContext().BlockHeight()
	addr := instantiate(t, n.subA, "prompt")
	l := n.link(t)
	require.NotNil(t, l.InFlight, "no report left in the block that created the contract")
	require.Equal(t, h, l.InFlight.Height)
	require.NotZero(t, h%promptInterval, "the block is between snapshot heights")
	require.Equal(t, []string{addr}, l.InFlight.Contracts)

	ctx := n.subA.GetContext()
	kept, err := k.Snapshots.Has(ctx, h)
	require.NoError(t, err)
	require.False(t, kept, "a prompt snapshot is not kept in the ring")
	after, err := k.Window.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, window, after, "a prompt snapshot does not move the transaction window")

	evs, ack := n.relayReport(t, n.pathA)
	require.True(t, ack.Success(), ack.GetError())
	changed, ok := findEvent[*collectortypes.EventContractsChanged](evs)
	require.True(t, ok, "no EventContractsChanged")
	require.Equal(t, addr, changed.Added[0].Address)
	require.Equal(t, h, n.latest(t, apptesting.SubChainAID).Snapshot.Height)
}

// TestPromptReportsKeepOneAnInterval: a contract created in every block, each
// report relayed as soon as it leaves, does not make the sidecar report more
// often than once an interval, and every contract reaches the main chain
// once.
func TestPromptReportsKeepOneAnInterval(t *testing.T) {
	// The relay of a report and its acknowledgement takes 4 subchain blocks
	// here: an interval of 10 leaves room for a report every 5 blocks.
	const interval = 10
	n := promptNetwork(t, interval)
	var created, announced []string
	heights := []int64{n.lastSentHeight(t)}
	for range 4 * interval {
		created = append(created, instantiate(t, n.subA, "spam"))
		if l := n.link(t); l.InFlight != nil {
			heights = append(heights, l.InFlight.Height)
			evs, ack := n.relayReport(t, n.pathA)
			require.True(t, ack.Success(), ack.GetError())
			if c, ok := findEvent[*collectortypes.EventContractsChanged](evs); ok {
				for _, a := range c.Added {
					announced = append(announced, a.Address)
				}
			}
		}
	}
	require.Greater(t, len(heights), 3, "reports kept leaving")
	for i := 1; i < len(heights); i++ {
		require.GreaterOrEqual(t, heights[i]-heights[i-1], int64(interval),
			"reports at subchain heights %d and %d: closer than an interval", heights[i-1], heights[i])
	}
	for n.pendingContracts(t) > 0 {
		evs, ack := n.relayReport(t, n.pathA)
		require.True(t, ack.Success(), ack.GetError())
		if c, ok := findEvent[*collectortypes.EventContractsChanged](evs); ok {
			for _, a := range c.Added {
				announced = append(announced, a.Address)
			}
		}
	}
	require.ElementsMatch(t, created, announced, "each contract announced once")
}

// TestNoPromptReportAfterALostOne: after a report timed out, its contract,
// pending again, does not leave between snapshot heights: the next report
// waits for a snapshot height and sends the whole state again (what a lost
// report carried is not known to be on the main chain).
func TestNoPromptReportAfterALostOne(t *testing.T) {
	n := promptNetwork(t, promptInterval)
	instantiate(t, n.subA, "lost")
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	lost := apptesting.InFlightReport(t, n.pathA)
	// The timeout takes two subchain blocks (the client update, then the
	// timeout): place them just after a snapshot height, so blocks between
	// snapshot heights follow it.
	for n.subA.GetContext().BlockHeight()%promptInterval != 1 {
		n.coord.CommitBlock(n.subA)
	}
	n.coord.IncrementTimeBy(reportertypes.DefaultParams().PacketTimeout)
	n.coord.CommitBlock(n.main)
	require.NoError(t, n.pathA.EndpointA.UpdateClient())
	require.NoError(t, n.pathA.EndpointA.TimeoutPacket(lost))
	require.Nil(t, n.link(t).InFlight)
	require.NotZero(t, n.pendingContracts(t))

	between := 0 // blocks between snapshot heights committed with the contract pending
	for n.link(t).InFlight == nil {
		h := n.subA.GetContext().BlockHeight()
		if h%promptInterval != 0 {
			between++
		}
		require.Less(t, between, 2*promptInterval, "no report sent")
		n.coord.CommitBlock(n.subA)
	}
	require.Zero(t, n.link(t).InFlight.Height%promptInterval, "the report after a lost one is a snapshot height's")
	require.NotZero(t, between, "no block between snapshot heights was tried")
}
