package nodecmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/statuscollect/statuscollect/daemon/chainview"
	"github.com/statuscollect/statuscollect/daemon/orgreporter"
)

// reporterCmd runs an org's status reporter: `mainchaind reporter start`.
func reporterCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "reporter", Short: "An organization's status reporter daemon", RunE: client.ValidateCmd}
	cmd.AddCommand(reporterStartCmd())
	return cmd
}

func reporterStartCmd() *cobra.Command {
	var (
		subPrefix, subCA, statePath, metricsAddr string
		subGRPC, orgs                            []string
		poll, heartbeat                          time.Duration
		backfill                                 int64
	)
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Watch a subchain node and submit its status to the main chain when it changes",
		Long: `Runs as an organization's monitoring account (--from): every --poll it reads its own subchain
node over gRPC (--sub-grpc: one or more of its nodes, used in order with failover) and, when orgs, validators or contracts changed, submits MsgSubmitStatus
to the main chain (--node) and waits until the main chain recorded it; with nothing changed it still
submits a heartbeat (--heartbeat) so the main chain does not mark the subchain stale. A report whose
orgs and validators are those of its last one names them by their hash instead of sending them, and
sends them whole if the main chain's latest report has other lists.

It works against any Cosmos SDK chain: transactions are counted from the blocks themselves (from
genesis on a chain younger than --backfill blocks), giving total_txs, the window since the last report
and its TPS; validators come from x/staking and contracts from x/wasm where the chain has it. On a chain
without the statusreporter sidecar, --orgs lists its member orgs. On a subchain with the sidecar it
reports at the sidecar's snapshot heights, so its reports can be checked against the chain's own record.

What it counted and submitted is kept in --state: a restart repeats nothing and loses nothing, and a
state file written for chains since re-created from a new genesis is set aside (renamed *.stale). It
refuses to start when the account may not report for the subchain, and stops when that right is
revoked or suspended. SIGINT or SIGTERM stop it after its step, saying what its state file holds.

A --sub-grpc endpoint is host:port (plaintext) or https://host[:port] (TLS, verified against the
system's CAs or --sub-grpc-ca). Transaction flags a daemon cannot work with (--generate-only,
--offline, --dry-run, --broadcast-mode async, a fixed --sequence, ...) are refused.`,
		Example: `mainchaind reporter start --sub-grpc 127.0.0.1:9190 --from org-a-monitor --keyring-backend test \
  --node tcp://127.0.0.1:26657 --chain-id mainchain-1 --metrics-addr 127.0.0.1:26690

# a plain chain without the sidecar (no statusreporter module), member orgs given
mainchaind reporter start --sub-grpc 127.0.0.1:9490 --sub-bech32-prefix cosmos --orgs org-a,org-b \
  --from org-a-monitor --keyring-backend test --node tcp://127.0.0.1:26657 --chain-id mainchain-1

# nodes over TLS: a subchain node's gRPC verified against a private CA, the main chain's RPC over https
mainchaind reporter start --sub-grpc https://grpc.subchain-a.example.org --sub-grpc-ca subchain-a-ca.pem \
  --from org-a-monitor --node https://rpc.mainchain.example.org:443 --chain-id mainchain-1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Past the flags' parsing, an error is the daemon's: the usage would bury it.
			cmd.SilenceUsage = true
			clientCtx, b, err := daemonTxContext(cmd, "the monitoring account's key")
			if err != nil {
				return err
			}
			obs, err := chainview.Dial(subGRPC, subCA, subPrefix)
			if err != nil {
				return fmt.Errorf("--sub-grpc: %w", err)
			}
			defer obs.Close()
			m := orgreporter.NewMetrics()
			if err := serveMetrics(metricsAddr, m.Handler()); err != nil {
				return err
			}
			d := &orgreporter.Daemon{Main: clientCtx, Send: b.Send, Sub: obs, SubEndpoints: subGRPC, Orgs: orgs, Backfill: backfill,
				StatePath: statePath, Poll: poll, Metrics: m, Logf: logger(cmd)}
			if cmd.Flags().Changed("heartbeat") {
				d.Heartbeat = &heartbeat
			}
			return untilSignal(cmd.Context(), d.Run)
		},
	}
	cmd.Flags().StringSliceVar(&subGRPC, "sub-grpc", []string{"127.0.0.1:9090"},
		"the subchain nodes' gRPC endpoints, in order of preference: host:port (plaintext) or https://host[:port] (TLS)")
	cmd.Flags().StringVar(&subCA, "sub-grpc-ca", "", "PEM file of the CAs that https:// --sub-grpc endpoints are verified against (default: the system's)")
	cmd.Flags().StringVar(&subPrefix, "sub-bech32-prefix", "sub", "the subchain's account address prefix")
	cmd.Flags().StringSliceVar(&orgs, "orgs", nil, "member orgs, for a subchain without the statusreporter sidecar")
	cmd.Flags().DurationVar(&poll, "poll", 10*time.Second, "how often to read the subchain")
	cmd.Flags().DurationVar(&heartbeat, "heartbeat", 0,
		"submit an unchanged status after this much subchain block time (default two thirds of the report interval the main chain expects; 0 disables)")
	cmd.Flags().Int64Var(&backfill, "backfill", orgreporter.DefaultBackfill,
		"on a first start, count transactions from this many blocks back (a younger chain is counted from genesis)")
	cmd.Flags().StringVar(&statePath, "state", "", "state file (default <home>/reporter/<chain-id>.json)")
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address (host:port)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
