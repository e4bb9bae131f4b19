package types

import (
	"crypto/sha256"
	"encoding/binary"
)

// ListsHashLen is the length of a snapshot's ListsHash.
const ListsHashLen = sha256.Size

// ListsHash names a snapshot's orgs and validators: the SHA-256 of the
// protobuf encoding of a StatusSnapshot that holds only them (what any
// protobuf encoder writes for such a message: unset fields are left out). A
// report by transaction may carry it instead of the lists when they are
// those of the subchain's latest report; the main chain and every reporter
// compute it here.
func (s StatusSnapshot) ListsHash() []byte {
	sum := sha256.Sum256(listsEncoding(s.Orgs, s.Validators))
	return sum[:]
}

// listsEncoding writes orgs (field 8) and validators (field 9) as protobuf
// does. It is written out, not marshalled: gogoproto writes the snapshot's
// non-nullable block time even when it is unset, which other encoders do not.
func listsEncoding(orgs []string, validators []Validator) []byte {
	var out, v []byte
	for _, org := range orgs {
		out = appendLenField(out, 8, []byte(org))
	}
	for _, val := range validators {
		v = v[:0]
		if val.Address != "" {
			v = appendLenField(v, 1, []byte(val.Address))
		}
		if val.Power != 0 {
			v = binary.AppendUvarint(append(v, 2<<3), uint64(val.Power))
		}
		if val.Moniker != "" {
			v = appendLenField(v, 3, []byte(val.Moniker))
		}
		out = appendLenField(out, 9, v)
	}
	return out
}

// appendLenField appends a length-delimited protobuf field.
func appendLenField(b []byte, field byte, value []byte) []byte {
	b = binary.AppendUvarint(append(b, field<<3|2), uint64(len(value)))
	return append(b, value...)
}
