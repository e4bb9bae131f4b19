package keeper

import (
	"context"
	"fmt"
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
// builds the same bytes). A report whose lists differ from those of the
// report before it in validators' powers alone holds the powers alone: its
// orgs and its validators' addresses and monikers are those of the latest
// report that holds them whole (named in SetHolders), or FirstLists. Everything that reads a report whole (queries,
// genesis export, evidence) goes through GetReport or a listsReader, which
// put back what was left out: the queries serve each report as it was received.

// listsForm is how a stored report holds its orgs and validators.
type listsForm int

const (
	// sharesLists: they equal those of the stored report before it (or it is
	// its subchain's first, and FirstLists holds them): it holds none.
	sharesLists listsForm = iota
	// holdsPowers: they differ from those of the report before it in
	// validators' powers alone: it holds the powers (named in ListsHolders).
	holdsPowers
	// holdsLists: it holds them whole (named in ListsHolders and SetHolders).
	holdsLists
)

// formAfter is how a report with lists next is stored after one with lists
// prev.
func formAfter(prev, next types.StoredLists) listsForm {
	switch {
	case sameLists(prev, next):
		return sharesLists
	case sameSet(prev, next):
		return holdsPowers
	default:
		return holdsLists
	}
}

// formOf is how s holds its lists.
func formOf(s types.StoredReport) listsForm {
	switch {
	case s.SharesLists:
		return sharesLists
	case len(s.Powers) > 0:
		return holdsPowers
	default:
		return holdsLists
	}
}

// withForm is s holding lists (its own) as form says.
func withForm(s types.StoredReport, form listsForm, lists types.StoredLists) types.StoredReport {
	s.SharesLists, s.Powers = form == sharesLists, nil
	s.Snapshot.Orgs, s.Snapshot.Validators = nil, nil
	switch form {
	case holdsPowers:
		s.Powers = make([]int64, len(lists.Validators))
		for i, v := range lists.Validators {
			s.Powers[i] = v.Power
		}
	case holdsLists:
		s.Snapshot.Orgs, s.Snapshot.Validators = lists.Orgs, lists.Validators
	}
	return s
}

// compactReport is how the store holds r, whose own contract changes are
// own, its lists held as form says.
func compactReport(r types.Report, form listsForm, own ownChanges) types.StoredReport {
	snap := r.Snapshot
	if snap.ChainId == r.ChainId {
		snap.ChainId = "" // the key's; a snapshot's chain id is never empty
	}
	stored := types.StoredReport{Source: r.Source, Snapshot: snap, Changes: r.Changes, MainHeight: r.MainHeight,
		MainTime: r.MainTime, ProvenWrongBy: r.ProvenWrongBy}
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
	return withForm(stored, form, listsOf(r.Snapshot))
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

// listsOf is what a snapshot holds that a report may share.
func listsOf(s shared.StatusSnapshot) types.StoredLists {
	return types.StoredLists{Orgs: s.Orgs, Validators: s.Validators}
}

// sameLists tells whether two reports have the same orgs and validators.
func sameLists(a, b types.StoredLists) bool {
	return slices.Equal(a.Orgs, b.Orgs) && slices.Equal(a.Validators, b.Validators)
}

// sameSet tells whether two reports have the same orgs and validators but
// for the validators' powers.
func sameSet(a, b types.StoredLists) bool {
	return slices.Equal(a.Orgs, b.Orgs) && slices.EqualFunc(a.Validators, b.Validators, func(x, y shared.Validator) bool {
		x.Power = y.Power
		return x == y
	})
}

// setHolderEntries moves the entries naming report key from what form from
// needs to what form to needs.
func (k Keeper) setHolderEntries(ctx context.Context, key collections.Pair[string, uint64], from, to listsForm) error {
	if (from == sharesLists) != (to == sharesLists) {
		var err error
		if to == sharesLists {
			err = k.ListsHolders.Remove(ctx, key)
		} else {
			err = k.ListsHolders.Set(ctx, key)
		}
		if err != nil {
			return err
		}
	}
	if (from == holdsLists) != (to == holdsLists) {
		if to == holdsLists {
			return k.SetHolders.Set(ctx, key)
		}
		return k.SetHolders.Remove(ctx, key)
	}
	return nil
}

// storeReport is the one write path of a report's stored value (putReport
// adds its indexes; the migration rewrites the value alone). prev is the
// subchain's stored report before it, whole, or nil: then r is the first
// stored report of its subchain, and its lists go to FirstLists.
func (k Keeper) storeReport(ctx context.Context, r types.Report, prev *types.Report, own ownChanges) error {
	key := collections.Join(r.ChainId, r.Sequence)
	form := sharesLists
	if prev == nil {
		if has, err := k.FirstLists.Has(ctx, r.ChainId); err != nil {
			return err
		} else if has {
			return errorsmod.Wrapf(types.ErrInvalidRequest, "report %d of chain %s stored as its first, yet the chain has stored reports", r.Sequence, r.ChainId)
		}
		if err := k.FirstLists.Set(ctx, r.ChainId, listsOf(r.Snapshot)); err != nil {
			return err
		}
	} else {
		form = formAfter(listsOf(prev.Snapshot), listsOf(r.Snapshot))
	}
	if err := k.setHolderEntries(ctx, key, sharesLists, form); err != nil {
		return err
	}
	return k.Reports.Set(ctx, key, compactReport(r, form, own))
}

// neighbour is the stored report of a chain nearest to seq, before it or
// after it; found is false when there is none.
func (k Keeper) neighbour(ctx context.Context, chainID string, seq uint64, after bool) (nseq uint64, s types.StoredReport, found bool, err error) {
	rng := collections.NewPrefixedPairRange[string, uint64](chainID)
	if after {
		rng = rng.StartExclusive(seq)
	} else {
		rng = rng.EndExclusive(seq).Descending()
	}
	it, err := k.Reports.Iterate(ctx, rng)
	if err != nil {
		return 0, s, false, err
	}
	defer it.Close()
	if !it.Valid() {
		return 0, s, false, nil
	}
	kv, err := it.KeyValue()
	if err != nil {
		return 0, s, false, err
	}
	return kv.Key.K2(), kv.Value, true, nil
}

// releaseLists keeps the layout as report seq (stored as s) is deleted, in
// whatever order reports go: the report after it is then compared with the
// report before it (or becomes its subchain's first, its lists in
// FirstLists), exactly as storeReport would have stored it there. So the
// layout stays a function of which reports are stored, and one prune that
// failed or went out of order leaves no later prune to fail.
func (k Keeper) releaseLists(ctx context.Context, chainID string, seq uint64, s types.StoredReport) error {
	prevSeq, prevStored, hasPrev, err := k.neighbour(ctx, chainID, seq, false)
	if err != nil {
		return err
	}
	nextSeq, next, hasNext, err := k.neighbour(ctx, chainID, seq, true)
	if err != nil {
		return err
	}
	if !hasPrev && hasNext && s.SharesLists && next.SharesLists {
		return nil // the usual prune, in queue order: the next one shares FirstLists as it did
	}
	// Read what the neighbours hold or share while s still holds its part.
	reader := &listsReader{k: k}
	var nextLists, prevLists types.StoredLists
	if hasNext {
		if nextLists, err = reader.held(ctx, chainID, nextSeq, next); err != nil {
			return err
		}
	}
	if hasPrev {
		if prevLists, err = reader.held(ctx, chainID, prevSeq, prevStored); err != nil {
			return err
		}
	}
	if err := k.setHolderEntries(ctx, collections.Join(chainID, seq), formOf(s), sharesLists); err != nil {
		return err
	}
	if !hasNext {
		if hasPrev {
			return nil
		}
		return k.FirstLists.Remove(ctx, chainID) // its last stored report
	}
	form := sharesLists
	if !hasPrev {
		if err := k.FirstLists.Set(ctx, chainID, nextLists); err != nil {
			return err
		}
	} else {
		form = formAfter(prevLists, nextLists)
	}
	was := formOf(next)
	if form == was {
		return nil
	}
	nextKey := collections.Join(chainID, nextSeq)
	if err := k.setHolderEntries(ctx, nextKey, was, form); err != nil {
		return err
	}
	return k.Reports.Set(ctx, nextKey, withForm(next, form, nextLists)) // its other fields stay
}

// listsReader puts stored reports back together: the lists they share or
// hold as powers (remembering the last holder of each kind it read, so a
// page of history reads each holder once) and their own changes' contracts.
type listsReader struct {
	k Keeper
	// holder: the last lists a sharing report took from a ListsHolders
	// entry; set: the last a report holding powers took from a SetHolders
	// entry. Report 0 stands for FirstLists.
	holder, set readLists
}

type readLists struct {
	read  bool
	chain string
	seq   uint64
	lists types.StoredLists
}

// latestIn is the latest report of a chain at or before seq that holders
// names, or 0.
func latestIn(ctx context.Context, holders collections.KeySet[collections.Pair[string, uint64]], chainID string, seq uint64) (uint64, error) {
	rng := collections.NewPrefixedPairRange[string, uint64](chainID).EndInclusive(seq).Descending()
	it, err := holders.Iterate(ctx, rng)
	if err != nil {
		return 0, err
	}
	defer it.Close()
	if !it.Valid() {
		return 0, nil
	}
	key, err := it.Key()
	if err != nil {
		return 0, err
	}
	return key.K2(), nil
}

// shared returns the lists report seq of a chain shares: those of the
// latest stored report before it that holds its own, or FirstLists.
func (r *listsReader) shared(ctx context.Context, chainID string, seq uint64) (types.StoredLists, error) {
	return r.fromHolder(ctx, r.k.ListsHolders, &r.holder, chainID, seq, "lists",
		func(holder uint64, held types.StoredReport) (types.StoredLists, error) {
			if formOf(held) == sharesLists {
				return types.StoredLists{}, fmt.Errorf("report %d of chain %s is named a lists holder, yet holds none", holder, chainID)
			}
			return r.held(ctx, chainID, holder, held)
		})
}

// setOf returns the orgs and validators, whatever their powers, of report
// seq of a chain, which holds its powers alone: those of the latest stored
// report before it that holds them whole, or FirstLists.
func (r *listsReader) setOf(ctx context.Context, chainID string, seq uint64) (types.StoredLists, error) {
	return r.fromHolder(ctx, r.k.SetHolders, &r.set, chainID, seq, "validator set",
		func(holder uint64, held types.StoredReport) (types.StoredLists, error) {
			if formOf(held) != holdsLists {
				return types.StoredLists{}, fmt.Errorf("report %d of chain %s is named a set holder, yet does not hold its lists whole", holder, chainID)
			}
			return listsOf(held.Snapshot), nil
		})
}

// fromHolder returns the lists of the latest report of a chain at or before
// seq that holders names, as resolve reads them from its stored value, or
// FirstLists when there is none; cache remembers the last it read.
func (r *listsReader) fromHolder(ctx context.Context, holders collections.KeySet[collections.Pair[string, uint64]], cache *readLists,
	chainID string, seq uint64, what string, resolve func(holder uint64, held types.StoredReport) (types.StoredLists, error),
) (types.StoredLists, error) {
	holder, err := latestIn(ctx, holders, chainID, seq)
	if err != nil {
		return types.StoredLists{}, err
	}
	if cache.read && cache.chain == chainID && cache.seq == holder {
		return cache.lists, nil
	}
	var lists types.StoredLists
	if holder == 0 {
		if lists, err = r.k.FirstLists.Get(ctx, chainID); err != nil {
			return lists, errorsmod.Wrapf(err, "first lists of chain %s", chainID)
		}
	} else {
		held, err := r.k.Reports.Get(ctx, collections.Join(chainID, holder))
		if err != nil {
			return lists, errorsmod.Wrapf(err, "%s of report %d of chain %s", what, holder, chainID)
		}
		if lists, err = resolve(holder, held); err != nil {
			return lists, err
		}
	}
	*cache = readLists{read: true, chain: chainID, seq: holder, lists: lists}
	return lists, nil
}

// held is the orgs and validators of report seq, stored as s: its own, its
// set's with its powers, or those it shares.
func (r *listsReader) held(ctx context.Context, chainID string, seq uint64, s types.StoredReport) (types.StoredLists, error) {
	switch formOf(s) {
	case holdsLists:
		return listsOf(s.Snapshot), nil
	case holdsPowers:
		set, err := r.setOf(ctx, chainID, seq)
		if err != nil {
			return set, err
		}
		if len(set.Validators) != len(s.Powers) {
			return set, fmt.Errorf("report %d of chain %s holds %d powers for %d validators", seq, chainID, len(s.Powers), len(set.Validators))
		}
		vals := slices.Clone(set.Validators) // the set is the reader's, shared
		for i := range vals {
			vals[i].Power = s.Powers[i]
		}
		return types.StoredLists{Orgs: set.Orgs, Validators: vals}, nil
	default:
		return r.shared(ctx, chainID, seq)
	}
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
	if formOf(s) == holdsLists {
		return rep, nil
	}
	lists, err := r.held(ctx, chainID, seq, s)
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
