package keeper

import (
	"bytes"
	"context"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Invariants returns the collector's invariants. escrow, when not nil, is the
// module account's balance, which must equal the deposits of the open
// disputes.
func (k Keeper) Invariants(escrow func(ctx context.Context) sdk.Coins) []shared.Invariant {
	invs := []shared.Invariant{
		{Name: "reporter-index-matches-memberships", Check: k.reporterIndexInvariant},
		{Name: "latest-report-is-highest-sequence", Check: k.latestReportInvariant},
		{Name: "records-name-registered-subchains-and-orgs", Check: k.referencesInvariant},
		{Name: "liveness-queue-holds-live-subchains", Check: k.livenessQueueInvariant},
		{Name: "dispute-indexes-match-disputes", Check: k.disputeIndexesInvariant},
		{Name: "report-indexes-match-reports", Check: k.reportIndexesInvariant},
		{Name: "client-and-channel-indexes-match-subchains", Check: k.bindingIndexesInvariant},
		{Name: "contract-index-points-at-latest-change", Check: k.contractIndexInvariant},
		{Name: "shared-lists-are-held", Check: k.sharedListsInvariant},
		{Name: "contract-changes-go-with-their-report", Check: k.contractCoverageInvariant},
	}
	if escrow != nil {
		invs = append(invs, shared.Invariant{Name: "escrow-equals-open-deposits", Check: func(ctx context.Context) error {
			return k.escrowInvariant(ctx, escrow(ctx))
		}})
	}
	return invs
}

// reporterIndexInvariant: the index lists exactly the accounts the
// memberships list, each with its membership's org and suspension.
func (k Keeper) reporterIndexInvariant(ctx context.Context) error {
	// Keyed by "chain/account": collections pairs hold pointers, so they
	// cannot be map keys.
	want := map[string]types.ReporterEntry{}
	err := k.Memberships.Walk(ctx, nil, func(_ collections.Pair[string, string], m types.Membership) (bool, error) {
		for _, r := range m.Reporters {
			key := m.ChainId + "/" + r
			if other, dup := want[key]; dup {
				return true, fmt.Errorf("%s is listed by orgs %s and %s on chain %s", r, other.OrgId, m.OrgId, m.ChainId)
			}
			want[key] = types.ReporterEntry{OrgId: m.OrgId, Suspended: m.Suspended}
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	n := 0
	err = k.Reporters.Walk(ctx, nil, func(key collections.Pair[string, string], e types.ReporterEntry) (bool, error) {
		n++
		if w, ok := want[key.K1()+"/"+key.K2()]; !ok || w != e {
			return true, fmt.Errorf("index entry %s/%s = %+v, memberships say %+v (listed: %t)", key.K1(), key.K2(), e, w, ok)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	if n != len(want) {
		return fmt.Errorf("the index holds %d accounts, the memberships list %d", n, len(want))
	}
	return nil
}

// latestReportInvariant: each subchain's record is whole, in both parts
// (subchains.go); its latest report is stored, no report has a higher
// sequence, and the record keeps that report's figures and time (a report
// naming its lists by hash is recorded from them).
func (k Keeper) latestReportInvariant(ctx context.Context) error {
	if err := k.Subchains.Info.Walk(ctx, nil, func(id string, _ types.Subchain) (bool, error) {
		has, err := k.Subchains.Status.Has(ctx, id)
		if err == nil && !has {
			err = fmt.Errorf("chain %s has info and no status", id)
		}
		return err != nil, err
	}); err != nil {
		return err
	}
	return k.Subchains.Walk(ctx, nil, func(id string, s types.Subchain) (bool, error) {
		rng := collections.NewPrefixedPairRange[string, uint64](id).Descending()
		it, err := k.Reports.Iterate(ctx, rng)
		if err != nil {
			return true, err
		}
		defer it.Close()
		var highest uint64
		if it.Valid() {
			key, err := it.Key()
			if err != nil {
				return true, err
			}
			highest = key.K2()
		}
		if highest != s.LastSequence {
			return true, fmt.Errorf("chain %s: latest report %d, highest stored %d", id, s.LastSequence, highest)
		}
		var want types.LatestFigures
		if s.LastSequence > 0 {
			r, err := k.GetReport(ctx, id, s.LastSequence)
			if err != nil {
				return true, err
			}
			if !r.MainTime.Equal(s.LastReportTime) {
				return true, fmt.Errorf("chain %s: last report time %s, its latest report's %s", id, s.LastReportTime, r.MainTime)
			}
			want = figuresOf(r.Snapshot)
		}
		if !bytes.Equal(s.Latest.ListsHash, want.ListsHash) || s.Latest.OrgCount != want.OrgCount ||
			s.Latest.NodeCount != want.NodeCount || s.Latest.ContractCount != want.ContractCount {
			return true, fmt.Errorf("chain %s: the record keeps %v of its latest report %d, which shows %v", id, s.Latest, s.LastSequence, want)
		}
		return false, nil
	})
}

// referencesInvariant: every report, contract change, membership and dispute
// names a registered subchain, and every org it names is registered.
func (k Keeper) referencesInvariant(ctx context.Context) error {
	sub := func(what, id string) error {
		if has, err := k.Subchains.Has(ctx, id); err != nil || !has {
			return fmt.Errorf("%s names unregistered subchain %q (%v)", what, id, err)
		}
		return nil
	}
	org := func(what, id string) error {
		if has, err := k.Orgs.Has(ctx, id); err != nil || !has {
			return fmt.Errorf("%s names unregistered org %q (%v)", what, id, err)
		}
		return nil
	}
	if err := k.Reports.Walk(ctx, nil, func(key collections.Pair[string, uint64], r types.StoredReport) (bool, error) {
		if err := sub(fmt.Sprintf("report %s/%d", key.K1(), key.K2()), key.K1()); err != nil {
			return true, err
		}
		if r.Source.OrgId != "" {
			return false, org(fmt.Sprintf("report %s/%d", key.K1(), key.K2()), r.Source.OrgId)
		}
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.ContractChanges.Walk(ctx, nil, func(key collections.Pair[string, uint64], _ types.StoredContractChange) (bool, error) {
		return false, sub(fmt.Sprintf("contract change %s/%d", key.K1(), key.K2()), key.K1())
	}); err != nil {
		return err
	}
	if err := k.Memberships.Walk(ctx, nil, func(_ collections.Pair[string, string], m types.Membership) (bool, error) {
		what := "membership " + m.ChainId + "/" + m.OrgId
		if err := sub(what, m.ChainId); err != nil {
			return true, err
		}
		return false, org(what, m.OrgId)
	}); err != nil {
		return err
	}
	return k.Disputes.Walk(ctx, nil, func(id uint64, d types.Dispute) (bool, error) {
		what := fmt.Sprintf("dispute %d", id)
		if err := sub(what, d.ChainId); err != nil {
			return true, err
		}
		if d.FilerOrg == "" && d.Status == types.DISPUTE_STATUS_OPEN {
			return true, fmt.Errorf("open %s has no filing org", what)
		}
		if d.FilerOrg != "" {
			return false, org(what, d.FilerOrg)
		}
		return false, nil
	})
}

// livenessQueueInvariant: the queue holds exactly one entry per subchain
// awaiting a report (awaiting its first, active, or halted for an upgrade),
// at its deadline, and none for stale or retired ones.
func (k Keeper) livenessQueueInvariant(ctx context.Context) error {
	want := map[string]bool{}
	if err := k.Subchains.Walk(ctx, nil, func(_ string, s types.Subchain) (bool, error) {
		switch s.Liveness {
		case types.LIVENESS_AWAITING_FIRST_REPORT, types.LIVENESS_ACTIVE, types.LIVENESS_HALTED_FOR_UPGRADE:
			want[fmt.Sprint(s.NextReportDue.UnixNano(), "/", s.ChainId)] = true
		}
		return false, nil
	}); err != nil {
		return err
	}
	n := 0
	if err := k.LivenessQueue.Walk(ctx, nil, func(key collections.Pair[int64, string]) (bool, error) {
		n++
		if !want[fmt.Sprint(key.K1(), "/", key.K2())] {
			return true, fmt.Errorf("liveness queue entry for %s at %d matches no live subchain's deadline", key.K2(), key.K1())
		}
		return false, nil
	}); err != nil {
		return err
	}
	if n != len(want) {
		return fmt.Errorf("liveness queue holds %d entries for %d live subchains", n, len(want))
	}
	return nil
}

// disputeIndexesInvariant: each dispute is in the by-chain and by-status
// indexes and the queue exactly once, and each org's count of open disputes
// is right.
func (k Keeper) disputeIndexesInvariant(ctx context.Context) error {
	n := 0
	open := map[string]uint32{}
	err := k.Disputes.Walk(ctx, nil, func(id uint64, d types.Dispute) (bool, error) {
		n++
		if d.Status == types.DISPUTE_STATUS_OPEN {
			open[d.FilerOrg]++
		}
		for name, has := range map[string]func() (bool, error){
			"by-chain":  func() (bool, error) { return k.DisputesByChain.Has(ctx, collections.Join(d.ChainId, id)) },
			"by-status": func() (bool, error) { return k.DisputesByStatus.Has(ctx, statusKey(d)) },
			"queue": func() (bool, error) {
				queue, key := k.disputeQueue(d)
				return queue.Has(ctx, key)
			},
		} {
			if ok, err := has(); err != nil || !ok {
				return true, fmt.Errorf("dispute %d (%s) missing from the %s index (%v)", id, d.Status, name, err)
			}
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	for name, count := range map[string]func() (int, error){
		"by-chain":  func() (int, error) { return countSet(ctx, k.DisputesByChain) },
		"by-status": func() (int, error) { return countSet(ctx, k.DisputesByStatus) },
		"queue": func() (int, error) {
			open, err := countSet(ctx, k.DisputeQueue)
			if err != nil {
				return 0, err
			}
			closed, err := countSet(ctx, k.DisputePruneQueue)
			return open + closed, err
		},
	} {
		c, err := count()
		if err != nil {
			return err
		}
		if c != n {
			return fmt.Errorf("the %s index holds %d entries for %d disputes", name, c, n)
		}
	}
	stored := map[string]uint32{}
	if err := k.OpenDisputes.Walk(ctx, nil, func(org string, c uint32) (bool, error) {
		stored[org] = c
		return false, nil
	}); err != nil {
		return err
	}
	if fmt.Sprint(stored) != fmt.Sprint(open) {
		return fmt.Errorf("open dispute counts %v, the disputes say %v", stored, open)
	}
	return nil
}

// reportIndexesInvariant: every report that is a prune checkpoint
// (pruneCheckpoint) but not its subchain's latest is in the prune queue at
// the time it was recorded, every entry of the queue names such a report (an
// entry of a report that is not a checkpoint was queued before consensus
// version 7, which queued every report, and the migration to it took those
// out), and every height index entry names a stored report of that height.
func (k Keeper) reportIndexesInvariant(ctx context.Context) error {
	latest := map[string]uint64{}
	if err := k.Subchains.Walk(ctx, nil, func(id string, s types.Subchain) (bool, error) {
		latest[id] = s.LastSequence
		return false, nil
	}); err != nil {
		return err
	}
	checkpoints := 0
	if err := k.Reports.Walk(ctx, nil, func(key collections.Pair[string, uint64], _ types.StoredReport) (bool, error) {
		if pruneCheckpoint(key.K2()) && key.K2() != latest[key.K1()] {
			checkpoints++
		}
		return false, nil
	}); err != nil {
		return err
	}
	queued := 0
	if err := k.PruneQueue.Walk(ctx, nil, func(key collections.Triple[int64, string, uint64]) (bool, error) {
		queued++
		if !pruneCheckpoint(key.K3()) || key.K3() == latest[key.K2()] {
			return true, fmt.Errorf("prune queue names report %s/%d, which is not a checkpoint or is its subchain's latest", key.K2(), key.K3())
		}
		r, err := k.Reports.Get(ctx, collections.Join(key.K2(), key.K3()))
		if err != nil {
			return true, fmt.Errorf("prune queue names report %s/%d: %w", key.K2(), key.K3(), err)
		}
		if r.MainTime.UnixNano() != key.K1() {
			return true, fmt.Errorf("prune queue holds report %s/%d at %d, recorded at %d", key.K2(), key.K3(), key.K1(), r.MainTime.UnixNano())
		}
		return false, nil
	}); err != nil {
		return err
	}
	if queued != checkpoints {
		return fmt.Errorf("prune queue holds %d entries for %d stored checkpoints", queued, checkpoints)
	}
	return k.ReportsByHeight.Walk(ctx, nil, func(key collections.Pair[string, int64], seq uint64) (bool, error) {
		r, err := k.Reports.Get(ctx, collections.Join(key.K1(), seq))
		if err != nil {
			return true, fmt.Errorf("height %s/%d names report %d: %w", key.K1(), key.K2(), seq, err)
		}
		if r.Snapshot.Height != key.K2() {
			return true, fmt.Errorf("height %s/%d names report %d of height %d", key.K1(), key.K2(), seq, r.Snapshot.Height)
		}
		return false, nil
	})
}

// bindingIndexesInvariant: the client and channel indexes name exactly the
// subchains' bound clients and channels.
func (k Keeper) bindingIndexesInvariant(ctx context.Context) error {
	clients, channels := 0, 0
	if err := k.Subchains.Walk(ctx, nil, func(id string, s types.Subchain) (bool, error) {
		for _, b := range []struct {
			what, key string
			index     collections.Map[string, string]
			n         *int
		}{{"client", s.ClientId, k.ClientIndex, &clients}, {"channel", s.ChannelId, k.ChannelIndex, &channels}} {
			if b.key == "" {
				continue
			}
			*b.n++
			if got, err := b.index.Get(ctx, b.key); err != nil || got != id {
				return true, fmt.Errorf("chain %s's %s %s is indexed to %q (%v)", id, b.what, b.key, got, err)
			}
		}
		return false, nil
	}); err != nil {
		return err
	}
	for what, want := range map[string]int{"client": clients, "channel": channels} {
		index := k.ClientIndex
		if what == "channel" {
			index = k.ChannelIndex
		}
		got, err := countMap(ctx, index)
		if err != nil {
			return err
		}
		if got != want {
			return fmt.Errorf("the %s index holds %d entries, the subchains bind %d", what, got, want)
		}
	}
	return nil
}

// escrowInvariant: the module account holds exactly the open disputes' deposits.
func (k Keeper) escrowInvariant(ctx context.Context, balance sdk.Coins) error {
	var want sdk.Coins
	if err := k.Disputes.Walk(ctx, nil, func(_ uint64, d types.Dispute) (bool, error) {
		if d.Status == types.DISPUTE_STATUS_OPEN && d.Deposit.IsPositive() {
			want = want.Add(d.Deposit)
		}
		return false, nil
	}); err != nil {
		return err
	}
	if !balance.Equal(want) {
		return fmt.Errorf("the module account holds %s, the open disputes' deposits are %s", balance, want)
	}
	return nil
}

func countSet[K any](ctx context.Context, s collections.KeySet[K]) (int, error) {
	n := 0
	err := s.Walk(ctx, nil, func(K) (bool, error) { n++; return false, nil })
	return n, err
}

func countMap[K, V any](ctx context.Context, m collections.Map[K, V]) (int, error) {
	n := 0
	err := m.Walk(ctx, nil, func(K, V) (bool, error) { n++; return false, nil })
	return n, err
}

// sharedListsInvariant: the stored layout of reports is the one storeReport
// and releaseLists keep: a subchain's first stored report shares its lists,
// held by FirstLists; each later one shares them exactly when they equal
// those of the report before it, holds their powers alone exactly when they
// differ in validators' powers alone, and else holds them whole;
// ListsHolders names the reports that hold either, SetHolders those that
// hold them whole; FirstLists has an entry for each subchain with a stored
// report.
func (k Keeper) sharedListsInvariant(ctx context.Context) error {
	lists := &listsReader{k: k}
	var prev *types.Report
	chains := 0
	if err := k.Reports.Walk(ctx, nil, func(key collections.Pair[string, uint64], s types.StoredReport) (bool, error) {
		chainID, seq := key.K1(), key.K2()
		r, err := lists.expand(ctx, chainID, seq, s)
		if err != nil {
			return true, fmt.Errorf("report %s/%d: %w", chainID, seq, err)
		}
		form, want := formOf(s), sharesLists
		if first := prev == nil || prev.ChainId != chainID; first {
			chains++
		} else {
			want = formAfter(listsOf(prev.Snapshot), listsOf(r.Snapshot))
		}
		if form != want {
			return true, fmt.Errorf("report %s/%d holds its lists in form %d, the report before it makes it %d", chainID, seq, form, want)
		}
		if held, err := k.ListsHolders.Has(ctx, key); err != nil || held != (form != sharesLists) {
			return true, fmt.Errorf("report %s/%d in form %d, named a lists holder: %t (%v)", chainID, seq, form, held, err)
		}
		if held, err := k.SetHolders.Has(ctx, key); err != nil || held != (form == holdsLists) {
			return true, fmt.Errorf("report %s/%d in form %d, named a set holder: %t (%v)", chainID, seq, form, held, err)
		}
		if form != holdsLists && (len(s.Snapshot.Orgs) > 0 || len(s.Snapshot.Validators) > 0) {
			return true, fmt.Errorf("report %s/%d does not hold its lists whole, yet stores some", chainID, seq)
		}
		prev = &r
		return false, nil
	}); err != nil {
		return err
	}
	firsts, err := countMap(ctx, k.FirstLists)
	if err != nil {
		return err
	}
	if firsts != chains {
		return fmt.Errorf("first lists of %d subchains, %d have stored reports", firsts, chains)
	}
	for _, holders := range []collections.KeySet[collections.Pair[string, uint64]]{k.ListsHolders, k.SetHolders} {
		if err := holders.Walk(ctx, nil, func(key collections.Pair[string, uint64]) (bool, error) {
			if has, err := k.Reports.Has(ctx, key); err != nil || !has {
				return true, fmt.Errorf("holder %s/%d is not a stored report (%v)", key.K1(), key.K2(), err)
			}
			return false, nil
		}); err != nil {
			return err
		}
	}
	return nil
}
