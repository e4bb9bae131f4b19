package nodecmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/daemon/chainview"
	"github.com/statuscollect/statuscollect/daemon/watcher"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// watcherCmd runs the watcher. In subchaind it files disputes on the
// subchain, whose sidecar proves them; in mainchaind (onMain), for a
// subchain without a sidecar, it files MsgFileDispute on the main chain for
// an org, to be resolved by an arbiter.
func watcherCmd(onMain bool) *cobra.Command {
	cmd := &cobra.Command{Use: "watcher", Short: "The report watcher daemon (S5, S10)", RunE: client.ValidateCmd}
	cmd.AddCommand(watcherStartCmd(onMain))
	return cmd
}

// disputeMsg is the dispute the watcher files: on the subchain
// (orgID empty) or on the main chain for orgID.
func disputeMsg(filer, orgID, node string, r collectortypes.Report, observed shared.StatusSnapshot, fields []string) sdk.Msg {
	if orgID == "" {
		return &reportertypes.MsgDisputeReport{Filer: filer, MainSequence: r.Sequence, Reported: r.Snapshot}
	}
	disputed := make([]collectortypes.DisputedField, len(fields))
	for i, f := range fields {
		disputed[i] = collectortypes.DisputedField{Field: f,
			Reported: shared.FieldValue(r.Snapshot, f, collectortypes.MaxFieldValueLen),
			Observed: shared.FieldValue(observed, f, collectortypes.MaxFieldValueLen)}
	}
	return &collectortypes.MsgFileDispute{Filer: filer, ChainId: r.ChainId, OrgId: orgID, ReportSequence: r.Sequence,
		Fields:   disputed,
		Evidence: fmt.Sprintf("observed by the watcher on node %s at height %d", node, r.Snapshot.Height)}
}

func watcherStartCmd(onMain bool) *cobra.Command {
	var (
		mainGRPC, mainRPC, subGRPC, subPrefix, statePath, metricsAddr string
		orgID, subchainID                                             string
		poll                                                          time.Duration
	)
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Check this subchain's reports on the main chain against its own node and dispute wrong ones",
		Long: `Follows the main chain (--main-rpc, its CometBFT websocket, for new blocks; --main-grpc to read the
collector) and checks every report an org's monitoring account submitted about this subchain against
what this subchain's node (--sub-grpc) says at the report's height: chain id, orgs, validators and
contract count. On a difference it files a dispute:
- subchaind: tx statusreporter dispute-report on the subchain (--node, --chain-id; --from a bonded
  validator's operator or the reporter admin), whose sidecar checks it against the chain's own snapshot
  and sends the evidence to the main chain, which upholds it by itself;
- mainchaind, for a subchain without the sidecar: MsgFileDispute on the main chain (--node, --chain-id)
  for --org-id, with the org's deposit, for an arbiter to resolve.
Progress and filed disputes are kept in --state: a restart neither misses a report nor disputes one
twice. Refuses to start when the chain behind --sub-grpc is not the expected one, or the main chain has
no such subchain.`,
		Example: `subchaind watcher start --main-grpc 127.0.0.1:9090 --main-rpc tcp://127.0.0.1:26657 \
  --sub-grpc 127.0.0.1:9190 --node tcp://127.0.0.1:26757 --chain-id subchain-a \
  --from validator --keyring-backend test --metrics-addr 127.0.0.1:26691`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			if clientCtx.GetFromAddress().Empty() {
				return errors.New("--from: the key that files disputes on this subchain is required")
			}
			ctx := cmd.Context()
			obs, err := chainview.Dial(subGRPC, subPrefix)
			if err != nil {
				return err
			}
			defer obs.Close()
			h, err := obs.LatestHeight(ctx)
			if err != nil {
				return fmt.Errorf("subchain node %s: %w", subGRPC, err)
			}
			own, err := obs.Observe(ctx, h, nil)
			if err != nil {
				return err
			}
			if onMain {
				if orgID == "" {
					return errors.New("--org-id: on the main chain, disputes are filed for an org")
				}
				if own.ChainId != subchainID {
					return fmt.Errorf("--sub-grpc %s serves chain %s, not --subchain-id %q", subGRPC, own.ChainId, subchainID)
				}
			} else if own.ChainId != clientCtx.ChainID {
				return fmt.Errorf("--sub-grpc %s serves chain %s, not --chain-id %s", subGRPC, own.ChainId, clientCtx.ChainID)
			}
			conn, _, err := chainview.Connect(mainGRPC)
			if err != nil {
				return err
			}
			defer conn.Close()
			if _, err := collectortypes.NewQueryClient(conn).Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: own.ChainId}); err != nil {
				return fmt.Errorf("the main chain at %s does not know subchain %s: %w", mainGRPC, own.ChainId, err)
			}
			if statePath == "" {
				statePath = clientCtx.HomeDir + "/watcher/" + own.ChainId + ".json"
			}

			m := newWatcherMetrics()
			if metricsAddr != "" {
				go func() { _ = http.ListenAndServe(metricsAddr, promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})) }()
			}
			w := &watcher.Watcher{
				Main: watcher.MainGRPC{Conn: conn, ChainID: own.ChainId}, View: obs, StatePath: statePath,
				OnCheck: func(r collectortypes.Report, fields []string) {
					m.checked.Inc()
					if len(fields) > 0 {
						m.mismatches.Inc()
						logf(cmd, "report %d (height %d, org %s) differs from this node in %v", r.Sequence, r.Snapshot.Height, r.Source.OrgId, fields)
					}
				},
				File: func(ctx context.Context, r collectortypes.Report, observed shared.StatusSnapshot, fields []string) error {
					msg := disputeMsg(clientCtx.GetFromAddress().String(), orgID, subGRPC, r, observed, fields)
					res, err := signAndBroadcast(ctx, cmd, clientCtx, msg)
					if err != nil {
						return err
					}
					if res.Code != 0 {
						return fmt.Errorf("dispute of report %d refused (%s code %d): %s", r.Sequence, res.Codespace, res.Code, res.RawLog)
					}
					m.filed.Inc()
					logf(cmd, "disputed report %d of %s (tx %s): %v", r.Sequence, own.ChainId, res.TxHash, fields)
					return nil
				},
			}
			if err := w.Load(); err != nil {
				return fmt.Errorf("state %s: %w", statePath, err)
			}
			logf(cmd, "watching %s's reports on the main chain from report %d (state %s)", own.ChainId, w.State().Cursor, statePath)

			wake := make(chan struct{}, 1)
			go followBlocks(ctx, cmd, mainRPC, wake, m)
			for {
				stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
				if _, _, err := w.Step(stepCtx); err != nil {
					logf(cmd, "step failed, retrying: %v", err)
				}
				cancel()
				m.cursor.Set(float64(w.State().Cursor))
				m.observeSubchain(ctx, collectortypes.NewQueryClient(conn), own.ChainId)
				select {
				case <-ctx.Done():
					return nil
				case <-wake:
				case <-time.After(poll):
				}
			}
		},
	}
	cmd.Flags().StringVar(&mainGRPC, "main-grpc", "127.0.0.1:9090", "the main chain node's gRPC endpoint")
	cmd.Flags().StringVar(&mainRPC, "main-rpc", "tcp://127.0.0.1:26657", "the main chain node's CometBFT RPC (websocket at /websocket)")
	cmd.Flags().StringVar(&subGRPC, "sub-grpc", "127.0.0.1:9190", "this subchain's node gRPC endpoint")
	cmd.Flags().StringVar(&subPrefix, "sub-bech32-prefix", "sub", "this subchain's account address prefix")
	cmd.Flags().DurationVar(&poll, "poll", 30*time.Second, "check the main chain at least this often, even without block events")
	cmd.Flags().StringVar(&statePath, "state", "", "state file (default <home>/watcher/<chain-id>.json)")
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address (host:port)")
	if onMain {
		cmd.Flags().StringVar(&orgID, "org-id", "", "the org the disputes are filed for (--from is its admin or monitoring account)")
		cmd.Flags().StringVar(&subchainID, "subchain-id", "", "the watched subchain's chain id")
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// followBlocks wakes the watcher at every main-chain block, over CometBFT's
// websocket, reconnecting with a backoff when the connection drops (a block
// with many events can close it). Missed blocks cost nothing: each step
// catches up from its cursor.
func followBlocks(ctx context.Context, cmd *cobra.Command, rpc string, wake chan<- struct{}, m *watcherMetrics) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := subscribeBlocks(ctx, rpc, wake)
		m.websocketDrops.Inc()
		logf(cmd, "main-chain websocket %s: %v; reconnecting in %s", rpc, err, backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

func subscribeBlocks(ctx context.Context, rpc string, wake chan<- struct{}) error {
	c, err := rpchttp.New(rpc, "/websocket")
	if err != nil {
		return err
	}
	if err := c.Start(); err != nil {
		return err
	}
	defer c.Stop() //nolint:errcheck // closing a dropped connection
	events, err := c.Subscribe(ctx, "statuscollect-watcher", "tm.event='NewBlock'")
	if err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-events:
			if !ok {
				return errors.New("subscription closed")
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
}

type watcherMetrics struct {
	reg                                        *prometheus.Registry
	checked, mismatches, filed, websocketDrops prometheus.Counter
	cursor                                     prometheus.Gauge
	// subchain is the main chain's view of the watched subchain, by figure.
	subchain *prometheus.GaugeVec
	mainUp   prometheus.Gauge
}

// observeSubchain exports what the main chain holds of the subchain: its
// latest reported figures, whether it is stale, and its open disputes.
func (m *watcherMetrics) observeSubchain(ctx context.Context, q collectortypes.QueryClient, chainID string) {
	h, err := q.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: chainID})
	if err != nil {
		m.mainUp.Set(0)
		return
	}
	m.mainUp.Set(1)
	sub := h.Health.Subchain
	stale := 0.0
	if sub.Liveness == collectortypes.LIVENESS_STALE {
		stale = 1
	}
	for figure, v := range map[string]float64{
		"height": float64(sub.LastHeight), "tps_milli": float64(h.Health.TpsMilli), "orgs": float64(h.Health.OrgCount),
		"nodes": float64(h.Health.NodeCount), "contracts": float64(h.Health.ContractCount), "stale": stale,
		"seconds_until_due": float64(h.Health.SecondsUntilDue),
	} {
		m.subchain.WithLabelValues(figure).Set(v)
	}
	open, err := q.Disputes(ctx, &collectortypes.QueryDisputesRequest{ChainId: chainID, Status: collectortypes.DISPUTE_STATUS_OPEN,
		Pagination: &query.PageRequest{CountTotal: true, Limit: 1}})
	if err == nil {
		m.subchain.WithLabelValues("open_disputes").Set(float64(open.Pagination.GetTotal()))
	}
}

func newWatcherMetrics() *watcherMetrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: "statuscollect_watcher_" + name, Help: help})
	}
	m := &watcherMetrics{
		reg:            prometheus.NewRegistry(),
		checked:        counter("reports_checked_total", "Org-submitted reports compared with this node."),
		mismatches:     counter("mismatches_total", "Reports that differ from this node."),
		filed:          counter("disputes_filed_total", "Disputes filed on this subchain."),
		websocketDrops: counter("websocket_drops_total", "Main-chain websocket connections lost."),
		cursor: prometheus.NewGauge(prometheus.GaugeOpts{Name: "statuscollect_watcher_cursor",
			Help: "Sequence of the last report checked."}),
		subchain: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_subchain",
			Help: "The main chain's record of the watched subchain: height, tps_milli, orgs, nodes, contracts, stale, seconds_until_due, open_disputes."},
			[]string{"figure"}),
		mainUp: prometheus.NewGauge(prometheus.GaugeOpts{Name: "statuscollect_watcher_main_endpoint_up",
			Help: "1 when the main chain's gRPC endpoint answered the last query."}),
	}
	m.reg.MustRegister(m.checked, m.mismatches, m.filed, m.websocketDrops, m.cursor, m.subchain, m.mainUp)
	return m
}
