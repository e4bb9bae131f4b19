package keeper_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// FuzzStatusReportedEvent: the event every report emits, built by hand
// (types.EventStatusReported.ToEvent), is exactly the one the SDK makes of
// the typed event, for any field values, strings that JSON must escape
// included; and it decodes back to the same typed event.
func FuzzStatusReportedEvent(f *testing.F) {
	f.Add("subchain-a", uint64(12), int64(340), "org-a", "main1qqqq", "", uint64(0), uint64(1234), uint64(3000), uint64(4), uint64(4), uint64(17), "v1.0.0")
	f.Add("gateway-c", uint64(1), int64(-5), "", "", "channel-0", uint64(9), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), "")
	f.Add(`a"b\c`, ^uint64(0), int64(-1<<63), "<org>&", "\u2028\u2029", "\x00\x1f\x7f", ^uint64(0), ^uint64(0), uint64(1), uint64(2), uint64(3), uint64(4), "v\xff\xfe é 世界 \U0001F600")
	f.Fuzz(func(t *testing.T, chain string, seq uint64, height int64, org, reporter, channel string, ibcSeq, txs, tps, orgs, nodes, contracts uint64, version string) {
		ev := &types.EventStatusReported{ChainId: chain, Sequence: seq, Height: height,
			Source:   types.ReportSource{OrgId: org, Reporter: reporter, ChannelId: channel, IbcSequence: ibcSeq},
			TotalTxs: txs, TpsMilli: tps, OrgCount: orgs, NodeCount: nodes, ContractCount: contracts, SoftwareVersion: version}
		want, err := sdk.TypedEventToEvent(ev)
		require.NoError(t, err)
		got := ev.ToEvent()
		require.Equal(t, want, got)

		back, err := sdk.ParseTypedEvent(abci.Event(got))
		require.NoError(t, err)
		parsed := back.(*types.EventStatusReported)
		// JSON carries text as UTF-8: what was not UTF-8 comes back replaced, as from the typed event.
		fromSDK, err := sdk.ParseTypedEvent(abci.Event(want))
		require.NoError(t, err)
		require.Equal(t, fromSDK, parsed)
	})
}
