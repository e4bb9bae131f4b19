package simulation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Every factory reads the state through the module's query service, picks
// a Msg the keeper should accept, and has the simulator sign and deliver it
// as a tx through the ante handler and the Msg router. A factory that finds
// nothing to do skips; a refused Msg fails the simulation, since it means the
// factory and the keeper disagree on a rule.

// Caps on what the factories create, so that a run keeps working on a small
// registry (more memberships, reports and disputes per subchain) instead of
// spreading thin over many.
const (
	maxSubchains = 8
	maxOrgs      = 10
)

// Weights of the operations, each overridable by the simulator's params
// file under the key "op_weight_<name>".
var defaultWeights = []struct {
	name   string
	weight uint32
}{
	{"msg_register_subchain", 15},
	{"msg_retire_subchain", 2},
	{"msg_register_org", 15},
	{"msg_add_member", 30},
	{"msg_remove_member", 3},
	{"msg_grant_reporter", 35},
	{"msg_revoke_reporter", 8},
	{"msg_submit_status", 100},
	{"msg_file_dispute", 30},
	{"msg_resolve_dispute", 30},
	{"msg_restore_reporting", 15},
}

// RegisterProposalFactories adds the collector's governance proposal
// payloads to reg. The weight's name is the module's own: the SDK's modules
// share "msg_update_params", and a params file can then weight this one
// alone.
func RegisterProposalFactories(weights simsx.WeightSource, reg simsx.Registry, q types.QueryServer) {
	reg.Add(weights.Get("msg_update_collector_params", 100), MsgUpdateParamsFactory(q))
}

// RegisterFactories adds the collector's message factories to reg. q is the
// module's query service, through which the factories read the state.
func RegisterFactories(weights simsx.WeightSource, reg simsx.Registry, q types.QueryServer) {
	factories := map[string]simsx.SimMsgFactoryX{
		"msg_register_subchain": MsgRegisterSubchainFactory(q),
		"msg_retire_subchain":   MsgRetireSubchainFactory(q),
		"msg_register_org":      MsgRegisterOrgFactory(q),
		"msg_add_member":        MsgAddMemberFactory(q),
		"msg_remove_member":     MsgRemoveMemberFactory(q),
		"msg_grant_reporter":    MsgGrantReporterFactory(q),
		"msg_revoke_reporter":   MsgRevokeReporterFactory(q),
		"msg_submit_status":     MsgSubmitStatusFactory(q),
		"msg_file_dispute":      MsgFileDisputeFactory(q),
		"msg_resolve_dispute":   MsgResolveDisputeFactory(q),
		"msg_restore_reporting": MsgRestoreReportingFactory(q),
	}
	for _, w := range defaultWeights {
		reg.Add(weights.Get(w.name, w.weight), factories[w.name])
	}
}

// view is the part of the registry the factories choose from.
type view struct {
	params  types.Params
	subs    []types.Subchain
	orgs    []types.Organization
	members []types.Membership
}

func (v *view) sub(chainID string) (types.Subchain, bool) {
	i := slices.IndexFunc(v.subs, func(s types.Subchain) bool { return s.ChainId == chainID })
	if i < 0 {
		return types.Subchain{}, false
	}
	return v.subs[i], true
}

func (v *view) org(id string) types.Organization {
	i := slices.IndexFunc(v.orgs, func(o types.Organization) bool { return o.Id == id })
	if i < 0 {
		return types.Organization{}
	}
	return v.orgs[i]
}

func (v *view) member(chainID, orgID string) (types.Membership, bool) {
	i := slices.IndexFunc(v.members, func(m types.Membership) bool { return m.ChainId == chainID && m.OrgId == orgID })
	if i < 0 {
		return types.Membership{}, false
	}
	return v.members[i], true
}

// load reads the registry: the first page of each list, which holds all of
// it under the caps above. A query error fails the operation.
func load(ctx context.Context, q types.QueryServer, reporter simsx.SimulationReporter) (*view, bool) {
	v := &view{}
	fail := func(what string, err error) (*view, bool) {
		reporter.Fail(err, "querying "+what)
		return nil, false
	}
	p, err := q.Params(ctx, &types.QueryParamsRequest{})
	if err != nil {
		return fail("params", err)
	}
	v.params = p.Params
	subs, err := q.Subchains(ctx, &types.QuerySubchainsRequest{})
	if err != nil {
		return fail("subchains", err)
	}
	v.subs = subs.Subchains
	orgs, err := q.Orgs(ctx, &types.QueryOrgsRequest{})
	if err != nil {
		return fail("orgs", err)
	}
	v.orgs = orgs.Orgs
	for _, s := range v.subs {
		ms, err := q.Members(ctx, &types.QueryMembersRequest{ChainId: s.ChainId})
		if err != nil {
			return fail("members of "+s.ChainId, err)
		}
		v.members = append(v.members, ms.Members...)
	}
	return v, true
}

// account returns the simulation account of addr; the reporter skips when
// the address is none of them.
func account(testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, addr string) (simsx.SimAccount, bool) {
	if addr == "" {
		reporter.Skip("no such account")
		return simsx.SimAccount{}, false
	}
	acc := testData.GetAccount(reporter, addr)
	return acc, !reporter.IsSkipped()
}

// admin returns the params' admin, the registry's signer in the simulation.
func admin(testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, v *view) (simsx.SimAccount, bool) {
	return account(testData, reporter, v.params.Admin)
}

func pick[T any](testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, xs []T, what string) (T, bool) {
	if len(xs) == 0 {
		reporter.Skip("no " + what)
		var zero T
		return zero, false
	}
	return xs[testData.Rand().Intn(len(xs))], true
}

func live(s types.Subchain) bool { return s.Liveness != types.LIVENESS_RETIRED }

// MsgUpdateParamsFactory proposes new random params through governance,
// keeping the admin, so that the registry's Msgs stay possible. A proposal
// that passes changes the caps, windows and deposit under the state the
// run has built.
func MsgUpdateParamsFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		cur, err := q.Params(ctx, &types.QueryParamsRequest{})
		if err != nil {
			reporter.Fail(err, "querying params")
			return nil, nil
		}
		r := testData.Rand()
		var arbiters []string
		for range r.Intn(3) {
			if a := testData.AnyAccount(reporter).AddressBech32; a != "" && !slices.Contains(arbiters, a) {
				arbiters = append(arbiters, a)
			}
		}
		return nil, &types.MsgUpdateParams{
			Authority: testData.ModuleAccountAddress(reporter, "gov"),
			Params:    RandomParams(r, cur.Params.Admin, arbiters, cur.Params.DisputeDeposit.Denom),
		}
	}
}

func MsgRegisterSubchainFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgRegisterSubchain] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRegisterSubchain) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		if len(v.subs) >= maxSubchains {
			reporter.Skip("enough subchains")
			return nil, nil
		}
		signer, ok := admin(testData, reporter, v)
		if !ok {
			return nil, nil
		}
		r := testData.Rand()
		id := fmt.Sprintf("sim-%d", r.Intn(1_000_000))
		if _, taken := v.sub(id); taken {
			reporter.Skip("chain id taken")
			return nil, nil
		}
		kind := types.SubchainKind(1 + r.Intn(4))
		return []simsx.SimAccount{signer}, &types.MsgRegisterSubchain{
			Authority: signer.AddressBech32, ChainId: id, Name: "subchain " + id, Kind: kind,
			ReportInterval: RandomReportInterval(r),
		}
	}
}

func MsgRetireSubchainFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgRetireSubchain] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRetireSubchain) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		active := slices.DeleteFunc(slices.Clone(v.subs), func(s types.Subchain) bool { return !live(s) })
		if len(active) < 2 {
			reporter.Skip("keeping the last subchain")
			return nil, nil
		}
		sub, _ := pick(testData, reporter, active, "subchain")
		signer, ok := admin(testData, reporter, v)
		if !ok {
			return nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgRetireSubchain{Authority: signer.AddressBech32, ChainId: sub.ChainId}
	}
}

func MsgRegisterOrgFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgRegisterOrg] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRegisterOrg) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		if len(v.orgs) >= maxOrgs {
			reporter.Skip("enough orgs")
			return nil, nil
		}
		signer, ok := admin(testData, reporter, v)
		if !ok {
			return nil, nil
		}
		id := fmt.Sprintf("sim-org-%d", testData.Rand().Intn(1_000_000))
		if v.org(id).Id != "" {
			reporter.Skip("org id taken")
			return nil, nil
		}
		orgAdmin := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgRegisterOrg{Authority: signer.AddressBech32, OrgId: id, Name: "org " + id, Admin: orgAdmin.AddressBech32}
	}
}

func MsgAddMemberFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgAddMember] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAddMember) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		var open [][2]string
		for _, s := range v.subs {
			for _, o := range v.orgs {
				if _, member := v.member(s.ChainId, o.Id); live(s) && !member {
					open = append(open, [2]string{s.ChainId, o.Id})
				}
			}
		}
		pair, ok := pick(testData, reporter, open, "org outside a live subchain")
		if !ok {
			return nil, nil
		}
		signer, ok := admin(testData, reporter, v)
		if !ok {
			return nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgAddMember{Authority: signer.AddressBech32, ChainId: pair[0], OrgId: pair[1]}
	}
}

func MsgRemoveMemberFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgRemoveMember] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRemoveMember) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		m, ok := pick(testData, reporter, v.members, "membership")
		if !ok {
			return nil, nil
		}
		signer, ok := admin(testData, reporter, v)
		if !ok {
			return nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgRemoveMember{Authority: signer.AddressBech32, ChainId: m.ChainId, OrgId: m.OrgId}
	}
}

func MsgGrantReporterFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgGrantReporter] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgGrantReporter) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		open := slices.DeleteFunc(slices.Clone(v.members), func(m types.Membership) bool {
			return m.Suspended || uint32(len(m.Reporters)) >= v.params.MaxReportersPerMembership
		})
		m, ok := pick(testData, reporter, open, "membership with room for a reporter")
		if !ok {
			return nil, nil
		}
		signer, ok := account(testData, reporter, v.org(m.OrgId).Admin)
		if !ok {
			return nil, nil
		}
		// An account reports for one org per subchain.
		var listed []string
		for _, other := range v.members {
			if other.ChainId == m.ChainId {
				listed = append(listed, other.Reporters...)
			}
		}
		monitor := testData.AnyAccountN(5, reporter, simsx.ExcludeAddresses(listed...))
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgGrantReporter{Admin: signer.AddressBech32, ChainId: m.ChainId, OrgId: m.OrgId, Reporter: monitor.AddressBech32}
	}
}

func MsgRevokeReporterFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgRevokeReporter] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRevokeReporter) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		withReporters := slices.DeleteFunc(slices.Clone(v.members), func(m types.Membership) bool { return len(m.Reporters) == 0 })
		m, ok := pick(testData, reporter, withReporters, "membership with a reporter")
		if !ok {
			return nil, nil
		}
		signer, ok := account(testData, reporter, v.org(m.OrgId).Admin)
		if !ok {
			return nil, nil
		}
		monitor, _ := pick(testData, reporter, m.Reporters, "reporter")
		return []simsx.SimAccount{signer}, &types.MsgRevokeReporter{Admin: signer.AddressBech32, ChainId: m.ChainId, OrgId: m.OrgId, Reporter: monitor}
	}
}

// latest returns a subchain's latest report, nil before its first.
func latest(ctx context.Context, q types.QueryServer, reporter simsx.SimulationReporter, chainID string) (*types.Report, bool) {
	res, err := q.LatestStatus(ctx, &types.QueryLatestStatusRequest{ChainId: chainID})
	if errorsmod.IsOf(err, types.ErrNoReport) {
		return nil, true
	} else if err != nil {
		reporter.Fail(err, "querying the latest status of "+chainID)
		return nil, false
	}
	return &res.Report, true
}

func MsgSubmitStatusFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgSubmitStatus] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSubmitStatus) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		able := slices.DeleteFunc(slices.Clone(v.members), func(m types.Membership) bool {
			s, _ := v.sub(m.ChainId)
			return m.Suspended || len(m.Reporters) == 0 || !live(s)
		})
		m, ok := pick(testData, reporter, able, "membership that may report")
		if !ok {
			return nil, nil
		}
		addr, _ := pick(testData, reporter, m.Reporters, "reporter")
		signer, ok := account(testData, reporter, addr)
		if !ok {
			return nil, nil
		}
		sub, _ := v.sub(m.ChainId)
		prev, ok := latest(ctx, q, reporter, sub.ChainId)
		if !ok {
			return nil, nil
		}
		var orgs []string
		for _, other := range v.members {
			if other.ChainId == sub.ChainId {
				orgs = append(orgs, other.OrgId)
			}
		}
		slices.Sort(orgs)
		snap, ok := plausibleSnapshot(testData.Rand(), sdk.UnwrapSDKContext(ctx).BlockTime(), v.params, sub, prev, orgs)
		if !ok {
			reporter.Skip("no plausible height yet")
			return nil, nil
		}
		msg := &types.MsgSubmitStatus{Reporter: signer.AddressBech32, Snapshot: snap}
		if prev != nil && testData.Rand().Intn(3) == 0 {
			// Unchanged lists, named by hash as a reporter daemon does.
			msg.Snapshot.Orgs, msg.Snapshot.Validators = prev.Snapshot.Orgs, prev.Snapshot.Validators
			msg.NameListsByHash()
		}
		return []simsx.SimAccount{signer}, msg
	}
}

// plausibleSnapshot makes a snapshot the keeper's admission of a report by
// tx takes: above the subchain's height floor, no further past the latest
// report than min_block_interval allows for the time between them, its
// block time not past the main chain's by more than max_clock_drift, and
// on the sidecar's snapshot cadence when the subchain has one. It continues
// the latest report's counters and contracts: new contracts, sometimes the
// migration of one shown before, sometimes a planned upgrade. false when no
// such height exists yet (too little time since the latest report).
func plausibleSnapshot(r *simsx.XRand, now time.Time, p types.Params, sub types.Subchain, prev *types.Report, orgs []string) (shared.StatusSnapshot, bool) {
	blockTime := now.Add(-time.Duration(r.Int63n(int64(10 * time.Second))))
	var last shared.StatusSnapshot
	minHeight, maxHeight := int64(1), int64(1_000)
	if prev != nil {
		last = prev.Snapshot
		if !blockTime.After(last.BlockTime) {
			// A report earlier in this block took the time up to now: take
			// one between its and the latest the drift allows.
			room := now.Add(p.MaxClockDrift).Sub(last.BlockTime)
			if room <= 0 {
				return shared.StatusSnapshot{}, false
			}
			blockTime = last.BlockTime.Add(1 + time.Duration(r.Int63n(int64(room))))
		}
		minHeight = sub.LastHeight + 1
		maxHeight = last.Height + 100
		if p.MinBlockInterval > 0 {
			maxHeight = last.Height + int64(blockTime.Sub(last.BlockTime)/p.MinBlockInterval)
		}
	}
	if minHeight > maxHeight {
		return shared.StatusSnapshot{}, false
	}
	height := minHeight + r.Int63n(min(maxHeight-minHeight+1, 20))
	if every := int64(sub.SnapshotEvery); every > 0 {
		if height = (height + every - 1) / every * every; height > maxHeight {
			return shared.StatusSnapshot{}, false
		}
	}

	window := uint64(1 + r.Intn(20))
	windowTxs := uint64(r.Intn(50))
	snap := shared.StatusSnapshot{
		ChainId:         sub.ChainId,
		Height:          height,
		BlockTime:       blockTime.UTC(),
		TotalTxs:        last.TotalTxs + windowTxs,
		WindowTxs:       windowTxs,
		WindowBlocks:    window,
		TpsMilli:        windowTxs * 1000 / window,
		Orgs:            orgs,
		ContractCount:   last.ContractCount,
		SoftwareVersion: fmt.Sprintf("v1.%d.0", r.Intn(3)),
	}
	for i := range 1 + r.Intn(3) {
		snap.Validators = append(snap.Validators, shared.Validator{
			Address: fmt.Sprintf("%s-val-%d", sub.ChainId, i), Power: int64(1 + r.Intn(100)), Moniker: fmt.Sprintf("validator %d", i),
		})
	}
	for range r.Intn(3) {
		snap.ContractCount++
		snap.NewContracts = append(snap.NewContracts, shared.Contract{
			Address: fmt.Sprintf("%s-contract-%d", sub.ChainId, snap.ContractCount), CodeId: uint64(1 + r.Intn(5)), Label: "sim",
		})
	}
	if len(last.NewContracts) > 0 && r.Intn(5) == 0 {
		migrated := last.NewContracts[r.Intn(len(last.NewContracts))]
		migrated.CodeId++
		if !slices.ContainsFunc(snap.NewContracts, func(c shared.Contract) bool { return c.Address == migrated.Address }) {
			snap.NewContracts = append(snap.NewContracts, migrated)
		}
	}
	slices.SortFunc(snap.NewContracts, func(a, b shared.Contract) int { return strings.Compare(a.Address, b.Address) })
	if r.Intn(10) == 0 {
		snap.PlannedUpgrade = &shared.PlannedUpgrade{Name: "sim-upgrade", Height: height + int64(1+r.Intn(1000))}
	}
	return snap, true
}

func MsgFileDisputeFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgFileDispute] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgFileDispute) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		reported := slices.DeleteFunc(slices.Clone(v.subs), func(s types.Subchain) bool { return s.LastSequence == 0 })
		sub, ok := pick(testData, reporter, reported, "subchain with a report")
		if !ok {
			return nil, nil
		}
		report, ok := latest(ctx, q, reporter, sub.ChainId)
		if !ok {
			return nil, nil
		}
		if report == nil || report.ProvenWrongBy != 0 {
			reporter.Skip("latest report already proven wrong")
			return nil, nil
		}
		if now := sdk.UnwrapSDKContext(ctx).BlockTime(); now.After(report.MainTime.Add(v.params.DisputeWindow)) {
			reporter.Skip("dispute window closed")
			return nil, nil
		}
		open, ok := openDisputes(ctx, q, reporter, v)
		if !ok {
			return nil, nil
		}
		filers := slices.DeleteFunc(slices.Clone(v.members), func(m types.Membership) bool {
			return m.ChainId != sub.ChainId || m.Suspended || m.OrgId == report.Source.OrgId ||
				countOrg(open, m.OrgId) >= int(v.params.MaxOpenDisputesPerOrg)
		})
		m, ok := pick(testData, reporter, filers, "org that may dispute")
		if !ok {
			return nil, nil
		}
		// The org's admin or one of its monitoring accounts files.
		filerAddr := v.org(m.OrgId).Admin
		if len(m.Reporters) > 0 && testData.Rand().Intn(2) == 0 {
			filerAddr, _ = pick(testData, reporter, m.Reporters, "reporter")
		}
		filer, ok := account(testData, reporter, filerAddr)
		if !ok {
			return nil, nil
		}
		if v.params.DisputeDeposit.IsPositive() && !filer.LiquidBalance().BlockAmount(v.params.DisputeDeposit) {
			reporter.Skip("filer cannot pay the deposit")
			return nil, nil
		}
		observed := report.Snapshot
		observed.ContractCount += uint64(1 + testData.Rand().Intn(3))
		field := shared.FieldContractCount
		return []simsx.SimAccount{filer}, &types.MsgFileDispute{
			Filer: filer.AddressBech32, ChainId: sub.ChainId, OrgId: m.OrgId, ReportSequence: report.Sequence,
			Fields: []types.DisputedField{{
				Field:    field,
				Reported: shared.FieldValue(report.Snapshot, field, types.MaxFieldValueLen),
				Observed: shared.FieldValue(observed, field, types.MaxFieldValueLen),
			}},
			Evidence: "seen on the subchain's own node",
		}
	}
}

// openDisputes lists every open dispute.
func openDisputes(ctx context.Context, q types.QueryServer, reporter simsx.SimulationReporter, v *view) ([]types.Dispute, bool) {
	var open []types.Dispute
	for _, s := range v.subs {
		res, err := q.Disputes(ctx, &types.QueryDisputesRequest{ChainId: s.ChainId, Status: types.DISPUTE_STATUS_OPEN})
		if err != nil {
			reporter.Fail(err, "querying the open disputes of "+s.ChainId)
			return nil, false
		}
		open = append(open, res.Disputes...)
	}
	return open, true
}

func countOrg(ds []types.Dispute, org string) int {
	n := 0
	for _, d := range ds {
		if d.FilerOrg == org {
			n++
		}
	}
	return n
}

func MsgResolveDisputeFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgResolveDispute] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgResolveDispute) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		open, ok := openDisputes(ctx, q, reporter, v)
		if !ok {
			return nil, nil
		}
		d, ok := pick(testData, reporter, open, "open dispute")
		if !ok {
			return nil, nil
		}
		resolvers := append([]string{v.params.Admin}, v.params.Arbiters...)
		addr, _ := pick(testData, reporter, resolvers, "resolver")
		signer, ok := account(testData, reporter, addr)
		if !ok {
			return nil, nil
		}
		upheld := testData.Rand().Intn(2) == 0
		return []simsx.SimAccount{signer}, &types.MsgResolveDispute{
			Resolver: signer.AddressBech32, DisputeId: d.Id, Upheld: upheld, Reason: fmt.Sprintf("simulated ruling (upheld: %t)", upheld),
		}
	}
}

func MsgRestoreReportingFactory(q types.QueryServer) simsx.SimMsgFactoryFn[*types.MsgRestoreReporting] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRestoreReporting) {
		v, ok := load(ctx, q, reporter)
		if !ok {
			return nil, nil
		}
		suspended := slices.DeleteFunc(slices.Clone(v.members), func(m types.Membership) bool { return !m.Suspended })
		m, ok := pick(testData, reporter, suspended, "suspended membership")
		if !ok {
			return nil, nil
		}
		signer, ok := admin(testData, reporter, v)
		if !ok {
			return nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgRestoreReporting{Authority: signer.AddressBech32, ChainId: m.ChainId, OrgId: m.OrgId}
	}
}
