package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// node is the main-chain node the load goes to, with what signing the load
// accounts' txs and decoding the blocks need. Both commands (run, scale)
// talk to it the same way.
type node struct {
	enc       encoding
	rpc       *rpchttp.HTTP
	clientCtx client.Context
	chainID   string
	// isLoad says whether an address is one of the n load accounts.
	isLoad map[string]bool
}

// dial connects to the node's CometBFT RPC for n load accounts' txs.
func dial(rpcAddr, chainID string, n int) (node, error) {
	enc, err := newEncoding()
	if err != nil {
		return node{}, err
	}
	kr, err := keyringOf(enc, n)
	if err != nil {
		return node{}, err
	}
	// One keep-alive connection per sender: the default transport keeps 2.
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n + 8, MaxConnsPerHost: n + 8}, Timeout: 60 * time.Second}
	rpc, err := rpchttp.NewWithClient(rpcAddr, "/websocket", httpc)
	if err != nil {
		return node{}, err
	}
	clientCtx := client.Context{}.WithClient(rpc).WithChainID(chainID).WithCodec(enc.cdc).
		WithInterfaceRegistry(enc.registry).WithTxConfig(enc.txConfig).WithKeyring(kr).
		WithAccountRetriever(authtypes.AccountRetriever{})
	isLoad := make(map[string]bool, n)
	for i := range n {
		isLoad[loadAddr(i).String()] = true
	}
	return node{enc: enc, rpc: rpc, clientCtx: clientCtx, chainID: chainID, isLoad: isLoad}, nil
}

// factory is load account i's tx factory at its current sequence, simulating
// the gas of its txs (times adjust) until given a fixed gas limit.
func (nd node) factory(i int, adjust float64) (tx.Factory, error) {
	num, seq, err := nd.clientCtx.AccountRetriever.GetAccountNumberSequence(nd.clientCtx, loadAddr(i))
	if err != nil {
		return tx.Factory{}, fmt.Errorf("account %s: %w", loadName(i), err)
	}
	return tx.Factory{}.WithTxConfig(nd.enc.txConfig).WithKeybase(nd.clientCtx.Keyring).WithChainID(nd.chainID).
		WithSignMode(signing.SignMode_SIGN_MODE_DIRECT).WithAccountNumber(num).WithSequence(seq).
		WithGasAdjustment(adjust).WithSimulateAndExecute(true), nil
}

// gas is the gas limit of every tx of a phase: the simulation of its first
// tx times the factory's adjustment, as `--gas auto` does.
func (nd node) gas(f tx.Factory, i int, msg sdk.Msg) (uint64, error) {
	_, gas, err := tx.CalculateGas(nd.clientCtx, f.WithFromName(loadName(i)), msg)
	return gas, err
}

// sign signs msg by load account i with factory f (at the sequence it
// holds) and encodes the tx.
func (nd node) sign(ctx context.Context, f tx.Factory, i int, msg sdk.Msg) ([]byte, error) {
	b, err := f.BuildUnsignedTx(msg)
	if err != nil {
		return nil, err
	}
	if err := tx.Sign(ctx, f, loadName(i), b, true); err != nil {
		return nil, err
	}
	return nd.enc.txConfig.TxEncoder()(b.GetTx())
}

// count is what block h included of a phase's load (countBlock), from the
// block and its results.
func (nd node) count(ctx context.Context, phase string, h int64) (blockCount, error) {
	b, err := nd.rpc.Block(ctx, &h)
	if err != nil {
		return blockCount{}, err
	}
	r, err := nd.rpc.BlockResults(ctx, &h)
	if err != nil {
		return blockCount{}, err
	}
	txs := make([][]byte, len(b.Block.Txs))
	for i, t := range b.Block.Txs {
		txs[i] = t
	}
	return countBlock(nd.enc.txConfig.TxDecoder(), phase, h, b.Block.Time, txs, r.TxsResults, func(a string) bool { return nd.isLoad[a] })
}

// loadCounts are what a load phase counts of its broadcasts.
type loadCounts struct {
	attempts, admitted, full, failed atomic.Int64
}

// broadcast offers raw, what's tx, to the node until its mempool admits it
// or ctx ends: a full mempool is asked again after a short pause (so it never
// runs dry), an RPC error after a second. It returns false when the account
// must stop: ctx ended, or CheckTx refused the tx, whose sequence is then lost.
func (nd *node) broadcast(ctx context.Context, raw []byte, c *loadCounts, what string) bool {
	for ctx.Err() == nil {
		c.attempts.Add(1)
		res, err := nd.rpc.BroadcastTxSync(ctx, raw)
		switch {
		case ctx.Err() != nil:
			return false
		case err != nil && strings.Contains(err.Error(), "mempool is full"):
			c.full.Add(1)
			time.Sleep(25 * time.Millisecond)
			continue
		case err != nil && strings.Contains(err.Error(), "already exists in cache"):
		case err != nil:
			logf("%s: %v", what, err)
			c.failed.Add(1)
			time.Sleep(time.Second)
			continue
		case res.Code != 0:
			logf("%s refused by CheckTx, code %d: %s", what, res.Code, res.Log)
			c.failed.Add(1)
			return false
		}
		c.admitted.Add(1)
		return true
	}
	return false
}
