// Command scnet is the localnet's helper: the shell helpers of scripts/lib.sh
// and scripts/faults/lib.sh call it to read .localnet/localnet.json and the
// JSON the chain CLIs print, to query CometBFT RPC and Prometheus endpoints
// (every request with a timeout, every wait and every paging bounded) and to
// edit config files. `scnet help` lists the subcommands; `scnet CMD --help`
// shows one with an example.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/statuscollect/statuscollect/cmd/scnet/internal/localnet"
)

type command struct {
	args    string // positional arguments, for the usage line
	summary string
	example string
	flags   func(fs *flag.FlagSet) func() // registers flags; returns nothing to do after parsing
	nargs   [2]int                        // min, max positional arguments (max -1: any)
	run     func(ctx context.Context, a []string, stdin io.Reader, stdout io.Writer) error
}

// Flags, shared by the subcommands that take them.
var (
	summaryPath string
	timeout     time.Duration
	bin, node   string
	height      string
	maxPages    int
	file        string
	// json's flags
	orValue, want, join, each          string
	orSet, wantSet, first, last, lines bool
	keys                               bool
	atLeast, present                   bool // wait-metrics
)

func summaryFlag(fs *flag.FlagSet) {
	def := os.Getenv("SCNET_SUMMARY")
	if def == "" {
		def = ".localnet/localnet.json"
	}
	fs.StringVar(&summaryPath, "summary", def, "the localnet's summary (default $SCNET_SUMMARY or .localnet/localnet.json)")
}

func timeoutFlag(d time.Duration) func(fs *flag.FlagSet) func() {
	return func(fs *flag.FlagSet) func() {
		fs.DurationVar(&timeout, "timeout", d, "give up on a request after this long")
		return nil
	}
}

func withSummary(fs *flag.FlagSet) func() { summaryFlag(fs); return nil }

var commands = map[string]command{
	"json-get": {
		args: "PATH", summary: "print the value at dotted PATH of the JSON on stdin (list items by index; -1 is the last) as print() did: strings bare, True/False/None, objects and lists as JSON",
		example: `mainchaind status | scnet json-get sync_info.latest_block_height`,
		flags: func(fs *flag.FlagSet) func() {
			fs.StringVar(&file, "file", "", "read the JSON from this file instead of stdin")
			return nil
		},
		nargs: [2]int{1, 1},
		run: func(_ context.Context, a []string, stdin io.Reader, out io.Writer) error {
			var v any
			var err error
			if file != "" {
				var data []byte
				if data, err = os.ReadFile(file); err == nil {
					v, err = localnet.Decode(data)
				}
			} else {
				v, err = localnet.DecodeReader(stdin)
			}
			if err != nil {
				return err
			}
			v, err = localnet.GetPath(v, a[0], localnet.PathOptions{ListIndex: true})
			if err != nil {
				return err
			}
			return printLine(out, localnet.PyPrintValue(v))
		},
	},
	"json": {
		args: "PATH...", summary: "query the JSON on stdin: each PATH is dotted (key, list index N, [] every item, [COND,...] the items where every COND holds, # a count); one PATH prints its values a line each, several print one value each on one line, space-separated; --want makes it a check",
		example: `mainchaind q statuscollect overview --output json | scnet json 'subchains[subchain.liveness!=LIVENESS_ACTIVE].subchain.chain_id'
  scnet json --file .localnet/localnet.json --first 'services[kind=prometheus].url'
  scnet json 'data.activeTargets[health=up]#' 'data.activeTargets[]#' <targets.json
  scnet json --want True 'members[org_id=org-a].suspended' <members.json
  scnet json --each 'reports[]' --or 0 sequence snapshot.height snapshot.total_txs <history.json

COND is PATH (set: not missing, null, false, 0, "", [] or {}), !PATH (not set),
PATH=VALUE, PATH!=VALUE (VALUE as print() prints it; A|B: either) or PATH>=N, >N, <=N, <N
(integers; missing counts as 0). A missing key ends in an error unless --or;
before [] it yields nothing.`,
		flags: func(fs *flag.FlagSet) func() {
			fs.StringVar(&file, "file", "", "read the JSON from this file instead of stdin")
			fs.Func("or", "print this for a missing, null or empty value (and, with --first, for no value) instead of failing", func(s string) error {
				orValue, orSet = s, true
				return nil
			})
			fs.BoolVar(&lines, "lines", false, "the input is one JSON value a line (as tx-events prints): query the list of them")
			fs.BoolVar(&first, "first", false, "only the first value of each PATH; fail if there is none (unless --or)")
			fs.BoolVar(&last, "last", false, "only the last value of each PATH; fail if there is none (unless --or)")
			fs.StringVar(&join, "join", "\n", "with one PATH, put this between its values")
			fs.StringVar(&each, "each", "", "query the PATHs on each value at this path instead, printing a line for each")
			fs.BoolVar(&keys, "keys", false, "print the keys of each object a PATH yields (in the document's order) instead of the object")
			fs.Func("want", "print nothing; fail, saying what was printed instead, unless the output is this", func(s string) error {
				want, wantSet = s, true
				return nil
			})
			return nil
		},
		nargs: [2]int{1, -1},
		run: func(_ context.Context, a []string, stdin io.Reader, out io.Writer) error {
			var v any
			var err error
			if file != "" {
				var data []byte
				if data, err = os.ReadFile(file); err == nil {
					v, err = localnet.Decode(data)
				}
			} else if lines {
				v, err = localnet.DecodeLines(stdin)
			} else {
				v, err = localnet.DecodeReader(stdin)
			}
			if err != nil {
				return err
			}
			s, err := localnet.QueryText(v, a, localnet.QueryOptions{Or: orValue, OrSet: orSet, First: first, Last: last, Join: join, Each: each, Keys: keys})
			if err != nil {
				return err
			}
			if wantSet {
				if s != want {
					return fmt.Errorf("%s gave %q, want %q", strings.Join(a, " "), s, want)
				}
				return nil
			}
			if s == "" && len(a) == 1 && !first && !last {
				return nil // nothing matched: print nothing, as a loop of print() did
			}
			return printLine(out, s)
		},
	},
	"chain": {
		args: "CHAIN FIELD", summary: "FIELD (dotted: ports.api, keys.admin, home, rpc) of chain CHAIN in the localnet's summary",
		example: `scnet chain --summary .localnet/localnet.json subchain-a ports.api`,
		flags:   withSummary, nargs: [2]int{2, 2},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			s, err := localnet.LoadSummary(summaryPath)
			if err != nil {
				return err
			}
			v, err := s.ChainField(a[0], a[1])
			if err != nil {
				return err
			}
			return printLine(out, v)
		},
	},
	"summary": {
		args: "PATH", summary: "the value at dotted PATH from the top of the localnet's summary (main_chain, rly.home)",
		example: `scnet summary --summary .localnet/localnet.json main_chain`,
		flags:   withSummary, nargs: [2]int{1, 1},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			s, err := localnet.LoadSummary(summaryPath)
			if err != nil {
				return err
			}
			v, err := s.Get(a[0])
			if err != nil {
				return err
			}
			return printLine(out, localnet.PyPrintValue(v))
		},
	},
	"node": {
		args: "CHAIN INDEX", summary: "the binary, home, log, pid file and RPC address of node INDEX (0 first) of CHAIN, one a line",
		example: `scnet node --summary .localnet/localnet.json mainchain 1`,
		flags:   withSummary, nargs: [2]int{2, 2},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			s, err := localnet.LoadSummary(summaryPath)
			if err != nil {
				return err
			}
			f, err := s.Node(a[0], a[1])
			if err != nil {
				return err
			}
			return printLine(out, strings.Join(f, "\n"))
		},
	},
	"status-path": {
		args: "SUBCHAIN FIELD", summary: "FIELD (dotted: src.channel, dst.client_id) of SUBCHAIN's status path in the localnet's summary",
		example: `scnet status-path --summary .localnet/localnet.json subchain-a src.channel`,
		flags:   withSummary, nargs: [2]int{2, 2},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			s, err := localnet.LoadSummary(summaryPath)
			if err != nil {
				return err
			}
			v, err := s.StatusPathField(a[0], a[1])
			if err != nil {
				return err
			}
			return printLine(out, v)
		},
	},
	"nodes": {
		args: "CHAIN FIELD [SEP]", summary: "FIELD (rpc, grpc, api, peer...) of every node of CHAIN, node 0 first, joined by SEP (default \",\"): rpc as tcp://host:port, peer as node_id@127.0.0.1:p2p_port, others as 127.0.0.1:port",
		example: `scnet nodes --summary .localnet/localnet.json mainchain grpc`,
		flags:   withSummary, nargs: [2]int{2, 3},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			s, err := localnet.LoadSummary(summaryPath)
			if err != nil {
				return err
			}
			sep := ","
			if len(a) == 3 {
				sep = a[2]
			}
			v, err := s.Nodes(a[0], a[1], sep)
			if err != nil {
				return err
			}
			return printLine(out, v)
		},
	},
	"toml-set": {
		args: "FILE SECTION.KEY=VALUE...", summary: "set existing keys of a TOML file in place (VALUE as is: quote strings; .KEY for top-level keys); changes nothing and fails if a key is not there",
		example: `scnet toml-set ~/.mainchaind/config/config.toml 'rpc.laddr="tcp://127.0.0.1:26657"' '.moniker="a"'`,
		nargs:   [2]int{1, -1},
		run: func(_ context.Context, a []string, _ io.Reader, _ io.Writer) error {
			return localnet.TomlSetFile(a[0], a[1:])
		},
	},
	"preset-reporter-genesis": {
		args: "GENESIS ADMIN INTERVAL HEARTBEAT TIMEOUT [ORG...]", summary: "preset the statusreporter sidecar in a subchain's genesis: admin, report interval (blocks), heartbeat (snapshots), packet timeout, participant orgs",
		example: `scnet preset-reporter-genesis genesis.json sub1abc... 5 3 90s org-a org-b`,
		nargs:   [2]int{5, -1},
		run: func(_ context.Context, a []string, _ io.Reader, _ io.Writer) error {
			return localnet.PresetReporterGenesis(a[0], a[1], a[2], a[3], a[4], a[5:])
		},
	},
	"get": {
		args: "URL", summary: "GET URL (a node's REST API) and print the body as it is; fail, printing nothing, on a connection error or a non-2xx answer",
		example: `scnet get http://127.0.0.1:1317/cosmos/base/tendermint/v1beta1/node_info`,
		flags:   timeoutFlag(10 * time.Second), nargs: [2]int{1, 1},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			b, err := localnet.HTTPGet(ctx, a[0], timeout)
			if err != nil {
				return err
			}
			_, err = out.Write(b)
			return err
		},
	},
	"tx-event-attr": {
		args: "TYPE KEY", summary: "the value of attribute KEY of the first event of TYPE in the committed tx (JSON) on stdin",
		example: `mainchaind q tx HASH --output json | scnet tx-event-attr store_code code_id`,
		nargs:   [2]int{2, 2},
		run: func(_ context.Context, a []string, stdin io.Reader, out io.Writer) error {
			v, err := localnet.DecodeReader(stdin)
			if err != nil {
				return err
			}
			s, err := localnet.TxEventAttr(v, a[0], a[1])
			if err != nil {
				return err
			}
			return printLine(out, s)
		},
	},
	"balance": {
		args: "DENOM", summary: "the amount of DENOM in the `q bank balances --output json` answer on stdin (0 if none)",
		example: `mainchaind q bank balances main1... --output json | scnet balance umain`,
		nargs:   [2]int{1, 1},
		run: func(_ context.Context, a []string, stdin io.Reader, out io.Writer) error {
			v, err := localnet.DecodeReader(stdin)
			if err != nil {
				return err
			}
			s, err := localnet.Balance(v, a[0])
			if err != nil {
				return err
			}
			return printLine(out, s)
		},
	},
	"rpc": {
		args: "BASE PATH", summary: "GET a CometBFT RPC endpoint (BASE http://host:port, PATH /status) and print its result as JSON (an error answer fails)",
		example: `scnet rpc http://127.0.0.1:26657 '/block?height=5'`,
		flags:   timeoutFlag(15 * time.Second), nargs: [2]int{2, 2},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			r, err := localnet.RPCGet(ctx, a[0], a[1], timeout)
			if err != nil {
				return err
			}
			return printLine(out, localnet.Dumps(r))
		},
	},
	"block-events": {
		args: "BASE HEIGHT TYPE", summary: "the finalize-block events of TYPE in block HEIGHT, one JSON object of their attributes a line (values decoded from JSON when they are JSON)",
		example: `scnet block-events http://127.0.0.1:26657 120 statuscollect.collector.v1.EventReportAccepted`,
		flags:   timeoutFlag(15 * time.Second), nargs: [2]int{3, 3},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			r, err := localnet.RPCGet(ctx, a[0], "/block_results?height="+a[1], timeout)
			if err != nil {
				return err
			}
			lines, err := localnet.BlockEvents(r, a[2])
			if err != nil {
				return err
			}
			return printLines(out, lines)
		},
	},
	"block-search": {
		args: "BASE QUERY", summary: "heights of the blocks whose finalize-block events match QUERY (block_search), ascending, one a line; the first 100 only",
		example: `scnet block-search http://127.0.0.1:26657 "statuscollect.collector.v1.EventDisputeFiled.chain_id EXISTS"`,
		flags:   timeoutFlag(15 * time.Second), nargs: [2]int{2, 2},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			hs, err := localnet.BlockSearch(ctx, a[0], a[1], timeout)
			if err != nil {
				return err
			}
			return printLines(out, hs)
		},
	},
	"block-time": {
		args: "BASE HEIGHT", summary: "the time of block HEIGHT in unix nanoseconds",
		example: `scnet block-time http://127.0.0.1:26657 42`,
		flags:   timeoutFlag(15 * time.Second), nargs: [2]int{2, 2},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			r, err := localnet.RPCGet(ctx, a[0], "/block?height="+a[1], timeout)
			if err != nil {
				return err
			}
			ns, err := localnet.BlockTime(r)
			if err != nil {
				return err
			}
			return printLine(out, ns)
		},
	},
	"rfc3339-ns": {
		args: "TIME", summary: "an RFC 3339 UTC time (ending in Z) in unix nanoseconds",
		example: `scnet rfc3339-ns 2024-05-01T12:00:00.5Z`,
		nargs:   [2]int{1, 1},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			ns, err := localnet.RFC3339Ns(a[0])
			if err != nil {
				return err
			}
			return printLine(out, ns)
		},
	},
	"tx-events": {
		args: "QUERY TYPE", summary: "the events of TYPE in every tx matching QUERY, read page by page with `BIN q txs`, one JSON line each: {height, txhash, code, msgs, attrs}",
		example: `scnet tx-events --bin build/mainchaind --node tcp://127.0.0.1:26657 "message.action='/statuscollect.collector.v1.MsgSubmitStatus'" statuscollect.collector.v1.EventReportAccepted`,
		flags: func(fs *flag.FlagSet) func() {
			cliFlags(fs)
			return nil
		},
		nargs: [2]int{2, 2},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			lines, err := localnet.TxEvents(ctx, localnet.ExecRunner, bin, node, a[0], a[1], maxPages)
			if perr := printLines(out, lines); perr != nil {
				return perr
			}
			return err
		},
	},
	"history": {
		args: "CHAIN", summary: "every report of CHAIN on the main chain, read page by page with `BIN q statuscollect history`, as one JSON list",
		example: `scnet history --bin build/mainchaind --node tcp://127.0.0.1:26657 subchain-a`,
		flags: func(fs *flag.FlagSet) func() {
			cliFlags(fs)
			fs.StringVar(&height, "height", "", "read at this height (default latest)")
			return nil
		},
		nargs: [2]int{1, 1},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			s, err := localnet.History(ctx, localnet.ExecRunner, bin, a[0], node, height, maxPages)
			if err != nil {
				return err
			}
			return printLine(out, s)
		},
	},
	"ibc-report-after": {
		args: "AFTER_SEQ", summary: "in a reversed history page (JSON on stdin), the first report over IBC with a sequence above AFTER_SEQ: print \"sequence main_height\"; exit 1 if none",
		example: `mainchaind q statuscollect history subchain-a --page-reverse --page-limit 20 --output json | scnet ibc-report-after 3`,
		nargs:   [2]int{1, 1},
		run: func(_ context.Context, a []string, stdin io.Reader, out io.Writer) error {
			after, err := strconv.ParseInt(strings.TrimSpace(a[0]), 10, 64)
			if err != nil {
				return fmt.Errorf("AFTER_SEQ %q is not an integer", a[0])
			}
			v, err := localnet.DecodeReader(stdin)
			if err != nil {
				return err
			}
			s, ok, err := localnet.IBCReportAfter(v, after)
			if err != nil {
				return err
			}
			if !ok {
				return errQuiet
			}
			return printLine(out, s)
		},
	},
	"latest-seq": {
		summary: "the sequence of the first report of the history page (JSON) on stdin; 0 if none",
		example: `mainchaind q statuscollect history subchain-a --page-reverse --page-limit 1 --output json | scnet latest-seq`,
		nargs:   [2]int{0, 0},
		run: func(_ context.Context, _ []string, stdin io.Reader, out io.Writer) error {
			v, err := localnet.DecodeReader(stdin)
			if err != nil {
				return err
			}
			s, err := localnet.LatestSeq(v)
			if err != nil {
				return err
			}
			return printLine(out, s)
		},
	},
	"wait-metrics": {
		args: "ADDR SECONDS WANT...", summary: "wait up to SECONDS until every WANT ('name{labels} value', labels as the exporter prints them) holds on http://ADDR/metrics; an absent sample counts as 0 (unless --present)",
		example: `scnet wait-metrics 127.0.0.1:9464 60 'statuscollect_watcher_disputes_filed_total{chain="subchain-a"} 1'
  scnet wait-metrics --at-least 127.0.0.1:26690 30 'statuscollect_reporter_submissions_total{error="",outcome="recorded"} 1'`,
		flags: func(fs *flag.FlagSet) func() {
			fs.DurationVar(&timeout, "timeout", 5*time.Second, "give up on one scrape after this long")
			fs.BoolVar(&atLeast, "at-least", false, "a WANT holds when the sample is at least its value (a counter that got there)")
			fs.BoolVar(&present, "present", false, "an absent sample holds no WANT, not even a 0")
			return nil
		},
		nargs: [2]int{2, -1},
		run: func(ctx context.Context, a []string, _ io.Reader, _ io.Writer) error {
			secs, err := strconv.Atoi(strings.TrimSpace(a[1]))
			if err != nil || secs < 0 {
				return fmt.Errorf("SECONDS %q is not a whole number of seconds", a[1])
			}
			var wants []localnet.Want
			for _, w := range a[2:] {
				x, err := localnet.ParseWant(w)
				if err != nil {
					return err
				}
				x.AtLeast, x.Present = atLeast, present
				wants = append(wants, x)
			}
			return localnet.WaitMetrics(ctx, a[0], time.Duration(secs)*time.Second, 500*time.Millisecond, timeout, wants)
		},
	},
	"metric": {
		args: "ADDR NAME{LABELS}", summary: "the value of one sample on http://ADDR/metrics now, as exported (nothing if absent); fails if the endpoint does not answer",
		example: `scnet metric 127.0.0.1:9464 'statuscollect_reporter_reports_total{chain="subchain-a"}'`,
		flags:   timeoutFlag(5 * time.Second), nargs: [2]int{2, 2},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			body, err := localnet.HTTPGet(ctx, "http://"+a[0]+"/metrics", timeout)
			if err != nil {
				return err
			}
			if v, ok := localnet.MetricValue(string(body), a[1]); ok {
				return printLine(out, v)
			}
			return nil
		},
	},
	"metric-sum": {
		args: "ADDR NAME [CONTAINS]", summary: "the sum, as an integer, of every sample of metric NAME on http://ADDR/metrics whose key (name and labels) contains CONTAINS; 0 if none or if the endpoint does not answer",
		example: `scnet metric-sum 127.0.0.1:26660 cometbft_consensus_height 'chain_id="mainchain"'`,
		flags:   timeoutFlag(5 * time.Second), nargs: [2]int{2, 3},
		run: func(ctx context.Context, a []string, _ io.Reader, out io.Writer) error {
			contains := ""
			if len(a) == 3 {
				contains = a[2]
			}
			samples, body, err := localnet.FetchMetrics(ctx, a[0], timeout)
			if err != nil && body != "" {
				return err
			}
			return printLine(out, strconv.FormatInt(localnet.MetricSum(samples, a[1], contains), 10))
		},
	},
	"proxy": {
		args: "LISTEN_PORT TARGET_PORT", summary: "forward 127.0.0.1:LISTEN_PORT to 127.0.0.1:TARGET_PORT until killed (killing it cuts every connection)",
		example: `scnet proxy 29090 9090`,
		nargs:   [2]int{2, 2},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			l, err1 := strconv.Atoi(a[0])
			t, err2 := strconv.Atoi(a[1])
			if err1 != nil || err2 != nil {
				return fmt.Errorf("ports %q %q: want two port numbers", a[0], a[1])
			}
			return localnet.Proxy(l, t, func() { fmt.Fprintf(out, "listening on %d -> %d\n", l, t) })
		},
	},
}

func cliFlags(fs *flag.FlagSet) {
	fs.StringVar(&bin, "bin", "", "the chain binary to query with (required)")
	fs.StringVar(&node, "node", "", "the node's RPC address, tcp://host:port (required)")
	fs.IntVar(&maxPages, "max-pages", 1000, "fail rather than read more pages than this")
}

// errQuiet fails with exit status 1 and no message.
var errQuiet = errors.New("")

func printLine(w io.Writer, s string) error {
	_, err := fmt.Fprintln(w, s)
	return err
}

func printLines(w io.Writer, lines []string) error {
	for _, l := range lines {
		if err := printLine(w, l); err != nil {
			return err
		}
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "scnet: the localnet's helper (used by scripts/lib.sh and scripts/faults/lib.sh)")
	fmt.Fprintln(w, "\nusage: scnet COMMAND [FLAGS] ARGS...   (scnet COMMAND --help: its flags and an example)")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-24s %s\n", n, commands[n].summary)
	}
}

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) == 0 {
			usage(stderr)
			return 2
		}
		usage(stdout)
		return 0
	}
	name := args[0]
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "scnet: unknown command %q (scnet help lists them)\n", name)
		return 2
	}
	fs := flag.NewFlagSet("scnet "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout = 0
	bin, node, height, file, maxPages = "", "", "", "", 1000
	orValue, want, join, orSet, wantSet, first, last, lines, atLeast, present = "", "", "\n", false, false, false, false, false, false, false
	if c.flags != nil {
		c.flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: scnet %s [FLAGS] %s\n\n%s\n\nexample:\n  %s\n", name, c.args, c.summary, c.example)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(fs.Output(), "\nflags:")
			fs.PrintDefaults()
		}
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
		return 2
	}
	pos := fs.Args()
	if len(pos) < c.nargs[0] || (c.nargs[1] >= 0 && len(pos) > c.nargs[1]) {
		fmt.Fprintf(stderr, "scnet %s: want %s, got %d argument(s): %q (scnet %s --help)\n", name, c.args, len(pos), pos, name)
		return 2
	}
	if (name == "tx-events" || name == "history") && (bin == "" || node == "") {
		fmt.Fprintf(stderr, "scnet %s: --bin and --node are required (scnet %s --help)\n", name, name)
		return 2
	}
	if err := c.run(context.Background(), pos, stdin, stdout); err != nil {
		var ce *localnet.CLIError
		switch {
		case errors.Is(err, errQuiet):
		case errors.As(err, &ce):
			// As the shell helper's warn printed it.
			fmt.Fprintf(stderr, "[%s] WARNING: %s\n", time.Now().Format("15:04:05"), ce.Error())
		default:
			fmt.Fprintf(stderr, "scnet %s: %v\n", name, err)
		}
		return 1
	}
	return 0
}
