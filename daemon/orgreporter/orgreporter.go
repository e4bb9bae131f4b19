// Package orgreporter is an organization's status reporter: it watches
// its own subchain node and, when something changed, submits the subchain's
// status to the main chain through the org's monitoring account. What it last
// submitted is kept in a state file, so a restart of the daemon or of either
// node loses no change and repeats none.
package orgreporter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/statuscollect/statuscollect/daemon/chainview"
	"github.com/statuscollect/statuscollect/daemon/statefile"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// View is what the reporter reads of its subchain (chainview.Observer).
type View interface {
	LatestHeight(ctx context.Context) (int64, error)
	ReportInterval(ctx context.Context) (int64, error)
	Observe(ctx context.Context, height int64, orgs []string) (shared.StatusSnapshot, error)
	// ContractsChanged lists the contracts instantiated or migrated in blocks
	// from+1..to, as they are at to, sorted by address. An error wrapping
	// chainview.ErrTooManyChanges asks about fewer blocks.
	ContractsChanged(ctx context.Context, from, to int64) ([]shared.Contract, error)
	// RememberContractCount gives the view the contract count it observed at
	// height before a restart, so it need not count every contract again.
	RememberContractCount(height int64, count uint64)
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
	// Unsent are contracts instantiated or migrated up to Counted that no
	// recorded report carried yet (one report carries at most
	// shared.MaxNewContracts), oldest first, at most MaxUnsent.
	Unsent []shared.Contract `json:"unsent,omitempty"`
	// Dropped counts contracts that found no room in Unsent and were never
	// listed (the contract count still moved).
	Dropped uint64 `json:"dropped,omitempty"`
	// Counted is how far the subchain's blocks have been counted.
	Counted *TxMark `json:"counted,omitempty"`
	// Contracts is the contract count observed at Counted's height.
	Contracts *ContractMark `json:"contracts,omitempty"`
}

// ContractMark is a contract count at a height.
type ContractMark struct {
	Height int64  `json:"height"`
	Count  uint64 `json:"count"`
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

// MaxUnsent bounds the contracts carried over to later reports.
const MaxUnsent = 10_000

// Load reads the state file; a missing file is a first start, and a file
// written for other chains (Identity) is set aside: old names them. The
// contract count saved is handed to the view, so a restart does not list
// every contract again.
func (r *Reporter) Load() (old string, err error) {
	if old, err = statefile.Load(r.StatePath, r.Identity, &r.state); err != nil || old != "" {
		return old, err
	}
	switch {
	case r.state.Contracts != nil:
		r.View.RememberContractCount(r.state.Contracts.Height, r.state.Contracts.Count)
	case r.state.Last != nil:
		r.View.RememberContractCount(r.state.Last.Height, r.state.Last.ContractCount)
	}
	return "", nil
}

func (r *Reporter) save() error { return statefile.Save(r.StatePath, r.Identity, r.state) }

// TakeUp makes landed, a report the main chain recorded from this account,
// the last one submitted when it is newer than the state's Last, and saves
// the state. That is the daemon stopped after broadcasting its transaction
// and before saving what it sent: without this, the next report's window
// would count the landed report's transactions again and its new contracts
// would be sent a second time. It says whether it took landed up.
//
// landed is the main chain's word only, so it is checked against the
// subchain first (confirm): taken up at a height the subchain never
// reached, it would hold the reporter at "no new height" for good. One the
// subchain does not confirm is refused with an error wrapping
// ErrUnconfirmed.
//
// Counting goes on from landed's height when landed listed fewer contracts
// than a report can carry; when it was full, some contracts of its blocks
// may not have fit, so counting goes on from where the state left it and
// those blocks' contracts are listed again (the main chain does not count a
// contract it was shown before as a new one).
func (r *Reporter) TakeUp(ctx context.Context, landed shared.StatusSnapshot) (bool, error) {
	if last := r.state.Last; last != nil && landed.Height <= last.Height {
		return false, nil
	}
	if err := r.confirm(ctx, landed); err != nil {
		return false, err
	}
	carried := make(map[string]bool, len(landed.NewContracts))
	for _, c := range landed.NewContracts {
		carried[c.Address] = true
	}
	r.state.Unsent = slices.DeleteFunc(r.state.Unsent, func(c shared.Contract) bool { return carried[c.Address] })
	if counted := r.state.Counted; len(landed.NewContracts) < shared.MaxNewContracts && (counted == nil || counted.Height < landed.Height) {
		since := landed.Height - int64(landed.WindowBlocks) // how the first report's window began
		if counted != nil {
			since = counted.Since
		}
		r.state.Counted = &TxMark{Since: since, Height: landed.Height, Total: landed.TotalTxs}
		r.state.Contracts = &ContractMark{Height: landed.Height, Count: landed.ContractCount}
	}
	r.state.Last = &landed
	return true, r.save()
}

// ErrUnconfirmed says the subchain does not confirm a report the main chain
// names as this reporter's.
var ErrUnconfirmed = errors.New("the subchain does not confirm the report")

// confirm checks that landed is of a height the subchain has, with the
// chain id and block time the subchain has there. A failure to read the
// subchain is no confirmation either: refusing landed costs one window
// counted twice and contracts listed again, where a daemon that could not
// start without reading an old height (pruned since) would not report at
// all.
func (r *Reporter) confirm(ctx context.Context, landed shared.StatusSnapshot) error {
	tip, err := r.View.LatestHeight(ctx)
	if err != nil {
		return fmt.Errorf("%w: latest height: %w", ErrUnconfirmed, err)
	}
	if landed.Height < 1 || landed.Height > tip {
		return fmt.Errorf("%w: its height %d is not in the subchain's 1..%d", ErrUnconfirmed, landed.Height, tip)
	}
	at, err := r.View.Observe(ctx, landed.Height, r.Orgs)
	if err != nil {
		return fmt.Errorf("%w: height %d: %w", ErrUnconfirmed, landed.Height, err)
	}
	if at.ChainId != landed.ChainId || !at.BlockTime.Equal(landed.BlockTime) {
		return fmt.Errorf("%w: it has chain %s at %s at height %d, the subchain %s at %s", ErrUnconfirmed,
			landed.ChainId, landed.BlockTime.UTC().Format(time.RFC3339), landed.Height, at.ChainId, at.BlockTime.UTC().Format(time.RFC3339))
	}
	return nil
}

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
// TPS too; new contracts are those instantiated or migrated in the blocks
// since the last step, so no step lists every contract. A failed submission
// leaves the state as it was: the next step carries the same changes.
func (r *Reporter) Step(ctx context.Context) (Outcome, error) {
	h, err := r.View.LatestHeight(ctx)
	if err != nil {
		return "", err
	}
	if c := r.state.Counted; c != nil && c.Height > h {
		// Waiting quietly for a height the subchain may never reach would
		// hide that the state and the chain disagree.
		return "", fmt.Errorf("transactions are counted to height %d, beyond the subchain's latest height %d: its node is behind, or the state is not of this chain", c.Height, h)
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
		h = alignedBelow(mark.Height+MaxBlocksPerStep, mark.Height, interval)
	}
	changed, upTo, err := r.contractsChanged(ctx, mark.Height, h, interval)
	if err != nil {
		return "", err
	}
	behind = behind || upTo < h
	h = upTo
	counted, err := r.count(ctx, mark, h)
	if err != nil {
		return "", err
	}
	snap, err := r.View.Observe(ctx, h, r.Orgs)
	if err != nil {
		return "", err
	}
	r.setTxs(&snap, counted)
	unsent, dropped := r.addNewContracts(&snap, changed)
	contracts := &ContractMark{Height: h, Count: snap.ContractCount}
	if !r.due(snap) {
		r.state.Counted, r.state.Contracts = &counted, contracts
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
	r.state.Unsent, r.state.Dropped = unsent, r.state.Dropped+dropped
	r.state.Last = &snap
	r.state.Counted, r.state.Contracts = &counted, contracts
	return Submitted, r.save()
}

// alignedBelow is h moved down to a multiple of interval (a snapshot height)
// when one lies above floor; h as it is otherwise.
func alignedBelow(h, floor, interval int64) int64 {
	if interval > 0 && h-h%interval > floor {
		return h - h%interval
	}
	return h
}

// contractsChanged reads the contracts instantiated or migrated in blocks
// from+1..h. When more changed than the view reads at once, it halves the
// blocks until they fit, and returns the height it read up to: the step
// reports there and goes on next time. On a chain with the sidecar the
// shorter step still ends on a snapshot height (a report elsewhere could not
// be checked), so it fails when no snapshot height is left in between.
func (r *Reporter) contractsChanged(ctx context.Context, from, h, interval int64) ([]shared.Contract, int64, error) {
	for {
		changed, err := r.View.ContractsChanged(ctx, from, h)
		if !errors.Is(err, chainview.ErrTooManyChanges) {
			return changed, h, err
		}
		next := from + (h-from)/2
		if interval > 0 {
			next -= next % interval
		}
		if next <= from || next >= h {
			return nil, h, fmt.Errorf("contracts of blocks %d..%d cannot be read in shorter steps: %w", from+1, h, err)
		}
		h = next
	}
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

// addNewContracts lists in snap the contracts no recorded report carried
// yet, up to the snapshot's cap: those left over from earlier reports first,
// then those instantiated or migrated in this step's blocks (a contract in
// both is listed as it is now). It returns the rest, to carry next time (at
// most MaxUnsent), and how many found no room.
func (r *Reporter) addNewContracts(snap *shared.StatusSnapshot, changed []shared.Contract) (rest []shared.Contract, dropped uint64) {
	again := make(map[string]bool, len(changed))
	for _, c := range changed {
		again[c.Address] = true
	}
	queue := make([]shared.Contract, 0, len(r.state.Unsent)+len(changed))
	for _, c := range r.state.Unsent {
		if !again[c.Address] {
			queue = append(queue, c)
		}
	}
	queue = append(queue, changed...)
	n := min(len(queue), shared.MaxNewContracts)
	if n > 0 {
		snap.NewContracts = slices.Clone(queue[:n])
		slices.SortFunc(snap.NewContracts, func(a, b shared.Contract) int { return strings.Compare(a.Address, b.Address) })
	}
	if len(queue) > n {
		rest = slices.Clone(queue[n:])
	}
	if len(rest) > MaxUnsent {
		dropped, rest = uint64(len(rest)-MaxUnsent), rest[:MaxUnsent]
	}
	return rest, dropped
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
