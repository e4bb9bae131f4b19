package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis is an empty registry with the default params.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams()}
}

// Validate checks the genesis: every record valid, no duplicates, and every
// reference (membership to subchain and org, report to subchain) resolved.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	subchains := make(map[string]bool, len(gs.Subchains))
	lastChange := make(map[string]uint64, len(gs.Subchains))
	lastSequence := make(map[string]uint64, len(gs.Subchains))
	clients := make(map[string]bool, len(gs.Subchains))
	channels := make(map[string]bool, len(gs.Subchains))
	for _, s := range gs.Subchains {
		if s.ClientId != "" {
			if clients[s.ClientId] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "client %s bound to two subchains", s.ClientId)
			}
			clients[s.ClientId] = true
		}
		// A report over a channel is admitted by the channel its subchain's
		// record names: one channel named twice would speak for both.
		if s.ChannelId != "" {
			if channels[s.ChannelId] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "status channel %s bound to two subchains", s.ChannelId)
			}
			channels[s.ChannelId] = true
			// The import registers a pre-registered subchain afresh, with no
			// channel: its channel would be named and never unbound.
			if s.Liveness == LIVENESS_UNSPECIFIED {
				return errorsmod.Wrapf(ErrInvalidGenesis, "subchain %q: pre-registered (no liveness), yet names status channel %s", s.ChainId, s.ChannelId)
			}
		}
		lastSequence[s.ChainId] = s.LastSequence
		if err := validateSubchainFields(s.ChainId, s.Name, s.Kind, s.ReportInterval); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "subchain %q: %s", s.ChainId, err)
		}
		if subchains[s.ChainId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "subchain %q listed twice", s.ChainId)
		}
		subchains[s.ChainId] = true
		lastChange[s.ChainId] = s.LastContractChange
	}
	orgs := make(map[string]bool, len(gs.Orgs))
	for _, o := range gs.Orgs {
		if err := validateOrgFields(o.Id, o.Name, o.Admin); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "org %q: %s", o.Id, err)
		}
		if orgs[o.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "org %q listed twice", o.Id)
		}
		orgs[o.Id] = true
	}
	members := make(map[string]bool, len(gs.Memberships))
	listed := make(map[string]string) // "chain/account" -> the org listing it
	for _, m := range gs.Memberships {
		key := fmt.Sprintf("%s/%s", m.ChainId, m.OrgId)
		if !subchains[m.ChainId] || !orgs[m.OrgId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "membership %s names an unknown subchain or org", key)
		}
		if members[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "membership %s listed twice", key)
		}
		members[key] = true
		// Not the param: lowering it leaves what was granted before.
		if len(m.Reporters) > MaxReportersLimit {
			return errorsmod.Wrapf(ErrInvalidGenesis, "membership %s has %d reporters, at most %d", key, len(m.Reporters), MaxReportersLimit)
		}
		for i, r := range m.Reporters {
			if err := validAddress("reporter", r); err != nil {
				return errorsmod.Wrapf(ErrInvalidGenesis, "membership %s: %s", key, err)
			}
			if i > 0 && m.Reporters[i-1] >= r {
				return errorsmod.Wrapf(ErrInvalidGenesis, "membership %s: reporters must be sorted and unique", key)
			}
			if other, dup := listed[m.ChainId+"/"+r]; dup {
				return errorsmod.Wrapf(ErrInvalidGenesis, "membership %s: %s already reports for org %s on that chain", key, r, other)
			}
			listed[m.ChainId+"/"+r] = m.OrgId
		}
	}
	// Each subchain's reports together, by rising sequence, as the chain
	// exports them: the import stores each against the one before it.
	reported := make(map[string]bool, len(gs.Subchains))
	for i, r := range gs.Reports {
		if !subchains[r.ChainId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "report %s/%d names an unknown subchain", r.ChainId, r.Sequence)
		}
		if i > 0 && gs.Reports[i-1].ChainId == r.ChainId {
			if r.Sequence <= gs.Reports[i-1].Sequence {
				return errorsmod.Wrapf(ErrInvalidGenesis, "report %s/%d listed after report %d: a subchain's reports go by rising sequence, each once",
					r.ChainId, r.Sequence, gs.Reports[i-1].Sequence)
			}
		} else if reported[r.ChainId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "report %s/%d: the reports of subchain %s are not listed together", r.ChainId, r.Sequence, r.ChainId)
		}
		reported[r.ChainId] = true
		// The next report takes last_sequence+1: one listed above it would be
		// stored twice over, and the subchain could never report again.
		if r.Sequence == 0 || r.Sequence > lastSequence[r.ChainId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "report %s/%d: zero or above the subchain's last_sequence %d",
				r.ChainId, r.Sequence, lastSequence[r.ChainId])
		}
		if err := r.Snapshot.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "report %s/%d: %s", r.ChainId, r.Sequence, err)
		}
	}
	// A subchain's latest report is never pruned: the next one is diffed
	// against it. Reports are listed by rising sequence, so it is the last.
	for i, r := range gs.Reports {
		if (i+1 == len(gs.Reports) || gs.Reports[i+1].ChainId != r.ChainId) && r.Sequence != lastSequence[r.ChainId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "subchain %s: its latest report, %d (last_sequence), is not listed", r.ChainId, lastSequence[r.ChainId])
		}
	}
	changes := make(map[string]bool, len(gs.ContractChanges))
	for _, c := range gs.ContractChanges {
		key := fmt.Sprintf("%s/%d", c.ChainId, c.Sequence)
		if !subchains[c.ChainId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "contract change %s names an unknown subchain", key)
		}
		if c.Sequence == 0 || c.Sequence > lastChange[c.ChainId] || changes[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "contract change %s: duplicate, zero, or above the subchain's last_contract_change %d", key, lastChange[c.ChainId])
		}
		changes[key] = true
	}
	ids := make(map[uint64]bool, len(gs.Disputes))
	for _, d := range gs.Disputes {
		if d.Id == 0 || d.Id > gs.LastDisputeId || ids[d.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "dispute id %d: duplicate, zero, or above last_dispute_id %d", d.Id, gs.LastDisputeId)
		}
		ids[d.Id] = true
		if !subchains[d.ChainId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d names an unknown subchain", d.Id)
		}
		// A dispute settled by the subchain's own evidence has no filing org;
		// one an org filed names a registered org.
		if d.FilerOrg == "" && d.Status == DISPUTE_STATUS_OPEN {
			return errorsmod.Wrapf(ErrInvalidGenesis, "open dispute %d has no filing org", d.Id)
		}
		if d.FilerOrg != "" && !orgs[d.FilerOrg] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d names an unknown org %q", d.Id, d.FilerOrg)
		}
	}
	return nil
}
