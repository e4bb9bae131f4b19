// Package collx holds the small collections helpers both statuscollect
// modules use: whole-collection reads for genesis export, and optional items.
package collx

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
)

// Values returns every value of a map in key order.
func Values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	it, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return it.Values()
}

// Keys returns every key of a key set in order.
func Keys[K any](ctx context.Context, s collections.KeySet[K]) ([]K, error) {
	it, err := s.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return it.Keys()
}

// Optional returns an item's value, or its zero value when it is unset.
func Optional[V any](ctx context.Context, item collections.Item[V]) (V, error) {
	v, err := item.Get(ctx)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		var zero V
		return zero, nil
	}
	return v, err
}
