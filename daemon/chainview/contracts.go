package chainview

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"github.com/cosmos/cosmos-sdk/types/query"

	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"

	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// How an observer counts CosmWasm contracts.
//
// x/wasm keeps no count an observer can read: its instance sequence skips
// contracts made by instantiate2, and its listings refuse count_total (and
// offsets) and answer at most 100 contracts a page. What it does keep is, per
// code, its contracts in the order of the block they joined that code
// (instantiated there, or migrated to it). An observer therefore counts once
// in full, by listing every code's contracts, and from then on goes from its
// last count (height a, count n) to height h by reading only what changed
// between: for each code, the contracts that joined it after block a, each
// with its contract info. Those created after a are the new ones, so the
// count at h is n plus them (or, for h below a, n minus those created in
// h+1..a). A contract is counted under the one code it runs, so a migration
// moves nothing. Each step thus costs one listing request per code plus one
// request per contract instantiated or migrated since the last count,
// however many contracts the chain holds.
//
// This assumes block heights only grow over a contract's life, as they do on
// a chain and across an export restarted at the next height (initial_height).
const (
	// MaxCodes is the most wasm codes one count visits: a chain with more
	// is refused (ErrTooManyCodes) rather than read at length every step.
	MaxCodes = 1000
	// MaxContracts is the most contracts a full count lists (the first count
	// an observer makes, when it has no earlier one to go from): past it the
	// count is refused (ErrTooManyContracts).
	MaxContracts = 1_000_000
	// MaxChanges is the most contracts instantiated or migrated between two
	// counts that an observer reads to go from one to the other; past it a
	// count is made in full instead, and ContractsChanged refuses
	// (ErrTooManyChanges).
	MaxChanges = 10_000
)

var (
	// ErrTooManyCodes: the chain has more than MaxCodes wasm codes.
	ErrTooManyCodes = errors.New("more wasm codes than an observer visits")
	// ErrTooManyContracts: a full count found more than MaxContracts contracts.
	ErrTooManyContracts = errors.New("more contracts than an observer lists in full")
	// ErrTooManyChanges: more than MaxChanges contracts were instantiated or
	// migrated in the blocks asked about.
	ErrTooManyChanges = errors.New("more contracts instantiated or migrated than an observer reads at once")
)

// maxPageSize is the most entries x/wasm answers in one page.
const maxPageSize = 100

// contractTally is a count of contracts at a height.
type contractTally struct {
	height int64
	count  uint64
}

// contractChanges are the contracts that joined a code in blocks from+1..to,
// as they are at to, sorted by address, and how many of them were created
// (rather than migrated) in those blocks.
type contractChanges struct {
	from, to  int64
	contracts []shared.Contract
	created   uint64
}

// ContractCount is the number of CosmWasm contracts at height; 0 on a chain
// without x/wasm. It goes from the observer's last count when it has one (see
// the package's notes on counting) and counts in full otherwise.
func (o *Observer) ContractCount(ctx context.Context, height int64) (uint64, error) {
	o.mu.Lock()
	last := o.tally
	o.mu.Unlock()
	if last != nil && last.height == height {
		return last.count, nil
	}
	if last != nil {
		lo, hi := min(last.height, height), max(last.height, height)
		ch, err := o.changes(ctx, lo, hi)
		switch {
		case err == nil && height > last.height:
			return o.remember(height, last.count+ch.created), nil
		case err == nil && ch.created <= last.count:
			return o.remember(height, last.count-ch.created), nil
		case err != nil && !errors.Is(err, ErrTooManyChanges):
			return 0, err
		}
		// Too much changed (or the earlier count cannot be right): count in full.
	}
	n, err := o.fullCount(ctx, height)
	if err != nil {
		return 0, err
	}
	return o.remember(height, n), nil
}

// RememberContractCount gives the observer a count it made before (a daemon's
// saved state), so its next count reads only the changes since. It replaces
// no count the observer made itself at a later height.
func (o *Observer) RememberContractCount(height int64, count uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.tally == nil || o.tally.height < height {
		o.tally = &contractTally{height: height, count: count}
	}
}

// remember keeps the count at height when it is the latest known.
func (o *Observer) remember(height int64, count uint64) uint64 {
	o.RememberContractCount(height, count)
	return count
}

// ContractsChanged lists the contracts instantiated or migrated in blocks
// from+1..to, as they are at to (code id and label), sorted by address; none
// on a chain without x/wasm. More than MaxChanges is refused
// (ErrTooManyChanges): ask about fewer blocks.
func (o *Observer) ContractsChanged(ctx context.Context, from, to int64) ([]shared.Contract, error) {
	ch, err := o.changes(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return slices.Clone(ch.contracts), nil
}

// changes reads the contracts that joined a code in blocks from+1..to. The
// last answer is kept: a daemon's step asks for the same blocks twice (for
// the count and for the new contracts) and reads them once.
func (o *Observer) changes(ctx context.Context, from, to int64) (*contractChanges, error) {
	o.mu.Lock()
	memo := o.memo
	o.mu.Unlock()
	if memo != nil && memo.from == from && memo.to == to {
		return memo, nil
	}
	ch := &contractChanges{from: from, to: to}
	if from >= to {
		return ch, nil
	}
	at := atHeight(ctx, to)
	codes, err := o.codeIDs(at)
	if err != nil {
		return nil, err
	}
	// A code's contracts are keyed by the position (block, then transaction)
	// at which they joined it: start after block from.
	start := (&wasmtypes.AbsoluteTxPosition{BlockHeight: uint64(from + 1)}).Bytes()
	var addrs []string
	for _, id := range codes {
		err := o.eachContract(at, id, start, func(addr string) error {
			if len(addrs) == MaxChanges {
				return fmt.Errorf("%w: over %d in blocks %d..%d", ErrTooManyChanges, MaxChanges, from+1, to)
			}
			addrs = append(addrs, addr)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	client := wasmtypes.NewQueryClient(o.conn)
	for _, addr := range addrs {
		res, err := client.ContractInfo(at, &wasmtypes.QueryContractInfoRequest{Address: addr})
		if err != nil {
			return nil, fmt.Errorf("contract %s: %w", addr, err)
		}
		ch.contracts = append(ch.contracts, shared.Contract{Address: addr, CodeId: res.CodeID,
			Label: shared.TruncateText(res.Label, shared.MaxContractLabel)})
		if c := res.Created; c != nil && c.BlockHeight > uint64(from) && c.BlockHeight <= uint64(to) {
			ch.created++
		}
	}
	slices.SortFunc(ch.contracts, func(a, b shared.Contract) int { return strings.Compare(a.Address, b.Address) })
	o.mu.Lock()
	o.memo = ch
	o.mu.Unlock()
	return ch, nil
}

// fullCount lists every code's contracts at height.
func (o *Observer) fullCount(ctx context.Context, height int64) (uint64, error) {
	at := atHeight(ctx, height)
	codes, err := o.codeIDs(at)
	if err != nil {
		return 0, err
	}
	var n uint64
	for _, id := range codes {
		err := o.eachContract(at, id, nil, func(string) error {
			if n == MaxContracts {
				return fmt.Errorf("%w: over %d at height %d", ErrTooManyContracts, MaxContracts, height)
			}
			n++
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return n, nil
}

// codeIDs lists the stored code ids, at most MaxCodes; none on a chain
// without x/wasm. A chain has no x/wasm when every endpoint says so at the
// first page (Endpoints.Invoke returns Unimplemented only then): a count of 0
// is remembered and counted on from, so no single node may decide it. After
// a page of codes, Unimplemented contradicts that page and is an error.
func (o *Observer) codeIDs(ctx context.Context) ([]uint64, error) {
	client := wasmtypes.NewQueryClient(o.conn)
	var out []uint64
	var next []byte
	for range MaxCodes/maxPageSize + 1 {
		res, err := client.Codes(ctx, &wasmtypes.QueryCodesRequest{Pagination: &query.PageRequest{Key: next, Limit: maxPageSize}})
		if status.Code(err) == codes.Unimplemented && next == nil {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("wasm codes: %w", err)
		}
		for _, c := range res.CodeInfos {
			if len(out) == MaxCodes {
				return nil, fmt.Errorf("%w: the chain has over %d", ErrTooManyCodes, MaxCodes)
			}
			out = append(out, c.CodeID)
		}
		if next = res.Pagination.GetNextKey(); len(next) == 0 {
			return out, nil
		}
	}
	return nil, fmt.Errorf("%w: more pages of codes than it reads", ErrTooManyCodes)
}

// eachContract calls f with the address of every contract of code id whose
// key in the code's listing is at least start (all of them when start is
// nil), page by page; f's error stops it. A node that keeps answering pages
// without contracts is not followed past what MaxContracts would take.
func (o *Observer) eachContract(ctx context.Context, id uint64, start []byte, f func(addr string) error) error {
	client := wasmtypes.NewQueryClient(o.conn)
	next := start
	for range MaxContracts/maxPageSize + 1 {
		res, err := client.ContractsByCode(ctx, &wasmtypes.QueryContractsByCodeRequest{CodeId: id,
			Pagination: &query.PageRequest{Key: next, Limit: maxPageSize}})
		if err != nil {
			return fmt.Errorf("contracts of code %d: %w", id, err)
		}
		for _, addr := range res.Contracts {
			if err := f(addr); err != nil {
				return err
			}
		}
		if next = res.Pagination.GetNextKey(); len(next) == 0 {
			return nil
		}
	}
	return fmt.Errorf("%w: contracts of code %d: more pages than it reads", ErrTooManyContracts, id)
}

// atHeight makes the calls of ctx read the state at height.
func atHeight(ctx context.Context, height int64) context.Context {
	return metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(height, 10))
}
