package watcher_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	"github.com/statuscollect/statuscollect/daemon/chainview"
	"github.com/statuscollect/statuscollect/daemon/watcher"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

type fakeMain struct {
	reports []collectortypes.Report
	// settled are the reports whose dispute ended, and how.
	settled map[uint64]collectortypes.DisputeStatus
}

func (m *fakeMain) Settled(_ context.Context, seq uint64) (collectortypes.DisputeStatus, bool, error) {
	st, ok := m.settled[seq]
	return st, ok, nil
}

func (m *fakeMain) ReportsAfter(_ context.Context, after uint64) ([]collectortypes.Report, error) {
	var out []collectortypes.Report
	for _, r := range m.reports {
		if r.Sequence > after {
			out = append(out, r)
		}
	}
	return out, nil
}

// node says the chain has 3 contracts at every height up to its tip.
type node struct{ tip int64 }

func (n *node) LatestHeight(context.Context) (int64, error) { return n.tip, nil }

func (n *node) Observe(_ context.Context, h int64, _ []string) (shared.StatusSnapshot, error) {
	if h > n.tip {
		return shared.StatusSnapshot{}, errors.New("height not available")
	}
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
	var alerts []string // what OnAlert heard: +key raised, -key cleared
	fail := errors.New("subchain node down")
	var fileErr error
	path := filepath.Join(t.TempDir(), "watcher.json")
	newWatcher := func() *watcher.Watcher {
		w := &watcher.Watcher{Main: main, View: &node{tip: 100}, StatePath: path,
			File: func(_ context.Context, r collectortypes.Report, _ shared.StatusSnapshot, fields []string) (broadcast.Included, error) {
				if fileErr != nil {
					return broadcast.Included{}, fileErr
				}
				require.Equal(t, []string{shared.FieldContractCount}, fields)
				disputed = append(disputed, r.Sequence)
				return broadcast.Included{TxHash: fmt.Sprintf("TX%d", r.Sequence), Height: 50}, nil
			}}
		w.OnAlert = func(a watcher.Alert, raised bool) {
			alerts = append(alerts, map[bool]string{true: "+", false: "-"}[raised]+a.Key)
		}
		_, err := w.Load()
		require.NoError(t, err)
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

	// The filed dispute stays an open alert, across a restart, until the
	// main chain settles it; then it is cleared once.
	require.Equal(t, []string{"+dispute/3"}, alerts)
	w = newWatcher()
	require.Equal(t, "dispute/3", w.Alerts()[0].Key)
	main.settled = map[uint64]collectortypes.DisputeStatus{3: collectortypes.DISPUTE_STATUS_UPHELD}
	w = newWatcher()
	_, _, err = w.Step(context.Background())
	require.NoError(t, err)
	require.Empty(t, w.Alerts())
	w = newWatcher()
	_, _, err = w.Step(context.Background())
	require.NoError(t, err)
	require.Empty(t, w.Alerts())
	require.Equal(t, []string{"+dispute/3", "-dispute/3"}, alerts)
}

func TestClassifyTellsAHaltFromDownEndpoints(t *testing.T) {
	now := time.Unix(1000, 0)
	up := func(addr string, h int64, age time.Duration) chainview.Probe {
		return chainview.Probe{Addr: addr, Up: true, Height: h, BlockTime: now.Add(-age)}
	}
	down := chainview.Probe{Addr: "127.0.0.1:1", Err: errors.New("connection refused")}
	for _, tc := range []struct {
		name       string
		probes     []chainview.Probe
		mainHeight int64
		want       watcher.Condition
		height     int64
	}{
		{"all down", []chainview.Probe{down, down}, 50, watcher.Unreachable, 0},
		{"one down, one fresh", []chainview.Probe{down, up("b", 40, 2*time.Second)}, 40, watcher.Producing, 40},
		{"answering but no block for 2 min", []chainview.Probe{down, up("b", 40, 2*time.Minute)}, 40, watcher.Halted, 40},
		{"the freshest endpoint decides", []chainview.Probe{up("a", 30, 5*time.Minute), up("b", 41, time.Second)}, 41, watcher.Producing, 41},
		{"behind the main chain's record", []chainview.Probe{up("a", 30, 5*time.Minute)}, 90, watcher.Lagging, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, h, why := watcher.Classify(tc.probes, tc.mainHeight, now, time.Minute)
			require.Equal(t, tc.want, got, why)
			require.Equal(t, tc.height, h)
			require.NotEmpty(t, why)
		})
	}
}

func TestReportsAheadOfTheNodesWaitWithoutHoldingTheCursor(t *testing.T) {
	main := &fakeMain{reports: []collectortypes.Report{
		report(1, 150, 9, "org-a"), // far beyond the nodes (at 100), and forged
		report(2, 103, 3, "org-a"), // a little ahead, true
		report(3, 90, 9, "org-a"),  // forged, at a height the nodes have
	}}
	view := &node{tip: 100}
	var disputed []uint64
	var alerts []string
	path := filepath.Join(t.TempDir(), "watcher.json")
	newWatcher := func() *watcher.Watcher {
		w := &watcher.Watcher{Main: main, View: view, StatePath: path,
			File: func(_ context.Context, r collectortypes.Report, _ shared.StatusSnapshot, _ []string) (broadcast.Included, error) {
				disputed = append(disputed, r.Sequence)
				return broadcast.Included{}, nil
			},
			OnAlert: func(a watcher.Alert, raised bool) {
				alerts = append(alerts, map[bool]string{true: "+", false: "-"}[raised]+a.Key)
			}}
		_, err := w.Load()
		require.NoError(t, err)
		return w
	}
	w := newWatcher()
	checked, filed, err := w.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, checked, "report 3 is checked: 1 and 2 do not hold the cursor up")
	require.Equal(t, 1, filed)
	require.EqualValues(t, 3, w.State().Cursor)
	require.Len(t, w.State().Ahead, 2)
	require.Equal(t, []string{"+ahead/1", "+dispute/3"}, alerts, "only the report far ahead is an alert")

	// The nodes reach 103, then 150; the reports waiting are checked then,
	// across a restart, and the forged one disputed.
	view.tip = 110
	w = newWatcher()
	checked, _, err = w.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, checked)
	view.tip = 150
	w = newWatcher()
	checked, filed, err = w.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, checked)
	require.Equal(t, 1, filed)
	require.Equal(t, []uint64{3, 1}, disputed)
	require.Empty(t, w.State().Ahead)
	require.Contains(t, alerts, "-ahead/1")
}

func TestRefusedDisputeDoesNotHoldTheWatcherUp(t *testing.T) {
	main := &fakeMain{reports: []collectortypes.Report{report(1, 20, 9, "org-a"), report(2, 25, 9, "org-a")}}
	var tries int
	w := &watcher.Watcher{Main: main, View: &node{tip: 100}, StatePath: filepath.Join(t.TempDir(), "watcher.json"),
		File: func(context.Context, collectortypes.Report, shared.StatusSnapshot, []string) (broadcast.Included, error) {
			tries++
			return broadcast.Included{}, fmt.Errorf("%w: the subchain's own snapshot agrees", watcher.ErrRefused)
		}}
	checked, filed, err := w.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, checked)
	require.Zero(t, filed)
	require.EqualValues(t, 2, w.State().Cursor, "moved past both")
	require.Empty(t, w.Alerts())
	_, _, err = w.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, tries, "a refusal is not retried")
}

// plain is a chain without the sidecar: it keeps no record of its orgs, so
// its view names the orgs it is given, as chainview.Observer does there.
type plain struct{ node }

func (p *plain) Observe(ctx context.Context, h int64, orgs []string) (shared.StatusSnapshot, error) {
	s, err := p.node.Observe(ctx, h, nil)
	s.Orgs = orgs
	return s, err
}

// On a chain that cannot contradict a report's orgs, the watcher disputes
// what the chain does record (here a forged contract count) and never the
// orgs: two honest reporters naming their orgs were disputed before.
func TestPlainChainOrgsAreNotDisputed(t *testing.T) {
	honest, forged := report(1, 20, 3, "org-a"), report(2, 25, 9, "org-a")
	honest.Snapshot.Orgs = []string{"org-a", "org-b"}
	forged.Snapshot.Orgs = []string{"org-a", "org-b"}
	main := &fakeMain{reports: []collectortypes.Report{honest, forged}}
	disputed := map[uint64][]string{}
	w := &watcher.Watcher{Main: main, View: &plain{node{tip: 100}}, StatePath: filepath.Join(t.TempDir(), "watcher.json"),
		File: func(_ context.Context, r collectortypes.Report, _ shared.StatusSnapshot, fields []string) (broadcast.Included, error) {
			disputed[r.Sequence] = fields
			return broadcast.Included{TxHash: "AB"}, nil
		}}
	checked, filed, err := w.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, checked)
	require.Equal(t, 1, filed)
	require.Equal(t, map[uint64][]string{2: {shared.FieldContractCount}}, disputed)
}
