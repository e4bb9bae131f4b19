package types_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/x/statuscollect/types"
)

func validSnapshot() types.StatusSnapshot {
	return types.StatusSnapshot{
		ChainId:      "subchain-a-1",
		Height:       120,
		BlockTime:    time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC),
		TotalTxs:     900,
		WindowTxs:    40,
		WindowBlocks: 20,
		TpsMilli:     2000,
		Orgs:         []string{"org-a", "org-b"},
		Validators: []types.Validator{
			{Address: "subvalcons1aaa", Power: 10, Moniker: "a"},
			{Address: "subvalcons1bbb", Power: 5, Moniker: "b"},
		},
		ContractCount:   3,
		NewContracts:    []types.Contract{{Address: "sub1contract", CodeId: 1, Label: "registry"}},
		SoftwareVersion: "v0.1.0",
		PlannedUpgrade:  &types.PlannedUpgrade{Name: "v2", Height: 500},
	}
}

func TestSnapshotValidate(t *testing.T) {
	cases := []struct {
		name     string
		malleate func(s *types.StatusSnapshot)
		expErr   error
	}{
		{"valid", func(*types.StatusSnapshot) {}, nil},
		{"no upgrade is fine", func(s *types.StatusSnapshot) { s.PlannedUpgrade = nil }, nil},
		{"empty chain id", func(s *types.StatusSnapshot) { s.ChainId = "" }, types.ErrInvalidID},
		{"chain id too long", func(s *types.StatusSnapshot) { s.ChainId = strings.Repeat("c", 51) }, types.ErrTooLarge},
		{"chain id with space", func(s *types.StatusSnapshot) { s.ChainId = "sub chain" }, types.ErrInvalidID},
		{"zero height", func(s *types.StatusSnapshot) { s.Height = 0 }, types.ErrInvalidSnapshot},
		{"no block time", func(s *types.StatusSnapshot) { s.BlockTime = time.Time{} }, types.ErrInvalidSnapshot},
		{"window over total", func(s *types.StatusSnapshot) { s.WindowTxs = s.TotalTxs + 1 }, types.ErrInvalidSnapshot},
		{"tps in empty window", func(s *types.StatusSnapshot) { s.WindowBlocks, s.WindowTxs = 0, 0 }, types.ErrInvalidSnapshot},
		{"orgs unsorted", func(s *types.StatusSnapshot) { s.Orgs = []string{"org-b", "org-a"} }, types.ErrInvalidSnapshot},
		{"orgs duplicate", func(s *types.StatusSnapshot) { s.Orgs = []string{"org-a", "org-a"} }, types.ErrInvalidSnapshot},
		{"too many orgs", func(s *types.StatusSnapshot) { s.Orgs = sortedIDs("org", types.MaxOrgs+1) }, types.ErrTooLarge},
		{"max orgs", func(s *types.StatusSnapshot) { s.Orgs = sortedIDs("org", types.MaxOrgs) }, nil},
		{"validator zero power", func(s *types.StatusSnapshot) { s.Validators[0].Power = 0 }, types.ErrInvalidSnapshot},
		{"validators unsorted", func(s *types.StatusSnapshot) {
			s.Validators[0], s.Validators[1] = s.Validators[1], s.Validators[0]
		}, types.ErrInvalidSnapshot},
		{"too many validators", func(s *types.StatusSnapshot) {
			s.Validators = nil
			for _, id := range sortedIDs("val", types.MaxValidators+1) {
				s.Validators = append(s.Validators, types.Validator{Address: id, Power: 1})
			}
		}, types.ErrTooLarge},
		{"more new contracts than contracts", func(s *types.StatusSnapshot) { s.ContractCount = 0 }, types.ErrInvalidSnapshot},
		{"contract label too long", func(s *types.StatusSnapshot) {
			s.NewContracts[0].Label = strings.Repeat("l", types.MaxContractLabel+1)
		}, types.ErrTooLarge},
		{"upgrade in the past", func(s *types.StatusSnapshot) { s.PlannedUpgrade.Height = s.Height }, types.ErrInvalidSnapshot},
		{"upgrade without name", func(s *types.StatusSnapshot) { s.PlannedUpgrade.Name = "" }, types.ErrInvalidSnapshot},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := validSnapshot()
			tc.malleate(&s)
			err := s.Validate()
			if tc.expErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.expErr)
		})
	}
}

// sortedIDs returns n distinct ids in ascending order.
func sortedIDs(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%04d", prefix, i)
	}
	return out
}

// FuzzSnapshotDecode feeds arbitrary bytes to the decoder and validator: they
// must never panic, and whatever decodes and validates must round-trip.
func FuzzSnapshotDecode(f *testing.F) {
	s := validSnapshot()
	seed, err := s.Marshal()
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		var got types.StatusSnapshot
		if err := got.Unmarshal(data); err != nil {
			return
		}
		if got.Validate() != nil {
			return
		}
		again, err := got.Marshal()
		require.NoError(t, err)
		var back types.StatusSnapshot
		require.NoError(t, back.Unmarshal(again))
		require.NoError(t, back.Validate())
		twice, err := back.Marshal()
		require.NoError(t, err)
		require.Equal(t, again, twice)
	})
}
