package chainview_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"

	sdkmath "cosmossdk.io/math"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/types/query"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/statuscollect/statuscollect/daemon/chainview"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// node is a CometBFT service of one node: its latest height, and the
// error it gives for blocks it does not have.
type node struct {
	cmtservice.UnimplementedServiceServer
	height  int64
	missing codes.Code
	calls   atomic.Int32
}

func (n *node) GetLatestBlock(context.Context, *cmtservice.GetLatestBlockRequest) (*cmtservice.GetLatestBlockResponse, error) {
	n.calls.Add(1)
	return &cmtservice.GetLatestBlockResponse{SdkBlock: &cmtservice.Block{Header: cmtservice.Header{
		ChainID: "subchain-a", Height: n.height, Time: time.Unix(n.height, 0).UTC()}}}, nil
}

func (n *node) GetNodeInfo(context.Context, *cmtservice.GetNodeInfoRequest) (*cmtservice.GetNodeInfoResponse, error) {
	return &cmtservice.GetNodeInfoResponse{ApplicationVersion: &cmtservice.VersionInfo{Version: "v1.0.0"}}, nil
}

func (n *node) GetBlockByHeight(_ context.Context, req *cmtservice.GetBlockByHeightRequest) (*cmtservice.GetBlockByHeightResponse, error) {
	n.calls.Add(1)
	if req.Height > n.height {
		return nil, status.Errorf(n.missing, "height %d is not available", req.Height)
	}
	return &cmtservice.GetBlockByHeightResponse{SdkBlock: &cmtservice.Block{Header: cmtservice.Header{
		ChainID: "subchain-a", Height: req.Height, Time: time.Unix(req.Height, 0).UTC()}}}, nil
}

func serve(t *testing.T, n *node) string {
	t.Helper()
	return serveWith(t, func(s *grpc.Server) { cmtservice.RegisterServiceServer(s, n) })
}

// serveWith serves what register registers, and nothing else: every other
// service answers Unimplemented.
func serveWith(t *testing.T, register func(*grpc.Server)) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer(grpc.ForceServerCodec(codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec()))
	register(srv)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

// dial is an observer of the chain behind addrs, closed with the test.
func dial(t *testing.T, addrs ...string) *chainview.Observer {
	t.Helper()
	obs, err := chainview.Dial(addrs, "", "sub")
	require.NoError(t, err)
	t.Cleanup(obs.Close)
	return obs
}

// deadAddr is a loopback address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := lis.Addr().String()
	require.NoError(t, lis.Close())
	return addr
}

func TestEndpointsFailOverAndReportHealth(t *testing.T) {
	dead := deadAddr(t)
	behind := &node{height: 10, missing: codes.InvalidArgument}
	ahead := &node{height: 20, missing: codes.InvalidArgument}
	e, err := chainview.DialEndpoints([]string{dead, serve(t, behind), serve(t, ahead)}, "")
	require.NoError(t, err)
	defer e.Close()
	ctx := context.Background()
	svc := cmtservice.NewServiceClient(e)

	// The first endpoint is down: the call goes to the next, which stays active.
	res, err := svc.GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	require.NoError(t, err)
	require.EqualValues(t, 10, res.SdkBlock.Header.Height)
	require.NotEqual(t, dead, e.Active())

	// A height the active node does not have yet is asked of the others.
	block, err := svc.GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: 15})
	require.NoError(t, err)
	require.EqualValues(t, 15, block.SdkBlock.Header.Height)
	require.EqualValues(t, 1, ahead.calls.Load())

	// An answer about the chain itself (not found) is the same on every node:
	// no failover.
	ahead.missing = codes.NotFound
	before := behind.calls.Load()
	_, err = svc.GetBlockByHeight(ctx, &cmtservice.GetBlockByHeightRequest{Height: 99})
	require.Equal(t, codes.NotFound, status.Code(err))
	require.Equal(t, before, behind.calls.Load())

	probes := e.Probe(ctx)
	require.Len(t, probes, 3)
	require.False(t, probes[0].Up)
	require.Error(t, probes[0].Err)
	require.True(t, probes[1].Up)
	require.EqualValues(t, 10, probes[1].Height)
	require.True(t, probes[2].Up)
	require.EqualValues(t, 20, probes[2].Height)

	// Every endpoint down: the error names them all.
	all, err := chainview.DialEndpoints([]string{dead, deadAddr(t)}, "")
	require.NoError(t, err)
	defer all.Close()
	_, err = cmtservice.NewServiceClient(all).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	require.ErrorContains(t, err, "every endpoint")
	require.Equal(t, codes.Unavailable, status.Code(err))

	_, err = chainview.DialEndpoints(nil, "")
	require.Error(t, err)
}

// TestEndpointsTakeAMissingServiceOnlyFromEveryEndpoint: a node without a
// service is passed over like one that is down, and Unimplemented comes
// back only when every endpoint answers it, since callers take it as a fact
// about the chain (no x/wasm, no sidecar).
func TestEndpointsTakeAMissingServiceOnlyFromEveryEndpoint(t *testing.T) {
	bare := serveWith(t, func(*grpc.Server) {}) // serves no service at all
	good := serve(t, &node{height: 10, missing: codes.InvalidArgument})
	dead := deadAddr(t)
	ctx := context.Background()
	latest := func(addrs ...string) (*chainview.Endpoints, error) {
		e, err := chainview.DialEndpoints(addrs, "")
		require.NoError(t, err)
		t.Cleanup(e.Close)
		_, err = cmtservice.NewServiceClient(e).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
		return e, err
	}

	e, err := latest(bare, good)
	require.NoError(t, err, "the node without the service is passed over")
	require.Equal(t, good, e.Active())

	for _, addrs := range [][]string{{dead, bare}, {bare, dead}} {
		_, err = latest(addrs...)
		require.Equal(t, codes.Unavailable, status.Code(err), "%v: one node lacking the service, the other down", addrs)
		require.ErrorContains(t, err, "every endpoint")
	}

	_, err = latest(bare, serveWith(t, func(*grpc.Server) {}))
	require.Equal(t, codes.Unimplemented, status.Code(err), "every node lacks the service")
}

// shapedBlocks answers every block query with block as its sdk_block and id
// as its block_id: the shapes of a node of a Cosmos SDK before v0.47 (no
// sdk_block) or of a hostile node.
type shapedBlocks struct {
	cmtservice.UnimplementedServiceServer
	block *cmtservice.Block
	id    *cmtproto.BlockID
}

func (s *shapedBlocks) GetLatestBlock(context.Context, *cmtservice.GetLatestBlockRequest) (*cmtservice.GetLatestBlockResponse, error) {
	return &cmtservice.GetLatestBlockResponse{SdkBlock: s.block, BlockId: s.id}, nil
}

func (s *shapedBlocks) GetBlockByHeight(context.Context, *cmtservice.GetBlockByHeightRequest) (*cmtservice.GetBlockByHeightResponse, error) {
	return &cmtservice.GetBlockByHeightResponse{SdkBlock: s.block, BlockId: s.id}, nil
}

// TestBlockRepliesWithoutTheirBlockAreErrors: every reading of a block
// refuses a reply without its sdk_block or header (where it used to
// dereference nil and crash the daemon), and Identity one without block 1's
// block_id; Probe reports such an endpoint as not up and does not make it
// the active one.
func TestBlockRepliesWithoutTheirBlockAreErrors(t *testing.T) {
	good := serve(t, &node{height: 10, missing: codes.InvalidArgument})
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		block *cmtservice.Block
		want  string
	}{
		{"without sdk_block", nil, "block reply without sdk_block"},
		{"with an empty header", &cmtservice.Block{}, "block reply without header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := serveWith(t, func(s *grpc.Server) { cmtservice.RegisterServiceServer(s, &shapedBlocks{block: tc.block}) })
			e, err := chainview.DialEndpoints([]string{good, bad}, "")
			require.NoError(t, err)
			defer e.Close()
			probes := e.Probe(ctx)
			require.True(t, probes[0].Up)
			require.False(t, probes[1].Up)
			require.ErrorContains(t, probes[1].Err, tc.want)
			require.Equal(t, good, e.Active(), "an endpoint answering without a block does not become the active one")

			obs := dial(t, bad)
			_, err = obs.LatestHeight(ctx)
			require.ErrorContains(t, err, tc.want)
			_, err = obs.ChainID(ctx)
			require.ErrorContains(t, err, tc.want)
			_, err = obs.Identity(ctx)
			require.ErrorContains(t, err, tc.want)
			_, err = obs.BlockTxs(ctx, 5)
			require.ErrorContains(t, err, tc.want)
			_, err = obs.Observe(ctx, 5, []string{"org-a"})
			require.ErrorContains(t, err, tc.want)
		})
	}

	noID := dial(t, serveWith(t, func(s *grpc.Server) {
		cmtservice.RegisterServiceServer(s, &shapedBlocks{block: &cmtservice.Block{Header: cmtservice.Header{ChainID: "subchain-a", Height: 7}}})
	}))
	_, err := noID.Identity(ctx)
	require.ErrorContains(t, err, "block 1: block reply without block_id")
	h, err := noID.LatestHeight(ctx)
	require.NoError(t, err, "a block_id is needed only to name the chain")
	require.EqualValues(t, 7, h)
}

// staking is x/staking's bonded validators vals, in pages keyed by the index
// of their first entry. perPage, when set, is the size of every page,
// whatever the limit asked for; endless keeps giving a next key after the
// last validator (then the pages are empty). It counts pages and entries
// served.
type staking struct {
	stakingtypes.UnimplementedQueryServer
	vals          []stakingtypes.Validator
	perPage       int
	endless       bool
	pages, served atomic.Int64
}

func (s *staking) Validators(_ context.Context, req *stakingtypes.QueryValidatorsRequest) (*stakingtypes.QueryValidatorsResponse, error) {
	n := int(req.Pagination.GetLimit())
	if s.perPage != 0 {
		n = s.perPage
	}
	from := 0
	if k := req.Pagination.GetKey(); len(k) == 8 {
		from = int(binary.BigEndian.Uint64(k))
	}
	page := s.vals[min(from, len(s.vals)):min(from+n, len(s.vals))]
	s.pages.Add(1)
	s.served.Add(int64(len(page)))
	res := &stakingtypes.QueryValidatorsResponse{Validators: page, Pagination: &query.PageResponse{}}
	if s.endless || from+n < len(s.vals) {
		res.Pagination.NextKey = binary.BigEndian.AppendUint64(nil, uint64(from+n))
	}
	return res, nil
}

// bonded is a bonded validator of tokens, with a key of its own.
func bonded(t *testing.T, i int, tokens sdkmath.Int) stakingtypes.Validator {
	t.Helper()
	pk, err := codectypes.NewAnyWithValue(ed25519.GenPrivKey().PubKey())
	require.NoError(t, err)
	return stakingtypes.Validator{OperatorAddress: fmt.Sprintf("subvaloper%d", i), ConsensusPubkey: pk,
		Status: stakingtypes.Bonded, Tokens: tokens, DelegatorShares: sdkmath.LegacyOneDec(),
		Description: stakingtypes.Description{Moniker: fmt.Sprint("val-", i)}}
}

// subchain serves the blocks of a node at height 10 and the bonded set st,
// but no sidecar and no x/wasm.
func subchain(t *testing.T, st *staking) string {
	t.Helper()
	return serveWith(t, func(s *grpc.Server) {
		cmtservice.RegisterServiceServer(s, &node{height: 10, missing: codes.InvalidArgument})
		stakingtypes.RegisterQueryServer(s, st)
	})
}

// TestObserveBoundsTheValidatorListingByEntries: a page larger than the
// limit asked for is refused before it is read, and so is a bonded set past
// MaxBondedValidators, however it is paged: an endpoint cannot have the
// observer hold more validators than that.
func TestObserveBoundsTheValidatorListingByEntries(t *testing.T) {
	ctx := context.Background()
	var many []stakingtypes.Validator
	for i := range chainview.MaxBondedValidators + 1 {
		many = append(many, bonded(t, i, sdkmath.NewInt(1_000_000)))
	}

	oversized := &staking{vals: many, perPage: 101}
	_, err := dial(t, subchain(t, oversized)).Observe(ctx, 5, []string{"org-a"})
	require.ErrorContains(t, err, "validators: a page of 101, over the 100 asked for")
	require.EqualValues(t, 1, oversized.pages.Load())

	all := &staking{vals: many}
	_, err = dial(t, subchain(t, all)).Observe(ctx, 5, []string{"org-a"})
	require.ErrorIs(t, err, chainview.ErrTooManyValidators)
	require.ErrorContains(t, err, fmt.Sprint(chainview.MaxBondedValidators))
	require.LessOrEqual(t, all.served.Load(), int64(chainview.MaxBondedValidators+100))

	empty := &staking{endless: true}
	_, err = dial(t, subchain(t, empty)).Observe(ctx, 5, []string{"org-a"})
	require.ErrorIs(t, err, chainview.ErrTooManyValidators)
	require.EqualValues(t, chainview.MaxBondedValidators/100+1, empty.pages.Load(), "empty pages are not followed forever")
}

// rawReply is a reply given as its wire bytes, for a shape the SDK's Go
// types never marshal (a field left out).
type rawReply []byte

func (rawReply) Reset()                     {}
func (r rawReply) String() string           { return fmt.Sprintf("%x", []byte(r)) }
func (rawReply) ProtoMessage()              {}
func (r rawReply) Marshal() ([]byte, error) { return r, nil }

// validatorReply is a Validators reply of v alone, without v's tokens
// (field 5) when dropTokens.
func validatorReply(t *testing.T, v stakingtypes.Validator, dropTokens bool) rawReply {
	t.Helper()
	bz, err := v.Marshal()
	require.NoError(t, err)
	var kept []byte
	for len(bz) > 0 {
		num, typ, n := protowire.ConsumeTag(bz)
		require.GreaterOrEqual(t, n, 0)
		m := protowire.ConsumeFieldValue(num, typ, bz[n:])
		require.GreaterOrEqual(t, m, 0)
		if !dropTokens || num != 5 {
			kept = append(kept, bz[:n+m]...)
		}
		bz = bz[n+m:]
	}
	return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), kept)
}

// TestObserveRefusesValidatorPowerItCannotCompute: tokens whose power is past
// int64, negative, or left out of the reply are an error naming the
// validator, where math.Int used to panic and crash the daemon.
func TestObserveRefusesValidatorPowerItCannotCompute(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tokens     sdkmath.Int
		dropTokens bool
		want       string
	}{
		{"past int64", sdkmath.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 200)), false, "power past int64"},
		{"negative", sdkmath.NewInt(-1_000_000), false, "not a bonded amount"},
		{"left out", sdkmath.NewInt(1_000_000), true, "tokens <nil>: not a bonded amount"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reply := validatorReply(t, bonded(t, 1, tc.tokens), tc.dropTokens)
			addr := serveWith(t, func(s *grpc.Server) {
				cmtservice.RegisterServiceServer(s, &node{height: 10, missing: codes.InvalidArgument})
				s.RegisterService(&grpc.ServiceDesc{ServiceName: "cosmos.staking.v1beta1.Query", HandlerType: (*any)(nil),
					Methods: []grpc.MethodDesc{{MethodName: "Validators",
						Handler: func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
							return reply, dec(&stakingtypes.QueryValidatorsRequest{})
						}}}}, struct{}{})
			})
			_, err := dial(t, addr).Observe(context.Background(), 5, []string{"org-a"})
			require.ErrorContains(t, err, "validator subvaloper1: tokens")
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// sidecar is the statusreporter sidecar's queries.
type sidecar struct {
	reportertypes.UnimplementedQueryServer
	orgs []string
}

func (s *sidecar) Orgs(context.Context, *reportertypes.QueryOrgsRequest) (*reportertypes.QueryOrgsResponse, error) {
	return &reportertypes.QueryOrgsResponse{Orgs: s.orgs}, nil
}

func (s *sidecar) Params(context.Context, *reportertypes.QueryParamsRequest) (*reportertypes.QueryParamsResponse, error) {
	return &reportertypes.QueryParamsResponse{Params: reportertypes.Params{ReportInterval: 30}}, nil
}

// TestObserveFallsBackToOrgsOnlyWhenNoEndpointHasTheSidecar: the orgs given
// stand for the sidecar's registry only when every endpoint lacks the
// sidecar; one node without it passes the question on, and one without it
// while the others are down is an error, not the fallback.
func TestObserveFallsBackToOrgsOnlyWhenNoEndpointHasTheSidecar(t *testing.T) {
	ctx := context.Background()
	st := &staking{}
	for i := range 3 {
		st.vals = append(st.vals, bonded(t, i, sdkmath.NewInt(int64(i+1)*1_000_000+999_999)))
	}
	plain, plain2 := subchain(t, st), subchain(t, st)
	withSidecar := serveWith(t, func(s *grpc.Server) {
		cmtservice.RegisterServiceServer(s, &node{height: 10, missing: codes.InvalidArgument})
		stakingtypes.RegisterQueryServer(s, st)
		reportertypes.RegisterQueryServer(s, &sidecar{orgs: []string{"org-x", "org-y"}})
	})

	obs := dial(t, plain, plain2)
	snap, err := obs.Observe(ctx, 5, []string{"org-b", "org-a", "org-b"})
	require.NoError(t, err)
	require.Equal(t, []string{"org-a", "org-b"}, snap.Orgs, "no endpoint has the sidecar: the orgs given, sorted")
	require.Len(t, snap.Validators, 3)
	var powers []int64
	for _, v := range snap.Validators {
		powers = append(powers, v.Power)
	}
	slices.Sort(powers)
	require.Equal(t, []int64{1, 2, 3}, powers, "tokens over the power reduction")
	require.Zero(t, snap.ContractCount)
	require.Equal(t, "v1.0.0", snap.SoftwareVersion)
	interval, err := obs.ReportInterval(ctx)
	require.NoError(t, err)
	require.Zero(t, interval)

	obs = dial(t, plain, withSidecar)
	snap, err = obs.Observe(ctx, 5, []string{"org-a"})
	require.NoError(t, err)
	require.Equal(t, []string{"org-x", "org-y"}, snap.Orgs, "the sidecar's registry, from the endpoint that has it")
	interval, err = obs.ReportInterval(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 30, interval)

	obs = dial(t, deadAddr(t), plain)
	_, err = obs.Observe(ctx, 5, []string{"org-a"})
	require.ErrorContains(t, err, "orgs: every endpoint")
	require.Equal(t, codes.Unavailable, status.Code(err))
	_, err = obs.ReportInterval(ctx)
	require.Equal(t, codes.Unavailable, status.Code(err))
}
