package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// TestHoleParamsBounded: before, upgrade_grace, dispute_window and
// history_retention had no upper bound, so a param could push a queue's time
// key (block time + param, in unix nanoseconds) past int64's end and wrap it
// into the past, and the per-block caps had none either.
func TestHoleParamsBounded(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	century := 100 * 365 * 24 * time.Hour
	for name, malleate := range map[string]func(p *types.Params){
		"upgrade grace of 300 years": func(p *types.Params) { p.UpgradeGrace = 3 * century },
		"history retention of 300 years": func(p *types.Params) {
			p.HistoryRetention = 3 * century
		},
		"dispute window of 300 years": func(p *types.Params) { p.DisputeWindow = 3 * century },
		"dispute window past retention": func(p *types.Params) {
			p.DisputeWindow = p.HistoryRetention + time.Second
		},
		"clock drift of a day":             func(p *types.Params) { p.MaxClockDrift = 24 * time.Hour },
		"block interval of a day":          func(p *types.Params) { p.MinBlockInterval = 24 * time.Hour },
		"a million prunes per block":       func(p *types.Params) { p.MaxPrunesPerBlock = 1_000_000 },
		"a million liveness checks":        func(p *types.Params) { p.MaxLivenessChecksPerBlock = 1_000_000 },
		"a million dispute expiries":       func(p *types.Params) { p.MaxDisputeExpiriesPerBlock = 1_000_000 },
		"a million open disputes per org":  func(p *types.Params) { p.MaxOpenDisputesPerOrg = 1_000_000 },
		"negative history retention":       func(p *types.Params) { p.HistoryRetention = -time.Second },
		"zero dispute expiries per block":  func(p *types.Params) { p.MaxDisputeExpiriesPerBlock = 0 },
		"65 reporters per membership":      func(p *types.Params) { p.MaxReportersPerMembership = 65 },
		"negative min block interval":      func(p *types.Params) { p.MinBlockInterval = -time.Millisecond },
		"upgrade grace just past its edge": func(p *types.Params) { p.UpgradeGrace = types.MaxUpgradeGrace + 1 },
	} {
		t.Run(name, func(t *testing.T) {
			p := types.DefaultParams()
			malleate(&p)
			require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
		})
	}
	edge := types.DefaultParams()
	edge.UpgradeGrace, edge.HistoryRetention, edge.DisputeWindow = types.MaxUpgradeGrace, types.MaxHistoryRetention, types.MaxHistoryRetention
	edge.MaxPrunesPerBlock, edge.MaxOpenDisputesPerOrg = types.MaxPerBlockCap, types.MaxOpenDisputesCap
	require.NoError(t, edge.Validate(), "the bounds themselves are allowed")
}
