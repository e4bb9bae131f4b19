package watcher

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/client"
	"github.com/statuscollect/statuscollect/daemon/broadcast"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

func TestDisputeMsgOnEitherChain(t *testing.T) {
	reported := shared.StatusSnapshot{ChainId: "subchain-a", Height: 20, ContractCount: 9, Orgs: []string{"org-a"}}
	observed := reported
	observed.ContractCount = 3
	r := collectortypes.Report{ChainId: "subchain-a", Sequence: 3, Snapshot: reported}
	fields := []string{shared.FieldContractCount}

	require.Equal(t, &reportertypes.MsgDisputeReport{Filer: "sub1f", MainSequence: 3, Reported: reported},
		disputeMsg("sub1f", "", "127.0.0.1:9190", r, observed, fields))

	require.Equal(t, &collectortypes.MsgFileDispute{Filer: "main1f", ChainId: "subchain-a", OrgId: "org-b", ReportSequence: 3,
		Fields:   []collectortypes.DisputedField{{Field: shared.FieldContractCount, Reported: "9", Observed: "3"}},
		Evidence: "observed by the watcher on node 127.0.0.1:9190 at height 20"},
		disputeMsg("main1f", "org-b", "127.0.0.1:9190", r, observed, fields))
}

// A dispute the chain will never take is refused for good (the watcher
// moves on); one that failed for a passing reason is retried.
func TestFiledTellsRefusalsFromFailures(t *testing.T) {
	refused := func(e *errorsmod.Error) error {
		return &broadcast.Refused{Reason: broadcast.OtherReason, Codespace: e.Codespace(), Code: e.ABCICode(), Log: e.Error()}
	}
	for _, e := range []*errorsmod.Error{reportertypes.ErrReportMatches, reportertypes.ErrNoSnapshot, collectortypes.ErrOwnReport} {
		_, err := filed(7, broadcast.Included{}, refused(e))
		require.ErrorIs(t, err, ErrRefused, e.Error())
	}
	tx, err := filed(7, broadcast.Included{}, refused(reportertypes.ErrAlreadyDisputed))
	require.NoError(t, err, "another watcher was first")
	require.Empty(t, tx.TxHash)
	_, err = filed(7, broadcast.Included{}, errors.New("connection refused"))
	require.Error(t, err)
	require.NotErrorIs(t, err, ErrRefused, "a node down is retried")
	require.ErrorContains(t, err, "dispute of report 7")
	tx, err = filed(7, broadcast.Included{TxHash: "AB", Height: 9}, nil)
	require.NoError(t, err)
	require.Equal(t, "AB", tx.TxHash)
}

// The websocket moves to the next endpoint at each drop, backing off, and a
// stop is no drop.
func TestFollowBlocksFailsOverWithBackoff(t *testing.T) {
	m := NewMetrics()
	var mu sync.Mutex
	var lines []string
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}
	ctx, cancel := context.WithTimeout(context.Background(), client.FirstBackoff+client.FirstBackoff/2)
	defer cancel()
	// Nothing listens on port 1 or 2.
	followBlocks(ctx, []string{"tcp://127.0.0.1:1", "tcp://127.0.0.1:2"}, time.Minute, make(chan struct{}, 1), m, logf)
	require.Len(t, lines, 2, "%q", lines)
	require.True(t, strings.HasPrefix(lines[0], "main-chain websocket tcp://127.0.0.1:1: "), lines[0])
	require.True(t, strings.HasSuffix(lines[0], "; reconnecting to tcp://127.0.0.1:2 in 1s"), lines[0])
	require.True(t, strings.HasSuffix(lines[1], "; reconnecting to tcp://127.0.0.1:1 in 2s"), lines[1])
	require.Equal(t, 2.0, counted(t, m, "statuscollect_watcher_websocket_drops_total"))

	// Stopped while connecting: no drop counted, nothing logged.
	stopped, stop := context.WithCancel(context.Background())
	stop()
	followBlocks(stopped, []string{"tcp://127.0.0.1:1"}, time.Minute, make(chan struct{}, 1), m, logf)
	require.Len(t, lines, 2)
	require.Equal(t, 2.0, counted(t, m, "statuscollect_watcher_websocket_drops_total"))
}

func counted(t *testing.T, m *Metrics, name string) float64 {
	t.Helper()
	families, err := m.reg.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() == name {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
