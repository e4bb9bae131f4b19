package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Event is one statuscollect event of a block.
type Event struct {
	Height int64
	// TxIndex is the index of the transaction that emitted it, or -1 for the
	// block's own events (the modules' EndBlockers: stale, halted, pruned).
	TxIndex int
	// Type is the event's proto name, e.g.
	// statuscollect.collector.v1.EventStatusReported.
	Type string
	// Refused is set for the events of an IBC packet that got an error
	// acknowledgement (IBC prefixes their type with "ibccallbackerror-").
	Refused bool
	// Msg is the decoded event; its Go type is the proto's, e.g.
	// *collectortypes.EventStatusReported.
	Msg proto.Message
}

// Blocks is what a Follower reads: a node's latest height and a block's
// results. The CometBFT RPC client has both.
type Blocks interface {
	Status(ctx context.Context) (*coretypes.ResultStatus, error)
	BlockResults(ctx context.Context, height *int64) (*coretypes.ResultBlockResults, error)
}

// Follower yields the statuscollect events of a node's blocks. Events are
// always read from block results, height after height, never from the
// websocket's own event stream: so each block is read once, in order, and a
// lost connection only delays the blocks after it, which are read when the
// node answers again (the backfill). The websocket only wakes it early.
type Follower struct {
	Blocks Blocks
	// Wake, if set, returns a channel that signals new blocks; when it fails
	// or closes, the follower polls and asks again later.
	Wake func(ctx context.Context) (<-chan struct{}, error)
	// Poll is how often it asks for the latest height without a wake
	// (default 1s); Retry how long it waits after an error (default 2s).
	Poll, Retry time.Duration
	// MaxBackfill bounds the blocks read in one catch-up (default 1,000);
	// the rest are read in the next rounds.
	MaxBackfill int64
	// Errors, if set, receives the errors the follower recovers from.
	Errors func(error)
	// MaxBehind, if set, is how far behind the node the follower may fall:
	// further behind, it does not read the blocks in between but tells
	// Skipped their heights and goes on from the latest. For a reader that
	// only needs to know that something changed, such as a status page,
	// which reads everything again anyway; zero reads every block.
	MaxBehind int64
	Skipped   func(from, to int64)
}

// Run follows from height from (0: from the next block) until ctx ends,
// then closes the channel.
func (f *Follower) Run(ctx context.Context, from int64) <-chan Event {
	out := make(chan Event, 64)
	go func() {
		defer close(out)
		f.run(ctx, from, out)
	}()
	return out
}

func (f *Follower) run(ctx context.Context, next int64, out chan<- Event) {
	poll, retry, maxBackfill := or(f.Poll, time.Second), or(f.Retry, 2*time.Second), f.MaxBackfill
	if maxBackfill <= 0 {
		maxBackfill = 1000
	}
	var wake <-chan struct{}
	for ctx.Err() == nil {
		if wake == nil && f.Wake != nil {
			if w, err := f.Wake(ctx); err != nil {
				f.report(fmt.Errorf("block subscription: %w (polling meanwhile)", err))
			} else {
				wake = w
			}
		}
		wait := poll
		caught, err := f.catchUp(ctx, &next, maxBackfill, out)
		switch {
		case err != nil:
			f.report(err)
			wait = retry
		case caught:
			wait = 0 // more blocks than one catch-up reads: go on at once
		}
		if wait == 0 {
			continue
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case _, ok := <-wake:
			if !ok {
				wake = nil // closed: subscribe again on the next round
			}
		case <-timer.C:
		}
		timer.Stop()
	}
}

// catchUp reads the blocks from *next to the node's latest, at most max of
// them; it reports whether blocks are left.
func (f *Follower) catchUp(ctx context.Context, next *int64, max int64, out chan<- Event) (more bool, err error) {
	st, err := f.Blocks.Status(ctx)
	if err != nil {
		return false, fmt.Errorf("latest height: %w", err)
	}
	latest := st.SyncInfo.LatestBlockHeight
	if *next == 0 {
		*next = latest + 1
	}
	if f.MaxBehind > 0 && latest-*next > f.MaxBehind {
		if f.Skipped != nil {
			f.Skipped(*next, latest-1)
		}
		*next = latest
	}
	last := min(latest, *next+max-1)
	for h := *next; h <= last; h++ {
		height := h
		res, err := f.Blocks.BlockResults(ctx, &height)
		if err != nil {
			return false, fmt.Errorf("block %d: %w", h, err)
		}
		events, err := Decode(res)
		if err != nil {
			return false, err
		}
		for _, ev := range events {
			select {
			case out <- ev:
			case <-ctx.Done():
				return false, ctx.Err()
			}
		}
		*next = h + 1 // only once all its events are out
	}
	return last < latest, nil
}

func (f *Follower) report(err error) {
	if f.Errors != nil && !errors.Is(err, context.Canceled) {
		f.Errors(err)
	}
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// refusedPrefix is what IBC puts before the type of every event a refused
// packet's callback emitted.
const refusedPrefix = "ibccallbackerror-"

// Decode returns the statuscollect events of one block's results, its
// transactions' first, in order, then the block's own.
func Decode(res *coretypes.ResultBlockResults) ([]Event, error) {
	var out []Event
	add := func(txIndex int, evs []abci.Event) error {
		for _, e := range evs {
			ev, ok, err := decodeEvent(e)
			if err != nil {
				return fmt.Errorf("block %d: %w", res.Height, err)
			}
			if ok {
				ev.Height, ev.TxIndex = res.Height, txIndex
				out = append(out, ev)
			}
		}
		return nil
	}
	for i, tx := range res.TxsResults {
		if tx == nil || tx.Code != 0 {
			continue // a failed transaction changed nothing
		}
		if err := add(i, tx.Events); err != nil {
			return nil, err
		}
	}
	return out, add(-1, res.FinalizeBlockEvents)
}

// decodeEvent decodes a statuscollect typed event; other events are not ok.
func decodeEvent(e abci.Event) (Event, bool, error) {
	typ, refused := strings.CutPrefix(e.Type, refusedPrefix)
	if !strings.HasPrefix(typ, "statuscollect.") {
		return Event{}, false, nil
	}
	attrs := make([]abci.EventAttribute, 0, len(e.Attributes))
	for _, a := range e.Attributes {
		key := strings.TrimPrefix(a.Key, refusedPrefix)
		if key == "msg_index" || key == "mode" {
			continue // added by the SDK, not fields of the event
		}
		attrs = append(attrs, abci.EventAttribute{Key: key, Value: a.Value})
	}
	msg, err := sdk.ParseTypedEvent(abci.Event{Type: typ, Attributes: attrs})
	if err != nil {
		return Event{}, false, fmt.Errorf("decoding %s: %w", typ, err)
	}
	return Event{Type: typ, Refused: refused, Msg: msg}, true, nil
}
