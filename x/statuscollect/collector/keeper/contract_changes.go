package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// Contract changes come from reports only, by either door: every contract a
// report lists as new is one change, unless the main chain holds the same
// contract with the same code id and label already (the other door, or an
// earlier report, showed it). So `q contract-changes` lists what the sidecar
// reported over IBC and what the orgs reported by tx, once each, and each
// change can be disputed with the report it came from. Changes are written
// here only: recordContractChanges, putContractChange and removeContractChange
// keep the change, its prune queue entry and the by-address index together.

// recordContractChanges stores the changes a report shows. It is bounded by
// the snapshot's own limit on new contracts. The caller stores sub.
func (k Keeper) recordContractChanges(ctx context.Context, sub *types.Subchain, r types.Report) error {
	for _, c := range r.Snapshot.NewContracts {
		kind := types.CONTRACT_CHANGE_KIND_DEPLOYED
		seq, err := k.ContractIndex.Get(ctx, collections.Join(r.ChainId, c.Address))
		switch {
		case err == nil:
			prev, err := k.ContractChanges.Get(ctx, collections.Join(r.ChainId, seq))
			if err != nil {
				return errorsmod.Wrapf(err, "contract change %d of chain %s", seq, r.ChainId)
			}
			if prev.Contract == c {
				continue // already recorded, from the other door or an earlier report
			}
			kind = types.CONTRACT_CHANGE_KIND_MIGRATED
		case !errorsmod.IsOf(err, collections.ErrNotFound):
			return err
		}
		sub.LastContractChange++
		change := types.ContractChange{
			ChainId: r.ChainId, Sequence: sub.LastContractChange, Kind: kind, Contract: c,
			Height: r.Snapshot.Height, Source: r.Source, MainHeight: r.MainHeight, MainTime: r.MainTime,
			ReportSequence: r.Sequence,
		}
		if err := k.storeContractChange(ctx, change); err != nil {
			return err
		}
		// The subchain's change sequence only grows, so the new change is its
		// contract's latest: index it without reading the index again.
		if err := k.ContractIndex.Set(ctx, collections.Join(r.ChainId, c.Address), change.Sequence); err != nil {
			return err
		}
	}
	return nil
}

// storeContractChange stores a change and queues it for pruning; the caller
// indexes it.
func (k Keeper) storeContractChange(ctx context.Context, c types.ContractChange) error {
	if err := k.ContractChanges.Set(ctx, collections.Join(c.ChainId, c.Sequence), c); err != nil {
		return err
	}
	return k.ContractPruneQueue.Set(ctx, collections.Join3(c.MainTime.UnixNano(), c.ChainId, c.Sequence))
}

// putContractChange stores a change, queues it for pruning and indexes it
// as its contract's latest unless a later change is indexed (genesis may list
// changes in any order).
func (k Keeper) putContractChange(ctx context.Context, c types.ContractChange) error {
	if err := k.storeContractChange(ctx, c); err != nil {
		return err
	}
	idx := collections.Join(c.ChainId, c.Contract.Address)
	if latest, err := k.ContractIndex.Get(ctx, idx); err == nil && latest > c.Sequence {
		return nil
	} else if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	return k.ContractIndex.Set(ctx, idx, c.Sequence)
}

// removeContractChange prunes a change. The index keeps pointing at a later
// change of the same contract, if there is one.
func (k Keeper) removeContractChange(ctx context.Context, key collections.Triple[int64, string, uint64]) error {
	if err := k.ContractPruneQueue.Remove(ctx, key); err != nil {
		return err
	}
	chainID, seq := key.K2(), key.K3()
	c, err := k.ContractChanges.Get(ctx, collections.Join(chainID, seq))
	if err != nil {
		return errorsmod.Wrapf(err, "contract change %d of chain %s", seq, chainID)
	}
	idx := collections.Join(chainID, c.Contract.Address)
	if latest, err := k.ContractIndex.Get(ctx, idx); err == nil && latest == seq {
		if err := k.ContractIndex.Remove(ctx, idx); err != nil {
			return err
		}
	} else if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	return k.ContractChanges.Remove(ctx, collections.Join(chainID, seq))
}

// contractIndexInvariant: the index maps each contract with a stored change
// to its latest change, and nothing else.
func (k Keeper) contractIndexInvariant(ctx context.Context) error {
	latest := map[string]uint64{}
	if err := k.ContractChanges.Walk(ctx, nil, func(key collections.Pair[string, uint64], c types.ContractChange) (bool, error) {
		// Walked by sequence: the last one seen is a contract's latest.
		latest[key.K1()+"/"+c.Contract.Address] = key.K2()
		return false, nil
	}); err != nil {
		return err
	}
	n := 0
	if err := k.ContractIndex.Walk(ctx, nil, func(key collections.Pair[string, string], seq uint64) (bool, error) {
		n++
		if want := latest[key.K1()+"/"+key.K2()]; want != seq {
			return true, fmt.Errorf("index of contract %s on chain %s points at change %d, its latest stored is %d", key.K2(), key.K1(), seq, want)
		}
		return false, nil
	}); err != nil {
		return err
	}
	if n != len(latest) {
		return fmt.Errorf("index holds %d contracts, the changes name %d", n, len(latest))
	}
	return nil
}
