package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
)

// TestHoleDisputedSetPruned: before, the set of reports this chain sent
// evidence against was never pruned, so every dispute ever filed stayed in
// the state. Its entries now leave with the ring's snapshots they were checked
// against, at most 16 a snapshot, oldest first.
func TestHoleDisputedSetPruned(t *testing.T) {
	f := newFixture(t)
	for h := int64(10); h <= 400; h += 10 {
		require.NoError(t, f.k.Disputed.Set(f.ctx, collections.Join(h, uint64(h))))
	}
	count := func(r collections.Ranger[collections.Pair[int64, uint64]]) int {
		n := 0
		require.NoError(t, f.k.Disputed.Walk(f.ctx, r, func(collections.Pair[int64, uint64]) (bool, error) { n++; return false, nil }))
		return n
	}
	below := collections.NewPrefixUntilPairRange[int64, uint64](300)
	require.Equal(t, 32, count(below)) // heights 10..300, and the fixture's two at height 50
	require.NoError(t, f.k.TrimRing(f.ctx, 300))
	require.Equal(t, 16, count(below), "at most 16 leave a step")
	require.NoError(t, f.k.TrimRing(f.ctx, 300))
	require.Zero(t, count(below), "the rest leave at the next")
	require.Equal(t, 10, count(nil), "those above the ring's start stay")
}
