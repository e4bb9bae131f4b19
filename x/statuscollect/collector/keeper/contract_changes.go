package keeper

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Contract changes come from reports only, by either door: every contract a
// report lists as new is one change, unless the main chain holds the same
// contract with the same code id and label already (the other door, or an
// earlier report, showed it). So `q contract-changes` lists what the sidecar
// reported over IBC and what the orgs reported by tx, once each, and each
// change can be disputed with the report it came from. Changes are written
// here only: recordContractChanges, putContractChange and removeContractChange
// (each value through storeContractChange)
// keep the change, its prune queue entry and the index by contract together.
// A change stored with its report (covered) holds only what the report does
// not, and is pruned with it (pruneReport).

// recordContractChanges stores the changes a report shows, numbered in a
// row from sub.LastContractChange+1, and returns them: the report records
// that range (its first_contract_change), holds their contracts through them
// and takes them with it when pruned. It is bounded by the snapshot's own
// limit on new contracts. The caller stores sub and the report.
func (k Keeper) recordContractChanges(ctx context.Context, sub *types.Subchain, r types.Report) (ownChanges, error) {
	own := ownChanges{first: sub.LastContractChange + 1}
	for _, c := range r.Snapshot.NewContracts {
		kind := types.CONTRACT_CHANGE_KIND_DEPLOYED
		idx := ContractKey(r.ChainId, c.Address)
		seq, err := k.ContractIndex.Get(ctx, idx)
		switch {
		case err == nil:
			prev, err := k.ContractChanges.Get(ctx, collections.Join(r.ChainId, seq))
			if err != nil {
				return own, errorsmod.Wrapf(err, "contract change %d of chain %s", seq, r.ChainId)
			}
			if prev.Contract == c {
				continue // already recorded, from the other door or an earlier report
			}
			if prev.Contract.Address == c.Address {
				kind = types.CONTRACT_CHANGE_KIND_MIGRATED
			} // else another address of the same key: c is new, and takes the key
		case !errorsmod.IsOf(err, collections.ErrNotFound):
			return own, err
		}
		sub.LastContractChange++
		own.contracts = append(own.contracts, c)
		change := types.ContractChange{ChainId: r.ChainId, Sequence: sub.LastContractChange, Kind: kind, Contract: c, ReportSequence: r.Sequence}
		if err := k.storeContractChange(ctx, change, true); err != nil {
			return own, err
		}
		// The subchain's change sequence only grows, so the new change is its
		// contract's latest: index it without reading the index again.
		if err := k.ContractIndex.Set(ctx, idx, change.Sequence); err != nil {
			return own, err
		}
	}
	return own, nil
}

// contractKeyLen is how many bytes of its address's SHA-256 are a
// contract's key in ContractIndex: 20, as many as an account address has,
// where a CosmWasm contract's 63-character address took 63. Two addresses
// of one key (about 2^80 tries to find) are told apart by the change the key
// names, which holds the address: the later takes the key, and the earlier,
// shown again, is recorded again as deployed. Nothing is mixed up.
const contractKeyLen = 20

// ContractKey is a contract's key in ContractIndex.
func ContractKey(chainID, address string) collections.Pair[string, []byte] {
	sum := sha256.Sum256([]byte(address))
	return collections.Join(chainID, sum[:contractKeyLen])
}

// ownChanges are a report's own contract changes: sequences first ..
// first+len(contracts)-1, of those contracts.
type ownChanges struct {
	first     uint64
	contracts []shared.Contract
}

// ownChangesOf picks a report's own changes among those naming it (of a
// genesis or of version 2's store, in order of sequence): all of them when
// they are numbered in a row and each is one of its new contracts, as a
// report records them; else none, and they are stored on their own.
func ownChangesOf(r types.Report, named []types.ContractChange) ownChanges {
	if len(named) == 0 {
		return ownChanges{}
	}
	own := ownChanges{first: named[0].Sequence}
	for i, c := range named {
		if c.Sequence != own.first+uint64(i) || !slices.Contains(r.Snapshot.NewContracts, c.Contract) {
			return ownChanges{}
		}
		own.contracts = append(own.contracts, c.Contract)
	}
	return own
}

// storeContractChange is the one write path of a change's value. covered:
// its report is stored and records it (first_contract_change), so it holds
// only what its report does not, and goes with the report. Otherwise it
// holds all and is queued for pruning. The caller indexes it.
func (k Keeper) storeContractChange(ctx context.Context, c types.ContractChange, covered bool) error {
	stored := types.StoredContractChange{Kind: c.Kind, Contract: c.Contract, ReportSequence: c.ReportSequence}
	if !covered {
		source, mainTime := c.Source, c.MainTime
		stored.Height, stored.Source, stored.MainHeight, stored.MainTime = c.Height, &source, c.MainHeight, &mainTime
	}
	if err := k.ContractChanges.Set(ctx, collections.Join(c.ChainId, c.Sequence), stored); err != nil {
		return err
	}
	if covered {
		return nil
	}
	return k.ContractPruneQueue.Set(ctx, collections.Join3(c.MainTime.UnixNano(), c.ChainId, c.Sequence))
}

// putContractChange stores a change of a genesis, covered when its report
// (imported first) records it, and indexes it as its contract's latest
// unless a later change is indexed (genesis may list changes in any order).
func (k Keeper) putContractChange(ctx context.Context, c types.ContractChange) error {
	covered, err := k.coveredByReport(ctx, c.ChainId, c.Sequence, c.ReportSequence)
	if err != nil {
		return err
	}
	if err := k.storeContractChange(ctx, c, covered); err != nil {
		return err
	}
	idx := ContractKey(c.ChainId, c.Contract.Address)
	if latest, err := k.ContractIndex.Get(ctx, idx); err == nil && latest > c.Sequence {
		return nil
	} else if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	return k.ContractIndex.Set(ctx, idx, c.Sequence)
}

// coveredByReport tells whether change seq of a chain is one of the own
// changes that its report, reportSeq, records.
func (k Keeper) coveredByReport(ctx context.Context, chainID string, seq, reportSeq uint64) (bool, error) {
	if reportSeq == 0 {
		return false, nil
	}
	r, err := k.Reports.Get(ctx, collections.Join(chainID, reportSeq))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return r.ContractChanges > 0 && seq >= r.FirstContractChange && seq-r.FirstContractChange < uint64(r.ContractChanges), nil
}

// pruneContractChange prunes a change queued on its own (not covered by a
// report).
func (k Keeper) pruneContractChange(ctx context.Context, key collections.Triple[int64, string, uint64]) error {
	if err := k.ContractPruneQueue.Remove(ctx, key); err != nil {
		return err
	}
	return k.removeContractChange(ctx, key.K2(), key.K3())
}

// removeContractChange deletes a change. The index keeps pointing at a later
// change of the same contract, if there is one.
func (k Keeper) removeContractChange(ctx context.Context, chainID string, seq uint64) error {
	c, err := k.ContractChanges.Get(ctx, collections.Join(chainID, seq))
	if err != nil {
		return errorsmod.Wrapf(err, "contract change %d of chain %s", seq, chainID)
	}
	idx := ContractKey(chainID, c.Contract.Address)
	if latest, err := k.ContractIndex.Get(ctx, idx); err == nil && latest == seq {
		if err := k.ContractIndex.Remove(ctx, idx); err != nil {
			return err
		}
	} else if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	return k.ContractChanges.Remove(ctx, collections.Join(chainID, seq))
}

// expandChange puts back what the store left out of a change covered by its
// report, read through reports (which remembers the last one).
func expandChange(ctx context.Context, reports *reportCache, chainID string, seq uint64, s types.StoredContractChange) (types.ContractChange, error) {
	c := types.ContractChange{ChainId: chainID, Sequence: seq, Kind: s.Kind, Contract: s.Contract, ReportSequence: s.ReportSequence}
	if s.MainTime != nil {
		c.Height, c.MainHeight, c.MainTime = s.Height, s.MainHeight, *s.MainTime
		if s.Source != nil {
			c.Source = *s.Source
		}
		return c, nil
	}
	r, err := reports.get(ctx, chainID, s.ReportSequence)
	if err != nil {
		return c, errorsmod.Wrapf(err, "report %d of contract change %d of chain %s", s.ReportSequence, seq, chainID)
	}
	c.Height, c.Source, c.MainHeight, c.MainTime = r.Snapshot.Height, r.Source, r.MainHeight, r.MainTime
	return c, nil
}

// reportCache reads stored reports, remembering the last one read.
type reportCache struct {
	k     Keeper
	chain string
	seq   uint64
	r     *types.StoredReport
}

func (c *reportCache) get(ctx context.Context, chainID string, seq uint64) (types.StoredReport, error) {
	if c.r != nil && c.chain == chainID && c.seq == seq {
		return *c.r, nil
	}
	r, err := c.k.Reports.Get(ctx, collections.Join(chainID, seq))
	if err != nil {
		return r, err
	}
	c.chain, c.seq, c.r = chainID, seq, &r
	return r, nil
}

// contractIndexInvariant: the index maps each contract with a stored change
// to its latest change, and nothing else.
func (k Keeper) contractIndexInvariant(ctx context.Context) error {
	latest := map[string]uint64{}
	if err := k.ContractChanges.Walk(ctx, nil, func(key collections.Pair[string, uint64], c types.StoredContractChange) (bool, error) {
		// Walked by sequence: the last one seen is a contract's latest.
		latest[key.K1()+"/"+string(ContractKey(key.K1(), c.Contract.Address).K2())] = key.K2()
		return false, nil
	}); err != nil {
		return err
	}
	n := 0
	if err := k.ContractIndex.Walk(ctx, nil, func(key collections.Pair[string, []byte], seq uint64) (bool, error) {
		n++
		if want := latest[key.K1()+"/"+string(key.K2())]; want != seq {
			return true, fmt.Errorf("index of contract key %x on chain %s points at change %d, its latest stored is %d", key.K2(), key.K1(), seq, want)
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

// contractCoverageInvariant: each report's own changes are stored, name it
// and hold only what it does not; every other change holds all and is queued
// for pruning on its own, and the queue holds nothing else.
func (k Keeper) contractCoverageInvariant(ctx context.Context) error {
	if err := k.Reports.Walk(ctx, nil, func(key collections.Pair[string, uint64], r types.StoredReport) (bool, error) {
		for i := range uint64(r.ContractChanges) {
			c, err := k.ContractChanges.Get(ctx, collections.Join(key.K1(), r.FirstContractChange+i))
			if err != nil {
				return true, fmt.Errorf("report %s/%d records contract change %d: %w", key.K1(), key.K2(), r.FirstContractChange+i, err)
			}
			if c.ReportSequence != key.K2() || c.MainTime != nil {
				return true, fmt.Errorf("contract change %s/%d of report %d names report %d, whole: %t", key.K1(), r.FirstContractChange+i, key.K2(), c.ReportSequence, c.MainTime != nil)
			}
		}
		return false, nil
	}); err != nil {
		return err
	}
	queued := 0
	if err := k.ContractChanges.Walk(ctx, nil, func(key collections.Pair[string, uint64], c types.StoredContractChange) (bool, error) {
		covered, err := k.coveredByReport(ctx, key.K1(), key.K2(), c.ReportSequence)
		if err != nil {
			return true, err
		}
		if covered {
			return false, nil
		}
		if c.MainTime == nil {
			return true, fmt.Errorf("contract change %s/%d is stored without its report's fields, which does not record it", key.K1(), key.K2())
		}
		queued++
		if has, err := k.ContractPruneQueue.Has(ctx, collections.Join3(c.MainTime.UnixNano(), key.K1(), key.K2())); err != nil || !has {
			return true, fmt.Errorf("contract change %s/%d is not queued for pruning (%v)", key.K1(), key.K2(), err)
		}
		return false, nil
	}); err != nil {
		return err
	}
	if n, err := countSet(ctx, k.ContractPruneQueue); err != nil || n != queued {
		return fmt.Errorf("contract prune queue holds %d entries, %d changes are pruned on their own (%v)", n, queued, err)
	}
	return nil
}
