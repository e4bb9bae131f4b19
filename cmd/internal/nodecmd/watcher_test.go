package nodecmd

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

func TestRefusedAsReadsSimulationErrorsAndTxResults(t *testing.T) {
	simulated := errors.New("rpc error: code = Unknown desc = failed to execute message; message index: 0: report 5: " +
		errorsmod.Wrap(reportertypes.ErrAlreadyDisputed, "report 5").Error())
	require.True(t, refusedAs(simulated, nil, reportertypes.ErrAlreadyDisputed))
	require.False(t, refusedAs(simulated, nil, reportertypes.ErrReportMatches))

	res := &sdk.TxResponse{Codespace: reportertypes.Codespace, Code: reportertypes.ErrReportMatches.ABCICode()}
	require.True(t, refusedAs(errors.New("refused"), res, reportertypes.ErrReportMatches))
	require.False(t, refusedAs(errors.New("refused"), res, reportertypes.ErrNoSnapshot))
	require.False(t, refusedAs(nil, &sdk.TxResponse{}, reportertypes.ErrNoSnapshot), "a successful tx is no refusal")
}
