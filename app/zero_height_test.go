package app_test

import (
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	collectorkeeper "github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// TestZeroHeightExport exports each chain kind with `--for-zero-height`
// and starts a new chain from it at height 1: the new chain keeps the
// collector's whole record (subchains, orgs, memberships, a suspension, an
// open dispute, the reports) and the sidecar's, its validators and
// delegations hold, it produces blocks, and the running chain's state is
// untouched by the export.
func TestZeroHeightExport(t *testing.T) {
	for _, profile := range []app.Profile{app.MainChain, app.SubChain} {
		t.Run(profile.AppName, func(t *testing.T) {
			coord := ibctesting.NewCoordinator(t, 0)
			chain := ibctesting.NewCustomAppTestChain(t, coord, "zero-1", apptesting.NewAppCreator(t, profile))
			coord.Chains[chain.ChainID] = chain
			if profile.WithWasm {
				instantiate(t, chain, "before the fork")
			} else {
				busyCollector(t, coord, chain)
			}
			for range 3 {
				coord.CommitBlock(chain)
			}
			orig := apptesting.App(chain)
			before := storeDump(orig.CommitMultiStore().GetKVStore(orig.GetKey("distribution")), nil)

			exported, err := orig.ExportAppStateAndValidators(true, nil, nil)
			require.NoError(t, err)
			require.Zero(t, exported.Height)
			require.Equal(t, before, storeDump(orig.CommitMultiStore().GetKVStore(orig.GetKey("distribution")), nil),
				"the export works on a copy: the running chain's state is untouched")

			exported.Height = 1 // CometBFT starts a chain whose genesis has initial height 0 at 1
			forked := importGenesis(t, profile, chain.ChainID, exported)
			require.EqualValues(t, 1, forked.LastBlockHeight())
			for h := int64(2); h <= 3; h++ {
				// Seconds after the fork: no deadline has passed yet.
				_, err := forked.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h, Time: coord.CurrentTime.Add(time.Duration(h) * time.Second)})
				require.NoError(t, err)
				_, err = forked.Commit()
				require.NoError(t, err)
			}

			oldCtx := orig.NewUncachedContext(false, cmtproto.Header{ChainID: chain.ChainID, Height: orig.LastBlockHeight()})
			newCtx := forked.NewUncachedContext(false, cmtproto.Header{ChainID: chain.ChainID, Height: forked.LastBlockHeight()})
			vals, err := forked.StakingKeeper.GetBondedValidatorsByPower(newCtx)
			require.NoError(t, err)
			require.Len(t, vals, len(exported.Validators))
			dels, err := forked.StakingKeeper.GetAllDelegations(newCtx)
			require.NoError(t, err)
			oldDels, err := orig.StakingKeeper.GetAllDelegations(oldCtx)
			require.NoError(t, err)
			require.Len(t, dels, len(oldDels))

			if profile.WithWasm {
				was, err := orig.ReporterKeeper.ExportGenesis(oldCtx)
				require.NoError(t, err)
				is, err := forked.ReporterKeeper.ExportGenesis(newCtx)
				require.NoError(t, err)
				require.Equal(t, was.Orgs, is.Orgs)
				require.Equal(t, was.MainClientId, is.MainClientId)
				require.NoError(t, app.ContractCountInvariant(newCtx, forked))
				return
			}
			was, err := orig.CollectorKeeper.ExportGenesis(oldCtx)
			require.NoError(t, err)
			is, err := forked.CollectorKeeper.ExportGenesis(newCtx)
			require.NoError(t, err)
			require.Equal(t, was.Subchains, is.Subchains)
			require.Equal(t, was.Orgs, is.Orgs)
			require.Equal(t, was.Memberships, is.Memberships)
			require.Equal(t, was.Disputes, is.Disputes)
			require.Equal(t, was.Reports, is.Reports)
			var suspended, open int
			for _, m := range is.Memberships {
				if m.Suspended {
					suspended++
				}
			}
			for _, d := range is.Disputes {
				if d.Status == collectortypes.DISPUTE_STATUS_OPEN {
					open++
				}
			}
			require.Equal(t, 1, suspended, "org-a's suspension is kept")
			require.Equal(t, 1, open, "the open dispute is kept")
		})
	}
}

// busyCollector gives a main chain a subchain with three member orgs, a
// report by each of two, org-a suspended by an upheld dispute and a dispute
// of org-b's report still open.
func busyCollector(t *testing.T, coord *ibctesting.Coordinator, chain *ibctesting.TestChain) {
	t.Helper()
	a := apptesting.App(chain)
	msgs := collectorkeeper.NewMsgServerImpl(a.CollectorKeeper)
	ctx := chain.GetContext()
	params, err := a.CollectorKeeper.Params.Get(ctx)
	require.NoError(t, err)
	params.DisputeDeposit = sdk.NewInt64Coin(sdk.DefaultBondDenom, 1000) // what the test accounts hold
	_, err = msgs.UpdateParams(ctx, &collectortypes.MsgUpdateParams{Authority: apptesting.GovAuthority, Params: params})
	require.NoError(t, err)
	apptesting.RegisterSubchain(t, chain, "subchain-z", "")
	accounts := map[string]string{}
	for i, org := range []string{"org-a", "org-b", "org-c"} {
		acc := chain.SenderAccounts[i].SenderAccount.GetAddress().String()
		accounts[org] = acc
		_, err := msgs.RegisterOrg(ctx, &collectortypes.MsgRegisterOrg{Authority: apptesting.GovAuthority, OrgId: org, Name: org, Admin: acc})
		require.NoError(t, err)
		_, err = msgs.AddMember(ctx, &collectortypes.MsgAddMember{Authority: apptesting.GovAuthority, ChainId: "subchain-z", OrgId: org})
		require.NoError(t, err)
		_, err = msgs.GrantReporter(ctx, &collectortypes.MsgGrantReporter{Admin: acc, ChainId: "subchain-z", OrgId: org, Reporter: acc})
		require.NoError(t, err)
	}
	report := func(org string, h int64) uint64 {
		res, err := msgs.SubmitStatus(ctx, &collectortypes.MsgSubmitStatus{Reporter: accounts[org], Snapshot: shared.StatusSnapshot{
			ChainId: "subchain-z", Height: h, BlockTime: ctx.BlockTime().Add(-time.Minute + time.Duration(h)*time.Second),
			Orgs: []string{"org-a", "org-b", "org-c"}, ContractCount: 1}})
		require.NoError(t, err)
		return res.Sequence
	}
	dispute := func(filer string, seq uint64) uint64 {
		res, err := msgs.FileDispute(ctx, &collectortypes.MsgFileDispute{Filer: accounts[filer], ChainId: "subchain-z", OrgId: filer,
			ReportSequence: seq, Fields: []collectortypes.DisputedField{{Field: "contract_count", Reported: "1", Observed: "0"}}})
		require.NoError(t, err)
		return res.DisputeId
	}
	upheld := dispute("org-b", report("org-a", 10))
	_, err = msgs.ResolveDispute(ctx, &collectortypes.MsgResolveDispute{Resolver: apptesting.GovAuthority, DisputeId: upheld, Upheld: true, Reason: "wrong"})
	require.NoError(t, err)
	dispute("org-c", report("org-b", 20))
	coord.CommitBlock(chain)
}
