package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// ContractCountInvariant checks the reporter's contract count against the
// engine: the stored counter and the count of the snapshot this chain would
// take now must both equal the number of contracts the engine holds, which
// engine counts by walking them all. It is for tests and simulations, run
// after each step; its cost grows with the contracts, so no block path calls
// it. A chain without contracts (engine nil) must count none.
func ContractCountInvariant(ctx context.Context, k Keeper, engine types.ContractSource) error {
	var held uint64
	if engine != nil {
		var err error
		if held, err = engine.CountContracts(ctx); err != nil {
			return fmt.Errorf("contract count invariant: counting the engine's contracts: %w", err)
		}
	}
	counter, err := k.ContractCount.Get(ctx)
	switch {
	case errorsmod.IsOf(err, collections.ErrNotFound) && engine != nil:
		return fmt.Errorf("contract count invariant: the reporter has no contract counter (genesis did not count the engine's contracts)")
	case err != nil && !errorsmod.IsOf(err, collections.ErrNotFound):
		return fmt.Errorf("contract count invariant: reading the reporter's counter: %w", err)
	}
	snap, err := k.TakeSnapshot(ctx)
	if err != nil {
		return fmt.Errorf("contract count invariant: taking a snapshot: %w", err)
	}
	if counter != held || snap.ContractCount != held {
		return fmt.Errorf("contract count invariant broken at height %d: the engine holds %d contracts, "+
			"the reporter's counter says %d and its snapshot %d", snap.Height, held, counter, snap.ContractCount)
	}
	return nil
}
