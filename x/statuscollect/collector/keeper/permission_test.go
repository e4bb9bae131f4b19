package keeper_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// TestPermissionMatrix sends every Msg as every role. Only the allowed cells
// succeed; every refused cell fails with its own registered error and leaves
// the store byte-for-byte unchanged.
func TestPermissionMatrix(t *testing.T) {
	roles := []struct{ name, addr string }{
		{"authority", authority},
		{"consortium admin", consortium},
		{"org admin", adminA},
		{"member org monitor", reporterA},
		{"other subchain's monitor", reporterB},
		{"revoked monitor", revoked},
		{"stranger", stranger},
	}
	type call func(ctx context.Context, m types.MsgServer, signer string) error
	msgs := []struct {
		name    string
		prepare func(f *fixture)
		call    call
		allowed []string
		refusal error
	}{
		{"UpdateParams", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			p := types.DefaultParams()
			p.StalenessFactor = 5
			_, err := m.UpdateParams(ctx, &types.MsgUpdateParams{Authority: s, Params: p})
			return err
		}, []string{"authority"}, types.ErrUnauthorized},
		{"RegisterSubchain", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.RegisterSubchain(ctx, &types.MsgRegisterSubchain{Authority: s, ChainId: "subchain-c", Name: "C",
				Kind: types.SUBCHAIN_KIND_CROSS_CHAIN, ReportInterval: time.Minute})
			return err
		}, []string{"authority", "consortium admin"}, types.ErrUnauthorized},
		{"RetireSubchain", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.RetireSubchain(ctx, &types.MsgRetireSubchain{Authority: s, ChainId: chainA})
			return err
		}, []string{"authority", "consortium admin"}, types.ErrUnauthorized},
		{"RegisterOrg", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.RegisterOrg(ctx, &types.MsgRegisterOrg{Authority: s, OrgId: "org-new", Name: "New", Admin: stranger})
			return err
		}, []string{"authority", "consortium admin"}, types.ErrUnauthorized},
		{"AddMember", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.AddMember(ctx, &types.MsgAddMember{Authority: s, ChainId: chainA, OrgId: orgB})
			return err
		}, []string{"authority", "consortium admin"}, types.ErrUnauthorized},
		{"RemoveMember", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.RemoveMember(ctx, &types.MsgRemoveMember{Authority: s, ChainId: chainA, OrgId: orgA})
			return err
		}, []string{"authority", "consortium admin"}, types.ErrUnauthorized},
		{"GrantReporter", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.GrantReporter(ctx, &types.MsgGrantReporter{Admin: s, ChainId: chainA, OrgId: orgA, Reporter: newAccount})
			return err
		}, []string{"org admin"}, types.ErrNotOrgAdmin},
		{"RevokeReporter", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.RevokeReporter(ctx, &types.MsgRevokeReporter{Admin: s, ChainId: chainA, OrgId: orgA, Reporter: reporterA})
			return err
		}, []string{"org admin"}, types.ErrNotOrgAdmin},
		{"SubmitStatus", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.SubmitStatus(ctx, &types.MsgSubmitStatus{Reporter: s, Snapshot: snapshot(chainA, 100)})
			return err
		}, []string{"member org monitor"}, types.ErrNotReporter},
		{"BindClient", nil, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.BindClient(ctx, &types.MsgBindClient{Authority: s, ChainId: chainA, ClientId: "07-tendermint-" + chainA})
			return err
		}, []string{"authority", "consortium admin"}, types.ErrUnauthorized},
		// org-a2's report is disputed by org-a, whose admin and monitor may file.
		{"FileDispute", func(f *fixture) { f.forgedReport(50) }, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.FileDispute(ctx, fileMsg(s, orgA, 1))
			return err
		}, []string{"org admin", "member org monitor"}, types.ErrNotFiler},
		{"ResolveDispute", func(f *fixture) {
			f.must(f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, f.forgedReport(50))))
		}, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.ResolveDispute(ctx, &types.MsgResolveDispute{Resolver: s, DisputeId: 1, Upheld: true, Reason: "checked"})
			return err
		}, []string{"authority", "consortium admin"}, types.ErrUnauthorized},
		{"RestoreReporting", func(f *fixture) {
			f.must(f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, f.forgedReport(50))))
			f.must(f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: authority, DisputeId: 1, Upheld: true, Reason: "checked"}))
		}, func(ctx context.Context, m types.MsgServer, s string) error {
			_, err := m.RestoreReporting(ctx, &types.MsgRestoreReporting{Authority: s, ChainId: chainA, OrgId: orgA2})
			return err
		}, []string{"authority", "consortium admin"}, types.ErrUnauthorized},
	}

	allowedCells := 0
	for _, msg := range msgs {
		for _, role := range roles {
			t.Run(fmt.Sprintf("%s/%s", msg.name, role.name), func(t *testing.T) {
				f := newFixture(t)
				if msg.prepare != nil {
					msg.prepare(f)
				}
				before := f.dump()
				err := msg.call(f.ctx, f.msgs, role.addr)
				allowed := false
				for _, a := range msg.allowed {
					allowed = allowed || a == role.name
				}
				if allowed {
					allowedCells++
					require.NoError(t, err)
					require.NotEqual(t, before, f.dump(), "an allowed message must change state")
					return
				}
				require.ErrorIs(t, err, msg.refusal)
				require.Equal(t, before, f.dump(), "a refused message must not change state")
			})
		}
	}
	require.Equal(t, 22, allowedCells)
}
