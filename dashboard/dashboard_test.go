package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/dashboard"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/collectortest"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

var (
	orgAdmin = sdk.AccAddress([]byte("org-c-admin---------")).String()
	monitor  = sdk.AccAddress([]byte("org-c-monitor-------")).String()
)

func snapshot(chain string, height int64, at time.Time, contracts ...shared.Contract) shared.StatusSnapshot {
	return shared.StatusSnapshot{ChainId: chain, Height: height, BlockTime: at, TotalTxs: uint64(height) * 10, WindowTxs: 30, WindowBlocks: 10, TpsMilli: 1500,
		Orgs: []string{"org-a", "org-b"}, Validators: []shared.Validator{{Address: "subvalcons1aaaa", Power: 10, Moniker: "val-a"}},
		ContractCount: uint64(len(contracts)), NewContracts: contracts, SoftwareVersion: "v1"}
}

// network: subchain-a reporting over its channel, gateway-c registered with
// org-c's monitoring account but never reported.
func network(t *testing.T) (*collectortest.Served, *dashboard.Server, *httptest.Server) {
	s := collectortest.Serve(t)
	s.Register("subchain-a", time.Minute)
	s.Register("gateway-c", time.Minute)
	s.BindChannel("subchain-a", "channel-0")
	s.Report(time.Second, "channel-0", 1, snapshot("subchain-a", 10, s.Now(), shared.Contract{Address: "sub1first", CodeId: 1, Label: "first"}))
	s.Do(0, func(ctx sdk.Context) error {
		for _, err := range []error{
			s.K.RegisterOrg(ctx, &collectortypes.MsgRegisterOrg{Authority: collectortest.Authority, OrgId: "org-c", Name: "C", Admin: orgAdmin}),
			s.K.AddMember(ctx, &collectortypes.MsgAddMember{Authority: collectortest.Authority, ChainId: "gateway-c", OrgId: "org-c"}),
			s.K.GrantReporter(ctx, &collectortypes.MsgGrantReporter{Admin: orgAdmin, ChainId: "gateway-c", OrgId: "org-c", Reporter: monitor}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	srv := &dashboard.Server{Source: dashboard.Source{Q: collectortypes.NewQueryClient(s.Conn)}, Timeout: 5 * time.Second}
	web := httptest.NewServer(srv.Handler())
	t.Cleanup(web.Close)
	return s, srv, web
}

// TestJSON: what the page reads: words for enums, "never" as null, a
// subchain the node does not know is 404.
func TestJSON(t *testing.T) {
	_, _, web := network(t)
	var o dashboard.Overview
	get(t, web.URL+"/api/overview", http.StatusOK, &o)
	require.Len(t, o.Subchains, 2)
	byID := map[string]dashboard.SubchainRow{}
	for _, r := range o.Subchains {
		byID[r.ChainID] = r
	}
	a, c := byID["subchain-a"], byID["gateway-c"]
	require.Equal(t, "active", a.Liveness)
	require.Equal(t, "1.5", a.TPS)
	require.EqualValues(t, 1, a.Contracts)
	require.NotNil(t, a.LastReport)
	require.Equal(t, "subchain over channel-0", a.LastSource)
	require.Equal(t, "awaiting first report", c.Liveness)
	require.Nil(t, c.LastReport, "never reported: null, not year 1")
	require.Equal(t, "industry", c.Kind)

	var d dashboard.Detail
	get(t, web.URL+"/api/subchains/subchain-a", http.StatusOK, &d)
	require.Len(t, d.Timeline, 1)
	require.Equal(t, []string{"sub1first"}, d.Timeline[0].NewContracts)
	require.Len(t, d.ContractChanges, 1)
	require.Equal(t, "deployed", d.ContractChanges[0].Kind)
	require.EqualValues(t, 1, d.Contracts, "the count is not hidden by the list")
	get(t, web.URL+"/api/subchains/subchain-x", http.StatusNotFound, nil)
	get(t, web.URL+"/api/subchains/bad%20id", http.StatusBadRequest, nil)
}

func get(t *testing.T, url string, code int, v any) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, code, res.StatusCode, url)
	if v != nil {
		require.NoError(t, json.NewDecoder(res.Body).Decode(v))
	}
}

// browser starts headless Chromium for up to 90 s. Without it the test is
// skipped, except in CI, where scripts/deps.sh installs it.
func browser(t *testing.T) context.Context {
	return browserFor(t, 90*time.Second)
}

func browserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	if _, err := exec.LookPath("chromium"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed: run make deps")
		}
		t.Skip("chromium is not installed (make deps installs it)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox, chromedp.WindowSize(1366, 800))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, d)
	t.Cleanup(cancel)
	return ctx
}

// text waits for sel and returns its text as shown. It reads the text in
// one script run: a live page re-renders between two protocol calls, and a
// node found by the first is gone by the second.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	waitText(t, ctx, sel, "")
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+jsString(sel)+`).innerText`))
	require.NoError(t, err)
	return strings.TrimSpace(s)
}

// click clicks sel, in one script run (see text).
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	waitText(t, ctx, sel, "")
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector(`+jsString(sel)+`).click(), true)`))
	require.NoError(t, err)
}

// waitText polls sel's text until it contains want, for up to 20 s.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	waitTextWithin(t, ctx, sel, want, 20*time.Second)
}

func waitTextWithin(t *testing.T, ctx context.Context, sel, want string, d time.Duration) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`(() => { const e = document.querySelector(`+jsString(sel)+`); return !!e && e.textContent.includes(`+jsString(want)+`); })()`,
		chromedp.WithPollingTimeout(d)))
	require.NoError(t, err, "%s never showed %q", sel, want)
}

// screenshots returns a function that saves the page as build/NAME.
func screenshots(t *testing.T, ctx context.Context) func(name string) {
	t.Helper()
	dir, err := filepath.Abs("../build")
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return func(name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), png, 0o644))
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestPageInBrowser drives the page in headless Chromium: it shows the
// subchains as a person sees them; when gateway-c's first report is recorded
// and the block's events reach the dashboard, its row turns active without
// a reload; on subchain-a's page a newly reported contract appears in the
// timeline and the contract changes, again without a reload. Screenshots go
// to build/.
func TestPageInBrowser(t *testing.T) {
	s, srv, web := network(t)
	ctx := browser(t)
	shot := screenshots(t, ctx)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(web.URL+"/")))
	waitText(t, ctx, "#live", "live")
	row := func(chain, col string) string { return `#subchains tr[data-chain="` + chain + `"] td.` + col }
	require.Equal(t, "active", text(t, ctx, row("subchain-a", "liveness")))
	require.Equal(t, "awaiting first report", text(t, ctx, row("gateway-c", "liveness")))
	require.Contains(t, text(t, ctx, row("gateway-c", "last")), "never")
	require.Equal(t, "1", text(t, ctx, row("subchain-a", "contracts")))
	// A mark in the page: a reload would drop it.
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.stillHere = true`))
	require.NoError(t, err)
	shot("dashboard-overview.png")

	// org-c's monitor reports gateway-c; the block's events reach the page.
	s.Do(2*time.Second, func(ctx sdk.Context) error {
		_, err := s.K.SubmitStatus(ctx, &collectortypes.MsgSubmitStatus{Reporter: monitor, Snapshot: snapshot("gateway-c", 40, ctx.BlockTime())})
		return err
	})
	srv.Publish(dashboard.Update{Height: 99, Types: []string{"collector.v1.EventStatusReported"}, Chains: []string{"gateway-c"}})
	waitText(t, ctx, row("gateway-c", "liveness"), "active")
	require.Equal(t, "40", text(t, ctx, row("gateway-c", "height")))
	still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.stillHere === true`))
	require.NoError(t, err)
	require.True(t, still, "the page updated without a reload")

	// subchain-a's page; a new contract arrives.
	click(t, ctx, `#subchains tr[data-chain="subchain-a"]`)
	waitText(t, ctx, "#timeline", "sub1first")
	s.Report(3*time.Second, "channel-0", 2, snapshot("subchain-a", 20, s.Now().Add(3*time.Second),
		shared.Contract{Address: "sub1registry", CodeId: 2, Label: "registry"}))
	srv.Publish(dashboard.Update{Height: 100, Chains: []string{"subchain-a"}})
	waitText(t, ctx, "#timeline", "sub1registry")
	waitText(t, ctx, "#contracts", "sub1registry")
	still, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.stillHere === true`))
	require.NoError(t, err)
	require.True(t, still, "the page updated without a reload")
	shot("dashboard-subchain.png")
}
