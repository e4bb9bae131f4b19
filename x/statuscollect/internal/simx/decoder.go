// Package simx holds what both statuscollect modules' SDK simulation code
// shares.
package simx

import (
	"bytes"
	"fmt"
	"strconv"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/types/kv"
)

// StoreDecoder returns the store decoder the SDK simulator calls on a key
// whose values differ between two stores (import/export): it names the
// collection the key falls in, and prints the key and both values, decoded
// by the collection's own value codec (a key set's entries are their keys).
func StoreDecoder(schema collections.Schema) func(kvA, kvB kv.Pair) string {
	colls := schema.ListCollections()
	return func(kvA, kvB kv.Pair) string {
		// The longest matching prefix wins, should one prefix extend another.
		var found collections.Collection
		for _, c := range colls {
			if bytes.HasPrefix(kvA.Key, c.GetPrefix()) && (found == nil || len(c.GetPrefix()) > len(found.GetPrefix())) {
				found = c
			}
		}
		if found == nil {
			return fmt.Sprintf("key %X in no collection\nA: %X\nB: %X", kvA.Key, kvA.Value, kvB.Value)
		}
		side := func(name string, p kv.Pair) string {
			key := p.Key[len(found.GetPrefix()):]
			if !bytes.HasPrefix(p.Key, found.GetPrefix()) {
				key = p.Key
			}
			s := fmt.Sprintf("%s: key %X (%s)", name, key, strconv.Quote(string(key)))
			vc := found.ValueCodec()
			v, err := vc.Decode(p.Value)
			if err != nil {
				return fmt.Sprintf("%s, undecodable value %X: %s", s, p.Value, err)
			}
			str, err := vc.Stringify(v)
			if err != nil {
				return fmt.Sprintf("%s, value %X: %s", s, p.Value, err)
			}
			return s + ", value " + str
		}
		return fmt.Sprintf("collection %s\n%s\n%s", found.GetName(), side("A", kvA), side("B", kvB))
	}
}
