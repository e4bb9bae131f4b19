package keeper_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// typedEvents decodes the typed events of a context, as a listener decodes
// them from a block's results.
func typedEvents(t *testing.T, ctx sdk.Context) []proto.Message {
	t.Helper()
	var out []proto.Message
	for _, ev := range ctx.EventManager().ABCIEvents() {
		msg, err := sdk.ParseTypedEvent(abci.Event(ev))
		require.NoError(t, err, "event %s", ev.Type)
		out = append(out, msg)
	}
	return out
}

func eventOf[T proto.Message](t *testing.T, evs []proto.Message) T {
	t.Helper()
	for _, ev := range evs {
		if e, ok := ev.(T); ok {
			return e
		}
	}
	var zero T
	t.Fatalf("no %T among %d events", zero, len(evs))
	return zero
}

func noEventOf[T proto.Message](t *testing.T, evs []proto.Message) {
	t.Helper()
	for _, ev := range evs {
		_, ok := ev.(T)
		require.False(t, ok, "unexpected %T", ev)
	}
}

// TestReportEventsCarryChanges submits two reports and checks that the
// events of each carry the change set against the previous one.
func TestReportEventsCarryChanges(t *testing.T) {
	f := newFixture(t)
	first := snapshot(chainA, 100)
	res, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: first})
	require.NoError(t, err)
	require.EqualValues(t, 1, res.Sequence)

	evs := typedEvents(t, f.ctx)
	reported := eventOf[*types.EventStatusReported](t, evs)
	require.Equal(t, types.ReportSource{OrgId: orgA, Reporter: reporterA}, reported.Source)
	require.EqualValues(t, 4, reported.OrgCount)
	require.EqualValues(t, 4, reported.NodeCount)
	require.EqualValues(t, 5, reported.ContractCount)
	require.Equal(t, first.Orgs, eventOf[*types.EventOrgsChanged](t, evs).Joined)
	require.Len(t, eventOf[*types.EventNodesChanged](t, evs).Added, 4)
	require.Equal(t, first.NewContracts, eventOf[*types.EventContractsChanged](t, evs).Added)

	// Second report: org-c leaves, org-e joins, val-d leaves, val-a doubles
	// its power, one contract is deployed.
	f.advance(time.Minute)
	second := snapshot(chainA, 120)
	second.Orgs = []string{"org-a", "org-a2", "org-d", "org-e"}
	second.Validators = second.Validators[:3]
	second.Validators[0].Power = 20
	second.NewContracts = []shared.Contract{{Address: "sub1contract0003", CodeId: 2, Label: "billing"}}
	second.ContractCount = 6
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: second})
	require.NoError(t, err)

	evs = typedEvents(t, f.ctx)
	orgs := eventOf[*types.EventOrgsChanged](t, evs)
	require.Equal(t, []string{"org-e"}, orgs.Joined)
	require.Equal(t, []string{"org-c"}, orgs.Left)
	nodes := eventOf[*types.EventNodesChanged](t, evs)
	require.Empty(t, nodes.Added)
	require.Equal(t, []string{"subvalcons1dddd"}, nodes.Removed)
	require.Equal(t, []types.ValidatorPower{{Address: "subvalcons1aaaa", OldPower: 10, NewPower: 20}}, nodes.PowerChanged)
	require.EqualValues(t, 3, nodes.NodeCount)
	contracts := eventOf[*types.EventContractsChanged](t, evs)
	require.Equal(t, second.NewContracts, contracts.Added)
	require.EqualValues(t, 5, contracts.CountBefore)
	require.EqualValues(t, 6, contracts.CountAfter)

	// The change set is stored with the report, and the latest is O(1).
	latest, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
	require.NoError(t, err)
	require.EqualValues(t, 2, latest.Report.Sequence)
	require.Equal(t, orgs.Joined, latest.Report.Changes.OrgsJoined)

	// A third report with nothing changed emits only EventStatusReported.
	f.advance(time.Minute)
	third := second
	third.Height, third.BlockTime, third.NewContracts = 140, genesisTime.Add(140*time.Second), nil
	third.TotalTxs = second.TotalTxs + 10
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: third})
	require.NoError(t, err)
	evs = typedEvents(t, f.ctx)
	require.Len(t, evs, 1)
	require.Equal(t, orgA2, eventOf[*types.EventStatusReported](t, evs).Source.OrgId)
	noEventOf[*types.EventNodesChanged](t, evs)
}

// TestBadReportsChangeNothing: each bad submission is refused with its error,
// writes nothing and emits nothing.
func TestBadReportsChangeNothing(t *testing.T) {
	cases := []struct {
		name     string
		malleate func(f *fixture, msg *types.MsgSubmitStatus)
		expErr   error
	}{
		{"unknown subchain", func(_ *fixture, m *types.MsgSubmitStatus) { m.Snapshot.ChainId = "subchain-x" }, types.ErrNotReporter},
		{"report for another org's subchain", func(_ *fixture, m *types.MsgSubmitStatus) { m.Snapshot.ChainId = chainB }, types.ErrNotReporter},
		{"height going backwards", func(_ *fixture, m *types.MsgSubmitStatus) { m.Snapshot.Height = 99 }, types.ErrOutdatedReport},
		{"duplicate submission", func(_ *fixture, m *types.MsgSubmitStatus) { m.Snapshot.Height = 100 }, types.ErrOutdatedReport},
		{"retired subchain", func(f *fixture, _ *types.MsgSubmitStatus) {
			f.must(f.msgs.RetireSubchain(f.ctx, &types.MsgRetireSubchain{Authority: authority, ChainId: chainA}))
		}, types.ErrSubchainRetired},
		{"counts disagree with lists", func(_ *fixture, m *types.MsgSubmitStatus) { m.Snapshot.ContractCount = 1 }, shared.ErrInvalidSnapshot},
		{"too many validators", func(_ *fixture, m *types.MsgSubmitStatus) {
			m.Snapshot.Validators = nil
			for i := range shared.MaxValidators + 1 {
				m.Snapshot.Validators = append(m.Snapshot.Validators, shared.Validator{Address: fmt.Sprintf("v%06d", i), Power: 1})
			}
		}, shared.ErrTooLarge},
		{"oversized id", func(_ *fixture, m *types.MsgSubmitStatus) { m.Snapshot.Orgs = []string{strings.Repeat("o", 200)} }, shared.ErrTooLarge},
		{"empty chain id", func(_ *fixture, m *types.MsgSubmitStatus) { m.Snapshot.ChainId = "" }, shared.ErrInvalidID}, // ValidateBasic refuses it before any keeper read
		{"lists hash of other lists", func(_ *fixture, m *types.MsgSubmitStatus) {
			m.Snapshot.Orgs = m.Snapshot.Orgs[1:]
			m.ListsHash = m.Snapshot.ListsHash()
			m.Snapshot.Orgs, m.Snapshot.Validators = nil, nil
		}, types.ErrListsChanged},
		{"lists hash beside the lists", func(_ *fixture, m *types.MsgSubmitStatus) { m.ListsHash = m.Snapshot.ListsHash() }, types.ErrInvalidRequest},
		{"lists hash beside the validators", func(_ *fixture, m *types.MsgSubmitStatus) {
			m.ListsHash, m.Snapshot.Orgs = m.Snapshot.ListsHash(), nil
		}, types.ErrInvalidRequest},
		{"short lists hash", func(_ *fixture, m *types.MsgSubmitStatus) {
			m.ListsHash, m.Snapshot.Orgs, m.Snapshot.Validators = m.Snapshot.ListsHash()[1:], nil, nil
		}, types.ErrInvalidRequest},
		{"empty lists hash", func(_ *fixture, m *types.MsgSubmitStatus) {
			m.ListsHash, m.Snapshot.Orgs, m.Snapshot.Validators = []byte{}, nil, nil
		}, types.ErrInvalidRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)}))
			f.advance(time.Second)
			msg := &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 110)}
			tc.malleate(f, msg)
			f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
			before := f.dump()
			err := f.deliver(msg)
			require.ErrorIs(t, err, tc.expErr)
			require.Equal(t, before, f.dump())
			require.Empty(t, f.ctx.EventManager().Events())
		})
	}
}

// TestTxReportsOnlyAtSnapshotHeights: once the subchain's sidecar has named
// its snapshot interval over IBC, a report by tx must be of a height it
// snapshots, so the subchain can check it; a chain without one takes any.
func TestTxReportsOnlyAtSnapshotHeights(t *testing.T) {
	f := newFixture(t)
	submit := func(reporter, chain string, h int64) error {
		_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporter, Snapshot: snapshot(chain, h)})
		return err
	}
	require.NoError(t, submit(reporterA, chainA, 45), "interval unknown yet: any height")
	snap := snapshot(chainA, 50)
	_, err := f.ibcReportEvery(1, snap, 10)
	require.NoError(t, err)
	require.EqualValues(t, 10, f.subchain(chainA).SnapshotEvery)

	before := f.subchain(chainA)
	err = submit(reporterA, chainA, 55)
	require.ErrorIs(t, err, types.ErrUncheckable)
	require.ErrorContains(t, err, "height 55; its sidecar snapshots every 10 blocks (heights 50, 60, ...)")
	require.Equal(t, before, f.subchain(chainA), "a refused report changes nothing")
	require.NoError(t, submit(reporterA, chainA, 60))

	require.NoError(t, submit(reporterB, chainB, 55), "no sidecar report on chain B: any height")
}

// byHash is msg's snapshot with its orgs and validators named by their hash.
func byHash(msg *types.MsgSubmitStatus) *types.MsgSubmitStatus {
	msg.NameListsByHash()
	return msg
}

// TestListsByHashStoreTheSameReport: a report naming the latest report's
// lists by their hash leaves the store, the events and every query exactly
// as the same report sent whole.
func TestListsByHashStoreTheSameReport(t *testing.T) {
	whole, hashed := newFixture(t), newFixture(t)
	var events [2][]proto.Message
	for i, f := range []*fixture{whole, hashed} {
		require.NoError(t, f.deliver(&types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)}))
		f.advance(time.Second)
		f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
		next := &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 110)}
		next.Snapshot.ContractCount = 7 // a change, lists unchanged
		if f == hashed {
			next = byHash(next)
			require.Empty(t, next.Snapshot.Validators)
		}
		require.NoError(t, f.deliver(next))
		events[i] = typedEvents(t, f.ctx)
		require.NotEmpty(t, events[i])
	}
	require.Equal(t, whole.dump(), hashed.dump())
	require.Equal(t, events[0], events[1])
	got := hashed.report(chainA, 2)
	require.Equal(t, snapshot(chainA, 110).Validators, got.Snapshot.Validators)
	require.Equal(t, snapshot(chainA, 110).Orgs, got.Snapshot.Orgs)
}

// TestListsByHashNeverStandForListsNotRead: a hash names the lists its
// reporter read, never the latest report's when those changed in between
// (another org's report of other validators landed first), and a subchain's
// first report has no lists to name.
func TestListsByHashNeverStandForListsNotRead(t *testing.T) {
	f := newFixture(t)
	first := byHash(&types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)})
	err := f.deliver(first)
	require.ErrorIs(t, err, types.ErrListsChanged)
	require.ErrorContains(t, err, "has no report yet")

	require.NoError(t, f.deliver(&types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)}))
	f.advance(time.Second)
	read := snapshot(chainA, 120) // what org A's reporter read and will name by hash
	other := snapshot(chainA, 110)
	other.Validators = other.Validators[1:]
	require.NoError(t, f.deliver(&types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: other}))
	f.advance(time.Second)

	before := f.dump()
	err = f.deliver(byHash(&types.MsgSubmitStatus{Reporter: reporterA, Snapshot: read}))
	require.ErrorIs(t, err, types.ErrListsChanged)
	require.ErrorContains(t, err, "latest report 2's lists")
	require.Equal(t, before, f.dump())

	// Naming the lists it now reads (report 2's) is taken.
	read.Validators = other.Validators
	require.NoError(t, f.deliver(byHash(&types.MsgSubmitStatus{Reporter: reporterA, Snapshot: read})))
	require.Equal(t, other.Validators, f.report(chainA, 3).Snapshot.Validators)
	require.Empty(t, f.report(chainA, 3).Changes.NodesAdded)
	require.Empty(t, f.report(chainA, 3).Changes.NodesRemoved)
}

// TestIBCReportNamesListsByHash: a report over the status channel may name
// its orgs and validators by hash when they are the latest report's; it is
// stored exactly as the same report sent whole. Named against other lists,
// or before any report, it is refused and changes nothing.
func TestIBCReportNamesListsByHash(t *testing.T) {
	byHash := func(snap shared.StatusSnapshot, seq uint64) shared.StatusReport {
		hash := snap.NameListsByHash()
		return shared.StatusReport{Sequence: seq, Snapshot: &snap, ListsHash: hash}
	}
	next := snapshot(chainA, 110)
	next.NewContracts, next.ContractCount = nil, 2

	whole, named := newFixture(t), newFixture(t)
	for _, f := range []*fixture{whole, named} {
		f.must(f.ibcReport(1, snapshot(chainA, 100)))
		f.advance(10 * time.Second)
	}
	f := named
	channel := f.statusChannel(chainA)
	whole.ctx = whole.ctx.WithEventManager(sdk.NewEventManager())
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	whole.must(whole.ibcReport(2, next))
	f.must(f.k.ReceiveReport(f.ctx, channel, byHash(next, 2)))
	require.Equal(t, whole.dump(), f.dump(), "named by hash, stored as if sent whole")
	require.Equal(t, whole.ctx.EventManager().Events(), f.ctx.EventManager().Events(), "and its events count the lists it named")
	latest, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
	require.NoError(t, err)
	require.Equal(t, next.Validators, latest.Report.Snapshot.Validators)
	require.Equal(t, next.Orgs, latest.Report.Snapshot.Orgs)

	refused := func(r shared.StatusReport, want error) {
		t.Helper()
		f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
		before := f.dump()
		_, err := f.k.ReceiveReport(f.ctx, channel, r)
		require.ErrorIs(t, err, want)
		require.Equal(t, before, f.dump())
		require.Empty(t, f.ctx.EventManager().Events())
	}
	// An org's report by tx changed the orgs since: the hash of the lists the
	// sidecar last sent no longer names the latest report's.
	f.advance(10 * time.Second)
	byTx := snapshot(chainA, 120)
	byTx.NewContracts, byTx.ContractCount = nil, 2
	byTx.Orgs = byTx.Orgs[1:]
	f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: byTx}))
	f.advance(10 * time.Second)
	stale := next
	stale.Height, stale.BlockTime = 130, next.BlockTime.Add(20*time.Second)
	refused(byHash(stale, 3), types.ErrListsChanged)

	// Before any report there are no lists to name.
	first, channelB := snapshot(chainB, 100), f.statusChannel(chainB)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	before := f.dump()
	_, err = f.k.ReceiveReport(f.ctx, channelB, byHash(first, 1))
	require.ErrorIs(t, err, types.ErrListsChanged)
	require.Equal(t, before, f.dump())
}
