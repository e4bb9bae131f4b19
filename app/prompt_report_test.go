package app_test

import (
	"fmt"
	"maps"
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"

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

// TestReportAfterALostOne: after a report timed out, its contract, pending
// again, leaves in the first block at least an interval after the lost
// report, as a change (the sidecar does not know what the main chain has),
// and not before.
func TestReportAfterALostOne(t *testing.T) {
	n := promptNetwork(t, promptInterval)
	instantiate(t, n.subA, "lost")
	apptesting.CommitUntilInFlight(t, n.coord, n.subA)
	lost := apptesting.InFlightReport(t, n.pathA)
	lostAt := n.link(t).InFlight.Height
	n.coord.IncrementTimeBy(reportertypes.DefaultParams().PacketTimeout)
	n.coord.CommitBlock(n.main)
	require.NoError(t, n.pathA.EndpointA.UpdateClient())
	timeoutAt := n.subA.GetContext().BlockHeight()
	require.NoError(t, n.pathA.EndpointA.TimeoutPacket(lost))
	require.NotZero(t, n.pendingContracts(t))

	for n.link(t).InFlight == nil {
		require.Less(t, n.subA.GetContext().BlockHeight(), lostAt+3*promptInterval, "no report sent")
		n.coord.CommitBlock(n.subA)
	}
	next := n.link(t).InFlight
	require.Equal(t, max(lostAt+promptInterval, timeoutAt), next.Height,
		"the report after one lost at %d (timed out at %d) leaves at the first block an interval after it", lostAt, timeoutAt)
	require.False(t, next.Heartbeat, "after a loss the next report is a change")
	require.Len(t, next.Contracts, 1)
	evs, ack := n.relayReport(t, n.pathA)
	require.True(t, ack.Success(), ack.GetError())
	_, ok := findEvent[*collectortypes.EventContractsChanged](evs)
	require.True(t, ok, "the lost report's contract reaches the main chain")
}

// TestPromptReportsUnderRandomTraffic: subchain blocks in which, at random,
// contracts are created, the report in flight is relayed at once or late,
// or times out. Whatever the order, no two reports leave within an
// interval, the ring keeps snapshots of snapshot heights only, and once the
// link drains every contract created has reached the main chain once.
func TestPromptReportsUnderRandomTraffic(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			n := promptNetwork(t, promptInterval)
			since := n.subA.GetContext().BlockHeight() // the ring holds older snapshots of the interval before
			rnd := rand.New(rand.NewSource(seed))
			sent := map[uint64]int64{} // the sidecar's report sequence -> the height it left at
			var created, announced []string
			note := func() {
				if l := n.link(t); l.InFlight != nil {
					sent[l.InFlight.Sequence] = l.InFlight.Height
				}
			}
			relay := func() {
				evs, ack := n.relayReport(t, n.pathA)
				require.True(t, ack.Success(), ack.GetError())
				if c, ok := findEvent[*collectortypes.EventContractsChanged](evs); ok {
					for _, a := range c.Added {
						announced = append(announced, a.Address)
					}
				}
			}
			for range 40 {
				note()
				switch r := rnd.Intn(10); {
				case r < 4:
					created = append(created, instantiate(t, n.subA, "random"))
				case r < 6:
					n.coord.CommitBlock(n.subA)
				case r < 9:
					if n.link(t).InFlight != nil {
						relay()
					}
				default:
					if n.link(t).InFlight != nil {
						lost := apptesting.InFlightReport(t, n.pathA)
						n.coord.IncrementTimeBy(reportertypes.DefaultParams().PacketTimeout)
						n.coord.CommitBlock(n.main)
						require.NoError(t, n.pathA.EndpointA.UpdateClient())
						require.NoError(t, n.pathA.EndpointA.TimeoutPacket(lost))
					}
				}
			}
			for range 8 {
				note()
				if n.pendingContracts(t) == 0 && n.link(t).InFlight == nil {
					break
				}
				relay()
			}
			require.Zero(t, n.pendingContracts(t), "contracts still pending after the link drained")
			require.ElementsMatch(t, created, announced, "each contract announced once")

			seqs := slices.Sorted(maps.Keys(sent))
			require.Greater(t, len(seqs), 3, "reports kept leaving")
			for i := 1; i < len(seqs); i++ {
				a, b := sent[seqs[i-1]], sent[seqs[i]]
				require.GreaterOrEqual(t, b-a, int64(promptInterval), "reports %d and %d left at heights %d and %d", seqs[i-1], seqs[i], a, b)
			}
			ctx := n.subA.GetContext()
			require.NoError(t, apptesting.App(n.subA).ReporterKeeper.Snapshots.Walk(ctx, nil, func(h int64, _ shared.StatusSnapshot) (bool, error) {
				require.True(t, h < since || h%promptInterval == 0, "a snapshot of height %d in the ring", h)
				return false, nil
			}))
		})
	}
}
