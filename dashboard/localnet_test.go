package dashboard_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestPageOnLocalnet drives the status page of a running localnet in
// headless Chromium while scripts/e2e.sh changes the network under it. It
// runs only when DASHBOARD_E2E_URL names the page (e2e.sh starts
// `mainchaind dashboard` against the main chain and sets it), and:
//   - checks what a person sees first: every subchain listed, those with the
//     sidecar active, gateway-c (no reporter yet) never reported;
//   - opens subchain-a's page and creates the file DASHBOARD_E2E_READY, the
//     script's cue to instantiate a contract labelled DASHBOARD_E2E_CONTRACT
//     on subchain-a; the contract must appear in the contract changes and on
//     the timeline without a reload;
//   - goes back to the overview, where gateway-c must turn active without a
//     reload once the script starts its org reporter.
//
// Screenshots go to build/localnet-*.png.
func TestPageOnLocalnet(t *testing.T) {
	url := os.Getenv("DASHBOARD_E2E_URL")
	if url == "" {
		t.Skip("no DASHBOARD_E2E_URL: scripts/e2e.sh runs this against the localnet")
	}
	ready, label := os.Getenv("DASHBOARD_E2E_READY"), os.Getenv("DASHBOARD_E2E_CONTRACT")
	require.NotEmpty(t, ready, "DASHBOARD_E2E_READY")
	require.NotEmpty(t, label, "DASHBOARD_E2E_CONTRACT")
	ctx := browserFor(t, 15*time.Minute)
	shot := screenshots(t, ctx)
	row := func(chain, col string) string { return `#subchains tr[data-chain="` + chain + `"] td.` + col }
	stillHere := func() {
		t.Helper()
		still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.stillHere === true`))
		require.NoError(t, err)
		require.True(t, still, "the page updated without a reload")
	}

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitTextWithin(t, ctx, "#live", "live", time.Minute)
	for _, chain := range []string{"subchain-a", "subchain-b"} {
		waitTextWithin(t, ctx, row(chain, "liveness"), "active", time.Minute)
	}
	// Never reported: awaiting its first report, or stale once its first
	// deadline passed (a slow localnet start).
	require.Contains(t, []string{"awaiting first report", "stale"}, text(t, ctx, row("gateway-c", "liveness")))
	require.Contains(t, text(t, ctx, row("gateway-c", "last")), "never")
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.stillHere = true`))
	require.NoError(t, err)
	shot("localnet-overview.png")

	click(t, ctx, `#subchains tr[data-chain="subchain-a"]`)
	waitTextWithin(t, ctx, "#timeline", "subchain over", time.Minute)
	require.NotContains(t, text(t, ctx, "#contracts"), label, "the contract is there before it was made")
	require.NoError(t, os.WriteFile(ready, []byte("subchain-a's page is open\n"), 0o644))
	waitTextWithin(t, ctx, "#contracts", label, 5*time.Minute)
	addr, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll("#contracts tbody tr")].find((r) => r.textContent.includes(`+jsString(label)+`)).querySelector("code").textContent`))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(addr, "sub1"), "contract address %q", addr)
	waitTextWithin(t, ctx, "#timeline", addr, time.Minute)
	stillHere()
	shot("localnet-subchain-a.png")

	click(t, ctx, `a[href="#/"]`)
	waitTextWithin(t, ctx, row("gateway-c", "liveness"), "active", 10*time.Minute)
	require.NotContains(t, text(t, ctx, row("gateway-c", "last")), "never")
	stillHere()
	shot("localnet-gateway-c-active.png")
}
