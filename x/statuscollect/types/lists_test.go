package types_test

import (
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// ListsHash hashes what protobuf writes for a snapshot holding only its
// lists. gogoproto always writes the non-nullable block time (field 3, first
// in field order), so its encoding is that field followed by the lists'.
func TestListsHashIsTheProtobufEncodingsHash(t *testing.T) {
	s := validSnapshot()
	s.Validators = append(s.Validators, types.Validator{Address: "subvalcons1ccc"}) // no power, no moniker
	empty, err := (&types.StatusSnapshot{}).Marshal()
	require.NoError(t, err)
	for _, lists := range []types.StatusSnapshot{s, {}, {Orgs: s.Orgs}, {Validators: s.Validators}} {
		whole, err := (&types.StatusSnapshot{Orgs: lists.Orgs, Validators: lists.Validators}).Marshal()
		require.NoError(t, err)
		require.Equal(t, empty, whole[:len(empty)])
		want := sha256.Sum256(whole[len(empty):])
		require.Equal(t, want[:], lists.ListsHash())
		require.Len(t, lists.ListsHash(), types.ListsHashLen)
	}
}

func TestListsHashNamesTheListsOnly(t *testing.T) {
	s := validSnapshot()
	other := s
	other.Height, other.TotalTxs, other.NewContracts = 999, 1, nil
	require.Equal(t, s.ListsHash(), other.ListsHash(), "only the lists are hashed")

	for name, change := range map[string]func(*types.StatusSnapshot){
		"an org more":       func(s *types.StatusSnapshot) { s.Orgs = append(s.Orgs, "org-c") },
		"an org less":       func(s *types.StatusSnapshot) { s.Orgs = s.Orgs[:1] },
		"a power":           func(s *types.StatusSnapshot) { s.Validators[1].Power++ },
		"a moniker":         func(s *types.StatusSnapshot) { s.Validators[0].Moniker = "A" },
		"an address":        func(s *types.StatusSnapshot) { s.Validators[0].Address = "subvalcons1aab" },
		"a validator less":  func(s *types.StatusSnapshot) { s.Validators = s.Validators[1:] },
		"an org as address": func(s *types.StatusSnapshot) { s.Orgs, s.Validators = nil, []types.Validator{{Address: "org-a"}} },
	} {
		changed := validSnapshot()
		change(&changed)
		require.NotEqual(t, s.ListsHash(), changed.ListsHash(), name)
	}
}
