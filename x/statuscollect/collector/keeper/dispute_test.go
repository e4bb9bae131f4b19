package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

var deposit = types.DefaultParams().DisputeDeposit

// forgedReport has org-a2's monitor submit a report with a wrong contract
// count; it returns the report's sequence.
func (f *fixture) forgedReport(height int64) uint64 {
	f.t.Helper()
	return f.forgedReportAt(height, snapshot(chainA, height).BlockTime)
}

// forgedReportAt is forgedReport with a block time of the forger's choosing.
func (f *fixture) forgedReportAt(height int64, blockTime time.Time) uint64 {
	f.t.Helper()
	snap := snapshot(chainA, height)
	snap.ContractCount, snap.BlockTime = 9, blockTime
	res, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snap})
	require.NoError(f.t, err)
	return res.Sequence
}

func fileMsg(filer, org string, seq uint64) *types.MsgFileDispute {
	return &types.MsgFileDispute{Filer: filer, ChainId: chainA, OrgId: org, ReportSequence: seq,
		Fields:   []types.DisputedField{{Field: "contract_count", Reported: "9", Observed: "5"}},
		Evidence: "our node reports 5 contracts at this height"}
}

func (f *fixture) balance(addr string) int64 {
	return f.bank.balances[addr].AmountOf(deposit.Denom).Int64()
}

func TestDisputeUpheldSuspendsReportingOrg(t *testing.T) {
	f := newFixture(t)
	seq := f.forgedReport(50)
	before := f.balance(reporterA)

	res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, seq))
	require.NoError(t, err)
	require.Equal(t, before-deposit.Amount.Int64(), f.balance(reporterA), "deposit escrowed")
	filed := eventOf[*types.EventDisputeFiled](t, typedEvents(t, f.ctx))
	require.Equal(t, orgA2, filed.ReportedByOrg)

	open, err := f.querys.Disputes(f.ctx, &types.QueryDisputesRequest{ChainId: chainA, Status: types.DISPUTE_STATUS_OPEN})
	require.NoError(t, err)
	require.Len(t, open.Disputes, 1)

	f.advance(time.Minute)
	_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: consortium, DisputeId: res.DisputeId, Upheld: true, Reason: "5 contracts on chain"})
	require.NoError(t, err)
	require.Equal(t, before, f.balance(reporterA), "deposit returned")
	evs := typedEvents(t, f.ctx)
	require.Equal(t, types.DISPUTE_STATUS_UPHELD, eventOf[*types.EventDisputeResolved](t, evs).Status)
	require.Equal(t, []string{reporterA2}, eventOf[*types.EventReportingSuspended](t, evs).Reporters)

	// org-a2's monitor can no longer report, nor can the org add monitors.
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snapshot(chainA, 60)})
	require.ErrorIs(t, err, types.ErrSuspended)
	_, err = f.msgs.GrantReporter(f.ctx, &types.MsgGrantReporter{Admin: adminA2, ChainId: chainA, OrgId: orgA2, Reporter: newAccount})
	require.ErrorIs(t, err, types.ErrSuspended)

	// Until the authority restores it.
	_, err = f.msgs.RestoreReporting(f.ctx, &types.MsgRestoreReporting{Authority: stranger, ChainId: chainA, OrgId: orgA2})
	require.ErrorIs(t, err, types.ErrUnauthorized)
	_, err = f.msgs.RestoreReporting(f.ctx, &types.MsgRestoreReporting{Authority: authority, ChainId: chainA, OrgId: orgA2})
	require.NoError(t, err)
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snapshot(chainA, 60)})
	require.NoError(t, err)
	_, err = f.msgs.RestoreReporting(f.ctx, &types.MsgRestoreReporting{Authority: authority, ChainId: chainA, OrgId: orgA2})
	require.ErrorIs(t, err, types.ErrNotSuspended)
}

func TestDisputeRejectedBurnsDeposit(t *testing.T) {
	f := newFixture(t)
	seq := f.forgedReport(50)
	before := f.balance(adminA)
	res, err := f.msgs.FileDispute(f.ctx, fileMsg(adminA, orgA, seq))
	require.NoError(t, err)
	_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: authority, DisputeId: res.DisputeId, Reason: "the report was right"})
	require.NoError(t, err)
	require.Equal(t, before-deposit.Amount.Int64(), f.balance(adminA))
	require.Equal(t, deposit.Amount.Int64(), f.bank.balances["burnt"].AmountOf(deposit.Denom).Int64())
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snapshot(chainA, 60)})
	require.NoError(t, err, "a rejected dispute suspends nobody")

	_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: authority, DisputeId: res.DisputeId, Upheld: true, Reason: "again"})
	require.ErrorIs(t, err, types.ErrDisputeClosed)
}

func TestDisputeExpires(t *testing.T) {
	f := newFixture(t)
	seq := f.forgedReport(50)
	res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, seq))
	require.NoError(t, err)

	f.advance(types.DefaultParams().DisputeWindow - time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	d, err := f.querys.Dispute(f.ctx, &types.QueryDisputeRequest{DisputeId: res.DisputeId})
	require.NoError(t, err)
	require.Equal(t, types.DISPUTE_STATUS_OPEN, d.Dispute.Status)

	f.advance(time.Second)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	d, err = f.querys.Dispute(f.ctx, &types.QueryDisputeRequest{DisputeId: res.DisputeId})
	require.NoError(t, err)
	require.Equal(t, types.DISPUTE_STATUS_EXPIRED, d.Dispute.Status)
	require.Equal(t, deposit.Amount.Int64(), f.bank.balances["burnt"].AmountOf(deposit.Denom).Int64(), "an expired dispute forfeits its deposit")
	require.Equal(t, types.DISPUTE_STATUS_EXPIRED, eventOf[*types.EventDisputeResolved](t, typedEvents(t, f.ctx)).Status)
}

// TestDisputeRefusals: each refused filing has its own error and changes nothing.
func TestDisputeRefusals(t *testing.T) {
	cases := []struct {
		name     string
		malleate func(f *fixture, m *types.MsgFileDispute)
		expErr   error
	}{
		{"org of another subchain", func(_ *fixture, m *types.MsgFileDispute) { m.Filer, m.OrgId = reporterB, orgB }, types.ErrNotMember},
		{"the reporting org itself", func(_ *fixture, m *types.MsgFileDispute) { m.Filer, m.OrgId = reporterA2, orgA2 }, types.ErrOwnReport},
		{"after the window", func(f *fixture, _ *types.MsgFileDispute) {
			f.advance(types.DefaultParams().DisputeWindow + time.Second)
		}, types.ErrWindowClosed},
		{"unknown report", func(_ *fixture, m *types.MsgFileDispute) { m.ReportSequence = 42 }, types.ErrNoReport},
		{"not the org's account", func(_ *fixture, m *types.MsgFileDispute) { m.Filer = stranger }, types.ErrNotFiler},
		{"revoked monitor", func(_ *fixture, m *types.MsgFileDispute) { m.Filer = revoked }, types.ErrNotFiler},
		{"evidence over its cap", func(_ *fixture, m *types.MsgFileDispute) { m.Evidence = strings.Repeat("e", types.MaxEvidenceLen+1) }, shared.ErrTooLarge},
		{"no fields", func(_ *fixture, m *types.MsgFileDispute) { m.Fields = nil }, types.ErrInvalidRequest},
		{"too many open", func(f *fixture, m *types.MsgFileDispute) {
			for range types.DefaultParams().MaxOpenDisputesPerOrg {
				f.must(f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, m.ReportSequence)))
			}
		}, types.ErrTooManyDisputes},
		{"deposit not affordable", func(f *fixture, _ *types.MsgFileDispute) {
			f.bank.balances[reporterA] = sdk.NewCoins()
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			msg := fileMsg(reporterA, orgA, f.forgedReport(50))
			tc.malleate(f, msg)
			f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
			before := f.dump()
			err := f.deliver(msg)
			require.Error(t, err)
			if tc.expErr != nil {
				require.ErrorIs(t, err, tc.expErr)
			}
			require.Equal(t, before, f.dump())
			require.Empty(t, f.ctx.EventManager().Events())
		})
	}
}

// TestUpheldDisputeOfIBCReport: an upheld dispute against a report that came
// over IBC has no org to suspend.
func TestUpheldDisputeOfIBCReport(t *testing.T) {
	f := newFixture(t)
	seq, err := f.ibcReport(1, snapshot(chainA, 50))
	require.NoError(t, err)
	res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, seq))
	require.NoError(t, err)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: authority, DisputeId: res.DisputeId, Upheld: true, Reason: "wrong"})
	require.NoError(t, err)
	noEventOf[*types.EventReportingSuspended](t, typedEvents(t, f.ctx))
}

// TestFarFutureReportShutsNothingOut: an org's report claiming a height
// ahead of the subchain (as far as max_clock_drift and min_block_interval let
// it) does not keep the subchain's own reports over IBC out, and once its
// dispute is upheld, other orgs' reports are taken again.
func TestFarFutureReportShutsNothingOut(t *testing.T) {
	f := newFixture(t)
	ibc := func(seq uint64, h int64) (uint64, error) {
		return f.ibcReport(seq, snapshot(chainA, h))
	}
	_, err := ibc(1, 50)
	require.NoError(t, err)
	// 450 blocks in the 60s between the block times, one per 100ms at most:
	// the furthest ahead the forger gets, dated within the 2m drift.
	forged := f.forgedReportAt(500, genesisTime.Add(110*time.Second))

	// The subchain's own reports still land.
	at60, err := ibc(2, 60)
	require.NoError(t, err, "an org's height ahead of the subchain does not refuse the subchain's consensus")
	require.Greater(t, at60, forged)
	_, err = ibc(3, 60)
	require.ErrorIs(t, err, types.ErrOutdatedReport, "over IBC, only newer than the last report over IBC")
	latest, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
	require.NoError(t, err)
	require.Equal(t, at60, latest.Report.Sequence)

	// Until the forged report is proven wrong, it bars reports by tx: the
	// floor is the highest height reported, whatever came after it over IBC.
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 65)})
	require.ErrorIs(t, err, types.ErrOutdatedReport)
	res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, forged))
	require.NoError(t, err)
	_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: consortium, DisputeId: res.DisputeId, Upheld: true, Reason: "no such height"})
	require.NoError(t, err)
	require.Equal(t, int64(60), f.subchain(chainA).LastHeight, "the bar goes back to the subchain's own last report")
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 60)})
	require.ErrorIs(t, err, types.ErrOutdatedReport, "no lower")
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 65)})
	require.NoError(t, err)

	// On a subchain without IBC reports, the forged latest report is what
	// bars the others until its dispute is upheld (or the subchain passes it).
	_, err = f.msgs.RestoreReporting(f.ctx, &types.MsgRestoreReporting{Authority: authority, ChainId: chainA, OrgId: orgA2})
	require.NoError(t, err)
	late := f.forgedReportAt(600, genesisTime.Add(119*time.Second))
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 70)})
	require.ErrorIs(t, err, types.ErrOutdatedReport)
	res, err = f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, late))
	require.NoError(t, err)
	_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: consortium, DisputeId: res.DisputeId, Upheld: true, Reason: "no such height"})
	require.NoError(t, err)
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 65)})
	require.ErrorIs(t, err, types.ErrOutdatedReport, "the bar goes back to the report before the forged one, no lower")
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 70)})
	require.NoError(t, err)
	at, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: 70})
	require.NoError(t, err)
	require.Equal(t, orgA, at.Report.Source.OrgId)
}

// uphold files org-a's dispute of report seq of chain A and upholds it.
func (f *fixture) uphold(seq uint64) {
	f.t.Helper()
	res, err := f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, seq))
	require.NoError(f.t, err)
	_, err = f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: consortium, DisputeId: res.DisputeId, Upheld: true, Reason: "forged"})
	require.NoError(f.t, err)
}

// TestUpheldFloorSkipsEarlierForgery: an org forges two reports, each above
// the other, before either dispute is decided. Once both are upheld the floor
// for reports by tx is the highest height not proven wrong, not the first
// forgery's: it shut the honest orgs out as well as the second.
func TestUpheldFloorSkipsEarlierForgery(t *testing.T) {
	f := newFixture(t)
	f.must(f.ibcReport(1, snapshot(chainA, 50)))
	first := f.forgedReportAt(500, genesisTime.Add(110*time.Second))
	second := f.forgedReportAt(590, genesisTime.Add(119*time.Second))
	f.uphold(first)
	require.Equal(t, int64(590), f.subchain(chainA).LastHeight, "the second forgery still stands")
	f.uphold(second)
	require.Equal(t, int64(50), f.subchain(chainA).LastHeight, "back to the last height not proven wrong")
	_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 60)})
	require.NoError(t, err, "an honest report above every height not proven wrong")
	f.invariants()
}

// TestUpheldFloorKeepsHonestReportBelowIt: the report just before a forged
// one may be over IBC and below an honest org's; the floor goes back to the
// honest org's height, so no report by tx lands below it.
func TestUpheldFloorKeepsHonestReportBelowIt(t *testing.T) {
	f := newFixture(t)
	f.must(f.ibcReport(1, snapshot(chainA, 50)))
	_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 100)})
	require.NoError(t, err)
	f.must(f.ibcReport(2, snapshot(chainA, 60)))
	forged := f.forgedReportAt(500, genesisTime.Add(110*time.Second))
	f.uphold(forged)
	require.Equal(t, int64(100), f.subchain(chainA).LastHeight, "the honest org's report still bounds reports by tx")
	_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 90)})
	require.ErrorIs(t, err, types.ErrOutdatedReport)
	f.invariants()
}

// TestImplausibleReportsRefused: a status by tx dated too far after the main
// chain's time, or claiming more blocks than fit since the latest report, is
// refused and changes nothing; a report over IBC is not held to these bounds.
func TestImplausibleReportsRefused(t *testing.T) {
	f := newFixture(t)
	_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 50)})
	require.NoError(t, err)
	submit := func(h int64, at time.Time) error {
		snap := snapshot(chainA, h)
		snap.BlockTime = at
		_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snap})
		return err
	}
	for name, c := range map[string]struct {
		height int64
		at     time.Time
		why    string
	}{
		"dated past the drift":   {60, genesisTime.Add(2*time.Minute + time.Second), "more than max_clock_drift 2m0s after"},
		"not after the latest":   {60, genesisTime.Add(50 * time.Second), "is not after that one's"},
		"more blocks than fit":   {1_000_000, genesisTime.Add(60 * time.Second), "holds at most 100"},
		"a billion blocks ahead": {1_000_000_000, genesisTime.Add(1000 * time.Hour), "max_clock_drift"},
	} {
		err := submit(c.height, c.at)
		require.ErrorIs(t, err, types.ErrImplausible, name)
		require.ErrorContains(t, err, c.why, name)
	}
	latest, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
	require.NoError(t, err)
	require.EqualValues(t, 50, latest.Report.Snapshot.Height, "a refused report changes nothing")
	require.EqualValues(t, 1, latest.Report.Sequence)

	// At the edge: 100 blocks in 10s at one per 100ms is plausible.
	require.NoError(t, submit(150, genesisTime.Add(60*time.Second)))

	// min_block_interval 0 turns the rate bound off; the drift still holds.
	params, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	params.MinBlockInterval = 0
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	require.NoError(t, submit(1_000_000, genesisTime.Add(70*time.Second)))
	require.ErrorIs(t, submit(1_000_001, genesisTime.Add(3*time.Minute)), types.ErrImplausible)

	// The subchain's own consensus is not bounded by an org's clock.
	_, err = f.ibcReport(1, snapshot(chainA, 5_000_000))
	require.NoError(t, err)
}

// TestFirstReportByTxBounded: a subchain's first report by tx has no report
// before it to be measured against. Its block time may be no older than the
// subchain's staleness window, and above the height its light client has
// verified it is held to that height's time; without a client, a forged
// height is taken until its dispute is upheld, and then bars no one.
func TestFirstReportByTxBounded(t *testing.T) {
	submit := func(f *fixture, h int64, at time.Time) error {
		snap := snapshot(chainA, h)
		snap.BlockTime = at
		_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snap})
		return err
	}
	t.Run("an old block time", func(t *testing.T) {
		f := newFixture(t)
		before := f.dump()
		err := submit(f, 50, genesisTime.Add(-3*time.Minute-time.Second)) // the window: 1m x staleness_factor 3
		require.ErrorIs(t, err, types.ErrImplausible)
		require.ErrorContains(t, err, "staleness window 3m0s")
		require.Equal(t, before, f.dump(), "refused, it changes nothing")
		require.NoError(t, submit(f, 50, genesisTime.Add(-3*time.Minute)))
	})
	t.Run("above what its light client verified", func(t *testing.T) {
		f := newFixture(t)
		client := "07-tendermint-" + chainA
		verifiedClients[client] = struct {
			height uint64
			at     time.Time
		}{40, genesisTime}
		t.Cleanup(func() { delete(verifiedClients, client) })
		f.must(f.msgs.BindClient(f.ctx, &types.MsgBindClient{Authority: authority, ChainId: chainA, ClientId: client}))
		err := submit(f, 1_000_000_000_000, genesisTime.Add(50*time.Second))
		require.ErrorIs(t, err, types.ErrImplausible)
		require.ErrorContains(t, err, "past the height its light client verified, 40")
		err = submit(f, 541, genesisTime.Add(50*time.Second))
		require.ErrorContains(t, err, "holds at most 500", "500 blocks in the 50s since the verified block, at one per 100ms")
		require.NoError(t, submit(f, 540, genesisTime.Add(50*time.Second)))
	})
	t.Run("no client: a forged height bars no one once proven wrong", func(t *testing.T) {
		f := newFixture(t)
		forged := f.forgedReportAt(1_000_000_000_000, genesisTime)
		_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 60)})
		require.ErrorIs(t, err, types.ErrOutdatedReport)
		f.uphold(forged)
		require.Zero(t, f.subchain(chainA).LastHeight)
		_, err = f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 60)})
		require.NoError(t, err)
		f.invariants()
	})
}

// TestSameHeightOverIBCKeepsItsIndex: the subchain's own report of a height an
// org reported first takes that height's index, and keeps it when the org's
// report is pruned.
func TestSameHeightOverIBCKeepsItsIndex(t *testing.T) {
	f := newFixture(t)
	params := types.DefaultParams()
	params.Admin = consortium
	params.HistoryRetention = time.Hour
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	submitUntil(f, keeper.PruneEvery-1, 52) // heights 53 to 59, then the org's 60: the checkpoint
	_, err := f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, 60)})
	require.NoError(t, err)
	require.Zero(t, f.subchain(chainA).LastSequence%keeper.PruneEvery, "the org's report is the checkpoint")
	own, err := f.ibcReport(1, snapshot(chainA, 60))
	require.NoError(t, err)
	f.advance(2 * time.Hour)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	at, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: 60})
	require.NoError(t, err)
	require.Equal(t, own, at.Report.Sequence)
	_, err = f.k.Reports.Get(f.ctx, collections.Join(chainA, own-1))
	require.ErrorIs(t, err, collections.ErrNotFound, "the org's report was pruned")
}
