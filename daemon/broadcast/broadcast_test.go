package broadcast

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// simulated is err as a node's simulation returns it over gRPC: the
// message survives, the code does not.
func simulated(err error) error {
	return errors.New("rpc error: code = Unknown desc = failed to execute message; message index: 0: " + err.Error())
}

// result is a failed transaction result with e's ABCI error.
func result(e *errorsmod.Error) *sdk.TxResponse {
	return &sdk.TxResponse{Codespace: e.Codespace(), Code: e.ABCICode(), TxHash: "AB12", Height: 7, RawLog: e.Error()}
}

func TestClassifyNamesRefusalsByCodespaceAndCode(t *testing.T) {
	for _, tc := range []struct {
		res    *sdk.TxResponse
		reason string
	}{
		{result(collectortypes.ErrNotReporter), "not_reporter"},
		{result(collectortypes.ErrSuspended), "suspended"},
		{result(collectortypes.ErrImplausible), "implausible"},
		{result(collectortypes.ErrUncheckable), "uncheckable"},
		{result(collectortypes.ErrSubchainRetired), "retired"},
		{result(shared.ErrInvalidSnapshot), "invalid_snapshot"},
		{result(shared.ErrTooLarge), "too_large"},
		{result(sdkerrors.ErrWrongSequence), "sequence_mismatch"},
		{result(sdkerrors.ErrInsufficientFunds), "insufficient_funds"},
		{result(sdkerrors.ErrInsufficientFee), "insufficient_fee"},
		{result(sdkerrors.ErrOutOfGas), "out_of_gas"},
		// Known errors the set does not name, and codes of other modules.
		{result(collectortypes.ErrOutdatedReport), OtherReason},
		{result(reportertypes.ErrAlreadyDisputed), OtherReason},
		{&sdk.TxResponse{Codespace: "wasm", Code: 5}, OtherReason},
		// The same code in another codespace is another error.
		{&sdk.TxResponse{Codespace: "wasm", Code: sdkerrors.ErrOutOfGas.ABCICode()}, OtherReason},
		{&sdk.TxResponse{Codespace: reportertypes.Codespace, Code: collectortypes.ErrImplausible.ABCICode()}, OtherReason},
	} {
		name := tc.res.Codespace + "/" + tc.res.RawLog
		err := classify(errors.New("ignored: the result decides"), tc.res)
		var refused *Refused
		require.ErrorAs(t, err, &refused, name)
		require.Equal(t, tc.reason, refused.Reason, name)
		require.Equal(t, tc.res.Codespace, refused.Codespace, name)
		require.Equal(t, tc.res.Code, refused.Code, name)
		require.Equal(t, tc.res.TxHash, refused.TxHash, name)
		require.Equal(t, tc.res.Height, refused.Height, name)
		require.Contains(t, err.Error(), "failed ("+tc.res.Codespace+" code", name)
	}
}

func TestClassifyNamesSimulationErrorsByMessage(t *testing.T) {
	for _, tc := range []struct {
		err    error
		reason string // "" when it is no refusal
	}{
		{simulated(errorsmod.Wrap(collectortypes.ErrImplausible, "height 9 is 8 blocks past")), "implausible"},
		{simulated(errorsmod.Wrap(collectortypes.ErrNotReporter, "main1x")), "not_reporter"},
		{simulated(errorsmod.Wrapf(sdkerrors.ErrWrongSequence, "expected 4, got 3")), "sequence_mismatch"},
		{simulated(errorsmod.Wrap(sdkerrors.ErrOutOfGas, "out of gas in location: ReadFlat")), "out_of_gas"},
		// At simulation only a named refusal is recognised: any other error
		// may be the node's, not the chain's answer.
		{simulated(errorsmod.Wrap(collectortypes.ErrOutdatedReport, "height 5")), ""},
		{errors.New("connection refused"), ""},
	} {
		err := classify(tc.err, nil)
		var refused *Refused
		if tc.reason == "" {
			require.Same(t, tc.err, err, tc.err.Error())
			continue
		}
		require.ErrorAs(t, err, &refused, tc.err.Error())
		require.Equal(t, tc.reason, refused.Reason)
		require.Zero(t, refused.Code, "a simulation's code does not survive")
		require.Empty(t, refused.TxHash)
		require.Equal(t, tc.err.Error(), err.Error())
	}
	require.NoError(t, classify(nil, nil))
}

func TestIsReadsResultsAndSimulationErrors(t *testing.T) {
	sim := simulated(errorsmod.Wrap(reportertypes.ErrAlreadyDisputed, "report 5"))
	require.True(t, Is(sim, reportertypes.ErrAlreadyDisputed))
	require.False(t, Is(sim, reportertypes.ErrReportMatches))
	// Classified first, as Send returns it, and wrapped by the caller.
	require.True(t, Is(errorsmod.Wrap(classify(sim, nil), "dispute"), reportertypes.ErrAlreadyDisputed))

	refused := classify(nil, result(reportertypes.ErrReportMatches))
	require.True(t, Is(refused, reportertypes.ErrReportMatches))
	require.False(t, Is(refused, reportertypes.ErrNoSnapshot))
	// The code decides for a result, not a message that happens to match.
	lying := classify(nil, &sdk.TxResponse{Codespace: "wasm", Code: 3, RawLog: reportertypes.ErrNoSnapshot.Error()})
	require.False(t, Is(lying, reportertypes.ErrNoSnapshot))
	require.True(t, Is(classify(nil, result(collectortypes.ErrOutdatedReport)), collectortypes.ErrOutdatedReport))

	require.False(t, Is(nil, reportertypes.ErrNoSnapshot), "no error is no refusal")
	require.NoError(t, classify(nil, &sdk.TxResponse{}), "a successful tx is no refusal")
}
