package app_test

import (
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

const reportedChain = "subchain-a"

// setUpCollector makes the chain's sender the consortium admin, then, through
// real transactions, registers a subchain and an org whose admin and
// monitoring account is the sender too.
func setUpCollector(tb testing.TB, chain *ibctesting.TestChain) string {
	tb.Helper()
	a := apptesting.App(chain)
	sender := chain.SenderAccount.GetAddress().String()
	params := collectortypes.DefaultParams()
	params.Admin = sender
	require.NoError(tb, a.CollectorKeeper.Params.Set(chain.GetContext(), params))
	_, err := chain.SendMsgs(
		&collectortypes.MsgRegisterSubchain{Authority: sender, ChainId: reportedChain, Name: "File storage",
			Kind: collectortypes.SUBCHAIN_KIND_FILE_STORAGE, ReportInterval: time.Minute},
		&collectortypes.MsgRegisterOrg{Authority: sender, OrgId: "org-a", Name: "Org A", Admin: sender},
		&collectortypes.MsgAddMember{Authority: sender, ChainId: reportedChain, OrgId: "org-a"},
		&collectortypes.MsgGrantReporter{Admin: sender, ChainId: reportedChain, OrgId: "org-a", Reporter: sender},
	)
	require.NoError(tb, err)
	return sender
}

// snapshotTime is the block time of the reported chain's height: a second
// a block, height 100 a minute after the test network's start, so that a
// first report by tx at 100 is of a recent block, as the collector requires.
func snapshotTime(height int64) time.Time {
	return apptesting.StartTime.Add(time.Duration(height-40) * time.Second)
}

// typicalSnapshot is the typical report: 4 orgs, 4 validators, 2 new contracts.
func typicalSnapshot(height int64) shared.StatusSnapshot {
	return shared.StatusSnapshot{
		ChainId: reportedChain, Height: height, BlockTime: snapshotTime(height),
		TotalTxs: uint64(height) * 4, WindowTxs: 80, WindowBlocks: 20, TpsMilli: 4000,
		Orgs: []string{"org-a", "org-b", "org-c", "org-d"},
		Validators: []shared.Validator{
			{Address: "subvalcons1q9x8y5ux7a2kqwe3", Power: 100, Moniker: "validator-1"},
			{Address: "subvalcons1r3j2k8w0p0tzs4lq", Power: 100, Moniker: "validator-2"},
			{Address: "subvalcons1t8e4dmx6fzp9kt0w", Power: 100, Moniker: "validator-3"},
			{Address: "subvalcons1w2c7f0v3hn5qs8xa", Power: 100, Moniker: "validator-4"},
		},
		ContractCount: uint64(height),
		NewContracts: []shared.Contract{
			{Address: "sub14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s4hmalr", CodeId: 1, Label: "file-index"},
			{Address: "sub1nc5tatafv6eyq7llkr2gv50ff9e22mnf70qgjlv737ktmt4eswrqa3wkvn", CodeId: 2, Label: "billing"},
		},
		SoftwareVersion: "v1.2.3",
	}
}

// TestListenerDecodesReportEvents submits a status report in a real
// transaction and decodes the typed events from the transaction's result, as
// a listener reading block results does.
func TestListenerDecodesReportEvents(t *testing.T) {
	chain := apptesting.NewCoordinator(t, app.MainChain, app.SubChain).Chains[apptesting.MainChainID]
	sender := setUpCollector(t, chain)

	res, err := chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: typicalSnapshot(100)})
	require.NoError(t, err)

	var reported *collectortypes.EventStatusReported
	var contracts *collectortypes.EventContractsChanged
	for _, ev := range res.Events {
		msg, err := sdk.ParseTypedEvent(abci.Event(ev))
		if err != nil {
			continue // the SDK's own untyped events (tx, message, coin moves)
		}
		switch e := msg.(type) {
		case *collectortypes.EventStatusReported:
			reported = e
		case *collectortypes.EventContractsChanged:
			contracts = e
		}
	}
	require.NotNil(t, reported)
	require.Equal(t, reportedChain, reported.ChainId)
	require.EqualValues(t, 100, reported.Height)
	require.Equal(t, "org-a", reported.Source.OrgId)
	require.NotNil(t, contracts)
	require.Len(t, contracts.Added, 2)
	require.EqualValues(t, 100, contracts.CountAfter)
}

// BenchmarkSubmitStatusGas prints the gas of a typical MsgSubmitStatus beside
// a bank MsgSend from the same account on the same app, each in its own
// transaction and block. Run: make bench-gas.
func BenchmarkSubmitStatusGas(b *testing.B) {
	chain := apptesting.NewCoordinator(b, app.MainChain, app.SubChain).Chains[apptesting.MainChainID]
	sender := setUpCollector(b, chain)
	send := &banktypes.MsgSend{FromAddress: sender, ToAddress: chain.SenderAccounts[1].SenderAccount.GetAddress().String(),
		Amount: sdk.NewCoins(sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.NewInt(1)))}

	var submitGas, sendGas int64
	b.ResetTimer()
	for i := range b.N {
		res, err := chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: typicalSnapshot(int64(100 + i))})
		require.NoError(b, err)
		submitGas += res.GasUsed
		res, err = chain.SendMsgs(send)
		require.NoError(b, err)
		sendGas += res.GasUsed
	}
	b.ReportMetric(float64(submitGas)/float64(b.N), "gas/submit-status")
	b.ReportMetric(float64(sendGas)/float64(b.N), "gas/bank-send")
	b.ReportMetric(float64(submitGas)/float64(sendGas), "ratio")
}

// TestSubmitGasGrowsWithPayload: a report with more validators costs more
// gas, so a larger payload pays for the bytes it stores.
func TestSubmitGasGrowsWithPayload(t *testing.T) {
	chain := apptesting.NewCoordinator(t, app.MainChain, app.SubChain).Chains[apptesting.MainChainID]
	sender := setUpCollector(t, chain)

	small := typicalSnapshot(100)
	res, err := chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: small})
	require.NoError(t, err)
	smallGas := res.GasUsed

	large := typicalSnapshot(101)
	large.Validators = nil
	for i := range 100 {
		large.Validators = append(large.Validators, shared.Validator{Address: fmt.Sprintf("subvalcons1validator%03d", i), Power: 10, Moniker: "v"})
	}
	res, err = chain.SendMsgs(&collectortypes.MsgSubmitStatus{Reporter: sender, Snapshot: large})
	require.NoError(t, err)
	t.Logf("gas: %d with 4 validators, %d with 100", smallGas, res.GasUsed)
	require.Greater(t, res.GasUsed, smallGas+50_000)
}
