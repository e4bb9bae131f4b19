package orgreporter_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/daemon/chainview"
	"github.com/statuscollect/statuscollect/daemon/orgreporter"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// fakeChain is a subchain whose height, validators and contracts the test sets.
type fakeChain struct {
	height    int64
	interval  int64
	contracts []fakeContract
	power     int64
	// reads counts how often each block was read for its transactions.
	reads map[int64]int
	// maxChanges, when positive, is the most contracts ContractsChanged
	// answers with, as chainview.MaxChanges is.
	maxChanges int
	// remembered are the counts the reporter handed over (height: count).
	remembered map[int64]uint64
}

// fakeContract is a contract instantiated, or migrated to code, at height.
type fakeContract struct {
	addr   string
	height int64
	code   uint64
}

func contractsAt(h int64, addrs ...string) []fakeContract {
	out := make([]fakeContract, len(addrs))
	for i, a := range addrs {
		out[i] = fakeContract{addr: a, height: h, code: 1}
	}
	return out
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

// ContractsChanged lists each contract's latest change in from+1..to.
func (c *fakeChain) ContractsChanged(_ context.Context, from, to int64) ([]shared.Contract, error) {
	latest := map[string]shared.Contract{}
	for _, k := range c.contracts {
		if k.height > from && k.height <= to {
			latest[k.addr] = shared.Contract{Address: k.addr, CodeId: k.code, Label: "l-" + k.addr}
		}
	}
	if c.maxChanges > 0 && len(latest) > c.maxChanges {
		return nil, fmt.Errorf("%w: blocks %d..%d", chainview.ErrTooManyChanges, from+1, to)
	}
	out := slices.Collect(maps.Values(latest))
	slices.SortFunc(out, func(a, b shared.Contract) int { return strings.Compare(a.Address, b.Address) })
	return out, nil
}

func (c *fakeChain) RememberContractCount(h int64, n uint64) {
	if c.remembered == nil {
		c.remembered = map[int64]uint64{}
	}
	c.remembered[h] = n
}

func (c *fakeChain) Observe(_ context.Context, h int64, orgs []string) (shared.StatusSnapshot, error) {
	exist := map[string]bool{}
	for _, k := range c.contracts {
		if k.height <= h {
			exist[k.addr] = true
		}
	}
	return shared.StatusSnapshot{ChainId: "subchain-a", Height: h, BlockTime: time.Unix(h, 0).UTC(), Orgs: orgs,
		Validators:    []shared.Validator{{Address: "subvalcons1a", Power: c.power}},
		ContractCount: uint64(len(exist))}, nil
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
	chain := &fakeChain{height: 23, interval: 5, contracts: contractsAt(3, "sub1c1"), power: 10}
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
	chain.height, chain.contracts = 36, append(chain.contracts, contractsAt(33, "sub1c2")...)
	out.fail = errors.New("main chain down")
	_, err = r.Step(ctx)
	require.Error(t, err)

	// The daemon restarts; the change is still carried, once. The contract
	// count saved at the last height counted is handed to the view.
	out.fail = nil
	r = newReporter(t, chain, out, path)
	require.Equal(t, map[int64]uint64{30: 1}, chain.remembered)
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

// TestReporterFindsNewContractsInBoundedSteps: new contracts come from the
// blocks since the last step, never from a listing of every contract. More
// than one report carries wait for the next reports (oldest first); a
// migration is a change too; more changes than the view reads at once
// shorten the step instead of failing it. Each contract is announced once.
func TestReporterFindsNewContractsInBoundedSteps(t *testing.T) {
	var many []string
	for i := range 300 {
		many = append(many, fmt.Sprintf("sub1m%03d", i))
	}
	chain := &fakeChain{height: 10, interval: 5, contracts: contractsAt(3, many...), power: 10}
	out := &sink{}
	r := newReporter(t, chain, out, filepath.Join(t.TempDir(), "state.json"))
	ctx := context.Background()

	o, err := r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, o)
	require.Len(t, out.got[0].NewContracts, shared.MaxNewContracts)
	require.EqualValues(t, 300, out.got[0].ContractCount)

	// The rest ride on the next report, with a new contract and a migration.
	chain.height = 15
	chain.contracts = append(chain.contracts, fakeContract{addr: "sub1new", height: 12, code: 1},
		fakeContract{addr: "sub1m000", height: 14, code: 2})
	o, err = r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, o)
	second := out.got[1].NewContracts
	require.Len(t, second, 300-shared.MaxNewContracts+2)
	require.EqualValues(t, 301, out.got[1].ContractCount)
	require.Contains(t, second, shared.Contract{Address: "sub1m000", CodeId: 2, Label: "l-sub1m000"}, "the migration")
	require.Contains(t, second, shared.Contract{Address: "sub1new", CodeId: 1, Label: "l-sub1new"})
	require.True(t, slices.IsSortedFunc(second, func(a, b shared.Contract) int { return strings.Compare(a.Address, b.Address) }))

	// 40 contracts in blocks 21..40, while the view reads 10 at once: the
	// reporter goes in shorter steps, on snapshot heights.
	chain.maxChanges = 10
	for h := int64(21); h <= 40; h++ {
		chain.contracts = append(chain.contracts, contractsAt(h, fmt.Sprintf("sub1s%02da", h), fmt.Sprintf("sub1s%02db", h))...)
	}
	chain.height = 40
	var heights []int64
	for range 4 {
		o, err := r.Step(ctx)
		require.NoError(t, err)
		require.Equal(t, orgreporter.Submitted, o)
		heights = append(heights, out.got[len(out.got)-1].Height)
	}
	require.Equal(t, []int64{25, 30, 35, 40}, heights)

	seen := map[string]int{}
	for _, s := range out.got {
		for _, c := range s.NewContracts {
			seen[c.Address]++
		}
	}
	require.Len(t, seen, 300+1+40)
	for addr, n := range seen {
		if addr == "sub1m000" {
			require.Equal(t, 2, n, "instantiated, then migrated")
			continue
		}
		require.Equal(t, 1, n, addr)
	}

	// A single block holding more than the view reads cannot be shortened.
	chain.contracts = append(chain.contracts, contractsAt(43, "sub1x1", "sub1x2", "sub1x3")...)
	chain.maxChanges, chain.height = 2, 45
	_, err = r.Step(ctx)
	require.ErrorIs(t, err, chainview.ErrTooManyChanges)
}

// A report the main chain names as this reporter's is taken up only when
// the subchain confirms it: one of a height the subchain never reached would
// otherwise hold the reporter at "no new height" for good, and one of
// another chain id or block time is not the subchain's.
func TestTakeUpRefusesALandedReportTheSubchainDoesNotConfirm(t *testing.T) {
	chain := &fakeChain{height: 100, power: 1}
	out := &sink{}
	path := filepath.Join(t.TempDir(), "state.json")
	r := newReporter(t, chain, out, path)
	got, err := r.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, got)

	chain.height = 200
	at := func(h int64) shared.StatusSnapshot {
		s, err := chain.Observe(context.Background(), h, []string{"org-a"})
		require.NoError(t, err)
		return s
	}
	beyond := at(1 << 40)
	otherChain := at(150)
	otherChain.ChainId = "subchain-b"
	otherTime := at(150)
	otherTime.BlockTime = otherTime.BlockTime.Add(time.Second)
	for name, landed := range map[string]shared.StatusSnapshot{
		"beyond the subchain's tip": beyond, "of another chain": otherChain, "of another block time": otherTime,
	} {
		r = newReporter(t, chain, out, path)
		took, err := r.TakeUp(context.Background(), landed)
		require.ErrorIs(t, err, orgreporter.ErrUnconfirmed, name)
		require.False(t, took, name)
	}
	require.EqualError(t, func() error { _, err := r.TakeUp(context.Background(), beyond); return err }(),
		"the subchain does not confirm the report: its height 1099511627776 is not in the subchain's 1..200")

	// Nothing was taken up: the validators change and a report goes out.
	chain.power = 5
	r = newReporter(t, chain, out, path)
	got, err = r.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, got)
	require.EqualValues(t, 200, out.got[len(out.got)-1].Height)

	// One the subchain confirms is taken up: the next report's window starts there.
	chain.height = 300
	took, err := r.TakeUp(context.Background(), at(250))
	require.NoError(t, err)
	require.True(t, took)
	chain.power = 7
	got, err = r.Step(context.Background())
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, got)
	require.EqualValues(t, 50, out.got[len(out.got)-1].WindowBlocks)
}

// Transactions counted beyond the subchain's tip (a node behind, or a state
// that is not of this chain) are an error, not a quiet "no new height".
func TestStepFailsWhenCountedBeyondTheSubchain(t *testing.T) {
	chain := &fakeChain{height: 100, power: 1}
	r := newReporter(t, chain, &sink{}, filepath.Join(t.TempDir(), "state.json"))
	_, err := r.Step(context.Background())
	require.NoError(t, err)
	chain.height = 60
	_, err = r.Step(context.Background())
	require.EqualError(t, err, "transactions are counted to height 100, beyond the subchain's latest height 60: "+
		"its node is behind, or the state is not of this chain")
}
