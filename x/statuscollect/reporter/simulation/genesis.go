// Package simulation plugs the statusreporter sidecar into the Cosmos SDK's
// simulator: a random genesis, a store decoder for the import/export
// comparison, and message factories for the org registry, which the params'
// admin manages.
//
// The sidecar's reports travel over the IBC status channel to the main
// chain, and MsgDisputeReport and MsgBindMainClient need that channel or the
// main chain's client; the SDK simulator runs one chain with no
// counterparty, so those are left to the in-process network simulation
// (app/sim_test.go, TestNetworkSimulation). What the simulator does drive
// here is the sidecar's EndBlocker (a snapshot every report_interval
// blocks, with no channel to send it on) and, on a subchain, its count of
// the contracts x/wasm's own simulation instantiates and migrates.
package simulation

import (
	"fmt"
	"slices"
	"time"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// RandomizedGenState writes a random sidecar genesis: random params whose
// admin is a simulation account, and a few orgs.
func RandomizedGenState(simState *module.SimulationState) {
	r := simState.Rand
	gs := types.GenesisState{Params: RandomParams(r, simState.Accounts[r.Intn(len(simState.Accounts))].Address.String())}
	for i := range r.Intn(4) {
		gs.Orgs = append(gs.Orgs, fmt.Sprintf("sim-org-g%d", i))
	}
	slices.Sort(gs.Orgs)
	if err := gs.Validate(); err != nil {
		panic(fmt.Sprintf("random %s genesis: %s", types.ModuleName, err))
	}
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(&gs)
}

// RandomParams returns valid params drawn from r, with admin as the org
// registry's admin.
func RandomParams(r interface {
	Intn(int) int
	Int63n(int64) int64
}, admin string,
) types.Params {
	return types.Params{
		Admin:               admin,
		ReportInterval:      uint32(1 + r.Intn(20)),
		HeartbeatEvery:      uint32(1 + r.Intn(10)),
		PacketTimeout:       time.Minute + time.Duration(r.Int63n(int64(time.Hour))),
		SnapshotRing:        uint32(1 + r.Intn(200)),
		MaxPendingContracts: uint32(1 + r.Intn(shared.MaxNewContracts)),
	}
}
