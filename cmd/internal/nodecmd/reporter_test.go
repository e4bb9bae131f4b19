package nodecmd

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// simulated is err as a node's simulation returns it over gRPC.
func simulated(err error) error {
	return errors.New("rpc error: code = Unknown desc = failed to execute message; message index: 0: " + err.Error())
}

func TestSubmissionOutcomes(t *testing.T) {
	for name, c := range map[string]struct {
		err             error
		res             *sdk.TxResponse
		outcome, reason string
		stops           bool
	}{
		"recorded": {nil, &sdk.TxResponse{}, "recorded", "", false},
		"implausible, simulated": {simulated(errorsmod.Wrap(collectortypes.ErrImplausible, "height 9 is 8 blocks past")),
			nil, "refused", "implausible", false},
		"revoked, simulated": {simulated(errorsmod.Wrap(collectortypes.ErrNotReporter, "sub1x")), nil, "refused", "not_reporter", true},
		"sequence mismatch at broadcast": {nil, &sdk.TxResponse{Codespace: sdkerrors.RootCodespace,
			Code: sdkerrors.ErrWrongSequence.ABCICode(), RawLog: "account sequence mismatch"}, "refused", "sequence_mismatch", false},
		"no fee funds in the block": {nil, &sdk.TxResponse{Codespace: sdkerrors.RootCodespace,
			Code: sdkerrors.ErrInsufficientFunds.ABCICode()}, "refused", "insufficient_funds", false},
		"an error not named": {nil, &sdk.TxResponse{Codespace: "wasm", Code: 99}, "refused", "other", false},
		"node down":          {errors.New("connection refused"), nil, "failed", "", false},
	} {
		var err error
		if c.err != nil || c.res.Code != 0 {
			err = c.err
			if err == nil {
				err = errors.New("tx failed")
			}
			err = refusal(err, c.res)
		}
		outcome, reason := outcomeOf(err)
		require.Equal(t, c.outcome, outcome, name)
		require.Equal(t, c.reason, reason, name)
		require.Equal(t, c.stops, errors.Is(err, errNoRights), name)
	}
}

// The metric carries the refusal's name as a label of a bounded set.
func TestSubmissionMetricLabels(t *testing.T) {
	m := newReporterMetrics()
	m.submissions.WithLabelValues(outcomeOf(refusal(simulated(collectortypes.ErrImplausible), nil))).Inc()
	m.submissions.WithLabelValues(outcomeOf(nil)).Inc()
	families, err := m.reg.Gather()
	require.NoError(t, err)
	got := map[string]float64{}
	for _, f := range families {
		for _, s := range f.GetMetric() {
			key := ""
			for _, l := range s.GetLabel() {
				key += l.GetName() + "=" + l.GetValue() + " "
			}
			got[key] = s.GetCounter().GetValue()
		}
	}
	require.Equal(t, map[string]float64{"error=implausible outcome=refused ": 1, "error= outcome=recorded ": 1}, got)
}
