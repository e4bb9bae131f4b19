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

// maxPages bounds the validator listing, so a huge or hostile chain cannot
// keep an observer looping: 1,000 pages of 100 entries. Contract listings
// have their own bounds (MaxCodes, MaxContracts, MaxChanges).
const maxPages = 1000

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
	svc := cmtservice.NewServiceClient(conn)
	if first, err := svc.GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: 1}); err == nil {
		return IdentityOf(first.SdkBlock.Header.ChainID, first.BlockId.Hash), nil
	}
	latest, err := svc.GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	if err != nil {
		return "", fmt.Errorf("latest block: %w", err)
	}
	return latest.SdkBlock.Header.ChainID, nil
}

// IdentityOf is the identity of the chain chainID whose block 1 has hash.
func IdentityOf(chainID string, hash []byte) string { return fmt.Sprintf("%s@%X", chainID, hash) }

// Identity names the observed chain (see Identity).
func (o *Observer) Identity(ctx context.Context) (string, error) { return Identity(ctx, o.conn) }

// ChainID returns the chain id of the node's latest block.
func (o *Observer) ChainID(ctx context.Context) (string, error) {
	res, err := cmtservice.NewServiceClient(o.conn).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	if err != nil {
		return "", fmt.Errorf("latest block: %w", err)
	}
	return res.SdkBlock.Header.ChainID, nil
}

// LatestHeight returns the node's latest block height.
func (o *Observer) LatestHeight(ctx context.Context) (int64, error) {
	res, err := cmtservice.NewServiceClient(o.conn).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	if err != nil {
		return 0, fmt.Errorf("latest block: %w", err)
	}
	return res.SdkBlock.Header.Height, nil
}

// BlockTxs returns the number of transactions in the block at height.
func (o *Observer) BlockTxs(ctx context.Context, height int64) (uint64, error) {
	block, err := cmtservice.NewServiceClient(o.conn).GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: height})
	if err != nil {
		return 0, fmt.Errorf("block %d: %w", height, err)
	}
	return uint64(len(block.SdkBlock.Data.Txs)), nil
}

// Observe describes the chain at height: chain id and block time, member
// orgs (from the statusreporter sidecar when the chain runs one, else
// orgs), the bonded validators, the number of CosmWasm contracts (0 on a
// chain without x/wasm; see ContractCount for how it is counted) and the
// node's software version. Transaction counts and new contracts need a
// history, which the daemons keep (BlockTxs, ContractsChanged); they are
// left zero.
func (o *Observer) Observe(ctx context.Context, height int64, orgs []string) (shared.StatusSnapshot, error) {
	block, err := cmtservice.NewServiceClient(o.conn).GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: height})
	if err != nil {
		return shared.StatusSnapshot{}, fmt.Errorf("block %d: %w", height, err)
	}
	snap := shared.StatusSnapshot{
		ChainId:   block.SdkBlock.Header.ChainID,
		Height:    height,
		BlockTime: block.SdkBlock.Header.Time,
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
// snapshot names them.
func (o *Observer) validators(ctx context.Context) ([]shared.Validator, error) {
	client := stakingtypes.NewQueryClient(o.conn)
	var out []shared.Validator
	var next []byte
	for range maxPages {
		res, err := client.Validators(ctx, &stakingtypes.QueryValidatorsRequest{
			Status: stakingtypes.Bonded.String(), Pagination: &query.PageRequest{Key: next, Limit: 100}})
		if err != nil {
			return nil, fmt.Errorf("validators: %w", err)
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
			out = append(out, shared.Validator{Address: addr, Power: v.ConsensusPower(sdk.DefaultPowerReduction),
				Moniker: v.Description.Moniker})
		}
		if next = res.Pagination.GetNextKey(); len(next) == 0 {
			return shared.ProjectValidators(out), nil
		}
	}
	return nil, errors.New("validators: more pages than an observer reads")
}

// ReportInterval is the statusreporter sidecar's snapshot interval in
// blocks, or 0 on a chain that runs no sidecar.
func (o *Observer) ReportInterval(ctx context.Context) (int64, error) {
	res, err := reportertypes.NewQueryClient(o.conn).Params(ctx, &reportertypes.QueryParamsRequest{})
	if status.Code(err) == codes.Unimplemented {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reporter params: %w", err)
	}
	return int64(res.Params.ReportInterval), nil
}
