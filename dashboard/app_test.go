package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/dashboard"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/collectortest"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// appHarness runs web/app.js in node with the little of a browser it
// touches, in a window whose name an attacker chose (window.open(url,
// name)): any chain id that reaches script text as code and calls
// eval(name) sets pwned. Its mode, the second argument, is
//
//   - "render": render the overview and each subchain page of the JSON on
//     stdin ({"overview": ..., "details": [...]}), and click each overview
//     row as a browser would (the event reaches the view's listeners, and
//     closest() finds the row; the row's onclick, if any, runs);
//   - "refused": fail the page's event stream as a browser does on an HTTP
//     error (readyState CLOSED), then run the timers the page set.
//
// It prints what it saw as JSON.
const appHarness = `
"use strict";
const vm = require("vm"), fs = require("fs");
const [app, mode] = process.argv.slice(2);
const listeners = [];
const view = { innerHTML: "", addEventListener: (type, fn) => { if (type === "click") listeners.push(fn); } };
const streams = [], timers = [];
function EventSource(url) { this.url = url; this.readyState = EventSource.CONNECTING; this.addEventListener = () => {}; streams.push(this); }
Object.assign(EventSource, { CONNECTING: 0, OPEN: 1, CLOSED: 2 });
const ctx = vm.createContext({
  document: { getElementById: (id) => (id === "view" ? view : {}), body: { dataset: {} } },
  location: { hash: "" }, window: { addEventListener() {} },
  setInterval() {}, setTimeout: (fn, ms) => timers.push({ fn, ms }),
  fetch: () => new Promise(() => {}), EventSource,
  name: "globalThis.pwned = true", pwned: false,
});
vm.runInContext(fs.readFileSync(app, "utf8"), ctx);

// Inline event-handler attributes (onclick=, onerror=, ...): script text in
// the markup.
const handlers = (html) => html.match(/\son[a-z]+\s*=/gi) || [];
const unescape = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
const out = {};
if (mode === "render") {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  ctx.input = input;
  vm.runInContext("data = input.overview; readAt = Date.now(); renderOverview();", ctx);
  const html = view.innerHTML;
  out.overview = { html, handlers: handlers(html), rows: [] };
  for (const [tag] of html.matchAll(/<tr [^>]*data-chain="[^>]*>/g)) {
    const attr = (name) => { const m = tag.match(new RegExp(" " + name + '="([^"]*)"')); return m && unescape(m[1]); };
    const row = { dataset: { chain: attr("data-chain") } };
    const cell = { closest: (sel) => (sel.includes("tr[data-chain]") ? row : null) };
    ctx.location.hash = "";
    for (const fn of listeners) fn({ target: cell });
    const onclick = attr("onclick"); // as a browser runs it
    if (onclick) { try { vm.runInContext(onclick, ctx); } catch {} }
    out.overview.rows.push({ chain: row.dataset.chain, hash: ctx.location.hash });
  }
  out.details = input.details.map((d) => {
    ctx.detail = d;
    vm.runInContext("data = detail; readAt = Date.now(); renderDetail();", ctx);
    return { html: view.innerHTML, handlers: handlers(view.innerHTML) };
  });
} else if (mode === "refused") {
  const es = streams[0];
  es.readyState = EventSource.CONNECTING; // a lost connection: the browser retries by itself
  es.onerror();
  out.timersAfterLostConnection = timers.length;
  es.readyState = EventSource.CLOSED; // an HTTP error: the browser gave up
  es.onerror();
  out.timers = timers.map((t) => t.ms);
  timers.forEach((t) => t.fn());
  out.streams = streams.map((s) => s.url);
}
out.pwned = ctx.pwned === true;
console.log(JSON.stringify(out));
`

// runApp runs appHarness in mode with stdin, and decodes what it printed
// into v. Without node the test is skipped.
func runApp(t *testing.T, mode string, stdin []byte, v any) {
	t.Helper()
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the page's script cannot be run outside a browser")
	}
	script := filepath.Join(t.TempDir(), "harness.js")
	require.NoError(t, os.WriteFile(script, []byte(appHarness), 0o600))
	app, err := filepath.Abs("web/app.js")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nodeBin, script, app, mode)
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node %s %s", script, mode)
	require.NoError(t, json.Unmarshal(out, v), "%s", out)
}

// TestChainIDsCannotRunScriptOnThePage: a chain id (and a subchain's name)
// is any printable ASCII without spaces, so quotes, brackets and entities
// reach the page from the registry. On the overview and on the subchain's
// page none of it may become markup or script text: the raw id is nowhere
// in the markup (it is escaped), there is no inline event handler at all,
// and a click on the row still opens the subchain it names, with the attacker's
// eval(name) never run.
func TestChainIDsCannotRunScriptOnThePage(t *testing.T) {
	// Each id with the hash a click on its row must set
	// (encodeURIComponent's, which leaves ' ( ) - as they are).
	evil := map[string]string{
		`x'-eval(name)-'`:                   `#/subchain/x'-eval(name)-'`,
		`x"><img/src=x/onerror=eval(name)>`: `#/subchain/x%22%3E%3Cimg%2Fsrc%3Dx%2Fonerror%3Deval(name)%3E`,
		`x&lt;script&gt;`:                   `#/subchain/x%26lt%3Bscript%26gt%3B`,
	}
	s := collectortest.Serve(t)
	for id := range evil {
		require.NoError(t, (&collectortypes.MsgRegisterSubchain{Authority: collectortest.Authority, ChainId: id, Name: id,
			Kind: collectortypes.SUBCHAIN_KIND_INDUSTRY, ReportInterval: time.Minute}).ValidateBasic(), "a chain id the registry takes: %s", id)
		s.Register(id, time.Minute) // its name is its id too
	}
	srv := &dashboard.Server{Source: dashboard.Source{Q: collectortypes.NewQueryClient(s.Conn)}, Timeout: 5 * time.Second}
	web := httptest.NewServer(srv.Handler())
	defer web.Close()

	var in struct {
		Overview json.RawMessage   `json:"overview"`
		Details  []json.RawMessage `json:"details"`
	}
	get(t, web.URL+"/api/overview", http.StatusOK, &in.Overview)
	for id := range evil {
		var d json.RawMessage
		get(t, web.URL+"/api/subchains/"+url.PathEscape(id), http.StatusOK, &d)
		in.Details = append(in.Details, d)
	}
	stdin, err := json.Marshal(in)
	require.NoError(t, err)

	type page struct {
		HTML     string   `json:"html"`
		Handlers []string `json:"handlers"`
	}
	var got struct {
		Overview struct {
			page
			Rows []struct {
				Chain string `json:"chain"`
				Hash  string `json:"hash"`
			} `json:"rows"`
		} `json:"overview"`
		Details []page `json:"details"`
		Pwned   bool   `json:"pwned"`
	}
	runApp(t, "render", stdin, &got)

	require.False(t, got.Pwned, "the page ran the attacker's script")
	pages := append([]page{got.Overview.page}, got.Details...)
	require.Len(t, pages, 1+len(evil))
	for i, p := range pages {
		require.Empty(t, p.Handlers, "page %d has inline event handlers", i)
		for id := range evil {
			require.NotContains(t, p.HTML, id, "page %d has the chain id unescaped", i)
		}
	}
	require.Len(t, got.Overview.Rows, len(evil))
	for _, r := range got.Overview.Rows {
		want, ok := evil[r.Chain]
		require.True(t, ok, "a row's data-chain reads back as %q, no registered id", r.Chain)
		require.Equal(t, want, r.Hash, "a click on %q's row", r.Chain)
	}
}

// TestPageListensAgainAfterStreamRefused: a browser's EventSource retries a
// lost connection by itself but gives up on an HTTP error, such as the 503
// of a dashboard with --max-streams open. The page then opens a new stream
// later, and only then: after a lost connection it leaves the retry to the
// browser, or it would hold two streams.
func TestPageListensAgainAfterStreamRefused(t *testing.T) {
	var got struct {
		TimersAfterLostConnection int      `json:"timersAfterLostConnection"`
		Timers                    []int    `json:"timers"`
		Streams                   []string `json:"streams"`
	}
	runApp(t, "refused", nil, &got)
	require.Zero(t, got.TimersAfterLostConnection, "the page retried a stream the browser retries")
	require.Equal(t, []int{10000}, got.Timers)
	require.Equal(t, []string{"api/events", "api/events"}, got.Streams, "the page opened a new stream")
}
