package orgreporter_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/daemon/orgreporter"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// fakeChain is a subchain whose height, validators and contracts the test sets.
type fakeChain struct {
	height    int64
	interval  int64
	contracts []string
	power     int64
	// reads counts how often each block was read for its transactions.
	reads map[int64]int
}

// txsIn is the fake chain's transactions per block: h mod 3.
func txsIn(h int64) uint64 { return uint64(h % 3) }

func txsBetween(from, to int64) (n uint64) {
	for h := from; h <= to; h++ {
		n += txsIn(h)
	}
	return n
}

func (c *fakeChain) BlockTxs(_ context.Context, h int64) (uint64, error) {
	if h < 1 || h > c.height {
		return 0, errors.New("no such block")
	}
	if c.reads == nil {
		c.reads = map[int64]int{}
	}
	c.reads[h]++
	return txsIn(h), nil
}

func (c *fakeChain) LatestHeight(context.Context) (int64, error)   { return c.height, nil }
func (c *fakeChain) ReportInterval(context.Context) (int64, error) { return c.interval, nil }
func (c *fakeChain) Contracts(context.Context, int64) ([]string, error) {
	return append([]string(nil), c.contracts...), nil
}

func (c *fakeChain) Contract(_ context.Context, _ int64, addr string) (shared.Contract, error) {
	return shared.Contract{Address: addr, CodeId: 1, Label: "l-" + addr}, nil
}

func (c *fakeChain) Observe(_ context.Context, h int64, orgs []string) (shared.StatusSnapshot, error) {
	return shared.StatusSnapshot{ChainId: "subchain-a", Height: h, BlockTime: time.Unix(h, 0).UTC(), Orgs: orgs,
		Validators:    []shared.Validator{{Address: "subvalcons1a", Power: c.power}},
		ContractCount: uint64(len(c.contracts))}, nil
}

type sink struct {
	got  []shared.StatusSnapshot
	fail error
}

func (s *sink) submit(_ context.Context, snap shared.StatusSnapshot) error {
	if s.fail != nil {
		return s.fail
	}
	s.got = append(s.got, snap)
	return nil
}

func newReporter(t *testing.T, chain *fakeChain, out *sink, path string) *orgreporter.Reporter {
	t.Helper()
	r := &orgreporter.Reporter{View: chain, Submit: out.submit, Orgs: []string{"org-a"}, StatePath: path,
		Backfill: orgreporter.DefaultBackfill}
	_, err := r.Load()
	require.NoError(t, err)
	return r
}

func TestReporterSubmitsChangesOnceAndSurvivesRestarts(t *testing.T) {
	chain := &fakeChain{height: 23, interval: 5, contracts: []string{"sub1c1"}, power: 10}
	out := &sink{}
	path := filepath.Join(t.TempDir(), "state.json")
	r := newReporter(t, chain, out, path)
	ctx := context.Background()

	o, err := r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, o)
	require.EqualValues(t, 20, out.got[0].Height, "aligned to the sidecar's snapshot height")
	require.Equal(t, "sub1c1", out.got[0].NewContracts[0].Address)

	chain.height = 31
	o, err = r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Unchanged, o)

	// A new contract while the main chain refuses: nothing is marked sent.
	chain.height, chain.contracts = 36, []string{"sub1c1", "sub1c2"}
	out.fail = errors.New("main chain down")
	_, err = r.Step(ctx)
	require.Error(t, err)

	// The daemon restarts; the change is still carried, once.
	out.fail = nil
	r = newReporter(t, chain, out, path)
	o, err = r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, o)
	require.Len(t, out.got, 2)
	require.Equal(t, []shared.Contract{{Address: "sub1c2", CodeId: 1, Label: "l-sub1c2"}}, out.got[1].NewContracts)

	// Nothing new at the same aligned height; a validator change is a change.
	o, err = r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.NoNewData, o)
	chain.height, chain.power = 41, 20
	o, err = r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, o)
	require.Empty(t, out.got[2].NewContracts)
}

func TestReporterCountsTransactionsAndSendsHeartbeats(t *testing.T) {
	chain := &fakeChain{height: 10, power: 10} // no sidecar: every height
	out := &sink{}
	path := filepath.Join(t.TempDir(), "state.json")
	r := newReporter(t, chain, out, path)
	r.Heartbeat = 8 * time.Second // block h is at h seconds
	ctx := context.Background()

	o, err := r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, o)
	first := out.got[0]
	require.Equal(t, txsBetween(1, 10), first.TotalTxs, "counted from genesis")
	require.Equal(t, first.TotalTxs, first.WindowTxs)
	require.EqualValues(t, 10, first.WindowBlocks)

	// 5 s of block time later: no change and no heartbeat due, but the
	// count goes on and survives a restart.
	chain.height = 15
	o, err = r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Unchanged, o)
	r = newReporter(t, chain, out, path)
	r.Heartbeat = 8 * time.Second

	chain.height = 20
	o, err = r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, o, "a heartbeat after 10 s of block time")
	beat := out.got[1]
	require.Equal(t, txsBetween(1, 20), beat.TotalTxs)
	require.Equal(t, txsBetween(11, 20), beat.WindowTxs)
	require.EqualValues(t, 10, beat.WindowBlocks)
	require.Equal(t, beat.WindowTxs*1000/10, beat.TpsMilli, "window txs over 10 s, in milli-TPS")
	for h, n := range chain.reads {
		require.Equal(t, 1, n, "block %d read once across the restart", h)
	}
	require.Len(t, chain.reads, 20)
}

func TestReporterCatchesUpInBoundedSteps(t *testing.T) {
	chain := &fakeChain{height: 5000, interval: 5, power: 10}
	out := &sink{}
	r := newReporter(t, chain, out, filepath.Join(t.TempDir(), "state.json"))
	ctx := context.Background()

	var outcomes []orgreporter.Outcome
	for range 4 {
		o, err := r.Step(ctx)
		require.NoError(t, err)
		outcomes = append(outcomes, o)
	}
	require.Equal(t, []orgreporter.Outcome{orgreporter.Submitted, orgreporter.CatchingUp, orgreporter.Unchanged,
		orgreporter.NoNewData}, outcomes)
	require.EqualValues(t, orgreporter.MaxBlocksPerStep, out.got[0].Height, "the first report at the first bounded step")
	require.Len(t, chain.reads, 5000)

	// A reporter started on an older chain counts Backfill blocks only.
	old := &fakeChain{height: 5000, power: 10}
	out = &sink{}
	r = newReporter(t, old, out, filepath.Join(t.TempDir(), "state.json"))
	r.Backfill = 100
	_, err := r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, txsBetween(4901, 5000), out.got[0].TotalTxs)
	require.EqualValues(t, 100, out.got[0].WindowBlocks)
	require.Len(t, old.reads, 100)
}
