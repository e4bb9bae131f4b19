// Package simulation plugs the collector into the Cosmos SDK's simulator
// (x/simulation, testutil/simsx): a random genesis, a store decoder for the
// import/export comparison, and message factories for the Msgs an account
// can send.
//
// What the simulator cannot drive is left out: reports and evidence come to
// the collector over the IBC status channel, and the SDK simulator runs one
// chain with no counterparty, so no channel opens, no packet is received and
// MsgBindClient has no client to bind. Those paths are simulated by the
// keeper's own simulation (keeper/sim_test.go) and over ibctesting by
// app/sim_test.go (TestNetworkSimulation).
package simulation

import (
	"fmt"
	"slices"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// RandomParams returns valid params drawn from r, with admin as the
// registry's admin and arbiters among accounts.
func RandomParams(r interface {
	Intn(int) int
	Int63n(int64) int64
}, admin string, arbiters []string, denom string,
) types.Params {
	dur := func(lo, hi time.Duration) time.Duration { return lo + time.Duration(r.Int63n(int64(hi-lo)+1)) }
	retention := dur(time.Hour, 60*24*time.Hour)
	return types.Params{
		Admin:                      admin,
		StalenessFactor:            uint32(1 + r.Intn(10)),
		UpgradeGrace:               dur(time.Minute, 48*time.Hour),
		HistoryRetention:           retention,
		MaxLivenessChecksPerBlock:  uint32(1 + r.Intn(200)),
		MaxPrunesPerBlock:          uint32(1 + r.Intn(200)),
		MaxReportersPerMembership:  uint32(1 + r.Intn(8)),
		DisputeWindow:              dur(time.Minute, min(retention, 48*time.Hour)),
		DisputeDeposit:             sdk.NewCoin(denom, sdkmath.NewInt(r.Int63n(1_000_000))),
		MaxOpenDisputesPerOrg:      uint32(1 + r.Intn(10)),
		MaxDisputeExpiriesPerBlock: uint32(1 + r.Intn(100)),
		MaxClockDrift:              dur(time.Second, 10*time.Minute),
		MinBlockInterval:           dur(0, 2*time.Second),
		Arbiters:                   arbiters,
	}
}

// RandomizedGenState writes a random collector genesis: random params whose
// admin is a simulation account (so registry Msgs need no governance), a few
// subchains (registered at genesis, not yet reported), orgs whose admins are
// simulation accounts, and memberships with monitoring accounts among them.
func RandomizedGenState(simState *module.SimulationState) {
	r := simState.Rand
	accs := simState.Accounts
	addr := func() string { return accs[r.Intn(len(accs))].Address.String() }

	var arbiters []string
	for range r.Intn(3) {
		if a := addr(); !slices.Contains(arbiters, a) {
			arbiters = append(arbiters, a)
		}
	}
	gs := types.GenesisState{Params: RandomParams(r, addr(), arbiters, simState.BondDenom)}

	kinds := []types.SubchainKind{types.SUBCHAIN_KIND_FILE_STORAGE, types.SUBCHAIN_KIND_INDUSTRY,
		types.SUBCHAIN_KIND_CROSS_CHAIN, types.SUBCHAIN_KIND_OTHER}
	for i := range 1 + r.Intn(3) {
		gs.Subchains = append(gs.Subchains, types.Subchain{
			ChainId:        fmt.Sprintf("sim-genesis-%d", i),
			Name:           fmt.Sprintf("genesis subchain %d", i),
			Kind:           kinds[r.Intn(len(kinds))],
			ReportInterval: RandomReportInterval(r),
		})
	}
	for i := range 1 + r.Intn(3) {
		gs.Orgs = append(gs.Orgs, types.Organization{Id: fmt.Sprintf("sim-org-g%d", i), Name: fmt.Sprintf("genesis org %d", i), Admin: addr()})
	}
	for _, s := range gs.Subchains {
		reporting := map[string]bool{} // an account reports for one org per subchain
		for _, o := range gs.Orgs {
			if r.Intn(3) == 0 {
				continue
			}
			m := types.Membership{ChainId: s.ChainId, OrgId: o.Id}
			for range r.Intn(int(gs.Params.MaxReportersPerMembership) + 1) {
				if a := addr(); !reporting[a] {
					reporting[a] = true
					m.Reporters = append(m.Reporters, a)
				}
			}
			slices.Sort(m.Reporters)
			gs.Memberships = append(gs.Memberships, m)
		}
	}
	if err := gs.Validate(); err != nil {
		panic(fmt.Sprintf("random %s genesis: %s", types.ModuleName, err))
	}
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(&gs)
}

// RandomReportInterval is a subchain's report interval: a few seconds to an hour.
func RandomReportInterval(r interface{ Int63n(int64) int64 }) time.Duration {
	return types.MinReportInterval + time.Duration(r.Int63n(int64(time.Hour)))
}
