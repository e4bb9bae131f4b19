package keeper

import (
	"context"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// The store holds a report as a types.StoredReport: without what its key
// holds (chain id, sequence), without the new contracts its own contract
// changes hold (contract_changes.go), and without orgs and validators equal
// to those of the subchain's stored report before it, so a heartbeat stores
// only what moved. The lists a run of such reports shares are held by the run's first
// report (named in ListsHolders); the subchain's first stored report never
// holds them, FirstLists does, so pruning a report never rewrites the heartbeats
// after it, and the layout is a function of which reports are stored (a
// genesis import, which stores each report whole through the same write path,
// builds the same bytes). Everything that reads a report whole (queries,
// genesis export, evidence) goes through GetReport or a listsReader, which
// put back what was left out: the queries serve each report as it was received.

// compactReport is how the store holds r, whose own contract changes are own.
func compactReport(r types.Report, sharesLists bool, own ownChanges) types.StoredReport {
	snap := r.Snapshot
	if snap.ChainId == r.ChainId {
		snap.ChainId = "" // the key's; a snapshot's chain id is never empty
	}
	if sharesLists {
		snap.Orgs, snap.Validators = nil, nil
	}
	stored := types.StoredReport{Source: r.Source, Snapshot: snap, Changes: r.Changes, MainHeight: r.MainHeight,
		MainTime: r.MainTime, ProvenWrongBy: r.ProvenWrongBy, SharesLists: sharesLists}
	if len(own.contracts) > 0 {
		// Both sorted by address: keep the new contracts that are not its
		// changes' (shown again, known already).
		snap.NewContracts = nil
		for _, c := range r.Snapshot.NewContracts {
			if !slices.Contains(own.contracts, c) {
				snap.NewContracts = append(snap.NewContracts, c)
			}
		}
		stored.Snapshot = snap
		stored.FirstContractChange, stored.ContractChanges = own.first, uint32(len(own.contracts))
	}
	return stored
}

// reportHead is a stored report as a Report, without the orgs and validators
// it may not hold: enough for what reads neither (a dispute's filing, the
// upgrade halt, the height floor).
func reportHead(chainID string, seq uint64, s types.StoredReport) types.Report {
	snap := s.Snapshot
	if snap.ChainId == "" {
		snap.ChainId = chainID
	}
	return types.Report{ChainId: chainID, Sequence: seq, Source: s.Source, Snapshot: snap, Changes: s.Changes,
		MainHeight: s.MainHeight, MainTime: s.MainTime, ProvenWrongBy: s.ProvenWrongBy}
}

// sameLists tells whether two snapshots have the same orgs and validators.
func sameLists(a, b shared.StatusSnapshot) bool {
	return slices.Equal(a.Orgs, b.Orgs) && slices.Equal(a.Validators, b.Validators)
}

// storeReport is the one write path of a report's stored value (putReport
// adds its indexes; the migration rewrites the value alone). prev is the
// subchain's stored report before it, whole, or nil: then r is the first
// stored report of its subchain, and its lists go to FirstLists.
func (k Keeper) storeReport(ctx context.Context, r types.Report, prev *types.Report, own ownChanges) error {
	key := collections.Join(r.ChainId, r.Sequence)
	shares := true
	if prev == nil {
		if has, err := k.FirstLists.Has(ctx, r.ChainId); err != nil {
			return err
		} else if has {
			// Not its subchain's first: a genesis with a gap in a subchain's
			// reports. It holds its lists itself.
			shares = false
		} else if err := k.FirstLists.Set(ctx, r.ChainId, types.StoredLists{Orgs: r.Snapshot.Orgs, Validators: r.Snapshot.Validators}); err != nil {
			return err
		}
	} else {
		shares = sameLists(prev.Snapshot, r.Snapshot)
	}
	if !shares {
		if err := k.ListsHolders.Set(ctx, key); err != nil {
			return err
		}
	}
	return k.Reports.Set(ctx, key, compactReport(r, shares, own))
}

// releaseLists keeps the layout as report seq, its subchain's first stored
// report (stored as s), is pruned: the next report becomes the first; if it
// held its own lists, they move to FirstLists and it is stored without them.
// Pruning follows the prune queue, ordered by main time, so a subchain's
// reports go in order of sequence; its latest is never pruned, so the next
// one is stored.
func (k Keeper) releaseLists(ctx context.Context, chainID string, seq uint64, s types.StoredReport) error {
	if has, err := k.Reports.Has(ctx, collections.Join(chainID, seq-1)); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrInvalidRequest, "report %d of chain %s pruned before report %d", seq, chainID, seq-1)
	}
	if !s.SharesLists {
		// Held its own lists though first: stored so by a genesis with a gap.
		if err := k.ListsHolders.Remove(ctx, collections.Join(chainID, seq)); err != nil {
			return err
		}
	}
	next, err := k.Reports.Get(ctx, collections.Join(chainID, seq+1))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return k.FirstLists.Remove(ctx, chainID)
	} else if err != nil {
		return err
	}
	if next.SharesLists {
		if !s.SharesLists {
			// The gap's case again: what next shares was s's.
			return k.FirstLists.Set(ctx, chainID, types.StoredLists{Orgs: s.Snapshot.Orgs, Validators: s.Snapshot.Validators})
		}
		return nil // it shares the lists FirstLists holds
	}
	if err := k.FirstLists.Set(ctx, chainID, types.StoredLists{Orgs: next.Snapshot.Orgs, Validators: next.Snapshot.Validators}); err != nil {
		return err
	}
	if err := k.ListsHolders.Remove(ctx, collections.Join(chainID, seq+1)); err != nil {
		return err
	}
	next.SharesLists, next.Snapshot.Orgs, next.Snapshot.Validators = true, nil, nil // its other fields stay
	return k.Reports.Set(ctx, collections.Join(chainID, seq+1), next)
}

// listsReader puts stored reports back together: the lists they share
// (remembering the last holder it read, so a page of history reads each
// holder once) and their own changes' contracts.
type listsReader struct {
	k      Keeper
	chain  string
	holder uint64 // 0: FirstLists
	read   bool
	lists  types.StoredLists
}

// shared returns the lists report seq of a chain shares: those of the
// latest stored report before it that holds its own, or FirstLists.
func (r *listsReader) shared(ctx context.Context, chainID string, seq uint64) (types.StoredLists, error) {
	var holder uint64
	rng := collections.NewPrefixedPairRange[string, uint64](chainID).EndInclusive(seq).Descending()
	it, err := r.k.ListsHolders.Iterate(ctx, rng)
	if err != nil {
		return types.StoredLists{}, err
	}
	if it.Valid() {
		key, err := it.Key()
		if err != nil {
			it.Close()
			return types.StoredLists{}, err
		}
		holder = key.K2()
	}
	it.Close()
	if r.read && r.chain == chainID && r.holder == holder {
		return r.lists, nil
	}
	var lists types.StoredLists
	if holder == 0 {
		if lists, err = r.k.FirstLists.Get(ctx, chainID); err != nil {
			return lists, errorsmod.Wrapf(err, "first lists of chain %s", chainID)
		}
	} else {
		held, err := r.k.Reports.Get(ctx, collections.Join(chainID, holder))
		if err != nil {
			return lists, errorsmod.Wrapf(err, "lists of report %d of chain %s", holder, chainID)
		}
		lists = types.StoredLists{Orgs: held.Snapshot.Orgs, Validators: held.Snapshot.Validators}
	}
	r.read, r.chain, r.holder, r.lists = true, chainID, holder, lists
	return lists, nil
}

// expand puts back what the store left out of a report: its own changes'
// contracts among its new contracts, and the lists it shares.
func (r *listsReader) expand(ctx context.Context, chainID string, seq uint64, s types.StoredReport) (types.Report, error) {
	return r.expandSome(ctx, chainID, seq, s, true)
}

// expandSome is expand, leaving the new contracts as stored unless
// contracts is set.
func (r *listsReader) expandSome(ctx context.Context, chainID string, seq uint64, s types.StoredReport, contracts bool) (types.Report, error) {
	rep := reportHead(chainID, seq, s)
	if contracts && s.ContractChanges > 0 {
		kept := rep.Snapshot.NewContracts
		merged := make([]shared.Contract, 0, len(kept)+int(s.ContractChanges))
		for i := range uint64(s.ContractChanges) {
			c, err := r.k.ContractChanges.Get(ctx, collections.Join(chainID, s.FirstContractChange+i))
			if err != nil {
				return rep, errorsmod.Wrapf(err, "contract change %d of report %d of chain %s", s.FirstContractChange+i, seq, chainID)
			}
			for len(kept) > 0 && kept[0].Address < c.Contract.Address {
				merged, kept = append(merged, kept[0]), kept[1:]
			}
			merged = append(merged, c.Contract)
		}
		rep.Snapshot.NewContracts = append(merged, kept...)
	}
	if !s.SharesLists {
		return rep, nil
	}
	lists, err := r.shared(ctx, chainID, seq)
	if err != nil {
		return rep, err
	}
	rep.Snapshot.Orgs, rep.Snapshot.Validators = lists.Orgs, lists.Validators
	return rep, nil
}

// GetReport reads a report whole, as the queries serve it. A report not
// stored is an error of collections.ErrNotFound.
func (k Keeper) GetReport(ctx context.Context, chainID string, seq uint64) (types.Report, error) {
	s, err := k.Reports.Get(ctx, collections.Join(chainID, seq))
	if err != nil {
		return types.Report{}, err
	}
	return (&listsReader{k: k}).expand(ctx, chainID, seq, s)
}

// loadReport reads report seq of a chain whole but for the new contracts
// its own changes hold (what the next report is diffed against needs none,
// and a genesis import stores the changes after the reports); nil when it
// is not stored.
func (k Keeper) loadReport(ctx context.Context, chainID string, seq uint64) (*types.Report, error) {
	s, err := k.Reports.Get(ctx, collections.Join(chainID, seq))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	r, err := (&listsReader{k: k}).expandSome(ctx, chainID, seq, s, false)
	if err != nil {
		return nil, err
	}
	return &r, nil
}
