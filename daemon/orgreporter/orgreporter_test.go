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
	r := &orgreporter.Reporter{View: chain, Submit: out.submit, Orgs: []string{"org-a"}, StatePath: path}
	require.NoError(t, r.Load())
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
	chain.contracts = []string{"sub1c1", "sub1c2"}
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
	chain.height, chain.power = 36, 20
	o, err = r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, orgreporter.Submitted, o)
	require.Empty(t, out.got[2].NewContracts)
}
