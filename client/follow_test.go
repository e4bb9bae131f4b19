package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/client"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// chain is a node's blocks as the follower sees them: a status report in
// each block's transaction, a stale event in every fifth block's own
// events, and an outage the test can switch on.
type chain struct {
	mu     sync.Mutex
	height int64
	down   bool
	reads  map[int64]int
}

func (c *chain) Status(context.Context) (*coretypes.ResultStatus, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return nil, errors.New("connection refused")
	}
	return &coretypes.ResultStatus{SyncInfo: coretypes.SyncInfo{LatestBlockHeight: c.height}}, nil
}

func (c *chain) BlockResults(_ context.Context, h *int64) (*coretypes.ResultBlockResults, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return nil, errors.New("connection refused")
	}
	c.reads[*h]++
	report, _ := sdk.TypedEventToEvent(&collectortypes.EventStatusReported{ChainId: "subchain-a", Sequence: uint64(*h), Height: *h * 10})
	other := abci.Event{Type: "transfer", Attributes: []abci.EventAttribute{{Key: "amount", Value: "5stake"}}}
	res := &coretypes.ResultBlockResults{Height: *h, TxsResults: []*abci.ExecTxResult{
		{Code: 0, Events: []abci.Event{other, abci.Event(report)}},
		{Code: 5, Events: []abci.Event{abci.Event(report)}}, // failed: not the chain's
	}}
	if *h%5 == 0 {
		stale, _ := sdk.TypedEventToEvent(&collectortypes.EventSubchainStale{ChainId: "subchain-b", LastHeight: *h})
		stale.Attributes = append(stale.Attributes, abci.EventAttribute{Key: "mode", Value: "EndBlock"})
		res.FinalizeBlockEvents = []abci.Event{abci.Event(stale)}
	}
	return res, nil
}

func (c *chain) set(height int64, down bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.height, c.down = height, down
}

// TestFollowExactlyOnceAcrossOutage: every block's events come once, in
// order, decoded to their Go types, the block's own after its
// transactions'; an outage only delays the blocks produced meanwhile, which
// come when the node answers again, in bounded catch-ups.
func TestFollowExactlyOnceAcrossOutage(t *testing.T) {
	c := &chain{height: 3, reads: map[int64]int{}}
	var errs []error
	var mu sync.Mutex
	f := &client.Follower{Blocks: c, Poll: 5 * time.Millisecond, Retry: 5 * time.Millisecond, MaxBackfill: 7,
		Errors: func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := f.Run(ctx, 2)

	next := func() client.Event {
		t.Helper()
		select {
		case ev := <-events:
			return ev
		case <-time.After(5 * time.Second):
			t.Fatal("no event")
			return client.Event{}
		}
	}
	var reports []int64
	take := func(upTo int64) {
		for len(reports) == 0 || reports[len(reports)-1] < upTo {
			ev := next()
			switch m := ev.Msg.(type) {
			case *collectortypes.EventStatusReported:
				require.Equal(t, 0, ev.TxIndex)
				require.Equal(t, ev.Height, int64(m.Sequence))
				require.Equal(t, "statuscollect.collector.v1.EventStatusReported", ev.Type)
				reports = append(reports, ev.Height)
			case *collectortypes.EventSubchainStale:
				require.Equal(t, -1, ev.TxIndex)
				require.Zero(t, ev.Height%5)
				require.Equal(t, reports[len(reports)-1], ev.Height, "a block's own events after its transactions'")
			default:
				t.Fatalf("unexpected %T", ev.Msg)
			}
		}
	}
	take(3)
	c.set(3, true) // the node goes away; 20 blocks are made meanwhile
	time.Sleep(30 * time.Millisecond)
	c.set(23, false)
	take(23)
	c.set(30, false)
	take(30)

	want := make([]int64, 0, 29)
	for h := int64(2); h <= 30; h++ {
		want = append(want, h)
	}
	require.Equal(t, want, reports, "every block once, in order, from the height asked")
	c.mu.Lock()
	for h := int64(2); h <= 30; h++ {
		require.Equal(t, 1, c.reads[h], "block %d read once", h)
	}
	c.mu.Unlock()
	mu.Lock()
	require.NotEmpty(t, errs, "the outage was reported")
	require.ErrorContains(t, errs[0], "connection refused")
	mu.Unlock()
	cancel()
	for range events { // closed once ctx ends
	}
}

// TestDecodeRefusedPacketEvent: the events of a packet refused with an
// error acknowledgement carry IBC's prefix on the type and on every key;
// they are decoded and marked Refused.
func TestDecodeRefusedPacketEvent(t *testing.T) {
	e, err := sdk.TypedEventToEvent(&collectortypes.EventStatusPacketRefused{ChannelId: "channel-0", PacketSequence: 4, ChainId: "subchain-a", Codespace: "statuscollect", Code: 7})
	require.NoError(t, err)
	e.Type = "ibccallbackerror-" + e.Type
	for i := range e.Attributes {
		e.Attributes[i].Key = "ibccallbackerror-" + e.Attributes[i].Key
	}
	events, err := client.Decode(&coretypes.ResultBlockResults{Height: 9, TxsResults: []*abci.ExecTxResult{{Events: []abci.Event{abci.Event(e)}}}})
	require.NoError(t, err)
	require.Len(t, events, 1)
	require.True(t, events[0].Refused)
	m, ok := events[0].Msg.(*collectortypes.EventStatusPacketRefused)
	require.True(t, ok)
	require.EqualValues(t, 7, m.Code)
	require.Equal(t, "subchain-a", m.ChainId)
}

// A follower allowed to fall MaxBehind blocks behind skips the rest, says
// which, and goes on from the node's latest block.
func TestFollowSkipsAheadWhenTooFarBehind(t *testing.T) {
	c := &chain{height: 3, reads: map[int64]int{}}
	skipped := make(chan [2]int64, 1)
	f := &client.Follower{Blocks: c, Poll: 5 * time.Millisecond, Retry: 5 * time.Millisecond, MaxBehind: 10,
		Skipped: func(from, to int64) { skipped <- [2]int64{from, to} }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := f.Run(ctx, 2)
	ev := <-events
	require.EqualValues(t, 2, ev.Height, "within MaxBehind: every block")
	for ev.Height < 3 {
		ev = <-events
	}
	c.set(50, false)
	select {
	case r := <-skipped:
		require.Equal(t, [2]int64{4, 49}, r)
	case <-time.After(5 * time.Second):
		t.Fatal("nothing skipped 47 blocks behind")
	}
	ev = <-events
	require.EqualValues(t, 50, ev.Height, "on from the latest block")
	c.mu.Lock()
	defer c.mu.Unlock()
	for h := int64(4); h < 50; h++ {
		require.Zero(t, c.reads[h], "block %d was read", h)
	}
}
