package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/statuscollect/statuscollect/cmd/scnet/internal/localnet"
)

// The commands of the end-to-end scripts (e2e.sh, daemons-e2e.sh,
// collector-cli.sh, localnet.sh, localnet-status.sh, protocgen.sh): their
// checks and builders, kept apart from main.go's shell helpers.

// forge-snapshot's flags.
var snapshotEdit localnet.SnapshotEdit

// deltaFlag registers a flag taking a signed integer (+5, -1) that sets *n
// and turns *set on.
func deltaFlag(fs *flag.FlagSet, name, usage string, n *int64, set *bool) {
	*n, *set = 0, false
	fs.Func(name, usage, func(s string) error {
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not an integer", s)
		}
		*n, *set = v, true
		return nil
	})
}

// readJSONArg decodes a JSON argument, naming it in the error.
func readJSONArg(what, s string) (any, error) {
	v, err := localnet.Decode([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

func readJSONFile(path string) (any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := localnet.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// printResult prints lines, then returns err: a check prints what it could
// before it fails, as the scripts' snippets did.
func printResult(out io.Writer, lines []string, err error) error {
	if perr := printLines(out, lines); perr != nil {
		return perr
	}
	return err
}

func init() {
	commands["forge-snapshot"] = command{
		summary: "the snapshot of the `q statusreporter snapshot` answer (JSON) on stdin, as JSON, moved by the flags: what a forging monitor submits (heights and counts stay strings; a missing contract count counts as 0)",
		example: `subchaind q statusreporter snapshot --output json | scnet forge-snapshot --contract-count +5
  subchaind q statusreporter snapshot --output json | scnet forge-snapshot --height +120 --seconds +30 --contract-count +0`,
		flags: func(fs *flag.FlagSet) func() {
			e := &snapshotEdit
			deltaFlag(fs, "height", "add this to the height", &e.Height, &e.SetHeight)
			deltaFlag(fs, "seconds", "add this many seconds to the block time (its fraction kept)", &e.Seconds, &e.SetSeconds)
			deltaFlag(fs, "contract-count", "add this to the contract count (+0 writes a missing one as \"0\")", &e.Contracts, &e.SetContracts)
			return nil
		},
		nargs: [2]int{0, 0},
		run: func(_ context.Context, _ []string, stdin io.Reader, out io.Writer) error {
			v, err := localnet.DecodeReader(stdin)
			if err != nil {
				return err
			}
			s, err := localnet.ForgeSnapshot(v, snapshotEdit)
			if err != nil {
				return err
			}
			return printLine(out, s)
		},
	}
	commands["check-overview"] = command{
		args: "CLI_JSON REST_JSON", summary: "check the main chain's overview (the CLI's and the REST answer) against the localnet's summary: every status path's subchain listed once, active, with seconds_until_due and its link (client, channel, a report over IBC); print a line for each",
		example: `scnet check-overview --summary .localnet/localnet.json "$(mainchaind q statuscollect overview --output json)" "$(curl -s http://127.0.0.1:1317/statuscollect/collector/v1/overview)"`,
		flags:   withSummary, nargs: [2]int{2, 2},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			cli, err := readJSONArg("CLI overview", a[0])
			if err != nil {
				return err
			}
			rest, err := readJSONArg("REST overview", a[1])
			if err != nil {
				return err
			}
			sum, err := readJSONFile(summaryPath)
			if err != nil {
				return err
			}
			lines, err := localnet.CheckOverview(cli, rest, sum)
			return printResult(out, lines, err)
		},
	}
	commands["compare-snapshot-facts"] = command{
		args: "OWN_JSON SEEN_JSON", summary: "check that a subchain's own snapshot (a `q statusreporter snapshot` answer) and what `mainchaind observe` read at its height (a snapshot) agree on chain id, orgs, validators and contract count, and that it has a contract",
		example: `scnet compare-snapshot-facts "$(subchaind q statusreporter snapshot --output json)" "$(mainchaind observe --grpc 127.0.0.1:9190 --bech32-prefix sub --height 40)"`,
		nargs:   [2]int{2, 2},
		run: func(_ context.Context, a []string, _ io.Reader, _ io.Writer) error {
			own, err := readJSONArg("own snapshot", a[0])
			if err != nil {
				return err
			}
			seen, err := readJSONArg("observed snapshot", a[1])
			if err != nil {
				return err
			}
			return localnet.CompareSnapshotFacts(own, seen)
		},
	}
	commands["sample-snapshot"] = command{
		args: "CHAIN ORG", summary: "a status snapshot of CHAIN at height 100, dated now, as ORG's monitor builds one (two validators, three contracts, two of them new), as JSON",
		example: `scnet sample-snapshot plain-chain org-c >snapshot.json`,
		nargs:   [2]int{2, 2},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			return printLine(out, localnet.SampleSnapshot(a[0], a[1], time.Now()))
		},
	}
	commands["check-status"] = command{
		args: "SNAPSHOT_FILE ORG REPORTER", summary: "check that the latest status (JSON on stdin: {report: ...}) is report 1, of the snapshot in SNAPSHOT_FILE, submitted by REPORTER for ORG",
		example: `curl -s http://127.0.0.1:1317/statuscollect/collector/v1/subchains/plain-chain/status | scnet check-status snapshot.json org-c main1...`,
		nargs:   [2]int{3, 3},
		run: func(_ context.Context, a []string, stdin io.Reader, _ io.Writer) error {
			status, err := localnet.DecodeReader(stdin)
			if err != nil {
				return err
			}
			want, err := readJSONFile(a[0])
			if err != nil {
				return err
			}
			return localnet.CheckStatus(status, want, a[1], a[2])
		},
	}
	commands["network-plan"] = command{
		args: "NODE_PORT_STEP", summary: "read `statusnet validate --json` of network/localnet.yaml (stdin) for localnet.sh: a tab-separated line for each chain, subchain name, members and org; fail if localnet.sh cannot run it",
		example: `statusnet validate -f network/localnet.yaml --json | scnet network-plan 10`,
		nargs:   [2]int{1, 1},
		run: func(_ context.Context, a []string, stdin io.Reader, out io.Writer) error {
			step, err := strconv.ParseInt(strings.TrimSpace(a[0]), 10, 64)
			if err != nil {
				return fmt.Errorf("NODE_PORT_STEP %q is not an integer", a[0])
			}
			v, err := localnet.DecodeReader(stdin)
			if err != nil {
				return err
			}
			lines, err := localnet.NetworkPlan(v, step)
			return printResult(out, lines, err)
		},
	}
	commands["write-summary"] = command{
		args: "OUT RLY_HOME RLY_LOG SRC_PORT DST_PORT VERSION SERVICES_JSONL ITEM...", summary: "write the localnet's summary (localnet.json) to OUT from localnet.sh's items: chain ... (and its nodes), path ..., status ... (see BuildSummary in cmd/scnet/internal/localnet)",
		example: `scnet write-summary .localnet/localnet.json .localnet/rly .localnet/logs/rly.log statusreporter statuscollect statuscollect-1 services.jsonl \
    chain mainchain build/mainchaind .localnet/mainchain umain main 26657 26656 9090 1317 .localnet/keys/mainchain relayer,user,validator .localnet/logs/mainchain.log - 0 1 \
    mainchain-0 .localnet/mainchain 0a1b... main1valoper... 26657 26656 9090 1317 .localnet/logs/mainchain.log .localnet/pids/mainchain.pid`,
		nargs: [2]int{8, -1},
		run: func(_ context.Context, a []string, _ io.Reader, _ io.Writer) error {
			s, err := localnet.BuildSummary(localnet.SummaryParams{RlyHome: a[1], RlyLog: a[2], SrcPort: a[3], DstPort: a[4],
				Version: a[5], ServicesFile: a[6]}, a[7:])
			if err != nil {
				return err
			}
			// No newline at the end, as json.dump wrote it.
			return os.WriteFile(a[0], []byte(localnet.DumpIndent(s, 2)), 0o644)
		},
	}
	commands["prometheus-summary"] = command{
		args: "TARGETS_JSON ALERTS_JSON", summary: "print Prometheus' targets (up, down, not scraped yet) and alerts (firing, pending, with their labels) from its /api/v1/targets and /api/v1/alerts answers",
		example: `scnet prometheus-summary "$(curl -s localhost:9091/api/v1/targets?state=active)" "$(curl -s localhost:9091/api/v1/alerts)"`,
		nargs:   [2]int{2, 2},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			t, err := readJSONArg("targets", a[0])
			if err != nil {
				return err
			}
			al, err := readJSONArg("alerts", a[1])
			if err != nil {
				return err
			}
			lines, err := localnet.PrometheusSummary(t, al)
			return printResult(out, lines, err)
		},
	}
	commands["swagger-info"] = command{
		args: "IN OUT TITLE DESCRIPTION VERSION", summary: "write the OpenAPI document IN to OUT with its info set to TITLE, DESCRIPTION and VERSION, keys sorted, indented by 2",
		example: `scnet swagger-info tmp/statuscollect.swagger.json openapi/statuscollect.swagger.json "statuscollect REST API" "Queries of ..." v1`,
		nargs:   [2]int{5, 5},
		run: func(_ context.Context, a []string, _ io.Reader, _ io.Writer) error {
			doc, err := readJSONFile(a[0])
			if err != nil {
				return err
			}
			s, err := localnet.SwaggerInfo(doc, a[2], a[3], a[4])
			if err != nil {
				return err
			}
			return os.WriteFile(a[1], []byte(s), 0o644)
		},
	}
}
