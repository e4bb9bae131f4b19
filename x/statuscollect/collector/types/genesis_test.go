package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

func validGenesis() types.GenesisState {
	admin := sdk.AccAddress([]byte("genesis-admin-------")).String()
	reporter := sdk.AccAddress([]byte("genesis-reporter----")).String()
	gs := *types.DefaultGenesis()
	gs.Params.Admin = admin
	gs.Subchains = []types.Subchain{
		{ChainId: "subchain-a", Name: "A", Kind: types.SUBCHAIN_KIND_FILE_STORAGE, ReportInterval: 30 * time.Second},
		{ChainId: "subchain-b", Name: "B", Kind: types.SUBCHAIN_KIND_INDUSTRY, ReportInterval: 30 * time.Second},
	}
	gs.Orgs = []types.Organization{{Id: "org-a", Name: "Org A", Admin: admin}}
	gs.Memberships = []types.Membership{{ChainId: "subchain-a", OrgId: "org-a", Reporters: []string{reporter}}}
	return gs
}

// reports lists a report for each sequence, of the chain named before it:
// reports("subchain-a", 1, 2, "subchain-b", 1).
func reports(items ...any) []types.Report {
	var (
		out   []types.Report
		chain string
	)
	for _, it := range items {
		switch v := it.(type) {
		case string:
			chain = v
		case int:
			out = append(out, types.Report{ChainId: chain, Sequence: uint64(v), Snapshot: shared.StatusSnapshot{
				ChainId: chain, Height: int64(10 * v), BlockTime: time.Unix(int64(v), 0).UTC()}})
		}
	}
	return out
}

func TestGenesisValidate(t *testing.T) {
	cases := map[string]struct {
		malleate func(*types.GenesisState)
		err      error
	}{
		"valid":                     {func(*types.GenesisState) {}, nil},
		"duplicate subchain":        {func(g *types.GenesisState) { g.Subchains = append(g.Subchains, g.Subchains[0]) }, types.ErrInvalidGenesis},
		"membership of unknown org": {func(g *types.GenesisState) { g.Memberships[0].OrgId = "org-x" }, types.ErrInvalidGenesis},
		"duplicate reporter": {func(g *types.GenesisState) {
			g.Memberships[0].Reporters = append(g.Memberships[0].Reporters, g.Memberships[0].Reporters[0])
		}, types.ErrInvalidGenesis},
		"bad kind":                    {func(g *types.GenesisState) { g.Subchains[0].Kind = 42 }, types.ErrInvalidGenesis},
		"bad params":                  {func(g *types.GenesisState) { g.Params.StalenessFactor = 0 }, types.ErrInvalidParams},
		"no clock drift":              {func(g *types.GenesisState) { g.Params.MaxClockDrift = 0 }, types.ErrInvalidParams},
		"negative min block interval": {func(g *types.GenesisState) { g.Params.MinBlockInterval = -time.Second }, types.ErrInvalidParams},
		"reports of two subchains, each by rising sequence, with a gap": {func(g *types.GenesisState) {
			g.Subchains[0].LastSequence, g.Subchains[1].LastSequence = 4, 2
			g.Reports = reports("subchain-a", 1, 3, 4, "subchain-b", 2)
		}, nil},
		"a report above its subchain's last_sequence": {func(g *types.GenesisState) {
			g.Subchains[0].LastSequence = 1
			g.Reports = reports("subchain-a", 1, 2)
		}, types.ErrInvalidGenesis},
		"a subchain's latest report not listed": {func(g *types.GenesisState) {
			g.Subchains[0].LastSequence = 3
			g.Reports = reports("subchain-a", 1, 2)
		}, types.ErrInvalidGenesis},
		"a status channel bound to two subchains": {func(g *types.GenesisState) {
			for i := range g.Subchains {
				g.Subchains[i].Liveness, g.Subchains[i].ChannelId = types.LIVENESS_ACTIVE, "channel-0"
			}
		}, types.ErrInvalidGenesis},
		"a pre-registered subchain naming a channel": {func(g *types.GenesisState) {
			g.Subchains[0].Liveness, g.Subchains[0].ChannelId = types.LIVENESS_UNSPECIFIED, "channel-0"
		}, types.ErrInvalidGenesis},
		"a report listed twice": {func(g *types.GenesisState) {
			g.Subchains[0].LastSequence = 2
			g.Reports = reports("subchain-a", 1, 2, 2)
		}, types.ErrInvalidGenesis},
		"reports out of order": {func(g *types.GenesisState) {
			g.Subchains[0].LastSequence = 2
			g.Reports = reports("subchain-a", 2, 1)
		}, types.ErrInvalidGenesis},
		"a subchain's reports apart": {func(g *types.GenesisState) {
			g.Subchains[0].LastSequence, g.Subchains[1].LastSequence = 2, 1
			g.Reports = reports("subchain-a", 1, "subchain-b", 1, "subchain-a", 2)
		}, types.ErrInvalidGenesis},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			gs := validGenesis()
			tc.malleate(&gs)
			err := gs.Validate()
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
		})
	}
}

// FuzzGenesisDecode: arbitrary bytes never panic the decoder or validator.
func FuzzGenesisDecode(f *testing.F) {
	gs := validGenesis()
	seed, err := gs.Marshal()
	require.NoError(f, err)
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		var got types.GenesisState
		if got.Unmarshal(data) != nil {
			return
		}
		_ = got.Validate()
	})
}
