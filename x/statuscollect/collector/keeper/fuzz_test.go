package keeper_test

// Fuzz targets at the keeper level: whatever bytes arrive over the status
// channel or in a transaction, the keeper never panics, and input it refuses
// changes nothing. Run one with
//
//	go test ./x/statuscollect/collector/keeper -run '^$' -fuzz '^FuzzRecvStatusPacket$' -fuzztime 20s
//
// or all of them with scripts/fuzz.sh. Plain `go test` runs the seeds (the
// f.Add calls and testdata/fuzz/<target>/) as ordinary test cases.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// statusChannel is chain A's status channel in the fuzz fixture.
const statusChannel = "channel-0"

// newFuzzBase is the state every fuzz input starts from: the fixture, chain
// A's status channel bound, and enough history for deep paths:
//
//	report 1 of chain A: org-a2's, height 50, a wrong contract count of 9
//	report 2 of chain A: the subchain's own over IBC, height 60, snapshot_every 10
//	dispute 1: org-a's, open, against report 1
func newFuzzBase(t *testing.T) *fixture {
	f := newFixture(t)
	// What BindChannel writes, without an IBC stack.
	f.bindChannel(chainA, statusChannel)

	require.EqualValues(t, 1, f.forgedReport(50))
	own := snapshot(chainA, 60)
	seq, err := f.ibcReportEvery(1, own, 10)
	require.NoError(t, err)
	require.EqualValues(t, 2, seq)
	res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, 1))
	require.NoError(t, err)
	require.EqualValues(t, 1, res.DisputeId)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	return f
}

// fuzzFixture returns the fixture one fuzz input runs on: the base state,
// built once per process (the fuzzing engine runs many inputs per process),
// seen through a cache context so that no input sees another's writes. The
// fake bank, which lives outside the store, is put back after the input.
func fuzzFixture(t *testing.T, base **fixture) *fixture {
	t.Helper()
	if *base == nil {
		*base = newFuzzBase(t)
	}
	b := *base
	saved := maps.Clone(b.bank.balances)
	t.Cleanup(func() { b.bank.balances = saved })
	g := *b
	g.t = t
	ctx, _ := b.ctx.CacheContext()
	g.ctx = ctx.WithEventManager(sdk.NewEventManager())
	return &g
}

// balances renders the fake bank, to compare it before and after an input.
func (f *fixture) balances() string {
	var sb strings.Builder
	for _, k := range slices.Sorted(maps.Keys(f.bank.balances)) {
		fmt.Fprintf(&sb, "%s=%s;", k, f.bank.balances[k])
	}
	return sb.String()
}

// state is everything an input could change: the store and the bank.
type state struct {
	store [][2][]byte
	bank  string
	coins map[string]sdk.Coins
}

func (f *fixture) state() state { return state{f.dump(), f.balances(), maps.Clone(f.bank.balances)} }

// requireUnchanged: a refused input leaves the store byte for byte, and the
// bank, as they were.
func (f *fixture) requireUnchanged(before state, why string, args ...any) {
	f.t.Helper()
	msg := fmt.Sprintf(why, args...)
	requireSameStoreMsg(f.t, before.store, f.dump(), msg)
	require.Equal(f.t, before.bank, f.balances(), msg)
}

// requireSameStoreMsg is requireSameStore, saying which input it checks.
func requireSameStoreMsg(t testing.TB, want, got [][2][]byte, msg string) {
	t.Helper()
	for i := range min(len(want), len(got)) {
		require.Equal(t, fmt.Sprintf("%x", want[i][0]), fmt.Sprintf("%x", got[i][0]), "%s: key %d", msg, i)
		require.Equal(t, want[i][1], got[i][1], "%s: value of key %x", msg, want[i][0])
	}
	require.Equal(t, len(want), len(got), "%s: the stores hold different numbers of pairs", msg)
}

func mustMarshal(t testing.TB, m interface{ Marshal() ([]byte, error) }) []byte {
	t.Helper()
	bz, err := m.Marshal()
	require.NoError(t, err)
	return bz
}

// ------------------------------------------------------------ status packets

// recvSeeds are status packets, valid and not, against the fuzz base.
func recvSeeds(t testing.TB) [][]byte {
	report := func(seq uint64, snap shared.StatusSnapshot, every uint32) []byte {
		bz, err := shared.NewReportPacket(shared.StatusReport{Sequence: seq, Snapshot: &snap, SnapshotEvery: every})
		require.NoError(t, err)
		return bz
	}
	evidence := func(mainSeq uint64, snap shared.StatusSnapshot) []byte {
		bz, err := shared.NewEvidencePacket(shared.DisputeEvidence{MainSequence: mainSeq, Snapshot: &snap, Filer: "subval1operator"})
		require.NoError(t, err)
		return bz
	}
	changed := snapshot(chainA, 80)
	changed.Orgs = []string{"org-a", "org-a2", "org-c", "org-d", "org-e"}
	changed.Validators = append(changed.Validators, shared.Validator{Address: "subvalcons1eeee", Power: 5, Moniker: "val-e"})
	changed.Validators[0].Power = 20
	changed.ContractCount = 7
	changed.NewContracts = append(changed.NewContracts, shared.Contract{Address: "sub1contract0003", CodeId: 3, Label: "audit"})
	changed.PlannedUpgrade = &shared.PlannedUpgrade{Name: "v2", Height: 1000}
	changed.SoftwareVersion = "v1.1.0"
	notUTF8 := snapshot(chainA, 70)
	notUTF8.Orgs = append(notUTF8.Orgs, "org-\xff\xfe")
	notUTF8.SoftwareVersion = "v\xc3("
	unsorted := snapshot(chainA, 90)
	unsorted.Orgs[0], unsorted.Orgs[1] = unsorted.Orgs[1], unsorted.Orgs[0]

	valid := report(2, snapshot(chainA, 70), 10)
	return [][]byte{
		valid,                                  // recorded as report 3
		report(3, changed, 10),                 // recorded, with every kind of change
		report(3, notUTF8, 10),                 // recorded: ids are bytes, not UTF-8
		report(2, snapshot(chainA, 60), 10),    // not above the latest report over IBC
		report(2, snapshot(chainB, 70), 10),    // another chain's report
		report(2, unsorted, 10),                // invalid snapshot
		report(2, snapshot(chainA, 70), 1<<30), // snapshot_every out of bounds
		report(0, snapshot(chainA, 70), 10),    // sequence 0
		evidence(1, snapshot(chainA, 50)),      // contradicts report 1: upheld
		evidence(2, snapshot(chainA, 60)),      // agrees with report 2
		evidence(2, snapshot(chainA, 50)),      // not report 2's height
		evidence(99, snapshot(chainA, 50)),     // no such report
		evidence(1, snapshot(chainB, 50)),      // another chain's evidence
		valid[:len(valid)/2],                   // truncated
		{0x0a, 0x00},                           // a report without a snapshot
		{0x12, 0x00},                           // empty evidence
		{0x1a, 0x00},                           // an unknown packet kind
		{},
		[]byte("not a packet at all"),
	}
}

// FuzzRecvStatusPacket feeds arbitrary packet data to the collector over
// chain A's bound status channel. It never panics; a refused packet changes
// nothing; an accepted one decoded and validated, and the same packet
// delivered again is refused.
func FuzzRecvStatusPacket(f *testing.F) {
	for _, seed := range recvSeeds(f) {
		f.Add(seed)
	}
	var base *fixture
	f.Fuzz(func(t *testing.T, data []byte) {
		g := fuzzFixture(t, &base)
		packet := channeltypes.Packet{
			Sequence: 7, SourcePort: shared.ReporterPortID, SourceChannel: "channel-3",
			DestinationPort: shared.CollectorPortID, DestinationChannel: statusChannel, Data: data,
		}
		before := g.state()
		ack, err := collector.NewIBCModule(g.k).Receive(g.ctx, packet)
		if err != nil {
			require.Nil(t, ack)
			g.requireUnchanged(before, "refused packet: %v", err)
			return
		}
		require.NotNil(t, ack)
		pd, err := shared.DecodePacketData(data)
		require.NoError(t, err, "an accepted packet decodes and validates")
		requireRoundTrip(t, &pd, &shared.StatusPacketData{})

		switch p := pd.Packet.(type) {
		case *shared.StatusPacketData_Report:
			snap := p.Report.Snapshot
			require.NoError(t, snap.Validate())
			r := g.report(chainA, ack.MainSequence)
			require.Equal(t, types.ReportSource{ChannelId: statusChannel, IbcSequence: p.Report.Sequence}, r.Source)
			require.Equal(t, mustMarshal(t, snap), mustMarshal(t, &r.Snapshot), "the report holds the packet's snapshot")
			sub := g.subchain(chainA)
			require.Equal(t, ack.MainSequence, sub.LastSequence)
			require.Equal(t, snap.Height, sub.LastIbcHeight)
			require.Zero(t, ack.DisputeId)

			// The same packet again: refused, nothing recorded twice.
			again := g.state()
			ack2, err := collector.NewIBCModule(g.k).Receive(g.ctx, packet)
			require.ErrorIs(t, err, types.ErrOutdatedReport, "second delivery of report %d (ack %v)", ack.MainSequence, ack2)
			g.requireUnchanged(again, "second delivery")

		case *shared.StatusPacketData_Evidence:
			ev := p.Evidence
			require.Equal(t, ev.MainSequence, ack.MainSequence)
			d, err := g.k.Disputes.Get(g.ctx, ack.DisputeId)
			require.NoError(t, err)
			require.Equal(t, types.DISPUTE_STATUS_UPHELD, d.Status)
			require.Equal(t, chainA, d.ChainId)
			require.Equal(t, ev.MainSequence, d.ReportSequence)
			require.NotEmpty(t, d.Fields)
			r := g.report(chainA, ev.MainSequence)
			require.Equal(t, r.Snapshot.Height, ev.Snapshot.Height)
			if r.Source.OrgId != "" {
				m, err := g.k.Memberships.Get(g.ctx, collections.Join(chainA, r.Source.OrgId))
				require.NoError(t, err)
				require.True(t, m.Suspended, "the org whose report the evidence contradicts is suspended")
			}

			// The same packet again must be refused.
			again, sub := g.state(), g.subchain(chainA)
			_, err = collector.NewIBCModule(g.k).Receive(g.ctx, packet)
			require.ErrorIs(t, err, types.ErrAlreadyProven, "the same evidence twice")
			g.requireUnchanged(again, "second delivery")
			require.Equal(t, sub, g.subchain(chainA))

		default:
			t.Fatalf("accepted a packet of kind %T", pd.Packet)
		}
	})
}

// ------------------------------------------------------------ messages

// fuzzMsg is a transaction message as the fuzzer builds it from bytes.
type fuzzMsg[T any] interface {
	*T
	Unmarshal([]byte) error
	Marshal() ([]byte, error)
	ValidateBasic() error
}

// fuzzMsgServer fuzzes one msg handler: each input is unmarshalled into the
// Msg (inputs that do not unmarshal are skipped), checked by ValidateBasic as
// the SDK does before any handler runs, then handled. The handler never
// panics, and an error leaves the store and the bank as they were; accepted
// checks what a success must have done.
func fuzzMsgServer[T any, M fuzzMsg[T]](f *testing.F, seeds []M,
	handle func(ctx context.Context, s types.MsgServer, msg M) error,
	accepted func(g *fixture, msg M, before state),
) {
	for _, m := range seeds {
		f.Add(mustMarshal(f, m))
	}
	var base *fixture
	f.Fuzz(func(t *testing.T, data []byte) {
		msg := M(new(T))
		if err := msg.Unmarshal(data); err != nil {
			return
		}
		if err := msg.ValidateBasic(); err != nil {
			return
		}
		g := fuzzFixture(t, &base)
		before := g.state()
		if err := handle(g.ctx, g.msgs, msg); err != nil {
			g.requireUnchanged(before, "refused %T: %v", msg, err)
			return
		}
		accepted(g, msg, before)
	})
}

func FuzzSubmitStatus(f *testing.F) {
	submit := func(reporter string, snap shared.StatusSnapshot) *types.MsgSubmitStatus {
		return &types.MsgSubmitStatus{Reporter: reporter, Snapshot: snap}
	}
	tooFast := snapshot(chainA, 1000)
	tooFast.BlockTime = genesisTime.Add(70 * time.Second)
	early := snapshot(chainA, 70)
	early.BlockTime = genesisTime.Add(-time.Hour)
	future := snapshot(chainA, 70)
	future.BlockTime = genesisTime.Add(time.Hour)
	upgrade := snapshot(chainA, 70)
	upgrade.PlannedUpgrade = &shared.PlannedUpgrade{Name: "v2", Height: 100}
	byHash := submit(reporterA, snapshot(chainA, 70))
	byHash.NameListsByHash()
	otherLists := submit(reporterA, snapshot(chainA, 70))
	otherLists.Snapshot.Orgs = otherLists.Snapshot.Orgs[1:]
	otherLists.NameListsByHash()
	fuzzMsgServer(f, []*types.MsgSubmitStatus{
		submit(reporterA, snapshot(chainA, 70)),  // accepted
		submit(reporterA2, upgrade),              // accepted
		submit(reporterB, snapshot(chainB, 30)),  // chain B's first report
		submit(reporterA, snapshot(chainA, 75)),  // not a height the sidecar snapshots
		submit(reporterA, snapshot(chainA, 60)),  // not above the latest
		submit(reporterA, tooFast),               // more blocks than time allows
		submit(reporterA, early),                 // block time before the latest report's
		submit(reporterA, future),                // block time past max_clock_drift
		submit(revoked, snapshot(chainA, 70)),    // revoked account
		submit(reporterB, snapshot(chainA, 70)),  // another chain's monitor
		submit(stranger, snapshot(chainA, 70)),   // no one's monitor
		submit(reporterA, snapshot("sub-x", 70)), // unknown subchain
		byHash,                                   // the latest report's lists, named by hash: accepted
		otherLists,                               // other lists' hash
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgSubmitStatus) error {
		_, err := s.SubmitStatus(ctx, m)
		return err
	}, func(g *fixture, m *types.MsgSubmitStatus, _ state) {
		t := g.t
		require.NoError(t, m.Snapshot.Validate())
		sub := g.subchain(m.Snapshot.ChainId)
		r := g.report(m.Snapshot.ChainId, sub.LastSequence)
		require.Equal(t, m.Reporter, r.Source.Reporter)
		require.NotEmpty(t, r.Source.OrgId)
		require.Empty(t, r.Source.ChannelId)
		sent := m.Snapshot
		if m.ListsHash != nil {
			// Stored with the lists it named, which its hash is of.
			require.Equal(t, m.ListsHash, r.Snapshot.ListsHash())
			sent.Orgs, sent.Validators = r.Snapshot.Orgs, r.Snapshot.Validators
		}
		require.Equal(t, mustMarshal(t, &sent), mustMarshal(t, &r.Snapshot))
		require.Equal(t, m.Snapshot.Height, sub.LastHeight)

		again := g.state()
		_, err := g.msgs.SubmitStatus(g.ctx, m)
		require.ErrorIs(t, err, types.ErrOutdatedReport, "the same report twice")
		g.requireUnchanged(again, "the same report twice")
	})
}

func FuzzFileDispute(f *testing.F) {
	many := fileMsg(adminA, orgA, 1)
	for i := range types.MaxDisputedFields {
		many.Fields = append(many.Fields, types.DisputedField{Field: fmt.Sprintf("f%d", i)})
	}
	fuzzMsgServer(f, []*types.MsgFileDispute{
		fileMsg(adminA, orgA, 1),       // accepted: org-a's second dispute of report 1
		fileMsg(reporterA, orgA, 2),    // accepted: a report over IBC
		fileMsg(reporterA2, orgA2, 1),  // its own report
		fileMsg(adminA2, orgA2, 2),     // accepted, by an admin
		fileMsg(revoked, orgA, 1),      // a revoked monitor
		fileMsg(stranger, orgA, 1),     // not the org's
		fileMsg(adminB, orgB, 1),       // org-b is no member of chain A
		fileMsg(reporterA, orgA, 3),    // no such report
		fileMsg(reporterA, "org-x", 1), // no such org
		many,                           // too many fields
		{Filer: reporterA, ChainId: chainA, OrgId: orgA, ReportSequence: 1}, // no fields
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgFileDispute) error {
		_, err := s.FileDispute(ctx, m)
		return err
	}, func(g *fixture, m *types.MsgFileDispute, before state) {
		t := g.t
		last, err := g.k.LastDisputeID.Peek(g.ctx)
		require.NoError(t, err)
		d, err := g.k.Disputes.Get(g.ctx, last)
		require.NoError(t, err)
		require.Equal(t, types.DISPUTE_STATUS_OPEN, d.Status)
		require.Equal(t, m.Filer, d.Filer)
		require.Equal(t, m.OrgId, d.FilerOrg)
		require.Equal(t, m.ChainId, d.ChainId)
		require.Equal(t, m.ReportSequence, d.ReportSequence)
		r := g.report(m.ChainId, m.ReportSequence)
		require.NotEqual(t, m.OrgId, r.Source.OrgId, "no org disputes its own report")
		escrow := moduleKey(types.ModuleName)
		require.Equal(t, before.coins[escrow].Add(deposit).String(), g.bank.balances[escrow].String(), "one deposit is escrowed")
		require.Equal(t, before.coins[m.Filer].Sub(deposit).String(), g.bank.balances[m.Filer].String(), "paid by the filer")
	})
}

func FuzzGrantReporter(f *testing.F) {
	grant := func(admin, chain, org, reporter string) *types.MsgGrantReporter {
		return &types.MsgGrantReporter{Admin: admin, ChainId: chain, OrgId: org, Reporter: reporter}
	}
	fuzzMsgServer(f, []*types.MsgGrantReporter{
		grant(adminA, chainA, orgA, newAccount),   // accepted
		grant(adminB, chainB, orgB, newAccount),   // accepted
		grant(adminB, chainB, orgB, reporterA),    // accepted: one account, one org per chain
		grant(adminA, chainA, orgA, revoked),      // accepted: a revoked account again
		grant(adminA, chainA, orgA, reporterA2),   // org-a2's monitor
		grant(adminA, chainA, orgA, reporterA),    // already listed
		grant(adminA2, chainA, orgA, newAccount),  // not org-a's admin
		grant(stranger, chainA, orgA, newAccount), // not an admin
		grant(adminA, chainB, orgA, newAccount),   // no member of chain B
		grant(adminA, chainA, "org-x", newAccount),
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgGrantReporter) error {
		_, err := s.GrantReporter(ctx, m)
		return err
	}, func(g *fixture, m *types.MsgGrantReporter, _ state) {
		t := g.t
		entry, err := g.k.Reporters.Get(g.ctx, collections.Join(m.ChainId, m.Reporter))
		require.NoError(t, err)
		require.Equal(t, m.OrgId, entry.OrgId)
		require.False(t, entry.Suspended)
		mem, err := g.k.Memberships.Get(g.ctx, collections.Join(m.ChainId, m.OrgId))
		require.NoError(t, err)
		require.True(t, slices.IsSorted(mem.Reporters))
		require.Contains(t, mem.Reporters, m.Reporter)
		org, err := g.k.Orgs.Get(g.ctx, m.OrgId)
		require.NoError(t, err)
		require.Equal(t, m.Admin, org.Admin)

		again := g.state()
		_, err = g.msgs.GrantReporter(g.ctx, m)
		require.ErrorIs(t, err, types.ErrReporterExists, "the same grant twice")
		g.requireUnchanged(again, "the same grant twice")
	})
}

func FuzzResolveDispute(f *testing.F) {
	resolve := func(resolver string, id uint64, upheld bool) *types.MsgResolveDispute {
		return &types.MsgResolveDispute{Resolver: resolver, DisputeId: id, Upheld: upheld, Reason: "checked against our node"}
	}
	fuzzMsgServer(f, []*types.MsgResolveDispute{
		resolve(consortium, 1, true), // accepted: org-a2 suspended, deposit back
		resolve(authority, 1, false), // accepted: deposit burnt
		resolve(adminA, 1, true),     // not an arbiter
		resolve(consortium, 2, true), // no such dispute
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgResolveDispute) error {
		_, err := s.ResolveDispute(ctx, m)
		return err
	}, func(g *fixture, m *types.MsgResolveDispute, before state) {
		t := g.t
		d, err := g.k.Disputes.Get(g.ctx, m.DisputeId)
		require.NoError(t, err)
		want, to := types.DISPUTE_STATUS_REJECTED, "burnt"
		if m.Upheld {
			want, to = types.DISPUTE_STATUS_UPHELD, d.Filer
		}
		require.Equal(t, want, d.Status)
		escrow := moduleKey(types.ModuleName)
		require.Equal(t, before.coins[escrow].Sub(d.Deposit).String(), g.bank.balances[escrow].String(), "the deposit leaves escrow")
		require.Equal(t, before.coins[to].Add(d.Deposit).String(), g.bank.balances[to].String(), "the deposit goes to %s", to)
		require.Equal(t, m.Resolver, d.Resolver)
		require.Equal(t, m.Reason, d.Reason)

		again := g.state()
		_, err = g.msgs.ResolveDispute(g.ctx, m)
		require.ErrorIs(t, err, types.ErrDisputeClosed, "the same dispute resolved twice")
		g.requireUnchanged(again, "the same dispute resolved twice")
	})
}

// ------------------------------------------------------------ round trip

// requireRoundTrip: what m holds marshals, unmarshals into empty to an equal
// value, and marshals again to the same bytes.
func requireRoundTrip[M interface {
	Marshal() ([]byte, error)
	Unmarshal([]byte) error
}](t *testing.T, m, empty M) {
	t.Helper()
	bz := mustMarshal(t, m)
	require.NoError(t, empty.Unmarshal(bz))
	require.Equal(t, m, empty)
	require.Equal(t, bz, mustMarshal(t, empty))
}

// FuzzSnapshotRoundTrip: a snapshot that validates marshals and unmarshals
// to an equal value, and to the same bytes again.
func FuzzSnapshotRoundTrip(f *testing.F) {
	full := snapshot(chainA, 80)
	full.PlannedUpgrade = &shared.PlannedUpgrade{Name: "v2", Height: 1000}
	for _, s := range []shared.StatusSnapshot{snapshot(chainA, 70), full, {}} {
		f.Add(mustMarshal(f, &s))
	}
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s shared.StatusSnapshot
		if err := s.Unmarshal(data); err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			return
		}
		requireRoundTrip(t, &s, &shared.StatusSnapshot{})
	})
}
