package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

var (
	admin    = sdk.AccAddress([]byte("consortium-admin----")).String()
	stranger = sdk.AccAddress([]byte("stranger------------")).String()
)

// withAdmin sets params.admin.
func (f *fixture) withAdmin() {
	f.t.Helper()
	p := types.DefaultParams()
	p.Admin = admin
	require.NoError(f.t, f.k.Params.Set(f.ctx, p))
}

// TestPermissions: each registry Msg is allowed to its signers and refused
// to everyone else with a permission error that changes nothing.
func TestPermissions(t *testing.T) {
	msgs := []struct {
		name    string
		allowed []string
		do      func(f *fixture, signer string) error
	}{
		{"UpdateParams", []string{"authority"}, func(f *fixture, s string) error {
			p := types.DefaultParams()
			p.ReportInterval++
			return f.k.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: s, Params: p})
		}},
		{"AddOrg", []string{"authority", "admin"}, func(f *fixture, s string) error {
			return f.k.AddOrg(f.ctx, &types.MsgAddOrg{Authority: s, OrgId: "org-c"})
		}},
		{"RemoveOrg", []string{"authority", "admin"}, func(f *fixture, s string) error {
			return f.k.RemoveOrg(f.ctx, &types.MsgRemoveOrg{Authority: s, OrgId: "org-b"})
		}},
	}
	signers := map[string]string{"authority": authority, "admin": admin, "stranger": stranger}
	for _, m := range msgs {
		for _, role := range []string{"authority", "admin", "stranger"} {
			t.Run(m.name+"/"+role, func(t *testing.T) {
				f := newFixture(t)
				f.withAdmin()
				before := f.dump()
				err := m.do(f, signers[role])
				for _, a := range m.allowed {
					if a == role {
						require.NoError(t, err)
						require.NotEqual(t, before, f.dump(), "an allowed Msg changes state")
						return
					}
				}
				require.ErrorIs(t, err, types.ErrUnauthorized)
				require.Equal(t, before, f.dump(), "a refused Msg changes nothing")
			})
		}
	}

	// Without params.admin, the admin's address is nobody's.
	f := newFixture(t)
	err := f.k.AddOrg(f.ctx, &types.MsgAddOrg{Authority: admin, OrgId: "org-c"})
	require.ErrorIs(t, err, types.ErrUnauthorized)
	_, err = f.k.BindMainClient(f.ctx, &types.MsgBindMainClient{Authority: stranger, ClientId: "07-tendermint-0"})
	require.ErrorIs(t, err, types.ErrUnauthorized)
}

// TestOrgRegistry: an org is added once, removed once, and the registry is
// capped at the number of orgs a snapshot may list.
func TestOrgRegistry(t *testing.T) {
	f := newFixture(t)
	add := func(id string) error { return f.k.AddOrg(f.ctx, &types.MsgAddOrg{Authority: authority, OrgId: id}) }
	require.ErrorIs(t, add("org-a"), types.ErrOrgExists)
	require.ErrorIs(t, f.k.RemoveOrg(f.ctx, &types.MsgRemoveOrg{Authority: authority, OrgId: "org-x"}), types.ErrUnknownOrg)
	for i := 2; i < shared.MaxOrgs; i++ {
		require.NoError(t, add(fmt.Sprintf("org-%03d", i)))
	}
	before := f.dump()
	require.ErrorIs(t, add("org-one-too-many"), types.ErrTooManyOrgs)
	require.Equal(t, before, f.dump())
	require.NoError(t, f.k.RemoveOrg(f.ctx, &types.MsgRemoveOrg{Authority: authority, OrgId: "org-b"}))
	require.NoError(t, add("org-one-too-many"), "a removed org frees its place")
}

// TestReportAnswered: the main chain's answer to the report in flight.
func TestReportAnswered(t *testing.T) {
	sent := snapshot(50)
	carried := &shared.StatusReport{Sequence: 2, Snapshot: &sent}

	t.Run("recorded", func(t *testing.T) {
		f := newFixture(t)
		before := f.link()
		require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, carried, keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9}}))
		l := f.link()
		require.Nil(t, l.InFlight)
		require.EqualValues(t, 2, l.LastAcked)
		require.EqualValues(t, 9, l.LastAckedMainSequence)
		require.Equal(t, before.Failed, l.Failed)
		require.False(t, f.pending(c1.Address), "c1 rode on the report: settled")
		require.True(t, f.pending(c2.Address), "c2 was migrated again in flight: its new code id rides on the next report")
		require.True(t, f.pending(c3.Address), "c3 was not on the report")
		require.EqualValues(t, 2, l.PendingContracts)
		require.False(t, l.MainTakesListsHash, "an answer without takes_lists_hash: lists go whole")
	})
	t.Run("recorded by a main chain that takes lists by hash", func(t *testing.T) {
		f := newFixture(t)
		require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, carried,
			keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9, TakesListsHash: true}}))
		require.True(t, f.link().MainTakesListsHash)
	})
	for _, a := range []keeper.Answer{{Refusal: "ABCI code: 5: error handling packet"}, keeper.Timeout} {
		t.Run("released/"+a.Refusal, func(t *testing.T) {
			f := newFixture(t)
			before := f.link()
			require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, carried, a))
			l := f.link()
			require.Nil(t, l.InFlight)
			require.Equal(t, before.Failed+1, l.Failed)
			require.Equal(t, before.LastAcked, l.LastAcked)
			f.requireForgotten(snapshot(50))
			for _, c := range []shared.Contract{c1, c2, c3} {
				require.True(t, f.pending(c.Address), "%s stays pending", c.Address)
			}
			require.Len(t, f.ctx.EventManager().Events(), 1)
		})
	}
	t.Run("not in flight", func(t *testing.T) {
		f := newFixture(t)
		before := f.dump()
		ok := keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9}}
		require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 2, carried, ok), "another packet of the channel")
		require.NoError(t, f.k.OnReportAnswered(f.ctx, "channel-9", 1, carried, ok), "the same sequence on another channel")
		require.Equal(t, before, f.dump())
	})
}

// TestHoleLoweredPendingCap: governance lowers max_pending_contracts below
// the contracts already pending (the SDK simulator found it). Before, the
// pending-contracts invariant broke and the export failed its own genesis
// validation. The cap now binds new pending contracts only: the three pending
// stay, the invariants hold, the export validates, and a new contract past
// the cap is counted as dropped.
func TestHoleLoweredPendingCap(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxPendingContracts = 1
	require.NoError(t, f.k.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority, Params: p}))
	checked := false
	for _, inv := range f.k.Invariants(nil) {
		if inv.Name == "pending-contracts-within-cap" { // the others need the staking and wasm keepers
			require.NoError(t, inv.Check(f.ctx), inv.Name)
			checked = true
		}
	}
	require.True(t, checked)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate(), "the chain's own export validates")
	require.Len(t, gs.PendingContracts, 3)

	dropped := f.link().DroppedContracts
	require.NoError(t, f.k.NoteContract(f.ctx, shared.Contract{Address: "sub1late", CodeId: 5}))
	require.False(t, f.pending("sub1late"))
	require.Equal(t, dropped+1, f.link().DroppedContracts)
}
