package types

import (
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Diff returns what changed from prev to next; prev is nil for a subchain's
// first report, whose orgs and nodes all count as joined and added. Both
// snapshots are validated, so their lists are sorted and unique and one merge
// pass finds the differences.
func Diff(prev *shared.StatusSnapshot, next shared.StatusSnapshot) ChangeSet {
	var (
		prevOrgs []string
		prevVals []shared.Validator
		cs       ChangeSet
	)
	if prev != nil {
		prevOrgs, prevVals = prev.Orgs, prev.Validators
		cs.ContractCountBefore = prev.ContractCount
	}
	cs.OrgsJoined, cs.OrgsLeft = diffSorted(prevOrgs, next.Orgs)

	i, j := 0, 0
	for i < len(prevVals) || j < len(next.Validators) {
		switch {
		case j == len(next.Validators) || (i < len(prevVals) && prevVals[i].Address < next.Validators[j].Address):
			cs.NodesRemoved = append(cs.NodesRemoved, prevVals[i].Address)
			i++
		case i == len(prevVals) || next.Validators[j].Address < prevVals[i].Address:
			cs.NodesAdded = append(cs.NodesAdded, next.Validators[j].Address)
			j++
		default:
			if prevVals[i].Power != next.Validators[j].Power {
				cs.PowerChanged = append(cs.PowerChanged, ValidatorPower{
					Address: next.Validators[j].Address, OldPower: prevVals[i].Power, NewPower: next.Validators[j].Power,
				})
			}
			i++
			j++
		}
	}
	cs.ContractCountAfter = next.ContractCount
	return cs
}

// diffSorted returns the members only in next (added) and only in prev (removed).
func diffSorted(prev, next []string) (added, removed []string) {
	i, j := 0, 0
	for i < len(prev) || j < len(next) {
		switch {
		case j == len(next) || (i < len(prev) && prev[i] < next[j]):
			removed = append(removed, prev[i])
			i++
		case i == len(prev) || next[j] < prev[i]:
			added = append(added, next[j])
			j++
		default:
			i++
			j++
		}
	}
	return added, removed
}

// NodesChanged reports whether the validator set changed.
func (cs ChangeSet) NodesChanged() bool {
	return len(cs.NodesAdded)+len(cs.NodesRemoved)+len(cs.PowerChanged) > 0
}

// OrgsChanged reports whether participant orgs joined or left.
func (cs ChangeSet) OrgsChanged() bool { return len(cs.OrgsJoined)+len(cs.OrgsLeft) > 0 }

// ContractsChanged reports whether contracts were added (the snapshot's
// NewContracts) or the count moved.
func (cs ChangeSet) ContractsChanged(newContracts int) bool {
	return newContracts > 0 || cs.ContractCountBefore != cs.ContractCountAfter
}
