package watcher_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/daemon/watcher"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

type fakeMain struct{ reports []collectortypes.Report }

func (m *fakeMain) ReportsAfter(_ context.Context, after uint64) ([]collectortypes.Report, error) {
	var out []collectortypes.Report
	for _, r := range m.reports {
		if r.Sequence > after {
			out = append(out, r)
		}
	}
	return out, nil
}

// node says the chain has 3 contracts at every height.
type node struct{}

func (node) Observe(_ context.Context, h int64, _ []string) (shared.StatusSnapshot, error) {
	return snap(h, 3), nil
}

func snap(h int64, contracts uint64) shared.StatusSnapshot {
	return shared.StatusSnapshot{ChainId: "subchain-a", Height: h, BlockTime: time.Unix(h, 0).UTC(), Orgs: []string{"org-a"},
		Validators: []shared.Validator{{Address: "subvalcons1a", Power: 1}}, ContractCount: contracts}
}

func report(seq uint64, h int64, contracts uint64, org string) collectortypes.Report {
	r := collectortypes.Report{ChainId: "subchain-a", Sequence: seq, Snapshot: snap(h, contracts)}
	if org != "" {
		r.Source = collectortypes.ReportSource{OrgId: org, Reporter: "main1x"}
	} else {
		r.Source = collectortypes.ReportSource{ChannelId: "channel-0", IbcSequence: seq}
	}
	return r
}

func TestWatcherDisputesForgeriesOnceAcrossRestarts(t *testing.T) {
	main := &fakeMain{reports: []collectortypes.Report{
		report(1, 10, 3, ""),      // over IBC: the subchain's own word
		report(2, 15, 3, "org-a"), // true
		report(3, 20, 9, "org-a"), // forged contract count
	}}
	var disputed []uint64
	fail := errors.New("subchain node down")
	var fileErr error
	path := filepath.Join(t.TempDir(), "watcher.json")
	newWatcher := func() *watcher.Watcher {
		w := &watcher.Watcher{Main: main, View: node{}, StatePath: path,
			File: func(_ context.Context, r collectortypes.Report, _ shared.StatusSnapshot, fields []string) error {
				if fileErr != nil {
					return fileErr
				}
				require.Equal(t, []string{shared.FieldContractCount}, fields)
				disputed = append(disputed, r.Sequence)
				return nil
			}}
		require.NoError(t, w.Load())
		return w
	}
	w := newWatcher()

	// Filing fails: the cursor stays before the forgery.
	fileErr = fail
	_, _, err := w.Step(context.Background())
	require.ErrorIs(t, err, fail)
	require.EqualValues(t, 2, w.State().Cursor)

	// After a restart it catches up and files once.
	fileErr = nil
	w = newWatcher()
	checked, filed, err := w.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, checked)
	require.Equal(t, 1, filed)
	require.Equal(t, []uint64{3}, disputed)

	// Nothing new: nothing checked, nothing filed again.
	w = newWatcher()
	checked, filed, err = w.Step(context.Background())
	require.NoError(t, err)
	require.Zero(t, checked+filed)

	main.reports = append(main.reports, report(4, 25, 3, "org-b"))
	checked, filed, err = w.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, checked)
	require.Zero(t, filed)
	require.Equal(t, []uint64{3}, disputed)
}
