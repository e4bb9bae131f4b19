package keeper

import (
	"context"
	"strconv"

	"cosmossdk.io/collections"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
)

// InitGenesis loads a validated genesis. The liveness and prune queues are
// not in the genesis: they are rebuilt from the subchains and reports.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, o := range gs.Orgs {
		if err := k.Orgs.Set(ctx, o.Id, o); err != nil {
			return err
		}
	}
	// What each record keeps of its latest report (its figures and the time
	// it was recorded) comes from that report, as appendReport sets it, not
	// from the genesis: a report naming its lists by hash is checked against
	// them, and the record's time keys the report's prune checkpoint.
	reports := make(map[string]*types.Report, len(gs.Subchains))
	for i, r := range gs.Reports {
		reports[reportName(r.ChainId, r.Sequence)] = &gs.Reports[i]
	}
	for _, s := range gs.Subchains {
		s.Latest = types.LatestFigures{}
		if r := reports[reportName(s.ChainId, s.LastSequence)]; r != nil {
			s.Latest, s.LastReportTime = figuresOf(r.Snapshot), r.MainTime
		}
		if s.ClientId != "" {
			if err := k.ClientIndex.Set(ctx, s.ClientId, s.ChainId); err != nil {
				return err
			}
		}
		if s.Liveness == types.LIVENESS_UNSPECIFIED {
			// A pre-registered subchain: register it as the authority would.
			if err := k.addSubchain(ctx, s); err != nil {
				return err
			}
			continue
		}
		if err := k.Subchains.Set(ctx, s.ChainId, s); err != nil {
			return err
		}
		if s.ChannelId != "" {
			if err := k.ChannelIndex.Set(ctx, s.ChannelId, s.ChainId); err != nil {
				return err
			}
		}
		if s.Liveness == types.LIVENESS_AWAITING_FIRST_REPORT || s.Liveness == types.LIVENESS_ACTIVE ||
			s.Liveness == types.LIVENESS_HALTED_FOR_UPGRADE {
			if err := k.LivenessQueue.Set(ctx, dueKey(s)); err != nil {
				return err
			}
		}
	}
	for _, m := range gs.Memberships {
		if err := k.putMembership(ctx, m); err != nil {
			return err
		}
	}
	latest := make(map[string]uint64, len(gs.Subchains))
	for _, s := range gs.Subchains {
		latest[s.ChainId] = s.LastSequence
	}
	// The changes naming each report, in the genesis's order (by chain and
	// sequence): a report records its own (ownChangesOf).
	named := map[string][]types.ContractChange{}
	for _, c := range gs.ContractChanges {
		if c.ReportSequence != 0 {
			key := reportName(c.ChainId, c.ReportSequence)
			named[key] = append(named[key], c)
		}
	}
	// Through the one write path, which compacts each report against the
	// subchain's stored report before it (the genesis lists them by chain
	// and sequence), as the report's door and pruning left it.
	var prev *types.Report
	for i, r := range gs.Reports {
		if prev != nil && prev.ChainId != r.ChainId {
			prev = nil
		}
		own := ownChangesOf(r, named[reportName(r.ChainId, r.Sequence)])
		if err := k.putReport(ctx, r, r.Sequence == latest[r.ChainId], prev, own); err != nil {
			return err
		}
		prev = &gs.Reports[i]
	}
	// Exported by (chain, sequence): a contract's latest change comes last
	// and is the one its index entry keeps.
	for _, c := range gs.ContractChanges {
		if err := k.putContractChange(ctx, c); err != nil {
			return err
		}
	}
	for _, d := range gs.Disputes {
		if err := k.putDispute(ctx, d); err != nil {
			return err
		}
	}
	if gs.LastDisputeId == 0 {
		return nil // an unset sequence reads as 0: the store stays as a chain's that never had a dispute
	}
	return k.LastDisputeID.Set(ctx, gs.LastDisputeId)
}

// ExportGenesis writes the whole state.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if err := k.Subchains.Walk(ctx, nil, func(_ string, s types.Subchain) (bool, error) {
		gs.Subchains = append(gs.Subchains, s)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.Orgs, err = collx.Values(ctx, k.Orgs); err != nil {
		return nil, err
	}
	if gs.Memberships, err = collx.Values(ctx, k.Memberships); err != nil {
		return nil, err
	}
	// Reports whole, as the queries serve them.
	lists := &listsReader{k: k}
	if err := k.Reports.Walk(ctx, nil, func(key collections.Pair[string, uint64], s types.StoredReport) (bool, error) {
		r, err := lists.expand(ctx, key.K1(), key.K2(), s)
		gs.Reports = append(gs.Reports, r)
		return err != nil, err
	}); err != nil {
		return nil, err
	}
	// Contract changes whole, as the queries serve them.
	reports := &reportCache{k: k}
	if err := k.ContractChanges.Walk(ctx, nil, func(key collections.Pair[string, uint64], s types.StoredContractChange) (bool, error) {
		c, err := expandChange(ctx, reports, key.K1(), key.K2(), s)
		gs.ContractChanges = append(gs.ContractChanges, c)
		return err != nil, err
	}); err != nil {
		return nil, err
	}
	if gs.Disputes, err = collx.Values(ctx, k.Disputes); err != nil {
		return nil, err
	}
	if gs.LastDisputeId, err = k.LastDisputeID.Peek(ctx); err != nil {
		return nil, err
	}
	return gs, nil
}

// reportName names a report as a map key: collections pairs hold pointers.
func reportName(chainID string, seq uint64) string {
	return chainID + "/" + strconv.FormatUint(seq, 10)
}
