package keeper_test

import (
	"context"
	"testing"
	"time"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// The remaining Msg handlers, fuzzed the same way (fuzzMsgServer): no panic,
// a refusal changes neither store nor bank, and after an accepted Msg every
// collector invariant still holds.

func invariantsHold[M any](g *fixture, _ M, _ state) { g.invariants() }

func FuzzUpdateParams(f *testing.F) {
	p := types.DefaultParams()
	short := p
	short.HistoryRetention, short.DisputeWindow = time.Hour, time.Minute
	fuzzMsgServer(f, []*types.MsgUpdateParams{
		{Authority: authority, Params: p},
		{Authority: authority, Params: short},
		{Authority: consortium, Params: p}, // the admin may not
		{Authority: stranger, Params: p},
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgUpdateParams) error {
		_, err := s.UpdateParams(ctx, m)
		return err
	}, invariantsHold[*types.MsgUpdateParams])
}

func FuzzRegisterSubchain(f *testing.F) {
	reg := func(signer, chain, client string) *types.MsgRegisterSubchain {
		return &types.MsgRegisterSubchain{Authority: signer, ChainId: chain, Name: chain, Kind: types.SUBCHAIN_KIND_OTHER,
			ReportInterval: time.Minute, ClientId: client}
	}
	fuzzMsgServer(f, []*types.MsgRegisterSubchain{
		reg(authority, "subchain-c", ""),
		reg(consortium, "subchain-c", "07-tendermint-subchain-c"),
		reg(consortium, "subchain-c", "07-tendermint-subchain-b"), // a client of another chain
		reg(consortium, chainA, ""),                               // registered already
		reg(stranger, "subchain-c", ""),
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgRegisterSubchain) error {
		_, err := s.RegisterSubchain(ctx, m)
		return err
	}, invariantsHold[*types.MsgRegisterSubchain])
}

func FuzzBindClient(f *testing.F) {
	fuzzMsgServer(f, []*types.MsgBindClient{
		{Authority: consortium, ChainId: chainB, ClientId: "07-tendermint-" + chainB},
		{Authority: consortium, ChainId: chainB, ClientId: "07-tendermint-" + chainA},
		{Authority: stranger, ChainId: chainB, ClientId: "07-tendermint-" + chainB},
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgBindClient) error {
		_, err := s.BindClient(ctx, m)
		return err
	}, invariantsHold[*types.MsgBindClient])
}

func FuzzRetireSubchain(f *testing.F) {
	fuzzMsgServer(f, []*types.MsgRetireSubchain{
		{Authority: consortium, ChainId: chainA},
		{Authority: authority, ChainId: chainB},
		{Authority: stranger, ChainId: chainA},
		{Authority: consortium, ChainId: "subchain-x"},
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgRetireSubchain) error {
		_, err := s.RetireSubchain(ctx, m)
		return err
	}, invariantsHold[*types.MsgRetireSubchain])
}

func FuzzRegisterOrg(f *testing.F) {
	fuzzMsgServer(f, []*types.MsgRegisterOrg{
		{Authority: consortium, OrgId: "org-c", Name: "C", Admin: newAccount},
		{Authority: consortium, OrgId: orgA, Name: "A", Admin: adminA},
		{Authority: stranger, OrgId: "org-c", Name: "C", Admin: newAccount},
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgRegisterOrg) error {
		_, err := s.RegisterOrg(ctx, m)
		return err
	}, invariantsHold[*types.MsgRegisterOrg])
}

func FuzzAddMember(f *testing.F) {
	fuzzMsgServer(f, []*types.MsgAddMember{
		{Authority: consortium, ChainId: chainB, OrgId: orgA},
		{Authority: consortium, ChainId: chainA, OrgId: orgA},
		{Authority: stranger, ChainId: chainB, OrgId: orgA},
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgAddMember) error {
		_, err := s.AddMember(ctx, m)
		return err
	}, invariantsHold[*types.MsgAddMember])
}

func FuzzRemoveMember(f *testing.F) {
	fuzzMsgServer(f, []*types.MsgRemoveMember{
		{Authority: consortium, ChainId: chainA, OrgId: orgA2},
		{Authority: consortium, ChainId: chainB, OrgId: orgA},
		{Authority: stranger, ChainId: chainA, OrgId: orgA},
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgRemoveMember) error {
		_, err := s.RemoveMember(ctx, m)
		return err
	}, invariantsHold[*types.MsgRemoveMember])
}

func FuzzRevokeReporter(f *testing.F) {
	fuzzMsgServer(f, []*types.MsgRevokeReporter{
		{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: reporterA},
		{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: reporterA2},
		{Admin: adminA2, ChainId: chainA, OrgId: orgA, Reporter: reporterA},
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgRevokeReporter) error {
		_, err := s.RevokeReporter(ctx, m)
		return err
	}, invariantsHold[*types.MsgRevokeReporter])
}

func FuzzRestoreReporting(f *testing.F) {
	fuzzMsgServer(f, []*types.MsgRestoreReporting{
		{Authority: consortium, ChainId: chainA, OrgId: orgA2},
		{Authority: consortium, ChainId: chainA, OrgId: orgA},
		{Authority: stranger, ChainId: chainA, OrgId: orgA2},
	}, func(ctx context.Context, s types.MsgServer, m *types.MsgRestoreReporting) error {
		_, err := s.RestoreReporting(ctx, m)
		return err
	}, invariantsHold[*types.MsgRestoreReporting])
}
