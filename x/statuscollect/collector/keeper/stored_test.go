package keeper_test

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// storedReports sends chain A a run of reports over IBC, ten minutes apart:
// heartbeats, and changes of each list (power, a moniker alone, an org, a
// validator gone, powers twice in a row) with new contracts, some shown
// again. It returns each report as
// the version before the compact layout stored and served it: the snapshot as
// received, its change set against the report before, its source and its main
// height and time; and the contract changes it served, each new contract
// (or one at a new code id) once.
func storedReports(f *fixture) ([]types.Report, []types.ContractChange) {
	f.t.Helper()
	steps := []func(prev shared.StatusSnapshot, i int) shared.StatusSnapshot{
		func(shared.StatusSnapshot, int) shared.StatusSnapshot { return typical(chainA, 100) },
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
		func(p shared.StatusSnapshot, i int) shared.StatusSnapshot { return change(p, 10, i) },
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { // a moniker alone
			s := heartbeat(p, 10)
			s.Validators[1].Moniker = "renamed"
			return s
		},
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { // an org joins; a contract shown again
			s := heartbeat(p, 10)
			s.Orgs = append(append([]string(nil), p.Orgs...), "org-e")
			s.NewContracts = []shared.Contract{{Address: typical(chainA, 100).NewContracts[0].Address, CodeId: 1, Label: "registry"}}
			return s
		},
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
		func(p shared.StatusSnapshot, i int) shared.StatusSnapshot { // a validator leaves
			s := change(p, 10, i)
			s.Validators = s.Validators[:3]
			return s
		},
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
		func(p shared.StatusSnapshot, i int) shared.StatusSnapshot { return change(p, 10, i) }, // powers after a set holder
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { // powers after powers
			s := heartbeat(p, 10)
			s.Validators[0].Power += 5
			return s
		},
		func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) },
	}
	var (
		out     []types.Report
		changes []types.ContractChange
		snap    shared.StatusSnapshot
		seen    = map[string]shared.Contract{}
	)
	for i, step := range steps {
		if i > 0 {
			f.advance(10 * time.Minute)
		}
		var prev *shared.StatusSnapshot
		if i > 0 {
			prev = &out[i-1].Snapshot
			snap = step(*prev, i)
		} else {
			snap = step(snap, i)
		}
		seq, err := f.ibcReport(uint64(i+1), snap)
		require.NoError(f.t, err)
		r := types.Report{ChainId: chainA, Sequence: seq,
			Source: types.ReportSource{ChannelId: f.statusChannel(chainA), IbcSequence: uint64(i + 1)}, Snapshot: snap,
			Changes: types.Diff(prev, snap), MainHeight: f.ctx.BlockHeight(), MainTime: f.ctx.BlockTime()}
		out = append(out, r)
		for _, c := range snap.NewContracts {
			kind := types.CONTRACT_CHANGE_KIND_DEPLOYED
			if was, ok := seen[c.Address]; ok && was == c {
				continue
			} else if ok {
				kind = types.CONTRACT_CHANGE_KIND_MIGRATED
			}
			seen[c.Address] = c
			changes = append(changes, types.ContractChange{ChainId: chainA, Sequence: uint64(len(changes) + 1), Kind: kind,
				Contract: c, Height: snap.Height, Source: r.Source, MainHeight: r.MainHeight, MainTime: r.MainTime, ReportSequence: seq})
		}
		f.invariants()
	}
	return out, changes
}

// prunedReports is storedReports with reports 1 to 9 pruned, oldest first,
// as the EndBlocker prunes them: 10, a heartbeat that shared the lists of 9,
// is the first stored. It returns the reports still stored, and every
// contract change served.
func prunedReports(f *fixture) ([]types.Report, []types.ContractChange) {
	f.t.Helper()
	want, changes := storedReports(f)
	for seq := uint64(1); seq <= 9; seq++ {
		require.NoError(f.t, f.k.PruneReport(f.ctx, chainA, seq))
	}
	return want[9:], changes
}

// retainedChanges are the changes of the reports still held.
func retainedChanges(changes []types.ContractChange, reports []types.Report) []types.ContractChange {
	var out []types.ContractChange
	for _, c := range changes {
		if c.ReportSequence >= reports[0].Sequence {
			out = append(out, c)
		}
	}
	return out
}

// requireAnswers: every query that serves a report answers, byte for byte,
// what the version before the compact layout answered: want are the reports
// it still holds.
func requireAnswers(f *fixture, want []types.Report, changes []types.ContractChange) {
	f.t.Helper()
	bytesOf := func(r interface{ Marshal() ([]byte, error) }) []byte {
		bz, err := r.Marshal()
		require.NoError(f.t, err)
		return bz
	}
	got := f.contractChanges(chainA)
	want2 := retainedChanges(changes, want)
	require.Len(f.t, got, len(want2))
	for i := range want2 {
		require.Equal(f.t, bytesOf(&want2[i]), bytesOf(&got[i]), "contract change %d", want2[i].Sequence)
	}
	latest, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
	require.NoError(f.t, err)
	require.Equal(f.t, bytesOf(&want[len(want)-1]), bytesOf(&latest.Report), "latest status")
	for _, reverse := range []bool{false, true} {
		var got []types.Report
		var next []byte
		for {
			page, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainA,
				Pagination: &query.PageRequest{Key: next, Limit: 3, Reverse: reverse}})
			require.NoError(f.t, err)
			got = append(got, page.Reports...)
			if next = page.Pagination.NextKey; next == nil {
				break
			}
		}
		require.Len(f.t, got, len(want))
		for i := range want {
			w := want[i]
			if reverse {
				w = want[len(want)-1-i]
			}
			require.Equal(f.t, bytesOf(&w), bytesOf(&got[i]), "history (reverse %t), report %d", reverse, w.Sequence)
		}
	}
	for _, w := range want {
		at, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: w.Snapshot.Height})
		require.NoError(f.t, err)
		require.Equal(f.t, bytesOf(&w), bytesOf(&at.Report), "status at height %d", w.Snapshot.Height)
	}
	sub, err := f.querys.Subchain(f.ctx, &types.QuerySubchainRequest{ChainId: chainA})
	require.NoError(f.t, err)
	last := want[len(want)-1].Snapshot
	require.EqualValues(f.t, len(last.Orgs), sub.Health.OrgCount)
	require.EqualValues(f.t, len(last.Validators), sub.Health.NodeCount)
}

// TestCompactReportsAnswerAsBefore: heartbeats are stored without the lists
// they share, yet history, latest status, status at a height and health
// answer exactly what the whole reports did, also once the reports holding
// the lists were pruned (the subchain's first stored report then keeps them
// in FirstLists); a genesis export and import rebuilds the store byte for
// byte at every step.
func TestCompactReportsAnswerAsBefore(t *testing.T) {
	f := newFixture(t)
	params, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	params.HistoryRetention = time.Hour
	params.DisputeWindow = time.Hour
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	want, changes := storedReports(f)

	// What a heartbeat stores: no lists, and a change holds its own.
	for _, seq := range []uint64{2, 3, 5, 6, 8, 10, 12, 13, 16} {
		s, err := f.k.Reports.Get(f.ctx, collections.Join(chainA, seq))
		require.NoError(t, err)
		require.True(t, s.SharesLists, "heartbeat %d", seq)
		require.Empty(t, s.Snapshot.Validators)
		require.Empty(t, s.Snapshot.ChainId)
	}
	for _, seq := range []uint64{4, 14, 15} { // powers alone moved
		s, err := f.k.Reports.Get(f.ctx, collections.Join(chainA, seq))
		require.NoError(t, err)
		require.False(t, s.SharesLists, "change %d", seq)
		require.Empty(t, s.Snapshot.Validators, "change %d", seq)
		require.Empty(t, s.Snapshot.Orgs, "change %d", seq)
		require.Len(t, s.Powers, len(want[seq-1].Snapshot.Validators), "change %d", seq)
	}
	for _, seq := range []uint64{7, 9, 11} { // the set moved
		s, err := f.k.Reports.Get(f.ctx, collections.Join(chainA, seq))
		require.NoError(t, err)
		require.False(t, s.SharesLists, "change %d", seq)
		require.Empty(t, s.Powers, "change %d", seq)
		require.Equal(t, want[seq-1].Snapshot.Validators, s.Snapshot.Validators, "change %d", seq)
	}
	requireAnswers(f, want, changes)
	f.reimport()

	// Prune the oldest report, one at a time as the EndBlocker does,
	// holders of shared lists included, down to the latest.
	for len(want) > 1 {
		require.NoError(t, f.k.PruneReport(f.ctx, chainA, want[0].Sequence))
		want = want[1:]
		requireAnswers(f, want, changes)
		f.reimport()
	}
}

// TestEvidenceOnCompactReport: the subchain's evidence against a heartbeat
// whose lists are shared, after the report holding them was pruned, is
// compared with the whole report: the same fields and values as before.
func TestEvidenceOnCompactReport(t *testing.T) {
	f := newFixture(t)
	want, _ := prunedReports(f) // 10 shares the lists of 9, pruned
	_, err := f.k.GetReport(f.ctx, chainA, 9)
	require.Error(t, err)
	target := want[0]
	s, err := f.k.Reports.Get(f.ctx, collections.Join(chainA, uint64(10)))
	require.NoError(t, err)
	require.True(t, s.SharesLists)

	agree := target.Snapshot
	_, err = f.ibcEvidence(chainA, shared.DisputeEvidence{MainSequence: target.Sequence, Snapshot: &agree, Filer: stranger})
	require.ErrorIs(t, err, types.ErrInvalidRequest, "the evidence agrees with the report whole")

	own := target.Snapshot
	own.Validators = append([]shared.Validator(nil), own.Validators...)
	own.Validators[0].Power++
	id, err := f.ibcEvidence(chainA, shared.DisputeEvidence{MainSequence: target.Sequence, Snapshot: &own, Filer: stranger})
	require.NoError(t, err)
	d, err := f.querys.Dispute(f.ctx, &types.QueryDisputeRequest{DisputeId: id})
	require.NoError(t, err)
	names := shared.DisputedFields(target.Snapshot, own)
	require.Len(t, d.Dispute.Fields, len(names))
	for i, name := range names {
		require.Equal(t, types.DisputedField{Field: name,
			Reported: shared.FieldValue(target.Snapshot, name, types.MaxFieldValueLen),
			Observed: shared.FieldValue(own, name, types.MaxFieldValueLen)}, d.Dispute.Fields[i])
	}
	require.Equal(t, types.DISPUTE_STATUS_UPHELD, d.Dispute.Status)
	f.invariants()
}

// TestPruneInAnyOrder: reports deleted in any order (the prune queue goes
// by main time, so only a failed prune or a hand-made genesis leaves them
// out of order) keep the layout storeReport gives the reports that remain:
// every invariant holds, each remaining report reads as it was received,
// and the store exports and imports byte for byte. Before, pruning any
// report but its subchain's first failed, and each later prune of that
// subchain failed with it.
func TestPruneInAnyOrder(t *testing.T) {
	for seed := int64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			f := newFixture(t)
			params, err := f.k.Params.Get(f.ctx)
			require.NoError(t, err)
			params.HistoryRetention = 1000 * time.Hour // nothing due but what the test moves
			require.NoError(t, f.k.Params.Set(f.ctx, params))
			want, _ := storedReports(f)
			rnd := rand.New(rand.NewSource(seed))
			stored := append([]types.Report(nil), want...)
			for _, i := range rnd.Perm(len(want) - 1) { // never the latest: it is not queued
				seq := want[i].Sequence
				require.NoError(t, f.k.PruneReport(f.ctx, chainA, seq))
				_, err := f.k.GetReport(f.ctx, chainA, seq)
				require.ErrorIs(t, err, collections.ErrNotFound, "report %d pruned", seq)
				stored = slices.DeleteFunc(stored, func(r types.Report) bool { return r.Sequence == seq })
				f.invariants()
				for _, w := range stored {
					got, err := f.k.GetReport(f.ctx, chainA, w.Sequence)
					require.NoError(t, err, "report %d after report %d was pruned", w.Sequence, seq)
					require.Equal(t, marshal(t, &w), marshal(t, &got), "report %d after report %d was pruned", w.Sequence, seq)
				}
				f.reimport()
			}
		})
	}
}

func marshal(t *testing.T, m interface{ Marshal() ([]byte, error) }) []byte {
	t.Helper()
	bz, err := m.Marshal()
	require.NoError(t, err)
	return bz
}

// FuzzStoredLayout runs a program of reports and prunes on one subchain:
// each byte is a report over IBC (a heartbeat, a validator's power moved, a
// moniker changed, an org joined or left, a validator gone or added, a new
// contract) or the prune of a stored report other than the latest, in any
// order. After each step every invariant holds (the lists' layout among
// them: sharedListsInvariant) and every stored report reads back with the
// snapshot it was received with.
func FuzzStoredLayout(f *testing.F) {
	f.Add([]byte{1, 1, 0, 9, 6, 14, 2, 1, 4, 1, 7, 6})
	f.Add([]byte{3, 1, 1, 12, 1, 6, 6, 5, 1, 2, 14, 22})
	f.Add([]byte{1, 0, 4, 1, 1, 6, 0, 7, 15, 1})
	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) > 48 {
			prog = prog[:48]
		}
		g := newFixture(t)
		params, err := g.k.Params.Get(g.ctx)
		require.NoError(t, err)
		params.HistoryRetention = 1000 * time.Hour // nothing due but what the program prunes
		require.NoError(t, g.k.Params.Set(g.ctx, params))
		snap := typical(chainA, 100)
		sent := map[uint64]shared.StatusSnapshot{}
		var stored []uint64
		report := func(s shared.StatusSnapshot) {
			g.advance(10 * time.Second)
			seq, err := g.ibcReport(uint64(len(sent)+1), s)
			require.NoError(t, err)
			snap, sent[seq] = s, s
			stored = append(stored, seq)
		}
		report(snap)
		added := 0
		for _, op := range prog {
			arg := int(op / 8)
			next := heartbeat(snap, 10)
			next.Orgs = slices.Clone(snap.Orgs)
			switch op % 8 {
			case 0:
			case 1:
				next.Validators[arg%len(next.Validators)].Power += int64(1 + arg%3)
			case 2:
				next.Validators[arg%len(next.Validators)].Moniker = fmt.Sprintf("renamed-%d", arg)
			case 3:
				if i := slices.Index(next.Orgs, "org-x"); i >= 0 {
					next.Orgs = slices.Delete(next.Orgs, i, i+1)
				} else {
					next.Orgs = append(next.Orgs, "org-x") // sorts last
				}
			case 4:
				if len(next.Validators) > 1 && arg%2 == 0 {
					next.Validators = slices.Delete(next.Validators, arg%len(next.Validators), arg%len(next.Validators)+1)
				} else {
					added++
					next.Validators = append(next.Validators, shared.Validator{
						Address: fmt.Sprintf("subvalcons1%039d", 100+added), Power: int64(1 + arg), Moniker: "joined"}) // sorts last
				}
			case 5:
				next.NewContracts = []shared.Contract{{Address: fmt.Sprintf("sub1%059d", len(sent)), CodeId: 1, Label: "new"}}
				next.ContractCount++
			default:
				if len(stored) < 2 {
					continue
				}
				i := arg % (len(stored) - 1) // never the latest: it is not queued
				seq := stored[i]
				require.NoError(t, g.k.PruneReport(g.ctx, chainA, seq))
				stored = slices.Delete(stored, i, i+1)
				_, err := g.k.GetReport(g.ctx, chainA, seq)
				require.ErrorIs(t, err, collections.ErrNotFound, "report %d pruned", seq)
			}
			if op%8 < 6 {
				report(next)
			}
			g.invariants()
			for _, seq := range stored {
				got, err := g.k.GetReport(g.ctx, chainA, seq)
				require.NoError(t, err, "report %d", seq)
				want := sent[seq]
				require.Equal(t, marshal(t, &want), marshal(t, &got.Snapshot), "report %d reads as received", seq)
			}
		}
	})
}
