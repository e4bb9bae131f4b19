package types_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// TestProjectValidatorsIsOrderFree: the sidecar lists validators by power, a
// node's staking query by operator address; both must give the same
// projection, capped to the most powerful with ties broken by address.
func TestProjectValidatorsIsOrderFree(t *testing.T) {
	var bonded []types.Validator
	for i := range types.MaxValidators + 40 {
		bonded = append(bonded, types.Validator{
			Address: fmt.Sprintf("subvalcons1%04d", (i*7919)%10000),
			Power:   int64(1 + i%5), // many ties at the cut
			Moniker: strings.Repeat("é", 100),
		})
	}
	want := types.ProjectValidators(bonded)
	require.Len(t, want, types.MaxValidators)
	for i, v := range want {
		require.LessOrEqual(t, len(v.Moniker), types.MaxIDLen)
		require.True(t, utf8.ValidString(v.Moniker))
		if i > 0 {
			require.Less(t, want[i-1].Address, v.Address)
		}
	}
	// The cut keeps the most powerful: every dropped validator has at most
	// the power of every kept one, and at equal power a higher address.
	kept := map[string]bool{}
	minKept := int64(1 << 62)
	for _, v := range want {
		kept[v.Address] = true
		minKept = min(minKept, v.Power)
	}
	for _, v := range bonded {
		if !kept[v.Address] {
			require.LessOrEqual(t, v.Power, minKept)
		}
	}
	rnd := rand.New(rand.NewSource(7))
	for range 5 {
		shuffled := append([]types.Validator(nil), bonded...)
		rnd.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		require.Equal(t, want, types.ProjectValidators(shuffled))
	}
	require.NoError(t, (&types.StatusSnapshot{ChainId: "c", Height: 1, BlockTime: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), Validators: want}).Validate())
}
