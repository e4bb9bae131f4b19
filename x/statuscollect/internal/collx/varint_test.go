package collx_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections/codec"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
)

func TestUvarintValue(t *testing.T) {
	for _, c := range []struct {
		v    uint64
		size int
	}{{0, 1}, {127, 1}, {128, 2}, {16_383, 2}, {16_384, 3}, {math.MaxUint64, 10}} {
		bz, err := collx.UvarintValue.Encode(c.v)
		require.NoError(t, err)
		require.Len(t, bz, c.size, "%d", c.v)
		got, err := collx.UvarintValue.Decode(bz)
		require.NoError(t, err)
		require.Equal(t, c.v, got)
		js, err := collx.UvarintValue.EncodeJSON(c.v)
		require.NoError(t, err)
		got, err = collx.UvarintValue.DecodeJSON(js)
		require.NoError(t, err)
		require.Equal(t, c.v, got)
	}
	// What is not exactly one uvarint is refused, never read in part: the
	// eight bytes of collections.Uint64Value, a truncated varint, trailing bytes.
	for _, bz := range [][]byte{nil, {0x80}, {1, 0}, {0, 0, 0, 0, 0, 0, 0, 7}} {
		_, err := collx.UvarintValue.Decode(bz)
		require.ErrorIs(t, err, codec.ErrEncoding, "%x", bz)
	}
}
