package types

import (
	"cmp"
	"slices"
	"strings"
)

// ProjectValidators is how a snapshot describes a chain's bonded validators:
// the MaxValidators of most power (equal power: the lower consensus address
// first), monikers cut to MaxIDLen bytes without splitting a character,
// listed by consensus address. The sidecar (from its staking keeper) and the
// daemons (from a node's staking queries) both describe a chain with it, so
// that a dispute compares like with like whatever order each source lists
// the validators in.
func ProjectValidators(bonded []Validator) []Validator {
	out := slices.Clone(bonded)
	for i := range out {
		out[i].Moniker = TruncateText(out[i].Moniker, MaxIDLen)
	}
	slices.SortStableFunc(out, func(a, b Validator) int {
		if c := cmp.Compare(b.Power, a.Power); c != 0 {
			return c
		}
		return strings.Compare(a.Address, b.Address)
	})
	out = out[:min(len(out), MaxValidators)]
	slices.SortFunc(out, func(a, b Validator) int { return strings.Compare(a.Address, b.Address) })
	return out
}
