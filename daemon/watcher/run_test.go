package watcher_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	"github.com/statuscollect/statuscollect/daemon/chainview"
	"github.com/statuscollect/statuscollect/daemon/watcher"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// cometNode is a node's CometBFT service: a chain's latest block (made
// now) and its block 1.
type cometNode struct {
	cmtservice.UnimplementedServiceServer
	chainID string
	height  int64
}

func (n *cometNode) GetLatestBlock(context.Context, *cmtservice.GetLatestBlockRequest) (*cmtservice.GetLatestBlockResponse, error) {
	return &cmtservice.GetLatestBlockResponse{SdkBlock: &cmtservice.Block{Header: cmtservice.Header{
		ChainID: n.chainID, Height: n.height, Time: time.Now().UTC()}}}, nil
}

func (n *cometNode) GetBlockByHeight(_ context.Context, req *cmtservice.GetBlockByHeightRequest) (*cmtservice.GetBlockByHeightResponse, error) {
	return &cmtservice.GetBlockByHeightResponse{BlockId: &cmtproto.BlockID{Hash: []byte{0xab}},
		SdkBlock: &cmtservice.Block{Header: cmtservice.Header{ChainID: n.chainID, Height: req.Height}}}, nil
}

// fakeCollector is the main chain's record of subchain-a: its reports, paged
// by sequence as the collector pages them, and its disputes.
type fakeCollector struct {
	collectortypes.UnimplementedQueryServer
	reports []collectortypes.Report

	mu sync.Mutex
	// disputes are oldest first.
	disputes []collectortypes.Dispute
}

func (c *fakeCollector) file(d collectortypes.Dispute) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.disputes = append(c.disputes, d)
}

func (c *fakeCollector) Subchain(context.Context, *collectortypes.QuerySubchainRequest) (*collectortypes.QuerySubchainResponse, error) {
	return &collectortypes.QuerySubchainResponse{Health: collectortypes.SubchainHealth{OrgCount: 2,
		Subchain: collectortypes.Subchain{ChainId: "subchain-a", LastHeight: 90, LastIbcHeight: 10}}}, nil
}

func (c *fakeCollector) StatusHistory(_ context.Context, req *collectortypes.QueryStatusHistoryRequest) (*collectortypes.QueryStatusHistoryResponse, error) {
	from := sdk.BigEndianToUint64(req.Pagination.Key)
	var out []collectortypes.Report
	for _, r := range c.reports {
		if r.Sequence >= from && uint64(len(out)) < req.Pagination.Limit {
			out = append(out, r)
		}
	}
	return &collectortypes.QueryStatusHistoryResponse{Reports: out, Pagination: &query.PageResponse{}}, nil
}

// Disputes answers them all in one page, in the order asked for.
func (c *fakeCollector) Disputes(_ context.Context, req *collectortypes.QueryDisputesRequest) (*collectortypes.QueryDisputesResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []collectortypes.Dispute
	for _, d := range c.disputes {
		if req.Status == collectortypes.DISPUTE_STATUS_UNSPECIFIED || d.Status == req.Status {
			out = append(out, d)
		}
	}
	if req.Pagination.GetReverse() {
		slices.Reverse(out)
	}
	return &collectortypes.QueryDisputesResponse{Disputes: out, Pagination: &query.PageResponse{}}, nil
}

// serveNode serves a node's CometBFT service, and the collector's queries
// when given, on a loopback port.
func serveNode(t *testing.T, n *cometNode, c *fakeCollector) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer(grpc.ForceServerCodec(codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec()))
	cmtservice.RegisterServiceServer(srv, n)
	if c != nil {
		collectortypes.RegisterQueryServer(srv, c)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

// subchain is a watched subchain: node for its state, endpoints for its health.
type subchain struct {
	*node
	endpoints *chainview.Endpoints
}

func (s subchain) Identity(context.Context) (string, error) { return "subchain-a@CD", nil }
func (s subchain) Endpoints() *chainview.Endpoints          { return s.endpoints }
func dial(t *testing.T, addrs ...string) *chainview.Endpoints {
	t.Helper()
	e, err := chainview.DialEndpoints(addrs, "")
	require.NoError(t, err)
	t.Cleanup(e.Close)
	return e
}

type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// reportLines are the lines about reports and the daemon itself, without
// the websocket's (whose endpoint is dead here).
func (l *logs) reportLines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		if !strings.HasPrefix(line, "main-chain websocket") {
			out = append(out, line)
		}
	}
	return out
}

func (l *logs) has(s string) bool {
	for _, line := range l.reportLines() {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

func TestDaemonLogsEachReportOnceAndStopsSayingWhatItSaved(t *testing.T) {
	main := &fakeCollector{reports: []collectortypes.Report{
		report(1, 10, 3, ""),      // over IBC: not the watcher's to check
		report(2, 15, 3, "org-a"), // true
		report(3, 20, 9, "org-a"), // forged: disputed
		report(4, 150, 3, "org-a"),
		report(5, 30, 9, "org-b"), // forged, disputed by another watcher first
		report(6, 35, 9, "org-b"), // forged, but the subchain's snapshot agrees
	}}
	mainAddr := serveNode(t, &cometNode{chainID: "mainchain-1", height: 500}, main)
	subAddr := serveNode(t, &cometNode{chainID: "subchain-a", height: 100}, nil)
	var sent []sdk.Msg
	out := &logs{}
	m := watcher.NewMetrics()
	state := filepath.Join(t.TempDir(), "watcher.json")
	d := &watcher.Daemon{ChainID: "subchain-a", Sub: subchain{&node{tip: 100}, dial(t, subAddr)},
		Main: dial(t, mainAddr), MainRPC: []string{"tcp://127.0.0.1:1"}, FilerAddr: "sub1filer",
		Send: func(_ context.Context, msg sdk.Msg) (broadcast.Included, error) {
			sent = append(sent, msg)
			switch msg.(*reportertypes.MsgDisputeReport).MainSequence {
			case 5:
				return broadcast.Included{}, &broadcast.Refused{Reason: broadcast.OtherReason,
					Log: "failed to execute message: " + reportertypes.ErrAlreadyDisputed.Error()}
			case 6:
				return broadcast.Included{}, &broadcast.Refused{Reason: broadcast.OtherReason, TxHash: "FA11",
					Codespace: reportertypes.Codespace, Code: reportertypes.ErrReportMatches.ABCICode(), Log: "its snapshot agrees"}
			}
			return broadcast.Included{TxHash: "D15P", Height: 77}, nil
		},
		StatePath: state, Poll: 5 * time.Millisecond, HaltAfter: time.Minute, Metrics: m, Logf: out.logf}
	ctx, stop := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	require.Eventually(t, func() bool { return out.has("report 6 of") }, 10*time.Second, 5*time.Millisecond)
	// The step that handled it also checks both chains' health (a loaded
	// machine may take longer than the sleep below to finish it).
	require.Eventually(t, func() bool { return strings.Contains(scrape(t, m), "statuscollect_watcher_endpoint_height 100\n") },
		10*time.Second, 5*time.Millisecond)
	// Further steps find nothing new, and say nothing.
	time.Sleep(30 * time.Millisecond)
	stop(errors.New("received signal terminated"))
	require.NoError(t, <-done)

	require.Equal(t, []string{
		"watching subchain-a's reports on the main chain from report 0 (state " + state + ", 0 open alert(s))",
		"report 2 of subchain-a (height 15, org org-a) matches this chain's nodes",
		"ALERT raised dispute/3: report 3 (height 20, org org-a) differs in [contract_count]",
		"disputed report 3 of subchain-a (height 20, org org-a): differs in [contract_count] (tx D15P, height 77)",
		"report 4 of subchain-a (height 150, org org-a) is beyond this chain's nodes (at 100): put aside until they reach it",
		"ALERT raised ahead/4: report 4 (org org-a) is of height 150; this chain's nodes are at 100",
		// The dispute is under way: its alert stands until it is settled.
		"ALERT raised dispute/5: report 5 (height 30, org org-b) differs in [contract_count]",
		"report 5 of subchain-a (height 30, org org-b) differs in [contract_count]: disputed already (by another watcher, or by a transaction of this one that landed late)",
		"report 6 of subchain-a (height 35, org org-b) differs in [contract_count], but the dispute is refused; moving on: " +
			"dispute refused: tx FA11 failed (statusreporter code 11): its snapshot agrees",
		"received signal terminated: stopped; state as saved in " + state +
			": checked up to report 6, 1 report(s) put aside, 2 dispute(s) filed, 3 open alert(s)",
	}, out.reportLines())
	require.Len(t, sent, 3)
	require.Equal(t, &reportertypes.MsgDisputeReport{Filer: "sub1filer", MainSequence: 3, Reported: report(3, 20, 9, "org-a").Snapshot}, sent[0])

	body := scrape(t, m)
	for _, want := range []string{
		"statuscollect_watcher_reports_seen_total 6", "statuscollect_watcher_reports_checked_total 4",
		"statuscollect_watcher_mismatches_total 3", "statuscollect_watcher_disputes_filed_total 1",
		"statuscollect_watcher_disputes_refused_total 1", "statuscollect_watcher_cursor 6",
		`statuscollect_watcher_subchain_condition{condition="producing"} 1`,
		`statuscollect_watcher_endpoint_up{chain="main",endpoint="` + mainAddr + `"} 1`,
		`statuscollect_watcher_endpoint_up{chain="sub",endpoint="` + subAddr + `"} 1`,
		"statuscollect_watcher_endpoint_height 100",
		`statuscollect_watcher_open_alerts{kind="ahead"} 1`, `statuscollect_watcher_open_alerts{kind="dispute"} 2`,
		`statuscollect_watcher_subchain{chain_id="subchain-a",figure="orgs"} 2`,
		`statuscollect_watcher_subchain{chain_id="subchain-a",figure="open_disputes"} 0`,
	} {
		require.Contains(t, body, want+"\n")
	}
}

// On the main chain a second dispute of a report by the same org is taken,
// with a second deposit. A dispute whose broadcast gave up waiting for its
// block may land all the same: the watcher finds it there at the next step
// and files no second one. Another org's dispute of the report does not
// stand for this org's.
func TestMainChainWatcherDoesNotFileADisputeThatLandedLate(t *testing.T) {
	main := &fakeCollector{reports: []collectortypes.Report{report(1, 20, 9, "org-a")}}
	main.file(collectortypes.Dispute{Id: 1, ChainId: "subchain-a", ReportSequence: 1, FilerOrg: "org-c", Status: collectortypes.DISPUTE_STATUS_OPEN})
	mainAddr := serveNode(t, &cometNode{chainID: "mainchain-1", height: 500}, main)
	subAddr := serveNode(t, &cometNode{chainID: "subchain-a", height: 100}, nil)
	var sent []*collectortypes.MsgFileDispute
	out := &logs{}
	d := &watcher.Daemon{ChainID: "subchain-a", Sub: subchain{&node{tip: 100}, dial(t, subAddr)},
		Main: dial(t, mainAddr), MainRPC: []string{"tcp://127.0.0.1:1"}, FilerAddr: "main1filer", OrgID: "org-b",
		Send: func(_ context.Context, msg sdk.Msg) (broadcast.Included, error) {
			m := msg.(*collectortypes.MsgFileDispute)
			sent = append(sent, m)
			// It lands, after the broadcaster gave up waiting for it.
			main.file(collectortypes.Dispute{Id: 2, ChainId: m.ChainId, ReportSequence: m.ReportSequence, FilerOrg: m.OrgId,
				Filer: m.Filer, Status: collectortypes.DISPUTE_STATUS_OPEN})
			return broadcast.Included{}, errors.New("tx 5E1F: not in a block within 30s")
		},
		StatePath: filepath.Join(t.TempDir(), "watcher.json"), Poll: 5 * time.Millisecond, HaltAfter: time.Minute,
		Metrics: watcher.NewMetrics(), Logf: out.logf}
	ctx, stop := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	require.Eventually(t, func() bool { return out.has("disputed already") }, 10*time.Second, 5*time.Millisecond)
	stop(errors.New("received signal terminated"))
	require.NoError(t, <-done)

	require.Len(t, sent, 1, "disputes of report 1 sent")
	require.Equal(t, "org-b", sent[0].OrgId)
	lines := out.reportLines()
	require.Contains(t, lines, "step failed, retrying: dispute of report 1: tx 5E1F: not in a block within 30s")
	require.Contains(t, lines, "report 1 of subchain-a (height 20, org org-a) differs in [contract_count]: "+
		"disputed already (by another watcher, or by a transaction of this one that landed late)")
}

func TestDaemonRefusesSettingsItCannotRunWith(t *testing.T) {
	d := &watcher.Daemon{Poll: time.Second, HaltAfter: time.Minute}
	require.EqualError(t, d.Run(context.Background()), "--main-rpc: no endpoint given")
	d.MainRPC = []string{"tcp://127.0.0.1:26657"}
	d.Poll = 0
	require.EqualError(t, d.Run(context.Background()), "--poll 0s: must be positive")
	d.Poll, d.HaltAfter = time.Second, -time.Second
	require.EqualError(t, d.Run(context.Background()), "--halt-after -1s: must be positive")
}

func TestDaemonRefusesEndpointsOfAnotherChain(t *testing.T) {
	mainAddr := serveNode(t, &cometNode{chainID: "mainchain-1", height: 500}, &fakeCollector{})
	other := serveNode(t, &cometNode{chainID: "subchain-b", height: 100}, nil)
	d := &watcher.Daemon{ChainID: "subchain-a", Sub: subchain{&node{tip: 100}, dial(t, other)}, Main: dial(t, mainAddr),
		MainRPC: []string{"tcp://127.0.0.1:1"}, Poll: time.Second, HaltAfter: time.Minute, Metrics: watcher.NewMetrics(), Logf: (&logs{}).logf}
	require.EqualError(t, d.Run(context.Background()), "--sub-grpc "+other+" serves chain subchain-b, not subchain-a")

	dead, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	deadAddr := dead.Addr().String()
	require.NoError(t, dead.Close())
	d.Sub = subchain{&node{tip: 100}, dial(t, deadAddr)}
	require.ErrorContains(t, d.Run(context.Background()), "--sub-grpc: none of 1 endpoint(s) answers; first: ")
}

func scrape(t *testing.T, m *watcher.Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(body)
}
