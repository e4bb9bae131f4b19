package simx_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	"github.com/cosmos/cosmos-sdk/types/kv"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/simx"
)

// The decoder names the collection, and prints the key and both values;
// for a key set, the key on both sides.
func TestStoreDecoder(t *testing.T) {
	key := storetypes.NewKVStoreKey("test")
	ctx := testutil.DefaultContext(key, storetypes.NewTransientStoreKey("transient"))
	var svc store.KVStoreService = runtime.NewKVStoreService(key)
	sb := collections.NewSchemaBuilder(svc)
	names := collections.NewMap(sb, collections.NewPrefix(1), "names", collections.StringKey, collections.StringValue)
	queue := collections.NewKeySet(sb, collections.NewPrefix(2), "queue", collections.Uint64Key)
	schema, err := sb.Build()
	require.NoError(t, err)
	var c context.Context = ctx
	require.NoError(t, names.Set(c, "org-a", "alpha"))
	require.NoError(t, queue.Set(c, 7))

	s := ctx.KVStore(key)
	it := s.Iterator(nil, nil)
	var pairs []kv.Pair
	for ; it.Valid(); it.Next() {
		pairs = append(pairs, kv.Pair{Key: it.Key(), Value: it.Value()})
	}
	require.NoError(t, it.Close())
	require.Len(t, pairs, 2)

	decode := simx.StoreDecoder(schema)
	other := pairs[0]
	other.Value = []byte("beta")
	out := decode(pairs[0], other)
	require.Contains(t, out, "collection names")
	require.Contains(t, out, "org-a")
	require.Contains(t, out, "alpha")
	require.Contains(t, out, "beta")

	out = decode(pairs[1], kv.Pair{Key: pairs[1].Key})
	require.Contains(t, out, "collection queue")
	require.Contains(t, out, "A: key 0000000000000007")
	require.Contains(t, out, "B: key 0000000000000007")
}
