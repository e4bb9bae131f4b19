package collx

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"cosmossdk.io/collections/codec"
)

// UvarintValue stores a uint64 as an unsigned varint: one byte below 128,
// two below 16,384, where collections.Uint64Value always takes eight. An
// index value written with every report (a sequence) is paid for at 30 gas a
// byte.
var UvarintValue codec.ValueCodec[uint64] = uvarintValue{}

type uvarintValue struct{}

func (uvarintValue) Encode(v uint64) ([]byte, error) { return binary.AppendUvarint(nil, v), nil }

func (uvarintValue) Decode(b []byte) (uint64, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 || n != len(b) {
		return 0, fmt.Errorf("%w: %d bytes are no uvarint", codec.ErrEncoding, len(b))
	}
	return v, nil
}

func (uvarintValue) EncodeJSON(v uint64) ([]byte, error) {
	return []byte(`"` + strconv.FormatUint(v, 10) + `"`), nil
}

func (u uvarintValue) DecodeJSON(b []byte) (uint64, error) {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return 0, fmt.Errorf("%w: %s", codec.ErrEncoding, err)
	}
	return strconv.ParseUint(s, 10, 64)
}

func (uvarintValue) Stringify(v uint64) string { return strconv.FormatUint(v, 10) }

func (uvarintValue) ValueType() string { return "uvarint64" }
