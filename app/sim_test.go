package app_test

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"github.com/statuscollect/statuscollect/app/apptesting"
	collectorkeeper "github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// TestNetworkSimulation drives the real apps of one main chain and two
// subchains with seeded random steps: reports relayed over the status
// channels, contracts instantiated on the subchains, orgs' monitors reporting
// by tx (honestly or with a forged contract count), subchain validators
// disputing the main chain's reports with their own Msg and the evidence
// relayed, org disputes filed and resolved, restores, and blocks committed.
// After every step every invariant of every chain must hold. SIM_APP_STEPS
// sets its length (default 60), SIM_APP_SEED its seed (default 1).
func TestNetworkSimulation(t *testing.T) {
	steps, seed := 60, int64(1)
	if v, err := strconv.Atoi(os.Getenv("SIM_APP_STEPS")); err == nil && v > 0 {
		steps = v
	}
	if v, err := strconv.ParseInt(os.Getenv("SIM_APP_SEED"), 10, 64); err == nil {
		seed = v
	}
	rnd := rand.New(rand.NewSource(seed))
	n := newNetwork(t)
	mainApp := apptesting.App(n.main)
	msgs := collectorkeeper.NewMsgServerImpl(mainApp.CollectorKeeper)
	paths := []*ibctesting.Path{n.pathA, n.pathB}

	// Two orgs, members of both subchains; each org's admin is also its monitor.
	orgs := []string{"org-x", "org-y"}
	accounts := map[string]string{}
	for i, org := range orgs {
		acc := n.main.SenderAccounts[i].SenderAccount.GetAddress().String()
		accounts[org] = acc
		ctx := n.main.GetContext()
		_, err := msgs.RegisterOrg(ctx, &collectortypes.MsgRegisterOrg{Authority: apptesting.GovAuthority, OrgId: org, Name: org, Admin: acc})
		require.NoError(t, err)
		for _, p := range paths {
			chain := p.EndpointA.Chain.ChainID
			_, err = msgs.AddMember(ctx, &collectortypes.MsgAddMember{Authority: apptesting.GovAuthority, ChainId: chain, OrgId: org})
			require.NoError(t, err)
			_, err = msgs.GrantReporter(ctx, &collectortypes.MsgGrantReporter{Admin: acc, ChainId: chain, OrgId: org, Reporter: acc})
			require.NoError(t, err)
		}
	}
	// Deposits in a denom the orgs hold, so that their disputes are escrowed.
	params, err := mainApp.CollectorKeeper.Params.Get(n.main.GetContext())
	require.NoError(t, err)
	held := mainApp.BankKeeper.GetAllBalances(n.main.GetContext(), n.main.SenderAccounts[0].SenderAccount.GetAddress())
	require.NotEmpty(t, held)
	params.DisputeDeposit = sdk.NewInt64Coin(held[0].Denom, 1000)
	require.NoError(t, mainApp.CollectorKeeper.Params.Set(n.main.GetContext(), params))

	// The subchains' admins file disputes on their side.
	for _, p := range paths {
		sub := p.EndpointA.Chain
		k := apptesting.App(sub).ReporterKeeper
		params, err := k.Params.Get(sub.GetContext())
		require.NoError(t, err)
		params.Admin = sub.SenderAccount.GetAddress().String()
		require.NoError(t, k.Params.Set(sub.GetContext(), params))
	}

	// onMain runs a collector Msg as a transaction would: written only if it succeeds.
	onMain := func(run func(ctx sdk.Context) error) error {
		cache, write := n.main.GetContext().CacheContext()
		if err := run(cache); err != nil {
			return err
		}
		write()
		return nil
	}
	pick := func(xs []string) string { return xs[rnd.Intn(len(xs))] }
	counts := map[string][2]int{}
	ops := []struct {
		name   string
		weight int
		run    func(p *ibctesting.Path) error
	}{
		{"relay-report", 30, func(p *ibctesting.Path) error {
			sub := p.EndpointA.Chain
			for range apptesting.ReportInterval {
				n.coord.CommitBlock(sub)
			}
			link, err := apptesting.App(sub).ReporterKeeper.Link.Get(sub.GetContext())
			if err != nil || link.InFlight == nil {
				return fmt.Errorf("no report in flight: nothing changed and no heartbeat due")
			}
			_, ackBz, err := p.RelayPacketWithResults(apptesting.InFlightReport(t, p))
			require.NoError(t, err)
			var ack channeltypes.Acknowledgement
			require.NoError(t, channeltypes.SubModuleCdc.UnmarshalJSON(ackBz, &ack))
			if !ack.Success() {
				return fmt.Errorf("error ack: %s", ack.GetError())
			}
			return nil
		}},
		{"instantiate", 10, func(p *ibctesting.Path) error {
			instantiate(t, p.EndpointA.Chain, fmt.Sprintf("sim-%d", rnd.Int63()))
			return nil
		}},
		{"monitor-report", 20, func(p *ibctesting.Path) error {
			sub := p.EndpointA.Chain
			own, err := apptesting.ReporterQuerier(sub).Snapshot(sub.GetContext(), &reportertypes.QuerySnapshotRequest{})
			if err != nil {
				return err
			}
			snap := own.Snapshot
			if rnd.Intn(3) == 0 {
				snap.ContractCount += uint64(rnd.Intn(3) + 1) // forged
			}
			return onMain(func(ctx sdk.Context) error {
				msg := &collectortypes.MsgSubmitStatus{Reporter: accounts[pick(orgs)], Snapshot: snap}
				if rnd.Intn(2) == 0 {
					msg.NameListsByHash() // as a reporter daemon does; refused if the lists moved
				}
				if err := msg.ValidateBasic(); err != nil {
					return err
				}
				_, err := msgs.SubmitStatus(ctx, msg)
				return err
			})
		}},
		{"subchain-dispute", 10, func(p *ibctesting.Path) error {
			sub := p.EndpointA.Chain
			subState, err := mainApp.CollectorKeeper.Subchains.Get(n.main.GetContext(), sub.ChainID)
			if err != nil || subState.LastSequence == 0 {
				return fmt.Errorf("nothing reported yet")
			}
			// One of the last few reports, as the main chain holds it.
			seq := subState.LastSequence - uint64(rnd.Int63n(int64(min(subState.LastSequence, 3))))
			r, err := mainApp.CollectorKeeper.GetReport(n.main.GetContext(), sub.ChainID, seq)
			if err != nil {
				return err
			}
			res, err := sub.SendMsgs(&reportertypes.MsgDisputeReport{Filer: sub.SenderAccount.GetAddress().String(),
				MainSequence: seq, Reported: r.Snapshot})
			if err != nil {
				return err // it agrees with the subchain, or was disputed already, or fell out of the ring
			}
			packet, err := ibctesting.ParsePacketFromEvents(res.Events)
			require.NoError(t, err)
			_, _, err = p.RelayPacketWithResults(packet)
			require.NoError(t, err)
			return nil
		}},
		{"org-dispute", 6, func(p *ibctesting.Path) error {
			chain := p.EndpointA.Chain.ChainID
			subState, err := mainApp.CollectorKeeper.Subchains.Get(n.main.GetContext(), chain)
			if err != nil || subState.LastSequence == 0 {
				return fmt.Errorf("nothing reported yet")
			}
			org := pick(orgs)
			return onMain(func(ctx sdk.Context) error {
				msg := &collectortypes.MsgFileDispute{Filer: accounts[org], ChainId: chain, OrgId: org, ReportSequence: subState.LastSequence,
					Fields:   []collectortypes.DisputedField{{Field: "contract_count", Reported: "?", Observed: "?"}},
					Evidence: "what our node says"}
				if err := msg.ValidateBasic(); err != nil {
					return err
				}
				_, err := msgs.FileDispute(ctx, msg)
				return err
			})
		}},
		{"resolve", 6, func(*ibctesting.Path) error {
			last, err := mainApp.CollectorKeeper.LastDisputeID.Peek(n.main.GetContext())
			if err != nil || last == 0 {
				return fmt.Errorf("no dispute yet")
			}
			return onMain(func(ctx sdk.Context) error {
				_, err := msgs.ResolveDispute(ctx, &collectortypes.MsgResolveDispute{Resolver: apptesting.GovAuthority,
					DisputeId: uint64(rnd.Int63n(int64(last))) + 1, Upheld: rnd.Intn(2) == 0, Reason: "sim"})
				return err
			})
		}},
		{"restore", 4, func(p *ibctesting.Path) error {
			return onMain(func(ctx sdk.Context) error {
				_, err := msgs.RestoreReporting(ctx, &collectortypes.MsgRestoreReporting{Authority: apptesting.GovAuthority,
					ChainId: p.EndpointA.Chain.ChainID, OrgId: pick(orgs)})
				return err
			})
		}},
		{"commit", 14, func(p *ibctesting.Path) error {
			n.coord.CommitBlock(n.main, p.EndpointA.Chain)
			return nil
		}},
	}
	total := 0
	for _, op := range ops {
		total += op.weight
	}
	for range steps {
		k := rnd.Intn(total)
		op := ops[0]
		for _, o := range ops {
			if k < o.weight {
				op = o
				break
			}
			k -= o.weight
		}
		c := counts[op.name]
		if err := op.run(paths[rnd.Intn(len(paths))]); err != nil {
			if c[1] == 0 {
				t.Logf("%s first refused: %v", op.name, err)
			}
			c[1]++
		} else {
			c[0]++
		}
		counts[op.name] = c
		for _, chain := range []*ibctesting.TestChain{n.main, n.subA, n.subB} {
			apptesting.CheckInvariants(t, chain)
		}
	}
	t.Logf("seed %d, %d steps over mainchain and two subchains, every invariant after each; by op (done, refused): %v", seed, steps, counts)
}
