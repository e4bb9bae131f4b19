package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/statuscollect/statuscollect/cmd/scnet/internal/localnet"
)

// The checks of the fault scenarios (scripts/faults/).
func init() {
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
