package nodecmd

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	scclient "github.com/statuscollect/statuscollect/client"
	"github.com/statuscollect/statuscollect/daemon/chainview"
	"github.com/statuscollect/statuscollect/daemon/watcher"
)

// watcherCmd runs the watcher. In subchaind it files disputes on the
// subchain, whose sidecar proves them; in mainchaind (onMain), for a
// subchain without a sidecar, it files MsgFileDispute on the main chain for
// an org, to be resolved by an arbiter.
func watcherCmd(onMain bool) *cobra.Command {
	cmd := &cobra.Command{Use: "watcher", Short: "The report watcher daemon", RunE: client.ValidateCmd}
	cmd.AddCommand(watcherStartCmd(onMain))
	return cmd
}

func watcherStartCmd(onMain bool) *cobra.Command {
	var (
		subPrefix, subCA, mainCA, statePath, metricsAddr string
		mainGRPC, mainRPC, subGRPC                       []string
		orgID, subchainID                                string
		poll, haltAfter, blockTimeout                    time.Duration
		aheadMargin                                      int64
	)
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Check this subchain's reports on the main chain against its own nodes and dispute wrong ones",
		Long: `Follows the main chain (--main-rpc, its CometBFT websocket, for new blocks; --main-grpc to read the
collector) and checks every report an org's monitoring account submitted about this subchain against
what this subchain's nodes (--sub-grpc) say at the report's height: chain id, orgs, validators and
contract count. On a difference it files a dispute:
- subchaind: tx statusreporter dispute-report on the subchain (--node, --chain-id; --from a bonded
  validator's operator or the reporter admin), whose sidecar checks it against the chain's own snapshot
  and sends the evidence to the main chain, which upholds it by itself;
- mainchaind, for a subchain without the sidecar: MsgFileDispute on the main chain (--node, --chain-id)
  for --org-id, with the org's deposit, for an arbiter to resolve.

Every endpoint flag takes several endpoints (comma-separated or repeated), used in order with
failover. Each step it asks every subchain endpoint for its latest block and tells apart:
  producing    an endpoint has a block younger than --halt-after;
  halted       endpoints answer, but none has a block younger than --halt-after: the chain stopped;
  unreachable  no endpoint answers: this watcher's endpoints are down, not necessarily the chain;
  lagging      endpoints answer, but the main chain has heard of a higher height than any of them
               (from the subchain's own reports over IBC when it sends any).
A report of a height the endpoints have not reached yet is put aside and checked when they have, so
it cannot hold the watcher up. Anything but producing, a main chain that cannot be reached, a report
more than --ahead-margin blocks ahead of the endpoints, and every dispute filed until the main chain
settles it are alerts: logged when raised and cleared, exported as metrics, and kept with the
progress in --state, so a restart neither misses a report, nor disputes one twice, nor leaves an
alert standing whose cause has ended. A state file written for chains since re-created from a new
genesis is set aside (renamed *.stale).

Refuses to start when an endpoint serves another chain than the expected one, or the main chain has
no such subchain. SIGINT or SIGTERM stop it after its step, saying what its state file holds.

A gRPC endpoint is host:port (plaintext) or https://host[:port] (TLS, verified against the system's
CAs or --main-grpc-ca / --sub-grpc-ca); --main-rpc takes https:// too. Transaction flags a daemon
cannot work with (--generate-only, --offline, --dry-run, --broadcast-mode async, a fixed --sequence,
...) are refused.`,
		Example: `subchaind watcher start --main-grpc 127.0.0.1:9090,127.0.0.1:9100 \
  --main-rpc tcp://127.0.0.1:26657,tcp://127.0.0.1:26667 \
  --sub-grpc 127.0.0.1:9190,127.0.0.1:9200 --node tcp://127.0.0.1:26757 --chain-id subchain-a \
  --from validator --keyring-backend test --metrics-addr 127.0.0.1:26691`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Past the flags' parsing, an error is the daemon's: the usage would bury it.
			cmd.SilenceUsage = true
			clientCtx, b, err := daemonTxContext(cmd, "the key that files disputes")
			if err != nil {
				return err
			}
			want := clientCtx.ChainID
			if onMain {
				if orgID == "" {
					return errors.New("--org-id: on the main chain, disputes are filed for an org")
				}
				if subchainID == "" {
					return errors.New("--subchain-id: the watched subchain's chain id is required")
				}
				want = subchainID
			}
			obs, err := chainview.Dial(subGRPC, subCA, subPrefix)
			if err != nil {
				return fmt.Errorf("--sub-grpc: %w", err)
			}
			defer obs.Close()
			main, err := chainview.DialEndpoints(mainGRPC, mainCA)
			if err != nil {
				return fmt.Errorf("--main-grpc: %w", err)
			}
			defer main.Close()
			if statePath == "" {
				statePath = clientCtx.HomeDir + "/watcher/" + want + ".json"
			}
			m := watcher.NewMetrics()
			if err := serveMetrics(metricsAddr, m.Handler()); err != nil {
				return err
			}
			d := &watcher.Daemon{ChainID: want, Sub: obs, Main: main, MainRPC: mainRPC, Send: b.Send,
				FilerAddr: clientCtx.GetFromAddress().String(), OrgID: orgID, StatePath: statePath,
				Poll: poll, HaltAfter: haltAfter, BlockTimeout: blockTimeout, AheadMargin: aheadMargin, Metrics: m, Logf: logger(cmd)}
			return untilSignal(cmd.Context(), d.Run)
		},
	}
	cmd.Flags().StringSliceVar(&mainGRPC, "main-grpc", []string{"127.0.0.1:9090"},
		"the main chain nodes' gRPC endpoints, in order of preference: host:port (plaintext) or https://host[:port] (TLS)")
	cmd.Flags().StringVar(&mainCA, "main-grpc-ca", "", "PEM file of the CAs that https:// --main-grpc endpoints are verified against (default: the system's)")
	cmd.Flags().StringSliceVar(&mainRPC, "main-rpc", []string{"tcp://127.0.0.1:26657"},
		"the main chain nodes' CometBFT RPC (websocket at /websocket), in order of preference; https:// for TLS (system CAs)")
	cmd.Flags().StringSliceVar(&subGRPC, "sub-grpc", []string{"127.0.0.1:9190"},
		"this subchain's nodes' gRPC endpoints, in order of preference: host:port (plaintext) or https://host[:port] (TLS)")
	cmd.Flags().StringVar(&subCA, "sub-grpc-ca", "", "PEM file of the CAs that https:// --sub-grpc endpoints are verified against (default: the system's)")
	cmd.Flags().StringVar(&subPrefix, "sub-bech32-prefix", "sub", "this subchain's account address prefix")
	cmd.Flags().DurationVar(&poll, "poll", 30*time.Second, "check the main chain at least this often, even without block events")
	cmd.Flags().DurationVar(&haltAfter, "halt-after", time.Minute, "a subchain whose newest block is older than this is halted")
	cmd.Flags().DurationVar(&blockTimeout, "block-timeout", scclient.DefaultBlockTimeout,
		"reconnect the websocket, to the next --main-rpc endpoint, when no new block came over it for this long")
	cmd.Flags().Int64Var(&aheadMargin, "ahead-margin", watcher.DefaultAheadMargin,
		"a report this many blocks ahead of every subchain endpoint is an alert (it is checked once they get there)")
	cmd.Flags().StringVar(&statePath, "state", "", "state file (default <home>/watcher/<chain-id>.json)")
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address (host:port)")
	if onMain {
		cmd.Flags().StringVar(&orgID, "org-id", "", "the org the disputes are filed for (--from is its admin or monitoring account)")
		cmd.Flags().StringVar(&subchainID, "subchain-id", "", "the watched subchain's chain id")
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
