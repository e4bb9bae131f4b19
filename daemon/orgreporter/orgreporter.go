// Package orgreporter is an organization's status reporter (S11): it watches
// its own subchain node and, when something changed, submits the subchain's
// status to the main chain through the org's monitoring account. What it last
// submitted is kept in a state file, so a restart of the daemon or of either
// node loses no change and repeats none.
package orgreporter

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/statuscollect/statuscollect/daemon/statefile"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// View is what the reporter reads of its subchain (chainview.Observer).
type View interface {
	LatestHeight(ctx context.Context) (int64, error)
	ReportInterval(ctx context.Context) (int64, error)
	Observe(ctx context.Context, height int64, orgs []string) (shared.StatusSnapshot, error)
	Contracts(ctx context.Context, height int64) ([]string, error)
	Contract(ctx context.Context, height int64, address string) (shared.Contract, error)
	// BlockTxs is the number of transactions in the block at height.
	BlockTxs(ctx context.Context, height int64) (uint64, error)
}

// Submitter sends a snapshot to the main chain and returns once the main
// chain has recorded it (or failed to).
type Submitter func(ctx context.Context, snap shared.StatusSnapshot) error

// State is what survives a restart.
type State struct {
	// Last is the last snapshot the main chain recorded from this reporter.
	Last *shared.StatusSnapshot `json:"last,omitempty"`
	// Known are the contract addresses the main chain has heard of from it.
	Known []string `json:"known,omitempty"`
	// Counted is how far the subchain's blocks have been counted.
	Counted *TxMark `json:"counted,omitempty"`
}

// TxMark is a point of the subchain's transaction count: every transaction
// in the blocks from Since+1 to Height. Since is 0 when counting began at
// genesis, so Total is then the chain's total since genesis.
type TxMark struct {
	Since  int64  `json:"since"`
	Height int64  `json:"height"`
	Total  uint64 `json:"total"`
}

// Reporter is one org's reporter for one subchain.
type Reporter struct {
	View   View
	Submit Submitter
	// Orgs are the subchain's member orgs, for a chain without a sidecar.
	Orgs []string
	// StatePath is the state file.
	StatePath string
	// Identity names the chains the state belongs to (chainview.Identity of
	// the subchain and the main chain).
	Identity string
	// Heartbeat, when positive, submits an unchanged status once this much
	// subchain block time has passed since the last one, so the main chain
	// does not mark the subchain stale while nothing changes.
	Heartbeat time.Duration
	// Backfill is how many blocks before its first height the reporter
	// counts transactions from (DefaultBackfill in the daemon); a younger
	// chain is counted from genesis.
	Backfill int64
	state    State
}

// MaxBlocksPerStep bounds the blocks one step reads to count transactions;
// a reporter further behind reports at the height it counted to and goes on
// at the next step (CatchingUp).
const MaxBlocksPerStep = 2000

// DefaultBackfill counts a chain of up to 10,000 blocks from genesis.
const DefaultBackfill = 10_000

// Load reads the state file; a missing file is a first start, and a file
// written for other chains (Identity) is set aside: old names them.
func (r *Reporter) Load() (old string, err error) {
	return statefile.Load(r.StatePath, r.Identity, &r.state)
}

func (r *Reporter) save() error { return statefile.Save(r.StatePath, r.Identity, r.state) }

// Outcome says what one step did.
type Outcome string

const (
	Submitted  Outcome = "submitted"
	Unchanged  Outcome = "unchanged"
	NoNewData  Outcome = "no new height"
	CatchingUp Outcome = "catching up"
)

// Step observes the subchain once and submits when something changed (or
// a heartbeat is due). On a chain with the statusreporter sidecar it reads
// the latest height the sidecar took a snapshot at, so its reports can be
// checked against the subchain's own record. Transactions are counted from
// the blocks themselves, so a chain without the sidecar gets its counts and
// TPS too. A failed submission leaves the state as it was: the next step
// carries the same changes.
func (r *Reporter) Step(ctx context.Context) (Outcome, error) {
	h, err := r.View.LatestHeight(ctx)
	if err != nil {
		return "", err
	}
	interval, err := r.View.ReportInterval(ctx)
	if err != nil {
		return "", err
	}
	if interval > 0 {
		h -= h % interval
	}
	mark := r.startMark(h)
	if r.state.Counted != nil && h <= mark.Height {
		return NoNewData, nil
	}
	behind := h-mark.Height > MaxBlocksPerStep
	if behind {
		h = mark.Height + MaxBlocksPerStep
		if interval > 0 && h-h%interval > mark.Height {
			h -= h % interval
		}
	}
	counted, err := r.count(ctx, mark, h)
	if err != nil {
		return "", err
	}
	snap, err := r.View.Observe(ctx, h, r.Orgs)
	if err != nil {
		return "", err
	}
	r.setTxs(&snap, counted)
	if err := r.addNewContracts(ctx, &snap); err != nil {
		return "", err
	}
	if !r.due(snap) {
		r.state.Counted = &counted
		if err := r.save(); err != nil {
			return "", err
		}
		if behind {
			return CatchingUp, nil
		}
		return Unchanged, nil
	}
	if err := snap.Validate(); err != nil {
		return "", fmt.Errorf("observed snapshot: %w", err)
	}
	if err := r.Submit(ctx, snap); err != nil {
		return "", err
	}
	for _, c := range snap.NewContracts {
		i, _ := slices.BinarySearch(r.state.Known, c.Address)
		r.state.Known = slices.Insert(r.state.Known, i, c.Address)
	}
	r.state.Last = &snap
	r.state.Counted = &counted
	return Submitted, r.save()
}

// startMark is where counting goes on from: the saved mark, or on a first
// start Backfill blocks before h (genesis for a younger chain).
func (r *Reporter) startMark(h int64) TxMark {
	if r.state.Counted != nil {
		return *r.state.Counted
	}
	since := max(0, h-max(r.Backfill, 0))
	return TxMark{Since: since, Height: since}
}

// count adds the transactions of blocks mark.Height+1..h to mark.
func (r *Reporter) count(ctx context.Context, mark TxMark, h int64) (TxMark, error) {
	for height := mark.Height + 1; height <= h; height++ {
		n, err := r.View.BlockTxs(ctx, height)
		if err != nil {
			return mark, err
		}
		mark.Total += n
	}
	mark.Height = h
	return mark, nil
}

// setTxs fills the transaction figures: the total, and the window since the
// last submitted report (or since counting began) with its TPS in milli-TPS.
func (r *Reporter) setTxs(snap *shared.StatusSnapshot, m TxMark) {
	snap.TotalTxs = m.Total
	if last := r.state.Last; last != nil && last.Height < snap.Height && last.TotalTxs <= m.Total {
		snap.WindowTxs = m.Total - last.TotalTxs
		snap.WindowBlocks = uint64(snap.Height - last.Height)
		if ms := snap.BlockTime.Sub(last.BlockTime).Milliseconds(); ms > 0 {
			snap.TpsMilli = snap.WindowTxs * 1_000_000 / uint64(ms)
		}
		return
	}
	snap.WindowTxs = m.Total
	snap.WindowBlocks = uint64(snap.Height - m.Since)
}

// addNewContracts lists the contracts the main chain has not heard of from
// this reporter, up to the snapshot's cap.
func (r *Reporter) addNewContracts(ctx context.Context, snap *shared.StatusSnapshot) error {
	contracts, err := r.View.Contracts(ctx, snap.Height)
	if err != nil {
		return err
	}
	for _, addr := range contracts {
		if len(snap.NewContracts) == shared.MaxNewContracts {
			break // the count still moves; the rest are listed next time
		}
		if _, known := slices.BinarySearch(r.state.Known, addr); known {
			continue
		}
		c, err := r.View.Contract(ctx, snap.Height, addr)
		if err != nil {
			return err
		}
		snap.NewContracts = append(snap.NewContracts, c)
	}
	return nil
}

// due says whether snap is worth a submission: the first one, a change of
// orgs, validators or contracts, or a heartbeat.
func (r *Reporter) due(snap shared.StatusSnapshot) bool {
	last := r.state.Last
	switch {
	case last == nil, len(snap.NewContracts) > 0, len(shared.DisputedFields(*last, snap)) > 0:
		return true
	default:
		return r.Heartbeat > 0 && !snap.BlockTime.Before(last.BlockTime.Add(r.Heartbeat))
	}
}
