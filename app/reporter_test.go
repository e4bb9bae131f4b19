package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	upgradetypes "cosmossdk.io/x/upgrade/types"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	reporterkeeper "github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// TestReporterOrgRegistry: governance and the admin manage the subchain's
// org registry; anyone else is refused; the next snapshot lists the orgs.
func TestReporterOrgRegistry(t *testing.T) {
	coord := apptesting.NewCoordinator(t, app.MainChain, app.SubChain, apptesting.SubChainAID)
	sub := coord.Chains[apptesting.SubChainAID]
	k := apptesting.App(sub).ReporterKeeper
	msgs := reporterkeeper.NewMsgServerImpl(k)
	admin := sub.SenderAccounts[1].SenderAccount.GetAddress().String()
	stranger := sub.SenderAccounts[2].SenderAccount.GetAddress().String()
	params, err := k.Params.Get(sub.GetContext())
	require.NoError(t, err)
	params.Admin = admin
	require.NoError(t, k.Params.Set(sub.GetContext(), params))

	ctx := sub.GetContext()
	_, err = msgs.AddOrg(ctx, &reportertypes.MsgAddOrg{Authority: stranger, OrgId: "org-x"})
	require.ErrorIs(t, err, reportertypes.ErrUnauthorized)
	_, err = msgs.AddOrg(ctx, &reportertypes.MsgAddOrg{Authority: apptesting.GovAuthority, OrgId: "org-b"})
	require.NoError(t, err)
	_, err = msgs.AddOrg(ctx, &reportertypes.MsgAddOrg{Authority: admin, OrgId: "org-a"})
	require.NoError(t, err)
	_, err = msgs.AddOrg(ctx, &reportertypes.MsgAddOrg{Authority: admin, OrgId: "org-a"})
	require.ErrorIs(t, err, reportertypes.ErrOrgExists)
	_, err = msgs.RemoveOrg(ctx, &reportertypes.MsgRemoveOrg{Authority: admin, OrgId: "org-z"})
	require.ErrorIs(t, err, reportertypes.ErrUnknownOrg)
	_, err = msgs.UpdateParams(ctx, &reportertypes.MsgUpdateParams{Authority: admin, Params: params})
	require.ErrorIs(t, err, reportertypes.ErrUnauthorized, "the admin does not change params")

	snap, err := k.TakeSnapshot(sub.GetContext())
	require.NoError(t, err)
	require.Equal(t, []string{"org-a", "org-b"}, snap.Orgs)
}

// TestSnapshotCountsTxsAndSeesUpgrades: transactions are counted from the
// blocks, TPS comes out of the window, and a scheduled upgrade is announced.
func TestSnapshotCountsTxsAndSeesUpgrades(t *testing.T) {
	coord := apptesting.NewCoordinator(t, app.MainChain, app.SubChain, apptesting.SubChainAID)
	sub := coord.Chains[apptesting.SubChainAID]
	a := apptesting.App(sub)
	q := apptesting.ReporterQuerier(sub)

	for range 12 { // past the default 10-block interval, so a window exists
		coord.CommitBlock(sub)
	}
	before, err := a.ReporterKeeper.TakeSnapshot(sub.GetContext())
	require.NoError(t, err)
	for range 3 {
		_, err := sub.SendMsgs(&reportertypes.MsgAddOrg{Authority: sub.SenderAccount.GetAddress().String(), OrgId: "org-a"})
		require.Error(t, err, "a refused tx still counts as a transaction in its block")
	}
	require.NoError(t, a.UpgradeKeeper.ScheduleUpgrade(sub.GetContext(), upgradetypes.Plan{Name: "v2", Height: 1000}))
	for range 10 {
		coord.CommitBlock(sub)
	}
	res, err := q.Snapshot(sub.GetContext(), &reportertypes.QuerySnapshotRequest{})
	require.NoError(t, err)
	snap := res.Snapshot
	require.Equal(t, before.TotalTxs+3, snap.TotalTxs)
	require.EqualValues(t, 10, snap.WindowBlocks)
	require.Positive(t, snap.TpsMilli)
	require.NotNil(t, snap.PlannedUpgrade)
	require.Equal(t, "v2", snap.PlannedUpgrade.Name)
	require.Len(t, snap.Validators, 4)
	require.Equal(t, "genesis", snap.SoftwareVersion)
}
