package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/statuscollect/statuscollect/cmd/scnet/internal/localnet"
)

// The checks of the fault and growth scenarios (scripts/faults/, scripts/grow/).
func init() {
	commands["sh-blocks"] = command{
		args: "DOC [DIR]", summary: "the ```sh blocks of the Markdown file DOC: with DIR, each written to DIR/NN.sh (01.sh first); without, printed as one bash script that runs them in order, announcing each block (and where it is in DOC) on stderr",
		example: `scnet sh-blocks docs/growth.md >guide.sh && bash guide.sh
  scnet sh-blocks docs/getting-started.md /tmp/blocks`,
		nargs: [2]int{1, 2},
		run: func(_ context.Context, a []string, _ io.Reader, out io.Writer) error {
			text, err := os.ReadFile(a[0])
			if err != nil {
				return err
			}
			blocks, err := localnet.ShBlocks(string(text))
			if err != nil {
				return fmt.Errorf("%s: %w", a[0], err)
			}
			if len(a) == 1 {
				_, err := io.WriteString(out, localnet.GuideScript(a[0], blocks))
				return err
			}
			for i, b := range blocks {
				if err := os.WriteFile(filepath.Join(a[1], fmt.Sprintf("%02d.sh", i+1)), []byte(b.Body), 0o644); err != nil {
					return err
				}
			}
			return nil
		},
	}
	commands["tx-events-of"] = command{
		args: "TYPE", summary: "every event of TYPE in the committed tx (JSON) on stdin, one JSON object of its attributes a line (values decoded from JSON when they are JSON; msg_index and mode left out); fails if there is none",
		example: `mainchaind q tx HASH --output json | scnet tx-events-of statuscollect.collector.v1.EventReporterGranted`,
		nargs:   [2]int{1, 1},
		run: func(_ context.Context, a []string, stdin io.Reader, out io.Writer) error {
			v, err := localnet.DecodeReader(stdin)
			if err != nil {
				return err
			}
			lines, err := localnet.TxEventsOf(v, a[0])
			if err != nil {
				return err
			}
			return printLines(out, lines)
		},
	}
	var org string
	commands["check-tx-windows"] = command{
		args: "RPC", summary: "check an org reporter's history of a chain (a JSON list of reports on stdin, as `scnet history` prints it) against the chain's blocks at RPC (http://host:port): every report from --org, heights rising, each total_txs what blocks 1..height hold, each window exactly the blocks since the report before; print \"reports last_height last_total\"",
		example: `scnet history --bin build/mainchaind --node tcp://127.0.0.1:26657 gateway-c | scnet check-tx-windows --org org-a http://127.0.0.1:26857`,
		flags: func(fs *flag.FlagSet) func() {
			fs.StringVar(&org, "org", "", "the org every report must come from")
			fs.DurationVar(&timeout, "timeout", 10*time.Second, "give up on one RPC request after this long")
			return nil
		},
		nargs: [2]int{1, 1},
		run: func(ctx context.Context, a []string, stdin io.Reader, out io.Writer) error {
			if org == "" {
				return fmt.Errorf("--org is required")
			}
			var reports []localnet.WindowReport
			if err := json.NewDecoder(stdin).Decode(&reports); err != nil {
				return fmt.Errorf("the history on stdin: %w", err)
			}
			counter := &localnet.BlockTxCounter{Base: a[0], Timeout: timeout}
			n, h, total, err := localnet.CheckTxWindows(reports, org, func(h int64) (int64, error) { return counter.TxsTo(ctx, h) })
			if err != nil {
				return err
			}
			return printLine(out, fmt.Sprintf("%d %d %d", n, h, total))
		},
	}
}
