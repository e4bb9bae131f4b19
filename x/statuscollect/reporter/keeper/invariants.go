package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Invariants returns the sidecar's invariants; engine is the chain's contract
// engine (nil without one), for the contract count.
func (k Keeper) Invariants(engine types.ContractSource) []shared.Invariant {
	return []shared.Invariant{
		{Name: "contract-count-matches-engine", Check: func(ctx context.Context) error { return ContractCountInvariant(ctx, k, engine) }},
		{Name: "pending-contracts-within-cap", Check: k.pendingInvariant},
		{Name: "in-flight-report-on-bound-channel", Check: k.inFlightInvariant},
	}
}

// pendingInvariant: the pending contracts are as many as the link counts,
// and no more than one report can carry.
func (k Keeper) pendingInvariant(ctx context.Context) error {
	l, err := k.link(ctx)
	if err != nil {
		return err
	}
	n := uint64(0)
	if err := k.PendingContracts.Walk(ctx, nil, func(string, shared.Contract) (bool, error) { n++; return false, nil }); err != nil {
		return err
	}
	// The param caps new pending contracts; a lowered one leaves those
	// already pending, so the bound here is what one report can carry.
	if n != l.PendingContracts || n > shared.MaxNewContracts {
		return fmt.Errorf("%d contracts pending, the link counts %d, at most %d may be", n, l.PendingContracts, shared.MaxNewContracts)
	}
	return nil
}

// inFlightInvariant: at most one report is in flight, the last one sent, on
// the bound channel; acknowledged reports are never ahead of sent ones.
func (k Keeper) inFlightInvariant(ctx context.Context) error {
	l, err := k.link(ctx)
	if err != nil {
		return err
	}
	if l.LastAcked > l.LastSent {
		return fmt.Errorf("report %d acknowledged, only %d sent", l.LastAcked, l.LastSent)
	}
	if l.InFlight == nil {
		return nil
	}
	ch, err := k.channelID(ctx)
	if err != nil {
		return err
	}
	if l.InFlight.ChannelId != ch || l.InFlight.Sequence != l.LastSent {
		return fmt.Errorf("report %d in flight on %q, the last sent is %d and the bound channel %q", l.InFlight.Sequence, l.InFlight.ChannelId, l.LastSent, ch)
	}
	return nil
}

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
