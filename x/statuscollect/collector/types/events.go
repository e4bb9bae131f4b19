package types

import (
	"encoding/json"
	"strconv"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// ToEvent is the event sdk.TypedEventToEvent makes of e, attribute for
// attribute: the typed event's JSON (field names as in the proto, every field
// present, 64-bit integers quoted) split into one attribute per field, in
// order of name. Every report emits this event, and the SDK's generic path
// (the whole message to JSON by reflection, then parsed back into a map) made
// it a large share of a report's own execution time; readers decode it with
// sdk.ParseTypedEvent as before. TestStatusReportedEventIsTheTypedEvent
// (events_test.go) checks the two agree.
func (e *EventStatusReported) ToEvent() sdk.Event {
	var source strings.Builder
	source.WriteString(`{"org_id":`)
	source.WriteString(jsonString(e.Source.OrgId))
	source.WriteString(`,"reporter":`)
	source.WriteString(jsonString(e.Source.Reporter))
	source.WriteString(`,"channel_id":`)
	source.WriteString(jsonString(e.Source.ChannelId))
	source.WriteString(`,"ibc_sequence":`)
	source.WriteString(jsonUint(e.Source.IbcSequence))
	source.WriteString(`}`)
	return sdk.Event{
		Type: proto.MessageName(e),
		Attributes: []abci.EventAttribute{ // sorted by key
			{Key: "chain_id", Value: jsonString(e.ChainId)},
			{Key: "contract_count", Value: jsonUint(e.ContractCount)},
			{Key: "height", Value: `"` + strconv.FormatInt(e.Height, 10) + `"`},
			{Key: "node_count", Value: jsonUint(e.NodeCount)},
			{Key: "org_count", Value: jsonUint(e.OrgCount)},
			{Key: "sequence", Value: jsonUint(e.Sequence)},
			{Key: "software_version", Value: jsonString(e.SoftwareVersion)},
			{Key: "source", Value: source.String()},
			{Key: "total_txs", Value: jsonUint(e.TotalTxs)},
			{Key: "tps_milli", Value: jsonUint(e.TpsMilli)},
		},
	}
}

// jsonUint is a uint64 as protobuf's JSON writes it: a quoted decimal.
func jsonUint(v uint64) string { return `"` + strconv.FormatUint(v, 10) + `"` }

// jsonString is a string as the typed event's JSON writes it (gogoproto's
// jsonpb defers to encoding/json, which also escapes <, > and &).
func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals (invalid UTF-8 becomes U+FFFD)
	return string(b)
}
