// Package chainview observes a running Cosmos chain from outside, over its
// node's gRPC endpoint, and describes it as a status snapshot: the view an
// organization's own node gives it, to report or to check a report
// against. It reads the state at one height, so two observers of the
// same height see the same facts.
package chainview

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/cosmos/cosmos-sdk/types/query"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// The validator listing is bounded by entries, not only by pages: a node
// decides how many validators it puts in a page, and a hostile one ignoring
// the limit asked for could otherwise have an observer unpack and keep
// millions of them. Contract listings have their own bounds (MaxCodes,
// MaxContracts, MaxChanges).
const (
	// MaxBondedValidators is the most bonded validators an observer lists:
	// a chain with more is refused (ErrTooManyValidators). A snapshot names
	// the shared.MaxValidators of most power; staking's max_validators keeps
	// real bonded sets in the hundreds, well below this.
	MaxBondedValidators = 20 * shared.MaxValidators
	// validatorPage is the page size asked for; a larger page is refused.
	validatorPage = 100
)

// ErrTooManyValidators: the chain has more than MaxBondedValidators bonded
// validators.
var ErrTooManyValidators = errors.New("more bonded validators than an observer lists")

// Observer reads one chain through its gRPC endpoints, with failover.
type Observer struct {
	conn *Endpoints
	reg  codectypes.InterfaceRegistry
	// Bech32Prefix is the chain's account prefix; validators are named by
	// consensus address with the prefix + "valcons", as the chain names them.
	Bech32Prefix string

	mu sync.Mutex
	// tally is the latest contract count made, to go on from (ContractCount).
	tally *contractTally
	// memo is the last read of contracts changed (ContractsChanged).
	memo *contractChanges
}

// Dial prepares connections to a chain's nodes' gRPC endpoints (see
// DialEndpoints), used in order with failover.
func Dial(endpoints []string, caFile, bech32Prefix string) (*Observer, error) {
	conn, err := DialEndpoints(endpoints, caFile)
	if err != nil {
		return nil, err
	}
	return &Observer{conn: conn, reg: conn.reg, Bech32Prefix: bech32Prefix}, nil
}

// Close closes the connections.
func (o *Observer) Close() { o.conn.Close() }

// Endpoints are the observed chain's endpoints, for their health.
func (o *Observer) Endpoints() *Endpoints { return o.conn }

// Identity names the chain behind conn by its chain id and the hash of its
// first block ("chain-id@hash"), so a chain re-created from a new genesis
// under the same id is told apart. A node that no longer has block 1
// (pruned, state-synced) names it by chain id alone.
func Identity(ctx context.Context, conn grpc.ClientConnInterface) (string, error) {
	first, err := cmtservice.NewServiceClient(conn).GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: 1})
	if err != nil {
		latest, err := latestBlock(ctx, conn)
		if err != nil {
			return "", err
		}
		return latest.Header.ChainID, nil
	}
	block, err := sdkBlock(first)
	if err != nil {
		return "", fmt.Errorf("block 1: %w", err)
	}
	hash := first.GetBlockId().GetHash()
	if len(hash) == 0 {
		return "", errors.New("block 1: block reply without block_id")
	}
	return IdentityOf(block.Header.ChainID, hash), nil
}

// sdkBlock is the block of a block reply. A node of a Cosmos SDK before
// v0.47 leaves sdk_block out (it fills only the deprecated block), and a
// hostile node may send any shape: a reply without the block, or with an
// empty header, is an error rather than a crash of the daemon.
func sdkBlock(res interface{ GetSdkBlock() *cmtservice.Block }) (*cmtservice.Block, error) {
	block := res.GetSdkBlock()
	if block == nil {
		return nil, errors.New("block reply without sdk_block (is the node's Cosmos SDK older than v0.47?)")
	}
	if h := block.Header; h.ChainID == "" || h.Height <= 0 {
		return nil, fmt.Errorf("block reply without header (chain id %q, height %d)", h.ChainID, h.Height)
	}
	return block, nil
}

// latestBlock is the latest block of the node(s) behind conn.
func latestBlock(ctx context.Context, conn grpc.ClientConnInterface) (*cmtservice.Block, error) {
	res, err := cmtservice.NewServiceClient(conn).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	if err == nil {
		var block *cmtservice.Block
		if block, err = sdkBlock(res); err == nil {
			return block, nil
		}
	}
	return nil, fmt.Errorf("latest block: %w", err)
}

// block is the block at height.
func (o *Observer) block(ctx context.Context, height int64) (*cmtservice.Block, error) {
	res, err := cmtservice.NewServiceClient(o.conn).GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: height})
	if err == nil {
		var block *cmtservice.Block
		if block, err = sdkBlock(res); err == nil {
			return block, nil
		}
	}
	return nil, fmt.Errorf("block %d: %w", height, err)
}

// IdentityOf is the identity of the chain chainID whose block 1 has hash.
func IdentityOf(chainID string, hash []byte) string { return fmt.Sprintf("%s@%X", chainID, hash) }

// Identity names the observed chain (see Identity).
func (o *Observer) Identity(ctx context.Context) (string, error) { return Identity(ctx, o.conn) }

// ChainID returns the chain id of the node's latest block.
func (o *Observer) ChainID(ctx context.Context) (string, error) {
	block, err := latestBlock(ctx, o.conn)
	if err != nil {
		return "", err
	}
	return block.Header.ChainID, nil
}

// LatestHeight returns the node's latest block height.
func (o *Observer) LatestHeight(ctx context.Context) (int64, error) {
	block, err := latestBlock(ctx, o.conn)
	if err != nil {
		return 0, err
	}
	return block.Header.Height, nil
}

// BlockTxs returns the number of transactions in the block at height.
func (o *Observer) BlockTxs(ctx context.Context, height int64) (uint64, error) {
	block, err := o.block(ctx, height)
	if err != nil {
		return 0, err
	}
	return uint64(len(block.Data.Txs)), nil
}

// Observe describes the chain at height: chain id and block time, member
// orgs (from the statusreporter sidecar when the chain runs one, else
// orgs), the bonded validators, the number of CosmWasm contracts (0 on a
// chain without x/wasm; see ContractCount for how it is counted) and the
// node's software version. Transaction counts and new contracts need a
// history, which the daemons keep (BlockTxs, ContractsChanged); they are
// left zero.
func (o *Observer) Observe(ctx context.Context, height int64, orgs []string) (shared.StatusSnapshot, error) {
	block, err := o.block(ctx, height)
	if err != nil {
		return shared.StatusSnapshot{}, err
	}
	snap := shared.StatusSnapshot{
		ChainId:   block.Header.ChainID,
		Height:    height,
		BlockTime: block.Header.Time,
	}
	at := atHeight(ctx, height)

	if snap.Orgs, err = o.orgs(at, orgs); err != nil {
		return snap, err
	}
	if snap.Validators, err = o.validators(at); err != nil {
		return snap, err
	}
	if snap.ContractCount, err = o.ContractCount(ctx, height); err != nil {
		return snap, err
	}
	info, err := cmtservice.NewServiceClient(o.conn).GetNodeInfo(ctx, &cmtservice.GetNodeInfoRequest{})
	if err != nil {
		return snap, fmt.Errorf("node info: %w", err)
	}
	if v := info.GetApplicationVersion(); v != nil && v.Version != "" {
		snap.SoftwareVersion = v.Version
	} else {
		snap.SoftwareVersion = "unknown"
	}
	return snap, snap.Validate()
}

// orgs reads the sidecar's org registry; a chain without one gets fallback.
// Unimplemented means the chain has no sidecar only because the endpoints
// return it when every one of them says so (Endpoints.Invoke).
func (o *Observer) orgs(ctx context.Context, fallback []string) ([]string, error) {
	res, err := reportertypes.NewQueryClient(o.conn).Orgs(ctx, &reportertypes.QueryOrgsRequest{})
	if status.Code(err) == codes.Unimplemented {
		out := slices.Clone(fallback)
		slices.Sort(out)
		return slices.Compact(out), nil
	}
	if err != nil {
		return nil, fmt.Errorf("orgs: %w", err)
	}
	return res.Orgs, nil
}

// validators lists the bonded set, named and powered as the chain's own
// snapshot names them. A node that keeps answering pages without validators
// is not followed past what MaxBondedValidators would take.
func (o *Observer) validators(ctx context.Context) ([]shared.Validator, error) {
	client := stakingtypes.NewQueryClient(o.conn)
	var out []shared.Validator
	var next []byte
	for range MaxBondedValidators/validatorPage + 1 {
		res, err := client.Validators(ctx, &stakingtypes.QueryValidatorsRequest{
			Status: stakingtypes.Bonded.String(), Pagination: &query.PageRequest{Key: next, Limit: validatorPage}})
		if err != nil {
			return nil, fmt.Errorf("validators: %w", err)
		}
		if len(res.Validators) > validatorPage {
			return nil, fmt.Errorf("validators: a page of %d, over the %d asked for", len(res.Validators), validatorPage)
		}
		if len(out)+len(res.Validators) > MaxBondedValidators {
			return nil, fmt.Errorf("%w: over %d", ErrTooManyValidators, MaxBondedValidators)
		}
		for _, v := range res.Validators {
			if err := v.UnpackInterfaces(o.reg); err != nil {
				return nil, err
			}
			cons, err := v.GetConsAddr()
			if err != nil {
				return nil, fmt.Errorf("validator %s: %w", v.OperatorAddress, err)
			}
			addr, err := bech32.ConvertAndEncode(o.Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus, cons)
			if err != nil {
				return nil, err
			}
			power, err := consensusPower(v)
			if err != nil {
				return nil, fmt.Errorf("validator %s: %w", v.OperatorAddress, err)
			}
			out = append(out, shared.Validator{Address: addr, Power: power, Moniker: v.Description.Moniker})
		}
		if next = res.Pagination.GetNextKey(); len(next) == 0 {
			return shared.ProjectValidators(out), nil
		}
	}
	return nil, fmt.Errorf("%w: more pages than it reads", ErrTooManyValidators)
}

// consensusPower is v's power as the chain computes it (ConsensusPower:
// tokens over the power reduction, 0 unless bonded), checked first: math.Int
// panics on tokens left out of the reply (nil) and on a power past int64,
// and a hostile node can send either.
func consensusPower(v stakingtypes.Validator) (int64, error) {
	if !v.IsBonded() {
		return 0, nil
	}
	if v.Tokens.IsNil() || v.Tokens.IsNegative() {
		return 0, fmt.Errorf("tokens %s: not a bonded amount", v.Tokens)
	}
	power := v.Tokens.Quo(sdk.DefaultPowerReduction)
	if !power.IsInt64() {
		return 0, fmt.Errorf("tokens %s: power past int64", v.Tokens)
	}
	return power.Int64(), nil
}

// ReportInterval is the statusreporter sidecar's snapshot interval in
// blocks, or 0 on a chain that runs no sidecar.
func (o *Observer) ReportInterval(ctx context.Context) (int64, error) {
	res, err := reportertypes.NewQueryClient(o.conn).Params(ctx, &reportertypes.QueryParamsRequest{})
	if status.Code(err) == codes.Unimplemented { // every endpoint says so (see orgs)
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reporter params: %w", err)
	}
	return int64(res.Params.ReportInterval), nil
}
