package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/types"
)

func TestDecodePacketData(t *testing.T) {
	snap := validSnapshot()
	good, err := types.NewReportPacket(types.StatusReport{Sequence: 1, Snapshot: &snap})
	require.NoError(t, err)
	pd, err := types.DecodePacketData(good)
	require.NoError(t, err)
	require.Equal(t, snap.ChainId, pd.GetReport().Snapshot.ChainId)

	noSeq, err := types.NewReportPacket(types.StatusReport{Snapshot: &snap})
	require.NoError(t, err)
	bad := snap
	bad.Height = 0
	badSnap, err := types.NewReportPacket(types.StatusReport{Sequence: 1, Snapshot: &bad})
	require.NoError(t, err)
	hugeInterval, err := types.NewReportPacket(types.StatusReport{Sequence: 1, Snapshot: &snap, SnapshotEvery: types.MaxSnapshotEvery + 1})
	require.NoError(t, err)
	named := snap
	hash := named.NameListsByHash()
	byHash, err := types.NewReportPacket(types.StatusReport{Sequence: 1, Snapshot: &named, ListsHash: hash})
	require.NoError(t, err)
	pd, err = types.DecodePacketData(byHash)
	require.NoError(t, err)
	require.Equal(t, snap.ListsHash(), pd.GetReport().ListsHash)
	require.Empty(t, pd.GetReport().Snapshot.Validators)
	hashAndLists, err := types.NewReportPacket(types.StatusReport{Sequence: 1, Snapshot: &snap, ListsHash: hash})
	require.NoError(t, err)
	shortHash, err := types.NewReportPacket(types.StatusReport{Sequence: 1, Snapshot: &named, ListsHash: hash[1:]})
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		data []byte
		err  error
	}{
		"empty":                       {nil, types.ErrInvalidPacket},
		"garbage":                     {[]byte("{\"report\":1}"), types.ErrInvalidPacket},
		"oversized":                   {make([]byte, types.MaxPacketSize+1), types.ErrTooLarge},
		"no sequence":                 {noSeq, types.ErrInvalidPacket},
		"invalid report":              {badSnap, types.ErrInvalidSnapshot},
		"huge interval":               {hugeInterval, types.ErrInvalidPacket},
		"lists hash beside the lists": {hashAndLists, types.ErrInvalidPacket},
		"short lists hash":            {shortHash, types.ErrInvalidPacket},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := types.DecodePacketData(tc.data)
			require.ErrorIs(t, err, tc.err)
		})
	}
}

func TestValidateChannel(t *testing.T) {
	ok := func() error {
		return types.ValidateChannel(channeltypes.UNORDERED, types.CollectorPortID, types.CollectorPortID,
			types.ReporterPortID, types.ReporterPortID, types.Version)
	}
	require.NoError(t, ok())
	require.ErrorIs(t, types.ValidateChannel(channeltypes.ORDERED, "a", "a", "b", "b", types.Version), types.ErrInvalidChannel)
	require.ErrorIs(t, types.ValidateChannel(channeltypes.UNORDERED, "a", "a", "b", "b", "v2"), types.ErrInvalidChannel)
	require.ErrorIs(t, types.ValidateChannel(channeltypes.UNORDERED, "a", "x", "b", "b", types.Version), types.ErrInvalidChannel)
	require.ErrorIs(t, types.ValidateChannel(channeltypes.UNORDERED, "a", "a", "b", "x", types.Version), types.ErrInvalidChannel)
}

// FuzzDecodePacketData: any bytes from a counterparty decode without a panic,
// and what decodes and validates survives a round trip.
func FuzzDecodePacketData(f *testing.F) {
	snap := validSnapshot()
	seed, err := types.NewReportPacket(types.StatusReport{Sequence: 3, Snapshot: &snap, Heartbeat: true})
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte{0x0a, 0x00})
	named := snap
	hash := named.NameListsByHash()
	seed, err = types.NewReportPacket(types.StatusReport{Sequence: 4, Snapshot: &named, ListsHash: hash})
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		pd, err := types.DecodePacketData(data)
		if err != nil {
			return
		}
		again, err := pd.Marshal()
		require.NoError(t, err)
		back, err := types.DecodePacketData(again)
		require.NoError(t, err)
		twice, err := back.Marshal()
		require.NoError(t, err)
		require.Equal(t, again, twice)
	})
}

func TestDisputedFields(t *testing.T) {
	a := validSnapshot()
	require.Empty(t, types.DisputedFields(a, a))
	b := validSnapshot()
	b.TotalTxs, b.TpsMilli, b.SoftwareVersion = 1, 1, "other"
	b.Validators[0].Moniker = "renamed"
	require.Empty(t, types.DisputedFields(a, b), "counters, version and monikers are not disputable")
	b.ContractCount++
	b.Validators[1].Power++
	b.Orgs = b.Orgs[:1]
	require.Equal(t, []string{types.FieldOrgs, types.FieldValidators, types.FieldContractCount}, types.DisputedFields(a, b))
	require.Equal(t, "4", types.FieldValue(b, types.FieldContractCount, 10))
	require.Equal(t, "subvalcons1aaa:10,subvalcons1bbb:6", types.FieldValue(b, types.FieldValidators, 100))
	require.Equal(t, "subvalcons", types.FieldValue(b, types.FieldValidators, 10), "cut to the cap")
}
