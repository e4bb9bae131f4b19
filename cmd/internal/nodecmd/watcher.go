package nodecmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	errorsmod "cosmossdk.io/errors"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"

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
	cmd := &cobra.Command{Use: "watcher", Short: "The report watcher daemon", RunE: client.ValidateCmd}
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
		subPrefix, statePath, metricsAddr string
		mainGRPC, mainRPC, subGRPC        []string
		orgID, subchainID                 string
		poll, haltAfter, blockTimeout     time.Duration
		aheadMargin                       int64
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
no such subchain.`,
		Example: `subchaind watcher start --main-grpc 127.0.0.1:9090,127.0.0.1:9100 \
  --main-rpc tcp://127.0.0.1:26657,tcp://127.0.0.1:26667 \
  --sub-grpc 127.0.0.1:9190,127.0.0.1:9200 --node tcp://127.0.0.1:26757 --chain-id subchain-a \
  --from validator --keyring-backend test --metrics-addr 127.0.0.1:26691`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			if clientCtx.GetFromAddress().Empty() {
				return errors.New("--from: the key that files disputes is required")
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
			ctx := cmd.Context()
			obs, err := chainview.Dial(subGRPC, subPrefix)
			if err != nil {
				return err
			}
			defer obs.Close()
			if err := checkEndpoints(obs.Endpoints().Probe(ctx), want, "--sub-grpc"); err != nil {
				return err
			}
			main, err := chainview.DialEndpoints(mainGRPC)
			if err != nil {
				return err
			}
			defer main.Close()
			mainQ := collectortypes.NewQueryClient(main)
			if _, err := mainQ.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: want}); err != nil {
				return fmt.Errorf("the main chain at %v does not know subchain %s: %w", mainGRPC, want, err)
			}
			mainID, err := chainview.Identity(ctx, main)
			if err != nil {
				return fmt.Errorf("main chain: %w", err)
			}
			subID, err := obs.Identity(ctx)
			if err != nil {
				return fmt.Errorf("subchain: %w", err)
			}
			if statePath == "" {
				statePath = clientCtx.HomeDir + "/watcher/" + want + ".json"
			}

			m := newWatcherMetrics()
			if metricsAddr != "" {
				go func() { _ = http.ListenAndServe(metricsAddr, promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})) }()
			}
			w := &watcher.Watcher{
				Main: watcher.MainGRPC{Conn: main, ChainID: want}, View: obs, StatePath: statePath,
				Identity: mainID + "/" + subID, AheadMargin: aheadMargin,
				OnCheck: func(r collectortypes.Report, fields []string) {
					m.checked.Inc()
					if len(fields) > 0 {
						m.mismatches.Inc()
						logf(cmd, "report %d (height %d, org %s) differs from this chain's nodes in %v", r.Sequence, r.Snapshot.Height, r.Source.OrgId, fields)
					}
				},
				OnAlert: func(a watcher.Alert, raised bool) {
					if raised {
						logf(cmd, "ALERT raised %s: %s", a.Key, a.Detail)
					} else {
						logf(cmd, "ALERT cleared %s; now: %s", a.Key, a.Detail)
					}
				},
				File: func(ctx context.Context, r collectortypes.Report, observed shared.StatusSnapshot, fields []string) error {
					msg := disputeMsg(clientCtx.GetFromAddress().String(), orgID, obs.Endpoints().Active(), r, observed, fields)
					res, err := signAndBroadcast(ctx, cmd, clientCtx, msg)
					if err == nil && res.Code != 0 {
						err = fmt.Errorf("dispute of report %d refused (%s code %d): %s", r.Sequence, res.Codespace, res.Code, res.RawLog)
					}
					switch {
					case err == nil:
						m.filed.Inc()
						logf(cmd, "disputed report %d of %s (tx %s): %v", r.Sequence, want, res.TxHash, fields)
						return nil
					case refusedAs(err, res, reportertypes.ErrAlreadyDisputed):
						// Another watcher of this subchain was first: the dispute is under way.
						logf(cmd, "report %d of %s is disputed already (by another watcher)", r.Sequence, want)
						return nil
					case refusedAs(err, res, reportertypes.ErrReportMatches), refusedAs(err, res, reportertypes.ErrNoSnapshot):
						m.refused.Inc()
						logf(cmd, "cannot dispute report %d of %s on the subchain, moving on: %v", r.Sequence, want, err)
						return fmt.Errorf("%w: %v", watcher.ErrRefused, err)
					default:
						return err
					}
				},
			}
			if old, err := w.Load(); err != nil {
				return fmt.Errorf("state %s: %w", statePath, err)
			} else if old != "" {
				logf(cmd, "state %s was written for %s, not %s: set aside as %s.stale, starting afresh", statePath, old, w.Identity, statePath)
			}
			logf(cmd, "watching %s's reports on the main chain from report %d (state %s, %d open alert(s))",
				want, w.State().Cursor, statePath, len(w.Alerts()))

			wake := make(chan struct{}, 1)
			go followBlocks(ctx, cmd, mainRPC, blockTimeout, wake, m)
			for {
				stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
				before := w.State().Cursor
				if _, _, err := w.Step(stepCtx); err != nil {
					logf(cmd, "step failed, retrying: %v", err)
				}
				// Report sequences are consecutive: the cursor's move is the reports seen.
				m.seen.Add(float64(w.State().Cursor - before))
				m.cursor.Set(float64(w.State().Cursor))
				recorded := m.observeSubchain(stepCtx, mainQ, want)
				if err := checkHealth(stepCtx, w, m, obs.Endpoints(), main, recorded, haltAfter); err != nil {
					logf(cmd, "health check: %v", err)
				}
				cancel()
				select {
				case <-ctx.Done():
					return nil
				case <-wake:
				case <-time.After(poll):
				}
			}
		},
	}
	cmd.Flags().StringSliceVar(&mainGRPC, "main-grpc", []string{"127.0.0.1:9090"}, "the main chain nodes' gRPC endpoints, in order of preference")
	cmd.Flags().StringSliceVar(&mainRPC, "main-rpc", []string{"tcp://127.0.0.1:26657"}, "the main chain nodes' CometBFT RPC (websocket at /websocket), in order of preference")
	cmd.Flags().StringSliceVar(&subGRPC, "sub-grpc", []string{"127.0.0.1:9190"}, "this subchain's nodes' gRPC endpoints, in order of preference")
	cmd.Flags().StringVar(&subPrefix, "sub-bech32-prefix", "sub", "this subchain's account address prefix")
	cmd.Flags().DurationVar(&poll, "poll", 30*time.Second, "check the main chain at least this often, even without block events")
	cmd.Flags().DurationVar(&haltAfter, "halt-after", time.Minute, "a subchain whose newest block is older than this is halted")
	cmd.Flags().DurationVar(&blockTimeout, "block-timeout", 30*time.Second,
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

// refusedAs says a dispute tx was refused with e, at simulation (err) or
// in its result (res).
func refusedAs(err error, res *sdk.TxResponse, e *errorsmod.Error) bool {
	if res != nil && res.Code != 0 {
		return res.Codespace == e.Codespace() && res.Code == e.ABCICode()
	}
	return err != nil && strings.Contains(err.Error(), e.Error())
}

// checkEndpoints refuses endpoints that serve another chain than want, and
// a list of which none answers.
func checkEndpoints(probes []chainview.Probe, want, flag string) error {
	answered := false
	for _, p := range probes {
		if p.Up && p.ChainID != want {
			return fmt.Errorf("%s %s serves chain %s, not %s", flag, p.Addr, p.ChainID, want)
		}
		answered = answered || p.Up
	}
	if !answered {
		return fmt.Errorf("%s: none of %d endpoint(s) answers; first: %v", flag, len(probes), probes[0].Err)
	}
	return nil
}

// checkHealth probes every endpoint of both chains, classifies the subchain
// and raises or clears the health alerts.
func checkHealth(ctx context.Context, w *watcher.Watcher, m *watcherMetrics, sub, main *chainview.Endpoints, recorded int64, haltAfter time.Duration) error {
	subProbes, mainProbes := sub.Probe(ctx), main.Probe(ctx)
	mainUp := false
	for _, p := range mainProbes {
		m.endpointUp.WithLabelValues("main", p.Addr).Set(boolGauge(p.Up))
		mainUp = mainUp || p.Up
	}
	for _, p := range subProbes {
		m.endpointUp.WithLabelValues("sub", p.Addr).Set(boolGauge(p.Up))
	}
	cond, height, why := watcher.Classify(subProbes, recorded, time.Now(), haltAfter)
	m.ownHeight.Set(float64(height))
	for _, c := range watcher.Conditions {
		m.condition.WithLabelValues(string(c)).Set(boolGauge(c == cond))
		if c != watcher.Producing {
			if err := w.SetAlert(watcher.AlertCondition(c), c == cond, why); err != nil {
				return err
			}
		}
	}
	detail := fmt.Sprintf("none of the main chain's %d endpoint(s) answers", len(mainProbes))
	if mainUp {
		detail = "a main chain endpoint answers"
	}
	if err := w.SetAlert(watcher.AlertMainUnreachable, !mainUp, detail); err != nil {
		return err
	}
	m.alerts.Reset()
	for kind, n := range watcher.CountAlerts(w.Alerts()) {
		m.alerts.WithLabelValues(kind).Set(float64(n))
	}
	return nil
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// followBlocks wakes the watcher at every main-chain block, over CometBFT's
// websocket, reconnecting with a backoff, to the next endpoint, when the
// connection drops (a block with many events can close it) or brings no block
// for blockTimeout. Missed blocks cost nothing: each step catches up from its cursor.
func followBlocks(ctx context.Context, cmd *cobra.Command, rpcs []string, blockTimeout time.Duration, wake chan<- struct{}, m *watcherMetrics) {
	backoff := time.Second
	for i := 0; ctx.Err() == nil; i++ {
		rpc := rpcs[i%len(rpcs)]
		err := subscribeBlocks(ctx, rpc, blockTimeout, wake)
		m.websocketDrops.Inc()
		logf(cmd, "main-chain websocket %s: %v; reconnecting to %s in %s", rpc, err, rpcs[(i+1)%len(rpcs)], backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// subscribeBlocks follows NewBlock events over rpc's websocket until the
// subscription ends or no block came for blockTimeout. The second matters:
// when its endpoint goes away, CometBFT's websocket client redials that same
// endpoint by itself, up to 25 times with a doubling backoff (hours in all),
// and the subscription stays open meanwhile, so a dead endpoint would never
// be left for the next one.
func subscribeBlocks(ctx context.Context, rpc string, blockTimeout time.Duration, wake chan<- struct{}) error {
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
	stall := time.NewTimer(blockTimeout)
	defer stall.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-stall.C:
			return fmt.Errorf("no new block for %s", blockTimeout)
		case _, ok := <-events:
			if !ok {
				return errors.New("subscription closed")
			}
			stall.Reset(blockTimeout)
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
}

type watcherMetrics struct {
	reg                                                       *prometheus.Registry
	seen, checked, mismatches, filed, refused, websocketDrops prometheus.Counter
	cursor                                                    prometheus.Gauge
	// subchain is the main chain's view of the watched subchain, by figure.
	subchain *prometheus.GaugeVec
	// endpointUp is each endpoint's health, by chain (main, sub) and address.
	endpointUp *prometheus.GaugeVec
	// condition is the subchain's condition, one-hot.
	condition *prometheus.GaugeVec
	// ownHeight is the best height this watcher's subchain endpoints have.
	ownHeight prometheus.Gauge
	// alerts counts the open alerts by kind.
	alerts *prometheus.GaugeVec
}

// observeSubchain exports what the main chain holds of the subchain: its
// latest reported figures, whether it is stale, and its open disputes. It
// returns the latest height the main chain knows the subchain reached: by
// its own reports over IBC when it sends any, else by any report (0 if the
// main chain did not answer).
func (m *watcherMetrics) observeSubchain(ctx context.Context, q collectortypes.QueryClient, chainID string) int64 {
	h, err := q.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: chainID})
	if err != nil {
		return 0
	}
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
		m.subchain.WithLabelValues(chainID, figure).Set(v)
	}
	if open, _, err := watcher.CountOpenDisputes(ctx, q, chainID); err == nil {
		m.subchain.WithLabelValues(chainID, "open_disputes").Set(float64(open))
	}
	if sub.LastIbcHeight > 0 {
		// The subchain's own word: an org's report of a far-future height
		// must not make this watcher think its nodes are behind.
		return sub.LastIbcHeight
	}
	return sub.LastHeight
}

func newWatcherMetrics() *watcherMetrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: "statuscollect_watcher_" + name, Help: help})
	}
	m := &watcherMetrics{
		reg:            prometheus.NewRegistry(),
		seen:           counter("reports_seen_total", "Reports of the subchain read from the main chain, over IBC or by an org."),
		checked:        counter("reports_checked_total", "Org-submitted reports compared with this node."),
		mismatches:     counter("mismatches_total", "Reports that differ from this node."),
		filed:          counter("disputes_filed_total", "Disputes filed."),
		refused:        counter("disputes_refused_total", "Disputes the subchain will not take: its own snapshot agrees with the report, or it has none of that height."),
		websocketDrops: counter("websocket_drops_total", "Main-chain websocket connections lost."),
		cursor: prometheus.NewGauge(prometheus.GaugeOpts{Name: "statuscollect_watcher_cursor",
			Help: "Sequence of the last report checked."}),
		subchain: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_subchain",
			Help: "The main chain's record of the watched subchain: height, tps_milli, orgs, nodes, contracts, stale, seconds_until_due, open_disputes."},
			[]string{"chain_id", "figure"}),
		endpointUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_endpoint_up",
			Help: "1 when the gRPC endpoint answered the last probe, by chain (main, sub) and endpoint."}, []string{"chain", "endpoint"}),
		condition: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_subchain_condition",
			Help: "1 for the subchain's condition as its endpoints show it: producing, halted, unreachable (the endpoints are down) or lagging."},
			[]string{"condition"}),
		ownHeight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "statuscollect_watcher_endpoint_height",
			Help: "The highest block any of the subchain's endpoints has."}),
		alerts: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_open_alerts",
			Help: "Open alerts by kind: subchain-halted, subchain-unreachable, subchain-lagging, main-unreachable, dispute (filed, not yet settled), ahead (a report beyond the endpoints)."},
			[]string{"kind"}),
	}
	m.reg.MustRegister(m.seen, m.checked, m.mismatches, m.filed, m.refused, m.websocketDrops, m.cursor, m.subchain, m.endpointUp, m.condition,
		m.ownHeight, m.alerts)
	return m
}
