package simulation

import (
	"context"
	"fmt"
	"slices"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// maxOrgs caps the orgs the factories add, far below shared.MaxOrgs.
const maxOrgs = 20

// RegisterFactories adds the sidecar's message factories to reg; q is the
// module's query service. Each builds a Msg the keeper should accept, signed
// by the params' admin, or skips; a refused Msg fails the simulation.
func RegisterFactories(weights simsx.WeightSource, reg simsx.Registry, q types.QueryServer) {
	reg.Add(weights.Get("msg_add_org", 20), MsgAddOrgFactory(q))
	reg.Add(weights.Get("msg_remove_org", 8), MsgRemoveOrgFactory(q))
}

// RegisterProposalFactories adds the sidecar's governance proposal payloads
// to reg, under a weight name of its own (see the collector's).
func RegisterProposalFactories(weights simsx.WeightSource, reg simsx.Registry, q types.QueryServer) {
	reg.Add(weights.Get("msg_update_statusreporter_params", 100), MsgUpdateParamsFactory(q))
}

// MsgUpdateParamsFactory proposes new random params through governance,
// keeping the admin.
func MsgUpdateParamsFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		cur, err := q.Params(ctx, &types.QueryParamsRequest{})
		if err != nil {
			reporter.Fail(err, "querying params")
			return nil, nil
		}
		return nil, &types.MsgUpdateParams{
			Authority: testData.ModuleAccountAddress(reporter, "gov"),
			Params:    RandomParams(testData.Rand(), cur.Params.Admin),
		}
	}
}

// registry reads the params' admin (as a simulation account) and the orgs.
func registry(ctx context.Context, q types.QueryServer, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) (simsx.SimAccount, []string, bool) {
	p, err := q.Params(ctx, &types.QueryParamsRequest{})
	if err != nil {
		reporter.Fail(err, "querying params")
		return simsx.SimAccount{}, nil, false
	}
	orgs, err := q.Orgs(ctx, &types.QueryOrgsRequest{})
	if err != nil {
		reporter.Fail(err, "querying orgs")
		return simsx.SimAccount{}, nil, false
	}
	if p.Params.Admin == "" {
		reporter.Skip("no admin")
		return simsx.SimAccount{}, nil, false
	}
	admin := testData.GetAccount(reporter, p.Params.Admin)
	return admin, orgs.Orgs, !reporter.IsSkipped()
}

func MsgAddOrgFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgAddOrg] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAddOrg) {
		admin, orgs, ok := registry(ctx, q, testData, reporter)
		if !ok {
			return nil, nil
		}
		if len(orgs) >= maxOrgs {
			reporter.Skip("enough orgs")
			return nil, nil
		}
		id := fmt.Sprintf("sim-org-%d", testData.Rand().Intn(1_000_000))
		if slices.Contains(orgs, id) {
			reporter.Skip("org id taken")
			return nil, nil
		}
		return []simsx.SimAccount{admin}, &types.MsgAddOrg{Authority: admin.AddressBech32, OrgId: id}
	}
}

func MsgRemoveOrgFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgRemoveOrg] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRemoveOrg) {
		admin, orgs, ok := registry(ctx, q, testData, reporter)
		if !ok {
			return nil, nil
		}
		if len(orgs) == 0 {
			reporter.Skip("no org")
			return nil, nil
		}
		return []simsx.SimAccount{admin}, &types.MsgRemoveOrg{Authority: admin.AddressBech32, OrgId: orgs[testData.Rand().Intn(len(orgs))]}
	}
}
