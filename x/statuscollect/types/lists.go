package types

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// ListsHashLen is the length of a snapshot's ListsHash.
const ListsHashLen = sha256.Size

// ListsHash names a snapshot's orgs and validators: the SHA-256 of the
// protobuf encoding of a StatusSnapshot that holds only them (what any
// protobuf encoder writes for such a message: unset fields are left out). A
// report by transaction may carry it instead of the lists when they are
// those of the subchain's latest report, and so may a report over the
// status channel; the main chain, the sidecar and every reporter compute it
// here.
func (s StatusSnapshot) ListsHash() []byte {
	sum := sha256.Sum256(listsEncoding(s.Orgs, s.Validators))
	return sum[:]
}

// NameListsByHash leaves the snapshot's orgs and validators out and returns
// their hash, which stands for them.
func (s *StatusSnapshot) NameListsByHash() []byte {
	hash := s.ListsHash()
	s.Orgs, s.Validators = nil, nil
	return hash
}

// CheckNamedLists is the check without state of a lists hash that comes
// with a snapshot, by either door: nil, or a SHA-256 beside a snapshot that
// leaves its lists out. Each door wraps the error in its own.
func CheckNamedLists(hash []byte, s StatusSnapshot) error {
	if hash == nil {
		return nil
	}
	if len(hash) != ListsHashLen {
		return fmt.Errorf("lists hash is %d bytes, a SHA-256 is %d", len(hash), ListsHashLen)
	}
	if len(s.Orgs) > 0 || len(s.Validators) > 0 {
		return errors.New("a snapshot with a lists hash leaves its orgs and validators out: send one or the other")
	}
	return nil
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
