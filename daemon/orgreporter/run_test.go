package orgreporter_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	"github.com/statuscollect/statuscollect/daemon/orgreporter"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// me is the monitoring account the daemon runs as.
var me = sdk.AccAddress([]byte("org-a-monitor-addr--"))

// mainChain answers the collector's and the bank's queries the reporter
// daemon makes.
type mainChain struct {
	collectortypes.UnimplementedQueryServer
	members []collectortypes.Membership
	// reports are the subchain's reports, newest first.
	reports []collectortypes.Report
}

type bank struct {
	banktypes.UnimplementedQueryServer
}

func (m *mainChain) Subchain(context.Context, *collectortypes.QuerySubchainRequest) (*collectortypes.QuerySubchainResponse, error) {
	return &collectortypes.QuerySubchainResponse{Health: collectortypes.SubchainHealth{Subchain: collectortypes.Subchain{
		ChainId: "subchain-a", ReportInterval: 30 * time.Second}}}, nil
}

func (m *mainChain) Members(context.Context, *collectortypes.QueryMembersRequest) (*collectortypes.QueryMembersResponse, error) {
	return &collectortypes.QueryMembersResponse{Members: m.members}, nil
}

func (m *mainChain) StatusHistory(_ context.Context, req *collectortypes.QueryStatusHistoryRequest) (*collectortypes.QueryStatusHistoryResponse, error) {
	if req.Pagination == nil || !req.Pagination.Reverse || req.Pagination.Limit == 0 {
		return nil, errors.New("the daemon reads the newest reports, a bounded page")
	}
	return &collectortypes.QueryStatusHistoryResponse{Reports: m.reports[:min(len(m.reports), int(req.Pagination.Limit))]}, nil
}

func (bank) AllBalances(context.Context, *banktypes.QueryAllBalancesRequest) (*banktypes.QueryAllBalancesResponse, error) {
	return &banktypes.QueryAllBalancesResponse{Balances: sdk.NewCoins(sdk.NewCoin("umain", sdkmath.NewInt(1500)))}, nil
}

// cometRPC gives the main chain's block 1; nothing else is asked of it.
type cometRPC struct{ client.CometRPC }

func (cometRPC) Block(context.Context, *int64) (*coretypes.ResultBlock, error) {
	return &coretypes.ResultBlock{Block: &cmttypes.Block{Header: cmttypes.Header{ChainID: "mainchain-1"}},
		BlockID: cmttypes.BlockID{Hash: []byte{0xab}}}, nil
}

// mainClient is a client context of the main chain served by m, as --from me.
func mainClient(t *testing.T, m *mainChain) client.Context {
	t.Helper()
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec()
	srv := grpc.NewServer(grpc.ForceServerCodec(cdc))
	collectortypes.RegisterQueryServer(srv, m)
	banktypes.RegisterQueryServer(srv, &bank{})
	lis := bufconn.Listen(1 << 20)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///main", grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(context.Context, string) (net.Conn, error) { return lis.Dial() }),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(cdc)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return client.Context{}.WithGRPCClient(conn).WithClient(cometRPC{}).WithChainID("mainchain-1").
		WithFromAddress(me).WithHomeDir(t.TempDir())
}

// subchain is a fakeChain with the chain id and identity the daemon reads.
type subchain struct{ *fakeChain }

func (subchain) ChainID(context.Context) (string, error)  { return "subchain-a", nil }
func (subchain) Identity(context.Context) (string, error) { return "subchain-a@CD", nil }

// logs collects a daemon's log lines.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// waitFor waits for a line containing s and returns it.
func (l *logs) waitFor(t *testing.T, s string) string {
	t.Helper()
	var found string
	require.Eventually(t, func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, line := range l.lines {
			if strings.Contains(line, s) {
				found = line
				return true
			}
		}
		return false
	}, 10*time.Second, 5*time.Millisecond, "no log line with %q", s)
	return found
}

func (l *logs) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func member(suspended bool) []collectortypes.Membership {
	return []collectortypes.Membership{{ChainId: "subchain-a", OrgId: "org-b", Reporters: []string{"main1other"}},
		{ChainId: "subchain-a", OrgId: "org-a", Reporters: []string{me.String()}, Suspended: suspended}}
}

func TestDaemonReportsLogsAndStopsSayingWhatItSaved(t *testing.T) {
	out := &logs{}
	var sent []sdk.Msg
	state := filepath.Join(t.TempDir(), "reporter.json")
	m := orgreporter.NewMetrics()
	d := &orgreporter.Daemon{Main: mainClient(t, &mainChain{members: member(false)}),
		Send: func(_ context.Context, msg sdk.Msg) (broadcast.Included, error) {
			sent = append(sent, msg)
			return broadcast.Included{TxHash: "5EED", Height: 41}, nil
		},
		Sub: subchain{&fakeChain{height: 23, interval: 5, power: 10}}, Orgs: []string{"org-a"}, Backfill: orgreporter.DefaultBackfill,
		StatePath: state, Poll: 5 * time.Millisecond, Metrics: m, Logf: out.logf}
	ctx, stop := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()

	require.Equal(t, "report of subchain-a at height 20 recorded (tx 5EED, height 41)", out.waitFor(t, "recorded"))
	stop(errors.New("received signal terminated"))
	require.NoError(t, <-done)
	lines := out.all()
	require.Contains(t, lines[0], "reporting subchain-a as "+me.String()+" every 5ms, heartbeat 20s (state "+state+")")
	require.Equal(t, "received signal terminated: stopped; state as saved in "+state+
		": last report at height 20 (1970-01-01T00:00:20Z), transactions counted to height 20, 0 contract(s) waiting for a report",
		lines[len(lines)-1])
	require.Len(t, lines, 3, "nothing else to say: %q", lines)
	require.Len(t, sent, 1)
	require.Equal(t, me.String(), sent[0].(*collectortypes.MsgSubmitStatus).Reporter)

	body := scrape(t, m)
	require.Contains(t, body, "statuscollect_reporter_last_report_height 20\n")
	require.Contains(t, body, "statuscollect_reporter_last_report_block_time_seconds 20\n")
	require.Contains(t, body, `statuscollect_reporter_submissions_total{error="",outcome="recorded"} 1`)
	require.Contains(t, body, `statuscollect_reporter_balance{denom="umain"} 1500`)

	// A restart shows the last report's gauges from the state at once.
	m = orgreporter.NewMetrics()
	d.Metrics, d.Sub = m, subchain{&fakeChain{height: 23, interval: 5, power: 10}}
	ctx, stop = context.WithCancelCause(context.Background())
	go func() { done <- d.Run(ctx) }()
	out.waitFor(t, "reporting subchain-a")
	require.Eventually(t, func() bool { return strings.Contains(scrape(t, m), "statuscollect_reporter_last_report_height 20\n") },
		5*time.Second, 5*time.Millisecond)
	stop(errors.New("received signal interrupt"))
	require.NoError(t, <-done)
	require.Len(t, sent, 1, "nothing changed: nothing submitted again")
}

// A daemon killed after its transaction was broadcast, before it saved its
// state: restarted, it goes on from the report that landed. Its next window
// starts there and the contract that report carried is not sent again.
func TestDaemonTakesUpAReportThatLandedBeforeItSaved(t *testing.T) {
	out := &logs{}
	main := &mainChain{members: member(false)}
	chain := &fakeChain{height: 23, interval: 5, contracts: contractsAt(18, "sub1c1"), power: 10}
	var sent []shared.StatusSnapshot
	ctx, stop := context.WithCancelCause(context.Background())
	d := &orgreporter.Daemon{Main: mainClient(t, main),
		Send: func(ctx context.Context, msg sdk.Msg) (broadcast.Included, error) {
			sent = append(sent, msg.(*collectortypes.MsgSubmitStatus).Snapshot)
			stop(errors.New("killed")) // the transaction is out; the daemon dies before it hears back
			<-ctx.Done()
			return broadcast.Included{}, ctx.Err()
		},
		Sub: subchain{chain}, Orgs: []string{"org-a"}, Backfill: orgreporter.DefaultBackfill,
		StatePath: filepath.Join(t.TempDir(), "reporter.json"), Poll: 5 * time.Millisecond, Metrics: orgreporter.NewMetrics(), Logf: out.logf}
	require.NoError(t, d.Run(ctx))
	require.Len(t, sent, 1)
	landed := sent[0]
	require.Equal(t, []shared.Contract{{Address: "sub1c1", CodeId: 1, Label: "l-sub1c1"}}, landed.NewContracts)
	main.reports = []collectortypes.Report{
		{ChainId: "subchain-a", Sequence: 8, Source: collectortypes.ReportSource{ChannelId: "channel-0"}, Snapshot: landed},
		{ChainId: "subchain-a", Sequence: 7, Source: collectortypes.ReportSource{OrgId: "org-a", Reporter: me.String()}, Snapshot: landed},
	}

	// Restarted ten blocks and one contract later.
	chain.height, chain.contracts = 33, append(chain.contracts, contractsAt(28, "sub1c2")...)
	d.Send = func(_ context.Context, msg sdk.Msg) (broadcast.Included, error) {
		sent = append(sent, msg.(*collectortypes.MsgSubmitStatus).Snapshot)
		return broadcast.Included{TxHash: "5EED", Height: 50}, nil
	}
	ctx, stop = context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	require.Equal(t, "report of subchain-a at height 20 (main-chain report 7) landed before this daemon saved it: going on from there",
		out.waitFor(t, "landed before"))
	out.waitFor(t, "at height 30 recorded")
	stop(errors.New("received signal terminated"))
	require.NoError(t, <-done)
	next := sent[1]
	require.Equal(t, []shared.Contract{{Address: "sub1c2", CodeId: 1, Label: "l-sub1c2"}}, next.NewContracts,
		"the landed report's contract is not sent again")
	require.Equal(t, txsBetween(1, 30), next.TotalTxs)
	require.Equal(t, txsBetween(21, 30), next.WindowTxs, "the window starts at the landed report")
	require.EqualValues(t, 10, next.WindowBlocks)

	// Restarted again: its own newest report is older than what it saved; nothing to take up.
	ctx, stop = context.WithCancelCause(context.Background())
	go func() { done <- d.Run(ctx) }()
	out.waitFor(t, "reporting subchain-a")
	stop(errors.New("received signal terminated"))
	require.NoError(t, <-done)
	n := 0
	for _, l := range out.all() {
		if strings.Contains(l, "landed before") {
			n++
		}
	}
	require.Equal(t, 1, n)
}

// A main-chain endpoint that names a report of this account at a height the
// subchain never reached is not believed: the daemon warns, goes on from its
// state and reports.
func TestDaemonIgnoresALandedReportTheSubchainDoesNotConfirm(t *testing.T) {
	out := &logs{}
	forged := shared.StatusSnapshot{ChainId: "subchain-a", Height: 1 << 40, BlockTime: time.Unix(150, 0).UTC(),
		Orgs: []string{"org-a"}, Validators: []shared.Validator{{Address: "subvalcons1a", Power: 10}}}
	main := &mainChain{members: member(false), reports: []collectortypes.Report{{ChainId: "subchain-a", Sequence: 9,
		Source: collectortypes.ReportSource{OrgId: "org-a", Reporter: me.String()}, Snapshot: forged}}}
	d := &orgreporter.Daemon{Main: mainClient(t, main),
		Send: func(context.Context, sdk.Msg) (broadcast.Included, error) {
			return broadcast.Included{TxHash: "5EED", Height: 41}, nil
		},
		Sub: subchain{&fakeChain{height: 23, interval: 5, power: 10}}, Orgs: []string{"org-a"}, Backfill: orgreporter.DefaultBackfill,
		StatePath: filepath.Join(t.TempDir(), "reporter.json"), Poll: 5 * time.Millisecond, Metrics: orgreporter.NewMetrics(), Logf: out.logf}
	ctx, stop := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	require.Equal(t, "WARNING: the main chain names report 9 of subchain-a at height 1099511627776 as this account's newest, "+
		"but the subchain does not confirm the report: its height 1099511627776 is not in the subchain's 1..23: ignored, going on from the state",
		out.waitFor(t, "WARNING"))
	require.Equal(t, "report of subchain-a at height 20 recorded (tx 5EED, height 41)", out.waitFor(t, "recorded"))
	stop(errors.New("received signal terminated"))
	require.NoError(t, <-done)
}

func TestDaemonLogsAReportAnotherSourceWasFirstWith(t *testing.T) {
	out := &logs{}
	d := &orgreporter.Daemon{Main: mainClient(t, &mainChain{members: member(false)}),
		Send: func(context.Context, sdk.Msg) (broadcast.Included, error) {
			return broadcast.Included{}, &broadcast.Refused{Reason: broadcast.OtherReason, Log: collectortypes.ErrOutdatedReport.Error()}
		},
		Sub: subchain{&fakeChain{height: 23, interval: 5, power: 10}}, Orgs: []string{"org-a"},
		StatePath: filepath.Join(t.TempDir(), "reporter.json"), Poll: 5 * time.Millisecond, Metrics: orgreporter.NewMetrics(), Logf: out.logf}
	ctx, stop := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	require.Equal(t, "report of subchain-a at height 20: the main chain holds one of that height already", out.waitFor(t, "already"))
	stop(errors.New("received signal terminated"))
	require.NoError(t, <-done)
}

func TestDaemonStopsWhenItsRightsGo(t *testing.T) {
	d := &orgreporter.Daemon{Main: mainClient(t, &mainChain{members: member(false)}),
		Send: func(context.Context, sdk.Msg) (broadcast.Included, error) {
			return broadcast.Included{}, &broadcast.Refused{Reason: "suspended", Codespace: "statuscollect", Code: 29, Log: "reporting is suspended"}
		},
		Sub: subchain{&fakeChain{height: 23, interval: 5, power: 10}}, Orgs: []string{"org-a"},
		StatePath: filepath.Join(t.TempDir(), "reporter.json"), Poll: time.Millisecond, Metrics: orgreporter.NewMetrics(), Logf: (&logs{}).logf}
	err := d.Run(context.Background())
	require.ErrorIs(t, err, orgreporter.ErrNoRights)
	require.ErrorContains(t, err, "reporting is suspended")
}

func TestDaemonRefusesAPollOfZero(t *testing.T) {
	require.EqualError(t, (&orgreporter.Daemon{}).Run(context.Background()), "--poll 0s: must be positive")
}

func TestDaemonRefusesToStartWithoutRights(t *testing.T) {
	for _, tc := range []struct {
		members []collectortypes.Membership
		want    string
	}{
		{member(true), "org org-a is suspended on subchain-a after an upheld dispute"},
		{member(false)[:1], "is not a monitoring account of any member org of subchain-a"},
	} {
		d := &orgreporter.Daemon{Main: mainClient(t, &mainChain{members: tc.members}),
			Send: func(context.Context, sdk.Msg) (broadcast.Included, error) {
				t.Fatal("nothing may be sent")
				return broadcast.Included{}, nil
			},
			Sub: subchain{&fakeChain{height: 23}}, Poll: time.Millisecond, Metrics: orgreporter.NewMetrics(), Logf: (&logs{}).logf}
		err := d.Run(context.Background())
		require.ErrorIs(t, err, orgreporter.ErrNoRights)
		require.ErrorContains(t, err, tc.want)
	}
}

func scrape(t *testing.T, m *orgreporter.Metrics) string {
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
