// Package broadcast sends the daemons' transactions: one Msg per
// transaction, signed with the account's sequence read afresh, broadcast and
// followed until a block includes it. A transaction the chain answers with
// an error is a *Refused that names the refusal, so a daemon can count it
// under a bounded set of reasons and act on the ones it knows.
package broadcast

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"

	"github.com/statuscollect/statuscollect/daemon/faultpoint"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Broadcaster signs with the account of a client context (--from) and
// broadcasts to its node (--node), under the transaction flags it was
// given (gas, fees, sign mode).
type Broadcaster struct {
	clientCtx client.Context
	flags     *pflag.FlagSet
}

// New checks the transaction flags (see CheckTxFlags) and the --from key,
// and returns a broadcaster for that key's account.
func New(clientCtx client.Context, flagSet *pflag.FlagSet) (*Broadcaster, error) {
	if err := CheckTxFlags(clientCtx, flagSet); err != nil {
		return nil, err
	}
	if err := checkKey(clientCtx); err != nil {
		return nil, err
	}
	return &Broadcaster{clientCtx: clientCtx, flags: flagSet}, nil
}

// Included says where a transaction landed.
type Included struct {
	TxHash string
	Height int64
}

// inclusionWait bounds the wait for a broadcast transaction to be in a block.
const inclusionWait = 30 * time.Second

// Send signs msg with a fresh account sequence (so a sequence moved by
// another client costs one failed send, not a retry storm), broadcasts it
// and returns once a block includes it. An answer of the chain's that
// refuses it, at simulation, at broadcast or in its block, is a *Refused;
// any other error (a node down, a timeout) is returned as it is.
func (b *Broadcaster) Send(ctx context.Context, msg sdk.Msg) (Included, error) {
	res, err := b.signAndBroadcast(ctx, msg)
	if err == nil && res.Code == 0 {
		return Included{TxHash: res.TxHash, Height: res.Height}, nil
	}
	return Included{}, classify(err, res)
}

func (b *Broadcaster) signAndBroadcast(ctx context.Context, msg sdk.Msg) (*sdk.TxResponse, error) {
	txf, err := tx.NewFactoryCLI(b.clientCtx, b.flags)
	if err != nil {
		return nil, err
	}
	if txf, err = txf.Prepare(b.clientCtx); err != nil {
		return nil, err
	}
	if txf.SimulateAndExecute() {
		_, adjusted, err := tx.CalculateGas(b.clientCtx, txf, msg)
		if err != nil {
			return nil, err
		}
		txf = txf.WithGas(adjusted)
	}
	unsigned, err := txf.BuildUnsignedTx(msg)
	if err != nil {
		return nil, err
	}
	if err := tx.Sign(ctx, txf, b.clientCtx.FromName, unsigned, true); err != nil {
		return nil, err
	}
	bz, err := b.clientCtx.TxConfig.TxEncoder()(unsigned.GetTx())
	if err != nil {
		return nil, err
	}
	if err := faultpoint.Hold(ctx, faultpoint.Signed, fmt.Sprintf("sequence %d", txf.Sequence())); err != nil {
		return nil, err
	}
	res, err := b.clientCtx.BroadcastTx(bz)
	if err != nil {
		return nil, err
	}
	if res.Code != 0 {
		return res, nil // refused by the node's mempool check
	}
	if err := faultpoint.Hold(ctx, faultpoint.Broadcast, res.TxHash); err != nil {
		return nil, err
	}
	txs := txtypes.NewServiceClient(b.clientCtx)
	deadline := time.Now().Add(inclusionWait)
	for {
		if got, err := txs.GetTx(ctx, &txtypes.GetTxRequest{Hash: res.TxHash}); err == nil {
			return got.TxResponse, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("tx %s: not in a block within %s", res.TxHash, inclusionWait)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("tx %s: %w", res.TxHash, ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

// reasons are the refusals a daemon names (a bounded set, for metric
// labels); any other refusal in a transaction's result is "other".
var reasons = []struct {
	name string
	err  *errorsmod.Error
}{
	{"not_reporter", collectortypes.ErrNotReporter},
	{"suspended", collectortypes.ErrSuspended},
	{"implausible", collectortypes.ErrImplausible},
	{"uncheckable", collectortypes.ErrUncheckable},
	{"retired", collectortypes.ErrSubchainRetired},
	{"invalid_snapshot", shared.ErrInvalidSnapshot},
	{"too_large", shared.ErrTooLarge},
	{"sequence_mismatch", sdkerrors.ErrWrongSequence},
	{"insufficient_funds", sdkerrors.ErrInsufficientFunds},
	{"insufficient_fee", sdkerrors.ErrInsufficientFee},
	{"out_of_gas", sdkerrors.ErrOutOfGas},
}

// OtherReason names a refusal in a transaction's result that is none of
// the named ones.
const OtherReason = "other"

// Refused is a transaction the chain answered with an error.
type Refused struct {
	// Reason names the refusal: one of a fixed set (not_reporter, suspended,
	// implausible, uncheckable, retired, invalid_snapshot, too_large,
	// sequence_mismatch, insufficient_funds, insufficient_fee, out_of_gas)
	// or OtherReason.
	Reason string
	// Codespace and Code are the result's ABCI error; zero for a refusal at
	// simulation, which answers with its message alone.
	Codespace string
	Code      uint32
	// TxHash is set when the node took the transaction, Height when a block
	// included it (failed).
	TxHash string
	Height int64
	// Log is the chain's word: the result's log, or the simulation's error.
	Log string
}

func (e *Refused) Error() string {
	if e.Code == 0 {
		return e.Log
	}
	return fmt.Sprintf("tx %s failed (%s code %d): %s", e.TxHash, e.Codespace, e.Code, e.Log)
}

// classify names the chain's answer: res's failed result, or err from the
// simulation or the broadcast. Only an answer the chain gave is a refusal:
// an error that names no known refusal and comes with no failed result (a
// node down, a timeout) is returned as it is.
func classify(err error, res *sdk.TxResponse) error {
	if res != nil && res.Code != 0 {
		refused := &Refused{Reason: OtherReason, Codespace: res.Codespace, Code: res.Code, TxHash: res.TxHash, Height: res.Height,
			Log: res.RawLog}
		for _, r := range reasons {
			if res.Codespace == r.err.Codespace() && res.Code == r.err.ABCICode() {
				refused.Reason = r.name
				break
			}
		}
		return refused
	}
	if err == nil {
		return nil
	}
	for _, r := range reasons {
		if strings.Contains(err.Error(), r.err.Error()) {
			return &Refused{Reason: r.name, Log: err.Error()}
		}
	}
	return err
}

// Is says err is the chain refusing a transaction with e: by the result's
// codespace and code when a result came back, else by e's message in the
// error the node answered a simulation with (its code does not survive
// the trip).
func Is(err error, e *errorsmod.Error) bool {
	var refused *Refused
	if errors.As(err, &refused) && refused.Code != 0 {
		return refused.Codespace == e.Codespace() && refused.Code == e.ABCICode()
	}
	return err != nil && strings.Contains(err.Error(), e.Error())
}
