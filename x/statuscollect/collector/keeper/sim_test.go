package keeper_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// The simulation drives the collector's keeper with seeded random operations
// of every kind a network sees: reports by tx (honest, forged, stale,
// implausible, from strangers, with contracts new, migrated or shown again),
// reports and evidence over IBC, grants,
// revocations, memberships, disputes filed, resolved, expired and pruned,
// suspensions and restores, retirements, and time passing with the
// EndBlocker. Each operation runs as a transaction does: in a cache context
// written only on success, so a refused one must leave the store as it was.
// After every step every invariant must hold; the same seed must end in the
// same store; and the final state must export, validate and import to the same
// store. SIM_SEEDS and SIM_STEPS set its size (make sim, and make sim-long).

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// invariants checks every collector invariant, the escrow against the fake
// bank's module account.
func (f *fixture) invariants() {
	f.t.Helper()
	escrow := func(context.Context) sdk.Coins { return f.bank.balances[moduleKey(types.ModuleName)] }
	for _, inv := range f.k.Invariants(escrow) {
		require.NoError(f.t, inv.Check(f.ctx), "invariant %s", inv.Name)
	}
}

type simulation struct {
	f      *fixture
	rnd    *rand.Rand
	ibcSeq map[string]uint64
	counts map[string][2]int // op -> accepted, refused
}

var (
	simChains   = []string{chainA, chainB}
	simOrgs     = []string{orgA, orgA2, orgB}
	simAdmins   = map[string]string{orgA: adminA, orgA2: adminA2, orgB: adminB}
	simAccounts = []string{authority, consortium, adminA, adminA2, adminB, reporterA, reporterA2, reporterB, revoked, stranger, newAccount}
)

func (s *simulation) pick(xs []string) string { return xs[s.rnd.Intn(len(xs))] }

// height is the subchains' height now: one block per second since genesis.
func (s *simulation) height() int64 { return int64(s.f.ctx.BlockTime().Sub(genesisTime) / time.Second) }

func (s *simulation) snap(chain string) shared.StatusSnapshot {
	h := max(s.height()-int64(s.rnd.Intn(30))+5, 30)
	snap := snapshot(chain, h)
	switch s.rnd.Intn(6) {
	case 0:
		snap.ContractCount += uint64(s.rnd.Intn(5) + 1) // forged
	case 1:
		snap.Height += 1_000_000 // implausible
	case 2:
		snap.NewContracts[1].CodeId += uint64(s.rnd.Intn(3)) // migrated, or shown again
	case 3:
		snap.Validators = snap.Validators[1:] // a validator gone: other lists
	case 4:
		snap.Validators[s.rnd.Intn(len(snap.Validators))].Power += int64(1 + s.rnd.Intn(3)) // the powers alone
	}
	return snap
}

// ops are the operations with their weights.
func (s *simulation) ops() []struct {
	name   string
	weight int
	run    func(ctx sdk.Context) error
} {
	f, ms := s.f, s.f.msgs
	return []struct {
		name   string
		weight int
		run    func(ctx sdk.Context) error
	}{
		{"submit-status", 30, func(ctx sdk.Context) error {
			reporter := s.pick([]string{reporterA, reporterA2, reporterB, newAccount})
			if s.rnd.Intn(4) == 0 {
				reporter = s.pick(simAccounts)
			}
			msg := &types.MsgSubmitStatus{Reporter: reporter, Snapshot: s.snap(s.pick(simChains))}
			if s.rnd.Intn(3) == 0 {
				msg.NameListsByHash() // refused when the latest report's lists are others
			}
			_, err := ms.SubmitStatus(ctx, msg)
			return err
		}},
		{"ibc-report", 15, func(ctx sdk.Context) error {
			chain := s.pick(simChains)
			snap := snapshot(chain, max(s.height()-int64(s.rnd.Intn(10)), 30))
			if s.rnd.Intn(3) == 0 {
				snap.NewContracts[0].CodeId += uint64(s.rnd.Intn(3)) // migrated, or shown again
			}
			r := shared.StatusReport{Sequence: s.ibcSeq[chain] + 1, Snapshot: &snap}
			if s.rnd.Intn(3) == 0 {
				r.ListsHash = snap.NameListsByHash() // checked against the record; refused when its lists are others
			}
			_, err := f.k.ReceiveReport(ctx, "channel-"+chain, r)
			if err == nil {
				s.ibcSeq[chain]++
			}
			return err
		}},
		{"ibc-evidence", 5, func(ctx sdk.Context) error {
			chain := s.pick(simChains)
			sub, err := f.k.Subchains.Get(ctx, chain)
			if err != nil || sub.LastSequence == 0 {
				return fmt.Errorf("nothing to dispute")
			}
			seq := uint64(s.rnd.Int63n(int64(sub.LastSequence))) + 1
			r, err := f.k.GetReport(ctx, chain, seq)
			if err != nil {
				return err
			}
			own := snapshot(chain, r.Snapshot.Height)
			own.ContractCount += uint64(s.rnd.Intn(2)) // the subchain's word: sometimes it disagrees
			_, err = f.k.ReceiveEvidence(ctx, "channel-"+chain, shared.DisputeEvidence{MainSequence: seq, Snapshot: &own, Filer: stranger})
			return err
		}},
		{"file-dispute", 8, func(ctx sdk.Context) error {
			chain, org := s.pick(simChains), s.pick(simOrgs)
			sub, err := f.k.Subchains.Get(ctx, chain)
			if err != nil || sub.LastSequence == 0 {
				return fmt.Errorf("nothing to dispute")
			}
			filer := simAdmins[org] // mostly one who may file, sometimes anyone
			if s.rnd.Intn(3) == 0 {
				filer = s.pick(simAccounts)
			}
			// Mostly one of the last few reports, which are within the window.
			seq := sub.LastSequence - uint64(s.rnd.Int63n(int64(min(sub.LastSequence, 4))))
			if s.rnd.Intn(4) == 0 {
				seq = uint64(s.rnd.Int63n(int64(sub.LastSequence))) + 1
			}
			msg := fileMsg(filer, org, seq)
			msg.ChainId = chain
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			_, err = ms.FileDispute(ctx, msg)
			return err
		}},
		{"resolve-dispute", 6, func(ctx sdk.Context) error {
			last, err := f.k.LastDisputeID.Peek(ctx)
			if err != nil || last == 0 {
				return fmt.Errorf("no dispute")
			}
			resolver := consortium
			if s.rnd.Intn(3) == 0 {
				resolver = s.pick(simAccounts)
			}
			id := uint64(s.rnd.Int63n(int64(last))) + 1
			// Mostly an open one, found through the by-status index.
			_ = f.k.DisputesByStatus.Walk(ctx, nil, func(key collections.Pair[collections.Pair[string, int32], uint64]) (bool, error) {
				if key.K1().K2() == int32(types.DISPUTE_STATUS_OPEN) && s.rnd.Intn(3) != 0 {
					id = key.K2()
					return true, nil
				}
				return false, nil
			})
			_, err = ms.ResolveDispute(ctx, &types.MsgResolveDispute{Resolver: resolver,
				DisputeId: id, Upheld: s.rnd.Intn(2) == 0, Reason: "sim"})
			return err
		}},
		{"restore", 4, func(ctx sdk.Context) error {
			_, err := ms.RestoreReporting(ctx, &types.MsgRestoreReporting{Authority: s.pick([]string{authority, consortium, stranger}), ChainId: s.pick(simChains), OrgId: s.pick(simOrgs)})
			return err
		}},
		{"grant", 6, func(ctx sdk.Context) error {
			org := s.pick(simOrgs)
			_, err := ms.GrantReporter(ctx, &types.MsgGrantReporter{Admin: simAdmins[org], ChainId: s.pick(simChains), OrgId: org, Reporter: s.pick(simAccounts)})
			return err
		}},
		{"revoke", 4, func(ctx sdk.Context) error {
			org := s.pick(simOrgs)
			_, err := ms.RevokeReporter(ctx, &types.MsgRevokeReporter{Admin: simAdmins[org], ChainId: s.pick(simChains), OrgId: org, Reporter: s.pick(simAccounts)})
			return err
		}},
		{"add-member", 3, func(ctx sdk.Context) error {
			_, err := ms.AddMember(ctx, &types.MsgAddMember{Authority: s.pick(simAccounts), ChainId: s.pick(simChains), OrgId: s.pick(simOrgs)})
			return err
		}},
		{"remove-member", 2, func(ctx sdk.Context) error {
			_, err := ms.RemoveMember(ctx, &types.MsgRemoveMember{Authority: s.pick(simAccounts), ChainId: s.pick(simChains), OrgId: s.pick(simOrgs)})
			return err
		}},
		{"retire", 1, func(ctx sdk.Context) error {
			if s.rnd.Intn(4) != 0 {
				return fmt.Errorf("rarely")
			}
			_, err := ms.RetireSubchain(ctx, &types.MsgRetireSubchain{Authority: s.pick(simAccounts), ChainId: s.pick(simChains)})
			return err
		}},
		{"register-subchain", 2, func(ctx sdk.Context) error {
			id := fmt.Sprintf("subchain-%d", s.rnd.Intn(4))
			client := ""
			if s.rnd.Intn(2) == 0 {
				client = "07-tendermint-" + s.pick(append([]string{id}, simChains...))
			}
			msg := &types.MsgRegisterSubchain{Authority: s.pick([]string{authority, consortium, stranger}), ChainId: id, Name: id,
				Kind: types.SUBCHAIN_KIND_OTHER, ReportInterval: time.Minute, ClientId: client}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			_, err := ms.RegisterSubchain(ctx, msg)
			return err
		}},
		{"bind-client", 2, func(ctx sdk.Context) error {
			chain := s.pick(simChains)
			_, err := ms.BindClient(ctx, &types.MsgBindClient{Authority: s.pick([]string{consortium, stranger}), ChainId: chain,
				ClientId: "07-tendermint-" + s.pick(simChains)})
			return err
		}},
		{"register-org", 2, func(ctx sdk.Context) error {
			id := fmt.Sprintf("org-%d", s.rnd.Intn(4))
			_, err := ms.RegisterOrg(ctx, &types.MsgRegisterOrg{Authority: s.pick([]string{authority, consortium, stranger}), OrgId: id, Name: id, Admin: newAccount})
			return err
		}},
		{"update-params", 1, func(ctx sdk.Context) error {
			p := types.DefaultParams()
			p.Admin = consortium
			p.HistoryRetention = []time.Duration{time.Hour, 24 * time.Hour, 30 * 24 * time.Hour}[s.rnd.Intn(3)]
			p.DisputeWindow = min(p.DisputeWindow, p.HistoryRetention)
			p.MaxPrunesPerBlock = uint32(s.rnd.Intn(5) + 1)
			_, err := ms.UpdateParams(ctx, &types.MsgUpdateParams{Authority: s.pick([]string{authority, stranger}), Params: p})
			return err
		}},
		{"time-passes", 12, func(ctx sdk.Context) error {
			return nil // the step advances the block below
		}},
	}
}

// run plays steps operations and returns a digest of the final store.
func (s *simulation) run(t *testing.T, steps int) [32]byte {
	ops := s.ops()
	total := 0
	for _, op := range ops {
		total += op.weight
	}
	for step := range steps {
		n := s.rnd.Intn(total)
		op := ops[0]
		for _, o := range ops {
			if n < o.weight {
				op = o
				break
			}
			n -= o.weight
		}
		before := s.f.dump()
		cache, write := s.f.ctx.CacheContext()
		c := s.counts[op.name]
		if err := op.run(cache); err != nil {
			if c[1] == 0 && testing.Verbose() {
				t.Logf("%s first refused: %v", op.name, err)
			}
			c[1]++
			requireSameStore(t, before, s.f.dump())
		} else {
			c[0]++
			write()
		}
		s.counts[op.name] = c
		if op.name == "time-passes" {
			gaps := []time.Duration{time.Second, 5 * time.Second, time.Minute, time.Minute, 10 * time.Minute, 6 * time.Hour, 3 * 24 * time.Hour}
			gap := gaps[s.rnd.Intn(len(gaps))]
			s.f.advance(gap)
			young := s.unexpired()
			require.NoError(t, s.f.k.EndBlocker(s.f.ctx), "step %d", step)
			for _, key := range young {
				has, err := s.f.k.Reports.Has(s.f.ctx, key)
				require.NoError(t, err)
				require.True(t, has, "step %d: report %d of %s pruned before history_retention", step, key.K2(), key.K1())
			}
		}
		s.f.invariants()
	}
	return sha256.Sum256([]byte(fmt.Sprint(s.f.dump())))
}

// unexpired names the stored reports the EndBlocker must keep: those
// recorded less than history_retention ago, and each subchain's latest.
func (s *simulation) unexpired() []collections.Pair[string, uint64] {
	params, err := s.f.k.Params.Get(s.f.ctx)
	require.NoError(s.f.t, err)
	cutoff := s.f.ctx.BlockTime().Add(-params.HistoryRetention)
	var keep []collections.Pair[string, uint64]
	require.NoError(s.f.t, s.f.k.Reports.Walk(s.f.ctx, nil, func(key collections.Pair[string, uint64], r types.StoredReport) (bool, error) {
		if r.MainTime.After(cutoff) || key.K2() == s.f.subchain(key.K1()).LastSequence {
			keep = append(keep, key)
		}
		return false, nil
	}))
	return keep
}

func newSimulation(t *testing.T, seed int64) *simulation {
	f := newFixture(t)
	f.bank.balances[moduleKey(types.ModuleName)] = nil
	for _, chain := range simChains {
		f.bindChannel(chain, "channel-"+chain)
	}
	for _, a := range simAccounts {
		f.bank.balances[a] = sdk.NewCoins(sdk.NewInt64Coin(sdk.DefaultBondDenom, 1_000_000_000_000))
	}
	return &simulation{f: f, rnd: rand.New(rand.NewSource(seed)), ibcSeq: map[string]uint64{}, counts: map[string][2]int{}}
}

// TestSimulation runs SIM_SEEDS seeds (default 3) of SIM_STEPS steps
// (default 300), each twice, with the invariants after every step.
func TestSimulation(t *testing.T) {
	seeds, steps := envInt("SIM_SEEDS", 3), envInt("SIM_STEPS", 300)
	for seed := int64(1); seed <= int64(seeds); seed++ {
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
			sim := newSimulation(t, seed)
			digest := sim.run(t, steps)
			again := newSimulation(t, seed)
			require.Equal(t, digest, again.run(t, steps), "seed %d: the same operations ended in another state", seed)

			// Export, validate, import: the same store, and the same export again.
			gs, err := sim.f.k.ExportGenesis(sim.f.ctx)
			require.NoError(t, err)
			g := sim.f.reimport()
			gs2, err := g.k.ExportGenesis(g.ctx)
			require.NoError(t, err)
			require.Equal(t, gs.String(), gs2.String(), "export -> import -> export differs")

			var accepted, refused int
			for _, c := range sim.counts {
				accepted += c[0]
				refused += c[1]
			}
			t.Logf("seed %d: %d steps, %d operations accepted, %d refused; %d reports, %d disputes at the end; by op %v",
				seed, steps, accepted, refused, len(gs.Reports), len(gs.Disputes), sim.counts)
		})
	}
}
