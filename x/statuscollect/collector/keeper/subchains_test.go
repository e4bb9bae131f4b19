package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSubchainRecordInTwoParts: a subchain's record reads whole through
// Subchains, neither part holds the chain id, a report rewrites the status
// part alone, and the status part read alone cannot be written back whole,
// which would wipe its name, kind, registered height and client.
func TestSubchainRecordInTwoParts(t *testing.T) {
	f := newFixture(t)
	whole := f.subchain(chainA)
	require.Equal(t, chainA, whole.ChainId)
	require.NotEmpty(t, whole.Name)
	require.NotZero(t, whole.Kind)

	status, err := f.k.Subchains.Status.Get(f.ctx, chainA)
	require.NoError(t, err)
	require.Empty(t, status.ChainId)
	require.Empty(t, status.Name)
	require.Zero(t, status.Kind)
	info, err := f.k.Subchains.Info.Get(f.ctx, chainA)
	require.NoError(t, err)
	require.Equal(t, whole.Name, info.Name)
	require.Empty(t, info.ChainId)
	require.Zero(t, info.LastSequence)

	f.must(f.ibcReport(1, snapshot(chainA, 100)))
	after, err := f.k.Subchains.Info.Get(f.ctx, chainA)
	require.NoError(t, err)
	require.Equal(t, info, after, "a report leaves the info part alone")
	require.EqualValues(t, 1, f.subchain(chainA).LastSequence)

	before := f.dump()
	status, err = f.k.Subchains.Status.Get(f.ctx, chainA)
	require.NoError(t, err)
	require.ErrorContains(t, f.k.Subchains.Set(f.ctx, chainA, status), "without its info")
	require.Equal(t, before, f.dump())
	f.invariants()
}
