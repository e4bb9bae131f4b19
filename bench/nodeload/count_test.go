package main

import (
	"os"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/statuscollect/statuscollect/app"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

func TestMain(m *testing.M) {
	app.MainChain.SetAddressConfig()
	os.Exit(m.Run())
}

// The figure is what countBlock calls load: only the phase's own kind of tx,
// from a load account, that succeeded in the block.
func TestCountBlock(t *testing.T) {
	enc, err := newEncoding()
	if err != nil {
		t.Fatal(err)
	}
	encode := func(msgs ...sdk.Msg) []byte {
		b := enc.txConfig.NewTxBuilder()
		if err := b.SetMsgs(msgs...); err != nil {
			t.Fatal(err)
		}
		raw, err := enc.txConfig.TxEncoder()(b.GetTx())
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	send := func(from sdk.AccAddress) sdk.Msg {
		return banktypes.NewMsgSend(from, loadAddr(9), sdk.NewCoins(sdk.NewCoin("umain", math.OneInt())))
	}
	report := &collectortypes.MsgSubmitStatus{Reporter: loadAddr(1).String(),
		Snapshot: loadSnapshot(loadChain(1), 0, time.Unix(1_700_000_000, 0), 0)}
	stranger := sdk.AccAddress([]byte("not-a-load-account-"))
	txs := [][]byte{
		encode(send(loadAddr(0))),                    // load, ok
		encode(send(loadAddr(1))),                    // load, failed in the block
		encode(send(stranger)),                       // not a load account
		encode(report),                               // a report, in the send phase
		encode(send(loadAddr(2)), send(loadAddr(3))), // two msgs: not the load's shape
		[]byte("not a tx"),
		encode(send(loadAddr(4))), // load, ok
	}
	codes := []uint32{0, 5, 0, 0, 0, 0, 0}
	results := make([]*abci.ExecTxResult, len(codes))
	for i, c := range codes {
		results[i] = &abci.ExecTxResult{Code: c}
	}
	isLoad := func(a string) bool {
		for i := range 10 {
			if loadAddr(i).String() == a {
				return true
			}
		}
		return false
	}
	t0 := time.Unix(1_700_000_000, 0)
	got, err := countBlock(enc.txConfig.TxDecoder(), "send", 7, t0.Add(2*time.Second), txs, results, isLoad)
	if err != nil {
		t.Fatal(err)
	}
	want := blockCount{Height: 7, Time: t0.Add(2 * time.Second), Txs: 7, Load: 2, LoadFailed: 1, Other: 4}
	if got != want {
		t.Fatalf("send phase: got %+v, want %+v", got, want)
	}
	// The same block in the report phase: the report is the only load tx.
	got, err = countBlock(enc.txConfig.TxDecoder(), "report", 7, t0.Add(2*time.Second), txs, results, isLoad)
	if err != nil {
		t.Fatal(err)
	}
	if got.Load != 1 || got.LoadFailed != 0 || got.Other != 6 {
		t.Fatalf("report phase: got %+v, want 1 load tx and 6 others", got)
	}
	if _, err := countBlock(enc.txConfig.TxDecoder(), "send", 7, t0, txs, results[:3], isLoad); err == nil {
		t.Fatal("a block with fewer results than txs was counted")
	}

	// The window's rate: load txs of the blocks after the first, over the
	// time from the first block's to the last's.
	first := blockCount{Height: 6, Time: t0, Load: 1000}
	blocks := []blockCount{want, {Height: 8, Time: t0.Add(5 * time.Second), Load: 8, LoadFailed: 2, Other: 1}}
	load, failed, other, secs, rate := window(first, blocks)
	if load != 10 || failed != 3 || other != 5 || secs != 5 || rate != 2 {
		t.Fatalf("window: got load %d failed %d other %d over %gs = %g/s; want 10, 3, 5 over 5s = 2/s", load, failed, other, secs, rate)
	}
}
