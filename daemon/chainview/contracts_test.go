package chainview_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"github.com/cosmos/cosmos-sdk/types/query"

	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"

	"github.com/statuscollect/statuscollect/daemon/chainview"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// wasmEvent is a contract instantiated (its first event) or migrated to
// code at a block.
type wasmEvent struct {
	height int64
	addr   sdk.AccAddress
	code   uint64
}

// wasmChain answers x/wasm's queries as x/wasm does: per code, contracts
// keyed by the position at which they joined it; pages of at most 100; no
// count_total or offset. It reads the state at the height asked for.
type wasmChain struct {
	wasmtypes.UnimplementedQueryServer
	codes  uint64
	events []wasmEvent

	mu    sync.Mutex
	calls map[string]int
}

func (w *wasmChain) count(method string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.calls == nil {
		w.calls = map[string]int{}
	}
	w.calls[method]++
}

func (w *wasmChain) takeCalls() map[string]int {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.calls
	w.calls = nil
	return out
}

func heightOf(ctx context.Context) int64 {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get(grpctypes.GRPCBlockHeightHeader); len(v) == 1 {
		h, _ := strconv.ParseInt(v[0], 10, 64)
		return h
	}
	return 1 << 62
}

// contractState is one contract at a height.
type contractState struct {
	code             uint64
	created, updated int64
}

func (w *wasmChain) stateAt(h int64) map[string]*contractState {
	out := map[string]*contractState{}
	for _, ev := range w.events {
		if ev.height > h {
			continue
		}
		c, ok := out[string(ev.addr)]
		if !ok {
			c = &contractState{created: ev.height}
			out[string(ev.addr)] = c
		}
		c.code, c.updated = ev.code, ev.height
	}
	return out
}

func position(h int64) []byte { return (&wasmtypes.AbsoluteTxPosition{BlockHeight: uint64(h)}).Bytes() }

func checkPage(p *query.PageRequest) (uint64, error) {
	if p == nil {
		return 100, nil
	}
	if p.Offset != 0 || p.CountTotal {
		return 0, status.Error(codes.InvalidArgument, "offset and count queries not supported")
	}
	if p.Limit == 0 || p.Limit > 100 {
		return 100, nil
	}
	return p.Limit, nil
}

// page returns the keys from start on, at most limit, and the next key.
func page(keys [][]byte, start []byte, limit uint64) (out [][]byte, next []byte) {
	slices.SortFunc(keys, bytes.Compare)
	for _, k := range keys {
		if start != nil && bytes.Compare(k, start) < 0 {
			continue
		}
		if uint64(len(out)) == limit {
			return out, k
		}
		out = append(out, k)
	}
	return out, nil
}

func (w *wasmChain) Codes(_ context.Context, req *wasmtypes.QueryCodesRequest) (*wasmtypes.QueryCodesResponse, error) {
	w.count("Codes")
	limit, err := checkPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	var keys [][]byte
	for id := uint64(1); id <= w.codes; id++ {
		keys = append(keys, binary.BigEndian.AppendUint64(nil, id))
	}
	got, next := page(keys, req.Pagination.GetKey(), limit)
	res := &wasmtypes.QueryCodesResponse{Pagination: &query.PageResponse{NextKey: next}}
	for _, k := range got {
		res.CodeInfos = append(res.CodeInfos, wasmtypes.CodeInfoResponse{CodeID: binary.BigEndian.Uint64(k)})
	}
	return res, nil
}

func (w *wasmChain) ContractsByCode(ctx context.Context, req *wasmtypes.QueryContractsByCodeRequest) (*wasmtypes.QueryContractsByCodeResponse, error) {
	w.count("ContractsByCode")
	limit, err := checkPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	var keys [][]byte
	for addr, c := range w.stateAt(heightOf(ctx)) {
		if c.code == req.CodeId {
			keys = append(keys, append(position(c.updated), addr...))
		}
	}
	got, next := page(keys, req.Pagination.GetKey(), limit)
	res := &wasmtypes.QueryContractsByCodeResponse{Pagination: &query.PageResponse{NextKey: next}}
	for _, k := range got {
		res.Contracts = append(res.Contracts, sdk.AccAddress(k[wasmtypes.AbsoluteTxPositionLen:]).String())
	}
	return res, nil
}

func (w *wasmChain) ContractInfo(ctx context.Context, req *wasmtypes.QueryContractInfoRequest) (*wasmtypes.QueryContractInfoResponse, error) {
	w.count("ContractInfo")
	addr, err := sdk.AccAddressFromBech32(req.Address)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	c, ok := w.stateAt(heightOf(ctx))[string(addr)]
	if !ok {
		return nil, status.Error(codes.NotFound, "no such contract")
	}
	return &wasmtypes.QueryContractInfoResponse{Address: req.Address, ContractInfo: wasmtypes.ContractInfo{
		CodeID: c.code, Label: "l-" + req.Address[len(req.Address)-4:],
		Created: &wasmtypes.AbsoluteTxPosition{BlockHeight: uint64(c.created)}}}, nil
}

// heldAt is how many contracts the chain holds at h, by walking them.
func (w *wasmChain) heldAt(h int64) uint64 { return uint64(len(w.stateAt(h))) }

func newAddr(i int) sdk.AccAddress {
	return sdk.AccAddress(binary.BigEndian.AppendUint64(bytes.Repeat([]byte{7}, 12), uint64(i)))
}

// instantiate adds n contracts of code at height, numbered from first.
func (w *wasmChain) instantiate(height int64, code uint64, first, n int) {
	for i := first; i < first+n; i++ {
		w.events = append(w.events, wasmEvent{height: height, addr: newAddr(i), code: code})
	}
}

// serveWasm is an observer of a chain whose x/wasm is w (none when nil).
func serveWasm(t *testing.T, w wasmtypes.QueryServer) *chainview.Observer {
	t.Helper()
	return dial(t, serveWasmAt(t, w))
}

// serveWasmAt is the address of a node whose x/wasm is w (none when nil).
func serveWasmAt(t *testing.T, w wasmtypes.QueryServer) string {
	t.Helper()
	return serveWith(t, func(s *grpc.Server) {
		if w != nil {
			wasmtypes.RegisterQueryServer(s, w)
		}
	})
}

// TestContractCountMatchesWasmBoundedly: the observer counts what x/wasm
// holds, however the contracts came (x/wasm's listings show every contract
// under the code it runs, instantiate2's too), once in full and then from
// the changes since its last count, without listing every contract again.
func TestContractCountMatchesWasmBoundedly(t *testing.T) {
	w := &wasmChain{codes: 3}
	w.instantiate(2, 1, 0, 230) // more than two pages of code 1
	w.instantiate(5, 2, 1000, 20)
	obs := serveWasm(t, w)
	ctx := context.Background()

	n, err := obs.ContractCount(ctx, 10)
	require.NoError(t, err)
	require.Equal(t, w.heldAt(10), n)
	require.EqualValues(t, 250, n)
	require.Equal(t, map[string]int{"Codes": 1, "ContractsByCode": 3 + 1 + 1}, w.takeCalls(), "a full count: every page of every code")

	// Blocks 11..20: three contracts created (code 3, code 1, code 2), one
	// migrated from code 1 to code 3.
	w.instantiate(12, 3, 2000, 1)
	w.instantiate(14, 1, 2001, 1)
	w.instantiate(18, 2, 2002, 1)
	w.events = append(w.events, wasmEvent{height: 16, addr: newAddr(7), code: 3})
	n, err = obs.ContractCount(ctx, 20)
	require.NoError(t, err)
	require.Equal(t, w.heldAt(20), n)
	require.EqualValues(t, 253, n)
	require.Equal(t, map[string]int{"Codes": 1, "ContractsByCode": 3, "ContractInfo": 4}, w.takeCalls(),
		"one listing per code from block 11, one info per contract that changed")

	changed, err := obs.ContractsChanged(ctx, 10, 20)
	require.NoError(t, err)
	require.Empty(t, w.takeCalls(), "the step's second question is answered from its first")
	var got []string
	for _, c := range changed {
		got = append(got, fmt.Sprintf("%d:%s", c.CodeId, c.Address))
	}
	want := []string{"3:" + newAddr(2000).String(), "1:" + newAddr(2001).String(), "2:" + newAddr(2002).String(),
		"3:" + newAddr(7).String()}
	slices.Sort(want)
	require.Equal(t, want, got, "new contracts and the migration, sorted by address, as they are at 20")
	require.True(t, slices.IsSortedFunc(changed, func(a, b shared.Contract) int { return bytes.Compare([]byte(a.Address), []byte(b.Address)) }))

	// Back to a height before some of the changes.
	n, err = obs.ContractCount(ctx, 15)
	require.NoError(t, err)
	require.Equal(t, w.heldAt(15), n)
	require.EqualValues(t, 252, n)

	// A restarted daemon hands over its saved count and reads only changes.
	again := serveWasm(t, w)
	again.RememberContractCount(20, 253)
	w.instantiate(21, 2, 3000, 1)
	w.takeCalls()
	n, err = again.ContractCount(ctx, 22)
	require.NoError(t, err)
	require.EqualValues(t, 254, n)
	require.Equal(t, map[string]int{"Codes": 1, "ContractsByCode": 3, "ContractInfo": 1}, w.takeCalls())
}

// TestContractCountBounds: too many changes at once fall back to one full
// count (and ContractsChanged refuses them); too many codes are refused with
// a clear error; a chain without x/wasm has no contracts.
func TestContractCountBounds(t *testing.T) {
	w := &wasmChain{codes: 2}
	w.instantiate(2, 1, 0, 5)
	obs := serveWasm(t, w)
	ctx := context.Background()
	n, err := obs.ContractCount(ctx, 3)
	require.NoError(t, err)
	require.EqualValues(t, 5, n)

	w.instantiate(4, 2, 100, chainview.MaxChanges+1)
	n, err = obs.ContractCount(ctx, 5)
	require.NoError(t, err)
	require.Equal(t, w.heldAt(5), n)
	require.Zero(t, w.takeCalls()["ContractInfo"], "no info read past the bound")
	_, err = obs.ContractsChanged(ctx, 3, 5)
	require.ErrorIs(t, err, chainview.ErrTooManyChanges)

	_, err = serveWasm(t, &wasmChain{codes: chainview.MaxCodes + 1}).ContractCount(ctx, 5)
	require.ErrorIs(t, err, chainview.ErrTooManyCodes)
	require.ErrorContains(t, err, fmt.Sprint(chainview.MaxCodes))

	n, err = serveWasm(t, nil).ContractCount(ctx, 5)
	require.NoError(t, err)
	require.Zero(t, n)
	changed, err := serveWasm(t, nil).ContractsChanged(ctx, 1, 5)
	require.NoError(t, err)
	require.Empty(t, changed)
}

// faultyWasm is x/wasm behind an endpoint that answers Unavailable while down
// is set, or (laterPages) whose listing of codes answers its first page and
// then Unimplemented.
type faultyWasm struct {
	*wasmChain
	down       atomic.Bool
	laterPages bool
}

func (f *faultyWasm) Codes(ctx context.Context, req *wasmtypes.QueryCodesRequest) (*wasmtypes.QueryCodesResponse, error) {
	switch {
	case f.down.Load():
		return nil, status.Error(codes.Unavailable, "restarting")
	case f.laterPages && len(req.Pagination.GetKey()) > 0:
		return nil, status.Error(codes.Unimplemented, "unknown service cosmwasm.wasm.v1.Query")
	}
	return f.wasmChain.Codes(ctx, req)
}

// TestContractCountTakesNoWasmOnlyFromEveryEndpoint: an endpoint without
// x/wasm cannot make the count 0 (which later counts would go on from):
// while the one with x/wasm is down the count is an error, and once it is
// back the counts are right; it is asked whichever endpoint comes first.
// Unimplemented after a page of codes is an error, not "no x/wasm".
func TestContractCountTakesNoWasmOnlyFromEveryEndpoint(t *testing.T) {
	w := &faultyWasm{wasmChain: &wasmChain{codes: 2}}
	w.instantiate(2, 1, 0, 230)
	withWasm, without := serveWasmAt(t, w), serveWasmAt(t, nil)
	ctx := context.Background()

	obs := dial(t, withWasm, without)
	w.down.Store(true)
	_, err := obs.ContractCount(ctx, 10)
	w.down.Store(false)
	require.Equal(t, codes.Unavailable, status.Code(err), "x/wasm's endpoint down, the other without it: no count")
	n, err := obs.ContractCount(ctx, 10)
	require.NoError(t, err)
	require.Equal(t, w.heldAt(10), n)
	w.instantiate(12, 2, 5000, 1)
	n, err = obs.ContractCount(ctx, 20)
	require.NoError(t, err)
	require.Equal(t, w.heldAt(20), n, "the count at 20 goes on from the right one")

	n, err = dial(t, without, withWasm).ContractCount(ctx, 20)
	require.NoError(t, err)
	require.Equal(t, w.heldAt(20), n, "the endpoint without x/wasm first: passed over")

	half := &faultyWasm{wasmChain: &wasmChain{codes: 150}, laterPages: true}
	_, err = serveWasm(t, half).ContractCount(ctx, 10)
	require.ErrorContains(t, err, "wasm codes")
	require.Equal(t, codes.Unimplemented, status.Code(err))
}
