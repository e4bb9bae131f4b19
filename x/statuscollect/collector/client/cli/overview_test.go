package cli_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/client/cli"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

func TestWriteOverview(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	res := &types.QueryOverviewResponse{Subchains: []types.SubchainHealth{
		{Subchain: types.Subchain{ChainId: "subchain-a", Liveness: types.LIVENESS_ACTIVE, LastSequence: 7, LastHeight: 120,
			LastReportTime: now.Add(-95 * time.Second)}, AsOf: now, SecondsUntilDue: 85, TpsMilli: 2500, OrgCount: 2, NodeCount: 3,
			ContractCount: 4, Link: types.LinkHealth{ClientId: "07-tendermint-0", ClientStatus: "Active", ChannelId: "channel-1"}},
		{Subchain: types.Subchain{ChainId: "gateway-c", Liveness: types.LIVENESS_STALE}, AsOf: now, SecondsUntilDue: -4000},
	}, Pagination: &query.PageResponse{NextKey: []byte("x")}}
	var out bytes.Buffer
	require.NoError(t, cli.WriteOverview(&out, res))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	require.Equal(t, []string{"CHAIN", "ID", "LIVENESS", "DUE", "IN", "HEIGHT", "TPS", "ORGS", "NODES", "CONTRACTS", "LAST", "REPORT", "LINK"}, strings.Fields(lines[0]))
	require.Equal(t, []string{"subchain-a", "active", "1m", "25s", "120", "2.5", "2", "3", "4", "1m", "35s", "ago", "07-tendermint-0", "Active", "channel-1"}, strings.Fields(lines[1]))
	require.Equal(t, []string{"gateway-c", "stale", "overdue", "1h", "6m", "0", "0", "0", "0", "0", "never", "no", "client"}, strings.Fields(lines[2]))
	require.Contains(t, lines[3], "more subchains")
	require.NotContains(t, out.String(), "0001-01-01", "a time never set is never printed")
}
