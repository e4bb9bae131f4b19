package keeper_test

// Fuzz targets of the reporter's side of the status channel: whatever comes
// back as an acknowledgement, and whatever packet data it names, the keeper
// never panics, and what it refuses changes nothing. Run one with
//
//	go test ./x/statuscollect/reporter/keeper -run '^$' -fuzz '^FuzzOnAcknowledgement$' -fuzztime 20s
//
// or all of them with scripts/fuzz.sh. Plain `go test` runs the seeds (the
// f.Add calls and testdata/fuzz/<target>/) as ordinary test cases.

import (
	"cosmossdk.io/collections"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// inFlightPacket is the fixture's report in flight (packet 1 of channel-0)
// with data as its packet data, or another packet of the channel.
func inFlightPacket(seq uint64, data []byte) channeltypes.Packet {
	return channeltypes.Packet{
		Sequence: seq, SourcePort: shared.ReporterPortID, SourceChannel: statusChannel,
		DestinationPort: shared.CollectorPortID, DestinationChannel: "channel-3", Data: data,
		TimeoutTimestamp: uint64(genesisTime.UnixNano()),
	}
}

// fuzzFixture returns the fixture one input runs on: base seen through a
// cache context, so that no input sees another's writes.
func fuzzFixture(t *testing.T, base *fixture) *fixture {
	ctx, _ := base.ctx.CacheContext()
	return &fixture{t: t, ctx: ctx.WithEventManager(sdk.NewEventManager()), key: base.key, k: base.k}
}

// packetSeeds are packet data: the report in flight, evidence in flight
// (against main report 4), and broken data.
func packetSeeds(t testing.TB) (report, evidence []byte, broken [][]byte) {
	sent := snapshot(50)
	report, err := shared.NewReportPacket(shared.StatusReport{Sequence: 2, Snapshot: &sent, SnapshotEvery: 10})
	require.NoError(t, err)
	own := snapshot(40)
	evidence, err = shared.NewEvidencePacket(shared.DisputeEvidence{MainSequence: 4, Snapshot: &own, Filer: authority})
	require.NoError(t, err)
	return report, evidence, [][]byte{report[:len(report)/2], {}, []byte("not a packet")}
}

func resultAck(t testing.TB, r shared.StatusReportAck) []byte {
	bz, err := r.Marshal()
	require.NoError(t, err)
	return channeltypes.NewResultAcknowledgement(bz).Acknowledgement()
}

// FuzzOnAcknowledgement feeds arbitrary acknowledgement bytes, packet data
// and packet sequence to the IBC module's OnAcknowledgementPacket with a
// report in flight. It never
// panics; an error changes nothing; for the report in flight a success
// settles it and an error acknowledgement releases it as failed; an ack for
// evidence settles the evidence only; any other packet changes nothing.
func FuzzOnAcknowledgement(f *testing.F) {
	report, evidence, broken := packetSeeds(f)
	okReport := resultAck(f, shared.StatusReportAck{MainSequence: 6})
	okEvidence := resultAck(f, shared.StatusReportAck{MainSequence: 4, DisputeId: 9})
	refused := channeltypes.NewErrorAcknowledgement(errors.New("report height not above the latest report")).Acknowledgement()
	f.Add(okReport, report, uint64(1))     // the report in flight, settled
	f.Add(refused, report, uint64(1))      // the report in flight, refused
	f.Add(okReport, report, uint64(2))     // not the packet in flight
	f.Add(okEvidence, evidence, uint64(2)) // evidence upheld
	f.Add(refused, evidence, uint64(2))    // evidence refused: report 4 may be disputed again
	f.Add([]byte(`{}`), report, uint64(1))
	f.Add([]byte(`{"result":"bm90IGFuIGFjaw=="}`), report, uint64(1)) // a result that is no StatusReportAck
	f.Add([]byte(`not json`), report, uint64(1))
	// testdata/fuzz/FuzzOnAcknowledgement/bug-report-without-snapshot holds
	// an acknowledged report whose packet data has no snapshot: it once
	// panicked.
	for _, b := range broken {
		f.Add(okReport, b, uint64(1))
	}
	base := newFixture(f)
	f.Fuzz(func(t *testing.T, ackBytes, data []byte, seq uint64) {
		g := fuzzFixture(t, base)
		packet := inFlightPacket(seq, data)
		before, link, had := g.dump(), g.link(), g.disputedBefore(data)
		if err := reporter.NewIBCModule(g.k).OnAcknowledgementPacket(g.ctx, "", packet, ackBytes, nil); err != nil {
			requireSameStore(t, before, g.dump(), "refused acknowledgement: %v", err)
			return
		}
		var ack channeltypes.Acknowledgement
		require.NoError(t, channeltypes.SubModuleCdc.UnmarshalJSON(ackBytes, &ack), "an accepted ack decodes")
		var pd shared.StatusPacketData
		if pd.Unmarshal(data) != nil {
			pd = shared.StatusPacketData{} // not data this module sent
		}
		if ev := pd.GetEvidence(); ev != nil {
			g.requireEvidenceSettled(before, link, ev, had, ack.Success())
			return
		}
		if seq != link.InFlight.PacketSequence {
			requireSameStore(t, before, g.dump(), "an ack for a packet not in flight")
			return
		}
		l := g.link()
		require.Nil(t, l.InFlight, "the report in flight is settled")
		require.Equal(t, link.LastSent, l.LastSent)
		if !ack.Success() {
			g.requireReleased(link, l)
		} else {
			var result shared.StatusReportAck
			require.NoError(t, result.Unmarshal(ack.GetResult()))
			require.Equal(t, link.InFlight.Sequence, l.LastAcked)
			require.Equal(t, result.MainSequence, l.LastAckedMainSequence)
			require.Equal(t, link.Failed, l.Failed)
			has, err := g.k.LastSent.Has(g.ctx)
			require.NoError(t, err)
			require.True(t, has, "an acknowledged report stays the one to compare with")
			g.requirePendingCount(l)
			require.True(t, g.pending(c3.Address), "a contract the report did not carry stays pending")
		}

		// The same ack again: the report is no longer in flight.
		again := g.dump()
		require.NoError(t, reporter.NewIBCModule(g.k).OnAcknowledgementPacket(g.ctx, "", packet, ackBytes, nil))
		requireSameStore(t, again, g.dump(), "a second ack of one packet")
	})
}

// FuzzOnTimeout feeds arbitrary packet data and sequence to OnTimeoutPacket with a
// report in flight: no panic; the report in flight is released as failed,
// evidence freed for another attempt, anything else changes nothing.
func FuzzOnTimeout(f *testing.F) {
	report, evidence, broken := packetSeeds(f)
	f.Add(report, uint64(1))
	f.Add(report, uint64(2))
	f.Add(evidence, uint64(2))
	f.Add([]byte{0x0a, 0x00}, uint64(1)) // a report without a snapshot
	for _, b := range broken {
		f.Add(b, uint64(1))
	}
	base := newFixture(f)
	f.Fuzz(func(t *testing.T, data []byte, seq uint64) {
		g := fuzzFixture(t, base)
		packet := inFlightPacket(seq, data)
		before, link, had := g.dump(), g.link(), g.disputedBefore(data)
		if err := reporter.NewIBCModule(g.k).OnTimeoutPacket(g.ctx, "", packet, nil); err != nil {
			requireSameStore(t, before, g.dump(), "refused timeout: %v", err)
			return
		}
		var pd shared.StatusPacketData
		if pd.Unmarshal(data) != nil {
			pd = shared.StatusPacketData{}
		}
		if ev := pd.GetEvidence(); ev != nil {
			g.requireEvidenceSettled(before, link, ev, had, false)
			return
		}
		if seq != link.InFlight.PacketSequence {
			requireSameStore(t, before, g.dump(), "a timeout of a packet not in flight")
			return
		}
		l := g.link()
		require.Nil(t, l.InFlight)
		g.requireReleased(link, l)
		again := g.dump()
		require.NoError(t, reporter.NewIBCModule(g.k).OnTimeoutPacket(g.ctx, "", packet, nil))
		requireSameStore(t, again, g.dump(), "a second timeout of one packet")
	})
}

// requireEvidenceSettled: an answer to evidence touches only the Disputed
// set. Upheld, the report stays disputed; refused or timed out, it is freed.
func (f *fixture) requireEvidenceSettled(before [][2][]byte, link types.LinkStatus, ev *shared.DisputeEvidence, had, upheld bool) {
	f.t.Helper()
	require.Equal(f.t, link, f.link(), "evidence leaves the report in flight alone")
	if key, ok := disputedKey(ev); ok && !upheld {
		has, err := f.k.Disputed.Has(f.ctx, key)
		require.NoError(f.t, err)
		require.False(f.t, has, "refused evidence frees report %d", ev.MainSequence)
		// Put it back as it was: then nothing else may differ.
		if had {
			require.NoError(f.t, f.k.Disputed.Set(f.ctx, key))
		}
	}
	requireSameStore(f.t, before, f.dump(), "evidence answered (upheld %t)", upheld)
}

// requireReleased: a report lost or refused counts as failed, and the last
// snapshot sent is forgotten but for its height (requireForgotten); its
// contracts stay pending.
func (f *fixture) requireReleased(before, after types.LinkStatus) {
	f.t.Helper()
	require.Equal(f.t, before.Failed+1, after.Failed)
	require.Equal(f.t, before.LastAcked, after.LastAcked)
	require.Equal(f.t, before.PendingContracts, after.PendingContracts)
	f.requireForgotten(snapshot(50))
	for _, c := range []string{c1.Address, c2.Address, c3.Address} {
		require.True(f.t, f.pending(c), "%s stays pending", c)
	}
}

// disputedBefore tells whether the report that data's evidence (if it is
// evidence) names is in the Disputed set.
func (f *fixture) disputedBefore(data []byte) bool {
	f.t.Helper()
	var pd shared.StatusPacketData
	if pd.Unmarshal(data) != nil {
		return false
	}
	key, ok := disputedKey(pd.GetEvidence())
	if !ok {
		return false
	}
	has, err := f.k.Disputed.Has(f.ctx, key)
	require.NoError(f.t, err)
	return has
}

// disputedKey is evidence's entry in the Disputed set (none without a snapshot).
func disputedKey(ev *shared.DisputeEvidence) (collections.Pair[int64, uint64], bool) {
	if ev == nil || ev.Snapshot == nil {
		return collections.Pair[int64, uint64]{}, false
	}
	return collections.Join(ev.Snapshot.Height, ev.MainSequence), true
}

func (f *fixture) pending(addr string) bool {
	f.t.Helper()
	has, err := f.k.PendingContracts.Has(f.ctx, addr)
	require.NoError(f.t, err)
	return has
}

// requirePendingCount: the link's count of pending contracts is what the
// store holds.
func (f *fixture) requirePendingCount(l types.LinkStatus) {
	f.t.Helper()
	n := 0
	require.NoError(f.t, f.k.PendingContracts.Walk(f.ctx, nil, func(string, shared.Contract) (bool, error) {
		n++
		return false, nil
	}))
	require.EqualValues(f.t, n, l.PendingContracts)
}

// requireSameStore names the first pair that differs instead of printing both stores.
func requireSameStore(t testing.TB, want, got [][2][]byte, why string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(why, args...)
	for i := range min(len(want), len(got)) {
		require.Equal(t, fmt.Sprintf("%x", want[i][0]), fmt.Sprintf("%x", got[i][0]), "%s: key %d", msg, i)
		require.Equal(t, want[i][1], got[i][1], "%s: value of key %x", msg, want[i][0])
	}
	require.Equal(t, len(want), len(got), "%s: the stores hold different numbers of pairs", msg)
}

// requireForgotten: of the lost report's snapshot (lost) the sidecar keeps
// its chain, height and time only, so the next snapshot is a change, sent
// whole, and still spaced an interval from the lost one.
func (f *fixture) requireForgotten(lost shared.StatusSnapshot) {
	f.t.Helper()
	last, err := f.k.LastSent.Get(f.ctx)
	require.NoError(f.t, err)
	require.Equal(f.t, shared.StatusSnapshot{ChainId: lost.ChainId, Height: lost.Height, BlockTime: lost.BlockTime}, last)
}
