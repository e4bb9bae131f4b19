package nodecmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	"github.com/statuscollect/statuscollect/daemon/chainview"
	"github.com/statuscollect/statuscollect/daemon/orgreporter"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// reporterCmd runs an org's status reporter: `mainchaind reporter start`.
func reporterCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "reporter", Short: "An organization's status reporter daemon", RunE: client.ValidateCmd}
	cmd.AddCommand(reporterStartCmd())
	return cmd
}

func reporterStartCmd() *cobra.Command {
	var (
		subPrefix, statePath, metricsAddr string
		subGRPC, orgs                     []string
		poll, heartbeat                   time.Duration
		backfill                          int64
	)
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Watch a subchain node and submit its status to the main chain when it changes",
		Long: `Runs as an organization's monitoring account (--from): every --poll it reads its own subchain
node over gRPC (--sub-grpc: one or more of its nodes, used in order with failover) and, when orgs, validators or contracts changed, submits MsgSubmitStatus
to the main chain (--node) and waits until the main chain recorded it; with nothing changed it still
submits a heartbeat (--heartbeat) so the main chain does not mark the subchain stale.

It works against any Cosmos SDK chain: transactions are counted from the blocks themselves (from
genesis on a chain younger than --backfill blocks), giving total_txs, the window since the last report
and its TPS; validators come from x/staking and contracts from x/wasm where the chain has it. On a chain
without the statusreporter sidecar, --orgs lists its member orgs. On a subchain with the sidecar it
reports at the sidecar's snapshot heights, so its reports can be checked against the chain's own record.

What it counted and submitted is kept in --state: a restart repeats nothing and loses nothing, and a
state file written for chains since re-created from a new genesis is set aside (renamed *.stale). It
refuses to start when the account may not report for the subchain, and stops when that right is
revoked or suspended.`,
		Example: `mainchaind reporter start --sub-grpc 127.0.0.1:9190 --from org-a-monitor --keyring-backend test \
  --node tcp://127.0.0.1:26657 --chain-id mainchain-1 --metrics-addr 127.0.0.1:26690

# a plain chain without the sidecar (no statusreporter module), member orgs given
mainchaind reporter start --sub-grpc 127.0.0.1:9490 --sub-bech32-prefix cosmos --orgs org-a,org-b \
  --from org-a-monitor --keyring-backend test --node tcp://127.0.0.1:26657 --chain-id mainchain-1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := broadcast.CheckTxFlags(client.GetClientContextFromCmd(cmd), cmd.Flags()); err != nil {
				return err
			}
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			if clientCtx.GetFromAddress().Empty() {
				return errors.New("--from: the monitoring account's key is required")
			}
			b, err := broadcast.New(clientCtx, cmd.Flags())
			if err != nil {
				return err
			}
			obs, err := chainview.Dial(subGRPC, subPrefix)
			if err != nil {
				return err
			}
			defer obs.Close()
			ctx := cmd.Context()
			// The chain id alone: observing the whole chain here would count
			// its contracts before the state file says where to go on from.
			chainID, err := obs.ChainID(ctx)
			if err != nil {
				return fmt.Errorf("subchain nodes %v: %w", subGRPC, err)
			}
			me := clientCtx.GetFromAddress().String()
			expected, err := checkReporter(ctx, clientCtx, chainID, me)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("heartbeat") {
				heartbeat = expected * 2 / 3
			}
			identity, err := identities(ctx, obs.Identity, clientCtx)
			if err != nil {
				return err
			}
			if statePath == "" {
				statePath = clientCtx.HomeDir + "/reporter/" + chainID + ".json"
			}
			m := newReporterMetrics()
			if metricsAddr != "" {
				go func() { _ = http.ListenAndServe(metricsAddr, m.handler()) }()
			}
			r := &orgreporter.Reporter{View: obs, Orgs: orgs, StatePath: statePath, Identity: identity,
				Heartbeat: heartbeat, Backfill: backfill,
				Submit: func(ctx context.Context, s shared.StatusSnapshot) error {
					err := submitStatus(ctx, b.Send, me, s)
					m.submissions.WithLabelValues(outcomeOf(err)).Inc()
					return err
				}}
			if old, err := r.Load(); err != nil {
				return fmt.Errorf("state %s: %w", statePath, err)
			} else if old != "" {
				logf(cmd, "state %s was written for %s, not %s: set aside as %s.stale, starting afresh", statePath, old, identity, statePath)
			}
			logf(cmd, "reporting %s as %s every %s, heartbeat %s (state %s)", chainID, me, poll, heartbeat, statePath)
			for {
				m.balance(ctx, clientCtx, me)
				stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
				outcome, err := r.Step(stepCtx)
				cancel()
				switch {
				case errors.Is(err, errNoRights):
					return err // revoked or suspended: stop rather than retry
				case err != nil:
					logf(cmd, "step failed, retrying in %s: %v", poll, err)
				case outcome == orgreporter.Submitted:
					logf(cmd, "submitted the status of %s", chainID)
				case outcome == orgreporter.CatchingUp:
					continue // more blocks to count: no need to wait
				}
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(poll):
				}
			}
		},
	}
	cmd.Flags().StringSliceVar(&subGRPC, "sub-grpc", []string{"127.0.0.1:9090"}, "the subchain nodes' gRPC endpoints, in order of preference")
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

var errNoRights = errors.New("the account may not report for this subchain")

// stepTimeout bounds one daemon step, so an endpoint that stops answering
// costs a logged failure and a retry, not a daemon stuck for good.
const stepTimeout = 2 * time.Minute

// checkReporter refuses to start an account that is not a monitoring account
// of a member org of the subchain, with the reason; it returns how often the
// main chain expects the subchain to report.
func checkReporter(ctx context.Context, clientCtx client.Context, chainID, me string) (time.Duration, error) {
	q := collectortypes.NewQueryClient(clientCtx)
	sub, err := q.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: chainID})
	if err != nil {
		return 0, fmt.Errorf("main chain: subchain %s: %w", chainID, err)
	}
	res, err := q.Members(ctx, &collectortypes.QueryMembersRequest{ChainId: chainID})
	if err != nil {
		return 0, fmt.Errorf("main chain: members of %s: %w", chainID, err)
	}
	for _, m := range res.Members {
		if slices.Contains(m.Reporters, me) {
			if m.Suspended {
				return 0, fmt.Errorf("%w: org %s is suspended on %s after an upheld dispute", errNoRights, m.OrgId, chainID)
			}
			return sub.Health.Subchain.ReportInterval, nil
		}
	}
	return 0, fmt.Errorf("%w: %s is not a monitoring account of any member org of %s (ask your org admin: tx statuscollect grant-reporter)", errNoRights, me, chainID)
}

// identities names the observed subchain and the main chain behind
// clientCtx, for the daemons' state files.
func identities(ctx context.Context, sub func(context.Context) (string, error), clientCtx client.Context) (string, error) {
	own, err := sub(ctx)
	if err != nil {
		return "", fmt.Errorf("subchain identity: %w", err)
	}
	one := int64(1)
	var main string
	if first, err := clientCtx.Client.Block(ctx, &one); err == nil {
		main = chainview.IdentityOf(first.Block.ChainID, first.BlockID.Hash)
	} else {
		main = clientCtx.ChainID // block 1 pruned: named by chain id alone
	}
	return main + "/" + own, nil
}

// submitStatus submits a snapshot and interprets the result for the reporter.
func submitStatus(ctx context.Context, send func(context.Context, sdk.Msg) (broadcast.Included, error), reporter string, snap shared.StatusSnapshot) error {
	_, err := send(ctx, &collectortypes.MsgSubmitStatus{Reporter: reporter, Snapshot: snap})
	if broadcast.Is(err, collectortypes.ErrOutdatedReport) {
		// Another source (the sidecar over IBC, another org) was first at
		// this height: the main chain has a report there already.
		return nil
	}
	var refused *broadcast.Refused
	if errors.As(err, &refused) && (refused.Reason == "not_reporter" || refused.Reason == "suspended") {
		// Revoked or suspended: the daemon stops instead of retrying.
		return fmt.Errorf("%w: %w", errNoRights, err)
	}
	return err
}

// outcomeOf labels a submission's result for the metrics: recorded; refused
// with the refusal's name; failed when the chain gave no answer.
func outcomeOf(err error) (outcome, reason string) {
	var refused *broadcast.Refused
	switch {
	case err == nil:
		return "recorded", ""
	case errors.As(err, &refused):
		return "refused", refused.Reason
	default:
		return "failed", ""
	}
}

func logf(cmd *cobra.Command, format string, args ...any) {
	fmt.Fprintf(cmd.ErrOrStderr(), time.Now().UTC().Format(time.RFC3339)+" "+format+"\n", args...)
}

type reporterMetrics struct {
	reg         *prometheus.Registry
	submissions *prometheus.CounterVec
	balanceG    *prometheus.GaugeVec
}

func newReporterMetrics() *reporterMetrics {
	m := &reporterMetrics{
		reg: prometheus.NewRegistry(),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "statuscollect_reporter_submissions_total",
			Help: "Status submissions by outcome (recorded; refused, with the refusal's name as error; failed: no answer from the main chain)."},
			[]string{"outcome", "error"}),
		balanceG: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_reporter_balance",
			Help: "The monitoring account's balance, by denom."}, []string{"denom"}),
	}
	m.reg.MustRegister(m.submissions, m.balanceG)
	return m
}

func (m *reporterMetrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *reporterMetrics) balance(ctx context.Context, clientCtx client.Context, addr string) {
	res, err := banktypes.NewQueryClient(clientCtx).AllBalances(ctx, &banktypes.QueryAllBalancesRequest{Address: addr})
	if err != nil {
		return
	}
	for _, c := range res.Balances {
		f, _ := c.Amount.BigInt().Float64()
		m.balanceG.WithLabelValues(c.Denom).Set(f)
	}
}
