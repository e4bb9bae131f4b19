package main

import (
	"fmt"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// blockCount is what one block included.
type blockCount struct {
	Height int64
	Time   time.Time
	// Txs is every tx of the block; Load the phase's load txs that
	// succeeded (code 0), LoadFailed those that did not; Other the rest
	// (the daemons' reports, anything else).
	Txs, Load, LoadFailed, Other int
}

// loadSigner returns the account a load tx of the phase was sent from: the
// sender of a lone bank MsgSend ("send") or the reporter of a lone
// MsgSubmitStatus ("report"); "" for any other tx.
func loadSigner(tx sdk.Tx, phase string) string {
	msgs := tx.GetMsgs()
	if len(msgs) != 1 {
		return ""
	}
	switch m := msgs[0].(type) {
	case *banktypes.MsgSend:
		if phase == "send" {
			return m.FromAddress
		}
	case *collectortypes.MsgSubmitStatus:
		if phase == "report" {
			return m.Reporter
		}
	}
	return ""
}

// countBlock counts a block's txs by what they are and how they ended:
// results are the block's results, in the order of txs; load says whether
// an address is one of the load accounts.
func countBlock(dec sdk.TxDecoder, phase string, height int64, t time.Time, txs [][]byte, results []*abci.ExecTxResult,
	load func(addr string) bool,
) (blockCount, error) {
	if len(results) != len(txs) {
		return blockCount{}, fmt.Errorf("block %d: %d txs but %d results", height, len(txs), len(results))
	}
	c := blockCount{Height: height, Time: t, Txs: len(txs)}
	for i, raw := range txs {
		tx, err := dec(raw)
		if err != nil {
			c.Other++ // not ours: ours all decode
			continue
		}
		signer := loadSigner(tx, phase)
		switch {
		case signer == "" || !load(signer):
			c.Other++
		case results[i].Code == 0:
			c.Load++
		default:
			c.LoadFailed++
		}
	}
	return c, nil
}

// window sums the blocks after a first block (not counted: its time is the
// window's start) and returns the load txs included per second of block
// time, the blocks' time being the proposer's clock in their headers.
func window(first blockCount, blocks []blockCount) (load, failed, other int, seconds, perSecond float64) {
	for _, b := range blocks {
		load += b.Load
		failed += b.LoadFailed
		other += b.Other
	}
	if len(blocks) == 0 {
		return 0, 0, 0, 0, 0
	}
	seconds = blocks[len(blocks)-1].Time.Sub(first.Time).Seconds()
	if seconds > 0 {
		perSecond = float64(load) / seconds
	}
	return load, failed, other, seconds, perSecond
}
